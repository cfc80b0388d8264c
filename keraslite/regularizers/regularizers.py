"""Weight regularizers (penalties added to the loss) with keras.regularizers' API."""

import inspect
import math
import re

from keraslite import config, ops
from keraslite.backend import dtypes
from keraslite.saving import serialization_lib


def _non_negative_float(value, name):
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or math.isinf(value) or math.isnan(value) or value < 0):
        raise ValueError(f"`{name}` must be a non-negative float. Received: {name}={value!r}")
    return float(value)


def _in_dtype_of(penalty, x):
    # Keras' promotion narrows float64 results to float32; a penalty keeps its weights' dtype.
    dtype = dtypes.standardize_dtype(x.dtype)
    return ops.cast(penalty, dtype) if dtypes.is_float(dtype) else penalty


class Regularizer:
    """A callable `weights -> scalar penalty`; subclasses define __call__ and get_config."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} must implement get_config().")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x**2)."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _non_negative_float(0.0 if l1 is None else l1, "l1")
        self.l2 = _non_negative_float(0.0 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        penalty = ops.zeros((), dtype=dtypes.standardize_dtype(x.dtype))
        if self.l1:
            penalty = ops.add(penalty, ops.multiply(self.l1, ops.sum(ops.abs(x))))
        if self.l2:
            penalty = ops.add(penalty, ops.multiply(self.l2, ops.sum(ops.square(x))))
        return _in_dtype_of(penalty, x)

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """l1 * sum(|x|)."""

    def __init__(self, l1=0.01):
        self.l1 = _non_negative_float(0.01 if l1 is None else l1, "l1")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        return _in_dtype_of(ops.multiply(self.l1, ops.sum(ops.abs(x))), x)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """l2 * sum(x**2)."""

    def __init__(self, l2=0.01):
        self.l2 = _non_negative_float(0.01 if l2 is None else l2, "l2")

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        return _in_dtype_of(ops.multiply(self.l2, ops.sum(ops.square(x))), x)

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2D kernel towards orthogonality.

    The penalty is factor times the mean |cosine| over distinct pairs of rows, i.e.
    factor * 0.5 * sum(|off-diagonal of N N^T|) / (n (n - 1) / 2), N the unit-norm rows.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _non_negative_float(factor, "factor")
        if mode not in ("rows", "columns"):
            raise ValueError(f"`mode` must be 'rows' or 'columns'. Received: mode={mode!r}")
        self.mode = mode

    def __call__(self, x):
        x = ops.convert_to_tensor(x)
        if len(x.shape) != 2:
            raise ValueError(f"OrthogonalRegularizer needs a rank-2 input. Received: "
                             f"shape={tuple(x.shape)}")
        if self.mode == "columns":
            x = ops.transpose(x)
        # Unit rows; the epsilon cap keeps all-zero rows at zero instead of NaN.
        inv_norm = ops.minimum(ops.rsqrt(ops.sum(ops.square(x), axis=1, keepdims=True)),
                               1.0 / config.epsilon())
        unit = ops.multiply(x, inv_norm)
        n = x.shape[0]
        product = ops.matmul(unit, ops.transpose(unit))
        dtype = dtypes.standardize_dtype(x.dtype)
        off_diagonal = ops.multiply(product, ops.subtract(1.0, ops.eye(n, dtype=dtype)))
        pairs = n * (n - 1) / 2.0
        return _in_dtype_of(ops.multiply(self.factor * 0.5 / pairs, ops.sum(ops.abs(off_diagonal))),
                            x)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


def _snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


_CLASSES = (Regularizer, L1, L2, L1L2, OrthogonalRegularizer)
# Class names and snake_case names; L1L2 answers to Keras' "l1l2" and to its public "l1_l2".
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update(l1l2=L1L2, l1_l2=L1L2)


def serialize(regularizer):
    return serialization_lib.serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects,
        kind="regularizer")


def get(identifier):
    """None -> None; a name, alias, class or config -> an instance; a callable as is."""
    if identifier is None:
        return None
    obj = deserialize(identifier) if isinstance(identifier, (str, dict)) else identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r}")
