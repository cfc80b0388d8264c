"""Generate reference values for the basic layers from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_basic.py

It writes keras_layers_basic.json next to this file:
- "cases": one per layer and option set: the class name and constructor kwargs, the inputs
  (fixed numpy seeds; several for merge layers), optional input masks, the `training` flag,
  the weights (name, shape, trainable, value: seeded arrays loaded with set_weights), and
  Keras' results: output values/shape/dtype, the output mask, the symbolic output shape for
  inputs with an unknown batch size, get_config(), the moving statistics after the call (the
  non-trainable weights returned by stateless_call) and the gradients of sum(output * w)
  (w stored too) with respect to each float input and each weight, from jax.grad over
  Layer.stateless_call.
- "signatures": constructor parameters of each class and of the functional merge helpers;
  "aliases": alternative class names (MaxPool2D, ...) and the class each one names.
- "errors": bad constructor arguments or input shapes, with Keras' exception type and message.

The tests only read the json; they never import keras.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from layer_recorder import F, I, write  # noqa: E402

# (id, class name, kwargs, input specs (a list means a list input), options)
# options: training (passed to call), masks (one per input, True: a random time mask over the
# first two axes), w_scale.
CASES = [
    # core
    ("embedding", "Embedding", {"input_dim": 6, "output_dim": 3}, I(6, 2, 5), {}),
    ("embedding_mask_zero", "Embedding",
     {"input_dim": 7, "output_dim": 4, "mask_zero": True, "embeddings_regularizer": "l2"},
     I(7, 3, 4), {}),
    ("embedding_rank3", "Embedding", {"input_dim": 5, "output_dim": 2}, I(5, 2, 3, 2), {}),
    ("embedding_lora", "Embedding",
     {"input_dim": 6, "output_dim": 3, "lora_rank": 2, "lora_alpha": 4}, I(6, 2, 5), {}),
    ("identity", "Identity", {}, F(2, 3, 4), {}),
    ("dense", "Dense", {"units": 3, "activation": "relu"}, F(4, 5), {}),
    ("dense_rank3_nobias", "Dense",
     {"units": 2, "use_bias": False, "kernel_regularizer": "l2"}, F(2, 3, 4), {}),
    ("dense_lora", "Dense", {"units": 3, "lora_rank": 2}, F(4, 5), {}),
    ("activation", "Activation", {"activation": "tanh"}, F(2, 3, 4), {}),
    ("dropout_inference", "Dropout", {"rate": 0.5}, F(3, 4), {}),
    ("dropout_training_rate0", "Dropout", {"rate": 0.0, "seed": 3}, F(3, 4), {"training": True}),
    ("flatten", "Flatten", {}, F(2, 3, 4), {}),
    ("flatten_channels_first", "Flatten", {"data_format": "channels_first"}, F(2, 3, 4, 2), {}),
    # convolutional
    ("conv1d", "Conv1D", {"filters": 4, "kernel_size": 3}, F(2, 7, 3), {}),
    ("conv1d_same_strides", "Conv1D",
     {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, F(2, 8, 3), {}),
    ("conv1d_causal_dilation", "Conv1D",
     {"filters": 3, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, F(2, 9, 2), {}),
    ("conv1d_channels_first", "Conv1D",
     {"filters": 3, "kernel_size": 2, "data_format": "channels_first", "activation": "relu"},
     F(2, 4, 6), {}),
    ("conv1d_causal_channels_first", "Conv1D",
     {"filters": 2, "kernel_size": 3, "padding": "causal", "data_format": "channels_first"},
     F(2, 3, 6), {}),
    ("conv1d_groups_nobias", "Conv1D",
     {"filters": 4, "kernel_size": 2, "groups": 2, "use_bias": False,
      "kernel_regularizer": "l2", "bias_constraint": "non_neg"}, F(2, 6, 4), {}),
    ("conv1d_lora", "Conv1D", {"filters": 3, "kernel_size": 2, "lora_rank": 2}, F(2, 5, 3), {}),
    ("conv2d", "Conv2D", {"filters": 3, "kernel_size": 3}, F(2, 6, 5, 2), {}),
    ("conv2d_same_strides", "Conv2D",
     {"filters": 2, "kernel_size": (3, 2), "strides": (2, 1), "padding": "same",
      "activation": "tanh"}, F(2, 7, 5, 3), {}),
    ("conv2d_dilation", "Conv2D",
     {"filters": 2, "kernel_size": 2, "dilation_rate": (2, 1)}, F(1, 6, 6, 2), {}),
    ("conv2d_channels_first", "Conv2D",
     {"filters": 4, "kernel_size": 3, "padding": "same", "data_format": "channels_first"},
     F(2, 3, 5, 4), {}),
    ("conv2d_groups", "Conv2D", {"filters": 6, "kernel_size": 2, "groups": 3}, F(2, 4, 4, 3), {}),
    ("conv3d", "Conv3D", {"filters": 2, "kernel_size": 2}, F(2, 4, 3, 5, 2), {}),
    ("conv3d_same_strides", "Conv3D",
     {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"}, F(1, 5, 4, 6, 2), {}),
    ("conv3d_channels_first", "Conv3D",
     {"filters": 2, "kernel_size": (2, 1, 2), "data_format": "channels_first",
      "use_bias": False}, F(2, 3, 4, 3, 4), {}),
    # pooling
    ("max_pooling1d", "MaxPooling1D", {}, F(2, 7, 3), {}),
    ("max_pooling1d_same", "MaxPooling1D",
     {"pool_size": 3, "strides": 2, "padding": "same"}, F(2, 8, 3), {}),
    ("max_pooling1d_channels_first", "MaxPooling1D",
     {"pool_size": 2, "strides": 1, "data_format": "channels_first"}, F(2, 3, 6), {}),
    ("max_pooling2d", "MaxPooling2D", {}, F(2, 5, 6, 3), {}),
    ("max_pooling2d_same", "MaxPooling2D",
     {"pool_size": (3, 2), "strides": (2, 1), "padding": "same"}, F(2, 5, 5, 2), {}),
    ("max_pooling2d_channels_first", "MaxPooling2D",
     {"pool_size": 2, "data_format": "channels_first"}, F(2, 3, 4, 6), {}),
    ("max_pooling3d", "MaxPooling3D", {}, F(2, 4, 5, 4, 2), {}),
    ("max_pooling3d_same", "MaxPooling3D",
     {"pool_size": 3, "strides": 2, "padding": "same"}, F(1, 5, 4, 5, 2), {}),
    ("average_pooling1d", "AveragePooling1D", {"pool_size": 2}, F(2, 7, 3), {}),
    ("average_pooling1d_same", "AveragePooling1D",
     {"pool_size": 3, "strides": 2, "padding": "same"}, F(2, 8, 3), {}),
    ("average_pooling2d", "AveragePooling2D", {"pool_size": 2}, F(2, 5, 6, 3), {}),
    ("average_pooling2d_same", "AveragePooling2D",
     {"pool_size": 3, "strides": 2, "padding": "same"}, F(2, 5, 6, 2), {}),
    ("average_pooling2d_channels_first", "AveragePooling2D",
     {"pool_size": (2, 3), "data_format": "channels_first"}, F(2, 3, 4, 6), {}),
    ("average_pooling3d", "AveragePooling3D", {"pool_size": (2, 2, 2)}, F(2, 4, 5, 4, 2),
     {}),
    ("average_pooling3d_same", "AveragePooling3D",
     {"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"},
     F(1, 2, 3, 4, 3), {}),
    ("global_average_pooling1d", "GlobalAveragePooling1D", {}, F(2, 5, 3), {}),
    ("global_average_pooling1d_keepdims", "GlobalAveragePooling1D",
     {"keepdims": True, "data_format": "channels_first"}, F(2, 3, 5), {}),
    ("global_average_pooling1d_mask", "GlobalAveragePooling1D", {}, F(3, 5, 2),
     {"masks": [True]}),
    ("global_average_pooling1d_mask_channels_first", "GlobalAveragePooling1D",
     {"data_format": "channels_first", "keepdims": True}, F(3, 2, 5), {"masks": ["cf"]}),
    ("global_average_pooling2d", "GlobalAveragePooling2D", {}, F(2, 4, 5, 3), {}),
    ("global_average_pooling2d_keepdims_cf", "GlobalAveragePooling2D",
     {"keepdims": True, "data_format": "channels_first"}, F(2, 3, 4, 5), {}),
    ("global_average_pooling3d", "GlobalAveragePooling3D", {"keepdims": True},
     F(2, 3, 4, 2, 3), {}),
    ("global_max_pooling1d", "GlobalMaxPooling1D", {}, F(2, 5, 3), {}),
    ("global_max_pooling1d_cf", "GlobalMaxPooling1D",
     {"data_format": "channels_first", "keepdims": True}, F(2, 3, 5), {}),
    ("global_max_pooling2d", "GlobalMaxPooling2D", {"keepdims": True}, F(2, 4, 5, 3), {}),
    ("global_max_pooling3d", "GlobalMaxPooling3D", {"data_format": "channels_first"},
     F(2, 3, 4, 2, 3), {}),
    # normalization
    ("batch_norm_inference", "BatchNormalization", {}, F(4, 3), {}),
    ("batch_norm_training", "BatchNormalization", {}, F(5, 3), {"training": True}),
    ("batch_norm_training_axis1", "BatchNormalization",
     {"axis": 1, "momentum": 0.9, "epsilon": 0.01}, F(3, 4, 2, 3), {"training": True}),
    ("batch_norm_inference_axis1", "BatchNormalization", {"axis": 1}, F(3, 4, 5), {}),
    ("batch_norm_no_center_scale", "BatchNormalization",
     {"center": False, "scale": False, "gamma_regularizer": "l2", "beta_constraint": "non_neg"},
     F(4, 2, 3), {"training": True}),
    ("batch_norm_no_scale_inference", "BatchNormalization", {"scale": False}, F(4, 3), {}),
    ("batch_norm_masked", "BatchNormalization", {}, F(3, 5, 2), {"training": True,
                                                                  "masks": [True]}),
    ("batch_norm_renorm", "BatchNormalization",
     {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.5, "dmax": 0.3},
      "renorm_momentum": 0.8}, F(6, 3), {"training": True}),
    ("batch_norm_renorm_inference", "BatchNormalization", {"renorm": True}, F(4, 3), {}),
    ("layer_norm", "LayerNormalization", {}, F(3, 5), {}),
    ("layer_norm_rank3", "LayerNormalization", {"epsilon": 0.1}, F(2, 3, 4), {}),
    ("layer_norm_multi_axis", "LayerNormalization", {"axis": [1, 2]}, F(2, 3, 4), {}),
    ("layer_norm_axis1", "LayerNormalization", {"axis": 1}, F(2, 3, 4), {}),
    ("layer_norm_no_center", "LayerNormalization", {"center": False}, F(3, 4), {}),
    ("layer_norm_no_scale", "LayerNormalization",
     {"scale": False, "beta_regularizer": "l1"}, F(3, 4), {}),
    ("layer_norm_rms_scaling", "LayerNormalization", {"rms_scaling": True}, F(3, 4), {}),
    # reshaping
    ("reshape", "Reshape", {"target_shape": (3, 4)}, F(2, 12), {}),
    ("reshape_infer", "Reshape", {"target_shape": (-1, 2)}, F(2, 3, 4), {}),
    ("permute", "Permute", {"dims": (2, 1)}, F(2, 3, 4), {}),
    ("permute_rank4", "Permute", {"dims": (3, 1, 2)}, F(2, 3, 4, 5), {}),
    ("repeat_vector", "RepeatVector", {"n": 3}, F(2, 4), {}),
    # merging
    ("add", "Add", {}, [F(2, 3, 4), F(2, 3, 4)], {}),
    ("add_three", "Add", {}, [F(2, 4), F(2, 4), F(2, 4)], {}),
    ("add_broadcast", "Add", {}, [F(2, 3, 4), F(2, 4)], {}),
    ("add_masked", "Add", {}, [F(3, 4, 2), F(3, 4, 2)], {"masks": [True, True]}),
    ("subtract", "Subtract", {}, [F(2, 5), F(2, 5)], {}),
    ("multiply", "Multiply", {}, [F(2, 3, 4), F(2, 3, 4), F(2, 3, 4)], {}),
    ("multiply_masked", "Multiply", {}, [F(3, 4, 2), F(3, 4, 2)], {"masks": [True, True]}),
    ("multiply_one_mask", "Multiply", {}, [F(3, 4, 2), F(3, 4, 2)], {"masks": [True, None]}),
    ("average", "Average", {}, [F(2, 3, 4), F(2, 3, 4)], {}),
    ("maximum", "Maximum", {}, [F(2, 3, 4), F(2, 3, 4), F(2, 3, 4)], {}),
    ("maximum_masked", "Maximum", {}, [F(3, 4, 2), F(3, 4, 2)], {"masks": [True, True]}),
    ("minimum", "Minimum", {}, [F(2, 5), F(2, 5)], {}),
    ("minimum_masked", "Minimum", {}, [F(3, 4, 2), F(3, 4, 2)], {"masks": [True, None]}),
    ("concatenate", "Concatenate", {}, [F(2, 3, 4), F(2, 3, 2)], {}),
    ("concatenate_axis1", "Concatenate", {"axis": 1}, [F(2, 3, 4), F(2, 5, 4), F(2, 1, 4)], {}),
    ("concatenate_masked", "Concatenate", {}, [F(3, 4, 2), F(3, 4, 3)],
     {"masks": [True, None]}),
    ("dot", "Dot", {"axes": 1}, [F(3, 4), F(3, 4)], {}),
    ("dot_normalize", "Dot", {"axes": -1, "normalize": True}, [F(3, 4), F(3, 4)], {}),
    ("dot_3d", "Dot", {"axes": (2, 2)}, [F(2, 3, 4), F(2, 5, 4)], {}),
    ("dot_3d_axes", "Dot", {"axes": (1, 2)}, [F(2, 4, 3), F(2, 5, 4)], {}),
    ("dot_3d_2d", "Dot", {"axes": (2, 1)}, [F(2, 3, 4), F(2, 4)], {}),
]

# (id, class name, kwargs, input shapes of successive calls (none: constructor error),
#  override of the exception type keraslite raises when Keras' type is an accident)
ERRORS = [
    ("conv2d_rank", "Conv2D", {"filters": 2, "kernel_size": 3}, [(2, 5, 3)], None),
    ("conv1d_rank", "Conv1D", {"filters": 2, "kernel_size": 3}, [(2, 5)], None),
    ("conv3d_rank", "Conv3D", {"filters": 2, "kernel_size": 1}, [(2, 5, 3, 2)], None),
    ("conv1d_groups_channels", "Conv1D", {"filters": 2, "kernel_size": 3, "groups": 2},
     [(2, 5, 3)], None),
    ("conv2d_channels_after_build", "Conv2D", {"filters": 2, "kernel_size": 3},
     [(1, 5, 5, 3), (1, 5, 5, 4)], None),
    ("conv2d_channels_first_after_build", "Conv2D",
     {"filters": 2, "kernel_size": 1, "data_format": "channels_first"},
     [(1, 3, 5, 5), (1, 4, 5, 5)], None),
    ("conv1d_filters", "Conv1D", {"filters": 0, "kernel_size": 3}, [], None),
    ("conv1d_filters_groups", "Conv1D", {"filters": 3, "kernel_size": 3, "groups": 2}, [], None),
    ("conv1d_groups_zero", "Conv1D", {"filters": 3, "kernel_size": 3, "groups": 0}, [], None),
    ("conv2d_causal", "Conv2D", {"filters": 2, "kernel_size": 3, "padding": "causal"}, [], None),
    ("conv1d_padding", "Conv1D", {"filters": 2, "kernel_size": 3, "padding": "full"}, [], None),
    ("conv1d_strides_dilation", "Conv1D",
     {"filters": 2, "kernel_size": 3, "strides": 2, "dilation_rate": 2}, [], None),
    ("conv1d_kernel_zero", "Conv1D", {"filters": 2, "kernel_size": 0}, [], None),
    ("conv2d_kernel_len", "Conv2D", {"filters": 2, "kernel_size": (3, 3, 3)}, [], None),
    ("conv2d_data_format", "Conv2D", {"filters": 2, "kernel_size": 3, "data_format": "nhwc"},
     [], None),
    ("max_pooling2d_rank", "MaxPooling2D", {}, [(2, 5, 3)], None),
    ("max_pooling1d_rank", "MaxPooling1D", {}, [(2, 5, 3, 3)], None),
    ("average_pooling3d_rank", "AveragePooling3D", {"pool_size": 2}, [(2, 5, 3, 3)], None),
    ("global_average_pooling2d_rank", "GlobalAveragePooling2D", {}, [(2, 5, 3)], None),
    ("global_max_pooling1d_rank", "GlobalMaxPooling1D", {}, [(2, 5)], None),
    ("pooling_data_format", "MaxPooling1D", {"data_format": "x"}, [], None),
    ("batch_norm_channels_after_build", "BatchNormalization", {}, [(2, 3), (2, 4)], None),
    ("batch_norm_axis", "BatchNormalization", {"axis": 3}, [(2, 3, 4)], "ValueError"),
    ("batch_norm_renorm_clipping", "BatchNormalization",
     {"renorm": True, "renorm_clipping": {"a": 1}}, [], None),
    ("layer_norm_axis", "LayerNormalization", {"axis": 3}, [(2, 3, 4)], "ValueError"),
    ("layer_norm_channels_after_build", "LayerNormalization", {}, [(2, 3), (2, 4)],
     "ValueError"),
    ("layer_norm_axis_type", "LayerNormalization", {"axis": "a"}, [], None),
    ("embedding_input_dim", "Embedding", {"input_dim": 0, "output_dim": 3}, [], None),
    ("embedding_output_dim", "Embedding", {"input_dim": 3, "output_dim": 2.0}, [], None),
    ("reshape_size", "Reshape", {"target_shape": (5, 3)}, [(2, 12)], None),
    ("reshape_indivisible", "Reshape", {"target_shape": (5, -1)}, [(2, 12)], None),
    ("reshape_two_unknown", "Reshape", {"target_shape": (-1, -1)}, [], None),
    ("permute_dims", "Permute", {"dims": (1, 3)}, [], None),
    ("permute_rank", "Permute", {"dims": (2, 1)}, [(2, 3, 4, 5)], None),
    ("repeat_vector_rank", "RepeatVector", {"n": 3}, [(2, 3, 4)], None),
    ("repeat_vector_zero", "RepeatVector", {"n": 0}, [], None),
    ("repeat_vector_float", "RepeatVector", {"n": 1.5}, [], None),
    ("concatenate_shapes", "Concatenate", {}, [[(2, 3, 4), (2, 5, 4)]], None),
    ("concatenate_not_list", "Concatenate", {}, [(2, 3)], None),
    ("dot_shapes", "Dot", {"axes": 1}, [[(2, 3), (2, 4)]], None),
    ("dot_three_inputs", "Dot", {"axes": 1}, [[(2, 3), (2, 3), (2, 3)]], None),
    ("dot_axes_type", "Dot", {"axes": "a"}, [], None),
    ("dot_axes_len", "Dot", {"axes": (1, 2, 3)}, [], None),
    ("add_shapes", "Add", {}, [[(2, 3), (2, 4)]], None),
    ("add_batch", "Add", {}, [[(2, 3), (3, 3)]], None),
    ("add_not_list", "Add", {}, [(2, 3)], None),
    ("subtract_three", "Subtract", {}, [[(2, 3), (2, 3), (2, 3)]], None),
]


CLASSES = [
    "Embedding", "Identity", "Dense", "Activation", "Dropout", "Flatten", "Conv1D", "Conv2D", "Conv3D", "MaxPooling1D", "MaxPooling2D",
    "MaxPooling3D", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D",
    "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
    "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "BatchNormalization",
    "LayerNormalization", "Reshape", "Permute", "RepeatVector", "Add", "Multiply", "Subtract",
    "Average", "Maximum", "Minimum", "Concatenate", "Dot",
]
FUNCTIONS = ["add", "multiply", "subtract", "average", "maximum", "minimum", "concatenate", "dot"]
ALIASES = ["Convolution1D", "Convolution2D", "Convolution3D", "MaxPool1D", "MaxPool2D",
           "MaxPool3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAvgPool1D",
           "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D",
           "GlobalMaxPool3D"]


if __name__ == "__main__":
    write("keras_layers_basic.json", CASES, ERRORS, CLASSES, FUNCTIONS, ALIASES)
