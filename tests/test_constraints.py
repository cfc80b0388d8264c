"""keraslite.constraints on the active backend: projections against numpy and against Keras 3's
recorded values, API, defaults and configs against Keras (tests/data/keras_api_small.json),
get/serialize/deserialize.
"""

import inspect
import json
import pathlib

import numpy as np
import pytest

from keraslite import backend, config, constraints, ops

API = json.loads((pathlib.Path(__file__).parent / "data" / "keras_api_small.json").read_text())
CON = API["constraints"]
W = np.asarray(CON["values"]["input"], dtype=np.float64)
EPS = config.epsilon()


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _norms(w, axis):
    return np.sqrt((w * w).sum(axis=axis, keepdims=True))


def _max_norm(w, max_value=2, axis=0):
    n = _norms(w, axis)
    return w * np.clip(n, 0, max_value) / (EPS + n)


def _min_max_norm(w, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
    n = _norms(w, axis)
    desired = rate * np.clip(n, min_value, max_value) + (1 - rate) * n
    return w * desired / (EPS + n)


REFERENCE = {
    "MaxNorm": _max_norm,
    "MinMaxNorm": _min_max_norm,
    "NonNeg": lambda w: np.maximum(w, 0),
    "UnitNorm": lambda w, axis=0: w / (EPS + _norms(w, axis)),
}


def _case_id(case):
    return case["name"] + "".join(f"-{k}={v}" for k, v in case["kwargs"].items())


# ------------------------------------------------------------------------------------------
# API against Keras


def test_every_keras_name_exists_with_its_signature():
    for name, info in CON["names"].items():
        obj = getattr(constraints, name)
        assert obj.__name__ == info["object"], name
        target = obj.__init__ if inspect.isclass(obj) else obj
        params = [{"name": p.name, "kind": p.kind.name,
                   "default": "<required>" if p.default is p.empty else p.default}
                  for p in inspect.signature(target).parameters.values()
                  if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
        assert params == info["signature"], name


def test_accepted_names_are_keras():
    assert sorted(constraints.ALL_OBJECTS_DICT) == CON["accepted"]


@pytest.mark.parametrize("name", sorted(CON["classes"]))
def test_default_config_and_serialized_form_are_keras(name):
    info = CON["classes"][name]
    obj = getattr(constraints, name)()
    assert obj.get_config() == info["config"]
    assert constraints.serialize(obj) == info["serialized"]


# ------------------------------------------------------------------------------------------
# values


@pytest.mark.parametrize("case", CON["values"]["cases"],
                         ids=[_case_id(c) for c in CON["values"]["cases"]])
def test_values_match_keras_and_numpy(case):
    ref = REFERENCE[case["name"]](W, **case["kwargs"])
    np.testing.assert_allclose(ref, case["output"], rtol=1e-6, atol=1e-7)  # the reference
    out = getattr(constraints, case["name"])(**case["kwargs"])(
        ops.convert_to_tensor(W.astype("float32")))
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(_np(out), case["output"], rtol=2e-6, atol=1e-7)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("obj,ref", [
    (constraints.MaxNorm(1.0), lambda w: _max_norm(w, 1.0)),
    (constraints.MaxNorm(0.5, axis=[0, 1]), lambda w: _max_norm(w, 0.5, (0, 1))),
    (constraints.UnitNorm(axis=-1), lambda w: REFERENCE["UnitNorm"](w, -1)),
    (constraints.MinMaxNorm(0.5, 1.5, rate=0.25, axis=1),
     lambda w: _min_max_norm(w, 0.5, 1.5, 0.25, 1)),
    (constraints.NonNeg(), lambda w: np.maximum(w, 0)),
], ids=["max_norm", "max_norm-axes", "unit_norm", "min_max_norm", "non_neg"])
def test_values_and_dtypes(obj, ref, dtype):
    w = np.random.default_rng(0).normal(size=(3, 4, 5))
    out = obj(ops.convert_to_tensor(w.astype(dtype)))
    assert ops.dtype(out) == dtype
    assert tuple(out.shape) == w.shape
    tol = {"float16": 3e-3, "float32": 1e-5, "float64": 1e-6}[dtype]
    np.testing.assert_allclose(_np(out).astype(np.float64), ref(w.astype(dtype).astype(float)),
                               rtol=tol, atol=tol)


def test_projections_do_what_they_say():
    w = np.random.default_rng(2).normal(size=(6, 8)) * 3
    x = ops.convert_to_tensor(w)
    assert np.all(_norms(_np(constraints.MaxNorm(2.0)(x)), 0) <= 2.0 + 1e-6)
    np.testing.assert_allclose(_norms(_np(constraints.UnitNorm(axis=1)(x)), 1), 1.0, rtol=1e-6)
    n = _norms(_np(constraints.MinMaxNorm(1.0, 1.5)(x)), 0)
    assert np.all((n >= 1.0 - 1e-6) & (n <= 1.5 + 1e-6))
    assert (_np(constraints.NonNeg()(x)) >= 0).all()
    small = w / 100  # already inside the bound: unchanged but for epsilon / norm (~1e-6)
    np.testing.assert_allclose(_np(constraints.MaxNorm(2.0)(ops.convert_to_tensor(small))),
                               small, rtol=1e-5)


def test_zero_slices_stay_zero():
    w = np.zeros((3, 2))
    for obj in (constraints.MaxNorm(), constraints.UnitNorm(), constraints.MinMaxNorm()):
        out = _np(obj(ops.convert_to_tensor(w)))
        assert np.isfinite(out).all() and (out == 0).all()


def test_constraints_accept_variables_and_int_weights():
    v = backend.Variable(W.astype("float32"))
    np.testing.assert_allclose(_np(constraints.UnitNorm()(v)), REFERENCE["UnitNorm"](W),
                               rtol=1e-6)
    ints = ops.convert_to_tensor(np.array([[3, -4], [4, 3]], dtype="int32"))
    out = constraints.UnitNorm()(ints)
    assert ops.dtype(out) == config.floatx()
    np.testing.assert_allclose(_np(out), [[0.6, -0.8], [0.8, 0.6]], rtol=1e-6)
    np.testing.assert_array_equal(_np(constraints.NonNeg()(ints)), [[3, 0], [4, 3]])
    base = constraints.Constraint()
    assert base(v) is v and base.get_config() == {}


# ------------------------------------------------------------------------------------------
# get / serialize / deserialize


def test_get():
    assert constraints.get(None) is None
    for name, cls in constraints.ALL_OBJECTS_DICT.items():
        assert type(constraints.get(name)) is cls, name
    assert type(constraints.get("max_norm")) is constraints.MaxNorm
    assert type(constraints.get("non_neg")) is constraints.NonNeg
    assert type(constraints.get(constraints.UnitNorm)) is constraints.UnitNorm
    obj = constraints.MaxNorm(3)
    assert constraints.get(obj) is obj

    def clip(w):
        return ops.clip(w, -1, 1)

    assert constraints.get(clip) is clip
    with pytest.raises(ValueError, match="interpret"):
        constraints.get(3)


def test_unknown_names_list_the_valid_choices():
    with pytest.raises(ValueError, match="Unknown constraint") as info:
        constraints.get("maxnorm")
    for name in ("max_norm", "MaxNorm", "min_max_norm", "non_neg", "unit_norm"):
        assert name in str(info.value)


@pytest.mark.parametrize("obj", [
    constraints.MaxNorm(3.0, axis=1), constraints.MinMaxNorm(0.5, 2.0, 0.5, [0, 1]),
    constraints.NonNeg(), constraints.UnitNorm(axis=-1), constraints.Constraint()],
    ids=lambda o: type(o).__name__)
def test_config_round_trip(obj):
    serialized = json.loads(json.dumps(constraints.serialize(obj)))
    assert serialized["module"] == "keras.constraints"
    rebuilt = constraints.deserialize(serialized)
    assert type(rebuilt) is type(obj) and rebuilt.get_config() == obj.get_config()
    assert type(constraints.get(serialized)) is type(obj)
    x = ops.convert_to_tensor(np.random.default_rng(3).normal(size=(3, 4)).astype("float32"))
    np.testing.assert_array_equal(_np(rebuilt(x)), _np(obj(x)))
