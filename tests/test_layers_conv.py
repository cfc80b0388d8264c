"""The transposed, depthwise and separable convolutions and the spatial reshaping layers
(cropping, zero padding, up-sampling) on the active backend against real Keras 3.15.1
(tests/data/keras_layers_conv.json, written by tests/data/make_keras_layers_conv.py), plus
checks that need no reference: a transposed convolution is the adjoint of the convolution with
the same kernel, a separable convolution is a depthwise one followed by a 1x1 convolution, and
the layers run on inputs whose spatial sizes are unknown when the model is built.
"""

import importlib

import layer_checks
import numpy as np
import pytest
from layer_checks import to_np

import keraslite
from keraslite import backend, models, ops
from keraslite.layers import Input

MODULES = {
    "Conv1DTranspose": "convolutional.conv1d_transpose",
    "Conv2DTranspose": "convolutional.conv2d_transpose",
    "Conv3DTranspose": "convolutional.conv3d_transpose",
    "DepthwiseConv1D": "convolutional.depthwise_conv1d",
    "DepthwiseConv2D": "convolutional.depthwise_conv2d",
    "SeparableConv1D": "convolutional.separable_conv1d",
    "SeparableConv2D": "convolutional.separable_conv2d",
    "Cropping1D": "reshaping.cropping1d", "Cropping2D": "reshaping.cropping2d",
    "Cropping3D": "reshaping.cropping3d",
    "ZeroPadding1D": "reshaping.zero_padding1d", "ZeroPadding2D": "reshaping.zero_padding2d",
    "ZeroPadding3D": "reshaping.zero_padding3d",
    "UpSampling1D": "reshaping.up_sampling1d", "UpSampling2D": "reshaping.up_sampling2d",
    "UpSampling3D": "reshaping.up_sampling3d",
}


def _obj(name):
    return getattr(importlib.import_module(f"keraslite.layers.{MODULES[name]}"), name)


globals().update(layer_checks.layer_tests("keras_layers_conv.json", _obj))


def test_exports():
    for name in MODULES:
        assert getattr(keraslite.layers, name) is _obj(name)


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


# ------------------------------------------------------------------------------------ behaviour


@pytest.mark.parametrize("strides,padding,output_padding", [(2, "valid", 0), (2, "same", 0),
                                                            (1, "same", None)])
def test_transpose_is_adjoint_of_conv(strides, padding, output_padding):
    """<conv(x), y> == <x, conv_transpose(y)> for one kernel: Conv2DTranspose's kernel layout
    (*kernel_size, filters, input_channels) is the layout of the Conv2D it transposes."""
    from keraslite.layers.convolutional.conv2d import Conv2D
    from keraslite.layers.convolutional.conv2d_transpose import Conv2DTranspose

    x = _rand(1, 5, 5, 2)
    conv = Conv2D(3, 3, strides=strides, padding=padding, use_bias=False)
    y_shape = conv.compute_output_shape(x.shape)
    y = _rand(*y_shape, seed=1)
    conv(x)
    kernel = _rand(3, 3, 2, 3, seed=2)
    conv.set_weights([kernel])
    transpose = Conv2DTranspose(2, 3, strides=strides, padding=padding,
                                output_padding=output_padding, use_bias=False)
    transpose(y)
    transpose.set_weights([kernel])
    back = to_np(transpose(y))
    assert back.shape == x.shape
    np.testing.assert_allclose((to_np(conv(x)) * y).sum(), (x * back).sum(), rtol=1e-4)


def test_separable_is_depthwise_then_pointwise():
    from keraslite.layers.convolutional.conv2d import Conv2D
    from keraslite.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
    from keraslite.layers.convolutional.separable_conv2d import SeparableConv2D

    x = _rand(2, 6, 5, 3)
    kwargs = {"strides": 2, "padding": "same", "data_format": "channels_first"}
    x = np.moveaxis(x, -1, 1)
    sep = SeparableConv2D(4, 3, depth_multiplier=2, **kwargs)
    sep(x)
    depthwise_kernel, pointwise_kernel, bias = (_rand(3, 3, 3, 2), _rand(1, 1, 6, 4, seed=1),
                                                _rand(4, seed=2))
    sep.set_weights([depthwise_kernel, pointwise_kernel, bias])
    depthwise = DepthwiseConv2D(3, depth_multiplier=2, use_bias=False, **kwargs)
    pointwise = Conv2D(4, 1, data_format="channels_first")
    hidden = depthwise(x)
    pointwise(hidden)
    depthwise.set_weights([depthwise_kernel])
    pointwise.set_weights([pointwise_kernel, bias])
    np.testing.assert_allclose(to_np(sep(x)), to_np(pointwise(depthwise(x))), rtol=1e-5,
                               atol=1e-5)


