"""BaseZeroPadding: adds (before, after) zeros to each spatial dim; the base of ZeroPadding1D,
ZeroPadding2D and ZeroPadding3D."""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


class BaseZeroPadding(Layer):
    def __init__(self, rank, padding, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = conv_utils.normalize_data_format(data_format)
        if rank == 1:  # Keras keeps ZeroPadding1D's padding as one (before, after) pair
            self.padding = conv_utils.normalize_tuple(padding, 2, "padding", allow_zero=True)
            self._pairs = (self.padding,)
        else:
            self.padding = self._pairs = conv_utils.normalize_pairs(padding, rank, "padding")

    def _check_input(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2,
                              layout=conv_utils.layout(self.rank, self.data_format))

    def build(self, input_shape):
        self._check_input(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        pad_width = [(0, 0)] * (self.rank + 2)
        for axis, pair in zip(conv_utils.spatial_axes(self.rank, self.data_format), self._pairs):
            pad_width[axis] = pair
        return ops.pad(inputs, pad_width)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        output_shape = list(input_shape)
        for axis, pair in zip(conv_utils.spatial_axes(self.rank, self.data_format), self._pairs):
            if output_shape[axis] is not None:
                output_shape[axis] += sum(pair)
        return tuple(output_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config
