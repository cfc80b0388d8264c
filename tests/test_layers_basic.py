"""The basic layers (core Embedding/Identity, convolution, pooling, normalization, reshaping,
merging) on the active backend against real Keras 3.15.1 (tests/data/keras_layers_basic.json,
written by tests/data/make_keras_layers_basic.py): constructor signatures, weight names, shapes
and order, outputs and output masks, gradients of sum(output * w) with respect to the inputs and
every weight, BatchNormalization's moving statistics after a training call, get_config() and
from_config(), symbolic output shapes and the errors raised for bad arguments or inputs.
"""

import importlib
import re

import layer_checks
import numpy as np
import pytest
from layer_checks import arr, case_inputs, make_layer, to_np

import keraslite
from keraslite import backend, models, ops
from keraslite.backend.variables import StatelessScope
from keraslite.layers import Input

# rms_scaling=True is deprecated in Keras and warns here too; the cases still cover it
pytestmark = pytest.mark.filterwarnings("ignore:LayerNormalization.rms_scaling=True.:UserWarning")

DATA = layer_checks.load("keras_layers_basic.json")
CASES = {c["id"]: c for c in DATA["cases"]}
RTOL = ATOL = 2e-5

MODULES = {
    "Embedding": "core.embedding", "Identity": "core.identity", "Dense": "core.dense",
    "Activation": "activations.activation", "Dropout": "regularization.dropout",
    "Flatten": "reshaping.flatten",
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


globals().update(layer_checks.layer_tests("keras_layers_basic.json", _obj))


def test_exports():
    layers = keraslite.layers
    for name in list(MODULES) + list(FUNCTIONS):
        assert getattr(layers, name) is _obj(name)


# ------------------------------------------------------------------------------------ behaviour


def test_batch_norm_training_is_stateless_under_jit():
    """A training step written as a pure function returns the new moving statistics."""
    case = CASES["batch_norm_training"]
    layer = make_layer(case, _obj)
    x, _ = case_inputs(case)
    variables = layer.weights

    def step(x, values):
        with StatelessScope(list(zip(variables, values))) as scope:
            out = layer(x, training=True)
        return out, [scope.get_current_value(v) for v in layer.non_trainable_weights]

    out, stats = backend.jit(step)(x[0], [v.value for v in variables])
    np.testing.assert_allclose(to_np(out), arr(case["output"]), rtol=RTOL, atol=ATOL)
    for v, value in zip(layer.non_trainable_weights, stats):
        np.testing.assert_allclose(to_np(value), arr(case["new_non_trainable"][v.name]),
                                   rtol=RTOL, atol=ATOL)
        np.testing.assert_array_equal(to_np(v.value), arr(case["weights"][
            [w["name"] for w in case["weights"]].index(v.name)]["value"]))


def test_batch_norm_frozen_uses_moving_stats():
    case = CASES["batch_norm_training"]
    layer = make_layer(case, _obj)
    layer.trainable = False
    x, _ = case_inputs(case)
    before = [to_np(v.value) for v in layer.weights]
    frozen = layer(x[0], training=True)
    inference = layer(x[0], training=False)
    np.testing.assert_allclose(to_np(frozen), to_np(inference))
    for v, b in zip(layer.weights, before):
        np.testing.assert_array_equal(to_np(v.value), b)


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
    np.testing.assert_allclose(to_np(model(x)), want, rtol=1e-6)


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
    np.testing.assert_allclose(to_np(model([ia, ib])), want, rtol=1e-6)


def test_lora_enabled_after_build():
    from keraslite.layers.convolutional.conv2d import Conv2D

    layer = Conv2D(3, 2)
    x = ops.convert_to_tensor(np.random.default_rng(0).normal(size=(1, 4, 4, 2)).astype("f"))
    before = to_np(layer(x))
    layer.enable_lora(2)
    assert [v.name for v in layer.trainable_weights] == ["bias", "lora_kernel_a",
                                                         "lora_kernel_b"]
    assert [v.name for v in layer.weights] == ["kernel", "bias", "lora_kernel_a",
                                               "lora_kernel_b"]
    np.testing.assert_allclose(to_np(layer(x)), before, rtol=1e-6)  # lora_kernel_b starts at 0
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
        np.testing.assert_allclose(to_np(_obj(name)([ta, tb])), want, rtol=1e-6, err_msg=name)
        sym = _obj(name)([Input(shape=(3,)), Input(shape=(3,))])
        assert tuple(sym.shape) == (None,) + want.shape[1:], name
    out = _obj("concatenate")([ta, tb], axis=0, name="joined")
    np.testing.assert_allclose(to_np(out), np.concatenate([a, b], 0))


def test_conv_regularizer_losses_and_activity():
    from keraslite.layers.convolutional.conv1d import Conv1D

    layer = Conv1D(2, 2, kernel_regularizer="l2", activity_regularizer="l1")
    x = ops.convert_to_tensor(np.ones((2, 4, 3), "float32"))
    out = layer(x)
    kernel = layer.kernel.numpy()
    losses = [float(to_np(v)) for v in layer.losses]
    assert len(losses) == 2
    np.testing.assert_allclose(sorted(losses), sorted([0.01 * np.abs(to_np(out)).sum() / 2,
                                                       0.01 * np.square(kernel).sum()]),
                               rtol=1e-5)
