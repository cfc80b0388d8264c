"""Variables: named, mutable holders of a native tensor, shared by every backend.

A Variable is not a tensor: ops accept it (backends unwrap ``.value`` in convert_to_tensor),
and the trainer reads ``.value`` and writes back with ``assign``. Keeping the holder in the
frontend lets a training step be a pure function of tensors on every framework.
"""

import itertools

import numpy as np

from keraslite.backend import dtypes
from keraslite.backend.keras_tensor import install_operators

_uid = itertools.count()


class Variable:
    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        from keraslite import backend

        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Argument `name` must be a string without '/'. Received: {name!r}")
        self.name = name or f"variable_{next(_uid)}"
        self.path = self.name
        self.trainable = bool(trainable)
        self.autocast = autocast
        self.aggregation = aggregation
        self.synchronization = synchronization
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable '{self.name}': a callable initializer needs `shape`.")
            dtype = dtypes.standardize_dtype(dtype)
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
            if dtype is None:
                dtype = getattr(value, "dtype", None) or dtypes.result_type(value)
            dtype = dtypes.standardize_dtype(dtype)
        self._value = backend.core.cast(backend.core.convert_to_tensor(value), dtype)
        self._dtype = dtype
        self._shape = tuple(backend.core.shape(self._value))
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(
                f"Variable '{self.name}': initial value has shape {self._shape}, "
                f"expected {tuple(shape)}."
            )

    @property
    def value(self):
        return self._value

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    def assign(self, value):
        from keraslite import backend

        value = backend.core.cast(backend.core.convert_to_tensor(value), self._dtype)
        shape = tuple(backend.core.shape(value))
        if shape != self._shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self._shape}; cannot assign a value of "
                f"shape {shape}."
            )
        self._value = value
        return value

    def assign_add(self, value):
        from keraslite import ops

        return self.assign(ops.add(self._value, value))

    def assign_sub(self, value):
        from keraslite import ops

        return self.assign(ops.subtract(self._value, value))

    def numpy(self):
        from keraslite import backend

        return backend.core.convert_to_numpy(self._value)

    def __array__(self, dtype=None, copy=None):
        out = self.numpy()
        return out.astype(dtype) if dtype is not None else out

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}>"

    def __len__(self):
        return self._shape[0]

    def __float__(self):
        return float(np.asarray(self.numpy()))

    def __int__(self):
        return int(np.asarray(self.numpy()))


install_operators(Variable)
