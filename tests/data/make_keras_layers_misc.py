"""Generate reference values for the activation, regularization (noise, dropout) and extra
normalization layers from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_misc.py

It writes keras_layers_misc.json next to this file (see layer_recorder.py for what each case
records). The random layers (GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout*) are
recorded at inference only, where they are the identity: their training draws depend on each
backend's generator, so tests/test_layers_misc.py checks those by their statistics.

SpectralNormalization wraps a layer, which a JSON case cannot hold: its cases give the wrapped
layer as a serialized config, and the class registered under that name for the run
(SpectralNormalizationOfConfig below; the test module resolves the name the same way)
deserializes it first. Its recorded config leaves out what keraslite's serializer writes
differently for any nested layer (as tests/test_layers_rnn.py's normalize_config does): Keras'
`build_config`, and the dtype policy's module, written as 'keras.dtype_policies' by keraslite.

The tests only read the json; they never import keras.
"""

import inspect
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from layer_recorder import F, keras, write  # noqa: E402


def dense(units):
    return {"module": "keras.layers", "class_name": "Dense",
            "config": {"units": units, "name": "inner"}, "registered_name": None}


def conv2d(filters, kernel_size):
    return {"module": "keras.layers", "class_name": "Conv2D",
            "config": {"filters": filters, "kernel_size": kernel_size, "name": "inner"},
            "registered_name": None}


_SPECTRAL = keras.layers.SpectralNormalization


class SpectralNormalizationOfConfig(_SPECTRAL):
    """Keras' SpectralNormalization taking the wrapped layer as a serialized config."""

    def __init__(self, layer, power_iterations=1, **kwargs):
        if isinstance(layer, dict):
            layer = keras.layers.deserialize(layer)
        super().__init__(layer, power_iterations=power_iterations, **kwargs)

    def get_config(self):
        config = super().get_config()
        inner = config["layer"]
        inner.pop("build_config", None)
        inner["config"]["dtype"]["module"] = "keras.dtype_policies"
        return config


assert (inspect.signature(SpectralNormalizationOfConfig.__init__)
        == inspect.signature(_SPECTRAL.__init__))
keras.layers.SpectralNormalization = SpectralNormalizationOfConfig

TRAIN = {"training": True}

# (id, class name, kwargs, input specs, options); see make_keras_layers_basic.py
CASES = [
    # activations
    ("relu", "ReLU", {}, F(2, 3, 4), {}),
    ("relu_all_args", "ReLU", {"max_value": 1.0, "negative_slope": 0.2, "threshold": 0.3},
     F(3, 5), {}),
    ("relu_max_value", "ReLU", {"max_value": 0.5}, F(3, 4, 2), {}),
    ("leaky_relu", "LeakyReLU", {}, F(2, 6), {}),
    ("leaky_relu_slope", "LeakyReLU", {"negative_slope": 0.05}, F(2, 3, 2), {}),
    ("prelu", "PReLU", {}, F(2, 3, 4), {}),
    ("prelu_shared_axes", "PReLU",
     {"shared_axes": [1, 2], "alpha_initializer": "ones", "alpha_regularizer": "l2",
      "alpha_constraint": "non_neg"}, F(2, 3, 4, 2), {}),
    ("prelu_shared_int", "PReLU", {"shared_axes": 1}, F(3, 4, 2), {}),
    ("elu", "ELU", {}, F(2, 5), {}),
    ("elu_alpha", "ELU", {"alpha": 0.5}, F(2, 3, 2), {}),
    ("softmax", "Softmax", {}, F(2, 5), {}),
    ("softmax_axis1", "Softmax", {"axis": 1}, F(2, 3, 4), {}),
    ("softmax_two_axes", "Softmax", {"axis": (1, 2)}, F(2, 3, 4), {}),
    ("softmax_one_axis_list", "Softmax", {"axis": [-2]}, F(2, 3, 4), {}),
    ("softmax_masked", "Softmax", {}, F(3, 5), {"masks": [True]}),
    # regularization (random layers: inference, the identity)
    ("gaussian_noise", "GaussianNoise", {"stddev": 0.1, "seed": 3}, F(2, 3, 4), {}),
    ("gaussian_noise_zero_training", "GaussianNoise", {"stddev": 0.0}, F(2, 3), TRAIN),
    ("gaussian_dropout", "GaussianDropout", {"rate": 0.3, "seed": 1}, F(2, 3, 4), {}),
    ("gaussian_dropout_zero_training", "GaussianDropout", {"rate": 0}, F(2, 3), TRAIN),
    ("alpha_dropout", "AlphaDropout", {"rate": 0.2, "noise_shape": [None, 1, 4], "seed": 5},
     F(2, 3, 4), {}),
    ("alpha_dropout_zero_training", "AlphaDropout", {"rate": 0.0}, F(2, 3), TRAIN),
    ("spatial_dropout1d", "SpatialDropout1D", {"rate": 0.5, "seed": 2}, F(2, 3, 4), {}),
    ("spatial_dropout2d", "SpatialDropout2D", {"rate": 0.4}, F(2, 3, 4, 2), {}),
    ("spatial_dropout2d_channels_first", "SpatialDropout2D",
     {"rate": 0.4, "data_format": "channels_first"}, F(1, 2, 3, 4), {}),
    ("spatial_dropout3d", "SpatialDropout3D", {"rate": 0.1, "data_format": "channels_last"},
     F(1, 2, 3, 2, 3), {}),
    ("spatial_dropout1d_zero_training", "SpatialDropout1D", {"rate": 0}, F(2, 3, 4), TRAIN),
    ("activity_regularization", "ActivityRegularization", {"l1": 0.01, "l2": 0.02}, F(2, 3),
     {}),
    # normalization
    ("group_norm", "GroupNormalization", {"groups": 2}, F(2, 3, 4), {}),
    ("group_norm_axis1", "GroupNormalization", {"groups": 3, "axis": 1, "epsilon": 0.01},
     F(2, 6, 5), {}),
    ("group_norm_middle_axis", "GroupNormalization", {"groups": 2, "axis": 2},
     F(2, 3, 4, 2), {}),
    ("group_norm_instance", "GroupNormalization", {"groups": -1, "center": False},
     F(2, 3, 3), {}),
    ("group_norm_one_group", "GroupNormalization",
     {"groups": 1, "scale": False, "beta_regularizer": "l2", "gamma_constraint": "non_neg"},
     F(2, 2, 2, 4), {}),
    ("unit_norm", "UnitNormalization", {}, F(2, 5), {}),
    ("unit_norm_axis1", "UnitNormalization", {"axis": 1}, F(2, 3, 4), {}),
    ("unit_norm_two_axes", "UnitNormalization", {"axis": (1, 2)}, F(2, 3, 4), {}),
    ("rms_norm", "RMSNormalization", {}, F(2, 5), {}),
    ("rms_norm_two_axes", "RMSNormalization", {"axis": [2, 1], "epsilon": 0.1}, F(2, 3, 4),
     {}),
    ("spectral_norm_dense", "SpectralNormalization", {"layer": dense(3)}, F(2, 4), {}),
    ("spectral_norm_dense_training", "SpectralNormalization", {"layer": dense(3)}, F(3, 4),
     TRAIN),
    ("spectral_norm_conv2d_training", "SpectralNormalization",
     {"layer": conv2d(2, 2), "power_iterations": 3}, F(2, 4, 4, 3), TRAIN),
]

