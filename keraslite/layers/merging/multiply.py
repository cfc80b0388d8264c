"""Multiply: element-wise product of a list of tensors.

A masked entry counts as 1 in the product; where every input is masked the output is 0
(only when all inputs carry masks, as in Keras).
"""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Multiply(Merge):
    def _merge_function(self, inputs, masks):
        all_masked = all(m is not None for m in masks)
        out, out_mask = None, None
        for x, m in zip(inputs, masks):
            if m is not None:
                m = self._expand_mask(m, x)
                x = ops.where(m, x, ops.ones_like(x))
                if all_masked:
                    out_mask = m if out_mask is None else ops.logical_or(out_mask, m)
            out = x if out is None else ops.multiply(out, x)
        if all_masked:
            out = ops.where(out_mask, out, ops.zeros_like(out))
        return out


def multiply(inputs, **kwargs):
    """Functional form of Multiply: `multiply([x1, x2])`."""
    return Multiply(**kwargs)(inputs)
