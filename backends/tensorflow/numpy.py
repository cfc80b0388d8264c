"""Numpy-like ops on TensorFlow, with Keras 3's dtype promotion (dtypes.result_type)."""

import builtins

import numpy as np
import tensorflow as tf

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.tensorflow.core import (
    canonical_axis,
    convert_to_tensor,
    dtype_of,
    is_float_dtype,
    is_int_dtype,
    static_shape,
    to_float,
)

_SMALL_INTS = ("int8", "int16", "uint8", "uint16", "uint32")


def _std(x):
    return dtypes.standardize_dtype(x.dtype)


def _promote(*xs):
    """Tensors of xs cast to their Keras result dtype, and that dtype."""
    dtype = dtypes.result_type(*[dtype_of(x) for x in xs])
    return [convert_to_tensor(x, dtype=dtype) for x in xs], dtype


def _promote_float(*xs):
    dtype = dtypes.result_type(*[dtype_of(x) for x in xs], float)
    return [convert_to_tensor(x, dtype=dtype) for x in xs], dtype


def _axes(axis, ndim):
    """Axis argument as a sorted list of non-negative ints (None: all axes)."""
    if axis is None:
        return list(range(ndim))
    if isinstance(axis, (list, tuple)):
        return sorted(canonical_axis(int(a), ndim) for a in axis)
    return [canonical_axis(int(axis), ndim)]


# ---------------------------------------------------------------------------------------------
# Element-wise unary math.

def arccos(x):
    return tf.math.acos(to_float(x))


def arccosh(x):
    return tf.math.acosh(to_float(x))


def arcsin(x):
    return tf.math.asin(to_float(x))


def arcsinh(x):
    return tf.math.asinh(to_float(x))


def arctan(x):
    return tf.math.atan(to_float(x))


def arctanh(x):
    return tf.math.atanh(to_float(x))


def cos(x):
    return tf.math.cos(to_float(x))


def cosh(x):
    return tf.math.cosh(to_float(x))


def sin(x):
    return tf.math.sin(to_float(x))


def sinh(x):
    return tf.math.sinh(to_float(x))


def tan(x):
    return tf.math.tan(to_float(x))


def tanh(x):
    return tf.math.tanh(to_float(x))


def exp(x):
    return tf.math.exp(to_float(x))


def exp2(x):
    x = to_float(x)
    return tf.math.pow(tf.constant(2, x.dtype), x)


def expm1(x):
    return tf.math.expm1(to_float(x))


def log(x):
    return tf.math.log(to_float(x))


def log10(x):
    x = to_float(x)
    return tf.math.log(x) / tf.math.log(tf.constant(10, x.dtype))


def log1p(x):
    return tf.math.log1p(to_float(x))


def log2(x):
    x = to_float(x)
    return tf.math.log(x) / tf.math.log(tf.constant(2, x.dtype))


def sqrt(x):
    return tf.math.sqrt(to_float(x))


def cbrt(x):
    x = to_float(x)
    return tf.math.sign(x) * tf.math.pow(tf.math.abs(x), tf.constant(1 / 3, x.dtype))


def reciprocal(x):
    return tf.math.reciprocal(to_float(x))


def deg2rad(x):
    x = to_float(x)
    return x * tf.constant(np.pi / 180.0, x.dtype)


def rad2deg(x):
    x = to_float(x)
    return x * tf.constant(180.0 / np.pi, x.dtype)


def abs(x):
    x = convert_to_tensor(x)
    d = _std(x)
    if d == "bool" or d.startswith("uint"):
        return x
    return tf.math.abs(x)


def absolute(x):
    return abs(x)


def negative(x):
    x = convert_to_tensor(x)
    d = _std(x)
    if d == "bool":
        return x
    if d.startswith("uint"):
        return tf.zeros_like(x) - x
    return tf.math.negative(x)


def square(x):
    x = convert_to_tensor(x)
    if _std(x) == "bool":
        x = tf.cast(x, "int32")
    return tf.math.square(x) if not _std(x).startswith("uint") else x * x


def sign(x):
    x = convert_to_tensor(x)
    d = _std(x)
    if d == "bool":
        return x
    if d.startswith("uint"):
        return tf.cast(x > 0, d)
    if d in ("int8", "int16"):
        return tf.cast(tf.math.sign(tf.cast(x, "int32")), d)
    return tf.math.sign(x)


def ceil(x):
    return tf.math.ceil(to_float(x))


def floor(x):
    return tf.math.floor(to_float(x))


def round(x, decimals=0):
    x = to_float(x)
    if decimals == 0:
        return tf.math.round(x)
    work = "float32" if _std(x) in ("float16", "bfloat16") else x.dtype
    xw = tf.cast(x, work)
    factor = tf.constant(10.0 ** decimals, work)
    return tf.cast(tf.math.round(xw * factor) / factor, x.dtype)


def trunc(x):
    x = to_float(x)
    return tf.where(x < 0, tf.math.ceil(x), tf.math.floor(x))


# ---------------------------------------------------------------------------------------------
# Element-wise binary math.


