"""AdaptiveAveragePooling3D: average pooling of the depth, rows and columns to a fixed output_size."""

from keraslite.layers.pooling.adaptive_pooling import BaseAdaptivePooling


class AdaptiveAveragePooling3D(BaseAdaptivePooling):
    rank = 3
    pool_mode = "average"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(output_size, data_format=data_format, **kwargs)
