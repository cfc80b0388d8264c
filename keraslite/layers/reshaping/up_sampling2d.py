"""UpSampling2D: enlarges images by (rows, cols) factors, repeating pixels ('nearest') or
resizing with another interpolation ('bilinear', ...)."""

from keraslite import ops
from keraslite.layers.reshaping.base_up_sampling import BaseUpSampling

INTERPOLATIONS = ("nearest", "bilinear", "bicubic", "area", "lanczos3", "lanczos5")


class UpSampling2D(BaseUpSampling):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(2, size, data_format=data_format, **kwargs)
        self.interpolation = str(interpolation).lower()
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(f"UpSampling2D '{self.name}': `interpolation` must be one of "
                             f"{INTERPOLATIONS}. Received interpolation={interpolation!r}")

    def call(self, inputs):
        if self.interpolation == "nearest":
            return super().call(inputs)
        self._check_input(inputs.shape)
        rows, cols = self.compute_output_shape(inputs.shape)[
            slice(1, 3) if self.data_format == "channels_last" else slice(2, 4)]
        return ops.image.resize(inputs, (rows, cols), interpolation=self.interpolation,
                                data_format=self.data_format)

    def get_config(self):
        config = super().get_config()
        config["interpolation"] = self.interpolation
        return config
