"""Maximum: element-wise maximum of a list of tensors; masked entries never win."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Maximum(Merge):
    def _merge_function(self, inputs, masks):
        return self._masked_reduce(ops.maximum, inputs, masks)


def maximum(inputs, **kwargs):
    """Functional form of Maximum: `maximum([x1, x2])`."""
    return Maximum(**kwargs)(inputs)
