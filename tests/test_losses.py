"""keraslite.losses against real Keras 3 on the active backend.

The reference values come from tests/data/keras_losses.json, written by
tests/data/make_keras_losses.py with Keras 3.15.1: every loss as a function and as a class,
with its options, sample weights, every reduction, masks and float16/float64 inputs. Each case
must give Keras' values, dtype and shape (and, for classes, Keras' get_config()). The rest
checks the API surface (names, signatures, aliases, configs) and the errors.
"""

import inspect
import json
import pathlib
import warnings

import numpy as np
import pytest

from keraslite import backend, losses, ops
from keraslite.losses.loss import set_keras_mask

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_losses.json").read_text())
CASES = DATA["cases"]

# Tolerances by the lowest precision a case computes in. float32: a few ulps of the summed
# terms; float16: ~10 ulps, as backends accumulate float16 differently (some in float32).
TOL = {"float16": (1e-2, 1e-2), "float32": (2e-5, 2e-6)}
# ctc runs a different dynamic-programming kernel on each backend
LOOSE = {"ctc": 10.0, "CTC": 10.0}
# the keraslite.ops kernel each loss takes its output dtype from
KERNEL = {"binary_crossentropy": "binary_crossentropy",
          "BinaryCrossentropy": "binary_crossentropy",
          "binary_focal_crossentropy": "binary_crossentropy",
          "BinaryFocalCrossentropy": "binary_crossentropy",
          "categorical_crossentropy": "categorical_crossentropy",
          "CategoricalCrossentropy": "categorical_crossentropy",
          "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
          "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
          "cosine_similarity": "normalize", "CosineSimilarity": "normalize"}


def arr(spec):
    return np.asarray(spec["data"], dtype=spec["dtype"]).reshape(spec["shape"])


def as_kwargs(d):
    # JSON turned tuple axes into lists
    return {k: tuple(v) if k == "axis" and isinstance(v, list) else v for k, v in d.items()}


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def compute_dtype(case):
    if case["form"] == "cls":
        return case["kwargs"].get("dtype") or "float32"
    return case["y_pred"]["dtype"]


def kernel_disagreement(case):
    """Why this backend's ops kernel under the loss gives another dtype than Keras', or None."""
    op = KERNEL.get(case["name"])
    dt = compute_dtype(case)
    if op is None or dt not in ("float16", "float32", "float64"):
        return None
    p = np.full((4, 3), 0.5, dt)
    if op == "normalize":
        key, got = f"normalize/{dt}", ops.normalize(p)
    else:
        logits = bool(case["kwargs"].get("from_logits", False))
        t = np.array([0, 1, 2, 1], "int32") if op.startswith("sparse") else np.ones((4, 3), dt)
        key = f"{op}/{dt}/from_logits={logits}"
        got = getattr(ops, op)(t, p, from_logits=logits)
    want, got = DATA["op_dtypes"][key], backend.standardize_dtype(ops.dtype(got))
    if got == want:
        return None
    return (f"backend kernel ops.{op} gives {got} for {dt} inputs where Keras gives {want}; "
            f"the loss inherits it")


def run(case):
    y_true = ops.convert_to_tensor(arr(case["y_true"]))
    y_pred = ops.convert_to_tensor(arr(case["y_pred"]))
    if "mask" in case:
        set_keras_mask(y_pred, ops.convert_to_tensor(arr(case["mask"])))
    kwargs = as_kwargs(case["kwargs"])
    if case["form"] == "fn":
        extra = {k: ops.convert_to_tensor(arr(v)) for k, v in case.get("array_kwargs", {}).items()}
        return getattr(losses, case["name"])(y_true, y_pred, **kwargs, **extra), None
    loss = getattr(losses, case["name"])(**kwargs)
    sw = case.get("sample_weight")
    out = loss(y_true, y_pred, sample_weight=None if sw is None else arr(sw))
    return out, loss


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_matches_keras(case):
    try:
        check_case(case)
    except AssertionError:
        reason = kernel_disagreement(case)
        if reason:
            pytest.xfail(reason)
        raise


