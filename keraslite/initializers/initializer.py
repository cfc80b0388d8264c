"""The Initializer base class and the numpy -> backend tensor step the built-ins share."""

import numpy as np

from keraslite import ops
from keraslite.backend import dtypes


class Initializer:
    """A callable `(shape, dtype=None) -> tensor` that can be saved through its config."""

    def __call__(self, shape, dtype=None):
        raise NotImplementedError(
            f"{type(self).__name__} must implement __call__(self, shape, dtype=None).")

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


def standardize_shape(shape):
    """A tuple of Python ints (shapes may come as lists or numpy ints)."""
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    shape = tuple(shape)
    if any(d is None for d in shape):
        raise ValueError(f"Cannot initialize a tensor of unknown shape {shape}.")
    return tuple(int(d) for d in shape)


def float_dtype(dtype, who):
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_float(dtype):
        raise ValueError(f"{who} needs a float dtype. Received: dtype={dtype}")
    return dtype


def round_to_bfloat16(values):
    """float64 -> nearest bfloat16 values (ties to even), returned as float32.

    numpy has no bfloat16, and going through float32 would round twice.
    """
    values = np.asarray(values, dtype=np.float64)
    _, exponent = np.frexp(values)
    # bfloat16 keeps 8 significant bits; below its smallest normal (2**-126) the step is fixed.
    step = np.ldexp(1.0, np.maximum(exponent, -125) - 8)
    with np.errstate(over="ignore"):
        return (np.rint(values / step) * step).astype(np.float32)


def from_float64(values, dtype):
    """float64 numpy values -> backend tensor of `dtype`, rounded once by numpy.

    Rounding happens here rather than in the framework so every backend holds the same bits.
    """
    values = np.asarray(values, dtype=np.float64)
    if dtype == "bfloat16":
        # The float32 copy of a bfloat16 value is exact, so the backend's cast is exact too.
        return ops.cast(ops.convert_to_tensor(round_to_bfloat16(values), dtype="float32"),
                        "bfloat16")
    return ops.convert_to_tensor(values.astype(dtype), dtype=dtype)


def from_numpy(values, dtype):
    """Numpy values -> backend tensor of any dtype; floats go through `from_float64`."""
    if dtypes.is_float(dtype):
        return from_float64(values, dtype)
    return ops.convert_to_tensor(np.asarray(values).astype(dtype), dtype=dtype)
