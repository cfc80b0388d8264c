"""ZeroPadding2D: adds rows and columns of zeros around images; padding is an int, (rows, cols)
or ((top, bottom), (left, right))."""

from keraslite.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding2D(BaseZeroPadding):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(2, padding, data_format=data_format, **kwargs)