# (id, class name, kwargs, input shapes of successive calls (none: constructor error),
#  override of the exception type keraslite raises when Keras' type is an accident)
ERRORS = [
    ("relu_max_value", "ReLU", {"max_value": -1.0}, [], None),
    ("relu_negative_slope", "ReLU", {"negative_slope": -0.1}, [], None),
    ("relu_threshold", "ReLU", {"threshold": None}, [], None),
    ("leaky_relu_slope", "LeakyReLU", {"negative_slope": -1}, [], None),
    ("prelu_shape_after_build", "PReLU", {}, [(2, 3), (2, 4)], None),
    ("prelu_rank_after_build", "PReLU", {}, [(2, 3), (2, 3, 1)], None),
    ("prelu_shared_axes_range", "PReLU", {"shared_axes": [3]}, [(2, 3)], "ValueError"),
    ("gaussian_noise_stddev", "GaussianNoise", {"stddev": 2}, [], None),
    ("gaussian_dropout_rate", "GaussianDropout", {"rate": 1.5}, [], None),
    ("alpha_dropout_rate", "AlphaDropout", {"rate": -0.1}, [], None),
    ("spatial_dropout1d_rate", "SpatialDropout1D", {"rate": 1.5}, [], None),
    ("spatial_dropout1d_rank", "SpatialDropout1D", {"rate": 0.5}, [(2, 3, 4, 5)], None),
    ("spatial_dropout2d_rank", "SpatialDropout2D", {"rate": 0.5}, [(2, 3, 4)], None),
    ("spatial_dropout3d_rank", "SpatialDropout3D", {"rate": 0.5}, [(2, 3, 4, 5)], None),
    ("spatial_dropout2d_data_format", "SpatialDropout2D", {"rate": 0.5, "data_format": "x"},
     [], None),
    ("activity_regularization_l1", "ActivityRegularization", {"l1": -1}, [], None),
    ("group_norm_groups_zero", "GroupNormalization", {"groups": 0}, [], None),
    ("group_norm_groups_float", "GroupNormalization", {"groups": 2.0}, [], None),
    ("group_norm_indivisible", "GroupNormalization", {"groups": 3}, [(2, 4)], None),
    ("group_norm_too_many_groups", "GroupNormalization", {"groups": 8}, [(2, 4)], None),
    ("group_norm_axis", "GroupNormalization", {"groups": 2, "axis": 3}, [(2, 4)],
     "ValueError"),
    ("group_norm_channels_after_build", "GroupNormalization", {"groups": 2},
     [(2, 4), (2, 6)], None),
    ("group_norm_rank_after_build", "GroupNormalization", {"groups": 2},
     [(2, 4), (2, 3, 4)], None),
    ("unit_norm_axis_type", "UnitNormalization", {"axis": "a"}, [], None),
    ("unit_norm_axis_range", "UnitNormalization", {"axis": 3}, [(2, 3)], None),
    ("rms_norm_axis_range", "RMSNormalization", {"axis": 3}, [(2, 3)], "ValueError"),
    ("rms_norm_size_after_build", "RMSNormalization", {}, [(2, 4), (2, 6)], None),
    ("spectral_norm_power_iterations", "SpectralNormalization",
     {"layer": dense(2), "power_iterations": 0}, [], None),
    ("spectral_norm_not_a_layer", "SpectralNormalization", {"layer": "dense"}, [], None),
    ("spectral_norm_no_kernel", "SpectralNormalization",
     {"layer": {"module": "keras.layers", "class_name": "ReLU", "config": {},
                "registered_name": None}}, [(2, 3)], None),
    ("spectral_norm_channels_after_build", "SpectralNormalization", {"layer": dense(2)},
     [(2, 3), (2, 4)], None),
]

CLASSES = [
    "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax", "GaussianNoise", "GaussianDropout",
    "AlphaDropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
    "ActivityRegularization", "GroupNormalization", "UnitNormalization", "RMSNormalization",
    "SpectralNormalization",
]


if __name__ == "__main__":
    write("keras_layers_misc.json", CASES, ERRORS, CLASSES)
