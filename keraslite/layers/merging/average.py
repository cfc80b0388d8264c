"""Average: element-wise mean of a list of tensors."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Average(Merge):
    def _merge_function(self, inputs, masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return ops.divide(out, len(inputs))


def average(inputs, **kwargs):
    """Functional form of Average: `average([x1, x2])`."""
    return Average(**kwargs)(inputs)
