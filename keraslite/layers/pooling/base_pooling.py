"""BasePooling: max or average pooling over the spatial dims of rank 3/4/5 inputs."""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


class BasePooling(Layer):
    def __init__(self, pool_size, strides, pool_dimensions, pool_mode="max", padding="valid",
                 data_format=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_dimensions = pool_dimensions
        self.pool_size = conv_utils.normalize_tuple(pool_size, pool_dimensions, "pool_size")
        strides = pool_size if strides is None else strides
        # Keras accepts 0 here; kept so configs load the same way
        self.strides = conv_utils.normalize_tuple(strides, pool_dimensions, "strides",
                                                  allow_zero=True)
        self.pool_mode = pool_mode
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.built = True  # no weights; the rank is checked on every call

    def _check_input(self, input_shape):
        spatial = ", ".join(f"d{i + 1}" for i in range(self.pool_dimensions))
        layout = ("(batch, {}, channels)" if self.data_format == "channels_last"
                  else "(batch, channels, {})").format(spatial)
        conv_utils.check_rank(self, input_shape, self.pool_dimensions + 2, layout=layout)

    def call(self, inputs):
        self._check_input(inputs.shape)
        pool = ops.max_pool if self.pool_mode == "max" else ops.average_pool
        return pool(inputs, pool_size=self.pool_size, strides=self.strides,
                    padding=self.padding, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        channels = input_shape[conv_utils.channel_axis(self.data_format)]
        return conv_utils.windowed_shape(self, input_shape, channels, self.pool_size,
                                         self.strides, self.padding)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config
