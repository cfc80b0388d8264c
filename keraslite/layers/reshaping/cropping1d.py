"""Cropping1D: removes (before, after) steps from (batch, steps, features)."""

from keraslite.layers.reshaping.base_cropping import BaseCropping


class Cropping1D(BaseCropping):
    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(1, cropping, data_format="channels_last", **kwargs)

    def get_config(self):
        config = super().get_config()
        del config["data_format"]  # always channels_last; Keras has no such argument here
        return config
