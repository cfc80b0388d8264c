"""AdaptiveMaxPooling1D: max pooling of the steps to a fixed output_size."""

from keraslite.layers.pooling.adaptive_pooling import BaseAdaptivePooling


class AdaptiveMaxPooling1D(BaseAdaptivePooling):
    rank = 1
    pool_mode = "max"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format=data_format, **kwargs)
