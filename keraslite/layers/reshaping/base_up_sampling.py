"""BaseUpSampling: repeats each entry of the spatial dims `size` times; the base of
UpSampling1D, UpSampling2D and UpSampling3D."""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


class BaseUpSampling(Layer):
    def __init__(self, rank, size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.size = conv_utils.normalize_tuple(size, rank, "size")

    def _check_input(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2,
                              layout=conv_utils.layout(self.rank, self.data_format))

    def build(self, input_shape):
        self._check_input(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        x = inputs
        for axis, factor in zip(conv_utils.spatial_axes(self.rank, self.data_format), self.size):
            x = ops.repeat(x, factor, axis=axis)
        return x

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        output_shape = list(input_shape)
        for axis, factor in zip(conv_utils.spatial_axes(self.rank, self.data_format), self.size):
            if output_shape[axis] is not None:
                output_shape[axis] *= factor
        return tuple(output_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format})
        return config
