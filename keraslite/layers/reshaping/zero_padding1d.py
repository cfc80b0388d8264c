"""ZeroPadding1D: adds zeros before and after the steps of (batch, steps, features) (or
channels_first)."""

from keraslite.layers.reshaping.base_zero_padding import BaseZeroPadding


class ZeroPadding1D(BaseZeroPadding):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(1, padding, data_format=data_format, **kwargs)
