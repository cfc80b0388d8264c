"""InputLayer and Input(): the entry points of a functional graph."""

from keraslite import backend
from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer
from keraslite.layers.node import Node


class InputLayer(Layer):
    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, ragged=None, **kwargs):
        if "input_shape" in kwargs and shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, dtype=None, **kwargs)
        if ragged:
            raise ValueError("InputLayer: `ragged=True` is not supported: keraslite has no ragged "
                             "tensors on any backend (pad the data and use a Masking layer or "
                             "mask_zero=True instead).")
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: give `shape` or `batch_shape`, not both.")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(f"InputLayer: input_tensor must be a KerasTensor, received "
                                 f"{input_tensor!r}.")
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        if batch_shape is None:
            if shape is None:
                raise ValueError("InputLayer needs `shape` or `batch_shape`.")
            shape = (shape,) if isinstance(shape, int) else tuple(shape)
            batch_shape = (batch_size,) + shape
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype_name = backend.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.optional = optional
        self.built = True
        self._batch_input_shape = self._batch_shape
        tensor = KerasTensor(self._batch_shape, self._dtype_name, sparse=self.sparse, name=self.name)
        Node(self, [], {}, tensor)
        self._input_tensor = tensor

    @property
    def batch_shape(self):
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype_name

    def call(self, inputs=None):
        return inputs

    def get_config(self):
        return {"batch_shape": list(self._batch_shape), "dtype": self._dtype_name,
                "sparse": self.sparse, "ragged": False, "optional": self.optional,
                "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, ragged=None, batch_shape=None,
          name=None, tensor=None, optional=False):
    """A symbolic input tensor: `Input(shape=(784,))` has shape (None, 784)."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       ragged=ragged, batch_shape=batch_shape, input_tensor=tensor,
                       optional=optional, name=name)
    return layer._input_tensor
