"""Numpy-like ops of the torch backend (numpy semantics, Keras 3 output dtypes)."""

import builtins
import math as pymath

import numpy as np
import torch

from keraslite import config
from keraslite.backend import dtypes
from keraslite.backend.variables import Variable
from keraslite_backends.torch.core import (
    _dtype_of,
    _fast_promote,
    convert_to_numpy,
    convert_to_tensor,
    default_device,
    dtype_name,
    promote,
    to_torch_dtype,
)

# Unsigned types wider than uint8 have few kernels in torch; compute those in int64.
_NARROW_SUPPORT = (torch.uint16, torch.uint32, torch.uint64)


def _t(x):
    return convert_to_tensor(x)


# float dtypes that Keras' promotion keeps when paired with themselves (float64 may narrow)
_FLOATS = (torch.float16, torch.bfloat16, torch.float32)


def _name(x):
    return dtype_name(x.dtype)


def _floatx():
    return to_torch_dtype(config.floatx())


def _as_float(x):
    """x as a float (or complex) tensor: ints and bools become floatx."""
    x = _t(x)
    if x.is_floating_point() or x.is_complex():
        return x
    return x.to(_floatx())


def _compute(fn, *xs, out_dtype=None):
    """fn on tensors of one dtype, through int64 when torch lacks kernels for that dtype."""
    dt = xs[0].dtype
    if dt in _NARROW_SUPPORT:
        return fn(*[x.to(torch.int64) for x in xs]).to(out_dtype or dt)
    out = fn(*xs)
    return out if out_dtype is None else out.to(out_dtype)


def _axes(axis, ndim):
    """Normalized tuple of axes, or None for all."""
    if axis is None:
        return None
    if isinstance(axis, (list, tuple)):
        return tuple(a % ndim if ndim else 0 for a in axis)
    return (int(axis) % ndim if ndim else 0,)


# ---------------------------------------------------------------------------------------------
# element-wise unary

def arccos(x):
    return torch.arccos(_as_float(x))


def arccosh(x):
    return torch.arccosh(_as_float(x))


def arcsin(x):
    return torch.arcsin(_as_float(x))


def arcsinh(x):
    return torch.arcsinh(_as_float(x))


def arctan(x):
    return torch.arctan(_as_float(x))


def arctanh(x):
    return torch.arctanh(_as_float(x))


def cos(x):
    return torch.cos(_as_float(x))


def cosh(x):
    return torch.cosh(_as_float(x))


def sin(x):
    return torch.sin(_as_float(x))


def sinh(x):
    return torch.sinh(_as_float(x))


def tan(x):
    return torch.tan(_as_float(x))


def tanh(x):
    return torch.tanh(_as_float(x))


def exp(x):
    return torch.exp(_as_float(x))


def exp2(x):
    return torch.exp2(_as_float(x))


def expm1(x):
    return torch.expm1(_as_float(x))


def log(x):
    return torch.log(_as_float(x))


def log10(x):
    return torch.log10(_as_float(x))


def log1p(x):
    return torch.log1p(_as_float(x))


def log2(x):
    return torch.log2(_as_float(x))


def sqrt(x):
    return torch.sqrt(_as_float(x))


def cbrt(x):
    x = _as_float(x)
    # real cube root for negative inputs too (pow of a negative base gives nan)
    return torch.sign(x) * torch.pow(torch.abs(x), 1.0 / 3.0)


def reciprocal(x):
    return torch.reciprocal(_as_float(x))


def deg2rad(x):
    return torch.deg2rad(_as_float(x))


def rad2deg(x):
    return torch.rad2deg(_as_float(x))


def abs(x):
    x = _t(x)
    if x.dtype == torch.bool:
        return x
    return _compute(torch.abs, x)


def absolute(x):
    return abs(x)


def negative(x):
    x = _t(x)
    if x.dtype == torch.bool:
        raise ValueError("negative does not accept bool inputs.")
    return _compute(torch.negative, x)


def square(x):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    return _compute(lambda v: v * v, x)


def sign(x):
    x = _t(x)
    if x.dtype == torch.bool:
        raise ValueError("sign does not accept bool inputs.")
    if x.is_complex():
        return torch.sgn(x)
    return _compute(torch.sign, x)


def ceil(x):
    return torch.ceil(_as_float(x))


def floor(x):
    return torch.floor(_as_float(x))


def round(x, decimals=0):
    x = _as_float(x)
    if x.dtype in (torch.float16, torch.bfloat16):
        return torch.round(x.float(), decimals=decimals).to(x.dtype)
    return torch.round(x, decimals=decimals)


def trunc(x):
    return torch.trunc(_as_float(x))


# ---------------------------------------------------------------------------------------------
# element-wise binary


def add(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.add, a, b)


def subtract(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.subtract, a, b)


def multiply(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.multiply, a, b)


def maximum(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.maximum, a, b)


def minimum(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.minimum, a, b)


def power(x1, x2):
    a, b = _int_for_bool(*promote(x1, x2))  # torch has no bool pow; Keras gives int32
    return _compute(torch.pow, a, b)


def _int_for_bool(a, b):
    # mod/floor_divide of bools compute (and return) int32, as Keras does
    if a.dtype == torch.bool:
        return a.to(torch.int32), b.to(torch.int32)
    return a, b


def mod(x1, x2):
    a, b = _int_for_bool(*promote(x1, x2))
    return _compute(torch.remainder, a, b)


def floor_divide(x1, x2):
    a, b = _int_for_bool(*promote(x1, x2))
    return _compute(lambda u, v: torch.div(u, v, rounding_mode="floor"), a, b)


