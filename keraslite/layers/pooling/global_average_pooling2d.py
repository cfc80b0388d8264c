"""GlobalAveragePooling2D: mean over rows and columns."""

from keraslite import ops
from keraslite.layers.pooling.base_global_pooling import BaseGlobalPooling


class GlobalAveragePooling2D(BaseGlobalPooling):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(pool_dimensions=2, data_format=data_format, keepdims=keepdims,
                         **kwargs)

    def call(self, inputs):
        self._check_input(inputs.shape)
        return ops.mean(inputs, axis=self._spatial_axes(), keepdims=self.keepdims)
