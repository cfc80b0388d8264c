"""Generate reference values for the transposed, depthwise and separable convolutions and the
spatial reshaping layers (cropping, zero padding, up-sampling) from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_conv.py

It writes keras_layers_conv.json next to this file, in the layout tests/data/layer_recorder.py
describes (cases, error cases, constructor signatures, aliases). The tests only read the json;
they never import keras.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from layer_recorder import F, write  # noqa: E402

CF = {"data_format": "channels_first"}

# (id, class name, kwargs, input spec, options)
CASES = [
    # transposed convolutions
    ("conv1d_transpose", "Conv1DTranspose", {"filters": 3, "kernel_size": 3}, F(2, 5, 2), {}),
    ("conv1d_transpose_same_strides", "Conv1DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, F(2, 4, 2), {}),
    ("conv1d_transpose_same_even_kernel", "Conv1DTranspose",
     {"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}, F(1, 3, 2), {}),
    ("conv1d_transpose_output_padding", "Conv1DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": 3, "output_padding": 2}, F(2, 4, 2), {}),
    ("conv1d_transpose_dilation_channels_first", "Conv1DTranspose",
     {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same", **CF},
     F(2, 2, 5), {}),
    ("conv2d_transpose", "Conv2DTranspose",
     {"filters": 2, "kernel_size": (3, 2), "strides": (2, 1)}, F(2, 3, 4, 3), {}),
    ("conv2d_transpose_same_output_padding", "Conv2DTranspose",
     {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1,
      "use_bias": False, "kernel_regularizer": "l2", "kernel_constraint": "non_neg"},
     F(1, 3, 3, 2), {}),
    ("conv2d_transpose_stride_over_kernel_channels_first", "Conv2DTranspose",
     {"filters": 2, "kernel_size": 2, "strides": 3, "activation": "relu",
      "bias_regularizer": "l1", **CF}, F(1, 2, 3, 3), {}),
    ("conv2d_transpose_dilation", "Conv2DTranspose",
     {"filters": 2, "kernel_size": 3, "dilation_rate": (2, 1)}, F(1, 3, 3, 1), {}),
    ("conv3d_transpose", "Conv3DTranspose", {"filters": 2, "kernel_size": 2, "strides": 2},
     F(1, 2, 2, 2, 2), {}),
    ("conv3d_transpose_same_channels_first", "Conv3DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": (1, 2, 1), "padding": "same",
      "output_padding": (0, 1, 0), **CF}, F(1, 2, 2, 3, 2), {}),
    # depthwise convolutions
    ("depthwise_conv1d", "DepthwiseConv1D", {"kernel_size": 3}, F(2, 6, 3), {}),
    ("depthwise_conv1d_multiplier_same_strides", "DepthwiseConv1D",
     {"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"},
     F(2, 7, 2), {}),
    ("depthwise_conv1d_strides_dilation", "DepthwiseConv1D",
     {"kernel_size": 2, "strides": 2, "dilation_rate": 2}, F(1, 9, 2), {}),
    ("depthwise_conv2d", "DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": 2},
     F(2, 5, 5, 2), {}),
    ("depthwise_conv2d_dilation_channels_first", "DepthwiseConv2D",
     {"kernel_size": 2, "dilation_rate": 2, "padding": "same", "use_bias": False,
      "depthwise_regularizer": "l1", "depthwise_constraint": "non_neg", **CF},
     F(1, 3, 5, 5), {}),
    ("depthwise_conv2d_strides", "DepthwiseConv2D",
     {"kernel_size": (3, 2), "strides": (2, 1), "activation": "tanh",
      "bias_regularizer": "l2", "bias_constraint": "max_norm"}, F(1, 6, 5, 2), {}),
    # separable convolutions
    ("separable_conv1d", "SeparableConv1D", {"filters": 4, "kernel_size": 3}, F(2, 6, 3), {}),
    ("separable_conv1d_same_strides_channels_first", "SeparableConv1D",
     {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2,
      **CF}, F(2, 3, 7), {}),
    ("separable_conv2d", "SeparableConv2D", {"filters": 3, "kernel_size": 3}, F(2, 5, 5, 2), {}),
    ("separable_conv2d_dilation_nobias", "SeparableConv2D",
     {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same", "use_bias": False,
      "depthwise_regularizer": "l2", "pointwise_regularizer": "l1",
      "pointwise_constraint": "non_neg"}, F(1, 5, 5, 3), {}),
    ("separable_conv2d_strides_dilation_same", "SeparableConv2D",
     {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2, "padding": "same"},
     F(1, 7, 6, 2), {}),
    # cropping
    ("cropping1d", "Cropping1D", {}, F(2, 5, 3), {}),
    ("cropping1d_right", "Cropping1D", {"cropping": (0, 2)}, F(2, 5, 3), {}),
    ("cropping2d", "Cropping2D", {"cropping": ((1, 0), (2, 1))}, F(2, 5, 6, 2), {}),
    ("cropping2d_int_channels_first", "Cropping2D", {"cropping": 1, **CF}, F(1, 2, 4, 4), {}),
    ("cropping3d", "Cropping3D", {}, F(1, 4, 3, 5, 2), {}),
    ("cropping3d_mixed_channels_first", "Cropping3D", {"cropping": ((0, 1), 2, (1, 0)), **CF},
     F(1, 2, 3, 5, 4), {}),
    # zero padding
    ("zero_padding1d", "ZeroPadding1D", {}, F(2, 3, 2), {}),
    ("zero_padding1d_channels_first", "ZeroPadding1D", {"padding": (1, 2), **CF}, F(2, 2, 3),
     {}),
    ("zero_padding2d", "ZeroPadding2D", {}, F(1, 2, 3, 2), {}),
    ("zero_padding2d_pairs_channels_first", "ZeroPadding2D",
     {"padding": ((1, 0), (2, 3)), **CF}, F(1, 2, 2, 3), {}),
    ("zero_padding3d", "ZeroPadding3D", {"padding": 1}, F(1, 2, 2, 2, 1), {}),
    ("zero_padding3d_mixed_channels_first", "ZeroPadding3D",
     {"padding": ((0, 1), (1, 0), 2), **CF}, F(1, 2, 2, 1, 2), {}),
    # up-sampling
    ("up_sampling1d", "UpSampling1D", {}, F(2, 3, 2), {}),
    ("up_sampling1d_size3", "UpSampling1D", {"size": 3}, F(1, 2, 3), {}),
    ("up_sampling2d", "UpSampling2D", {}, F(1, 2, 3, 2), {}),
    ("up_sampling2d_channels_first", "UpSampling2D", {"size": (2, 3), **CF}, F(1, 2, 2, 3), {}),
    ("up_sampling2d_bilinear", "UpSampling2D", {"interpolation": "bilinear"}, F(1, 3, 4, 2),
     {}),
    ("up_sampling2d_bilinear_channels_first", "UpSampling2D",
     {"size": (3, 2), "interpolation": "BILINEAR", **CF}, F(1, 2, 3, 2), {}),
    ("up_sampling3d", "UpSampling3D", {}, F(1, 2, 2, 3, 2), {}),
    ("up_sampling3d_channels_first", "UpSampling3D", {"size": (1, 2, 3), **CF},
     F(1, 2, 2, 2, 1), {}),
]

# (id, class name, kwargs, input shapes of successive calls (none: constructor error),
#  override of the exception type keraslite raises when Keras' type is an accident)
ERRORS = [
    ("conv2d_transpose_rank", "Conv2DTranspose", {"filters": 2, "kernel_size": 3}, [(2, 5, 3)],
     None),
    ("conv1d_transpose_channels_after_build", "Conv1DTranspose",
     {"filters": 2, "kernel_size": 3}, [(1, 4, 3), (1, 4, 2)], None),
    ("conv2d_transpose_output_padding", "Conv2DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 2}, [], None),
    ("conv2d_transpose_output_padding_negative", "Conv2DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": (1, -1)}, [], None),
    ("conv3d_transpose_filters", "Conv3DTranspose", {"filters": 0, "kernel_size": 3}, [], None),
    ("conv1d_transpose_causal", "Conv1DTranspose",
     {"filters": 2, "kernel_size": 3, "padding": "causal"}, [], None),
    ("conv2d_transpose_strides_dilation", "Conv2DTranspose",
     {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, [], None),
    ("depthwise_conv2d_rank", "DepthwiseConv2D", {"kernel_size": 3}, [(1, 5, 3)], None),
    ("depthwise_conv2d_window", "DepthwiseConv2D", {"kernel_size": 3}, [(1, 2, 2, 3)], None),
    ("depthwise_conv1d_channels_after_build", "DepthwiseConv1D", {"kernel_size": 2},
     [(1, 4, 3), (1, 4, 2)], None),
    ("depthwise_conv2d_multiplier", "DepthwiseConv2D",
     {"kernel_size": 3, "depth_multiplier": 0}, [], None),
    ("depthwise_conv1d_causal", "DepthwiseConv1D", {"kernel_size": 3, "padding": "causal"}, [],
     None),
    ("separable_conv1d_rank", "SeparableConv1D", {"filters": 2, "kernel_size": 3},
     [(2, 5, 3, 1)], None),
    ("separable_conv2d_window", "SeparableConv2D", {"filters": 2, "kernel_size": 3},
     [(1, 2, 4, 3)], None),
    ("separable_conv2d_channels_first_after_build", "SeparableConv2D",
     {"filters": 2, "kernel_size": 1, **CF}, [(1, 3, 4, 4), (1, 2, 4, 4)], None),
    ("separable_conv2d_filters", "SeparableConv2D", {"filters": 0, "kernel_size": 3}, [], None),
    ("separable_conv1d_multiplier", "SeparableConv1D",
     {"filters": 2, "kernel_size": 3, "depth_multiplier": 0}, [], None),
    ("cropping1d_too_much", "Cropping1D", {"cropping": (2, 3)}, [(1, 5, 2)], None),
    ("cropping1d_rank", "Cropping1D", {}, [(1, 5, 2, 3)], None),
    ("cropping2d_too_much", "Cropping2D", {"cropping": ((1, 1), (2, 2))}, [(1, 5, 4, 2)], None),
    ("cropping3d_too_much", "Cropping3D", {}, [(1, 3, 3, 2, 2)], None),
    ("cropping2d_three_entries", "Cropping2D", {"cropping": (1, 2, 3)}, [], None),
    ("cropping2d_negative", "Cropping2D", {"cropping": -1}, [], None),
    ("cropping2d_string", "Cropping2D", {"cropping": "a"}, [], None),
    ("cropping3d_two_entries", "Cropping3D", {"cropping": ((1, 1), (1, 1))}, [], None),
    ("zero_padding2d_three_entries", "ZeroPadding2D", {"padding": (1, 2, 3)}, [], None),
    ("zero_padding1d_negative", "ZeroPadding1D", {"padding": -1}, [], None),
    ("zero_padding2d_rank", "ZeroPadding2D", {}, [(1, 3, 3)], None),
    ("zero_padding3d_rank", "ZeroPadding3D", {}, [(1, 3, 3, 2)], None),
    ("up_sampling1d_float", "UpSampling1D", {"size": 1.5}, [], None),
    ("up_sampling1d_zero", "UpSampling1D", {"size": 0}, [], None),
    ("up_sampling2d_zero", "UpSampling2D", {"size": 0}, [], None),
    ("up_sampling1d_rank", "UpSampling1D", {}, [(1, 3, 3, 1)], None),
    ("up_sampling3d_rank", "UpSampling3D", {}, [(1, 3, 3, 1)], None),
]

CLASSES = [
    "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose", "DepthwiseConv1D",
    "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "Cropping1D", "Cropping2D",
    "Cropping3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D", "UpSampling1D",
    "UpSampling2D", "UpSampling3D",
]
ALIASES = ["Convolution1DTranspose", "Convolution2DTranspose", "Convolution3DTranspose",
           "SeparableConvolution1D", "SeparableConvolution2D"]


if __name__ == "__main__":
    write("keras_layers_conv.json", CASES, ERRORS, CLASSES, aliases=ALIASES)