def divide(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.divide(a, b)


def true_divide(x1, x2):
    return divide(x1, x2)


def arctan2(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.arctan2(a, b)


def logaddexp(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.logaddexp(a, b)


def hypot(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.hypot(a, b)


def divide_no_nan(x1, x2):
    x1, x2 = (x.value if isinstance(x, Variable) else x for x in (x1, x2))
    fast = _fast_promote(x1, x2)  # the hot case: two tensors of one float dtype (metrics)
    if fast is not None and fast[0].dtype in _FLOATS:
        a, b = fast
    else:
        a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    zero = b == 0
    # a safe denominator keeps the gradient finite where the result is masked to zero
    return torch.where(zero, 0.0, a / torch.where(zero, 1.0, b))


def equal(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.eq, a, b, out_dtype=torch.bool)


def not_equal(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.ne, a, b, out_dtype=torch.bool)


def greater(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.gt, a, b, out_dtype=torch.bool)


def greater_equal(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.ge, a, b, out_dtype=torch.bool)


def less(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.lt, a, b, out_dtype=torch.bool)


def less_equal(x1, x2):
    a, b = promote(x1, x2)
    return _compute(torch.le, a, b, out_dtype=torch.bool)


def logical_and(x1, x2):
    a, b = promote(x1, x2)
    return torch.logical_and(a.to(torch.bool), b.to(torch.bool))


def logical_or(x1, x2):
    a, b = promote(x1, x2)
    return torch.logical_or(a.to(torch.bool), b.to(torch.bool))


def logical_xor(x1, x2):
    a, b = promote(x1, x2)
    return torch.logical_xor(a.to(torch.bool), b.to(torch.bool))


def logical_not(x):
    return torch.logical_not(_t(x).to(torch.bool))


def isnan(x):
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.isnan(x)


def isinf(x):
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.isinf(x)


def isfinite(x):
    x = _t(x)
    if not (x.is_floating_point() or x.is_complex()):
        return torch.ones(x.shape, dtype=torch.bool, device=x.device)
    return torch.isfinite(x)


def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = promote(x1, x2)
    if not (a.is_floating_point() or a.is_complex()):
        a, b = a.to(torch.float64), b.to(torch.float64)
    return torch.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


# ---------------------------------------------------------------------------------------------
# reductions


def _sum_dtype(name):
    """Keras's accumulation dtype of sum/prod/trace: small ints widen to 32 bits."""
    if name in ("bool", "int8", "int16"):
        return "int32"
    if name in ("uint8", "uint16"):
        return "uint32"
    return name


def _reduce(fn, x, axis, keepdims):
    """fn(x, dim, keepdim) over normalized axes; axis=() is the identity as in numpy."""
    axes = _axes(axis, x.ndim)
    if axes is None:
        axes = tuple(range(x.ndim))
    if len(axes) == 0:
        return x
    return fn(x, axes, keepdims)


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    # Keras 3 narrows 64-bit sums to 32 bits (result_type) and widens small ints.
    out_dtype = to_torch_dtype(_sum_dtype(dtypes.result_type(_name(x))))
    compute = torch.int64 if out_dtype in _NARROW_SUPPORT else out_dtype
    out = _reduce(lambda v, d, k: torch.sum(v, dim=d, keepdim=k, dtype=compute), x, axis,
                  keepdims)
    return out.to(out_dtype)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    name = dtypes.standardize_dtype(dtype) if dtype is not None else _sum_dtype(_name(x))
    out_dtype = to_torch_dtype(name)
    compute = torch.int64 if out_dtype in _NARROW_SUPPORT else out_dtype
    x = x.to(compute)
    axes = _axes(axis, x.ndim)
    if axes is None:
        out = torch.prod(x)
        if keepdims:
            out = out.reshape((1,) * x.ndim)
    else:
        out = x
        for a in sorted(axes, reverse=True):
            out = torch.prod(out, dim=a, keepdim=keepdims)
    return out.to(out_dtype)


def mean(x, axis=None, keepdims=False):
    x = _t(x)
    name = _name(x)
    if dtypes.is_float(name) or dtypes.is_complex(name):
        out_dtype = x.dtype
    else:
        out_dtype = to_torch_dtype(dtypes.result_type(name, float))
    # half precision accumulates in float32 for accuracy
    compute = torch.float32 if out_dtype in (torch.float16, torch.bfloat16) else out_dtype
    out = _reduce(lambda v, d, k: torch.mean(v.to(compute), dim=d, keepdim=k), x, axis,
                  keepdims)
    return out.to(out_dtype)


def _extreme(x, axis, keepdims, initial, fn, pick):
    x = _t(x)
    dt = x.dtype
    work = x.to(torch.int64) if dt in _NARROW_SUPPORT else x
    work = work.to(torch.uint8) if dt == torch.bool else work
    axes = _axes(axis, work.ndim)
    if axes is None:
        axes = tuple(range(work.ndim))
    out = fn(work, dim=axes, keepdim=keepdims) if axes else work
    if initial is not None:
        out = pick(out, torch.as_tensor(initial, dtype=out.dtype, device=out.device))
    return out.to(dt)


def max(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amax, torch.maximum)


def min(x, axis=None, keepdims=False, initial=None):
    return _extreme(x, axis, keepdims, initial, torch.amin, torch.minimum)


def amax(x, axis=None, keepdims=False):
    return max(x, axis=axis, keepdims=keepdims)


def amin(x, axis=None, keepdims=False):
    return min(x, axis=axis, keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    x = _t(x)
    x = x.to(to_torch_dtype(dtypes.result_type(_name(x), float)))  # Keras: float64 -> float32
    return _variance(x, axis, keepdims)


def _variance(x, axis, keepdims):
    x = _as_float(x)
    out_dtype = x.dtype
    compute = torch.float32 if out_dtype in (torch.float16, torch.bfloat16) else out_dtype
    out = _reduce(lambda v, d, k: torch.var(v.to(compute), dim=d, keepdim=k, correction=0),
                  x, axis, keepdims)
    if x.ndim and _axes(axis, x.ndim) == ():
        out = torch.zeros_like(x)
    return out.to(out_dtype)


def std(x, axis=None, keepdims=False):
    return torch.sqrt(_variance(x, axis, keepdims))  # Keras keeps float64 here


def all(x, axis=None, keepdims=False):
    x = _t(x).to(torch.bool)
    return _reduce(lambda v, d, k: torch.all(v, dim=d, keepdim=k), x, axis, keepdims)


def any(x, axis=None, keepdims=False):
    x = _t(x).to(torch.bool)
    return _reduce(lambda v, d, k: torch.any(v, dim=d, keepdim=k), x, axis, keepdims)


def _arg_extreme(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype == torch.bool or x.dtype in _NARROW_SUPPORT:
        x = x.to(torch.int64)
    if axis is None:
        out = fn(x.reshape(-1), dim=0)
        if keepdims:
            out = out.reshape((1,) * x.ndim)
    else:
        out = fn(x, dim=int(axis), keepdim=keepdims)
    return out.to(torch.int32)


def argmax(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _arg_extreme(torch.argmin, x, axis, keepdims)


def argsort(x, axis=-1):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.uint8)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.argsort(x, dim=axis, stable=True).to(torch.int32)


def sort(x, axis=-1):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if x.dtype == torch.bool:
        return torch.sort(x.to(torch.uint8), dim=axis, stable=True).values.to(torch.bool)
    return torch.sort(x, dim=axis, stable=True).values


def _cumulative(fn, x, axis, dtype):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    name = dtypes.standardize_dtype(dtype) if dtype is not None else _name(x)
    if name == "bool":
        name = "int32"
    out_dtype = to_torch_dtype(name)
    compute = torch.int64 if out_dtype in _NARROW_SUPPORT else out_dtype
    return fn(x.to(compute), dim=int(axis)).to(out_dtype)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(torch.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(torch.cumprod, x, axis, dtype)


# ---------------------------------------------------------------------------------------------
# products


def _contract(fn, a, b, out_name):
    """Run a product; ints and bools go through int64 (CPU kernels) then back."""
    out_dtype = to_torch_dtype(out_name)
    if a.is_floating_point() or a.is_complex():
        return fn(a, b).to(out_dtype)
    out = fn(a.to(torch.int64), b.to(torch.int64))
    return (out != 0) if out_dtype == torch.bool else out.to(out_dtype)


def matmul(x1, x2):
    a, b = _t(x1), _t(x2)
    if a.dtype == b.dtype and a.dtype in _FLOATS:  # the hot case: nothing to promote
        return torch.matmul(a, b)
    if _name(a) == "int8" and _name(b) == "int8":
        out = "int32"
    else:
        out = dtypes.result_type(_name(a), _name(b))
    a, b = promote(a, b)
    return _contract(torch.matmul, a, b, out)


def _tensordot(a, b, axes):
    return torch.tensordot(a, b, dims=axes)


def dot(x1, x2):
    a, b = promote(x1, x2)
    out = _name(a)
    if a.ndim == 0 or b.ndim == 0:
        return _contract(torch.mul, a, b, out)
    if b.ndim == 1:
        return _contract(lambda u, v: _tensordot(u, v, ([-1], [0])), a, b, out)
    return _contract(lambda u, v: _tensordot(u, v, ([-1], [-2])), a, b, out)


def tensordot(x1, x2, axes=2):
    a, b = promote(x1, x2)
    if isinstance(axes, (list, tuple)):
        axes = tuple(list(ax) if isinstance(ax, (list, tuple)) else [ax] for ax in axes)
    return _contract(lambda u, v: _tensordot(u, v, axes), a, b, _name(a))


def einsum(subscripts, *operands, **kwargs):
    ops = promote(*operands)
    out = _name(ops[0])
    if ops[0].is_floating_point() or ops[0].is_complex():
        return torch.einsum(subscripts, *ops)
    res = torch.einsum(subscripts, *[o.to(torch.int64) for o in ops])
    return (res != 0) if out == "bool" else res.to(to_torch_dtype(out))


def outer(x1, x2):
    a, b = promote(x1, x2)
    return _contract(lambda u, v: torch.outer(u.reshape(-1), v.reshape(-1)), a, b, _name(a))


def inner(x1, x2):
    a, b = promote(x1, x2)
    if a.ndim == 0 or b.ndim == 0:
        return _contract(torch.mul, a, b, _name(a))
    return _contract(lambda u, v: _tensordot(u, v, ([-1], [-1])), a, b, _name(a))


def vdot(x1, x2):
    a, b = promote(x1, x2)
    a, b = a.reshape(-1), b.reshape(-1)
    if a.is_complex():
        a = torch.conj(a).resolve_conj()
    return _contract(lambda u, v: torch.sum(u * v), a, b, _name(a))


# ---------------------------------------------------------------------------------------------
# shape manipulation


def _int_list(v):
    if isinstance(v, (torch.Tensor, np.ndarray, Variable)):
        return [int(e) for e in convert_to_numpy(v).reshape(-1)]
    if isinstance(v, (list, tuple)):
        return [int(e) for e in v]
    return [int(v)]


def reshape(x, newshape):
    x = _t(x)
    return torch.reshape(x, tuple(_int_list(newshape)))


def transpose(x, axes=None):
    x = _t(x)
    if axes is None:
        axes = tuple(range(x.ndim))[::-1]
    return x.permute(*[int(a) for a in axes])


def expand_dims(x, axis):
    x = _t(x)
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    out_ndim = x.ndim + len(axes)
    axes = sorted(int(a) % out_ndim for a in axes)
    shape_ = list(x.shape)
    for a in axes:
        shape_.insert(a, 1)
    return x.reshape(shape_)


def squeeze(x, axis=None):
    x = _t(x)
    if axis is None:
        return x.reshape([d for d in x.shape if d != 1])
    axes = _axes(axis, x.ndim)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"Cannot squeeze axis {a} of size {x.shape[a]}.")
    return x.reshape([d for i, d in enumerate(x.shape) if i not in axes])


def ravel(x):
    return _t(x).reshape(-1)


def flip(x, axis=None):
    x = _t(x)
    axes = _axes(axis, x.ndim)
    if axes is None:
        axes = tuple(range(x.ndim))
    return _compute(lambda v: torch.flip(v, dims=axes), x) if axes else x


def moveaxis(x, source, destination):
    x = _t(x)
    src = source if isinstance(source, (list, tuple)) else [source]
    dst = destination if isinstance(destination, (list, tuple)) else [destination]
    return torch.movedim(x, tuple(src), tuple(dst))


def swapaxes(x, axis1, axis2):
    return torch.swapaxes(_t(x), int(axis1), int(axis2))


def roll(x, shift, axis=None):
    x = _t(x)
    shifts = tuple(_int_list(shift))
    if axis is None:
        return torch.roll(x.reshape(-1), shifts[0]).reshape(x.shape)
    axes = tuple(_int_list(axis))
    if len(shifts) == 1 and len(axes) > 1:
        shifts = shifts * len(axes)
    if len(axes) == 1 and len(shifts) > 1:
        axes = axes * len(shifts)
    return torch.roll(x, shifts, axes)


def repeat(x, repeats, axis=None):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    if isinstance(repeats, (torch.Tensor, np.ndarray, list, tuple, Variable)):
        reps = torch.as_tensor(_int_list(repeats), dtype=torch.int64, device=x.device)
        if reps.numel() == 1:
            reps = int(reps.reshape(()).item())
    else:
        reps = int(repeats)
    return torch.repeat_interleave(x, reps, dim=int(axis))


def tile(x, repeats):
    x = _t(x)
    reps = _int_list(repeats)
    if len(reps) < x.ndim:
        reps = [1] * (x.ndim - len(reps)) + reps
    return torch.tile(x, tuple(reps))


def broadcast_to(x, shape):
    return torch.broadcast_to(_t(x), tuple(_int_list(shape)))


def copy(x):
    return _t(x).clone()


def diagonal(x, offset=0, axis1=0, axis2=1):
    return torch.diagonal(_t(x), offset=int(offset), dim1=int(axis1), dim2=int(axis2))


def diag(x, k=0):
    x = _t(x)
    if x.ndim == 1:
        n = x.shape[0] + builtins.abs(int(k))
        out = torch.zeros((n, n), dtype=x.dtype, device=x.device)
        idx = torch.arange(x.shape[0], device=x.device)
        rows, cols = (idx, idx + k) if k >= 0 else (idx - k, idx)
        return out.index_put((rows, cols), x)
    if x.ndim == 2:
        return torch.diagonal(x, offset=int(k))
    raise ValueError(f"diag expects a 1-D or 2-D input; got shape {tuple(x.shape)}.")


def _tri_mask(n, m, k, device, lower=True):
    i = torch.arange(n, device=device).reshape(-1, 1)
    j = torch.arange(m, device=device).reshape(1, -1)
    return (j <= i + k) if lower else (j >= i + k)


def tril(x, k=0):
    x = _t(x)
    mask = _tri_mask(x.shape[-2], x.shape[-1], int(k), x.device, lower=True)
    return torch.where(mask, x, torch.zeros((), dtype=x.dtype, device=x.device))


def triu(x, k=0):
    x = _t(x)
    mask = _tri_mask(x.shape[-2], x.shape[-1], int(k), x.device, lower=False)
    return torch.where(mask, x, torch.zeros((), dtype=x.dtype, device=x.device))


def _pad_pairs(pad_width, ndim):
    pw = np.asarray(convert_to_numpy(pad_width) if isinstance(pad_width, torch.Tensor)
                    else pad_width, dtype=np.int64)
    return [tuple(int(v) for v in row) for row in np.broadcast_to(pw, (ndim, 2))]


def _pad_index(n, before, after, mode):
    """Source indices (numpy int array) of a padded axis of length n."""
    pos = np.arange(-before, n + after)
    if mode == "edge":
        return np.clip(pos, 0, n - 1)
    if mode == "wrap":
        return np.mod(pos, n)
    if mode == "reflect":
        if n == 1:
            return np.zeros_like(pos)
        period = 2 * (n - 1)
        p = np.mod(pos, period)
        return np.where(p >= n, period - p, p)
    if mode == "symmetric":
        period = 2 * n
        p = np.mod(pos, period)
        return np.where(p >= n, period - 1 - p, p)
    raise ValueError(f"Unsupported pad mode {mode!r}.")


def pad(x, pad_width, mode='constant', constant_values=None):
    x = _t(x)
    pairs = _pad_pairs(pad_width, x.ndim)
    if mode == "constant":
        value = 0 if constant_values is None else constant_values
        if isinstance(value, (torch.Tensor, np.ndarray, Variable)):
            value = convert_to_numpy(value).item()
        new_shape = [d + b + a for d, (b, a) in zip(x.shape, pairs)]
        out = torch.full(new_shape, value, dtype=x.dtype, device=x.device)
        key = tuple(builtins.slice(b, b + d) for d, (b, _) in zip(x.shape, pairs))
        out[key] = x
        return out
    if constant_values is not None:
        raise ValueError("constant_values is only valid with mode='constant'.")
    if mode not in ("edge", "wrap", "reflect", "symmetric"):
        raise ValueError(f"Unsupported pad mode {mode!r}.")
    out = x
    for axis, (b, a) in enumerate(pairs):
        if b or a:
            idx = torch.as_tensor(_pad_index(x.shape[axis], b, a, mode), device=x.device)
            out = torch.index_select(out, axis, idx)
    return out


def concatenate(xs, axis=0):
    ts = promote(*xs)
    if axis is None:
        return torch.cat([t.reshape(-1) for t in ts], dim=0)
    return torch.cat(ts, dim=int(axis))


def stack(x, axis=0):
    return torch.stack(promote(*x), dim=int(axis))


def hstack(xs):
    ts = promote(*xs)
    if builtins.all(t.ndim == 1 for t in ts):
        return torch.cat(ts, dim=0)
    return torch.cat([t.reshape(1) if t.ndim == 0 else t for t in ts], dim=1)


def vstack(xs):
    ts = [t.reshape(1, -1) if t.ndim < 2 else t for t in promote(*xs)]
    return torch.cat(ts, dim=0)


def append(x1, x2, axis=None):
    a, b = promote(x1, x2)
    if axis is None:
        return torch.cat([a.reshape(-1), b.reshape(-1)])
    return torch.cat([a, b], dim=int(axis))


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, int):
        n = x.shape[axis]
        if n % indices_or_sections:
            raise ValueError(f"split: axis of size {n} is not divisible into "
                             f"{indices_or_sections} equal sections.")
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, _int_list(indices_or_sections), dim=axis))


def array_split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, int):
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, _int_list(indices_or_sections), dim=axis))


