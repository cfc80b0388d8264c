"""Permute: reorders the non-batch axes; dims (1-based) gives the new order."""

from keraslite import ops
from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer


class Permute(Layer):
    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(f"Permute '{self.name}': `dims` must be a permutation of 1..n "
                             f"(the batch axis 0 stays first). Received dims={dims}")

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != len(self.dims) + 1:
            raise ValueError(f"Permute '{self.name}' with dims={self.dims} expects inputs of "
                             f"rank {len(self.dims) + 1}; received input shape {input_shape}.")

    def build(self, input_shape):
        self._check_input(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        return ops.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), inputs.dtype)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config
