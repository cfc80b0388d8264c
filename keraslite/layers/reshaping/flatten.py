"""Flatten: (batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""

import math

from keraslite import ops
from keraslite.layers.layer import Layer


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        from keraslite import config

        self.data_format = data_format or config.image_data_format()

    def call(self, inputs):
        x = inputs
        if self.data_format == "channels_first" and len(x.shape) > 2:
            x = ops.moveaxis(x, 1, -1)  # flatten in channels_last order, as Keras does
        return ops.reshape(x, (ops.shape(x)[0], -1))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config