# ---------------------------------------------------------------------------------------------
# indexing


def _index_tensor(indices, n, device):
    idx = _t(indices).to(device)
    if idx.is_floating_point():
        idx = idx.to(torch.int64)
    idx = idx.to(torch.int64)
    return torch.where(idx < 0, idx + n, idx)


def take(x, indices, axis=None):
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    axis = int(axis) % x.ndim
    idx = _index_tensor(indices, x.shape[axis], x.device)
    out = torch.index_select(x, axis, idx.reshape(-1))
    return out.reshape(tuple(x.shape[:axis]) + tuple(idx.shape) + tuple(x.shape[axis + 1:]))


def take_along_axis(x, indices, axis=None):
    x = _t(x)
    idx = _t(indices)
    if axis is None:
        x, idx, axis = x.reshape(-1), idx.reshape(-1), 0
    axis = int(axis) % x.ndim
    idx = _index_tensor(idx, x.shape[axis], x.device)
    # numpy broadcasts the non-axis dims of x and indices against each other
    shape_x, shape_i = list(x.shape), list(idx.shape)
    shape_x[axis] = shape_i[axis] = 1
    common = torch.broadcast_shapes(tuple(shape_x), tuple(shape_i))
    bx, bi = list(common), list(common)
    bx[axis], bi[axis] = x.shape[axis], idx.shape[axis]
    return torch.gather(x.expand(bx), axis, idx.expand(bi))


