"""Numpy-like ops on jax, with Keras 3's output dtypes."""

import builtins

import jax
import jax.numpy as jnp
import numpy as np

from keraslite import config
from keraslite.backend import dtypes
from keraslite.backend.variables import Variable
from keraslite_backends.jax.core import convert_to_tensor

_PY_SCALARS = (bool, int, float, complex)
_SMALL_INT_SUM = {"bool": "int32", "int8": "int32", "int16": "int32",
                  "uint8": "uint32", "uint16": "uint32"}


# --------------------------------------------------------------------------- helpers


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype)


def _dtype_key(x):
    """What result_type needs for x: Python scalars stay weak, the rest give their dtype."""
    if isinstance(x, _PY_SCALARS):
        return x
    if isinstance(x, Variable):
        return x.dtype
    if hasattr(x, "dtype"):
        return x.dtype
    return _t(x).dtype


def _promote(*xs, extra=()):
    """result_type of the inputs (Python scalars weak) plus `extra` dtypes/types."""
    return dtypes.result_type(*[_dtype_key(x) for x in xs], *extra)


def _binary(x1, x2, to_float=False):
    dtype = _promote(x1, x2, extra=(float,) if to_float else ())
    return _t(x1, dtype), _t(x2, dtype)


def _std(x):
    return dtypes.standardize_dtype(x.dtype)


def _to_float(x):
    """x as a tensor; ints and bools become floatx, floats and complex keep their dtype."""
    x = _t(x)
    d = _std(x)
    if dtypes.is_float(d) or dtypes.is_complex(d):
        return x
    return x.astype(config.floatx())


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def _unary_float(jfn, name):
    def op(x):
        return jfn(_to_float(x))

    op.__name__ = name
    op.__qualname__ = name
    return op


# --------------------------------------------------------------------------- unary float

arccos = _unary_float(jnp.arccos, "arccos")
arccosh = _unary_float(jnp.arccosh, "arccosh")
arcsin = _unary_float(jnp.arcsin, "arcsin")
arcsinh = _unary_float(jnp.arcsinh, "arcsinh")
arctan = _unary_float(jnp.arctan, "arctan")
arctanh = _unary_float(jnp.arctanh, "arctanh")
cos = _unary_float(jnp.cos, "cos")
cosh = _unary_float(jnp.cosh, "cosh")
sin = _unary_float(jnp.sin, "sin")
sinh = _unary_float(jnp.sinh, "sinh")
tan = _unary_float(jnp.tan, "tan")
tanh = _unary_float(jnp.tanh, "tanh")
exp = _unary_float(jnp.exp, "exp")
exp2 = _unary_float(jnp.exp2, "exp2")
expm1 = _unary_float(jnp.expm1, "expm1")
log = _unary_float(jnp.log, "log")
log10 = _unary_float(jnp.log10, "log10")
log1p = _unary_float(jnp.log1p, "log1p")
log2 = _unary_float(jnp.log2, "log2")
sqrt = _unary_float(jnp.sqrt, "sqrt")
cbrt = _unary_float(jnp.cbrt, "cbrt")
reciprocal = _unary_float(jnp.reciprocal, "reciprocal")
deg2rad = _unary_float(jnp.deg2rad, "deg2rad")
rad2deg = _unary_float(jnp.rad2deg, "rad2deg")
ceil = _unary_float(jnp.ceil, "ceil")
floor = _unary_float(jnp.floor, "floor")
trunc = _unary_float(jnp.trunc, "trunc")


def round(x, decimals=0):
    return jnp.round(_to_float(x), decimals)


# --------------------------------------------------------------------------- unary same


def abs(x):
    x = _t(x)
    if _std(x) == "bool":
        return x
    return jnp.abs(x)


def absolute(x):
    return abs(x)


def negative(x):
    x = _t(x)
    if _std(x) == "bool":
        return x  # -x == x for a 1-bit value
    return jnp.negative(x)


def square(x):
    x = _t(x)
    if _std(x) == "bool":
        x = x.astype("int32")
    return jnp.square(x)


def sign(x):
    x = _t(x)
    if _std(x) == "bool":
        return x
    return jnp.sign(x)


# --------------------------------------------------------------------------- binary


