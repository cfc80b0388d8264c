"""The basic layers (core Embedding/Identity, convolution, pooling, normalization, reshaping,
merging) on the active backend against real Keras 3.15.1 (tests/data/keras_layers_basic.json,
written by tests/data/make_keras_layers_basic.py): constructor signatures, weight names, shapes
and order, outputs and output masks, gradients of sum(output * w) with respect to the inputs and
every weight, BatchNormalization's moving statistics after a training call, get_config() and
from_config(), symbolic output shapes and the errors raised for bad arguments or inputs.
"""

import importlib
import inspect
import json
import pathlib
import re

import numpy as np
import pytest

import keraslite
from keraslite import backend, models, ops
from keraslite.backend.variables import StatelessScope
from keraslite.layers import Input

# rms_scaling=True is deprecated in Keras and warns here too; the cases still cover it
pytestmark = pytest.mark.filterwarnings("ignore:LayerNormalization.rms_scaling=True.:UserWarning")

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_layers_basic.json").read_text())
CASES = {c["id"]: c for c in DATA["cases"]}
ERRORS = {e["id"]: e for e in DATA["errors"]}
RTOL = ATOL = 2e-5
GRAD_RTOL = GRAD_ATOL = 1e-4  # sums of many products (convolutions) differ in the last bits

MODULES = {
    "Embedding": "core.embedding", "Identity": "core.identity",
    "Conv1D": "convolutional.conv1d", "Conv2D": "convolutional.conv2d",
    "Conv3D": "convolutional.conv3d",
    "BatchNormalization": "normalization.batch_normalization",
    "LayerNormalization": "normalization.layer_normalization",
    "Reshape": "reshaping.reshape", "Permute": "reshaping.permute",
    "RepeatVector": "reshaping.repeat_vector",
    "Add": "merging.add", "Subtract": "merging.subtract", "Multiply": "merging.multiply",
    "Average": "merging.average", "Maximum": "merging.maximum", "Minimum": "merging.minimum",
    "Concatenate": "merging.concatenate", "Dot": "merging.dot",
}
for _name in ("MaxPooling", "AveragePooling", "GlobalAveragePooling", "GlobalMaxPooling"):
    for _n in (1, 2, 3):
        _snake = re.sub(r"(?<!^)(?=[A-Z])", "_", _name).lower()
        MODULES[f"{_name}{_n}D"] = f"pooling.{_snake}{_n}d"
FUNCTIONS = {"add": "merging.add", "subtract": "merging.subtract", "multiply": "merging.multiply",
             "average": "merging.average", "maximum": "merging.maximum",
             "minimum": "merging.minimum", "concatenate": "merging.concatenate",
             "dot": "merging.dot"}


def _obj(name):
    module = (MODULES | FUNCTIONS)[name]
    return getattr(importlib.import_module(f"keraslite.layers.{module}"), name)


def _arr(e):
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _jsonable(x):
    return json.loads(json.dumps(x, default=lambda o: o.tolist() if hasattr(o, "tolist")
                                 else list(o)))


def _inputs(case):
    xs = [ops.convert_to_tensor(_arr(e)) for e in case["inputs"]]
    return xs, (xs if case["multi"] else xs[0])


def _call_kwargs(case):
    kwargs = {}
    if case["training"] is not None:
        kwargs["training"] = case["training"]
    if any(m is not None for m in case["masks"]):
        masks = [None if m is None else ops.convert_to_tensor(_arr(m)) for m in case["masks"]]
        kwargs["mask"] = masks if case["multi"] else masks[0]
    return kwargs


def _make(case):
    """Our layer with the case's kwargs, built on its inputs and loaded with its weights."""
    layer = _obj(case["class_name"])(**case["kwargs"])
    _, call_in = _inputs(case)
    layer(call_in)
    layer.set_weights([_arr(w["value"]) for w in case["weights"]])
    return layer