def where(condition, x1=None, x2=None):
    cond = _t(condition)
    if x1 is None and x2 is None:
        return nonzero(cond)
    if x1 is None or x2 is None:
        raise ValueError("where needs both x1 and x2, or neither.")
    a, b = promote(x1, x2)
    cond = cond.to(a.device)
    return torch.where(cond.to(torch.bool), a, b)


def clip(x, x_min, x_max):
    x = _t(x)
    if x.dtype == torch.bool:
        x = x.to(torch.int32)
    dt = x.dtype
    work = x.to(torch.int64) if dt in _NARROW_SUPPORT else x
    lo = convert_to_tensor(x_min, dtype=work.dtype).to(work.device)
    hi = convert_to_tensor(x_max, dtype=work.dtype).to(work.device)
    return torch.minimum(torch.maximum(work, lo), hi).to(dt)


# ---------------------------------------------------------------------------------------------
# creation


def _shape_tuple(shape):
    return tuple(_int_list(shape))


def _dtype_or_floatx(dtype):
    return to_torch_dtype(dtype if dtype is not None else config.floatx())


def zeros(shape, dtype=None):
    return torch.zeros(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype),
                       device=default_device())


def ones(shape, dtype=None):
    return torch.ones(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype), device=default_device())


def empty(shape, dtype=None):
    return torch.empty(_shape_tuple(shape), dtype=_dtype_or_floatx(dtype),
                       device=default_device())


def full(shape, fill_value, dtype=None):
    value = convert_to_tensor(fill_value, dtype=dtype)
    return torch.broadcast_to(value, _shape_tuple(shape)).clone()


def zeros_like(x, dtype=None):
    x = _t(x)
    return torch.zeros_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def ones_like(x, dtype=None):
    x = _t(x)
    return torch.ones_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def empty_like(x, dtype=None):
    x = _t(x)
    return torch.empty_like(x, dtype=to_torch_dtype(dtype) if dtype else x.dtype)


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    dt = to_torch_dtype(dtype) if dtype else x.dtype
    value = convert_to_tensor(fill_value).to(device=x.device, dtype=dt)
    return torch.broadcast_to(value, x.shape).clone()