def add(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.add(x1, x2)


def subtract(x1, x2):
    x1, x2 = _binary(x1, x2)
    if _std(x1) == "bool":
        return jnp.logical_xor(x1, x2)
    return jnp.subtract(x1, x2)


def multiply(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.multiply(x1, x2)


def maximum(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.maximum(x1, x2)


def minimum(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.minimum(x1, x2)


def power(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.power(x1, x2)


def _int_for_bool(x1, x2):
    x1, x2 = _binary(x1, x2)
    if _std(x1) == "bool":
        x1, x2 = x1.astype("int32"), x2.astype("int32")
    return x1, x2


def mod(x1, x2):
    x1, x2 = _int_for_bool(x1, x2)
    return jnp.mod(x1, x2)


def floor_divide(x1, x2):
    x1, x2 = _int_for_bool(x1, x2)
    return jnp.floor_divide(x1, x2)


def divide(x1, x2):
    x1, x2 = _binary(x1, x2, to_float=True)
    return jnp.divide(x1, x2)


def true_divide(x1, x2):
    return divide(x1, x2)


def arctan2(x1, x2):
    x1, x2 = _binary(x1, x2, to_float=True)
    return jnp.arctan2(x1, x2)


def logaddexp(x1, x2):
    x1, x2 = _binary(x1, x2, to_float=True)
    return jnp.logaddexp(x1, x2)


def hypot(x1, x2):
    x1, x2 = _binary(x1, x2, to_float=True)
    return jnp.hypot(x1, x2)


def divide_no_nan(x1, x2):
    x1, x2 = _binary(x1, x2, to_float=True)
    zero = x2 == 0
    safe = jnp.where(zero, jnp.ones_like(x2), x2)
    return jnp.where(zero, jnp.zeros_like(x1 * x2), x1 / safe)


def equal(x1, x2):
    return jnp.equal(*_binary(x1, x2))


def not_equal(x1, x2):
    return jnp.not_equal(*_binary(x1, x2))


def greater(x1, x2):
    return jnp.greater(*_binary(x1, x2))


def greater_equal(x1, x2):
    return jnp.greater_equal(*_binary(x1, x2))


def less(x1, x2):
    return jnp.less(*_binary(x1, x2))


def less_equal(x1, x2):
    return jnp.less_equal(*_binary(x1, x2))


def logical_and(x1, x2):
    return jnp.logical_and(_t(x1), _t(x2))


def logical_or(x1, x2):
    return jnp.logical_or(_t(x1), _t(x2))


def logical_xor(x1, x2):
    return jnp.logical_xor(_t(x1), _t(x2))


def logical_not(x):
    return jnp.logical_not(_t(x))


def isnan(x):
    return jnp.isnan(_t(x))


def isinf(x):
    return jnp.isinf(_t(x))


def isfinite(x):
    return jnp.isfinite(_t(x))


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _binary(x1, x2)
    return jnp.isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


# --------------------------------------------------------------------------- reductions


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    dtype = dtypes.result_type(x.dtype)  # Keras narrows 64-bit sums
    dtype = _SMALL_INT_SUM.get(dtype, dtype)
    return jnp.sum(x, axis=_axis(axis), keepdims=keepdims, dtype=dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    if dtype is None:
        dtype = _SMALL_INT_SUM.get(_std(x), _std(x))
    return jnp.prod(x, axis=_axis(axis), keepdims=keepdims, dtype=dtypes.standardize_dtype(dtype))


def _float_reduce(jfn, x, axis, keepdims):
    x = _to_float(x)
    d = _std(x)
    if d in ("float16", "bfloat16"):
        return jfn(x.astype("float32"), axis=_axis(axis), keepdims=keepdims).astype(d)
    return jfn(x, axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return _float_reduce(jnp.mean, x, axis, keepdims)


def std(x, axis=None, keepdims=False):
    return _float_reduce(jnp.std, x, axis, keepdims)


def var(x, axis=None, keepdims=False):
    x = _t(x)
    x = x.astype(dtypes.result_type(x.dtype, float))  # Keras: float64 variance is float32
    return _float_reduce(jnp.var, x, axis, keepdims)


def max(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    return jnp.max(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def min(x, axis=None, keepdims=False, initial=None):
    x = _t(x)
    return jnp.min(x, axis=_axis(axis), keepdims=keepdims, initial=initial)


def amax(x, axis=None, keepdims=False):
    return jnp.amax(_t(x), axis=_axis(axis), keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return jnp.amin(_t(x), axis=_axis(axis), keepdims=keepdims)


def all(x, axis=None, keepdims=False):
    return jnp.all(_t(x), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return jnp.any(_t(x), axis=_axis(axis), keepdims=keepdims)


def argmax(x, axis=None, keepdims=False):
    return jnp.argmax(_t(x), axis=axis, keepdims=keepdims).astype("int32")


def argmin(x, axis=None, keepdims=False):
    return jnp.argmin(_t(x), axis=axis, keepdims=keepdims).astype("int32")


def argsort(x, axis=-1):
    x = _t(x)
    if x.ndim == 0:
        return jnp.zeros((), "int32")
    return jnp.argsort(x, axis=axis, stable=True).astype("int32")


def sort(x, axis=-1):
    x = _t(x)
    if x.ndim == 0:
        return x
    return jnp.sort(x, axis=axis)


def _cumulative(jfn, x, axis, dtype):
    x = _t(x)
    if dtype is None:
        dtype = "int32" if _std(x) == "bool" else _std(x)
    dtype = dtypes.standardize_dtype(dtype)
    x = x.astype(dtype)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return jfn(x, axis=axis, dtype=dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(jnp.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(jnp.cumprod, x, axis, dtype)


# --------------------------------------------------------------------------- products


def _product_operands(*xs):
    """Operands cast to their common dtype, and the preferred accumulation dtype."""
    dtype = _promote(*xs)
    all_int8 = builtins.all(_std(_t(x)) == "int8" for x in xs)
    ts = [_t(x, dtype) for x in xs]
    if all_int8:
        dtype = "int32"  # Keras: int8 x int8 accumulates and returns int32
    return ts, dtype, ("int32" if all_int8 else None)


def _finish(out, dtype):
    return out.astype(dtype)


def matmul(x1, x2):
    (x1, x2), dtype, pref = _product_operands(x1, x2)
    if dtype == "bool":
        return jnp.matmul(x1.astype("int32"), x2.astype("int32")) > 0
    return _finish(jnp.matmul(x1, x2, preferred_element_type=pref), dtype)


def dot(x1, x2):
    (x1, x2), dtype, pref = _product_operands(x1, x2)
    if dtype == "bool":
        return jnp.dot(x1.astype("int32"), x2.astype("int32")) > 0
    return _finish(jnp.dot(x1, x2, preferred_element_type=pref), dtype)


def tensordot(x1, x2, axes=2):
    (x1, x2), dtype, pref = _product_operands(x1, x2)
    if dtype == "bool":
        return jnp.tensordot(x1.astype("int32"), x2.astype("int32"), axes=axes) > 0
    return _finish(jnp.tensordot(x1, x2, axes=axes, preferred_element_type=pref), dtype)


def einsum(subscripts, *operands, **kwargs):
    ts, dtype, pref = _product_operands(*operands)
    if dtype == "bool":
        return jnp.einsum(subscripts, *[t.astype("int32") for t in ts], **kwargs) > 0
    kwargs.setdefault("preferred_element_type", pref)
    return _finish(jnp.einsum(subscripts, *ts, **kwargs), dtype)


def outer(x1, x2):
    x1, x2 = _binary(x1, x2)
    return jnp.outer(x1, x2)


def inner(x1, x2):
    (x1, x2), dtype, pref = _product_operands(x1, x2)
    if dtype == "bool":
        return jnp.inner(x1.astype("int32"), x2.astype("int32")) > 0
    return _finish(jnp.inner(x1, x2, preferred_element_type=pref), dtype)


def vdot(x1, x2):
    (x1, x2), dtype, pref = _product_operands(x1, x2)
    if dtype == "bool":
        return jnp.vdot(x1.astype("int32"), x2.astype("int32")) > 0
    return jnp.vdot(x1, x2).astype(dtype)


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    x1, x2 = _binary(x1, x2)
    return jnp.cross(x1, x2, axisa=axisa, axisb=axisb, axisc=axisc, axis=axis)


# --------------------------------------------------------------------------- shape ops


def reshape(x, newshape):
    if isinstance(newshape, (int, np.integer)):
        newshape = (int(newshape),)
    return jnp.reshape(_t(x), tuple(newshape))


def transpose(x, axes=None):
    return jnp.transpose(_t(x), axes=None if axes is None else tuple(axes))


def expand_dims(x, axis):
    return jnp.expand_dims(_t(x), _axis(axis))


def squeeze(x, axis=None):
    x = _t(x)
    axis = _axis(axis)
    if axis is not None:
        axes = axis if isinstance(axis, tuple) else (axis,)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError(f"Cannot squeeze axis {a} of size {x.shape[a]} (shape {x.shape}).")
    return jnp.squeeze(x, axis=axis)


def ravel(x):
    return jnp.ravel(_t(x))


def flip(x, axis=None):
    return jnp.flip(_t(x), axis=_axis(axis))


def moveaxis(x, source, destination):
    return jnp.moveaxis(_t(x), _axis(source), _axis(destination))


def swapaxes(x, axis1, axis2):
    return jnp.swapaxes(_t(x), axis1, axis2)


def roll(x, shift, axis=None):
    return jnp.roll(_t(x), _axis(shift), axis=_axis(axis))


def repeat(x, repeats, axis=None):
    x = _t(x)
    if isinstance(repeats, (int, np.integer)):
        return jnp.repeat(x, int(repeats), axis=axis)
    if isinstance(repeats, (list, tuple, np.ndarray)):
        repeats = np.asarray(repeats, "int64")  # concrete, so it also works while tracing
        if repeats.ndim == 0:
            return jnp.repeat(x, int(repeats), axis=axis)
        return jnp.repeat(x, repeats, axis=axis, total_repeat_length=int(repeats.sum()))
    return jnp.repeat(x, _t(repeats, "int32"), axis=axis)


def tile(x, repeats):
    if isinstance(repeats, (int, np.integer)):
        repeats = (int(repeats),)
    return jnp.tile(_t(x), tuple(int(r) for r in repeats))


def broadcast_to(x, shape):
    return jnp.broadcast_to(_t(x), _shape(shape))


def copy(x):
    return jnp.array(_t(x), copy=True)


def diagonal(x, offset=0, axis1=0, axis2=1):
    return jnp.diagonal(_t(x), offset=offset, axis1=axis1, axis2=axis2)


def diag(x, k=0):
    return jnp.diag(_t(x), k=k)


def tril(x, k=0):
    return jnp.tril(_t(x), k=k)


def triu(x, k=0):
    return jnp.triu(_t(x), k=k)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    pad_width = np.asarray(pad_width, dtype="int64")
    if pad_width.ndim == 0:
        pad_width = np.broadcast_to(pad_width, (x.ndim, 2))
    pad_width = [tuple(int(v) for v in np.broadcast_to(p, (2,)))
                 for p in np.broadcast_to(pad_width, (x.ndim,) + pad_width.shape[-1:])]
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        return jnp.pad(x, pad_width, mode="constant", constant_values=_t(value, x.dtype))
    if constant_values is not None:
        raise ValueError(f"`constant_values` can only be used with mode='constant', not {mode!r}.")
    return jnp.pad(x, pad_width, mode=mode)


def _promote_all(xs):
    dtype = _promote(*xs)
    return [_t(x, dtype) for x in xs]


def concatenate(xs, axis=0):
    return jnp.concatenate(_promote_all(xs), axis=axis)


def stack(x, axis=0):
    return jnp.stack(_promote_all(x), axis=axis)


def hstack(xs):
    return jnp.hstack(_promote_all(xs))


def vstack(xs):
    return jnp.vstack(_promote_all(xs))


def append(x1, x2, axis=None):
    x1, x2 = _binary(x1, x2)
    return jnp.append(x1, x2, axis=axis)


def _split_arg(indices_or_sections):
    if isinstance(indices_or_sections, (int, np.integer)):
        return int(indices_or_sections)
    return [int(i) for i in np.asarray(indices_or_sections).reshape(-1)]


def split(x, indices_or_sections, axis=0):
    return list(jnp.split(_t(x), _split_arg(indices_or_sections), axis=axis))


def array_split(x, indices_or_sections, axis=0):
    return list(jnp.array_split(_t(x), _split_arg(indices_or_sections), axis=axis))


# --------------------------------------------------------------------------- indexing


def _int_indices(indices):
    indices = _t(indices)
    if not dtypes.is_int(_std(indices)):
        indices = indices.astype("int32")
    return indices


def take(x, indices, axis=None):
    x = _t(x)
    indices = _int_indices(indices)
    size = x.size if axis is None else x.shape[axis]
    indices = jnp.where(indices < 0, indices + size, indices)
    return jnp.take(x, indices, axis=axis, mode="clip")


def take_along_axis(x, indices, axis=None):
    x = _t(x)
    indices = _int_indices(indices)
    if axis is None:
        x, axis = x.reshape(-1), 0
    size = x.shape[axis]
    indices = jnp.where(indices < 0, indices + size, indices)
    # Broadcast the non-indexed dims like numpy does.
    shape = list(jnp.broadcast_shapes(
        tuple(1 if i == axis % x.ndim else d for i, d in enumerate(x.shape)),
        tuple(1 if i == axis % x.ndim else d for i, d in enumerate(indices.shape)),
    ))
    x_shape, i_shape = list(shape), list(shape)
    x_shape[axis] = x.shape[axis]
    i_shape[axis] = indices.shape[axis]
    x = jnp.broadcast_to(x, tuple(x_shape))
    indices = jnp.broadcast_to(indices, tuple(i_shape))
    return jnp.take_along_axis(x, indices, axis=axis, mode="clip")


def where(condition, x1=None, x2=None):
    condition = _t(condition)
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` must be both given or both None.")
    x1, x2 = _binary(x1, x2)
    return jnp.where(condition.astype("bool"), x1, x2)


def clip(x, x_min, x_max):
    x = _t(x)
    if _std(x) == "bool":
        x = x.astype("int32")
    return jnp.clip(x, x_min, x_max).astype(x.dtype)


def get_item(x, key):
    x = _t(x)

    def conv(k):
        if isinstance(k, Variable):
            return k.value
        if isinstance(k, list):
            return jnp.asarray(np.asarray(k) if not builtins.any(
                isinstance(v, jax.Array) for v in k) else jnp.stack(k))
        return k

    key = tuple(conv(k) for k in key) if isinstance(key, tuple) else conv(key)
    return x[key]


def select(condlist, choicelist, default=0):
    dtype = _promote(*choicelist, default)
    choices = [_t(c, dtype) for c in choicelist]
    conds = [_t(c).astype("bool") for c in condlist]
    return jnp.select(conds, choices, _t(default, dtype))


def nonzero(x):
    return tuple(i.astype("int32") for i in jnp.nonzero(_t(x)))


def count_nonzero(x, axis=None):
    return jnp.count_nonzero(_t(x), axis=_axis(axis)).astype("int32")


# --------------------------------------------------------------------------- creation


def _dtype_or_floatx(dtype):
    return dtypes.standardize_dtype(dtype) if dtype is not None else config.floatx()


def zeros(shape, dtype=None):
    return jnp.zeros(_shape(shape), _dtype_or_floatx(dtype))


def ones(shape, dtype=None):
    return jnp.ones(_shape(shape), _dtype_or_floatx(dtype))


def empty(shape, dtype=None):
    return jnp.empty(_shape(shape), _dtype_or_floatx(dtype))


def full(shape, fill_value, dtype=None):
    fill_value = _t(fill_value, dtype)
    return jnp.full(_shape(shape), fill_value, fill_value.dtype)


def _like_dtype(x, dtype):
    return dtypes.standardize_dtype(dtype) if dtype is not None else _std(x)


def zeros_like(x, dtype=None):
    x = _t(x)
    return jnp.zeros(x.shape, _like_dtype(x, dtype))


def ones_like(x, dtype=None):
    x = _t(x)
    return jnp.ones(x.shape, _like_dtype(x, dtype))


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    dtype = _like_dtype(x, dtype)
    return jnp.full(x.shape, _t(fill_value, dtype), dtype)


def empty_like(x, dtype=None):
    x = _t(x)
    return jnp.empty(x.shape, _like_dtype(x, dtype))


def eye(N, M=None, k=0, dtype=None):
    return jnp.eye(int(N), None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


def identity(n, dtype=None):
    return jnp.identity(int(n), dtype=_dtype_or_floatx(dtype))


def tri(N, M=None, k=0, dtype=None):
    return jnp.tri(int(N), None if M is None else int(M), k=int(k), dtype=_dtype_or_floatx(dtype))


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        args = [start] + [v for v in (stop, step) if v is not None]
        dtype = _promote(*args)
    dtype = dtypes.standardize_dtype(dtype)
    if step is None:
        step = 1
    if stop is None:
        start, stop = 0, start
    return jnp.arange(start, stop, step, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    if dtype is None:
        dtype = _promote(start, stop, extra=(float,))
    dtype = dtypes.standardize_dtype(dtype)
    out = jnp.linspace(start, stop, num=num, endpoint=endpoint, retstep=retstep,
                       dtype=dtype, axis=axis)
    if retstep:
        samples, step = out
        return samples, jnp.asarray(step, dtype)
    return out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    if dtype is None:
        dtype = _promote(start, stop, extra=(float,))
    dtype = dtypes.standardize_dtype(dtype)
    return jnp.logspace(start, stop, num=num, endpoint=endpoint, base=base,
                        dtype=dtype, axis=axis)


def meshgrid(*x, indexing="xy"):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"`indexing` must be 'xy' or 'ij'. Received: {indexing!r}")
    return list(jnp.meshgrid(*[_t(v) for v in x], indexing=indexing))


def array(x, dtype=None):
    return _t(x, dtype)


# --------------------------------------------------------------------------- misc math


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("The jax backend of keraslite does not support sparse outputs.")
    x = _int_indices(x)
    if weights is None:
        dtype = "int32"
    else:
        weights = _t(weights)
        dtype = _std(weights)
        if dtype == "bool":
            dtype = "int32"
            weights = weights.astype(dtype)
    length = builtins.max(int(minlength), int(jnp.max(x)) + 1 if x.size else 0)

    def count(row, w):
        if w is None:
            return jnp.bincount(row, minlength=length, length=length).astype(dtype)
        return jnp.bincount(row, weights=w, minlength=length, length=length).astype(dtype)

    if x.ndim == 2:
        if weights is None:
            return jax.vmap(lambda r: count(r, None))(x)
        return jax.vmap(count)(x, weights)
    return count(x, weights)


def digitize(x, bins):
    x = _t(x)
    bins = _t(bins)
    return jnp.digitize(x, bins).astype("int32")


def diff(a, n=1, axis=-1):
    return jnp.diff(_t(a), n=n, axis=axis)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    dtype = _SMALL_INT_SUM.get(_std(x), _std(x))
    return jnp.trace(x, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)


def size(x):
    return int(np.prod(_t(x).shape)) if not hasattr(x, "shape") else int(np.prod(x.shape))


def ndim(x):
    return len(x.shape) if hasattr(x, "shape") else _t(x).ndim


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _t(x)
    if not (dtypes.is_float(_std(x)) or dtypes.is_complex(_std(x))):
        return x
    return jnp.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        dtype = dtypes.result_type(x.dtype, float)
        return jnp.mean(x.astype(dtype), axis=_axis(axis))
    weights = _t(weights)
    dtype = dtypes.result_type(x.dtype, weights.dtype, float)
    return jnp.average(x.astype(dtype), axis=_axis(axis), weights=weights.astype(dtype))


def quantile(x, q, axis=None, method="linear", keepdims=False):
    x = _t(x)
    dtype = dtypes.result_type(x.dtype, float)
    q = _t(q, dtype)
    return jnp.quantile(x.astype(dtype), q, axis=_axis(axis), method=method, keepdims=keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    x1, x2 = _binary(x1, x2)
    return jnp.allclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan)


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _binary(x1, x2)
    return jnp.isin(x1, x2, assume_unique=assume_unique, invert=invert)


def bitwise_and(x, y):
    x, y = _binary(x, y)
    return jnp.bitwise_and(x, y)


def bitwise_or(x, y):
    x, y = _binary(x, y)
    return jnp.bitwise_or(x, y)


def bitwise_xor(x, y):
    x, y = _binary(x, y)
    return jnp.bitwise_xor(x, y)


def bitwise_invert(x):
    return jnp.invert(_t(x))


def bitwise_not(x):
    return bitwise_invert(x)


def left_shift(x, y):
    x, y = _binary(x, y)
    return jnp.left_shift(x, y)


def right_shift(x, y):
    x, y = _binary(x, y)
    return jnp.right_shift(x, y)


def bitwise_left_shift(x, y):
    return left_shift(x, y)


def bitwise_right_shift(x, y):
    return right_shift(x, y)


def conj(x):
    return jnp.conj(_t(x))


def conjugate(x):
    return jnp.conjugate(_t(x))


def real(x):
    return jnp.real(_t(x))


def imag(x):
    return jnp.imag(_t(x))


def fliplr(x):
    return jnp.fliplr(_t(x))


def flipud(x):
    return jnp.flipud(_t(x))


def rot90(array, k=1, axes=(0, 1)):
    return jnp.rot90(_t(array), k=k, axes=tuple(axes))


def searchsorted(sorted_sequence, values, side="left"):
    if side not in ("left", "right"):
        raise ValueError(f"`side` must be 'left' or 'right'. Received: {side!r}")
    sorted_sequence, values = _binary(sorted_sequence, values)
    if sorted_sequence.ndim != 1:
        raise ValueError("`searchsorted` only supports 1-D sorted sequences.")
    out_dtype = "int32" if sorted_sequence.shape[0] <= np.iinfo(np.int32).max else "int64"
    return jnp.searchsorted(sorted_sequence, values, side=side).astype(out_dtype)


def heaviside(x1, x2):
    x1, x2 = _binary(x1, x2)
    dtype = _std(x1)
    if dtype == "int64":
        dtype = "float64"
    elif not dtypes.is_float(dtype):
        dtype = config.floatx()
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    return jnp.heaviside(x1, x2)


def signbit(x):
    x = _t(x)
    if _std(x) == "bool":
        return jnp.zeros(x.shape, "bool")
    return jnp.signbit(x)


def fmod(x1, x2):
    x1, x2 = _int_for_bool(x1, x2)
    return jnp.fmod(x1, x2)



# --------------------------------------------------------------------------- nan-aware statistics


def _nan_filled(x, value):
    """x with NaNs replaced by value (a select, so NaN entries get a zero gradient)."""
    x = _t(x)
    if not dtypes.is_float(_std(x)):
        return x
    return jnp.where(jnp.isnan(x), jnp.asarray(value, x.dtype), x)


def _float_result(x):
    """x cast to result_type(x, float): ints give floatx and float64 gives float32, as Keras."""
    x = _t(x)
    return x.astype(dtypes.result_type(x.dtype, float))


def _nan_arg(jfn, plain, x, axis, keepdims):
    x = _t(x)
    if not dtypes.is_float(_std(x)):
        return plain(x, axis=axis, keepdims=keepdims)
    return jfn(x, axis=axis, keepdims=keepdims).astype("int32")  # all-NaN slices give -1


def nanargmax(x, axis=None, keepdims=False):
    return _nan_arg(jnp.nanargmax, argmax, x, axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_arg(jnp.nanargmin, argmin, x, axis, keepdims)


def nancumprod(x, axis=None, dtype=None):
    return cumprod(_nan_filled(x, 1), axis=axis, dtype=dtype)


def nancumsum(x, axis=None, dtype=None):
    return cumsum(_nan_filled(x, 0), axis=axis, dtype=dtype)


def _nan_extreme(jfn, x, axis, keepdims):
    x = _t(x)
    x = x.astype(dtypes.result_type(x.dtype))  # Keras: 64-bit inputs give 32-bit results
    return jfn(x, axis=_axis(axis), keepdims=keepdims)


def nanmax(x, axis=None, keepdims=False):
    return _nan_extreme(jnp.nanmax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_extreme(jnp.nanmin, x, axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    return jnp.nanmean(_float_result(x), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    return jnp.nanvar(_float_result(x), axis=_axis(axis), keepdims=keepdims)


def nanstd(x, axis=None, keepdims=False):
    return jnp.nanstd(_float_result(x), axis=_axis(axis), keepdims=keepdims)


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_filled(x, 1), axis=axis, keepdims=keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    x = _float_result(x)
    q = _t(q, x.dtype)
    return jnp.nanquantile(x, q, axis=_axis(axis), method=method, keepdims=keepdims)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float_result(x)
    return nanquantile(x, _t(q, x.dtype) / 100, axis=axis, method=method, keepdims=keepdims)


def percentile(x, q, axis=None, method="linear", keepdims=False):
    x = _float_result(x)
    return quantile(x, _t(q, x.dtype) / 100, axis=axis, method=method, keepdims=keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _t(x)
    if _std(x) == "bool":
        raise TypeError("ptp: bool inputs are not supported (max - min of bools).")
    return jnp.ptp(x, axis=_axis(axis), keepdims=keepdims)


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
    x = _t(x)
    _histogram_args(x, bins, range)
    dtype = _std(x) if dtypes.is_float(_std(x)) else config.floatx()
    counts, edges = jnp.histogram(x.astype(dtype), bins=bins, range=range)
    return counts.astype(dtype), edges.astype(dtype)


def corrcoef(x):
    x = _t(x)
    dtype = "float64" if _std(x) == "int64" else dtypes.result_type(x.dtype, float)
    return jnp.corrcoef(x.astype(dtype))


def _correlate_dtype(x1, x2):
    dtype = _promote(x1, x2)
    if dtype == "int64":
        return "float64"
    return dtype if dtype in ("float16", "bfloat16", "float64") else "float32"


def correlate(x1, x2, mode="valid"):
    dtype = _correlate_dtype(x1, x2)
    x1, x2 = _t(x1, dtype), _t(x2, dtype)
    if mode not in ("valid", "same", "full"):
        raise ValueError(f"correlate: `mode` must be 'valid', 'same' or 'full'. "
                         f"Received: mode={mode!r}")
    if x1.ndim != 1 or x2.ndim != 1:
        raise ValueError(f"correlate: x1 and x2 must be 1-D. Received: shapes "
                         f"{tuple(x1.shape)} and {tuple(x2.shape)}")
    return jnp.correlate(x1, x2, mode=mode)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    x = _t(x)
    fill = 0 if fill_value is None else fill_value
    values, index, inverse, counts = jnp.unique(
        x, return_index=True, return_inverse=True, return_counts=True, axis=axis, size=size,
        fill_value=fill)
    if size is not None:  # padding entries: index 0 (jax repeats the fill value's index)
        index = jnp.where(counts > 0, index, 0)
    if axis is None:
        inverse = inverse.reshape(x.shape)
    out = [values]
    for flag, extra in ((return_index, index), (return_inverse, inverse),
                        (return_counts, counts)):
        if flag:
            out.append(extra.astype("int32"))
    return out[0] if len(out) == 1 else tuple(out)


def argpartition(x, kth, axis=-1):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    n = x.shape[axis]
    for k in (kth if isinstance(kth, (list, tuple)) else [kth]):
        if not -n <= int(k) < n:
            raise ValueError(f"argpartition: kth={k} is out of bounds for an axis of size {n}.")
    return argsort(x, axis=axis)  # a full sort is a valid partition around every kth


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float_result(y)
    x = None if x is None else _t(x, y.dtype)
    return jnp.trapezoid(y, x, dx=dx, axis=axis)


# --- nan-aware reductions and statistics (add these ops above this line) ---


# --------------------------------------------------------------------------- windows, splits,
# number theory, misc


def angle(x):
    return jnp.angle(_to_float(x))


def _window_len(x):
    return int(np.asarray(x))  # a concrete int, also when given as a 0-d tensor


def bartlett(x):
    return jnp.bartlett(_window_len(x)).astype(config.floatx())


def blackman(x):
    return jnp.blackman(_window_len(x)).astype(config.floatx())


def hamming(x):
    return jnp.hamming(_window_len(x)).astype(config.floatx())


def hanning(x):
    return jnp.hanning(_window_len(x)).astype(config.floatx())


def kaiser(x, beta):
    return jnp.kaiser(_window_len(x), beta).astype(config.floatx())


def diagflat(x, k=0):
    return jnp.diagflat(_t(x), k=k)


def _min_rank(x, rank, name):
    x = _t(x)
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
    return jnp.dstack(_promote_all(xs))


def fabs(x):
    x = _to_float(x)
    if dtypes.is_complex(_std(x)):
        raise TypeError(f"fabs does not accept complex inputs; received `x` of dtype {_std(x)}.")
    return jnp.abs(x)


def fmax(x1, x2):
    return jnp.fmax(*_binary(x1, x2))


def fmin(x1, x2):
    return jnp.fmin(*_binary(x1, x2))


def _int_pair(name, x1, x2):
    for arg, x in (("x1", x1), ("x2", x2)):
        d = _std(_t(x))
        if not dtypes.is_int(d):
            raise ValueError(f"{name} needs integer inputs; received `{arg}` of dtype {d}.")
    return _binary(x1, x2)


def gcd(x1, x2):
    return jnp.gcd(*_int_pair("gcd", x1, x2))


def lcm(x1, x2):
    return jnp.lcm(*_int_pair("lcm", x1, x2))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    if dtype is None:
        dtype = _promote(start, stop, extra=(float,))
    dtype = dtypes.standardize_dtype(dtype)
    return jnp.geomspace(start, stop, num=num, endpoint=endpoint, dtype=dtype, axis=axis)


def i0(x):
    x = _t(x)
    d = _std(x)
    if not dtypes.is_float(d):
        x = x.astype("float64" if d == "int64" else config.floatx())  # Keras' i0 dtypes
    return jnp.i0(x)


def isneginf(x):
    return jnp.isneginf(_t(x))


def isposinf(x):
    return jnp.isposinf(_t(x))


def isreal(x):
    return jnp.isreal(_t(x))


def kron(x1, x2):
    x1, x2 = _binary(x1, x2)
    if _std(x1) == "bool":  # jnp.kron multiplies, which bool lacks
        return jnp.kron(x1.astype("int32"), x2.astype("int32")).astype("bool")
    return jnp.kron(x1, x2)


def _int_exponent(x2):
    x2 = _t(x2)
    if not dtypes.is_int(_std(x2)):
        raise TypeError(f"ldexp needs an integer exponent; received `x2` of dtype {_std(x2)}.")
    return x2


def ldexp(x1, x2):
    dtype = _promote(x1, x2, extra=(float,))
    return jnp.ldexp(_t(x1, dtype), _int_exponent(x2))


def logaddexp2(x1, x2):
    return jnp.logaddexp2(*_binary(x1, x2, to_float=True))


def nextafter(x1, x2):
    return jnp.nextafter(*_binary(x1, x2, to_float=True))


def sinc(x):
    return jnp.sinc(_to_float(x))


def slogdet(x):
    x = _to_float(x)
    d = _std(x)
    compute = "float32" if d in ("float16", "bfloat16") else d  # no half LAPACK kernels
    sign, logdet = jnp.linalg.slogdet(x.astype(compute))
    return sign.astype(d), logdet.astype(d)


def unravel_index(indices, shape):
    indices = _t(indices)
    dtype = dtypes.result_type(indices.dtype)
    return tuple(i.astype(dtype) for i in jnp.unravel_index(indices, _shape(shape)))


def vander(x, N=None, increasing=False):
    x = _t(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D `x`; received shape {x.shape}.")
    n = x.shape[0] if N is None else int(N)
    base = x.astype("int32") if _std(x) == "bool" else x  # powers of a bool: as ints
    # cumulative products of [1, x, x, ...]: unlike jnp.vander's powers, finite gradients at 0
    cols = jnp.broadcast_to(base[:, None], (x.shape[0], builtins.max(n - 1, 0)))
    out = jnp.cumprod(jnp.concatenate([jnp.ones_like(base)[:, None], cols], 1)[:, :n], axis=1)
    return (out if increasing else out[:, ::-1]).astype(x.dtype)


def view(x, dtype=None):
    x = _t(x)
    if dtype is None:
        return x
    dtype = dtypes.standardize_dtype(dtype)
    old, new = x.dtype.itemsize, jnp.dtype(dtype).itemsize
    if old != new and (x.ndim == 0 or x.shape[-1] * old % new):
        raise ValueError(f"view cannot reinterpret a tensor of shape {x.shape} and dtype "
                         f"{_std(x)} as {dtype}: the bytes of its last axis must split evenly "
                         f"into items of {new} bytes.")
    return x.view(dtype)


# --- more numpy ops: windows, splits, number theory, misc (add these ops above this line) ---
