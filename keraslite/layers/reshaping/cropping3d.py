"""Cropping3D: crops the three spatial dims of volumes; cropping is an int, three ints or three
(before, after) pairs."""

from keraslite.layers.reshaping.base_cropping import BaseCropping


class Cropping3D(BaseCropping):
    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(3, cropping, data_format=data_format, **kwargs)
