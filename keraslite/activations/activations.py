"""Activation functions with keras.activations' names, signatures and defaults.

Each one is built from keraslite.ops, so it runs on any backend and on KerasTensors alike.
`get`, `serialize` and `deserialize` turn names (aliases included) and configs into functions.
"""

from keraslite import config, ops
from keraslite.backend import dtypes
from keraslite.saving import serialization_lib


def _mark_logits(output, logits):
    # Losses look for this attribute to undo a final sigmoid/softmax stably; some tensor types
    # (jax arrays, tf eager tensors) refuse new attributes, which only costs that shortcut.
    try:
        output._keras_logits = logits
    except AttributeError:
        pass
    return output


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=negative_slope)
    dtype = dtypes.standardize_dtype(x.dtype)
    if not dtypes.is_float(dtype):
        dtype = config.floatx()  # as ops.relu: int and bool inputs compute in floatx
        x = ops.cast(x, dtype)
    if threshold != 0.0:
        # Values at or below the threshold are zeroed.
        out = ops.where(ops.greater(x, ops.cast(threshold, dtype)), x, ops.zeros_like(x))
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.minimum(out, ops.cast(max_value, dtype))
    if negative_slope != 0.0:
        # Below the threshold the output is negative_slope * (x - threshold).
        below = ops.relu(ops.subtract(ops.cast(threshold, dtype), x))
        out = ops.subtract(out, ops.multiply(ops.cast(negative_slope, dtype), below))
    # Binary ops may narrow float64 to float32 (Keras' promotion rule); keep x's dtype.
    return ops.cast(out, dtype)


def leaky_relu(x, negative_slope=0.2):
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x):
    return ops.relu6(x)


def softmax(x, axis=-1):
    return _mark_logits(ops.softmax(x, axis=axis), x)


def elu(x, alpha=1.0):
    return ops.elu(x, alpha=alpha)


def selu(x):
    return ops.selu(x)


def softplus(x):
    return ops.softplus(x)


def softsign(x):
    return ops.softsign(x)


def soft_shrink(x, threshold=0.5):
    return ops.soft_shrink(x, threshold=threshold)


def sparse_plus(x):
    return ops.sparse_plus(x)


def silu(x):
    return ops.silu(x)


def squareplus(x, b=4):
    return ops.squareplus(x, b=b)


def gelu(x, approximate=False):
    return ops.gelu(x, approximate=approximate)


def celu(x, alpha=1.0):
    return ops.celu(x, alpha=alpha)


def glu(x, axis=-1):
    return ops.glu(x, axis=axis)


def tanh(x):
    return ops.tanh(x)


def tanh_shrink(x):
    return ops.tanh_shrink(x)


def hard_tanh(x):
    return ops.hard_tanh(x)


def hard_shrink(x, threshold=0.5):
    return ops.hard_shrink(x, threshold=threshold)


def threshold(x, threshold, default_value):
    return ops.threshold(x, threshold, default_value)


def sigmoid(x):
    return _mark_logits(ops.sigmoid(x), x)


def exponential(x):
    return ops.exp(x)


def hard_sigmoid(x):
    return ops.hard_sigmoid(x)


def log_sigmoid(x):
    return ops.log_sigmoid(x)


def sparse_sigmoid(x):
    return ops.sparse_sigmoid(x)


def hard_silu(x):
    return ops.hard_silu(x)


def linear(x):
    return x


def mish(x):
    x = ops.convert_to_tensor(x)
    out = ops.multiply(x, ops.tanh(ops.softplus(x)))
    # As in relu: a float input keeps its dtype even where the product narrowed float64.
    dtype = dtypes.standardize_dtype(x.dtype)
    return ops.cast(out, dtype) if dtypes.is_float(dtype) else out


def log_softmax(x, axis=-1):
    return ops.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    return ops.sparsemax(x, axis=axis)


# Keras' public aliases: the same function objects under a second name.
swish = silu
hard_swish = hard_silu

_FUNCTIONS = (
    relu, leaky_relu, relu6, softmax, elu, selu, softplus, softsign, soft_shrink, sparse_plus,
    silu, squareplus, gelu, celu, glu, tanh, tanh_shrink, hard_tanh, hard_shrink, threshold,
    sigmoid, exponential, hard_sigmoid, log_sigmoid, sparse_sigmoid, hard_silu, linear, mish,
    log_softmax, sparsemax,
)
# Every name `get`/`deserialize` accept.
ALL_OBJECTS_DICT = {fn.__name__: fn for fn in _FUNCTIONS}
ALL_OBJECTS_DICT.update(swish=silu, hard_swish=hard_silu)


def serialize(activation):
    """Built-in activations serialize to their name; others to a config dict."""
    return serialization_lib.serialize_keras_object(activation)


def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects,
        kind="activation")


def get(identifier):
    """None -> linear; a name, alias or config -> the function; a callable is returned as is."""
    if identifier is None:
        return linear
    if isinstance(identifier, (str, dict)):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")