def _same(a, b):
    """Equal JSON values, floats to float32 precision (Keras stores some as float32)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return np.isclose(a, b, rtol=1e-7, atol=0)
    return a == b and type(a) is type(b)


def _config(config):
    config = _jsonable(config)
    config.pop("name", None)
    dtype = config.pop("dtype", None)
    return config, (dtype["config"]["name"] if isinstance(dtype, dict) else dtype)


# ------------------------------------------------------------------------------------ signatures


@pytest.mark.parametrize("name", sorted(DATA["signatures"]))
def test_signature(name):
    ours = []
    for p in inspect.signature(_obj(name)).parameters.values():
        default = None if p.default is inspect.Parameter.empty else _jsonable(p.default)
        ours.append({"name": p.name, "kind": p.kind.name,
                     "required": p.default is inspect.Parameter.empty, "default": default})
    assert ours == DATA["signatures"][name]


def test_exports_and_aliases():
    layers = keraslite.layers
    missing = [n for n in MODULES if not hasattr(layers, n)]
    if missing:
        pytest.skip(f"keraslite.layers does not export these yet: {missing}")
    for name in list(MODULES) + list(FUNCTIONS):
        assert getattr(layers, name) is _obj(name)
    for alias, target in DATA["aliases"].items():
        assert getattr(layers, alias) is _obj(target), alias


# ------------------------------------------------------------------------------------ values


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_weights_and_output(case_id):
    case = CASES[case_id]
    layer = _make(case)
    assert [v.name for v in layer.weights] == [w["name"] for w in case["weights"]]
    assert [list(v.shape) for v in layer.weights] == [w["shape"] for w in case["weights"]]
    assert [v.trainable for v in layer.weights] == [w["trainable"] for w in case["weights"]]
    assert [v.name for v in layer.trainable_weights] == \
        [w["name"] for w in case["weights"] if w["trainable"]]

    _, call_in = _inputs(case)
    kwargs = _call_kwargs(case)
    out = layer(call_in, **kwargs)
    want = _arr(case["output"])
    assert tuple(out.shape) == want.shape
    assert backend.standardize_dtype(out.dtype) == case["output"]["dtype"]
    np.testing.assert_allclose(_np(out), want, rtol=RTOL, atol=ATOL)

    mask = layer.compute_mask(call_in, kwargs.get("mask"))
    if case["output_mask"] is None:
        assert mask is None
    else:
        np.testing.assert_array_equal(_np(mask), _arr(case["output_mask"]))

    # a training call moves the moving statistics exactly as Keras' does
    moving = {v.name: v for v in layer.non_trainable_weights}
    for name, value in case["new_non_trainable"].items():
        np.testing.assert_allclose(_np(moving[name].value), _arr(value), rtol=RTOL, atol=ATOL,
                                   err_msg=name)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_gradients(case_id):
    case = CASES[case_id]
    layer = _make(case)
    xs, _ = _inputs(case)
    kwargs = _call_kwargs(case)
    w = ops.convert_to_tensor(_arr(case["w"]))
    float_idx = [i for i, e in enumerate(case["inputs"]) if "float" in e["dtype"]]
    weights = layer.weights

    def loss(float_inputs, values):
        args = list(xs)
        for i, v in zip(float_idx, float_inputs):
            args[i] = v
        with StatelessScope(list(zip(weights, values))):
            out = layer(args if case["multi"] else args[0], **kwargs)
        return ops.sum(ops.multiply(out, w))

    g_in, g_w = backend.grad(loss, argnums=(0, 1))([xs[i] for i in float_idx],
                                                  [v.value for v in weights])
    for i, g in zip(float_idx, g_in):
        np.testing.assert_allclose(_np(g), _arr(case["input_grads"][i]), rtol=GRAD_RTOL,
                                   atol=GRAD_ATOL, err_msg=f"input {i}")
    for v, g, want in zip(weights, g_w, case["weight_grads"]):
        np.testing.assert_allclose(_np(g), _arr(want), rtol=GRAD_RTOL, atol=GRAD_ATOL,
                                   err_msg=v.name)
    # the scope kept every assignment (BatchNormalization's statistics) off the variables
    for v, spec in zip(weights, case["weights"]):
        np.testing.assert_array_equal(_np(v.value), _arr(spec["value"]))


# ------------------------------------------------------------------------------------ config


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_config_and_round_trip(case_id):
    case = CASES[case_id]
    layer = _make(case)
    ours, dtype = _config(layer.get_config())
    want, want_dtype = _config(case["config"])
    assert ours.keys() == want.keys()
    assert _same(ours, want), (ours, want)
    assert dtype == want_dtype

    clone = type(layer).from_config(layer.get_config())
    assert _config(clone.get_config()) == _config(layer.get_config())
    _, call_in = _inputs(case)
    clone(call_in)
    clone.set_weights(layer.get_weights())
    kwargs = _call_kwargs(case)
    kwargs.pop("training", None)  # inference: neither call changes state
    np.testing.assert_allclose(_np(clone(call_in, **kwargs)), _np(layer(call_in, **kwargs)),
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_symbolic_shape(case_id):
    case = CASES[case_id]
    layer = _obj(case["class_name"])(**case["kwargs"])
    sym = [Input(shape=tuple(e["shape"][1:]), dtype=e["dtype"]) for e in case["inputs"]]
    out = layer(sym if case["multi"] else sym[0])
    assert list(out.shape) == case["symbolic_shape"]
    assert backend.standardize_dtype(out.dtype) == case["symbolic_dtype"]


# ------------------------------------------------------------------------------------ errors


def _zeros(shape):
    if shape and isinstance(shape[0], list):
        return [ops.zeros(tuple(s)) for s in shape]
    return ops.zeros(tuple(shape))


@pytest.mark.parametrize("error_id", sorted(ERRORS))
def test_errors(error_id):
    spec = ERRORS[error_id]
    expected = {"ValueError": ValueError, "TypeError": TypeError}[spec["expect"]]
    cls = _obj(spec["class_name"])
    if spec["stage"] == "init":
        with pytest.raises(expected):
            cls(**spec["kwargs"])
        return
    layer = cls(**spec["kwargs"])
    *good, bad = spec["calls"]
    for shape in good:
        layer(_zeros(shape))
    with pytest.raises(expected) as info:
        layer(_zeros(bad))
    message = str(info.value)
    assert layer.name in message
    shapes = bad if isinstance(bad[0], list) else [bad]
    for shape in shapes:
        assert str(tuple(shape)) in message, message

    if not good:  # the symbolic path fails the same way
        fresh = cls(**spec["kwargs"])
        sym = [Input(batch_shape=tuple(s)) for s in shapes]
        with pytest.raises(expected):
            fresh(sym if isinstance(bad[0], list) else sym[0])


# ------------------------------------------------------------------------------------ behaviour


def test_batch_norm_training_is_stateless_under_jit():
    """A training step written as a pure function returns the new moving statistics."""
    case = CASES["batch_norm_training"]
    layer = _make(case)
    x, _ = _inputs(case)
    variables = layer.weights

    def step(x, values):
        with StatelessScope(list(zip(variables, values))) as scope:
            out = layer(x, training=True)
        return out, [scope.get_current_value(v) for v in layer.non_trainable_weights]

    out, stats = backend.jit(step)(x[0], [v.value for v in variables])
    np.testing.assert_allclose(_np(out), _arr(case["output"]), rtol=RTOL, atol=ATOL)
    for v, value in zip(layer.non_trainable_weights, stats):
        np.testing.assert_allclose(_np(value), _arr(case["new_non_trainable"][v.name]),
                                   rtol=RTOL, atol=ATOL)
        np.testing.assert_array_equal(_np(v.value), _arr(case["weights"][
            [w["name"] for w in case["weights"]].index(v.name)]["value"]))


def test_batch_norm_frozen_uses_moving_stats():
    case = CASES["batch_norm_training"]
    layer = _make(case)
    layer.trainable = False
    x, _ = _inputs(case)
    before = [_np(v.value) for v in layer.weights]
    frozen = layer(x[0], training=True)
    inference = layer(x[0], training=False)
    np.testing.assert_allclose(_np(frozen), _np(inference))
    for v, b in zip(layer.weights, before):
        np.testing.assert_array_equal(_np(v.value), b)


def test_embedding_weights_argument_and_mask_through_model():
    from keraslite.layers.core.embedding import Embedding
    from keraslite.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D

    table = np.arange(12, dtype="float32").reshape(4, 3)
    emb = Embedding(4, 3, mask_zero=True, weights=table)
    assert emb.built
    np.testing.assert_array_equal(emb.get_weights()[0], table)

    ids = Input(shape=(5,), dtype="int32")
    model = models.Model(ids, GlobalAveragePooling1D()(emb(ids)))
    x = np.array([[1, 2, 0, 0, 0], [3, 3, 1, 2, 0]], dtype="int32")
    want = np.stack([table[row[row != 0]].mean(axis=0) for row in x])
    np.testing.assert_allclose(_np(model(x)), want, rtol=1e-6)


def test_masks_through_merge_in_model():
    from keraslite.layers.core.embedding import Embedding
    from keraslite.layers.merging.maximum import maximum
    from keraslite.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D

    rng = np.random.default_rng(4)
    t1, t2 = rng.normal(size=(5, 2)).astype("f"), rng.normal(size=(5, 2)).astype("f")
    a, b = Input(shape=(4,), dtype="int32"), Input(shape=(4,), dtype="int32")
    merged = maximum([Embedding(5, 2, mask_zero=True, weights=t1)(a),
                      Embedding(5, 2, mask_zero=True, weights=t2)(b)])
    model = models.Model([a, b], GlobalAveragePooling1D()(merged))
    ia = np.array([[1, 2, 0, 0], [0, 3, 4, 0]], "int32")
    ib = np.array([[0, 1, 1, 0], [2, 0, 4, 0]], "int32")

    # numpy: a masked entry takes the other input's value; the output mask is the OR
    e1, e2, m1, m2 = t1[ia], t2[ib], (ia != 0)[..., None], (ib != 0)[..., None]
    x = np.where(m2, e2, e1)
    out = np.maximum(np.where(m1, e1, x), x)
    keep = (m1 | m2)
    want = (out * keep).sum(1) / keep.sum(1)
    np.testing.assert_allclose(_np(model([ia, ib])), want, rtol=1e-6)


def test_lora_enabled_after_build():
    from keraslite.layers.convolutional.conv2d import Conv2D

    layer = Conv2D(3, 2)
    x = ops.convert_to_tensor(np.random.default_rng(0).normal(size=(1, 4, 4, 2)).astype("f"))
    before = _np(layer(x))
    layer.enable_lora(2)
    assert [v.name for v in layer.trainable_weights] == ["bias", "lora_kernel_a",
                                                         "lora_kernel_b"]
    assert [v.name for v in layer.weights] == ["kernel", "bias", "lora_kernel_a",
                                               "lora_kernel_b"]
    np.testing.assert_allclose(_np(layer(x)), before, rtol=1e-6)  # lora_kernel_b starts at 0
    with pytest.raises(ValueError, match=layer.name):
        layer.enable_lora(2)


def test_mixed_precision():
    from keraslite.layers.convolutional.conv1d import Conv1D
    from keraslite.layers.normalization.batch_normalization import BatchNormalization
    from keraslite.layers.normalization.layer_normalization import LayerNormalization

    x = ops.convert_to_tensor(np.random.default_rng(1).normal(size=(4, 6, 3)).astype("f"))
    for layer in (Conv1D(2, 3, dtype="mixed_float16"),
                  BatchNormalization(dtype="mixed_float16"),
                  LayerNormalization(dtype="mixed_float16")):
        out = layer(x, training=True) if isinstance(layer, BatchNormalization) else layer(x)
        assert backend.standardize_dtype(out.dtype) == "float16", type(layer).__name__
        assert all(backend.standardize_dtype(v.dtype) == "float32" for v in layer.weights)


def test_functional_merge_helpers():
    a = np.random.default_rng(2).normal(size=(2, 3)).astype("float32")
    b = np.random.default_rng(3).normal(size=(2, 3)).astype("float32")
    ta, tb = ops.convert_to_tensor(a), ops.convert_to_tensor(b)
    numpy_ref = {"add": a + b, "subtract": a - b, "multiply": a * b, "average": (a + b) / 2,
                 "maximum": np.maximum(a, b), "minimum": np.minimum(a, b),
                 "concatenate": np.concatenate([a, b], -1),
                 "dot": (a * b).sum(-1, keepdims=True)}
    for name, want in numpy_ref.items():
        np.testing.assert_allclose(_np(_obj(name)([ta, tb])), want, rtol=1e-6, err_msg=name)
        sym = _obj(name)([Input(shape=(3,)), Input(shape=(3,))])
        assert tuple(sym.shape) == (None,) + want.shape[1:], name
    out = _obj("concatenate")([ta, tb], axis=0, name="joined")
    np.testing.assert_allclose(_np(out), np.concatenate([a, b], 0))


def test_conv_regularizer_losses_and_activity():
    from keraslite.layers.convolutional.conv1d import Conv1D

    layer = Conv1D(2, 2, kernel_regularizer="l2", activity_regularizer="l1")
    x = ops.convert_to_tensor(np.ones((2, 4, 3), "float32"))
    out = layer(x)
    kernel = layer.kernel.numpy()
    losses = [float(_np(v)) for v in layer.losses]
    assert len(losses) == 2
    np.testing.assert_allclose(sorted(losses), sorted([0.01 * np.abs(_np(out)).sum() / 2,
                                                       0.01 * np.square(kernel).sum()]),
                               rtol=1e-5)
