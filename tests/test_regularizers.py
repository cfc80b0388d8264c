"""keraslite.regularizers on the active backend: penalties against numpy and against Keras 3's
recorded values, API, defaults and configs against Keras (tests/data/keras_api_small.json),
get/serialize/deserialize and argument checks.
"""

import inspect
import json
import pathlib

import numpy as np
import pytest

from keraslite import config, ops, regularizers

API = json.loads((pathlib.Path(__file__).parent / "data" / "keras_api_small.json").read_text())
REG = API["regularizers"]
W = np.asarray(REG["values"]["input"], dtype=np.float64)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _unit_rows(x):
    # rows scaled to unit norm; the epsilon cap keeps zero rows at zero
    with np.errstate(divide="ignore"):
        inv = 1 / np.sqrt((x * x).sum(axis=1, keepdims=True))
    return x * np.minimum(inv, 1 / config.epsilon())


def _orthogonal(x, factor=0.01, mode="rows"):
    x = x if mode == "rows" else x.T
    u = _unit_rows(x)
    n = x.shape[0]
    product = u @ u.T
    return factor * 0.5 * np.abs(product - np.diag(np.diag(product))).sum() / (n * (n - 1) / 2)


REFERENCE = {
    "L1": lambda x, l1=0.01: l1 * np.abs(x).sum(),
    "L2": lambda x, l2=0.01: l2 * (x * x).sum(),
    "L1L2": lambda x, l1=0.0, l2=0.0: l1 * np.abs(x).sum() + l2 * (x * x).sum(),
    "OrthogonalRegularizer": _orthogonal,
}


def _case_id(case):
    return case["name"] + "".join(f"-{k}={v}" for k, v in case["kwargs"].items())


# ------------------------------------------------------------------------------------------
# API against Keras


def test_every_keras_name_exists_with_its_signature():
    for name, info in REG["names"].items():
        obj = getattr(regularizers, name)
        assert obj.__name__ == info["object"], name
        target = obj.__init__ if inspect.isclass(obj) else obj
        params = [{"name": p.name, "kind": p.kind.name,
                   "default": "<required>" if p.default is p.empty else p.default}
                  for p in inspect.signature(target).parameters.values()
                  if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        assert params == info["signature"], name


def test_accepted_names_are_keras_plus_l1_l2():
    # Keras' table spells L1L2 "l1l2" only; its public alias "l1_l2" is accepted here too.
    assert sorted(set(regularizers.ALL_OBJECTS_DICT) - {"l1_l2"}) == REG["accepted"]
    assert regularizers.ALL_OBJECTS_DICT["l1_l2"] is regularizers.L1L2


@pytest.mark.parametrize("name", sorted(REG["classes"]))
def test_default_configs_are_keras(name):
    info = REG["classes"][name]
    obj = getattr(regularizers, name)()
    if info["config"] is None:  # the base class has no config
        with pytest.raises(NotImplementedError):
            obj.get_config()
        return
    got = obj.get_config()
    assert got.keys() == info["config"].keys()
    for key, want in info["config"].items():
        # Keras stores L1's and the orthogonal factor in float32 (0.009999999776...); keraslite
        # keeps the Python float.
        if isinstance(want, float):
            assert got[key] == pytest.approx(want, rel=1e-7)
        else:
            assert got[key] == want
    serialized = regularizers.serialize(obj)
    assert {k: v for k, v in serialized.items() if k != "config"} == {
        k: v for k, v in info["serialized"].items() if k != "config"}


# ------------------------------------------------------------------------------------------
# values


@pytest.mark.parametrize("case", REG["values"]["cases"],
                         ids=[_case_id(c) for c in REG["values"]["cases"]])
def test_values_match_keras_and_numpy(case):
    reg = getattr(regularizers, case["name"])(**case["kwargs"])
    ref = REFERENCE[case["name"]](W, **case["kwargs"])
    np.testing.assert_allclose(ref, case["output"], rtol=1e-6)  # the reference itself
    out = reg(ops.convert_to_tensor(W.astype("float32")))
    assert tuple(out.shape) == ()
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(_np(out), case["output"], rtol=2e-6, atol=1e-8)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("reg,ref", [
    (regularizers.L1(0.2), lambda x: 0.2 * np.abs(x).sum()),
    (regularizers.L2(0.3), lambda x: 0.3 * (x * x).sum()),
    (regularizers.L1L2(l1=0.1, l2=0.05), lambda x: 0.1 * np.abs(x).sum() + 0.05 * (x * x).sum()),
    (regularizers.L1L2(l2=0.05), lambda x: 0.05 * (x * x).sum()),
    (regularizers.OrthogonalRegularizer(0.3, "columns"), lambda x: _orthogonal(x, 0.3, "columns")),
], ids=["l1", "l2", "l1l2", "l2-only", "orthogonal-columns"])
def test_values_and_dtypes(reg, ref, dtype):
    x = np.random.default_rng(0).normal(size=(5, 4))
    out = reg(ops.convert_to_tensor(x.astype(dtype)))
    assert ops.dtype(out) == dtype
    x_held = x.astype(dtype).astype(np.float64)
    tol = {"float16": 2e-3, "float32": 1e-5, "float64": 1e-6}[dtype]
    np.testing.assert_allclose(float(_np(out)), ref(x_held), rtol=tol)


def test_regularizers_accept_variables_and_arrays():
    from keraslite import backend

    v = backend.Variable(W.astype("float32"))
    np.testing.assert_allclose(_np(regularizers.L2(0.5)(v)), 0.5 * (W * W).sum(), rtol=1e-6)
    np.testing.assert_allclose(_np(regularizers.L1(0.5)(W)), 0.5 * np.abs(W).sum(), rtol=1e-6)


def test_zero_penalties():
    x = ops.convert_to_tensor(W.astype("float32"))
    assert float(_np(regularizers.L1L2()(x))) == 0.0
    assert regularizers.Regularizer()(x) == 0.0


def test_orthogonal_regularizer_properties():
    # Orthogonal rows cost nothing, parallel rows cost the most (factor * mean |cos| = factor);
    # zero rows do not give NaN.
    q = np.linalg.qr(np.random.default_rng(1).normal(size=(6, 6)))[0][:4]
    reg = regularizers.OrthogonalRegularizer(factor=1.0)
    assert abs(float(_np(reg(ops.convert_to_tensor(q))))) < 1e-6
    parallel = np.tile([[1.0, 2.0, 3.0]], (3, 1))
    np.testing.assert_allclose(_np(reg(ops.convert_to_tensor(parallel))), 1.0, rtol=1e-6)
    with_zero = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0]])
    value = float(_np(reg(ops.convert_to_tensor(with_zero))))
    np.testing.assert_allclose(value, _orthogonal(with_zero, 1.0), rtol=1e-5)
    with pytest.raises(ValueError, match="rank"):
        reg(ops.convert_to_tensor(np.ones((2, 2, 2))))


