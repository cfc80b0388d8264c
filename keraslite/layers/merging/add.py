"""Add: element-wise sum of a list of tensors."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Add(Merge):
    def _merge_function(self, inputs, masks):
        out = inputs[0]
        for x in inputs[1:]:
            out = ops.add(out, x)
        return out


def add(inputs, **kwargs):
    """Functional form of Add: `add([x1, x2])`."""
    return Add(**kwargs)(inputs)
