"""Subtract: inputs[0] - inputs[1] (exactly two inputs)."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Subtract(Merge):
    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"Subtract '{self.name}' takes exactly 2 inputs; received input "
                             f"shapes {[tuple(s) for s in input_shape]}.")

    def _merge_function(self, inputs, masks):
        if len(inputs) != 2:
            raise ValueError(f"Subtract '{self.name}' takes exactly 2 inputs; received "
                             f"{len(inputs)}.")
        return ops.subtract(inputs[0], inputs[1])


def subtract(inputs, **kwargs):
    """Functional form of Subtract: `subtract([x1, x2])`."""
    return Subtract(**kwargs)(inputs)
