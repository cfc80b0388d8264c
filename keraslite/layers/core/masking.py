"""Masking: a time step whose features all equal `mask_value` is masked (skipped by the layers
that follow) and its features are set to zero."""

from keraslite import ops
from keraslite.layers.layer import Layer


class Masking(Layer):
    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def _kept(self, inputs, keepdims=False):
        """True where at least one feature of the step differs from mask_value."""
        return ops.any(ops.not_equal(inputs, self.mask_value), axis=-1, keepdims=keepdims)

    def call(self, inputs):
        return ops.where(self._kept(inputs, keepdims=True), inputs, 0)

    def compute_mask(self, inputs, mask=None):
        return self._kept(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["mask_value"] = self.mask_value
        return config