def add(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.math.logical_or(a, b)
    return tf.math.add(a, b)


def subtract(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.math.logical_xor(a, b)
    return tf.math.subtract(a, b)


def multiply(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.math.logical_and(a, b)
    return tf.math.multiply(a, b)


def maximum(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.math.logical_or(a, b)
    return tf.math.maximum(a, b)


def minimum(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.math.logical_and(a, b)
    return tf.math.minimum(a, b)


def power(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        a, b, dtype = tf.cast(a, "int32"), tf.cast(b, "int32"), "int32"
    if dtype in _SMALL_INTS:
        return tf.cast(tf.math.pow(tf.cast(a, "int64"), tf.cast(b, "int64")), dtype)
    return tf.math.pow(a, b)


def _int_safe(fn, a, b):
    """fn(a, b) for integer tensors, with 0 where b == 0 (numpy's result; tf would raise)."""
    zero = tf.math.equal(b, tf.zeros([], b.dtype))
    out = fn(a, tf.where(zero, tf.ones_like(b), b))
    return tf.where(zero, tf.zeros_like(out), out)


def mod(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        a, b = tf.cast(a, "int32"), tf.cast(b, "int32")
    if a.dtype.is_integer:
        return _int_safe(tf.math.floormod, a, b)
    return tf.math.floormod(a, b)


def floor_divide(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        a, b = tf.cast(a, "int32"), tf.cast(b, "int32")
    if a.dtype.is_integer:
        return _int_safe(tf.math.floordiv, a, b)
    return tf.math.floordiv(a, b)


def divide(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    return tf.math.truediv(a, b)


def true_divide(x1, x2):
    return divide(x1, x2)


def arctan2(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    return tf.math.atan2(a, b)


def logaddexp(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    delta = a - b
    big = tf.math.maximum(a, b)
    out = big + tf.math.log1p(tf.math.exp(-tf.math.abs(delta)))
    return tf.where(tf.math.is_nan(delta), a + b, out)


def hypot(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    return tf.math.sqrt(tf.math.square(a) + tf.math.square(b))


def divide_no_nan(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    return tf.math.divide_no_nan(a, b)


# ---------------------------------------------------------------------------------------------
# Comparisons and logic.


def _compare(fn, x1, x2, bool_ok=False):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool" and not bool_ok:
        a, b = tf.cast(a, "int8"), tf.cast(b, "int8")
    return fn(a, b)


def equal(x1, x2):
    return _compare(tf.math.equal, x1, x2, bool_ok=True)


def not_equal(x1, x2):
    return _compare(tf.math.not_equal, x1, x2, bool_ok=True)


def greater(x1, x2):
    return _compare(tf.math.greater, x1, x2)


def greater_equal(x1, x2):
    return _compare(tf.math.greater_equal, x1, x2)


def less(x1, x2):
    return _compare(tf.math.less, x1, x2)


def less_equal(x1, x2):
    return _compare(tf.math.less_equal, x1, x2)


def _as_bool(x):
    return convert_to_tensor(x, dtype="bool")


def logical_and(x1, x2):
    return tf.math.logical_and(_as_bool(x1), _as_bool(x2))


def logical_or(x1, x2):
    return tf.math.logical_or(_as_bool(x1), _as_bool(x2))


def logical_xor(x1, x2):
    return tf.math.logical_xor(_as_bool(x1), _as_bool(x2))


def logical_not(x):
    return tf.math.logical_not(_as_bool(x))


def isnan(x):
    x = convert_to_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return tf.zeros(tf.shape(x), "bool")
    return tf.math.is_nan(tf.math.real(x)) | tf.math.is_nan(tf.math.imag(x)) \
        if x.dtype.is_complex else tf.math.is_nan(x)


def isinf(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return tf.zeros(tf.shape(x), "bool")
    return tf.math.is_inf(x)


def isfinite(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return tf.ones(tf.shape(x), "bool")
    return tf.math.is_finite(x)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    (a, b), dtype = _promote(x1, x2)
    if not is_float_dtype(dtype):
        a, b = tf.cast(a, "float64"), tf.cast(b, "float64")
    close = tf.math.abs(a - b) <= atol + rtol * tf.math.abs(b)
    close = (close & tf.math.is_finite(a) & tf.math.is_finite(b)) | tf.math.equal(a, b)
    if equal_nan:
        close = close | (tf.math.is_nan(a) & tf.math.is_nan(b))
    return close


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return tf.reduce_all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    (a, b), dtype = _promote(x1, x2)
    b = tf.reshape(b, [-1])
    hit = tf.reduce_any(tf.math.equal(tf.expand_dims(a, -1), b), axis=-1)
    return tf.math.logical_not(hit) if invert else hit


# ---------------------------------------------------------------------------------------------
# Reductions.


def _sum_dtype(d):
    if d in ("bool", "int8", "int16"):
        return "int32"
    if d in ("uint8", "uint16"):
        return "uint32"
    return d


def _reduce_in(x, dtype, fn, axis, keepdims):
    """Reduce x (cast to dtype) with fn; uint32 and bool compute through int64."""
    if dtype in ("uint32", "uint64"):
        out = fn(tf.cast(x, "int64"), axis=axis, keepdims=keepdims)
        return tf.cast(out, dtype)
    return fn(tf.cast(x, dtype), axis=axis, keepdims=keepdims)


def sum(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    # Keras 3 narrows 64-bit sums to 32 bits (result_type) and widens small ints.
    dtype = _sum_dtype(dtypes.result_type(_std(x)))
    return _reduce_in(x, dtype, tf.reduce_sum, _axes(axis, x.ndim), keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = convert_to_tensor(x)
    dtype = _sum_dtype(_std(x)) if dtype is None else dtypes.standardize_dtype(dtype)
    return _reduce_in(x, dtype, tf.reduce_prod, _axes(axis, x.ndim), keepdims)


def _float_work(x):
    """(x cast for a float reduction, result dtype): ints -> floatx, half floats in float32."""
    d = _std(x)
    out = d if is_float_dtype(d) else config.floatx()
    work = "float32" if out in ("float16", "bfloat16") else out
    return tf.cast(x, work), out


def mean(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    xw, out = _float_work(x)
    return tf.cast(tf.reduce_mean(xw, axis=_axes(axis, x.ndim), keepdims=keepdims), out)


def _minmax(x, axis, keepdims, initial, reduce_fn, bool_fn, combine):
    x = convert_to_tensor(x)
    axes = _axes(axis, x.ndim)
    if _std(x) == "bool":
        out = bool_fn(x, axis=axes, keepdims=keepdims)
    else:
        out = reduce_fn(x, axis=axes, keepdims=keepdims)
    if initial is not None:
        out = combine(out, convert_to_tensor(initial, dtype=out.dtype))
    return out


def max(x, axis=None, keepdims=False, initial=None):
    return _minmax(x, axis, keepdims, initial, tf.reduce_max, tf.reduce_any,
                   lambda a, b: tf.math.logical_or(a, b) if a.dtype == tf.bool
                   else tf.math.maximum(a, b))


def min(x, axis=None, keepdims=False, initial=None):
    return _minmax(x, axis, keepdims, initial, tf.reduce_min, tf.reduce_all,
                   lambda a, b: tf.math.logical_and(a, b) if a.dtype == tf.bool
                   else tf.math.minimum(a, b))


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    x = tf.cast(x, dtypes.result_type(_std(x), float))  # Keras: float64 -> float32
    return _variance(x, axis, keepdims)


def _variance(x, axis, keepdims):
    xw, out = _float_work(x)
    axes = _axes(axis, x.ndim)
    if xw.dtype.is_complex:
        m = tf.reduce_mean(xw, axis=axes, keepdims=True)
        d = xw - m
        v = tf.reduce_mean(tf.math.real(d * tf.math.conj(d)), axis=axes, keepdims=keepdims)
        return v
    m = tf.reduce_mean(xw, axis=axes, keepdims=True)
    v = tf.reduce_mean(tf.math.square(xw - m), axis=axes, keepdims=keepdims)
    return tf.cast(v, out)


def std(x, axis=None, keepdims=False):
    return tf.math.sqrt(_variance(convert_to_tensor(x), axis, keepdims))  # Keras keeps float64


def all(x, axis=None, keepdims=False):
    x = _as_bool(x)
    return tf.reduce_all(x, axis=_axes(axis, x.ndim), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    x = _as_bool(x)
    return tf.reduce_any(x, axis=_axes(axis, x.ndim), keepdims=keepdims)


def _arg_reduce(fn, x, axis, keepdims):
    x = convert_to_tensor(x)
    if _std(x) == "bool":
        x = tf.cast(x, "int32")
    if axis is None:
        out = fn(tf.reshape(x, [-1]), axis=0, output_type=tf.int32)
        if keepdims:
            out = tf.reshape(out, [1] * x.ndim)
        return out
    axis = canonical_axis(axis, x.ndim)
    out = fn(x, axis=axis, output_type=tf.int32)
    return tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    return _arg_reduce(tf.math.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_reduce(tf.math.argmin, x, axis, keepdims)


def _sortable(x):
    d = _std(x)
    if d == "bool":
        return tf.cast(x, "int32")
    if d in ("uint16", "uint32", "uint64"):
        return tf.cast(x, "int64")
    return x


def argsort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    if x.ndim == 0:
        return tf.zeros([], "int32")
    return tf.argsort(_sortable(x), axis=axis, stable=True)


def sort(x, axis=-1):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    if x.ndim == 0:
        return x
    return tf.cast(tf.sort(_sortable(x), axis=axis), x.dtype)


def _cumulative(fn, x, axis, dtype):
    x = convert_to_tensor(x)
    if dtype is None:
        dtype = _std(x)
        if dtype == "bool":
            dtype = "int32"
    dtype = dtypes.standardize_dtype(dtype)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    work = "int64" if dtype.startswith("uint") or dtype in ("int8", "int16", "bool") else dtype
    return tf.cast(fn(tf.cast(x, work), axis=axis), dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(tf.math.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(tf.math.cumprod, x, axis, dtype)


# ---------------------------------------------------------------------------------------------
# Products.


def _matmul_compute(dtype):
    """The dtype tf computes a product in for a result of `dtype`."""
    if dtype in ("bool",) or dtype in _SMALL_INTS:
        return "int32" if dtype != "uint32" else "int64"
    return dtype


def _product_inputs(x1, x2, int8_to_int32=False):
    x1, x2 = convert_to_tensor(x1), convert_to_tensor(x2)
    if int8_to_int32 and _std(x1) == "int8" and _std(x2) == "int8":
        out = "int32"
    else:
        out = dtypes.result_type(x1.dtype, x2.dtype)
    work = _matmul_compute(out)
    return tf.cast(x1, work), tf.cast(x2, work), out


def _finish(x, out):
    if out == "bool":
        return tf.math.not_equal(x, 0)
    return tf.cast(x, out)


def matmul(x1, x2):
    a, b, out = _product_inputs(x1, x2, int8_to_int32=True)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError("matmul does not accept scalars; use multiply.")
    squeeze_a, squeeze_b = a.ndim == 1, b.ndim == 1
    if squeeze_a:
        a = a[None, :]
    if squeeze_b:
        b = b[:, None]
    r = tf.linalg.matmul(a, b)
    if squeeze_a:
        r = tf.squeeze(r, -2)
    if squeeze_b:
        r = tf.squeeze(r, -1)
    return _finish(r, out)


def dot(x1, x2):
    a, b, out = _product_inputs(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        r = a * b
    elif b.ndim == 1:
        r = tf.tensordot(a, b, [[a.ndim - 1], [0]])
    else:
        r = tf.tensordot(a, b, [[a.ndim - 1], [b.ndim - 2]])
    return _finish(r, out)


def tensordot(x1, x2, axes=2):
    a, b, out = _product_inputs(x1, x2)
    if not isinstance(axes, int):
        axes = [list(ax) if isinstance(ax, (list, tuple)) else [ax] for ax in axes]
        axes = [[canonical_axis(i, a.ndim) for i in axes[0]],
                [canonical_axis(i, b.ndim) for i in axes[1]]]
    return _finish(tf.tensordot(a, b, axes), out)


def einsum(subscripts, *operands, **kwargs):
    ops = [convert_to_tensor(o) for o in operands]
    if builtins.all(_std(o) == "int8" for o in ops):
        out = "int32"
    else:
        out = dtypes.result_type(*[o.dtype for o in ops])
    work = _matmul_compute(out)
    if work in ("int32", "int64"):
        # tf.einsum lacks integer kernels for some contractions: compute exactly in float64.
        r = tf.einsum(subscripts, *[tf.cast(o, "float64") for o in ops])
        return _finish(tf.math.round(r), out)
    return _finish(tf.einsum(subscripts, *[tf.cast(o, work) for o in ops]), out)


def outer(x1, x2):
    a, b, out = _product_inputs(x1, x2)
    r = tf.reshape(a, [-1, 1]) * tf.reshape(b, [1, -1])
    return _finish(r, out)


def inner(x1, x2):
    a, b, out = _product_inputs(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return _finish(a * b, out)
    return _finish(tf.tensordot(a, b, [[a.ndim - 1], [b.ndim - 1]]), out)


def vdot(x1, x2):
    a, b, out = _product_inputs(x1, x2)
    a, b = tf.reshape(a, [-1]), tf.reshape(b, [-1])
    if a.dtype.is_complex:
        a = tf.math.conj(a)
    return _finish(tf.reduce_sum(a * b), out)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    (a, b), dtype = _promote(x1, x2)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(a, axisa, -1)
    b = moveaxis(b, axisb, -1)
    na, nb = a.shape[-1], b.shape[-1]
    if na not in (2, 3) or nb not in (2, 3):
        raise ValueError("cross: vectors must have 2 or 3 components.")
    if na == 2 and nb == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
    a0, a1 = a[..., 0], a[..., 1]
    b0, b1 = b[..., 0], b[..., 1]
    a2 = a[..., 2] if na == 3 else tf.zeros_like(a0)
    b2 = b[..., 2] if nb == 3 else tf.zeros_like(b0)
    c0, c1, c2 = a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0
    c0, c1, c2 = [tf.broadcast_to(c, tf.shape(c0 + c1 + c2)) for c in (c0, c1, c2)]
    c = tf.stack([c0, c1, c2], axis=-1)
    return moveaxis(c, -1, axisc)


# ---------------------------------------------------------------------------------------------
# Shape manipulation.


def reshape(x, newshape):
    x = convert_to_tensor(x)
    if isinstance(newshape, int):
        newshape = [newshape]
    return tf.reshape(x, newshape)


def transpose(x, axes=None):
    x = convert_to_tensor(x)
    if axes is None:
        return tf.transpose(x)
    return tf.transpose(x, [canonical_axis(a, x.ndim) for a in axes])


def expand_dims(x, axis):
    x = convert_to_tensor(x)
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    out_ndim = x.ndim + len(axes)
    for a in sorted(canonical_axis(a, out_ndim) for a in axes):
        x = tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        return tf.squeeze(x)
    axes = _axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] is not None and x.shape[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a} of size {x.shape[a]}.")
    return tf.squeeze(x, axes) if axes else x


def ravel(x):
    return tf.reshape(convert_to_tensor(x), [-1])


def flip(x, axis=None):
    x = convert_to_tensor(x)
    axes = _axes(axis, x.ndim)
    return tf.reverse(x, axes) if axes else x


def moveaxis(x, source, destination):
    x = convert_to_tensor(x)
    n = x.ndim
    def as_list(v):
        return list(v) if isinstance(v, (list, tuple)) else [v]

    src = [canonical_axis(a, n) for a in as_list(source)]
    dst = [canonical_axis(a, n) for a in as_list(destination)]
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same length.")
    order = [i for i in range(n) if i not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return tf.transpose(x, order) if order != list(range(n)) else x


def swapaxes(x, axis1, axis2):
    x = convert_to_tensor(x)
    perm = list(range(x.ndim))
    a1, a2 = canonical_axis(axis1, x.ndim), canonical_axis(axis2, x.ndim)
    perm[a1], perm[a2] = perm[a2], perm[a1]
    return tf.transpose(x, perm)


def roll(x, shift, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        flat = tf.reshape(x, [-1])
        return tf.reshape(tf.roll(flat, shift, 0), tf.shape(x))
    return tf.roll(x, shift, axis)


def repeat(x, repeats, axis=None):
    x = convert_to_tensor(x)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    return tf.repeat(x, repeats, axis=axis)


def tile(x, repeats):
    x = convert_to_tensor(x)
    if isinstance(repeats, int):
        repeats = [repeats]
    repeats = list(repeats)
    if len(repeats) < x.ndim:
        repeats = [1] * (x.ndim - len(repeats)) + repeats
    elif len(repeats) > x.ndim:
        x = tf.reshape(x, [1] * (len(repeats) - x.ndim) + static_shape(x))
    return tf.tile(x, repeats)


def broadcast_to(x, shape):
    return tf.broadcast_to(convert_to_tensor(x), shape)


def copy(x):
    return tf.identity(convert_to_tensor(x))


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    x = moveaxis(x, [axis1, axis2], [-2, -1])
    return tf.linalg.diag_part(x, k=offset)


def diag(x, k=0):
    x = convert_to_tensor(x)
    if x.ndim == 1:
        return tf.linalg.diag(x, k=k)
    if x.ndim == 2:
        return diagonal(x, offset=k)
    raise ValueError(f"diag expects a 1-D or 2-D input, got rank {x.ndim}.")


def _tri_mask(rows, cols, k):
    i = tf.range(rows)[:, None]
    j = tf.range(cols)[None, :]
    return j - i <= k


def tril(x, k=0):
    x = convert_to_tensor(x)
    s = static_shape(x)
    mask = _tri_mask(s[-2], s[-1], k)
    return tf.where(mask, x, tf.zeros_like(x))


def triu(x, k=0):
    x = convert_to_tensor(x)
    s = static_shape(x)
    mask = _tri_mask(s[-2], s[-1], k - 1)
    return tf.where(mask, tf.zeros_like(x), x)


def _pad_widths(pad_width, ndim):
    pw = np.asarray(pad_width, dtype="int64")
    if pw.ndim == 0:
        pw = np.full((ndim, 2), int(pw))
    elif pw.ndim == 1:
        pw = np.broadcast_to(pw.reshape(1, -1) if pw.size == 2 else pw.reshape(-1, 1), (ndim, 2))
    else:
        pw = np.broadcast_to(pw, (ndim, 2))
    return [[int(a), int(b)] for a, b in pw]


def pad(x, pad_width, mode='constant', constant_values=None):
    x = convert_to_tensor(x)
    widths = _pad_widths(pad_width, x.ndim)
    mode = mode.lower()
    if constant_values is not None and mode != "constant":
        raise ValueError("pad: constant_values only applies to mode='constant'.")
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        return tf.pad(x, widths, mode="CONSTANT", constant_values=tf.cast(value, x.dtype))
    if mode in ("reflect", "symmetric"):
        return tf.pad(x, widths, mode=mode.upper())
    if mode in ("edge", "wrap"):
        for axis, (before, after) in enumerate(widths):
            if before == 0 and after == 0:
                continue
            n = tf.shape(x)[axis]
            if mode == "edge":
                idx = tf.clip_by_value(tf.range(-before, n + after), 0, n - 1)
            else:
                idx = tf.math.floormod(tf.range(-before, n + after), n)
            x = tf.gather(x, idx, axis=axis)
        return x
    raise ValueError(f"pad: unsupported mode {mode!r}.")


def concatenate(xs, axis=0):
    tensors, _ = _promote(*xs)
    if axis is None:
        return tf.concat([tf.reshape(t, [-1]) for t in tensors], 0)
    return tf.concat(tensors, axis)


def stack(x, axis=0):
    tensors, _ = _promote(*x)
    return tf.stack(tensors, axis)


def hstack(xs):
    tensors, _ = _promote(*xs)
    tensors = [tf.reshape(t, [1]) if t.ndim == 0 else t for t in tensors]
    return tf.concat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(xs):
    tensors, _ = _promote(*xs)
    out = []
    for t in tensors:
        if t.ndim == 0:
            t = tf.reshape(t, [1, 1])
        elif t.ndim == 1:
            t = t[None, :]
        out.append(t)
    return tf.concat(out, 0)


def append(x1, x2, axis=None):
    (a, b), _ = _promote(x1, x2)
    if axis is None:
        return tf.concat([tf.reshape(a, [-1]), tf.reshape(b, [-1])], 0)
    return tf.concat([a, b], axis)


def split(x, indices_or_sections, axis=0):
    x = convert_to_tensor(x)
    axis = canonical_axis(axis, x.ndim)
    n = x.shape[axis]
    if isinstance(indices_or_sections, int):
        if n is not None and n % indices_or_sections:
            raise ValueError("split: array split does not result in an equal division.")
        return tf.split(x, indices_or_sections, axis=axis)
    return _split_at(x, list(indices_or_sections), axis)


def _split_at(x, indices, axis):
    n = x.shape[axis]
    if n is None:
        n = tf.shape(x)[axis]
    bounds = [0] + [int(i) for i in indices] + [n]
    out = []
    for start, stop in zip(bounds[:-1], bounds[1:]):
        start = builtins.min(builtins.max(start, 0), n) if isinstance(n, int) else start
        stop = builtins.min(builtins.max(stop, start), n) if isinstance(n, int) else stop
        begin = [0] * x.ndim
        size = [-1] * x.ndim
        begin[axis] = start
        size[axis] = stop - start
        out.append(tf.slice(x, begin, size))
    return out


def array_split(x, indices_or_sections, axis=0):
    x = convert_to_tensor(x)
    axis = canonical_axis(axis, x.ndim)
    if not isinstance(indices_or_sections, int):
        return _split_at(x, list(indices_or_sections), axis)
    n = x.shape[axis]
    k = indices_or_sections
    if n is None:
        raise ValueError("array_split needs a static size along the split axis.")
    size, extra = divmod(n, k)
    sizes = [size + 1] * extra + [size] * (k - extra)
    indices = np.cumsum(sizes)[:-1].tolist()
    return _split_at(x, indices, axis)


# ---------------------------------------------------------------------------------------------
# Indexing.


def _int_indices(indices):
    indices = convert_to_tensor(indices)
    if not is_int_dtype(indices.dtype):
        indices = tf.cast(indices, "int32")
    if _std(indices) not in ("int32", "int64"):
        indices = tf.cast(indices, "int64" if _std(indices) == "uint32" else "int32")
    return indices


def _wrap(indices, size):
    size = tf.cast(size, indices.dtype)
    return tf.where(indices < 0, indices + size, indices)


def take(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = _int_indices(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    axis = canonical_axis(axis, x.ndim)
    indices = _wrap(indices, tf.shape(x, out_type=indices.dtype)[axis])
    return tf.gather(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x = convert_to_tensor(x)
    indices = _int_indices(indices)
    if axis is None:
        x, axis = tf.reshape(x, [-1]), 0
    axis = canonical_axis(axis, x.ndim)
    indices = _wrap(indices, tf.shape(x, out_type=indices.dtype)[axis])
    xm = moveaxis(x, axis, -1)
    im = moveaxis(indices, axis, -1)
    xs, is_ = tf.shape(xm), tf.shape(im)
    batch = tf.broadcast_dynamic_shape(xs[:-1], is_[:-1])
    xm = tf.broadcast_to(xm, tf.concat([batch, xs[-1:]], 0))
    im = tf.broadcast_to(im, tf.concat([batch, is_[-1:]], 0))
    out = tf.gather(xm, im, axis=-1, batch_dims=x.ndim - 1)
    return moveaxis(out, -1, axis)


def where(condition, x1=None, x2=None):
    condition = _as_bool(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("where: give both x1 and x2, or neither.")
    (a, b), _ = _promote(x1, x2)
    return tf.where(condition, a, b)


def clip(x, x_min, x_max):
    x = convert_to_tensor(x)
    if _std(x) == "bool":
        x = tf.cast(x, "int32")
    lo = convert_to_tensor(x_min, dtype=x.dtype)
    hi = convert_to_tensor(x_max, dtype=x.dtype)
    return tf.math.minimum(tf.math.maximum(x, lo), hi)


def nonzero(x):
    x = convert_to_tensor(x)
    if x.ndim == 0:
        x = tf.reshape(x, [1])
    idx = tf.where(tf.math.not_equal(x, tf.zeros([], x.dtype)))
    idx = tf.cast(idx, "int32")
    return tuple(idx[:, i] for i in range(x.ndim))


def _is_array_key(k):
    return isinstance(k, (list, np.ndarray)) or tf.is_tensor(k) and k.shape.rank not in (0,)


def get_item(x, key):
    x = convert_to_tensor(x)
    if hasattr(key, "value") and not tf.is_tensor(key) and not isinstance(key, (np.ndarray,)):
        key = key.value  # Variable
    keys = key if isinstance(key, tuple) else (key,)
    arrays = [i for i, k in enumerate(keys) if _is_array_key(k)]
    if not arrays:
        keys = tuple(int(k) if isinstance(k, (np.integer,)) else k for k in keys)
        return x[keys if isinstance(key, tuple) else keys[0]]
    converted = list(keys)
    for i in arrays:
        converted[i] = convert_to_tensor(keys[i])
    if len(keys) == 1 and converted[0].dtype == tf.bool:
        return tf.boolean_mask(x, converted[0])
    if len(arrays) == 1:
        i = arrays[0]
        k = converted[i]
        if k.dtype == tf.bool:
            # A boolean mask in position i: apply the other keys then mask that axis.
            k = tf.reshape(tf.where(k), [-1])
        basic = list(keys)
        basic[i] = builtins.slice(None)
        sub = x[tuple(basic)]
        # Position of the array axis after basic indexing: count axes kept before it.
        axis = 0
        for kk in keys[:i]:
            if kk is None or isinstance(kk, builtins.slice):
                axis += 1
            elif kk is Ellipsis:
                consumed = builtins.sum(
                    1 for kk2 in keys if kk2 is not None and kk2 is not Ellipsis
                )
                axis += x.ndim - consumed
        k = _int_indices(k)
        k = _wrap(k, tf.shape(sub, out_type=k.dtype)[axis])
        return tf.gather(sub, k, axis=axis)
    if len(arrays) == len(keys):
        idx = [_int_indices(c) for c in converted]
        dims = tf.shape(x, out_type="int64")
        idx = [_wrap(tf.cast(k, "int64"), dims[j]) for j, k in enumerate(idx)]
        shape = tf.shape(idx[0])
        for k in idx[1:]:
            shape = tf.broadcast_dynamic_shape(shape, tf.shape(k))
        idx = tf.stack([tf.broadcast_to(k, shape) for k in idx], axis=-1)
        return tf.gather_nd(x, idx)
    raise ValueError("get_item: this combination of array keys is not supported.")


# ---------------------------------------------------------------------------------------------
# Creation.


def _shape_arg(shape):
    if isinstance(shape, int):
        return [shape]
    return shape


def zeros(shape, dtype=None):
    return tf.zeros(_shape_arg(shape), dtypes.standardize_dtype(dtype))


def ones(shape, dtype=None):
    return tf.ones(_shape_arg(shape), dtypes.standardize_dtype(dtype))


def empty(shape, dtype=None):
    return zeros(shape, dtype=dtype)


def full(shape, fill_value, dtype=None):
    value = convert_to_tensor(fill_value, dtype=dtype)
    return tf.broadcast_to(value, _shape_arg(shape))


def zeros_like(x, dtype=None):
    x = convert_to_tensor(x)
    return tf.zeros(tf.shape(x), dtype=dtypes.standardize_dtype(dtype or x.dtype))


def ones_like(x, dtype=None):
    x = convert_to_tensor(x)
    return tf.ones(tf.shape(x), dtype=dtypes.standardize_dtype(dtype or x.dtype))


def full_like(x, fill_value, dtype=None):
    x = convert_to_tensor(x)
    value = convert_to_tensor(fill_value, dtype=dtypes.standardize_dtype(dtype or x.dtype))
    return tf.broadcast_to(value, tf.shape(x))


def empty_like(x, dtype=None):
    return zeros_like(x, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    i = tf.range(N)[:, None]
    j = tf.range(M)[None, :]
    return tf.cast(tf.equal(j - i, k), dtypes.standardize_dtype(dtype))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return tf.cast(_tri_mask(N, M, k), dtypes.standardize_dtype(dtype))


def arange(start, stop=None, step=None, dtype=None):
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = dtypes.result_type(*[dtype_of(v) for v in (start, stop, step)])
    dtype = dtypes.standardize_dtype(dtype)
    if is_int_dtype(dtype) and builtins.all(
        isinstance(v, (int, np.integer)) for v in (start, stop, step)
    ):
        return tf.cast(tf.range(start, stop, step, dtype="int64"), dtype)
    if is_float_dtype(dtype) or is_int_dtype(dtype):
        vals = [convert_to_tensor(v, dtype="float64") for v in (start, stop, step)]
        n = tf.math.maximum(tf.math.ceil((vals[1] - vals[0]) / vals[2]), 0)
        out = vals[0] + tf.range(tf.cast(n, "int64"), dtype="float64") * vals[2]
        if is_int_dtype(dtype):
            out = tf.math.floor(out)
        return tf.cast(out, dtype)
    return tf.range(start, stop, step, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if dtype is None:
        dtype = dtypes.result_type(dtype_of(start), dtype_of(stop), float)
    dtype = dtypes.standardize_dtype(dtype)
    work = "float64"
    a = convert_to_tensor(start, dtype=work)
    b = convert_to_tensor(stop, dtype=work)
    a, b = a + tf.zeros_like(b), b + tf.zeros_like(a)
    div = (num - 1) if endpoint else num
    delta = b - a
    steps = tf.reshape(tf.range(num, dtype=work), [num] + [1] * a.ndim)
    if div > 0:
        step = delta / div
        out = a[None] + steps * step[None]
        if endpoint and num > 1:
            out = tf.concat([out[:-1], b[None]], 0)
    else:
        step = tf.fill(tf.shape(delta), tf.constant(np.nan, work))
        out = a[None] + steps * delta[None]
    if is_int_dtype(dtype):
        out = tf.math.floor(out)
    out = moveaxis(tf.cast(out, dtype), 0, axis)
    if retstep:
        return out, tf.cast(step, dtype)
    return out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    if dtype is None:
        dtype = dtypes.result_type(dtype_of(start), dtype_of(stop), float)
    dtype = dtypes.standardize_dtype(dtype)
    exps = linspace(start, stop, num=num, endpoint=endpoint, dtype="float64", axis=axis)
    return tf.cast(tf.math.pow(tf.constant(float(base), "float64"), exps), dtype)


def meshgrid(*x, indexing='xy'):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', got {indexing!r}.")
    return tf.meshgrid(*[convert_to_tensor(v) for v in x], indexing=indexing)


def array(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


# ---------------------------------------------------------------------------------------------
# Counting, binning, statistics.


def count_nonzero(x, axis=None):
    x = convert_to_tensor(x)
    return tf.cast(tf.math.count_nonzero(x, axis=_axes(axis, x.ndim)), "int32")


def bincount(x, weights=None, minlength=0, sparse=False):
    x = convert_to_tensor(x)
    if _std(x) not in ("int32", "int64"):
        x = tf.cast(x, "int32")
    if weights is not None:
        weights = convert_to_tensor(weights)
        dtype = dtypes.result_type(x.dtype, weights.dtype)
        wd = _std(weights)
        if wd not in ("int32", "int64", "float32", "float64"):
            weights = tf.cast(weights, "int32" if is_int_dtype(wd) or wd == "bool" else "float32")
    else:
        dtype = "int32"
    out = tf.math.bincount(x, weights=weights, minlength=minlength,
                           dtype=weights.dtype if weights is not None else tf.int32, axis=-1)
    return tf.cast(out, dtype)


def digitize(x, bins):
    x = convert_to_tensor(x)
    bins = convert_to_tensor(bins)
    dtype = dtypes.result_type(x.dtype, bins.dtype)
    if dtype == "bool":
        dtype = "int32"
    xf = tf.reshape(tf.cast(x, dtype), [1, -1])
    bf = tf.reshape(tf.cast(bins, dtype), [1, -1])
    out = tf.searchsorted(bf, xf, side="right", out_type=tf.int32)
    return tf.reshape(out, tf.shape(x))


def searchsorted(sorted_sequence, values, side='left'):
    seq = convert_to_tensor(sorted_sequence)
    values = convert_to_tensor(values)
    if seq.ndim != 1:
        raise ValueError("searchsorted: sorted_sequence must be 1-D.")
    dtype = dtypes.result_type(seq.dtype, values.dtype)
    out_type = "int32" if (seq.shape[0] or 0) < 2**31 - 1 else "int64"
    v = tf.reshape(tf.cast(values, dtype), [1, -1])
    s = tf.reshape(tf.cast(seq, dtype), [1, -1])
    out = tf.searchsorted(s, v, side=side, out_type=out_type)
    return tf.reshape(out, tf.shape(values))


def diff(a, n=1, axis=-1):
    a = convert_to_tensor(a)
    axis = canonical_axis(axis, a.ndim)
    for _ in range(n):
        hi = [builtins.slice(None)] * a.ndim
        lo = [builtins.slice(None)] * a.ndim
        hi[axis] = builtins.slice(1, None)
        lo[axis] = builtins.slice(None, -1)
        if a.dtype == tf.bool:
            a = tf.math.not_equal(a[tuple(hi)], a[tuple(lo)])
        else:
            a = a[tuple(hi)] - a[tuple(lo)]
    return a


def trace(x, offset=0, axis1=0, axis2=1):
    x = convert_to_tensor(x)
    dtype = _sum_dtype(_std(x))
    d = diagonal(x, offset=offset, axis1=axis1, axis2=axis2)
    return _reduce_in(d, dtype, tf.reduce_sum, -1, False)


def size(x):
    x = convert_to_tensor(x)
    s = x.shape.as_list()
    if builtins.all(d is not None for d in s):
        return int(np.prod(s, dtype="int64"))
    return tf.size(x)


def ndim(x):
    return convert_to_tensor(x).ndim


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return x
    d = x.dtype
    posinf = d.max if posinf is None else posinf
    neginf = d.min if neginf is None else neginf
    x = tf.where(tf.math.is_nan(x), tf.cast(nan, d), x)
    x = tf.where(tf.math.is_inf(x) & (x > 0), tf.cast(posinf, d), x)
    return tf.where(tf.math.is_inf(x) & (x < 0), tf.cast(neginf, d), x)


def average(x, axis=None, weights=None):
    x = convert_to_tensor(x)
    if weights is None:
        dtype = dtypes.result_type(x.dtype, float)
        return tf.reduce_mean(tf.cast(x, dtype), axis=_axes(axis, x.ndim))
    weights = convert_to_tensor(weights)
    dtype = dtypes.result_type(x.dtype, weights.dtype, float)
    x, weights = tf.cast(x, dtype), tf.cast(weights, dtype)
    if axis is not None and weights.ndim == 1 and x.ndim > 1:
        ax = canonical_axis(axis, x.ndim)
        shape = [1] * x.ndim
        shape[ax] = -1
        weights = tf.reshape(weights, shape)
    axes = _axes(axis, x.ndim)
    weights = tf.broadcast_to(weights, tf.shape(x))
    return tf.reduce_sum(x * weights, axis=axes) / tf.reduce_sum(weights, axis=axes)


def _quantile(x, q, axis, method, keepdims, skip_nan=False):
    """numpy.quantile (numpy.nanquantile with skip_nan): sort along the (flattened) axes, then
    interpolate."""
    x = convert_to_tensor(x)
    dtype = dtypes.result_type(x.dtype, float)
    x = tf.cast(x, dtype)
    q = convert_to_tensor(q, dtype=dtype)
    work = "float64" if dtype == "float64" else "float32"
    ndim = x.ndim
    axes = _axes(axis, ndim)
    kept = [i for i in range(ndim) if i not in axes]
    xt = tf.transpose(x, kept + axes)
    full_shape = tf.shape(x)
    kept_shape = tf.gather(full_shape, kept) if kept else tf.zeros([0], "int32")
    xt = tf.reshape(xt, tf.concat([kept_shape, [-1]], 0))
    nan = tf.math.is_nan(xt)
    xs = tf.cast(tf.sort(tf.where(nan, tf.constant(np.inf, xt.dtype), xt), axis=-1), work)
    if skip_nan:  # interpolate among each row's n non-NaN values; all-NaN rows give NaN
        n = tf.reduce_sum(tf.cast(tf.math.logical_not(nan), "int32"), axis=-1, keepdims=True)
        has_nan = tf.equal(n[..., 0], 0)
    else:
        n = tf.fill(tf.concat([tf.shape(xs)[:-1], [1]], 0), tf.shape(xs)[-1])
        has_nan = tf.reduce_any(nan, axis=-1)
    pos = tf.reshape(tf.cast(q, work), [-1]) * tf.cast(n - 1, work)  # (rows..., len(q))
    lo = tf.math.floor(pos)
    hi = tf.math.ceil(pos)
    if method == "lower":
        hi = lo
    elif method == "higher":
        lo = hi
    elif method == "nearest":
        lo = hi = tf.math.round(pos)
    elif method not in ("linear", "midpoint"):
        raise ValueError(f"quantile: unknown method {method!r}.")
    top = tf.maximum(n - 1, 0)
    lo_i = tf.clip_by_value(tf.cast(lo, "int32"), 0, top)
    hi_i = tf.clip_by_value(tf.cast(hi, "int32"), 0, top)
    qshape = tf.shape(q)
    lo_v = tf.gather(xs, lo_i, axis=-1, batch_dims=len(kept))
    hi_v = tf.gather(xs, hi_i, axis=-1, batch_dims=len(kept))
    if method == "midpoint":
        frac = tf.where(tf.equal(lo, hi), tf.zeros_like(pos), tf.fill(tf.shape(pos), 0.5))
        frac = tf.cast(frac, work)
    else:
        frac = pos - lo
    out = lo_v + (hi_v - lo_v) * frac
    out = tf.where(has_nan[..., None], tf.constant(np.nan, work), out)
    # (*kept, q) -> (q..., *kept)
    kept_rank = len(kept)
    out = tf.transpose(out, [kept_rank] + list(range(kept_rank)))
    if keepdims:
        kshape = [1 if i in axes else full_shape[i] for i in range(ndim)]
        out_shape = tf.concat([qshape, tf.stack(kshape)], 0) if ndim else qshape
    else:
        out_shape = tf.concat([qshape, kept_shape], 0)
    return tf.cast(tf.reshape(out, out_shape), dtype)


def quantile(x, q, axis=None, method='linear', keepdims=False):
    return _quantile(x, q, axis, method, keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


# ---------------------------------------------------------------------------------------------
# Bitwise.


def _bitwise(fn, bool_fn, x, y):
    (a, b), dtype = _promote(x, y)
    if dtype == "bool":
        return bool_fn(a, b)
    return fn(a, b)


def bitwise_and(x, y):
    return _bitwise(tf.bitwise.bitwise_and, tf.math.logical_and, x, y)


def bitwise_or(x, y):
    return _bitwise(tf.bitwise.bitwise_or, tf.math.logical_or, x, y)


def bitwise_xor(x, y):
    return _bitwise(tf.bitwise.bitwise_xor, tf.math.logical_xor, x, y)


def bitwise_invert(x):
    x = convert_to_tensor(x)
    if x.dtype == tf.bool:
        return tf.math.logical_not(x)
    return tf.bitwise.invert(x)


def bitwise_not(x):
    return bitwise_invert(x)


def _shift(fn, x, y):
    (a, b), dtype = _promote(x, y)
    if dtype == "bool":
        a, b = tf.cast(a, "int32"), tf.cast(b, "int32")
    return fn(a, b)


def left_shift(x, y):
    return _shift(tf.bitwise.left_shift, x, y)


def right_shift(x, y):
    return _shift(tf.bitwise.right_shift, x, y)


def bitwise_left_shift(x, y):
    return left_shift(x, y)


def bitwise_right_shift(x, y):
    return right_shift(x, y)


# ---------------------------------------------------------------------------------------------
# Complex parts, flips, misc.


def conj(x):
    return tf.math.conj(convert_to_tensor(x))


def conjugate(x):
    return conj(x)


def real(x):
    x = convert_to_tensor(x)
    return tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    x = convert_to_tensor(x)
    return tf.math.imag(x) if x.dtype.is_complex else tf.zeros_like(x)


def fliplr(x):
    return flip(x, axis=1)


def flipud(x):
    return flip(x, axis=0)


def rot90(array, k=1, axes=(0, 1)):
    x = convert_to_tensor(array)
    a0, a1 = canonical_axis(axes[0], x.ndim), canonical_axis(axes[1], x.ndim)
    if a0 == a1:
        raise ValueError("rot90: axes must be different.")
    k = k % 4
    if k == 0:
        return x
    if k == 2:
        return flip(flip(x, a0), a1)
    perm = list(range(x.ndim))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    if k == 1:
        return tf.transpose(flip(x, a1), perm)
    return flip(tf.transpose(x, perm), a1)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("select: condlist and choicelist must have the same length.")
    choices, dtype = _promote(*choicelist, default)
    result = choices[-1]
    for cond, choice in zip(reversed(condlist), reversed(choices[:-1])):
        result = tf.where(_as_bool(cond), choice, result)
    shape = tf.shape(result)
    for cond in condlist:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(_as_bool(cond)))
    return tf.broadcast_to(result, shape)


def heaviside(x1, x2):
    # Keras 3: result_type(x1, x2), with int and bool results computed in floatx.
    (a, b), dtype = _promote(x1, x2)
    if not dtypes.is_float(dtype):
        a, b = tf.cast(a, config.floatx()), tf.cast(b, config.floatx())
    return tf.where(a < 0, tf.zeros_like(a), tf.where(a > 0, tf.ones_like(a), b))


def signbit(x):
    x = convert_to_tensor(x)
    d = _std(x)
    if d == "bool" or d.startswith("uint"):
        return tf.zeros(tf.shape(x), "bool")
    if is_int_dtype(d):
        return x < 0
    bits = {"float16": "int16", "bfloat16": "int16", "float32": "int32", "float64": "int64"}[d]
    return tf.bitcast(x, bits) < 0


def fmod(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        a, b, dtype = tf.cast(a, "int32"), tf.cast(b, "int32"), "int32"
    if dtype in _SMALL_INTS:
        out = _int_safe(tf.truncatemod, tf.cast(a, "int64"), tf.cast(b, "int64"))
        return tf.cast(out, dtype)
    if not a.dtype.is_floating:
        return _int_safe(tf.truncatemod, a, b)
    # a - b * q with the integer quotient q held constant: exact values, differentiable.
    wide = a.dtype if a.dtype in (tf.float32, tf.float64) else tf.float32
    aw, bw = tf.cast(a, wide), tf.cast(b, wide)
    q = tf.stop_gradient(tf.math.round((aw - tf.truncatemod(aw, bw)) / bw))
    return a - b * tf.cast(q, a.dtype)


# ---------------------------------------------------------------------------------------------
# Nan-aware reductions and statistics.


def _nan_filled(x, value):
    """x with NaNs replaced by value (a select, so NaN entries get a zero gradient)."""
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return x
    return tf.where(tf.math.is_nan(x), tf.cast(value, x.dtype), x)


def _float_result(x):
    """x cast to result_type(x, float): ints give floatx and float64 gives float32, as Keras."""
    x = convert_to_tensor(x)
    return tf.cast(x, dtypes.result_type(_std(x), float))


def _nan_masked(reduce, fill, empty, x, axis, keepdims):
    """reduce(x) with NaNs replaced by fill; slices that are all NaN give `empty`."""
    if not x.dtype.is_floating:
        return reduce(x, axis=axis, keepdims=keepdims)
    nan = tf.math.is_nan(x)
    out = reduce(tf.where(nan, tf.cast(fill, x.dtype), x), axis=axis, keepdims=keepdims)
    return tf.where(all(nan, axis=axis, keepdims=keepdims), tf.cast(empty, out.dtype), out)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_masked(argmax, -np.inf, -1, convert_to_tensor(x), axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_masked(argmin, np.inf, -1, convert_to_tensor(x), axis, keepdims)


def nancumprod(x, axis=None, dtype=None):
    return cumprod(_nan_filled(x, 1), axis=axis, dtype=dtype)


def nancumsum(x, axis=None, dtype=None):
    return cumsum(_nan_filled(x, 0), axis=axis, dtype=dtype)


def _narrowed(x):
    """Keras's nanmax/nanmin dtype: result_type(x), so 64-bit inputs give 32-bit results."""
    x = convert_to_tensor(x)
    return tf.cast(x, dtypes.result_type(_std(x)))


def nanmax(x, axis=None, keepdims=False):
    return _nan_masked(max, -np.inf, np.nan, _narrowed(x), axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_masked(min, np.inf, np.nan, _narrowed(x), axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float_result(x)
    count = tf.cast(sum(tf.math.logical_not(tf.math.is_nan(x)), axis=axis, keepdims=keepdims),
                    x.dtype)
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims) / count  # 0 / 0 is NaN


def nanvar(x, axis=None, keepdims=False):
    x = _float_result(x)
    valid = tf.math.logical_not(tf.math.is_nan(x))
    centered = tf.where(valid, _nan_filled(x, 0) - nanmean(x, axis=axis, keepdims=True),
                        tf.zeros_like(x))
    count = tf.cast(sum(valid, axis=axis, keepdims=keepdims), x.dtype)
    return sum(centered * centered, axis=axis, keepdims=keepdims) / count


def nanstd(x, axis=None, keepdims=False):
    return tf.math.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_filled(x, 1), axis=axis, keepdims=keepdims)


def nanquantile(x, q, axis=None, method='linear', keepdims=False):
    return _quantile(_float_result(x), q, axis, method, keepdims, skip_nan=True)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method='linear', keepdims=False):
    x = _float_result(x)
    q = convert_to_tensor(q, dtype=x.dtype) / 100
    return _quantile(x, q, axis, method, keepdims, skip_nan=True)


def percentile(x, q, axis=None, method='linear', keepdims=False):
    x = _float_result(x)
    return _quantile(x, convert_to_tensor(q, dtype=x.dtype) / 100, axis, method, keepdims)


def ptp(x, axis=None, keepdims=False):
    x = convert_to_tensor(x)
    if _std(x) == "bool":
        raise TypeError("ptp: bool inputs are not supported (max - min of bools).")
    return max(x, axis=axis, keepdims=keepdims) - min(x, axis=axis, keepdims=keepdims)


def _histogram_args(x, bins, range):
    if not isinstance(bins, int) or isinstance(bins, bool):
        raise TypeError(f"histogram: `bins` must be an int. Received: bins={bins!r}")
    if bins < 0:
        raise ValueError(f"histogram: `bins` must be >= 0. Received: bins={bins}")
    if range is not None and (not isinstance(range, tuple) or len(range) != 2
                              or range[1] < range[0]):
        raise ValueError(f"histogram: `range` must be a tuple (low, high) with low <= high. "
                         f"Received: range={range!r}")
    if x.ndim != 1:
        raise ValueError(f"histogram: x must be 1-D. Received: x.shape={tuple(x.shape)}")


def histogram(x, bins=10, range=None):
    x = convert_to_tensor(x)
    _histogram_args(x, bins, range)
    x = to_float(x)
    if range is None:
        lo, hi = tf.reduce_min(x), tf.reduce_max(x)
    else:
        lo, hi = tf.constant(range[0], x.dtype), tf.constant(range[1], x.dtype)
    same = tf.equal(lo, hi)  # numpy widens an empty span by 0.5 on each side
    lo, hi = tf.where(same, lo - 0.5, lo), tf.where(same, hi + 0.5, hi)
    edges = linspace(lo, hi, bins + 1, dtype=x.dtype)
    inside = (x >= edges[0]) & (x <= edges[-1])
    # bin = number of inner edges <= x, so the last bin includes its right edge
    idx = tf.searchsorted(edges[1:-1], x, side="right", out_type=tf.int32)
    return tf.math.unsorted_segment_sum(tf.cast(inside, x.dtype), idx, bins), edges


def corrcoef(x):
    x = convert_to_tensor(x)
    x = tf.cast(x, "float64" if _std(x) == "int64" else dtypes.result_type(_std(x), float))
    rows = x if x.ndim == 2 else tf.reshape(x, [1, -1])
    centered = rows - tf.reduce_mean(rows, axis=1, keepdims=True)
    cov = tf.matmul(centered, centered, transpose_b=True)  # the 1 / (n - 1) factor cancels
    std = tf.math.sqrt(tf.linalg.diag_part(cov))
    out = tf.clip_by_value(cov / (std[:, None] * std[None, :]), tf.cast(-1, x.dtype),
                           tf.cast(1, x.dtype))
    return out if x.ndim == 2 else tf.reshape(out, [])


def _correlate_window(n, m, mode):
    """(start, length) of numpy.correlate's output within the full correlation."""
    if mode == "full":
        return 0, n + m - 1
    if mode == "same":
        return ((m - 1) // 2 if n >= m else n // 2), builtins.max(n, m)
    if mode == "valid":
        return builtins.min(n, m) - 1, builtins.abs(n - m) + 1
    raise ValueError(f"correlate: `mode` must be 'valid', 'same' or 'full'. "
                     f"Received: mode={mode!r}")


def correlate(x1, x2, mode='valid'):
    dtype = dtypes.result_type(dtype_of(x1), dtype_of(x2))
    if dtype == "int64":
        dtype = "float64"
    elif dtype not in ("float16", "bfloat16", "float64"):
        dtype = "float32"
    a, v = convert_to_tensor(x1, dtype=dtype), convert_to_tensor(x2, dtype=dtype)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"correlate: x1 and x2 must be 1-D. Received: shapes "
                         f"{tuple(a.shape)} and {tuple(v.shape)}")
    n, m = a.shape[0], v.shape[0]
    start, length = _correlate_window(n, m, mode)
    # conv1d is a cross-correlation; padding m - 1 on both sides gives every lag
    padded = tf.reshape(tf.pad(a, [[m - 1, m - 1]]), [1, -1, 1])
    full = tf.reshape(tf.nn.conv1d(padded, tf.reshape(v, [m, 1, 1]), 1, "VALID"), [-1])
    return full[start:start + length]


def _fit_length(t, dim, size, fill):
    """t truncated, or padded with fill, to `size` along dim."""
    missing = tf.maximum(size - tf.shape(t)[dim], 0)
    pad_shape = tf.tensor_scatter_nd_update(tf.shape(t), [[dim]], [missing])
    t = tf.concat([t, tf.fill(pad_shape, tf.cast(fill, t.dtype))], dim)
    return tf.gather(t, tf.range(size), axis=dim)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    x = convert_to_tensor(x)
    # distinct values (or slices along axis) in order of first occurrence, then sorted
    if axis is None:
        dim = 0
        found, slot = tf.unique(tf.reshape(x, [-1]), out_idx=tf.int32)
        rows = tf.reshape(found, [-1, 1])
    else:
        dim = canonical_axis(axis, x.ndim)
        found, slot = tf.raw_ops.UniqueV2(x=x, axis=[dim], out_idx=tf.int32)
        slice_shape = [d for i, d in enumerate(x.shape) if i != dim]
        found = tf.ensure_shape(found, slice_shape[:dim] + [None] + slice_shape[dim:])
        rows = tf.reshape(moveaxis(found, dim, 0), [-1, int(np.prod(slice_shape))])
    order = tf.range(tf.shape(rows)[0])
    for col in reversed(builtins.range(rows.shape[1])):  # lexicographic: stable sorts, last first
        keys = _sortable(tf.gather(rows[:, col], order))
        order = tf.gather(order, tf.argsort(keys, stable=True))
    values = tf.gather(found, order, axis=dim)
    inverse = tf.gather(tf.math.invert_permutation(order), slot)
    num = tf.shape(order)[0]
    counts = tf.math.unsorted_segment_sum(tf.ones_like(inverse), inverse, num)
    # first occurrence: the smallest position that maps to each value
    index = tf.math.unsorted_segment_min(tf.range(tf.shape(inverse)[0]), inverse, num)
    if axis is None:
        inverse = tf.reshape(inverse, tf.shape(x))
    if size is not None:
        values = _fit_length(values, dim, size, 0 if fill_value is None else fill_value)
        index, counts = _fit_length(index, 0, size, 0), _fit_length(counts, 0, size, 0)
    out = [values] + [extra for flag, extra in
                      ((return_index, index), (return_inverse, inverse), (return_counts, counts))
                      if flag]
    return out[0] if len(out) == 1 else tuple(out)


def argpartition(x, kth, axis=-1):
    x = convert_to_tensor(x)
    n = size(x) if axis is None else x.shape[axis]
    for k in (kth if isinstance(kth, (list, tuple)) else [kth]):
        if not -n <= int(k) < n:
            raise ValueError(f"argpartition: kth={k} is out of bounds for an axis of size {n}.")
    return argsort(x, axis=axis)  # a full sort is a valid partition around every kth


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float_result(y)
    axis = canonical_axis(axis, y.ndim)
    hi = [builtins.slice(None)] * y.ndim
    lo = [builtins.slice(None)] * y.ndim
    hi[axis], lo[axis] = builtins.slice(1, None), builtins.slice(None, -1)
    if x is None:
        d = tf.cast(dx, y.dtype)
    else:
        x = convert_to_tensor(x, dtype=y.dtype)
        if x.ndim == 1:  # sample points along axis, broadcast over the other axes
            d = tf.reshape(diff(x), [-1] + [1] * (y.ndim - axis - 1))
        else:
            d = diff(x, axis=axis)
    return tf.reduce_sum(d * (y[tuple(hi)] + y[tuple(lo)]) / 2, axis=axis)


# --- nan-aware reductions and statistics (add these ops above this line) ---


# ---------------------------------------------------------------------------------------------
# Windows, splits, number theory, misc.


def angle(x):
    x = to_float(x)
    if x.dtype.is_complex:
        return tf.math.angle(x)
    return tf.math.atan2(tf.zeros_like(x), x)  # pi for negatives, nan for nan, as numpy


def _window_len(x):
    return int(np.asarray(x))  # a concrete int, also when given as a 0-d tensor


def _cosine_window(x, coeffs):
    """numpy's symmetric cosine-sum windows: sum_k (-1)^k c_k cos(2 pi k n / (M - 1))."""
    m = _window_len(x)
    if m < 2:
        return tf.ones([builtins.max(m, 0)], config.floatx())
    n = tf.range(m, dtype="float64") * (2 * np.pi / (m - 1))
    out = builtins.sum((-1) ** k * c * tf.math.cos(k * n) for k, c in enumerate(coeffs))
    return tf.cast(out, config.floatx())


def bartlett(x):
    m = _window_len(x)
    if m < 2:
        return tf.ones([builtins.max(m, 0)], config.floatx())
    n = tf.range(m, dtype="float64")
    return tf.cast(1.0 - tf.math.abs(2.0 * n / (m - 1) - 1.0), config.floatx())


def blackman(x):
    return _cosine_window(x, (0.42, 0.5, 0.08))


def hamming(x):
    return _cosine_window(x, (0.54, 0.46))


def hanning(x):
    return _cosine_window(x, (0.5, 0.5))


def kaiser(x, beta):
    m = _window_len(x)
    if m < 1:
        return tf.ones([0], config.floatx())
    return tf.cast(tf.signal.kaiser_window(m, beta, dtype=tf.float64), config.floatx())


def diagflat(x, k=0):
    return tf.linalg.diag(tf.reshape(convert_to_tensor(x), [-1]), k=k)


def _min_rank(x, rank, name):
    x = convert_to_tensor(x)
    if x.ndim < rank:
        raise ValueError(f"{name} needs a tensor of rank >= {rank}; received shape {x.shape}.")
    return x


def dsplit(x, indices_or_sections):
    return split(_min_rank(x, 3, "dsplit"), indices_or_sections, axis=2)


def hsplit(x, indices_or_sections):
    x = _min_rank(x, 1, "hsplit")
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(_min_rank(x, 2, "vsplit"), indices_or_sections, axis=0)


def dstack(xs):
    tensors, _ = _promote(*xs)
    # at least 3-D as numpy makes them: () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)
    shaped = [tf.reshape(t, [1, -1, 1]) if t.ndim < 2 else t[:, :, None] if t.ndim == 2 else t
              for t in tensors]
    return tf.concat(shaped, 2)


def fabs(x):
    x = to_float(x)
    if x.dtype.is_complex:
        raise TypeError(f"fabs does not accept complex inputs; received `x` of dtype {_std(x)}.")
    return tf.math.abs(x)


def _nan_ignoring(fn, bool_fn, x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return bool_fn(a, b)
    out = fn(a, b)
    if not a.dtype.is_floating:
        return out
    return tf.where(tf.math.is_nan(a), b, tf.where(tf.math.is_nan(b), a, out))


def fmax(x1, x2):
    return _nan_ignoring(tf.math.maximum, tf.math.logical_or, x1, x2)


def fmin(x1, x2):
    return _nan_ignoring(tf.math.minimum, tf.math.logical_and, x1, x2)


def _int_pair(name, x1, x2):
    """x1, x2 as int64 tensors (tf's integer kernels are sparse), and their result dtype."""
    for arg, x in (("x1", x1), ("x2", x2)):
        d = _std(convert_to_tensor(x))
        if not is_int_dtype(d):
            raise ValueError(f"{name} needs integer inputs; received `{arg}` of dtype {d}.")
    (a, b), dtype = _promote(x1, x2)
    return tf.cast(a, "int64"), tf.cast(b, "int64"), dtype


def _gcd(a, b):
    """Euclid's algorithm on |a| and |b|, element-wise, until every pair is done."""
    a, b = tf.math.abs(a), tf.math.abs(b)
    a, b = a + tf.zeros_like(b), b + tf.zeros_like(a)  # broadcast

    def step(a, b):
        done = tf.math.equal(b, 0)
        rest = tf.math.floormod(a, tf.where(done, tf.ones_like(b), b))
        return tf.where(done, a, b), tf.where(done, b, rest)

    return tf.while_loop(lambda a, b: tf.reduce_any(tf.math.not_equal(b, 0)), step, (a, b))[0]


def gcd(x1, x2):
    a, b, dtype = _int_pair("gcd", x1, x2)
    return tf.cast(_gcd(a, b), dtype)


def lcm(x1, x2):
    a, b, dtype = _int_pair("lcm", x1, x2)
    g = _gcd(a, b)
    g = tf.where(tf.math.equal(g, 0), tf.ones_like(g), g)  # gcd 0 only when both are 0
    return tf.cast(tf.math.abs(a // g * b), dtype)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    if dtype is None:
        dtype = dtypes.result_type(dtype_of(start), dtype_of(stop), float)
    a = convert_to_tensor(start, dtype="float64")
    b = convert_to_tensor(stop, dtype="float64")
    a, b = a + tf.zeros_like(b), b + tf.zeros_like(a)
    sign = tf.where((a < 0) & (b < 0), -tf.ones_like(a), tf.ones_like(a))  # both negative: mirror
    out = sign[None] * logspace(log10(a * sign), log10(b * sign), num=num, endpoint=endpoint,
                                dtype="float64")
    if num > 0:  # exact bounds, as numpy sets them
        out = tf.concat([a[None], out[1:]], 0)
    if endpoint and num > 1:
        out = tf.concat([out[:-1], b[None]], 0)
    return tf.cast(moveaxis(out, 0, axis), dtypes.standardize_dtype(dtype))


def i0(x):
    x = convert_to_tensor(x)
    d = _std(x)
    if not is_float_dtype(d):
        x = tf.cast(x, "float64" if d == "int64" else config.floatx())  # Keras' i0 dtypes
    return tf.math.special.bessel_i0(x)


def isneginf(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return tf.zeros(tf.shape(x), "bool")
    return tf.math.equal(x, tf.constant(-np.inf, x.dtype))


def isposinf(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        return tf.zeros(tf.shape(x), "bool")
    return tf.math.equal(x, tf.constant(np.inf, x.dtype))


def isreal(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        return tf.ones(tf.shape(x), "bool")
    return tf.math.equal(tf.math.imag(x), 0)


def kron(x1, x2):
    (a, b), dtype = _promote(x1, x2)
    if dtype == "bool":
        return tf.cast(kron(tf.cast(a, "int32"), tf.cast(b, "int32")), "bool")
    rank = builtins.max(a.ndim, b.ndim)
    sa = [1] * (rank - a.ndim) + static_shape(a)
    sb = [1] * (rank - b.ndim) + static_shape(b)
    # (a0, 1, a1, 1, ...) * (1, b0, 1, b1, ...) -> (a0 * b0, a1 * b1, ...)
    a = tf.reshape(a, [d for s in sa for d in (s, 1)])
    b = tf.reshape(b, [d for s in sb for d in (1, s)])
    return tf.reshape(a * b, [p * q for p, q in zip(sa, sb)])


def ldexp(x1, x2):
    e = convert_to_tensor(x2)
    if not is_int_dtype(e.dtype):
        raise TypeError(f"ldexp needs an integer exponent; received `x2` of dtype {_std(e)}.")
    dtype = dtypes.result_type(dtype_of(x1), dtype_of(x2), float)
    a = convert_to_tensor(x1, dtype=dtype)
    return a * tf.math.pow(tf.constant(2, dtype), tf.cast(e, dtype))


def logaddexp2(x1, x2):
    (a, b), _ = _promote_float(x1, x2)
    delta = a - b
    two = tf.constant(2, a.dtype)
    out = tf.math.maximum(a, b) + tf.math.log1p(two ** -tf.math.abs(delta)) / tf.math.log(two)
    return tf.where(tf.math.is_nan(delta), a + b, out)


def _nextafter_16bit(a, b):
    """nextafter for float16/bfloat16 (tf's kernel has float32/64 only): step the bit pattern,
    up in magnitude when moving away from zero."""
    a, b = a + tf.zeros_like(b), b + tf.zeros_like(a)
    bits = tf.bitcast(a, "int16")
    one = tf.ones_like(bits)
    stepped = bits + tf.where(tf.math.equal(b > a, a > 0), one, -one)
    # from zero: the smallest subnormal with b's sign (bit patterns 0x0001 and 0x8001)
    tiny = tf.where(b > 0, one, tf.fill(tf.shape(bits), tf.constant(-32767, "int16")))
    out = tf.bitcast(tf.where(tf.math.equal(a, 0), tiny, stepped), a.dtype)
    out = tf.where(tf.math.equal(a, b), b, out)
    return tf.where(tf.math.is_nan(a) | tf.math.is_nan(b), a + b, out)


def nextafter(x1, x2):
    (a, b), dtype = _promote_float(x1, x2)
    if dtype in ("float16", "bfloat16"):
        return _nextafter_16bit(a, b)
    return tf.math.nextafter(a, b)


def sinc(x):
    x = to_float(x)
    zero = tf.math.equal(x, 0)
    px = np.pi * tf.where(zero, tf.ones_like(x), x)  # a safe value keeps the gradient finite
    return tf.where(zero, tf.ones_like(x), tf.math.sin(px) / px)


def slogdet(x):
    x = to_float(x)
    compute = "float32" if x.dtype in (tf.float16, tf.bfloat16) else x.dtype  # no half kernels
    sign, logdet = tf.linalg.slogdet(tf.cast(x, compute))
    return tf.cast(sign, x.dtype), tf.cast(logdet, x.dtype)


def unravel_index(indices, shape):
    indices = convert_to_tensor(indices)
    dtype = dtypes.result_type(_std(indices))
    flat, coords = tf.cast(indices, "int64"), []
    for size in reversed([int(s) for s in shape]):
        coords.append(tf.cast(flat % size, dtype))
        flat = flat // size
    return tuple(reversed(coords))


def vander(x, N=None, increasing=False):
    x = convert_to_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D `x`; received shape {x.shape}.")
    n = static_shape(x)[0] if N is None else int(N)
    base = tf.cast(x, "int32") if x.dtype == tf.bool else x  # powers of a bool: as ints
    # repeated products, not pow or cumprod, so the gradient stays finite at x = 0
    cols = [tf.ones_like(base)]
    for _ in range(n - 1):
        cols.append(cols[-1] * base)
    out = tf.stack(cols[:n], 1) if n else tf.zeros([tf.shape(x)[0], 0], base.dtype)
    return tf.cast(out if increasing else tf.reverse(out, [1]), x.dtype)


def view(x, dtype=None):
    x = convert_to_tensor(x)
    if dtype is None:
        return x
    dtype = dtypes.standardize_dtype(dtype)
    old_dtype = _std(x)
    if old_dtype == "bool":
        x = tf.cast(x, "uint8")  # same bytes; tf.bitcast has no bool kernel
    target = "uint8" if dtype == "bool" else dtype
    old, new = x.dtype.size, tf.as_dtype(target).size
    shape = static_shape(x)
    if old != new and (x.ndim == 0 or shape[-1] * old % new):
        raise ValueError(f"view cannot reinterpret a tensor of shape {x.shape} and dtype "
                         f"{old_dtype} as {dtype}: the bytes of its last axis must split evenly "
                         f"into items of {new} bytes.")
    if old > new:  # tf.bitcast adds an axis of new items per old item: merge it
        out = tf.reshape(tf.bitcast(x, target), shape[:-1] + [shape[-1] * old // new])
    elif old < new:  # tf.bitcast wants a last axis of exactly new // old items
        out = tf.bitcast(tf.reshape(x, shape[:-1] + [shape[-1] * old // new, new // old]), target)
    else:
        out = tf.bitcast(x, target)
    return tf.cast(out, "bool") if dtype == "bool" else out


# --- more numpy ops: windows, splits, number theory, misc (add these ops above this line) ---
