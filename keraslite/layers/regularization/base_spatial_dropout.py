"""The shared part of SpatialDropout1D/2D/3D: Dropout of whole channels. In training each
(sample, channel) pair is kept or zeroed as a block over every step/pixel/voxel, the kept ones
rescaled by 1/(1-rate)."""

from keraslite.layers.convolutional import conv_utils
from keraslite.layers.regularization.dropout import Dropout


class BaseSpatialDropout(Dropout):
    rank = None  # number of spatial axes, set by the subclasses

    def __init__(self, rate, seed=None, name=None, dtype=None, data_format="channels_last"):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = conv_utils.normalize_data_format(data_format)

    def _check_rank(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"{type(self).__name__} '{self.name}' expects inputs of rank "
                             f"{self.rank + 2} (batch, {self.rank} spatial axes and channels); "
                             f"received input shape {input_shape}.")

    def call(self, inputs, training=False):
        self._check_rank(inputs.shape)
        return super().call(inputs, training=training)

    def _noise_shape(self, inputs):
        # one draw per sample and channel, broadcast over the spatial axes
        shape = [1] * (self.rank + 2)
        channel = conv_utils.channel_axis(self.data_format)
        shape[0], shape[channel] = inputs.shape[0], inputs.shape[channel]
        return tuple(shape)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        # Keras writes only these keys (dtype as the variable dtype's name, no `trainable`)
        config = {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": self.dtype}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config
