"""Reshape: (batch, ...) -> (batch, *target_shape); one entry of target_shape may be -1."""

import math

from keraslite import ops
from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer


class Reshape(Layer):
    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if any(not isinstance(d, int) or isinstance(d, bool) or (d <= 0 and d != -1)
               for d in target_shape):
            raise ValueError(f"Reshape '{self.name}': `target_shape` entries must be positive "
                             f"ints or -1. Received target_shape={target_shape}.")
        if target_shape.count(-1) > 1:
            raise ValueError(f"Reshape '{self.name}': `target_shape` may hold at most one -1 "
                             f"(unknown) entry. Received target_shape={target_shape}.")
        self.target_shape = target_shape
        self.built = True  # nothing to create

    def _resolve(self, input_shape):
        """target_shape with -1 replaced by its size when the input's sizes are known."""
        input_shape = tuple(input_shape)
        sample = input_shape[1:]
        known = math.prod(d for d in self.target_shape if d != -1)
        if any(d is None for d in sample):
            return tuple(None if d == -1 else d for d in self.target_shape)
        size = math.prod(sample)
        if -1 in self.target_shape:
            if size % known:
                raise ValueError(f"Reshape '{self.name}': cannot reshape input shape "
                                 f"{input_shape} to target_shape {self.target_shape}: "
                                 f"{size} values per sample are not divisible by {known}.")
            return tuple(size // known if d == -1 else d for d in self.target_shape)
        if size != known:
            raise ValueError(f"Reshape '{self.name}': cannot reshape input shape {input_shape} "
                             f"to target_shape {self.target_shape}: {size} values per sample "
                             f"versus {known}.")
        return self.target_shape

    def call(self, inputs):
        target = tuple(-1 if d is None else d for d in self._resolve(inputs.shape))
        return ops.reshape(inputs, (ops.shape(inputs)[0],) + target)

    def compute_output_shape(self, input_shape):
        return (tuple(input_shape)[0],) + self._resolve(input_shape)

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config
