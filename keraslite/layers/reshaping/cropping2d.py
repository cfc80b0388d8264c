"""Cropping2D: crops the rows and columns of images; cropping is an int, (rows, cols) or
((top, bottom), (left, right))."""

from keraslite.layers.reshaping.base_cropping import BaseCropping


class Cropping2D(BaseCropping):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(2, cropping, data_format=data_format, **kwargs)
