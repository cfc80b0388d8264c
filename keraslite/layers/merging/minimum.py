"""Minimum: element-wise minimum of a list of tensors; masked entries never win."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Minimum(Merge):
    def _merge_function(self, inputs, masks):
        return self._masked_reduce(ops.minimum, inputs, masks)


def minimum(inputs, **kwargs):
    """Functional form of Minimum: `minimum([x1, x2])`."""
    return Minimum(**kwargs)(inputs)
