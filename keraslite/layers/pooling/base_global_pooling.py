"""BaseGlobalPooling: reduces every spatial dim of a rank 3/4/5 input (max or mean)."""

from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


class BaseGlobalPooling(Layer):
    def __init__(self, pool_dimensions, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.pool_dimensions = pool_dimensions
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.built = True  # no weights; the rank is checked on every call
        self.keepdims = keepdims

    def _spatial_axes(self):
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.pool_dimensions))

    def _check_input(self, input_shape):
        spatial = ", ".join(f"d{i + 1}" for i in range(self.pool_dimensions))
        layout = ("(batch, {}, channels)" if self.data_format == "channels_last"
                  else "(batch, channels, {})").format(spatial)
        conv_utils.check_rank(self, input_shape, self.pool_dimensions + 2, layout=layout)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        input_shape = tuple(input_shape)
        axes = self._spatial_axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config
