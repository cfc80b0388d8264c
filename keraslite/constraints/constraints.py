"""Weight constraints (projections applied after each update) with keras.constraints' API."""

import inspect
import re

from keraslite import config, ops
from keraslite.backend import dtypes
from keraslite.saving import serialization_lib


def _norms(w, axis):
    return ops.sqrt(ops.sum(ops.square(w), axis=axis, keepdims=True))


def _float_dtype(w):
    # int weights are projected in floatx, float ones keep their dtype: Keras' promotion would
    # narrow float64 to float32 in the products below.
    dtype = dtypes.standardize_dtype(w.dtype)
    return dtype if dtypes.is_float(dtype) else config.floatx()


def _rescale(w, norms, desired):
    # epsilon keeps all-zero slices at zero instead of NaN.
    dtype = _float_dtype(w)
    out = ops.multiply(ops.cast(w, dtype), ops.divide(desired, ops.add(norms, config.epsilon())))
    return ops.cast(out, dtype)


class Constraint:
    """A callable `weights -> projected weights`; the base class returns them unchanged."""

    def __call__(self, w):
        return w

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales slices (along `axis`) whose L2 norm exceeds `max_value`."""

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        return _rescale(w, norms, ops.clip(norms, 0, self.max_value))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero."""

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        # Keras' promotion would narrow float64 to float32; weights keep their dtype.
        return ops.cast(ops.maximum(w, 0), dtypes.standardize_dtype(w.dtype))


class UnitNorm(Constraint):
    """Rescales slices (along `axis`) to unit L2 norm."""

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        dtype = _float_dtype(w)
        out = ops.divide(ops.cast(w, dtype), ops.add(_norms(w, self.axis), config.epsilon()))
        return ops.cast(out, dtype)

    def get_config(self):
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves slice norms into [min_value, max_value]; `rate` < 1 moves them only part way."""

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = ops.convert_to_tensor(w)
        norms = _norms(w, self.axis)
        clipped = ops.clip(norms, self.min_value, self.max_value)
        desired = ops.add(ops.multiply(self.rate, clipped), ops.multiply(1 - self.rate, norms))
        return _rescale(w, norms, desired)

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate,
                "axis": self.axis}


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
# Class names and their snake_case names ("max_norm", "non_neg", ...).
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(cls.__name__): cls for cls in _CLASSES})


def serialize(constraint):
    return serialization_lib.serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects,
        kind="constraint")


def get(identifier):
    """None -> None; a name, alias, class or config -> an instance; a callable as is."""
    if identifier is None:
        return None
    obj = deserialize(identifier) if isinstance(identifier, (str, dict)) else identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret constraint identifier: {identifier!r}")
