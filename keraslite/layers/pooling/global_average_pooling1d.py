"""GlobalAveragePooling1D: mean over the steps; masked steps are left out of the mean."""

from keraslite import ops
from keraslite.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling1D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims,
                         **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        self._check_input(inputs.shape)
        steps = self._spatial_axes()[0]
        if mask is None:
            return ops.mean(inputs, axis=steps, keepdims=self.keepdims)
        # mask is (batch, steps): put it on the steps axis, broadcasting over channels
        keep = ops.expand_dims(ops.cast(mask, "bool"), 2 if steps == 1 else 1)
        total = ops.sum(ops.where(keep, inputs, ops.zeros_like(inputs)), axis=steps,
                        keepdims=self.keepdims)
        count = ops.sum(ops.cast(keep, inputs.dtype), axis=steps, keepdims=self.keepdims)
        return ops.divide(total, count)

    def compute_mask(self, inputs, previous_mask):
        return None  # the steps axis is gone
