"""keraslite.activations on the active backend: names, signatures and accepted names against
Keras 3 (tests/data/keras_api_small.json), values against numpy formulas and against Keras'
own outputs, dtypes for float16/bfloat16/float32/float64/int inputs, get/serialize/deserialize.
"""

import inspect
import json
import math
import pathlib

import numpy as np
import pytest

import keraslite
from keraslite import activations, config, ops, saving

API = json.loads((pathlib.Path(__file__).parent / "data" / "keras_api_small.json").read_text())
ACT = API["activations"]
KERAS_FUNCTIONS = {n: i for n, i in ACT["names"].items()
                   if n not in ("get", "serialize", "deserialize")}
VARIANTS = ACT["values"]["cases"]
X = np.asarray(ACT["values"]["input"], dtype=np.float64)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _case_id(case):
    return case["name"] + "".join(f"-{k}={v}" for k, v in case["kwargs"].items())


# ------------------------------------------------------------------------------------------
# numpy references (float64), written from the functions' definitions


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(-np.abs(x))) + np.maximum(x, 0)


def _relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    out = np.where(x > threshold, x, 0.0)
    if max_value is not None:
        out = np.minimum(out, max_value)
    return out - negative_slope * np.maximum(threshold - x, 0.0)


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * np.expm1(x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * _sigmoid(b)


def _gelu(x, approximate=False):
    if approximate:
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def _hard_sigmoid(x):
    return np.clip(x / 6 + 0.5, 0, 1)


def _sparsemax(x, axis=-1):
    x = np.moveaxis(x, axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cum = np.cumsum(z, axis=-1)
    support = 1 + k * z > cum
    k_max = support.sum(axis=-1, keepdims=True)
    tau = (np.take_along_axis(cum, k_max - 1, axis=-1) - 1) / k_max
    return np.moveaxis(np.maximum(x - tau, 0), -1, axis)


SELU_ALPHA, SELU_SCALE = 1.6732632423543772, 1.0507009873554805

REFERENCE = {
    "relu": _relu,
    "leaky_relu": lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x),
    "relu6": lambda x: np.clip(x, 0, 6),
    "softmax": _softmax,
    "elu": _elu,
    "selu": lambda x: SELU_SCALE * _elu(x, SELU_ALPHA),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "soft_shrink": lambda x, threshold=0.5: np.where(
        x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "silu": lambda x: x * _sigmoid(x),
    "swish": lambda x: x * _sigmoid(x),
    "squareplus": lambda x, b=4: (x + np.sqrt(x * x + b)) / 2,
    "gelu": _gelu,
    "celu": lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)),
    "glu": _glu,
    "tanh": np.tanh,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "hard_shrink": lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0),
    "threshold": lambda x, threshold, default_value: np.where(x > threshold, x, default_value),
    "sigmoid": _sigmoid,
    "sparse_sigmoid": lambda x: np.clip((x + 1) / 2, 0, 1),
    "exponential": np.exp,
    "hard_sigmoid": _hard_sigmoid,
    "hard_silu": lambda x: x * _hard_sigmoid(x),
    "hard_swish": lambda x: x * _hard_sigmoid(x),
    "linear": lambda x: x,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "log_softmax": _log_softmax,
    "log_sigmoid": lambda x: -_softplus(-x),
    "sparsemax": _sparsemax,
}

# Extra argument variants beyond those Keras' outputs were recorded for.
EXTRA_VARIANTS = [
    ("relu", {"max_value": 0.5, "threshold": 0.2}), ("relu", {"negative_slope": 0.5,
                                                               "max_value": 6.0}),
    ("elu", {"alpha": 2.0}), ("softmax", {"axis": 1}), ("glu", {"axis": 1}),
    ("threshold", {"threshold": -1.0, "default_value": 0.0}),
]
ALL_VARIANTS = [(c["name"], c["kwargs"]) for c in VARIANTS] + EXTRA_VARIANTS


# ------------------------------------------------------------------------------------------
# API against Keras


def test_every_keras_function_exists_with_its_signature():
    assert len(KERAS_FUNCTIONS) >= 30
    for name, info in ACT["names"].items():
        fn = getattr(activations, name)
        # Aliases are the very same function (swish is silu), as in Keras.
        assert fn.__name__ == info["object"], name
        params = [{"name": p.name, "kind": p.kind.name,
                   "default": "<required>" if p.default is p.empty else p.default}
                  for p in inspect.signature(fn).parameters.values()]
        assert params == info["signature"], name


def test_accepted_names_are_keras():
    assert sorted(activations.ALL_OBJECTS_DICT) == ACT["accepted"]
    assert activations.ALL_OBJECTS_DICT["swish"] is activations.silu
    assert activations.ALL_OBJECTS_DICT["hard_swish"] is activations.hard_silu


def test_reference_table_covers_every_function():
    assert set(REFERENCE) == set(KERAS_FUNCTIONS)
    assert {c["name"] for c in VARIANTS} == set(KERAS_FUNCTIONS)