def test_unknown_spatial_sizes_in_a_model():
    from keraslite.layers.convolutional.conv2d_transpose import Conv2DTranspose
    from keraslite.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
    from keraslite.layers.reshaping.cropping2d import Cropping2D
    from keraslite.layers.reshaping.up_sampling2d import UpSampling2D
    from keraslite.layers.reshaping.zero_padding2d import ZeroPadding2D

    inputs = Input(shape=(None, None, 2))
    x = ZeroPadding2D(((1, 0), (0, 2)))(inputs)
    x = DepthwiseConv2D(2, depth_multiplier=2)(x)
    x = UpSampling2D((2, 1))(x)
    x = Cropping2D(((1, 1), (0, 1)))(x)
    outputs = Conv2DTranspose(3, 3, strides=2, padding="same")(x)
    assert tuple(outputs.shape) == (None, None, None, 3)
    model = models.Model(inputs, outputs)
    for rows, cols in ((3, 4), (4, 2)):
        # padded (rows + 1, cols + 2), window 2: (rows, cols + 1), up (2 rows, cols + 1),
        # cropped (2 rows - 2, cols), transposed with stride 2: (4 rows - 4, 2 cols)
        out = model(_rand(1, rows, cols, 2))
        assert tuple(out.shape) == (1, 4 * rows - 4, 2 * cols, 3)


def test_up_sampling_bilinear_keeps_constant_images():
    from keraslite.layers.reshaping.up_sampling2d import UpSampling2D

    x = np.full((1, 3, 2, 2), 1.5, "float32")
    out = to_np(UpSampling2D((2, 3), interpolation="bilinear")(x))
    assert out.shape == (1, 6, 6, 2)
    np.testing.assert_allclose(out, 1.5, rtol=1e-6)


def test_bad_arguments_fail_in_the_constructor():
    """Keras only notices these when the layer is called (or never): keraslite refuses them
    when the layer is made."""
    from keraslite.layers.reshaping.up_sampling2d import UpSampling2D
    from keraslite.layers.reshaping.zero_padding2d import ZeroPadding2D

    with pytest.raises(ValueError, match="interpolation") as info:
        UpSampling2D(interpolation="cubic", name="up")
    assert "'up'" in str(info.value)
    with pytest.raises(ValueError, match="padding"):
        ZeroPadding2D(-1)


def test_separable_regularizer_losses():
    from keraslite.layers.convolutional.separable_conv1d import SeparableConv1D

    layer = SeparableConv1D(2, 2, depthwise_regularizer="l2", pointwise_regularizer="l1")
    layer(np.ones((1, 4, 3), "float32"))
    depthwise, pointwise, _ = layer.get_weights()
    losses = sorted(float(to_np(v)) for v in layer.losses)
    np.testing.assert_allclose(losses, sorted([0.01 * np.square(depthwise).sum(),
                                               0.01 * np.abs(pointwise).sum()]), rtol=1e-5)


def test_mixed_precision():
    from keraslite.layers.convolutional.conv1d_transpose import Conv1DTranspose
    from keraslite.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
    from keraslite.layers.convolutional.separable_conv1d import SeparableConv1D

    x = ops.convert_to_tensor(_rand(2, 5, 3))
    for layer in (Conv1DTranspose(2, 3, dtype="mixed_float16"),
                  DepthwiseConv1D(2, dtype="mixed_float16"),
                  SeparableConv1D(2, 2, dtype="mixed_float16")):
        assert backend.standardize_dtype(layer(x).dtype) == "float16", type(layer).__name__
        assert all(backend.standardize_dtype(v.dtype) == "float32" for v in layer.weights)