def check_case(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        out, loss = run(case)
    expected = case["expected"]
    got = np_(out)
    assert backend.standardize_dtype(ops.dtype(out)) == expected["dtype"]
    assert list(got.shape) == expected["shape"]
    low = "float16" if "float16" in (compute_dtype(case), expected["dtype"]) else "float32"
    rtol, atol = TOL[low]
    scale = LOOSE.get(case["name"], 1.0)
    np.testing.assert_allclose(got.astype(np.float64), arr(expected).astype(np.float64),
                               rtol=rtol * scale, atol=atol * scale)
    if loss is not None:
        assert keras_part(json.loads(json.dumps(loss.get_config())), case) == case["config"]


# Arguments Keras 3.15's loss configs leave out (so a Keras reload resets them); keraslite writes
# them when they are not the default, and Keras reads them back.
KERAS_LEAVES_OUT = {"dtype", "delta", "axis"}


def keras_part(config, case):
    """`config` without the keys Keras leaves out, after checking those hold the arguments."""
    kwargs = as_kwargs(case["kwargs"])
    for key in KERAS_LEAVES_OUT & (set(config) - set(case["config"])):
        assert config.pop(key) == kwargs[key], key
    return config


def test_every_dtype_reduction_and_mask_is_covered():
    ids = " ".join(c["id"] for c in CASES)
    for needle in ("/fn/float16", "/fn/float64", "/cls/dtype=float64", "from_logits=True",
                   "label_smoothing", "ignore_class", "/mask/", "all_masked"):
        assert needle in ids
    for red in ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", "None"):
        assert f"reduction={red}/sample_weight" in ids
    covered = {c["name"] for c in CASES}
    for name, info in DATA["public"].items():
        if name not in ("Loss", "deserialize", "get", "serialize"):
            assert name in covered, f"no reference case for {name}"


# ------------------------------------------------------------------------------------------
# API surface


def test_public_names_and_signatures_match_keras():
    for name, info in DATA["public"].items():
        assert hasattr(losses, name), f"keraslite.losses lacks {name}"
        obj = getattr(losses, name)
        assert inspect.isclass(obj) == (info["kind"] == "class"), name
        target = obj.__init__ if inspect.isclass(obj) else obj
        params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
        got = []
        for p in params:
            entry = {"name": p.name, "kind": str(p.kind)}
            if p.default is inspect.Parameter.empty:
                entry["required"] = True
            else:
                entry["default"] = json.loads(json.dumps(p.default))
            got.append(entry)
        assert got == info["params"], name


def test_default_configs_and_serialization_match_keras():
    for name, ref in DATA["configs"].items():
        inst = getattr(losses, name)() if name != "LossFunctionWrapper" else None
        if inst is None:
            continue
        assert inst.get_config() == ref["config"], name
        assert json.loads(json.dumps(losses.serialize(inst))) == ref["serialized"], name


@pytest.mark.parametrize("case", [c for c in CASES if c["form"] == "cls"][::7],
                         ids=lambda c: c["id"])
def test_config_round_trip(case):
    cls = getattr(losses, case["name"])
    config = case["config"]
    clone = cls.from_config(as_kwargs(config))
    assert type(clone) is cls
    assert keras_part(json.loads(json.dumps(clone.get_config())), case) == config
    again = losses.deserialize(losses.serialize(clone))
    assert type(again) is cls and again.get_config() == clone.get_config()
    assert losses.get({"class_name": case["name"], "config": as_kwargs(config)}).get_config() \
        == clone.get_config()


def test_function_serialization_round_trip():
    for name in ("mean_squared_error", "categorical_crossentropy", "ctc", "circle"):
        fn = getattr(losses, name)
        assert losses.deserialize(losses.serialize(fn)) is fn


def test_loss_function_wrapper_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", delta=2.0)
    config = wrapper.get_config()
    assert config["name"] == "h" and config["delta"] == 2.0
    clone = losses.LossFunctionWrapper.from_config(config)
    assert clone.fn is losses.huber and clone._fn_kwargs == {"delta": 2.0}
    y_true, y_pred = np.zeros((2, 3), "float32"), np.full((2, 3), 3.0, "float32")
    # |error| 3 > delta 2: linear branch, 2 * 3 - 0.5 * 4 = 4
    np.testing.assert_allclose(np_(clone(y_true, y_pred)), 4.0)


def test_get_accepts_every_keras_alias():
    for alias, ref in DATA["aliases"].items():
        target = getattr(losses, ref["name"])
        if ref["kind"] == "function":
            assert losses.get(alias) is target, alias
        elif ref["name"] == "LossFunctionWrapper":  # needs fn: only deserializable as a name
            assert losses.deserialize(alias) is target
        else:
            obj = losses.get(alias)
            assert type(obj) is target, alias


def test_get_passes_through_callables_and_builds_classes():
    assert losses.get(None) is None
    assert losses.get(losses.mean_squared_error) is losses.mean_squared_error
    inst = losses.Huber(delta=3.0)
    assert losses.get(inst) is inst
    assert isinstance(losses.get(losses.Poisson), losses.Poisson)
    fn = losses.get({"class_name": "function", "config": "mae", "module": "keras.losses",
                     "registered_name": "mae"})
    assert fn is losses.mean_absolute_error


def test_unknown_identifier_lists_valid_choices():
    with pytest.raises(ValueError) as err:
        losses.get("not_a_loss")
    msg = str(err.value)
    assert "not_a_loss" in msg
    for choice in ("mean_squared_error", "mse", "CategoricalCrossentropy", "ctc"):
        assert choice in msg
    with pytest.raises(ValueError, match="not_a_loss"):
        losses.deserialize({"class_name": "not_a_loss", "config": {}})
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get(42)


# ------------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize("name", sorted(DATA["bad_shapes"]))
def test_shape_mismatch_names_the_loss_and_both_shapes(name):
    ref = DATA["bad_shapes"][name]
    ts, ps = tuple(ref["y_true_shape"]), tuple(ref["y_pred_shape"])
    int_labels = name in ("sparse_categorical_crossentropy", "ctc", "circle")
    y_true = np.ones(ts, "int32") if int_labels else np.full(ts, 0.5, "float32")
    y_pred = np.full(ps, 0.5, "float32")
    fn = getattr(losses, name)
    # as a function, and through a Loss (conversion, rank alignment, reduction)
    for call in (fn, losses.LossFunctionWrapper(fn)):
        with pytest.raises(ValueError) as err:
            call(y_true, y_pred)
        msg = str(err.value)
        assert name in msg and str(ts) in msg and str(ps) in msg, msg


def test_invalid_reduction():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")


def test_invalid_arguments():
    with pytest.raises(ValueError, match="q must be in the interval"):
        losses.CategoricalGeneralizedCrossEntropy(q=1.5)
    with pytest.raises(ValueError, match="axis"):
        losses.categorical_crossentropy(np.eye(3, dtype="float32"), np.eye(3, dtype="float32"),
                                        axis=True)


def test_single_class_categorical_warns():
    with pytest.warns(SyntaxWarning, match="num_classes"):
        losses.categorical_crossentropy(np.ones((2, 1), "float32"), np.ones((2, 1), "float32"))


# ------------------------------------------------------------------------------------------
# behaviour Keras' jax backend cannot show


def test_sparse_categorical_crossentropy_class_axis():
    # Keras on jax refuses axis != -1; the classes-first layout must equal the transposed one
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, (2, 3)).astype("int32")
    logits = rng.normal(size=(2, 3, 4)).astype("float32")
    last = losses.sparse_categorical_crossentropy(y_true, logits, from_logits=True)
    first = losses.sparse_categorical_crossentropy(y_true, np.moveaxis(logits, -1, 1),
                                                   from_logits=True, axis=1)
    np.testing.assert_allclose(np_(first), np_(last), rtol=1e-6)


