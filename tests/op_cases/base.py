"""Shared pieces of the op case table: the Case record, input makers and reference helpers."""

import dataclasses
import math as _math
from typing import Any, Callable

import numpy as np

FLOATX = "float32"
EPSILON = 1e-7


@dataclasses.dataclass
class Case:
    op: str
    group: str
    make: Callable[[], tuple]
    ref: Callable
    kwargs: dict = dataclasses.field(default_factory=dict)
    name: str = ""
    rtol: float = 1e-5
    atol: float = 1e-5
    dtype: Any = None
    grad: Any = None
    grad_args: Any = None
    grad_pre: Any = None
    grad_post: Any = None
    grad_rtol: float = 1e-4
    grad_atol: float = 1e-5
    canon: Any = None
    check_values: bool = True
    ref_f64: bool = True  # give the reference float64 copies of float inputs

    @property
    def id(self):
        return f"{self.op}-{self.name}" if self.name else self.op


CASES = []
SKIPPED = {
    # op: reason. Every contract op of the numpy, nn, math, linalg and image groups has cases;
    # `empty` and `empty_like` have undefined values, so their cases check shape and dtype only.
}
# Ops with grad=True in the contract whose gradient this table does not check, with the reason.
GRAD_SKIPPED = {}


def _add(group, op, make, ref, **kw):
    c = Case(op=op, group=group, make=make, ref=ref, **kw)
    CASES.append(c)
    return c


def np_case(op, make, ref, **kw):
    return _add("numpy", op, make, ref, **kw)


def nn_case(op, make, ref, **kw):
    return _add("nn", op, make, ref, **kw)


def math_case(op, make, ref, **kw):
    return _add("math", op, make, ref, **kw)


def la_case(op, make, ref, **kw):
    return _add("linalg", op, make, ref, **kw)


def im_case(op, make, ref, **kw):
    return _add("image", op, make, ref, **kw)


def core_case(op, make, ref, **kw):
    return _add("core", op, make, ref, **kw)


# --------------------------------------------------------------------------------------------
# Input makers (fixed seeds, small shapes)


def _rng(seed):
    return np.random.default_rng(seed)


def U(shape, lo=-1.0, hi=1.0, seed=0, dtype="float32"):
    """Uniform floats."""
    return _rng(seed).uniform(lo, hi, size=shape).astype(dtype)


def N(shape, seed=0, dtype="float32"):
    """Standard normal floats."""
    return _rng(seed).standard_normal(shape).astype(dtype)


def I(shape, lo, hi, seed=0, dtype="int32"):
    """Uniform ints in [lo, hi)."""
    return _rng(seed).integers(lo, hi, size=shape).astype(dtype)


def AWAY(shape, lo, hi, seed=0, dtype="float32"):
    """Floats with |x| in [lo, hi] and random sign (away from kinks at 0)."""
    r = _rng(seed)
    return (r.uniform(lo, hi, size=shape) * r.choice([-1.0, 1.0], size=shape)).astype(dtype)


def DISTINCT(shape, seed=0, dtype="float32", scale=1.0):
    """A random permutation of well-separated values (no ties within one array, and arrays of
    different seeds do not share values)."""
    n = int(np.prod(shape))
    v = (_rng(seed).permutation(n) - n / 2.0) * 0.37 * scale + 0.05 + 0.013 * seed
    return v.reshape(shape).astype(dtype)


def SPD(n, seed=0, batch=(), dtype="float32"):
    """Symmetric positive-definite matrices."""
    a = _rng(seed).standard_normal(batch + (n, n))
    return (a @ np.swapaxes(a, -1, -2) + n * np.eye(n)).astype(dtype)


def B(shape, seed=0, p=0.5):
    """Bools."""
    return _rng(seed).uniform(size=shape) < p


# --------------------------------------------------------------------------------------------
# Numpy helpers for references


def _tuple(v, n):
    if isinstance(v, (tuple, list)):
        return tuple(v)
    return (v,) * n


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softplus(x):
    return np.logaddexp(0.0, x)


def _log_softmax(x, axis=-1):
    m = np.max(x, axis=axis, keepdims=True)
    s = x - m
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _softmax(x, axis=-1):
    return np.exp(_log_softmax(x, axis))


def _erf(x):
    x = np.asarray(x)
    return np.vectorize(_math.erf, otypes=[np.float64])(x).astype(
        x.dtype if x.dtype.kind == "f" else np.float64
    )


def _erfinv(x):
    from scipy import special

    return special.erfinv(x)


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _keep_float(fn):
    """Reference for unary_float ops: ints computed in float64."""

    def ref(x, **kw):
        return fn(_as_float(x), **kw)

    return ref


# Everything above (underscored helpers too) is shared with the group modules.
__all__ = [n for n in list(globals()) if not n.startswith("__")]
