"""AveragePooling1D: mean over sliding windows of steps.

'same' padding leaves the padded cells out of the mean.
"""

from keraslite.layers.pooling.base_pooling import BasePooling


class AveragePooling1D(BasePooling):
    def __init__(self, pool_size, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, pool_dimensions=1, pool_mode="average",
                         padding=padding, data_format=data_format, name=name, **kwargs)
