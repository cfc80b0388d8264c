"""Identity: returns its input (and its mask) unchanged; a placeholder layer."""

from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer
from keraslite.utils import tree


class Identity(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def compute_output_spec(self, inputs, **kwargs):
        # the input's dtype is kept (the base class would report compute_dtype)
        return tree.map_structure(lambda x: KerasTensor(x.shape, x.dtype), inputs)
