"""GlobalMaxPooling1D: maximum over the steps."""

from keraslite import ops
from keraslite.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalMaxPooling1D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=1, data_format=data_format, keepdims=keepdims,
                         **kwargs)

    def call(self, inputs):
        self._check_input(inputs.shape)
        return ops.max(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)