def test_custom_subclass_gets_weighting_and_reduction():
    class AbsDiff(losses.Loss):
        def call(self, y_true, y_pred):
            return ops.abs(ops.subtract(y_true, y_pred))

    loss = AbsDiff(reduction="sum")
    assert loss.name.startswith("abs_diff") and loss.dtype == "float32"
    out = loss(np.zeros(4, "float32"), np.arange(4, dtype="float32"),
               sample_weight=np.array([1, 0, 1, 0], "float32"))
    np.testing.assert_allclose(np_(out), 2.0)
    assert AbsDiff().name != AbsDiff().name  # unnamed instances are numbered
    assert AbsDiff.from_config(loss.get_config()).get_config() == loss.get_config()


def test_loss_is_differentiable():
    y_true = ops.convert_to_tensor(np.zeros((2, 3), "float32"))
    y_pred = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3))
    grad = backend.grad(lambda p: losses.MeanSquaredError()(y_true, p))(y_pred)
    np.testing.assert_allclose(np_(grad), 2 * np_(y_pred) / 6, rtol=1e-6)


def test_numpy_and_list_inputs():
    out = losses.MeanAbsoluteError()([[0.0, 1.0]], [[1.0, 1.0]])
    np.testing.assert_allclose(np_(out), 0.5)
    # numpy float64: computed and returned under Keras' (jax default) rule, as float32
    out = losses.get("mse")(np.ones((2, 3)), np.zeros((2, 3)))
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(np_(out), [1.0, 1.0])


def test_symbolic_inputs_give_output_specs():
    batch = backend.KerasTensor((None, 3), "float32")
    per_sample = losses.MeanSquaredError(reduction="none")(batch, batch)
    assert tuple(per_sample.shape) == (None,) and per_sample.dtype == "float32"
    assert tuple(losses.MeanSquaredError()(batch, batch).shape) == ()
    labels, probs = backend.KerasTensor((None,), "int32"), backend.KerasTensor((None, 5), "float32")
    out = losses.SparseCategoricalCrossentropy(ignore_class=0)(labels, probs)
    assert tuple(out.shape) == () and out.dtype == "float32"


@pytest.mark.parametrize("make", [
    lambda: (losses.SparseCategoricalCrossentropy(ignore_class=-1),
             np.array([[0, -1, 2], [1, 1, -1]], "int32"),
             np.random.default_rng(1).uniform(0.1, 1, (2, 3, 4)).astype("float32")),
    lambda: (losses.Circle(), np.array([0, 1, 0, 2, 1, 0], "int32"),
             (lambda e: e / np.linalg.norm(e, axis=1, keepdims=True))(
                 np.random.default_rng(2).normal(size=(6, 4)).astype("float32"))),
    lambda: (losses.Hinge(), np.array([[0.0, 1.0, 1.0]], "float32"),
             np.array([[0.3, -0.2, 2.0]], "float32")),
], ids=["sparse_ignore_class", "circle", "hinge"])
def test_same_result_under_jit(make):
    # masks made inside call() and data-dependent label handling must survive tracing
    loss, y_true, y_pred = make()
    y_true, y_pred = ops.convert_to_tensor(y_true), ops.convert_to_tensor(y_pred)
    eager = np_(loss(y_true, y_pred))
    jitted = np_(backend.jit(lambda t, p: loss(t, p))(y_true, y_pred))
    np.testing.assert_allclose(jitted, eager, rtol=1e-6)