# Keras 3.15's sparsemax (jax backend) takes tau from the sum of every cumulative sum in the
# support instead of the last one, so its rows need not sum to 1 (e.g. [0, -0.1, -0.5] gives
# [0.567, 0.467, 0.067]). keraslite follows the definition (Martins & Astudillo, 2016); it is
# checked against the numpy reference and the sum-to-one property instead.
KERAS_VALUE_BUGS = {"sparsemax"}
KERAS_CASES = [c for c in VARIANTS if c["name"] not in KERAS_VALUE_BUGS]


def test_keras_sparsemax_is_the_known_bug():
    # If a regenerated table fixes it, drop sparsemax from KERAS_VALUE_BUGS.
    case = next(c for c in VARIANTS if c["name"] == "sparsemax" and not c["kwargs"])
    assert not np.allclose(np.sum(case["output"], axis=-1), 1.0, atol=1e-4)


@pytest.mark.parametrize("case", KERAS_CASES, ids=[_case_id(c) for c in KERAS_CASES])
def test_numpy_reference_matches_keras(case):
    # Guards the references themselves: they must reproduce Keras' recorded outputs.
    want = np.asarray(case["output"])
    got = REFERENCE[case["name"]](X, **case["kwargs"])
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


# ------------------------------------------------------------------------------------------
# values


@pytest.mark.parametrize("case", KERAS_CASES, ids=[_case_id(c) for c in KERAS_CASES])
def test_float32_values_match_keras(case):
    out = getattr(activations, case["name"])(ops.convert_to_tensor(X.astype("float32")),
                                             **case["kwargs"])
    assert ops.dtype(out) == "float32"
    np.testing.assert_allclose(_np(out), np.asarray(case["output"]), rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("name,kwargs", ALL_VARIANTS,
                         ids=[n + "".join(f"-{k}={v}" for k, v in kw.items())
                              for n, kw in ALL_VARIANTS])
def test_float64_values_match_numpy(name, kwargs):
    x = np.concatenate([X, X[:, ::-1] * 0.37 + 0.05], axis=0)  # (4, 6): more points
    out = getattr(activations, name)(ops.convert_to_tensor(x), **kwargs)
    assert ops.dtype(out) == "float64"
    # float64 keeps its dtype, but not always its precision: binary ops follow Keras' promotion
    # rule (float64 with float64 gives float32) and some backends' nn kernels use float32
    # constants, so only float32 accuracy is asked for.
    np.testing.assert_allclose(_np(out), REFERENCE[name](x, **kwargs), rtol=1e-6, atol=1e-7)


def test_sparsemax_rows_sum_to_one():
    x = np.random.default_rng(0).normal(size=(5, 7))
    for axis in (-1, 0):
        out = _np(activations.sparsemax(ops.convert_to_tensor(x.astype("float32")), axis=axis))
        np.testing.assert_allclose(out.sum(axis=axis), 1.0, rtol=1e-5)
        assert (out >= 0).all() and (out == 0).any()


# Keras' declared float64 dtypes that keraslite deliberately does not follow: tanh narrows to
# float32 in Keras' rule, while keraslite's op contract keeps float inputs' dtype.
KERAS_FLOAT64_DIFFERENCES = {"tanh"}


@pytest.mark.parametrize("name", sorted(ACT["dtypes"]))
def test_float64_inputs_keep_float64(name):
    keras_dtype = ACT["dtypes"][name]["dtypes"]["float64"]
    if name in KERAS_FLOAT64_DIFFERENCES:
        assert keras_dtype == "float32"
    elif not keras_dtype.startswith("error"):  # a few are not symbolic in Keras
        assert keras_dtype == "float64"
    out = getattr(activations, name)(ops.convert_to_tensor(X), **ACT["dtypes"][name]["kwargs"])
    assert ops.dtype(out) == "float64"


FLOAT_TOL = {"float16": 4e-3, "bfloat16": 3e-2, "float32": 2e-6}
DEFAULT_KWARGS = {n: info["kwargs"] for n, info in ACT["dtypes"].items()}


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "float32"])
@pytest.mark.parametrize("name", sorted(DEFAULT_KWARGS))
def test_low_precision_dtype_and_values(name, dtype):
    kwargs = DEFAULT_KWARGS[name]
    x = ops.cast(ops.convert_to_tensor(X.astype("float32")), dtype)
    out = getattr(activations, name)(x, **kwargs)
    assert ops.dtype(out) == ACT["dtypes"][name]["dtypes"][dtype] == dtype
    # Compare against numpy on the values the input actually holds after rounding.
    x_held = _np(ops.cast(x, "float64"))
    want = REFERENCE[name](x_held, **kwargs)
    got = _np(ops.cast(out, "float64"))
    tol = FLOAT_TOL[dtype]
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol * max(1.0, np.abs(want).max()) / 8)