def test_argument_checks():
    for bad in (-0.1, float("inf"), float("nan"), "0.1"):
        with pytest.raises(ValueError, match="l1"):
            regularizers.L1(bad)
        with pytest.raises(ValueError, match="l2"):
            regularizers.L1L2(l2=bad)
    with pytest.raises(ValueError, match="factor"):
        regularizers.OrthogonalRegularizer(factor=-1)
    with pytest.raises(ValueError, match="mode"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    # None means the default, as in Keras
    assert regularizers.L1(None).l1 == 0.01 and regularizers.L2(None).l2 == 0.01
    assert regularizers.L1L2(None, None).get_config() == {"l1": 0.0, "l2": 0.0}


# ------------------------------------------------------------------------------------------
# get / serialize / deserialize


def test_get():
    assert regularizers.get(None) is None
    for name, cls in regularizers.ALL_OBJECTS_DICT.items():
        assert type(regularizers.get(name)) is cls, name
    assert type(regularizers.get("l1_l2")) is regularizers.L1L2
    assert type(regularizers.get("orthogonal_regularizer")) is regularizers.OrthogonalRegularizer
    assert type(regularizers.get(regularizers.L2)) is regularizers.L2
    reg = regularizers.L1(0.5)
    assert regularizers.get(reg) is reg

    def custom(x):
        return ops.sum(x)

    assert regularizers.get(custom) is custom
    with pytest.raises(ValueError, match="interpret"):
        regularizers.get(0.5)


def test_unknown_names_list_the_valid_choices():
    with pytest.raises(ValueError, match="Unknown regularizer") as info:
        regularizers.get("l3")
    for name in ("l1", "l2", "l1_l2", "orthogonal_regularizer", "L1L2"):
        assert name in str(info.value)


@pytest.mark.parametrize("obj", [
    regularizers.L1(0.3), regularizers.L2(0.2), regularizers.L1L2(0.1, 0.4),
    regularizers.OrthogonalRegularizer(0.5, "columns")], ids=lambda o: type(o).__name__)
def test_config_round_trip(obj):
    serialized = json.loads(json.dumps(regularizers.serialize(obj)))
    assert serialized["module"] == "keras.regularizers"
    assert serialized["class_name"] == type(obj).__name__
    rebuilt = regularizers.deserialize(serialized)
    assert type(rebuilt) is type(obj) and rebuilt.get_config() == obj.get_config()
    assert regularizers.get(serialized).get_config() == obj.get_config()
    x = ops.convert_to_tensor(W.astype("float32"))
    np.testing.assert_array_equal(_np(rebuilt(x)), _np(obj(x)))
    assert type(obj).from_config(obj.get_config()).get_config() == obj.get_config()


def test_reads_keras_configs():
    keras_form = REG["classes"]["L1"]["serialized"]
    reg = regularizers.deserialize(keras_form)
    assert isinstance(reg, regularizers.L1)
    assert reg.l1 == pytest.approx(0.01, rel=1e-7)