def eye(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    i = torch.arange(int(N), device=default_device()).reshape(-1, 1)
    j = torch.arange(int(M), device=default_device()).reshape(1, -1)
    return (j - i == int(k)).to(_dtype_or_floatx(dtype))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    return _tri_mask(int(N), int(M), int(k), default_device()).to(_dtype_or_floatx(dtype))


def _scalar(v):
    if isinstance(v, (torch.Tensor, np.ndarray, Variable, np.generic)):
        return convert_to_numpy(v).item()
    return v


def arange(start, stop=None, step=None, dtype=None):
    start, stop, step = _scalar(start), _scalar(stop), _scalar(step)
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if dtype is None:
        dtype = dtypes.result_type(*[type(v) if isinstance(v, (int, float)) and
                                     not isinstance(v, bool) else v
                                     for v in (start, stop, step)])
    dt = to_torch_dtype(dtype)
    n = builtins.max(int(pymath.ceil((stop - start) / step)), 0)
    # start + i * step, as numpy computes it
    base = torch.arange(n, dtype=torch.float64 if dt.is_floating_point else torch.int64,
                        device=default_device())
    return (start + base * step).to(dt)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    a = convert_to_tensor(start, dtype="float64")
    b = convert_to_tensor(stop, dtype="float64").to(a.device)
    a, b = torch.broadcast_tensors(a, b)
    num = int(num)
    div = (num - 1) if endpoint else num
    step = (b - a) / div if div > 0 else torch.full_like(a, float("nan"))
    i = torch.arange(num, dtype=torch.float64, device=a.device).reshape((-1,) + (1,) * a.ndim)
    out = a + i * step if div > 0 else a + i * (b - a)
    if endpoint and num > 1:
        out[-1] = b
    out = torch.movedim(out, 0, int(axis)) if a.ndim else out
    dt = _dtype_or_floatx(dtype)
    if not dt.is_floating_point and not dt.is_complex:
        out = torch.floor(out)
    out = out.to(dt)
    if retstep:
        return out, step.to(dt if dt.is_floating_point else _floatx())
    return out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    exps = linspace(start, stop, num=num, endpoint=endpoint, dtype="float64", axis=axis)
    out = torch.pow(torch.as_tensor(float(base), dtype=torch.float64, device=exps.device), exps)
    return out.to(_dtype_or_floatx(dtype))


def meshgrid(*x, indexing='xy'):
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij'; got {indexing!r}.")
    ts = [_t(v).reshape(-1) for v in x]
    n = len(ts)
    sizes = [t.shape[0] for t in ts]
    if indexing == "xy" and n >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    outs = []
    for i, t in enumerate(ts):
        pos = i
        if indexing == "xy" and n >= 2 and i < 2:
            pos = 1 - i
        view = [1] * n
        view[pos] = t.shape[0]
        outs.append(t.reshape(view).expand(sizes).clone())
    return outs


def nonzero(x):
    x = _t(x).to(torch.bool)
    return tuple(i.to(torch.int32) for i in torch.nonzero(x, as_tuple=True))


def count_nonzero(x, axis=None):
    x = _t(x).to(torch.bool)
    axes = _axes(axis, x.ndim)
    if axes == ():
        return x.to(torch.int32)
    return torch.count_nonzero(x, dim=axes).to(torch.int32)


def bincount(x, weights=None, minlength=0, sparse=False):
    if sparse:
        raise ValueError("The torch backend does not support sparse bincount.")
    x = _t(x).to(torch.int64)
    w = None if weights is None else _t(weights)
    out_dtype = torch.int32 if w is None else w.dtype
    if x.ndim == 1:
        out = torch.bincount(x, weights=None if w is None else w.to(torch.float64),
                             minlength=int(minlength))
        return out.to(out_dtype)
    if x.ndim != 2:
        raise ValueError(f"bincount expects a 1-D or 2-D input; got shape {tuple(x.shape)}.")
    # batched: one row of counts per input row, all of the same length
    length = builtins.max(int(x.max().item()) + 1 if x.numel() else 0, int(minlength))
    rows = []
    for r in range(x.shape[0]):
        wr = None if w is None else w[r].to(torch.float64)
        rows.append(torch.bincount(x[r], weights=wr, minlength=length))
    return torch.stack(rows).to(out_dtype)


def digitize(x, bins):
    a, b = promote(x, bins)
    if a.dtype == torch.bool:
        a, b = a.to(torch.int32), b.to(torch.int32)
    return torch.bucketize(a, b, right=True).to(torch.int32)


def diff(a, n=1, axis=-1):
    a = _t(a)
    if int(n) == 0:
        return a
    if a.dtype == torch.bool:
        out = a
        for _ in range(int(n)):
            out = torch.ne(out.narrow(axis, 1, out.shape[axis] - 1),
                           out.narrow(axis, 0, out.shape[axis] - 1))
        return out
    return _compute(lambda v: torch.diff(v, n=int(n), dim=int(axis)), a)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    d = torch.diagonal(x, offset=int(offset), dim1=int(axis1), dim2=int(axis2))
    return sum(d, axis=-1)


def size(x):
    if isinstance(x, (int, float, bool)):
        return 1
    return int(np.prod(tuple(_t(x).shape) if not hasattr(x, "shape") else tuple(x.shape)))


def ndim(x):
    if hasattr(x, "ndim"):
        return int(x.ndim)
    return _t(x).ndim


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


def average(x, axis=None, weights=None):
    x = _t(x)
    if weights is None:
        return mean(x, axis=axis)
    w = _t(weights)
    name = dtypes.result_type(_name(x), _name(w), float)
    x, w = x.to(to_torch_dtype(name)), w.to(device=x.device, dtype=to_torch_dtype(name))
    if axis is not None and w.ndim == 1 and x.ndim > 1:
        shape_ = [1] * x.ndim
        shape_[int(axis)] = w.shape[0]
        w = w.reshape(shape_)
    w = torch.broadcast_to(w, x.shape)
    return sum(x * w, axis=axis) / sum(w, axis=axis)


def _quantile_core(x, q, axis, method, keepdims, skip_nan=False):
    """numpy.quantile (numpy.nanquantile with skip_nan): sort along the (flattened) axes, then
    interpolate."""
    x = _t(x)
    out_dtype = x.dtype if x.is_floating_point() else _floatx()
    compute = torch.float64 if out_dtype == torch.float64 else torch.float32
    x = x.to(compute)
    q_t = convert_to_tensor(q).to(device=x.device, dtype=compute)
    ndim_ = x.ndim
    axes = _axes(axis, ndim_)
    if axes is None:
        axes = tuple(range(ndim_))
    keep = [i for i in range(ndim_) if i not in axes]
    moved = x.permute(*keep, *axes)
    flat = moved.reshape(tuple(x.shape[i] for i in keep) + (-1,))
    srt = torch.sort(flat, dim=-1).values  # NaNs sort last
    nan = torch.isnan(flat)
    if skip_nan:  # interpolate among each row's n non-NaN values; all-NaN rows give NaN
        n = (~nan).sum(dim=-1, keepdim=True)
        has_nan = n[..., 0] == 0
    else:
        n = torch.full(flat.shape[:-1] + (1,), flat.shape[-1], device=flat.device)
        has_nan = nan.any(dim=-1)
    top = (n - 1).clamp(min=0)
    pos = q_t.reshape(-1) * (n - 1)  # (rows..., len(q))
    lo = torch.minimum(torch.floor(pos).long().clamp(min=0), top)
    hi = torch.minimum(torch.ceil(pos).long().clamp(min=0), top)
    frac = pos - lo.to(compute)
    if method == "lower":
        idx_lo = idx_hi = lo
        frac = torch.zeros_like(frac)
    elif method == "higher":
        idx_lo = idx_hi = hi
        frac = torch.zeros_like(frac)
    elif method == "nearest":
        near = torch.minimum(torch.round(pos).long().clamp(min=0), top)  # half to even, as numpy
        idx_lo = idx_hi = near
        frac = torch.zeros_like(frac)
    elif method == "midpoint":
        idx_lo, idx_hi = lo, hi
        frac = torch.where(hi > lo, torch.full_like(frac, 0.5), torch.zeros_like(frac))
    elif method == "linear":
        idx_lo, idx_hi = lo, hi
    else:
        raise ValueError(f"Unknown quantile method {method!r}.")
    v_lo = torch.take_along_dim(srt, idx_lo, dim=-1)
    v_hi = torch.take_along_dim(srt, idx_hi, dim=-1)
    res = v_lo + (v_hi - v_lo) * frac
    res = torch.where(has_nan.unsqueeze(-1), torch.full_like(res, float("nan")), res)
    res = torch.movedim(res, -1, 0)  # q axis first, as numpy
    if keepdims:
        shape_ = [1 if i in axes else x.shape[i] for i in range(ndim_)]
        res = res.reshape((res.shape[0], *shape_))
    if q_t.ndim == 0:
        res = res[0]
    else:
        res = res.reshape(tuple(q_t.shape) + tuple(res.shape[1:]))
    return res.to(out_dtype)


def median(x, axis=None, keepdims=False):
    return _quantile_core(x, 0.5, axis, "linear", keepdims)


def quantile(x, q, axis=None, method='linear', keepdims=False):
    return _quantile_core(x, q, axis, method, keepdims)


def array(x, dtype=None):
    return convert_to_tensor(x, dtype=dtype)


def _key_part(k, device):
    if isinstance(k, (torch.Tensor, np.ndarray, Variable, list)):
        t = convert_to_tensor(k).to(device)
        return t if t.dtype == torch.bool else t.to(torch.int64)
    if isinstance(k, np.integer):
        return int(k)
    return k


def get_item(x, key):
    x = _t(x)
    if isinstance(key, tuple):
        key = tuple(_key_part(k, x.device) for k in key)
    else:
        key = _key_part(key, x.device)
    return x[key]


def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    return torch.all(isclose(x1, x2, rtol=rtol, atol=atol, equal_nan=equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    a, b = promote(x1, x2)
    return _compute(lambda u, v: torch.isin(u, v, assume_unique=assume_unique, invert=invert),
                    a, b, out_dtype=torch.bool)


# ---------------------------------------------------------------------------------------------
# bitwise


def bitwise_and(x, y):
    a, b = promote(x, y)
    return _compute(torch.bitwise_and, a, b)


def bitwise_or(x, y):
    a, b = promote(x, y)
    return _compute(torch.bitwise_or, a, b)


def bitwise_xor(x, y):
    a, b = promote(x, y)
    return _compute(torch.bitwise_xor, a, b)


def bitwise_invert(x):
    x = _t(x)
    if x.dtype in _NARROW_SUPPORT:
        # two's complement NOT within the unsigned width
        bits = x.element_size() * 8
        return ((1 << bits) - 1 - x.to(torch.int64)).to(x.dtype)
    return torch.bitwise_not(x)


def bitwise_not(x):
    return bitwise_invert(x)


def _shift(fn, x, y):
    a, b = promote(x, y)
    return _compute(fn, a, b)


def left_shift(x, y):
    return _shift(torch.bitwise_left_shift, x, y)


def right_shift(x, y):
    return _shift(torch.bitwise_right_shift, x, y)


def bitwise_left_shift(x, y):
    return left_shift(x, y)


def bitwise_right_shift(x, y):
    return right_shift(x, y)


# ---------------------------------------------------------------------------------------------
# misc numpy


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    a, b = promote(x1, x2)
    if a.dtype == torch.bool:
        raise ValueError("cross does not accept bool inputs.")
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = torch.movedim(a, axisa, -1), torch.movedim(b, axisb, -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError("cross: vectors must have 2 or 3 components.")
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]

    def comp(v):
        zero = torch.zeros_like(v[..., 0])
        return v[..., 0], v[..., 1], (v[..., 2] if v.shape[-1] == 3 else zero)

    a0, a1, a2 = comp(a)
    b0, b1, b2 = comp(b)
    out = torch.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim=-1)
    return torch.movedim(out, -1, axisc)


def conj(x):
    x = _t(x)
    return torch.conj(x).resolve_conj() if x.is_complex() else x


def conjugate(x):
    return conj(x)


def real(x):
    x = _t(x)
    return torch.real(x) if x.is_complex() else x


def imag(x):
    x = _t(x)
    return torch.imag(x) if x.is_complex() else torch.zeros_like(x)


def fliplr(x):
    x = _t(x)
    if x.ndim < 2:
        raise ValueError("fliplr needs an input of rank >= 2.")
    return torch.flip(x, dims=(1,))


def flipud(x):
    x = _t(x)
    if x.ndim < 1:
        raise ValueError("flipud needs an input of rank >= 1.")
    return torch.flip(x, dims=(0,))


def rot90(array, k=1, axes=(0, 1)):
    return torch.rot90(_t(array), int(k), [int(a) for a in axes])


def searchsorted(sorted_sequence, values, side='left'):
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right'; got {side!r}.")
    a, v = promote(sorted_sequence, values)
    if a.ndim != 1:
        raise ValueError("searchsorted needs a 1-D sorted_sequence.")
    if a.dtype == torch.bool:
        a, v = a.to(torch.int32), v.to(torch.int32)
    out_int32 = a.shape[0] <= np.iinfo(np.int32).max
    return torch.searchsorted(a, v, right=(side == "right"),
                              out_int32=out_int32)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("select: condlist and choicelist must have the same length.")
    choices = promote(*choicelist, default)
    conds = [_t(c).to(torch.bool) for c in condlist]
    out = choices[-1]
    shape_ = torch.broadcast_shapes(*[c.shape for c in conds], *[c.shape for c in choices])
    out = torch.broadcast_to(out, shape_)
    for c, ch in zip(reversed(conds), reversed(choices[:-1])):
        out = torch.where(c.to(out.device), ch, out)
    return out


def heaviside(x1, x2):
    # Keras 3: result_type(x1, x2), with int and bool results computed in floatx.
    a, b = promote(x1, x2)
    if not a.dtype.is_floating_point:
        a, b = a.to(_floatx()), b.to(_floatx())
    return torch.where(a < 0, torch.zeros_like(a), torch.where(a > 0, torch.ones_like(a), b))


def signbit(x):
    x = _t(x)
    if x.dtype == torch.bool:
        return torch.zeros_like(x)
    if x.is_floating_point():
        return torch.signbit(x)
    return x < 0 if x.dtype not in (torch.uint8, *_NARROW_SUPPORT) else torch.zeros_like(
        x, dtype=torch.bool)


def fmod(x1, x2):
    a, b = _int_for_bool(*promote(x1, x2))
    return _compute(torch.fmod, a, b)


# ---------------------------------------------------------------------------------------------
# nan-aware reductions and statistics


def _nan_filled(x, value):
    """x with NaNs replaced by value (a select, so NaN entries get a zero gradient)."""
    x = _t(x)
    if not x.is_floating_point():
        return x
    return torch.where(torch.isnan(x), torch.full_like(x, value), x)


def _float_result(x):
    """x cast to result_type(x, float): ints give floatx and float64 gives float32, as Keras."""
    x = _t(x)
    return x.to(to_torch_dtype(dtypes.result_type(_name(x), float)))


def _nan_masked(reduce, fill, empty, x, axis, keepdims):
    """reduce(x) with NaNs replaced by fill; slices that are all NaN give `empty`."""
    if not x.is_floating_point():
        return reduce(x, axis=axis, keepdims=keepdims)
    nan = torch.isnan(x)
    out = reduce(torch.where(nan, fill, x), axis=axis, keepdims=keepdims)
    return torch.where(all(nan, axis=axis, keepdims=keepdims), empty, out)


def nanargmax(x, axis=None, keepdims=False):
    return _nan_masked(argmax, -pymath.inf, -1, _t(x), axis, keepdims)


def nanargmin(x, axis=None, keepdims=False):
    return _nan_masked(argmin, pymath.inf, -1, _t(x), axis, keepdims)


def nancumprod(x, axis=None, dtype=None):
    return cumprod(_nan_filled(x, 1), axis=axis, dtype=dtype)


def nancumsum(x, axis=None, dtype=None):
    return cumsum(_nan_filled(x, 0), axis=axis, dtype=dtype)


def _narrowed(x):
    """Keras's nanmax/nanmin dtype: result_type(x), so 64-bit inputs give 32-bit results."""
    x = _t(x)
    return x.to(to_torch_dtype(dtypes.result_type(_name(x))))


def nanmax(x, axis=None, keepdims=False):
    return _nan_masked(max, -pymath.inf, pymath.nan, _narrowed(x), axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_masked(min, pymath.inf, pymath.nan, _narrowed(x), axis, keepdims)


def nanmean(x, axis=None, keepdims=False):
    x = _float_result(x)
    count = sum(~torch.isnan(x), axis=axis, keepdims=keepdims).to(x.dtype)
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims) / count  # 0 / 0 is NaN


def nanvar(x, axis=None, keepdims=False):
    x = _float_result(x)
    valid = ~torch.isnan(x)
    centered = torch.where(valid, _nan_filled(x, 0) - nanmean(x, axis=axis, keepdims=True), 0)
    count = sum(valid, axis=axis, keepdims=keepdims).to(x.dtype)
    return sum(centered * centered, axis=axis, keepdims=keepdims) / count


def nanstd(x, axis=None, keepdims=False):
    return torch.sqrt(nanvar(x, axis=axis, keepdims=keepdims))


def nansum(x, axis=None, keepdims=False):
    return sum(_nan_filled(x, 0), axis=axis, keepdims=keepdims)


def nanprod(x, axis=None, keepdims=False):
    return prod(_nan_filled(x, 1), axis=axis, keepdims=keepdims)


def nanquantile(x, q, axis=None, method='linear', keepdims=False):
    return _quantile_core(_float_result(x), q, axis, method, keepdims, skip_nan=True)


def nanmedian(x, axis=None, keepdims=False):
    return nanquantile(x, 0.5, axis=axis, keepdims=keepdims)


def nanpercentile(x, q, axis=None, method='linear', keepdims=False):
    x = _float_result(x)
    q = _t(q).to(device=x.device, dtype=x.dtype) / 100
    return _quantile_core(x, q, axis, method, keepdims, skip_nan=True)


def percentile(x, q, axis=None, method='linear', keepdims=False):
    x = _float_result(x)
    q = _t(q).to(device=x.device, dtype=x.dtype) / 100
    return _quantile_core(x, q, axis, method, keepdims)


def ptp(x, axis=None, keepdims=False):
    x = _t(x)
    if x.dtype == torch.bool:
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
    x = _t(x)
    _histogram_args(x, bins, range)
    x = x if x.is_floating_point() else x.to(_floatx())
    if range is None:
        range = (x.min().item(), x.max().item()) if x.numel() else (0.0, 1.0)
    lo, hi = float(range[0]), float(range[1])
    if lo == hi:  # numpy widens an empty span by 0.5 on each side
        lo, hi = lo - 0.5, hi + 0.5
    edges = torch.linspace(lo, hi, bins + 1, dtype=x.dtype, device=x.device)
    inside = (x >= edges[0]) & (x <= edges[-1])
    # bin = number of inner edges <= x, so the last bin includes its right edge
    idx = torch.searchsorted(edges[1:-1].contiguous(), x, right=True)
    counts = torch.zeros(bins, dtype=x.dtype, device=x.device)
    return counts.index_add(0, idx, inside.to(x.dtype)), edges


def corrcoef(x):
    x = _t(x)
    name = "float64" if _name(x) == "int64" else dtypes.result_type(_name(x), float)
    return torch.corrcoef(x.to(to_torch_dtype(name)))


def _correlate_dtype(x1, x2):
    name = dtypes.result_type(_dtype_of(x1), _dtype_of(x2))
    if name == "int64":
        return "float64"
    return name if name in ("float16", "bfloat16", "float64") else "float32"


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
    dtype = to_torch_dtype(_correlate_dtype(x1, x2))
    a, v = _t(x1).to(dtype), _t(x2).to(dtype)
    if a.ndim != 1 or v.ndim != 1:
        raise ValueError(f"correlate: x1 and x2 must be 1-D. Received: shapes "
                         f"{tuple(a.shape)} and {tuple(v.shape)}")
    n, m = a.shape[0], v.shape[0]
    start, length = _correlate_window(n, m, mode)
    # conv1d is a cross-correlation; padding m - 1 on both sides gives every lag
    full = torch.nn.functional.conv1d(a.reshape(1, 1, n), v.to(a.device).reshape(1, 1, m),
                                      padding=m - 1).reshape(-1)
    return full[start:start + length]


def _fit_length(t, dim, size, fill):
    """t truncated, or padded with fill, to `size` along dim."""
    n = t.shape[dim]
    if n >= size:
        return t.narrow(dim, 0, size)
    shape_ = list(t.shape)
    shape_[dim] = size - n
    return torch.cat([t, torch.full(shape_, fill, dtype=t.dtype, device=t.device)], dim)


def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    x = _t(x)
    dim = 0 if axis is None else int(axis) % x.ndim
    # torch sorts unique values (slices lexicographically with dim) whatever `sorted` says
    values, inverse, counts = torch.unique(x.reshape(-1) if axis is None else x,
                                           return_inverse=True, return_counts=True, dim=dim)
    # first occurrence: the smallest position that maps to each value
    positions = torch.arange(inverse.shape[0], device=x.device)
    index = torch.full((values.shape[dim],), inverse.shape[0], device=x.device)
    index = index.scatter_reduce(0, inverse, positions, reduce="amin")
    if axis is None:
        inverse = inverse.reshape(x.shape)
    if size is not None:
        values = _fit_length(values, dim, size, 0 if fill_value is None else fill_value)
        index, counts = _fit_length(index, 0, size, 0), _fit_length(counts, 0, size, 0)
    out = [values] + [extra.to(torch.int32) for flag, extra in
                      ((return_index, index), (return_inverse, inverse), (return_counts, counts))
                      if flag]
    return out[0] if len(out) == 1 else tuple(out)


def argpartition(x, kth, axis=-1):
    x = _t(x)
    n = x.numel() if axis is None else x.shape[axis]
    for k in (kth if isinstance(kth, (list, tuple)) else [kth]):
        if not -n <= int(k) < n:
            raise ValueError(f"argpartition: kth={k} is out of bounds for an axis of size {n}.")
    return argsort(x, axis=axis)  # a full sort is a valid partition around every kth


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _float_result(y)
    if x is None:
        return torch.trapezoid(y, dx=float(dx), dim=axis)
    return torch.trapezoid(y, _t(x).to(device=y.device, dtype=y.dtype), dim=axis)


# --- nan-aware reductions and statistics (add these ops above this line) ---


# ---------------------------------------------------------------------------------------------
# windows, splits, number theory, misc


def angle(x):
    x = _as_float(x)
    if x.is_complex():
        return torch.angle(x)
    return torch.atan2(torch.zeros_like(x), x)  # pi for -0.0 too, as numpy (torch.angle: 0)


def _window(fn, x, **kwargs):
    """A symmetric window of int(x) points, computed in float64 as numpy does."""
    n = int(convert_to_numpy(x)) if isinstance(x, (torch.Tensor, Variable)) else int(x)
    out = fn(n, sym=True, dtype=torch.float64, device=default_device(), **kwargs)
    return out.to(_floatx())


def bartlett(x):
    return _window(torch.signal.windows.bartlett, x)


def blackman(x):
    return _window(torch.signal.windows.blackman, x)


def hamming(x):
    return _window(torch.signal.windows.hamming, x)


def hanning(x):
    return _window(torch.signal.windows.hann, x)


def kaiser(x, beta):
    return _window(torch.signal.windows.kaiser, x, beta=float(_scalar(beta)))


def diagflat(x, k=0):
    return torch.diagflat(_t(x), offset=int(k))


def _min_rank(x, rank, name):
    x = _t(x)
    if x.ndim < rank:
        raise ValueError(f"{name} needs a tensor of rank >= {rank}; received shape "
                         f"{tuple(x.shape)}.")
    return x


def dsplit(x, indices_or_sections):
    return split(_min_rank(x, 3, "dsplit"), indices_or_sections, axis=2)


def hsplit(x, indices_or_sections):
    x = _min_rank(x, 1, "hsplit")
    return split(x, indices_or_sections, axis=1 if x.ndim > 1 else 0)


def vsplit(x, indices_or_sections):
    return split(_min_rank(x, 2, "vsplit"), indices_or_sections, axis=0)


def dstack(xs):
    return torch.dstack(promote(*xs))


def fabs(x):
    x = _as_float(x)
    if x.is_complex():
        raise TypeError(f"fabs does not accept complex inputs; received `x` of dtype {_name(x)}.")
    return torch.abs(x)


def fmax(x1, x2):
    return _compute(torch.fmax, *promote(x1, x2))


def fmin(x1, x2):
    return _compute(torch.fmin, *promote(x1, x2))


def _int_pair(name, x1, x2):
    for arg, x in (("x1", x1), ("x2", x2)):
        d = _name(_t(x))
        if not dtypes.is_int(d):
            raise ValueError(f"{name} needs integer inputs; received `{arg}` of dtype {d}.")
    return promote(x1, x2)


def gcd(x1, x2):
    return _compute(torch.gcd, *_int_pair("gcd", x1, x2))


def lcm(x1, x2):
    return _compute(torch.lcm, *_int_pair("lcm", x1, x2))


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    if dtype is None:
        dtype = dtypes.result_type(_dtype_of(start), _dtype_of(stop), float)
    a = convert_to_tensor(start, dtype="float64")
    b = convert_to_tensor(stop, dtype="float64").to(a.device)
    a, b = torch.broadcast_tensors(a, b)
    sign = torch.where((a < 0) & (b < 0), -1.0, 1.0).to(torch.float64)  # both negative: mirror
    out = sign * logspace(torch.log10(a * sign), torch.log10(b * sign), num=num,
                          endpoint=endpoint, dtype="float64")
    if num > 0:  # exact bounds, as numpy sets them
        out[0] = a
    if endpoint and num > 1:
        out[-1] = b
    out = torch.movedim(out, 0, int(axis)) if a.ndim else out
    return out.to(to_torch_dtype(dtype))


def i0(x):
    x = _t(x)
    if not x.is_floating_point():
        x = x.to(torch.float64 if x.dtype == torch.int64 else _floatx())  # Keras' i0 dtypes
    return torch.i0(x)


def isneginf(x):
    x = _t(x)
    if not x.is_floating_point():
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.isneginf(x)


def isposinf(x):
    x = _t(x)
    if not x.is_floating_point():
        return torch.zeros(x.shape, dtype=torch.bool, device=x.device)
    return torch.isposinf(x)


def isreal(x):
    return torch.isreal(_t(x))


def kron(x1, x2):
    return _compute(torch.kron, *promote(x1, x2))


def ldexp(x1, x2):
    e = _t(x2)
    if not dtypes.is_int(_name(e)):
        raise TypeError(f"ldexp needs an integer exponent; received `x2` of dtype {_name(e)}.")
    dtype = dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float)
    a = convert_to_tensor(x1, dtype=dtype)
    # a * 2**e with a float power: torch.ldexp's gradient drops negative exponents
    return a * torch.exp2(e.to(device=a.device, dtype=a.dtype))


def logaddexp2(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.logaddexp2(a, b)


def nextafter(x1, x2):
    a, b = promote(x1, x2, dtype=dtypes.result_type(_dtype_of(x1), _dtype_of(x2), float))
    return torch.nextafter(a, b)


def sinc(x):
    return torch.sinc(_as_float(x))


def slogdet(x):
    x = _as_float(x)
    compute = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
    sign, logdet = torch.linalg.slogdet(x.to(compute))  # no half LAPACK kernels
    return sign.to(x.dtype), logdet.to(x.dtype)


def unravel_index(indices, shape):
    indices = _t(indices)
    out = to_torch_dtype(dtypes.result_type(_name(indices)))
    return tuple(i.to(out) for i in torch.unravel_index(indices, tuple(_int_list(shape))))


def vander(x, N=None, increasing=False):
    x = _t(x)
    if x.ndim != 1:
        raise ValueError(f"vander needs a 1-D `x`; received shape {tuple(x.shape)}.")
    n = x.shape[0] if N is None else int(N)
    base = x.to(torch.int32) if x.dtype == torch.bool else x  # powers of a bool: as ints
    # cumulative products of [1, x, x, ...] (torch.vander's backward fails on in-place writes)
    cols = base[:, None].expand(x.shape[0], builtins.max(n - 1, 0))
    out = torch.cumprod(torch.cat([torch.ones_like(base)[:, None], cols], 1)[:, :n], dim=1)
    return (out if increasing else torch.flip(out, dims=(1,))).to(x.dtype)


def view(x, dtype=None):
    x = _t(x)
    if dtype is None:
        return x
    new = to_torch_dtype(dtype)
    old_size, new_size = x.element_size(), torch.empty((), dtype=new).element_size()
    if old_size != new_size and (x.ndim == 0 or x.shape[-1] * old_size % new_size):
        raise ValueError(f"view cannot reinterpret a tensor of shape {tuple(x.shape)} and dtype "
                         f"{_name(x)} as {dtypes.standardize_dtype(dtype)}: the bytes of its "
                         f"last axis must split evenly into items of {new_size} bytes.")
    return x.contiguous().view(new)


# --- more numpy ops: windows, splits, number theory, misc (add these ops above this line) ---
