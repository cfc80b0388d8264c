"""ZeroPadding3D: adds zeros around the three spatial dims of volumes; padding is an int, three
ints or three (before, after) pairs."""

from keraslite.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding3D(BaseZeroPadding):
    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, padding, data_format=data_format, **kwargs)
