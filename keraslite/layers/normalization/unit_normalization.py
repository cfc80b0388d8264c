"""UnitNormalization: scale each sample to unit L2 norm over `axis` (an int or several axes)."""

from keraslite import ops
from keraslite.layers.layer import Layer


class UnitNormalization(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int):
            self.axis = axis
        else:
            raise TypeError(f"UnitNormalization '{self.name}': `axis` must be an int or a "
                            f"list/tuple of ints. Received axis={axis!r}")
        self.supports_masking = True
        self.built = True

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -len(input_shape) <= a < len(input_shape) for a in axes):
            raise ValueError(f"UnitNormalization '{self.name}': axis={self.axis} is out of "
                             f"range for input shape {input_shape}.")

    def call(self, inputs):
        self._check_input(inputs.shape)
        # x / max(||x||, 1e-12) with ||x|| the L2 norm over all of `axis` together. Written out
        # because ops.normalize takes a matrix norm for two axes on some backends.
        square_sum = ops.sum(ops.square(inputs), axis=self.axis, keepdims=True)
        return ops.multiply(inputs, ops.minimum(ops.rsqrt(square_sum), 1e12))

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