# Keras 3 keeps int32 for relu and hard_tanh and refuses ints for sigmoid, silu and glu (on jax).
# keraslite's op contract computes int and bool inputs in floatx for every nn op, so every
# activation but `linear` returns floatx here.
KERAS_INT_DIFFERENCES = {"relu", "hard_tanh", "sigmoid", "silu", "swish", "glu"}


@pytest.mark.parametrize("name", sorted(DEFAULT_KWARGS))
def test_int_inputs(name):
    kwargs = DEFAULT_KWARGS[name]
    xi = np.asarray([[-7, -3, -1, 0, 1, 2], [3, 4, 5, 6, 7, 8]], dtype="int32")
    out = getattr(activations, name)(ops.convert_to_tensor(xi), **kwargs)
    keras_dtype = ACT["dtypes"][name]["dtypes"]["int32"]
    if name == "linear":
        assert ops.dtype(out) == keras_dtype == "int32"
    else:
        assert ops.dtype(out) == config.floatx()
        assert (keras_dtype == config.floatx()) == (name not in KERAS_INT_DIFFERENCES), name
    np.testing.assert_allclose(_np(out), REFERENCE[name](xi.astype(np.float64), **kwargs),
                               rtol=2e-6, atol=2e-6)


@pytest.mark.parametrize("kwargs", [{}, {"threshold": 1.5}, {"negative_slope": 0.5},
                                    {"max_value": 3, "threshold": 0.5}])
def test_relu_int_inputs_compute_in_floatx(kwargs):
    xi = np.arange(-4, 5, dtype="int32")
    out = activations.relu(ops.convert_to_tensor(xi), **kwargs)
    assert ops.dtype(out) == config.floatx()
    np.testing.assert_allclose(_np(out), _relu(xi.astype(np.float64), **kwargs), rtol=1e-6)


def test_inputs_may_be_numpy_or_lists():
    np.testing.assert_allclose(_np(activations.relu([-1.0, 2.0])), [0.0, 2.0])
    np.testing.assert_allclose(_np(activations.mish(np.float32([0.0]))), [0.0])
    assert activations.linear(X) is X


def test_softmax_and_sigmoid_keep_their_logits_when_the_tensor_allows():
    x = ops.convert_to_tensor(X.astype("float32"))
    for fn in (activations.softmax, activations.sigmoid):
        out = fn(x)
        logits = getattr(out, "_keras_logits", None)
        if logits is not None:  # jax and tf eager tensors refuse attributes
            assert logits is x


def test_symbolic_inputs_give_keras_tensors():
    x = keraslite.KerasTensor((None, 6), "float32")
    for name in KERAS_FUNCTIONS:
        kwargs = DEFAULT_KWARGS[name]
        out = getattr(activations, name)(x, **kwargs)
        want = (None, 3) if name == "glu" else (None, 6)
        assert tuple(out.shape) == want, name
        assert out.dtype == "float32", name
    out = activations.relu(x, negative_slope=0.1, max_value=2.0, threshold=0.5)
    assert tuple(out.shape) == (None, 6)


# ------------------------------------------------------------------------------------------
# get / serialize / deserialize


def test_get_names_aliases_and_none():
    assert activations.get(None) is activations.linear
    for name, fn in activations.ALL_OBJECTS_DICT.items():
        assert activations.get(name) is fn
    assert activations.get("swish") is activations.silu
    assert activations.get("hard_swish") is activations.hard_silu


def test_get_callables_and_configs():
    def custom(x):
        return x

    assert activations.get(custom) is custom
    assert activations.get(activations.relu) is activations.relu
    config_dict = {"module": "keras.activations", "class_name": "function", "config": "gelu",
                   "registered_name": "gelu"}
    assert activations.get(config_dict) is activations.gelu


def test_unknown_identifiers():
    with pytest.raises(ValueError, match="Unknown activation") as info:
        activations.get("no_such_activation")
    for name in ("relu", "swish", "hard_swish", "sparsemax"):
        assert name in str(info.value)
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)
    with pytest.raises(ValueError):
        activations.deserialize("no_such_activation")


def test_serialize_builtins_to_their_name():
    for name, fn in activations.ALL_OBJECTS_DICT.items():
        serialized = activations.serialize(fn)
        assert serialized == fn.__name__
        assert activations.deserialize(serialized) is fn
    assert activations.serialize(activations.swish) == "silu"  # as Keras writes it


def test_registered_custom_activation_round_trip():
    @saving.register_keras_serializable(package="TestActivations")
    def double_it(x):
        return ops.multiply(x, 2.0)

    serialized = activations.serialize(double_it)
    assert serialized["registered_name"] == "TestActivations>double_it"
    assert activations.deserialize(serialized) is double_it
    assert activations.get(serialized) is double_it
    assert activations.get("TestActivations>double_it") is double_it


def test_custom_objects_argument():
    def cube(x):
        return ops.power(x, 3)

    assert activations.deserialize("cube", custom_objects={"cube": cube}) is cube
    with pytest.raises(ValueError):
        activations.deserialize("cube")
