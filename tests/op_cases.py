"""The op test table: for each contract op, inputs, arguments and a numpy reference.

Importable with numpy alone (scipy is imported lazily by a few references): no framework, no
keraslite. `tests/test_ops.py` runs every case on the active backend.

A case holds:
- ``op``: name of the op; ``group``: its contract group (``image`` and ``linalg`` ops are
  called through ``keraslite.ops.image`` / ``keraslite.ops.linalg``).
- ``make()``: the positional arguments (numpy arrays with a fixed seed, Python values, lists).
- ``kwargs``: keyword arguments, passed to the op and to the reference.
- ``ref(*args, **kwargs)``: the numpy reference. Float inputs are given to it in float64.
- ``rtol``/``atol``: value tolerances (outputs compared after ``convert_to_numpy``).
- ``dtype``: expected output dtype (a string, or a tuple for several outputs); None means
  "derived from the contract's dtype rule" (or, for ``custom`` ops, from the reference).
- ``grad``: whether to check gradients (None: the contract's grad flag, when float inputs exist).
  ``grad_args`` lists the positional arguments to differentiate (None: every one holding floats).
- ``grad_pre(args, xp)`` / ``grad_post(out, xp)``: transforms of the differentiated arguments and
  of the outputs, written with ``xp`` being numpy or ``keraslite.ops``, for ops whose outputs
  are only defined up to sign (qr, svd, eigh) or that read part of their input (cholesky).
- ``canon(out)``: numpy normalisation applied to actual and reference outputs before comparing.
"""

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


# --------------------------------------------------------------------------------------------
# numpy group: element-wise unary ops

_UNARY_FLOAT = {
    # name: (numpy fn, float maker, int values or None)
    "arccos": (np.arccos, lambda: U((2, 3), -0.9, 0.9), [-1, 0, 1]),
    "arccosh": (np.arccosh, lambda: U((2, 3), 1.2, 3.0), [1, 2, 3]),
    "arcsin": (np.arcsin, lambda: U((2, 3), -0.9, 0.9), [-1, 0, 1]),
    "arcsinh": (np.arcsinh, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "arctan": (np.arctan, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "arctanh": (np.arctanh, lambda: U((2, 3), -0.9, 0.9), [0, 0, 0]),
    "cos": (np.cos, lambda: U((2, 3), -3, 3), [-2, 0, 3]),
    "cosh": (np.cosh, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "sin": (np.sin, lambda: U((2, 3), -3, 3), [-2, 0, 3]),
    "sinh": (np.sinh, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "tan": (np.tan, lambda: U((2, 3), -1.2, 1.2), [-1, 0, 1]),
    "tanh": (np.tanh, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "exp": (np.exp, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "exp2": (np.exp2, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "expm1": (np.expm1, lambda: U((2, 3), -2, 2), [-2, 0, 3]),
    "log": (np.log, lambda: U((2, 3), 0.2, 3), [1, 2, 5]),
    "log10": (np.log10, lambda: U((2, 3), 0.2, 3), [1, 10, 5]),
    "log1p": (np.log1p, lambda: U((2, 3), -0.5, 3), [0, 2, 5]),
    "log2": (np.log2, lambda: U((2, 3), 0.2, 3), [1, 8, 5]),
    "sqrt": (np.sqrt, lambda: U((2, 3), 0.2, 3), [0, 4, 9]),
    "cbrt": (np.cbrt, lambda: AWAY((2, 3), 0.3, 2), [-8, 0, 27]),
    "reciprocal": (np.reciprocal, lambda: AWAY((2, 3), 0.3, 2), [-2, 1, 4]),
    "deg2rad": (np.deg2rad, lambda: U((2, 3), -180, 180), [-90, 0, 45]),
    "rad2deg": (np.rad2deg, lambda: U((2, 3), -3, 3), [-2, 0, 3]),
}

for _name, (_fn, _mk, _ints) in _UNARY_FLOAT.items():
    np_case(_name, (lambda mk=_mk: (mk(),)), _keep_float(_fn))
    np_case(_name, (lambda v=_ints: (np.array(v, dtype="int32"),)), _keep_float(_fn), name="int32",
            dtype=FLOATX)

np_case("sqrt", lambda: (np.array([0, 4, 9, 2], dtype="int64"),), _keep_float(np.sqrt),
        name="int64", dtype=FLOATX)
np_case("exp", lambda: (np.array([True, False]),), _keep_float(np.exp), name="bool", dtype=FLOATX)
np_case("sin", lambda: (U((3, 1, 2), -3, 3),), _keep_float(np.sin), name="rank3")

for _name, _fn in {"abs": np.abs, "absolute": np.absolute, "negative": np.negative,
                   "square": np.square, "sign": np.sign}.items():
    np_case(_name, (lambda: (AWAY((2, 3), 0.2, 2),)), _fn)
    np_case(_name, (lambda: (np.array([[-3, 0, 2], [5, -1, 7]], dtype="int32"),)), _fn,
            name="int32")

for _name, _fn in {"ceil": np.ceil, "floor": np.floor, "trunc": np.trunc}.items():
    np_case(_name, (lambda: (np.array([[-1.7, -0.2, 0.0], [0.3, 1.5, 2.9]], "float32"),)), _fn)
np_case("round", lambda: (np.array([0.5, 1.5, 2.5, -0.5, -1.7, 2.3, 3.49], "float32"),),
        np.round, name="half_even")
np_case("round", lambda: (np.array([1.234, -2.567, 3.14159, 10.02], "float32"),), np.round,
        kwargs={"decimals": 1}, name="decimals1", ref_f64=False)

# --------------------------------------------------------------------------------------------
# numpy group: binary element-wise ops

_BIN = {
    "add": np.add, "subtract": np.subtract, "multiply": np.multiply,
    "maximum": np.maximum, "minimum": np.minimum,
}
for _name, _fn in _BIN.items():
    np_case(_name, lambda: (DISTINCT((2, 3)), DISTINCT((3,), seed=1, scale=1.3)), _fn,
            name="broadcast")
    np_case(_name, lambda: (DISTINCT((2, 1, 3)), DISTINCT((4, 1), seed=1, scale=1.3)), _fn,
            name="broadcast_both")
    np_case(_name, lambda: (I((2, 3), -5, 5), I((2, 3), -5, 5, seed=1)), _fn, name="int32")
    np_case(_name, lambda: (U((2, 3)), 2), _fn, name="pyint")
    np_case(_name, lambda: (I((2, 3), -5, 5), 2.5), _fn, name="int_pyfloat", dtype=FLOATX)
np_case("add", lambda: (U((2, 3)), I((2, 3), -5, 5)), np.add, name="float_int")
np_case("add", lambda: (I((3,), -5, 5, dtype="int8"), I((3,), -5, 5, seed=1, dtype="int16")),
        np.add, name="int8_int16")
np_case("multiply", lambda: (B((2, 3)), B((2, 3), seed=1)), np.multiply, name="bool")

np_case("power", lambda: (U((2, 3), 0.5, 2.0), U((3,), -2, 2, seed=1)), np.power)
np_case("power", lambda: (np.array([2, 3, -2], "int32"), np.array([3, 2, 3], "int32")),
        np.power, name="int32")
np_case("power", lambda: (U((2, 3), 0.5, 2.0), 2), np.power, name="pyint")

for _name, _fn in {"mod": np.mod, "floor_divide": np.floor_divide}.items():
    np_case(_name, lambda: (np.array([[5.5, -5.5, 3.2], [-7.1, 0.4, 8.3]], "float32"),
                            np.array([2.0, 2.5, -1.5], "float32")), _fn)
    np_case(_name, lambda: (np.array([7, -7, 7, -7, 0], "int32"),
                            np.array([3, 3, -3, -3, 5], "int32")), _fn, name="int32")

for _name, _fn in {"divide": np.divide, "true_divide": np.true_divide}.items():
    np_case(_name, lambda: (U((2, 3)), AWAY((3,), 0.5, 2, seed=1)), _fn)
    np_case(_name, lambda: (np.array([7, -7, 1], "int32"), np.array([2, 4, 3], "int32")),
            lambda a, b: a / b, name="int32", dtype=FLOATX)
    np_case(_name, lambda: (U((2, 3)), 2), lambda a, b: a / b, name="pyint")

np_case("arctan2", lambda: (U((2, 3)), AWAY((3,), 0.3, 2, seed=1)), np.arctan2)
np_case("arctan2", lambda: (np.array([1, -1, 0, 2], "int32"), np.array([1, 1, 1, -3], "int32")),
        lambda a, b: np.arctan2(a.astype("float64"), b.astype("float64")), name="int32",
        dtype=FLOATX)
np_case("logaddexp", lambda: (U((2, 3), -3, 3), U((3,), -3, 3, seed=1)), np.logaddexp)
np_case("hypot", lambda: (AWAY((2, 3), 0.2, 2), AWAY((3,), 0.2, 2, seed=1)), np.hypot)
np_case("divide_no_nan", lambda: (U((2, 3)), np.array([0.0, 2.0, -0.5], "float32")),
        lambda a, b: np.where(b == 0, 0.0, a / np.where(b == 0, 1.0, b)), name="zeros",
        grad_args=(0,))
np_case("divide_no_nan", lambda: (U((2, 3)), AWAY((3,), 0.5, 2, seed=1)),
        lambda a, b: a / b, name="nonzero")

for _name, _fn in {"equal": np.equal, "not_equal": np.not_equal, "greater": np.greater,
                   "greater_equal": np.greater_equal, "less": np.less,
                   "less_equal": np.less_equal}.items():
    np_case(_name, lambda: (I((2, 4), 0, 3), I((4,), 0, 3, seed=1)), _fn)
    np_case(_name, lambda: (np.array([0.5, 1.0, -2.0], "float32"), 1.0), _fn, name="pyfloat")
    np_case(_name, lambda: (I((3,), 0, 3), np.array([1.0, 0.5, 2.0], "float32")), _fn,
            name="int_float")

for _name, _fn in {"logical_and": np.logical_and, "logical_or": np.logical_or,
                   "logical_xor": np.logical_xor}.items():
    np_case(_name, lambda: (B((2, 4)), B((4,), seed=1)), _fn)
    np_case(_name, lambda: (np.array([0, 1, 2, 0], "int32"), np.array([0.0, 0.0, 3.0, 1.0], "float32")),
            _fn, name="numeric")
np_case("logical_not", lambda: (B((2, 3)),), np.logical_not)
np_case("logical_not", lambda: (np.array([0.0, 1.5, -2.0], "float32"),), np.logical_not,
        name="float")

_SPECIAL = lambda: (np.array([1.0, np.nan, np.inf, -np.inf, 0.0, -3.5], "float32"),)  # noqa: E731
np_case("isnan", _SPECIAL, np.isnan)
np_case("isinf", _SPECIAL, np.isinf)
np_case("isfinite", _SPECIAL, np.isfinite)
np_case("isnan", lambda: (np.array([1, 2], "int32"),), np.isnan, name="int32")
np_case("isclose", lambda: (np.array([1.0, 1.0, 1.0, 2.0], "float32"),
                            np.array([1.0 + 1e-7, 1.001, 1.0 + 1e-5, 2.0], "float32")),
        np.isclose, ref_f64=False)
np_case("isclose", lambda: (np.array([1.0, 1.0, np.nan], "float32"),
                            np.array([1.05, 2.0, np.nan], "float32")), np.isclose,
        kwargs={"rtol": 0.0, "atol": 0.1, "equal_nan": True}, name="tols")

# --------------------------------------------------------------------------------------------
# numpy group: reductions


_RED = {"sum": np.sum, "prod": np.prod, "mean": np.mean, "max": np.max, "min": np.min,
        "amax": np.amax, "amin": np.amin, "std": np.std, "var": np.var}
for _name, _fn in _RED.items():
    _mk = (lambda: (DISTINCT((2, 3, 4), scale=0.2),)) if _name == "prod" else (
        lambda: (DISTINCT((2, 3, 4)),))
    np_case(_name, _mk, _fn, name="all")
    np_case(_name, _mk, _fn, kwargs={"axis": 1}, name="axis1")
    np_case(_name, _mk, _fn, kwargs={"axis": (0, 2), "keepdims": True}, name="axes02_keepdims")
    np_case(_name, _mk, _fn, kwargs={"axis": -1, "keepdims": True}, name="axis-1_keepdims")
np_case("sum", lambda: (I((3, 4), -5, 5),), np.sum, kwargs={"axis": 0}, name="int32",
        dtype="int32")
np_case("sum", lambda: (B((3, 4)),), np.sum, kwargs={"axis": 1}, name="bool", dtype="int32")
np_case("sum", lambda: (I((3, 4), -5, 5, dtype="int8"),), np.sum, name="int8", dtype="int32")
np_case("prod", lambda: (I((2, 3), 1, 4),), np.prod, kwargs={"axis": 1}, name="int32",
        dtype="int32")
np_case("mean", lambda: (I((3, 4), -5, 5),), np.mean, kwargs={"axis": 1}, name="int32",
        dtype=FLOATX)
np_case("var", lambda: (I((3, 4), -5, 5),), np.var, name="int32", dtype=FLOATX)
np_case("max", lambda: (I((3, 4), -5, 5),), np.max, kwargs={"axis": 1}, name="int32")
np_case("max", lambda: (DISTINCT((2, 3)),), np.max, kwargs={"axis": 0, "initial": 0.3},
        name="initial")
np_case("min", lambda: (DISTINCT((2, 3)),), np.min, kwargs={"axis": 1, "initial": -0.1},
        name="initial")

np_case("all", lambda: (B((2, 3), p=0.8),), np.all)
np_case("all", lambda: (B((2, 3), p=0.8),), np.all, kwargs={"axis": 1, "keepdims": True},
        name="axis1")
np_case("any", lambda: (B((2, 3), p=0.2),), np.any, kwargs={"axis": 0})
np_case("any", lambda: (np.array([[0, 0], [0, 3]], "int32"),), np.any, kwargs={"axis": 1},
        name="int32")
for _name, _fn in {"argmax": np.argmax, "argmin": np.argmin}.items():
    np_case(_name, lambda: (DISTINCT((3, 4)),), _fn, dtype="int32")
    np_case(_name, lambda: (DISTINCT((3, 4)),), _fn, kwargs={"axis": 1}, name="axis1",
            dtype="int32")
    np_case(_name, lambda: (DISTINCT((3, 4)),), _fn, kwargs={"axis": 0, "keepdims": True},
            name="axis0_keepdims", dtype="int32")
np_case("argsort", lambda: (DISTINCT((3, 4)),), np.argsort, dtype="int32")
np_case("argsort", lambda: (DISTINCT((3, 4)),), np.argsort, kwargs={"axis": 0}, name="axis0",
        dtype="int32")
np_case("sort", lambda: (DISTINCT((3, 4)),), np.sort)
np_case("sort", lambda: (DISTINCT((3, 4)),), np.sort, kwargs={"axis": 0}, name="axis0")
np_case("sort", lambda: (I((5,), -9, 9),), np.sort, name="int32")
for _name, _fn in {"cumsum": np.cumsum, "cumprod": np.cumprod}.items():
    np_case(_name, lambda: (U((2, 3), 0.5, 1.5),), _fn, name="flat")
    np_case(_name, lambda: (U((2, 3), 0.5, 1.5),), _fn, kwargs={"axis": 1}, name="axis1")
    np_case(_name, lambda: (I((2, 3), 1, 4),), _fn, kwargs={"axis": 0}, name="int32")
    np_case(_name, lambda: (B((2, 3)),), _fn, kwargs={"axis": 1}, name="bool", dtype="int32")

# --------------------------------------------------------------------------------------------
# numpy group: products

np_case("matmul", lambda: (N((2, 3)), N((3, 4), seed=1)), np.matmul, name="2d")
np_case("matmul", lambda: (N((2, 1, 2, 3)), N((3, 3, 2), seed=1)), np.matmul, name="batch_broadcast")
np_case("matmul", lambda: (N((3,)), N((2, 3, 4), seed=1)), np.matmul, name="vec_mat")
np_case("matmul", lambda: (N((2, 3, 4)), N((4,), seed=1)), np.matmul, name="mat_vec")
np_case("matmul", lambda: (I((2, 3), -3, 3, dtype="int8"), I((3, 2), -3, 3, seed=1, dtype="int8")),
        lambda a, b: a.astype("int32") @ b.astype("int32"), name="int8", dtype="int32")
np_case("matmul", lambda: (I((2, 3), -3, 3), N((3, 2), seed=1)), np.matmul, name="int_float",
        dtype=FLOATX)
np_case("dot", lambda: (N((2, 3)), N((3, 4), seed=1)), np.dot, name="2d")
np_case("dot", lambda: (N((3,)), N((3,), seed=1)), np.dot, name="1d")
np_case("dot", lambda: (N((2, 3, 4)), N((4,), seed=1)), np.dot, name="nd_1d")
np_case("dot", lambda: (N((2, 3, 4)), N((4, 2), seed=1)), np.dot, name="nd_2d")
np_case("tensordot", lambda: (N((2, 3, 4)), N((3, 4, 2), seed=1)), np.tensordot, name="axes2")
np_case("tensordot", lambda: (N((2, 3)), N((3, 4), seed=1)), np.tensordot, kwargs={"axes": 1},
        name="axes1")
np_case("tensordot", lambda: (N((3, 2)), N((4, 3), seed=1)), np.tensordot,
        kwargs={"axes": ([0], [1])}, name="axes_lists")
np_case("einsum", lambda: ("ij,jk->ik", N((2, 3)), N((3, 4), seed=1)), np.einsum, name="matmul")
np_case("einsum", lambda: ("bij,bjk->bik", N((2, 2, 3)), N((2, 3, 2), seed=1)), np.einsum,
        name="batch")
np_case("einsum", lambda: ("i,i->", N((4,)), N((4,), seed=1)), np.einsum, name="inner")
np_case("einsum", lambda: ("ij->ji", N((2, 3)),), np.einsum, name="transpose")
np_case("einsum", lambda: ("ij,j,jk->ik", N((2, 3)), N((3,), seed=1), N((3, 2), seed=2)),
        np.einsum, name="three")
np_case("outer", lambda: (N((3,)), N((2, 2), seed=1)), np.outer)
np_case("inner", lambda: (N((2, 3)), N((4, 3), seed=1)), np.inner)
np_case("inner", lambda: (N((3,)), N((3,), seed=1)), np.inner, name="1d")
np_case("vdot", lambda: (N((2, 3)), N((2, 3), seed=1)), np.vdot)
np_case("cross", lambda: (N((2, 3)), N((2, 3), seed=1)), np.cross)
np_case("cross", lambda: (N((3,)), N((4, 3), seed=1)), np.cross, name="broadcast")

# --------------------------------------------------------------------------------------------
# numpy group: shape manipulation

_X234 = lambda: (N((2, 3, 4)),)  # noqa: E731


def _tile(x, repeats):
    return np.tile(x, repeats)


def _reshape(x, newshape):
    return np.reshape(x, newshape)


np_case("reshape", _X234, _reshape, kwargs={"newshape": (4, -1)}, name="minus1")
np_case("reshape", _X234, _reshape, kwargs={"newshape": (24,)}, name="flat")
np_case("reshape", lambda: (I((2, 3), 0, 5),), _reshape, kwargs={"newshape": (3, 2)},
        name="int32")
np_case("transpose", _X234, np.transpose, name="default")
np_case("transpose", _X234, np.transpose, kwargs={"axes": (1, 0, 2)}, name="axes")
np_case("expand_dims", _X234, np.expand_dims, kwargs={"axis": 1})
np_case("expand_dims", _X234, np.expand_dims, kwargs={"axis": -1}, name="neg")
np_case("squeeze", lambda: (N((1, 3, 1, 2)),), np.squeeze, name="all")
np_case("squeeze", lambda: (N((1, 3, 1, 2)),), np.squeeze, kwargs={"axis": 2}, name="axis2")
np_case("ravel", _X234, np.ravel)
np_case("flip", _X234, np.flip, name="all")
np_case("flip", _X234, np.flip, kwargs={"axis": 1}, name="axis1")
np_case("flip", _X234, np.flip, kwargs={"axis": (0, 2)}, name="axes")
np_case("moveaxis", _X234, np.moveaxis, kwargs={"source": 0, "destination": -1})
np_case("moveaxis", _X234, np.moveaxis, kwargs={"source": [0, 1], "destination": [2, 0]},
        name="lists")
np_case("swapaxes", _X234, np.swapaxes, kwargs={"axis1": 0, "axis2": 2})
np_case("roll", _X234, np.roll, kwargs={"shift": 2, "axis": 2}, name="axis2")
np_case("roll", _X234, np.roll, kwargs={"shift": -5}, name="flat")
np_case("repeat", lambda: (N((2, 3)),), np.repeat, kwargs={"repeats": 2}, name="flat")
np_case("repeat", lambda: (N((2, 3)),), np.repeat, kwargs={"repeats": 2, "axis": 0}, name="axis0")
np_case("repeat", lambda: (N((2, 3)),), np.repeat, kwargs={"repeats": [1, 0, 2], "axis": 1},
        name="list")
np_case("tile", lambda: (N((2, 3)),), _tile, kwargs={"repeats": (2, 1)}, name="2d")
np_case("tile", lambda: (N((2, 3)),), _tile, kwargs={"repeats": (2, 1, 2)}, name="more_dims")
np_case("tile", lambda: (N((3,)),), _tile, kwargs={"repeats": 2}, name="int")
np_case("broadcast_to", lambda: (N((3,)),), np.broadcast_to, kwargs={"shape": (2, 3)})
np_case("broadcast_to", lambda: (N((2, 1)),), np.broadcast_to, kwargs={"shape": (3, 2, 4)},
        name="expand")
np_case("copy", _X234, np.copy)
np_case("copy", lambda: (I((3,), 0, 9),), np.copy, name="int32")
np_case("diagonal", lambda: (N((3, 4)),), np.diagonal)
np_case("diagonal", _X234, np.diagonal, kwargs={"offset": 1, "axis1": 1, "axis2": 2},
        name="offset_axes")
np_case("diagonal", lambda: (N((3, 4)),), np.diagonal, kwargs={"offset": -1}, name="neg_offset")
np_case("diag", lambda: (N((3,)),), np.diag, name="from_1d")
np_case("diag", lambda: (N((3,)),), np.diag, kwargs={"k": 1}, name="from_1d_k1")
np_case("diag", lambda: (N((3, 4)),), np.diag, kwargs={"k": -1}, name="from_2d_k-1")
for _name, _fn in {"tril": np.tril, "triu": np.triu}.items():
    np_case(_name, lambda: (N((3, 4)),), _fn)
    np_case(_name, lambda: (N((2, 3, 3)),), _fn, kwargs={"k": 1}, name="batch_k1")
    np_case(_name, lambda: (N((3, 4)),), _fn, kwargs={"k": -1}, name="k-1")
np_case("pad", lambda: (N((2, 3)),), np.pad, kwargs={"pad_width": ((1, 2), (0, 1))},
        name="constant")
np_case("pad", lambda: (N((2, 3)),), np.pad,
        kwargs={"pad_width": ((1, 0), (2, 1)), "constant_values": 1.5}, name="constant_value")
np_case("pad", lambda: (N((3, 4)),), np.pad,
        kwargs={"pad_width": ((1, 2), (2, 1)), "mode": "reflect"}, name="reflect")
np_case("pad", lambda: (N((3, 4)),), np.pad,
        kwargs={"pad_width": ((1, 2), (2, 1)), "mode": "symmetric"}, name="symmetric")
np_case("pad", lambda: (I((2, 3), 0, 9),), np.pad, kwargs={"pad_width": ((1, 1), (1, 1))},
        name="int32")

np_case("concatenate", lambda: ([N((2, 3)), N((1, 3), seed=1)],), np.concatenate, name="axis0")
np_case("concatenate", lambda: ([N((2, 3)), N((2, 1), seed=1), N((2, 2), seed=2)],),
        np.concatenate, kwargs={"axis": 1}, name="axis1")
np_case("concatenate", lambda: ([N((2, 3)), I((2, 3), 0, 5)],), np.concatenate,
        name="mixed_dtypes", dtype=FLOATX, grad=False)
np_case("stack", lambda: ([N((2, 3)), N((2, 3), seed=1)],), np.stack, name="axis0")
np_case("stack", lambda: ([N((2, 3)), N((2, 3), seed=1), N((2, 3), seed=2)],), np.stack,
        kwargs={"axis": -1}, name="axis-1")
np_case("hstack", lambda: ([N((2, 3)), N((2, 1), seed=1)],), np.hstack)
np_case("hstack", lambda: ([N((3,)), N((2,), seed=1)],), np.hstack, name="1d")
np_case("vstack", lambda: ([N((2, 3)), N((1, 3), seed=1)],), np.vstack)
np_case("vstack", lambda: ([N((3,)), N((3,), seed=1)],), np.vstack, name="1d")
np_case("append", lambda: (N((2, 3)), N((4,), seed=1)), np.append, name="flat")
np_case("append", lambda: (N((2, 3)), N((1, 3), seed=1)), np.append, kwargs={"axis": 0},
        name="axis0")
np_case("split", lambda: (N((2, 6)),), np.split,
        kwargs={"indices_or_sections": 3, "axis": 1}, name="sections")
np_case("split", lambda: (N((5, 2)),), np.split, kwargs={"indices_or_sections": [1, 3]},
        name="indices")
np_case("array_split", lambda: (N((7, 2)),), np.array_split,
        kwargs={"indices_or_sections": 3}, name="uneven")
np_case("array_split", lambda: (N((2, 5)),), np.array_split,
        kwargs={"indices_or_sections": 2, "axis": 1}, name="axis1")

# --------------------------------------------------------------------------------------------
# numpy group: indexing and selection

np_case("take", lambda: (N((3, 4)), np.array([[0, -1], [2, 1]], "int32")), np.take, name="flat")
np_case("take", lambda: (N((3, 4)), np.array([3, 0, -2], "int32")), np.take,
        kwargs={"axis": 1}, name="axis1")
np_case("take", lambda: (N((3, 4)), np.array([2, 2, 0], "int64")), np.take,
        kwargs={"axis": 0}, name="int64_repeat")
np_case("take_along_axis", lambda: (N((3, 4)), np.array([[0, 3], [1, 1], [2, 0]], "int32")),
        np.take_along_axis, kwargs={"axis": 1}, name="axis1")
np_case("take_along_axis", lambda: (N((3, 4)), np.array([[2, 0, 1, 1]], "int32")),
        np.take_along_axis, kwargs={"axis": 0}, name="axis0")
np_case("where", lambda: (B((2, 3)), N((2, 3)), N((3,), seed=1)), np.where, name="broadcast")
np_case("where", lambda: (B((2, 3)), N((2, 3)), 0.0), np.where, name="scalar")
np_case("where", lambda: (np.array([[0, 2], [3, 0]], "int32"),),
        lambda c: tuple(i.astype("int32") for i in np.where(c)), name="nonzero",
        dtype=("int32", "int32"))
np_case("clip", lambda: (N((2, 3)), -0.5, 0.5), np.clip)
np_case("clip", lambda: (I((2, 3), -9, 9), -2, 3), np.clip, name="int32")
np_case("clip", lambda: (B((2, 3)), 0, 1), lambda x, a, b: np.clip(x.astype("int32"), a, b),
        name="bool", dtype="int32")
np_case("select", lambda: ([np.array([True, False, False, True]),
                            np.array([True, True, False, False])],
                           [N((4,)), N((4,), seed=1)]),
        np.select)
np_case("select", lambda: ([B((2, 3)), B((2, 3), seed=1)], [N((2, 3)), N((2, 3), seed=2)], -1.0),
        np.select, name="default")
np_case("get_item", lambda: (N((3, 4, 2)), 1), lambda x, k: x[k], name="int")
np_case("get_item", lambda: (N((3, 4, 2)), (slice(0, 2), -1)), lambda x, k: x[k], name="slice_int")
np_case("get_item", lambda: (N((3, 4, 2)), (Ellipsis, None, 0)), lambda x, k: x[k],
        name="ellipsis_none")
np_case("get_item", lambda: (N((3, 4, 2)), (slice(None), slice(0, 4, 2))), lambda x, k: x[k],
        name="step")
np_case("get_item", lambda: (N((3, 4, 2)), np.array([2, 0], "int32")), lambda x, k: x[k],
        name="tensor_key")

# --------------------------------------------------------------------------------------------
# numpy group: creation

np_case("zeros", lambda: ((2, 3),), np.zeros, dtype=FLOATX)
np_case("zeros", lambda: ((2,),), lambda s, dtype: np.zeros(s, dtype), kwargs={"dtype": "int32"},
        name="int32", dtype="int32")
np_case("ones", lambda: ((2, 3),), np.ones, dtype=FLOATX)
np_case("ones", lambda: ((3,),), lambda s, dtype: np.ones(s, dtype), kwargs={"dtype": "bool"},
        name="bool", dtype="bool")
np_case("empty", lambda: ((2, 3),), np.empty, dtype=FLOATX, check_values=False)
np_case("full", lambda: ((2, 3), 7), np.full, name="int", dtype="int32")
np_case("full", lambda: ((2,), 1.5), np.full, name="float", dtype=FLOATX)
np_case("full", lambda: ((2, 2), 3), lambda s, v, dtype: np.full(s, v, dtype),
        kwargs={"dtype": "float16"}, name="dtype", dtype="float16")
np_case("zeros_like", lambda: (I((2, 3), 0, 5),), np.zeros_like, dtype="int32")
np_case("zeros_like", lambda: (N((2, 3)),), lambda x, dtype: np.zeros_like(x, dtype),
        kwargs={"dtype": "int8"}, name="dtype", dtype="int8")
np_case("ones_like", lambda: (N((2, 3)),), np.ones_like, dtype=FLOATX)
np_case("ones_like", lambda: (B((2,)),), np.ones_like, name="bool", dtype="bool")
np_case("full_like", lambda: (N((2, 3)), 2.5), np.full_like, dtype=FLOATX)
np_case("full_like", lambda: (I((2, 3), 0, 5), 4), np.full_like, name="int32", dtype="int32")
np_case("empty_like", lambda: (N((2, 3)),), np.empty_like, dtype=FLOATX, check_values=False)
np_case("eye", lambda: (3,), np.eye, dtype=FLOATX)
np_case("eye", lambda: (3, 4), np.eye, kwargs={"k": 1}, name="rect_k1", dtype=FLOATX)
np_case("eye", lambda: (2,), lambda n, dtype: np.eye(n, dtype=dtype), kwargs={"dtype": "int32"},
        name="int32", dtype="int32")
np_case("identity", lambda: (3,), np.identity, dtype=FLOATX)
np_case("tri", lambda: (3,), np.tri, dtype=FLOATX)
np_case("tri", lambda: (3, 4), np.tri, kwargs={"k": -1}, name="rect", dtype=FLOATX)
np_case("arange", lambda: (5,), np.arange, name="stop", dtype="int32")
np_case("arange", lambda: (3, 10, 2), np.arange, name="int_step", dtype="int32")
np_case("arange", lambda: (1.0, 2.0, 0.25), np.arange, name="float", dtype=FLOATX)
np_case("arange", lambda: (4,), lambda n, dtype: np.arange(n, dtype=dtype),
        kwargs={"dtype": "float32"}, name="dtype", dtype="float32")
np_case("linspace", lambda: (0.0, 1.0, 5), np.linspace, dtype=FLOATX)
np_case("linspace", lambda: (2, 3, 4), np.linspace, kwargs={"endpoint": False},
        name="no_endpoint", dtype=FLOATX)
np_case("linspace", lambda: (np.array([0.0, 1.0], "float32"), np.array([1.0, 3.0], "float32"), 3),
        np.linspace, kwargs={"axis": 1}, name="array_axis1", dtype=FLOATX)
np_case("logspace", lambda: (0.0, 2.0, 4), np.logspace, dtype=FLOATX, rtol=1e-5)
np_case("logspace", lambda: (1.0, 3.0, 3), np.logspace, kwargs={"base": 2, "endpoint": False},
        name="base2", dtype=FLOATX)
np_case("meshgrid", lambda: (N((3,)), N((2,), seed=1)), lambda *x, **k: list(np.meshgrid(*x, **k)),
        name="xy")
np_case("meshgrid", lambda: (N((3,)), N((2,), seed=1)), lambda *x, **k: list(np.meshgrid(*x, **k)),
        kwargs={"indexing": "ij"}, name="ij")
np_case("array", lambda: ([[1, 2], [3, 4]],), np.array, name="int_list", dtype="int32")
np_case("array", lambda: ([1.5, 2.0],), np.array, name="float_list", dtype=FLOATX)
np_case("array", lambda: (N((2, 3)),), lambda x, dtype: np.array(x, dtype=dtype),
        kwargs={"dtype": "float16"}, name="dtype", dtype="float16", ref_f64=False, rtol=1e-3,
        grad=False)
np_case("array", lambda: (N((2, 3)),), lambda x: np.array(x), name="tensor")

# --------------------------------------------------------------------------------------------
# numpy group: counting, searching, statistics


def _nonzero32(x):
    return tuple(i.astype("int32") for i in np.nonzero(x))


np_case("nonzero", lambda: (np.array([[0, 1, 0], [2, 0, 3]], "int32"),), _nonzero32,
        dtype=("int32", "int32"))
np_case("nonzero", lambda: (np.array([0.0, 1.5, 0.0, -2.0], "float32"),), _nonzero32,
        name="float_1d", dtype=("int32",))
np_case("count_nonzero", lambda: (np.array([[0, 1, 0], [2, 0, 3]], "int32"),),
        np.count_nonzero, dtype="int32")
np_case("count_nonzero", lambda: (np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]], "float32"),),
        np.count_nonzero, kwargs={"axis": 0}, name="axis0", dtype="int32")
np_case("bincount", lambda: (np.array([0, 1, 1, 3, 1], "int32"),), np.bincount, dtype="int32")
np_case("bincount", lambda: (np.array([0, 1, 1, 3], "int32"),),
        lambda x, weights, minlength: np.bincount(x, weights, minlength),
        kwargs={"weights": np.array([0.5, 1.0, 2.0, -1.0], "float32"), "minlength": 6},
        name="weights_minlength", dtype="float32")
np_case("digitize", lambda: (np.array([-1.0, 0.0, 0.5, 1.0, 2.5, 4.0], "float32"),
                             np.array([0.0, 1.0, 2.0, 3.0], "float32")),
        np.digitize, dtype="int32")
np_case("searchsorted", lambda: (np.array([0.0, 1.0, 1.0, 2.0, 4.0], "float32"),
                                 np.array([[-1.0, 1.0], [1.5, 5.0]], "float32")),
        np.searchsorted, dtype="int32")
np_case("searchsorted", lambda: (np.array([0.0, 1.0, 1.0, 2.0, 4.0], "float32"),
                                 np.array([-1.0, 1.0, 1.5, 4.0], "float32")),
        np.searchsorted, kwargs={"side": "right"}, name="right", dtype="int32")
np_case("diff", lambda: (N((3, 5)),), np.diff)
np_case("diff", lambda: (N((4, 3)),), np.diff, kwargs={"n": 2, "axis": 0}, name="n2_axis0")
np_case("trace", lambda: (N((3, 4)),), np.trace)
np_case("trace", lambda: (N((3, 4)),), np.trace, kwargs={"offset": 1}, name="offset1")
np_case("trace", lambda: (N((2, 3, 3)),), np.trace, kwargs={"axis1": 1, "axis2": 2},
        name="batch")
np_case("trace", lambda: (I((3, 3), -5, 5, dtype="int8"),), np.trace, name="int8", dtype="int32")
np_case("size", lambda: (N((2, 3, 4)),), np.size, dtype=None)
np_case("ndim", lambda: (N((2, 3, 4)),), np.ndim, dtype=None)
np_case("nan_to_num", lambda: (np.array([1.0, np.nan, np.inf, -np.inf, -2.0], "float32"),),
        np.nan_to_num, ref_f64=False, rtol=1e-6, name="default", grad=False)
np_case("nan_to_num", lambda: (np.array([1.0, np.nan, np.inf, -np.inf, -2.0], "float32"),),
        np.nan_to_num, kwargs={"nan": 0.5, "posinf": 10.0, "neginf": -10.0}, name="values")
np_case("nan_to_num", lambda: (N((2, 3)),), np.nan_to_num, name="finite")
np_case("average", lambda: (N((2, 3)),), np.average, name="all")
np_case("average", lambda: (N((2, 3)),), lambda x, axis, weights: np.average(x, axis, weights),
        kwargs={"axis": 1, "weights": np.array([0.2, 0.3, 1.5], "float32")}, name="weights")
np_case("median", lambda: (DISTINCT((3, 4)),), np.median, name="all")
np_case("median", lambda: (DISTINCT((3, 5)),), np.median, kwargs={"axis": 1, "keepdims": True},
        name="axis1_keepdims")
np_case("median", lambda: (I((4,), 0, 9),), np.median, name="int32", dtype=FLOATX)
np_case("quantile", lambda: (DISTINCT((3, 4)), 0.3), np.quantile, name="scalar_q")
np_case("quantile", lambda: (DISTINCT((3, 4)), np.array([0.25, 0.5, 0.9], "float32")),
        np.quantile, kwargs={"axis": 1}, name="array_q_axis1")
for _m in ("lower", "higher", "midpoint", "nearest"):
    np_case("quantile", lambda: (DISTINCT((3, 5)), 0.4), np.quantile,
            kwargs={"axis": 1, "method": _m, "keepdims": True}, name=_m)
np_case("allclose", lambda: (np.array([1.0, 2.0], "float32"), np.array([1.0, 2.0 + 1e-6], "float32")),
        np.allclose, dtype="bool", ref_f64=False)
np_case("allclose", lambda: (np.array([1.0, 2.0], "float32"), np.array([1.0, 2.1], "float32")),
        np.allclose, name="false", dtype="bool")
np_case("isin", lambda: (np.array([[1, 5], [3, 2]], "int32"), np.array([2, 3, 9], "int32")),
        np.isin)
np_case("isin", lambda: (np.array([1, 5, 3, 2], "int32"), np.array([2, 3, 9], "int32")),
        np.isin, kwargs={"invert": True}, name="invert")

# --------------------------------------------------------------------------------------------
# numpy group: bitwise, complex parts, flips, misc

_IA = lambda: (np.array([[12, -7, 0], [5, 255, 3]], "int32"),  # noqa: E731
               np.array([10, 3, -1], "int32"))
for _name, _fn in {"bitwise_and": np.bitwise_and, "bitwise_or": np.bitwise_or,
                   "bitwise_xor": np.bitwise_xor}.items():
    np_case(_name, _IA, _fn)
    np_case(_name, lambda: (B((2, 3)), B((2, 3), seed=1)), _fn, name="bool")
    np_case(_name, lambda: (np.array([12, 7], "uint8"), np.array([10, 3], "uint8")), _fn,
            name="uint8")
for _name in ("bitwise_invert", "bitwise_not"):
    np_case(_name, lambda: (np.array([0, 1, -3, 100], "int32"),), np.invert)
    np_case(_name, lambda: (np.array([0, 1, 200], "uint8"),), np.invert, name="uint8")
    np_case(_name, lambda: (np.array([0, -128, 127], "int8"),), np.invert, name="int8")
for _name, _fn in {"left_shift": np.left_shift, "bitwise_left_shift": np.left_shift,
                   "right_shift": np.right_shift, "bitwise_right_shift": np.right_shift}.items():
    np_case(_name, lambda: (np.array([1, 3, -4, 100], "int32"), np.array([0, 2, 1, 3], "int32")),
            _fn, dtype="int32")
    np_case(_name, lambda: (np.array([1, 3, 64], "int32"), 2), _fn, name="pyint", dtype="int32")

for _name in ("conj", "conjugate", "real"):
    np_case(_name, lambda: (N((2, 3)),), lambda x: np.real(x).copy(), dtype=FLOATX)
np_case("imag", lambda: (N((2, 3)),), lambda x: np.zeros_like(x), dtype=FLOATX)
np_case("fliplr", lambda: (N((2, 3, 2)),), np.fliplr)
np_case("flipud", lambda: (N((2, 3)),), np.flipud)
np_case("rot90", lambda: (N((2, 3)),), np.rot90, name="k1")
np_case("rot90", lambda: (N((2, 3, 4)),), np.rot90, kwargs={"k": 2, "axes": (1, 2)},
        name="k2_axes")
np_case("rot90", lambda: (N((2, 3)),), np.rot90, kwargs={"k": -1}, name="k-1")
np_case("heaviside", lambda: (np.array([[-1.5, 0.0, 2.0], [0.0, 3.0, -0.5]], "float32"),
                              np.array([0.5, 0.25, 0.75], "float32")),
        np.heaviside, grad_args=(1,))
np_case("heaviside", lambda: (np.array([-2, 0, 3], "int32"), np.array([5, 7, 9], "int32")),
        lambda a, b: np.heaviside(a, b), name="int32", dtype=FLOATX)
np_case("signbit", lambda: (np.array([-1.5, 0.0, -0.0, 2.0, -np.inf], "float32"),), np.signbit,
        dtype="bool")
np_case("signbit", lambda: (np.array([-3, 0, 4], "int32"),), np.signbit, name="int32",
        dtype="bool")
np_case("fmod", lambda: (np.array([[5.5, -5.5, 3.2], [-7.1, 0.4, 8.3]], "float32"),
                         np.array([2.0, 2.5, -1.5], "float32")), np.fmod)
np_case("fmod", lambda: (np.array([7, -7, 7, -7], "int32"), np.array([3, 3, -3, -3], "int32")),
        np.fmod, name="int32", dtype="int32")


# --------------------------------------------------------------------------------------------
# nn group: activations

def _selu(x):
    scale, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    return scale * np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def _gelu(x, approximate=True):
    if approximate:
        return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * _sigmoid(b)


def _sparsemax(x, axis=-1):
    x = np.moveaxis(x, axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cs = np.cumsum(z, axis=-1)
    support = 1 + k * z > cs
    kz = np.sum(support, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cs, kz - 1, axis=-1) - 1) / kz
    return np.moveaxis(np.maximum(x - tau, 0), -1, axis)


_ACT = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": _sigmoid,
    "sparse_sigmoid": lambda x: np.clip(0.5 * (x + 1), 0, 1),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * _sigmoid(x),
    "log_sigmoid": lambda x: -_softplus(-x),
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6.0 + 0.5, 0, 1),
    "selu": _selu,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
}
for _name, _fn in _ACT.items():
    # spread over [-7, 7] to reach every piece (relu6, hard_sigmoid kinks at +-3, 6)
    nn_case(_name, lambda: (np.concatenate([U((2, 4), -7, 7), AWAY((2, 4), 0.1, 1.3, seed=3)]),),
            _keep_float(_fn))
    nn_case(_name, lambda: (np.array([-3, -1, 0, 2, 7], "int32"),), _keep_float(_fn),
            name="int32", dtype=FLOATX)

_XA = lambda: (np.concatenate([U((2, 4), -4, 4), AWAY((2, 4), 0.1, 1.3, seed=3)]),)  # noqa: E731
nn_case("squareplus", _XA, lambda x, b=4: (x + np.sqrt(x * x + b)) / 2)
nn_case("squareplus", _XA, lambda x, b=4: (x + np.sqrt(x * x + b)) / 2, kwargs={"b": 1},
        name="b1")
nn_case("leaky_relu", _XA, lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x))
nn_case("leaky_relu", _XA, lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x),
        kwargs={"negative_slope": 0.05}, name="slope")
nn_case("elu", _XA, lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))))
nn_case("elu", _XA, lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
        kwargs={"alpha": 0.5}, name="alpha")
nn_case("celu", _XA, lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)))
nn_case("celu", _XA, lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)),
        kwargs={"alpha": 2.0}, name="alpha")
nn_case("gelu", _XA, _gelu, name="approximate")
nn_case("gelu", _XA, _gelu, kwargs={"approximate": False}, name="exact")
nn_case("glu", lambda: (N((2, 6)),), _glu)
nn_case("glu", lambda: (N((4, 3)),), _glu, kwargs={"axis": 0}, name="axis0")
nn_case("soft_shrink", _XA, lambda x, threshold=0.5: np.where(
    x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)))
nn_case("soft_shrink", _XA, lambda x, threshold=0.5: np.where(
    x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
    kwargs={"threshold": 1.0}, name="t1")
nn_case("hard_shrink", _XA, lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0))
nn_case("hard_shrink", _XA, lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0),
        kwargs={"threshold": 1.0}, name="t1")
nn_case("threshold", lambda: (_XA()[0], 0.5, -1.0),
        lambda x, t, v: np.where(x > t, x, v), grad_args=(0,))
for _name, _fn in {"softmax": _softmax, "log_softmax": _log_softmax,
                   "sparsemax": _sparsemax}.items():
    nn_case(_name, lambda: (N((2, 5)),), _fn)
    nn_case(_name, lambda: (N((3, 2, 4)),), _fn, kwargs={"axis": 0}, name="axis0")
    nn_case(_name, lambda: (np.array([[1, 2, 3]], "int32"),), _keep_float(_fn), name="int32",
            dtype=FLOATX)


# --------------------------------------------------------------------------------------------
# nn group: convolution and pooling (channels_last unless data_format says otherwise)


def _same_pads(size, k, s, d=1):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def _to_last(x, data_format):
    return np.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _from_last(x, data_format):
    return np.moveaxis(x, -1, 1) if data_format == "channels_first" else x


def _pool_ref(kind):
    def ref(x, pool_size, strides=None, padding="valid", data_format=None):
        x = _to_last(x, data_format)
        nsp = x.ndim - 2
        ps = _tuple(pool_size, nsp)
        st = _tuple(strides if strides is not None else pool_size, nsp)
        sizes = x.shape[1:-1]
        if padding == "same":
            pads = [_same_pads(n, k, s) for n, k, s in zip(sizes, ps, st)]
            outs = [-(-n // s) for n, s in zip(sizes, st)]
        else:
            pads = [(0, 0)] * nsp
            outs = [(n - k) // s + 1 for n, k, s in zip(sizes, ps, st)]
        fill = -np.inf if kind == "max" else 0.0
        xp = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=fill)
        cnt = np.pad(np.ones(sizes), pads)
        out = np.zeros((x.shape[0], *outs, x.shape[-1]), dtype=x.dtype)
        for o in np.ndindex(*outs):
            win = tuple(slice(i * s, i * s + k) for i, s, k in zip(o, st, ps))
            block = xp[(slice(None),) + win + (slice(None),)]
            axes = tuple(range(1, nsp + 1))
            if kind == "max":
                out[(slice(None),) + o] = block.max(axis=axes)
            else:
                out[(slice(None),) + o] = block.sum(axis=axes) / cnt[win].sum()
        return _from_last(out, data_format)

    return ref


def _conv_core(x, k, strides, pads, dilation, groups):
    """Channels-last correlation of padded x with kernel (*ks, cin/groups, cout)."""
    nsp = x.ndim - 2
    xp = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    ks = k.shape[:nsp]
    cin_g, cout = k.shape[nsp], k.shape[nsp + 1]
    cout_g = cout // groups
    outs = [(n - ((kk - 1) * d + 1)) // s + 1
            for n, kk, s, d in zip(xp.shape[1:-1], ks, strides, dilation)]
    out = np.zeros((x.shape[0], *outs, cout), dtype=np.result_type(x, k))
    for kpos in np.ndindex(*ks):
        sl = tuple(slice(p * d, p * d + (o - 1) * s + 1, s)
                   for p, d, o, s in zip(kpos, dilation, outs, strides))
        patch = xp[(slice(None),) + sl + (slice(None),)]
        for g in range(groups):
            out[..., g * cout_g:(g + 1) * cout_g] += (
                patch[..., g * cin_g:(g + 1) * cin_g] @ k[kpos][:, g * cout_g:(g + 1) * cout_g])
    return out


def _conv_ref(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x = _to_last(x, data_format)
    nsp = x.ndim - 2
    st, dl = _tuple(strides, nsp), _tuple(dilation_rate, nsp)
    ks = kernel.shape[:nsp]
    groups = x.shape[-1] // kernel.shape[nsp]
    if padding == "same":
        pads = [_same_pads(n, k, s, d) for n, k, s, d in zip(x.shape[1:-1], ks, st, dl)]
    elif padding == "causal":
        pads = [((ks[0] - 1) * dl[0], 0)]
    else:
        pads = [(0, 0)] * nsp
    return _from_last(_conv_core(x, kernel, st, pads, dl, groups), data_format)


def _depthwise_ref(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    nsp = kernel.ndim - 2
    k = kernel.reshape(kernel.shape[:nsp] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return _conv_ref(x, k, strides, padding, data_format, dilation_rate)


def _separable_ref(x, dk, pk, strides=1, padding="valid", data_format=None, dilation_rate=1):
    y = _depthwise_ref(x, dk, strides, padding, data_format, dilation_rate)
    return _conv_ref(y, pk, 1, "valid", data_format, 1)


def _conv_transpose_ref(x, kernel, strides=1, padding="valid", output_padding=None,
                        data_format=None, dilation_rate=1):
    x = _to_last(x, data_format)
    nsp = x.ndim - 2
    st, dl = _tuple(strides, nsp), _tuple(dilation_rate, nsp)
    opad = _tuple(output_padding, nsp) if output_padding is not None else (None,) * nsp
    ks = kernel.shape[:nsp]
    pads = []
    for k, s, d, op in zip(ks, st, dl, opad):
        eff = (k - 1) * d + 1
        if padding == "valid":
            op = max(eff, s) - eff if op is None else op
            pads.append((eff - 1, eff - 1 + op))
        else:
            pad_len = s + eff - 2 if op is None else eff + eff % 2 - 2 + op
            left = min(pad_len // 2 + pad_len % 2, eff - 1)
            pads.append((left, pad_len - left))
    # dilate the input by the strides
    shape = (x.shape[0],) + tuple((n - 1) * s + 1 for n, s in zip(x.shape[1:-1], st)) + (x.shape[-1],)
    xd = np.zeros(shape, dtype=x.dtype)
    xd[(slice(None),) + tuple(slice(None, None, s) for s in st) + (slice(None),)] = x
    # flip the kernel spatially and swap (out, in) -> (in, out)
    k = np.flip(kernel, axis=tuple(range(nsp)))
    k = np.swapaxes(k, -1, -2)
    return _from_last(_conv_core(xd, k, (1,) * nsp, pads, dl, 1), data_format)


nn_case("max_pool", lambda: (DISTINCT((2, 7, 3)),), _pool_ref("max"), kwargs={"pool_size": 2},
        name="1d")
nn_case("max_pool", lambda: (DISTINCT((2, 5, 5, 2)),), _pool_ref("max"),
        kwargs={"pool_size": (2, 3), "strides": (1, 2)}, name="2d_strides")
nn_case("max_pool", lambda: (DISTINCT((1, 5, 6, 2)),), _pool_ref("max"),
        kwargs={"pool_size": 3, "strides": 2, "padding": "same"}, name="2d_same")
nn_case("max_pool", lambda: (DISTINCT((1, 2, 5, 4)),), _pool_ref("max"),
        kwargs={"pool_size": 2, "data_format": "channels_first"}, name="channels_first")
nn_case("max_pool", lambda: (DISTINCT((1, 4, 4, 3, 1)),), _pool_ref("max"),
        kwargs={"pool_size": 2}, name="3d")
nn_case("average_pool", lambda: (N((2, 7, 3)),), _pool_ref("avg"), kwargs={"pool_size": 2},
        name="1d")
nn_case("average_pool", lambda: (N((2, 5, 5, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": (2, 3), "strides": (1, 2)}, name="2d_strides")
nn_case("average_pool", lambda: (N((1, 5, 6, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": 3, "strides": 2, "padding": "same"}, name="2d_same")
nn_case("average_pool", lambda: (N((1, 7, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": 3, "strides": 1, "padding": "same"}, name="1d_same")
nn_case("average_pool", lambda: (N((1, 2, 4, 4)),), _pool_ref("avg"),
        kwargs={"pool_size": 2, "data_format": "channels_first"}, name="channels_first")

nn_case("conv", lambda: (N((2, 7, 3)), N((3, 3, 4), seed=1)), _conv_ref, name="1d")
nn_case("conv", lambda: (N((2, 7, 2)), N((3, 2, 3), seed=1)), _conv_ref,
        kwargs={"padding": "causal", "dilation_rate": 2}, name="1d_causal_dilated")
nn_case("conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 3), seed=1)), _conv_ref, name="2d")
nn_case("conv", lambda: (N((1, 6, 5, 2)), N((3, 2, 2, 3), seed=1)), _conv_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv", lambda: (N((1, 6, 6, 2)), N((2, 2, 2, 2), seed=1)), _conv_ref,
        kwargs={"strides": (1, 2), "dilation_rate": 1, "padding": "valid"}, name="2d_strides_tuple")
nn_case("conv", lambda: (N((1, 7, 7, 1)), N((3, 3, 1, 2), seed=1)), _conv_ref,
        kwargs={"padding": "same", "dilation_rate": 2}, name="2d_same_dilated")
nn_case("conv", lambda: (N((1, 5, 5, 4)), N((3, 3, 2, 4), seed=1)), _conv_ref,
        kwargs={"padding": "same"}, name="2d_groups")
nn_case("conv", lambda: (N((1, 2, 5, 5)), N((3, 3, 2, 3), seed=1)), _conv_ref,
        kwargs={"data_format": "channels_first"}, name="2d_channels_first")
nn_case("conv", lambda: (N((1, 4, 4, 3, 2)), N((2, 2, 2, 2, 2), seed=1)), _conv_ref,
        name="3d")
nn_case("depthwise_conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 2), seed=1)), _depthwise_ref,
        name="2d")
nn_case("depthwise_conv", lambda: (N((1, 6, 6, 3)), N((3, 3, 3, 1), seed=1)), _depthwise_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("depthwise_conv", lambda: (N((2, 8, 2)), N((3, 2, 2), seed=1)), _depthwise_ref,
        kwargs={"dilation_rate": 2}, name="1d_dilated")
nn_case("separable_conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 2), seed=1), N((1, 1, 4, 3), seed=2)),
        _separable_ref, name="2d")
nn_case("separable_conv", lambda: (N((1, 6, 6, 2)), N((3, 3, 2, 1), seed=1), N((1, 1, 2, 3), seed=2)),
        _separable_ref, kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv_transpose", lambda: (N((2, 4, 3)), N((3, 2, 3), seed=1)), _conv_transpose_ref,
        name="1d")
nn_case("conv_transpose", lambda: (N((2, 4, 3)), N((3, 2, 3), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2}, name="1d_stride2")
nn_case("conv_transpose", lambda: (N((1, 3, 4, 2)), N((3, 3, 3, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv_transpose", lambda: (N((1, 3, 3, 2)), N((2, 2, 1, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "padding": "valid", "output_padding": 1}, name="2d_output_padding")
nn_case("conv_transpose", lambda: (N((1, 3, 3, 2)), N((3, 3, 2, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 1, "padding": "valid", "dilation_rate": 2}, name="2d_dilated")
nn_case("conv_transpose", lambda: (N((1, 2, 3, 3)), N((2, 2, 2, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "data_format": "channels_first"}, name="2d_channels_first")

# --------------------------------------------------------------------------------------------
# nn group: encodings, losses, normalization, attention


def _one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = np.asarray(x)
    out = (x[..., None] == np.arange(num_classes)).astype(dtype or FLOATX)
    return np.moveaxis(out, -1, axis) if axis != -1 else out


def _multi_hot(x, num_classes=None, axis=-1, dtype=None, sparse=False):
    x = np.asarray(x)
    out = np.zeros(x.shape[:-1] + (num_classes,), dtype=dtype or FLOATX)
    for idx in np.ndindex(*x.shape[:-1]):
        for v in x[idx]:
            if 0 <= v < num_classes:
                out[idx + (v,)] = 1
    return np.moveaxis(out, -1, axis) if axis != -1 else out


nn_case("one_hot", lambda: (np.array([0, 2, 1, 3], "int32"), 4), _one_hot, dtype=FLOATX)
nn_case("one_hot", lambda: (np.array([[0, 2], [1, -1]], "int32"), 3), _one_hot,
        kwargs={"axis": 0}, name="axis0_negative", dtype=FLOATX)
nn_case("one_hot", lambda: (np.array([1, 0], "int64"), 3), _one_hot, kwargs={"dtype": "int32"},
        name="dtype", dtype="int32")
nn_case("multi_hot", lambda: (np.array([[0, 2], [1, 1]], "int32"), 4), _multi_hot, dtype=FLOATX)
nn_case("multi_hot", lambda: (np.array([[0, 3, 1]], "int32"), 5), _multi_hot,
        kwargs={"dtype": "int32"}, name="dtype", dtype="int32")


def _bce(target, output, from_logits=False):
    if from_logits:
        return target * _softplus(-output) + (1 - target) * _softplus(output)
    o = np.clip(output, EPSILON, 1 - EPSILON)
    return -(target * np.log(o) + (1 - target) * np.log(1 - o))


def _cce(target, output, from_logits=False, axis=-1):
    if from_logits:
        return -np.sum(target * _log_softmax(output, axis), axis=axis)
    o = output / np.sum(output, axis=axis, keepdims=True)
    o = np.clip(o, EPSILON, 1 - EPSILON)
    return -np.sum(target * np.log(o), axis=axis)


def _scce(target, output, from_logits=False, axis=-1):
    target = np.asarray(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target[..., 0]
    oh = _one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return _cce(oh, output, from_logits, axis)


nn_case("binary_crossentropy", lambda: (U((2, 3), 0, 1), U((2, 3), 0.05, 0.95, seed=1)), _bce)
nn_case("binary_crossentropy", lambda: (U((2, 3), 0, 1), N((2, 3), seed=1)), _bce,
        kwargs={"from_logits": True}, name="logits")
nn_case("binary_crossentropy", lambda: (np.array([0.0, 1.0, 1.0], "float32"),
                                        np.array([0.0, 1.0, 0.5], "float32")), _bce,
        name="clipped", grad=False)
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((3, 4))).astype("float32"), U((3, 4), 0.1, 1.0, seed=1)), _cce)
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((3, 4))).astype("float32"), N((3, 4), seed=1)), _cce,
        kwargs={"from_logits": True}, name="logits")
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((4, 3)), axis=0).astype("float32"), N((4, 3), seed=1)), _cce,
        kwargs={"from_logits": True, "axis": 0}, name="axis0")
nn_case("sparse_categorical_crossentropy",
        lambda: (np.array([0, 3, 1], "int32"), U((3, 4), 0.1, 1.0, seed=1)), _scce)
nn_case("sparse_categorical_crossentropy",
        lambda: (np.array([[2], [0], [1]], "int32"), N((3, 4), seed=1)), _scce,
        kwargs={"from_logits": True}, name="logits_trailing1")


def _moments(x, axes, keepdims=False, synchronized=False):
    return (np.mean(x, axis=tuple(_tuple(axes, 1)), keepdims=keepdims),
            np.var(x, axis=tuple(_tuple(axes, 1)), keepdims=keepdims))


def _bn(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: np.reshape(v, shape)  # noqa: E731
    out = (x - r(mean)) / np.sqrt(r(variance) + epsilon)
    if scale is not None:
        out = out * r(scale)
    if offset is not None:
        out = out + r(offset)
    return out


def _ln(x, gamma=None, beta=None, axis=-1, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    axes = tuple(_tuple(axis, 1))
    m = np.mean(x, axis=axes, keepdims=True)
    v = np.var(x, axis=axes, keepdims=True)
    out = (x - m) / np.sqrt(v + eps)
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    if gamma is not None:
        out = out * np.reshape(gamma, shape)
    if beta is not None:
        out = out + np.reshape(beta, shape)
    return out


def _rms(x, scale=None, axis=-1, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    out = x / np.sqrt(np.mean(x * x, axis=axis, keepdims=True) + eps)
    return out * scale if scale is not None else out


def _normalize(x, axis=-1, order=2, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    n = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.maximum(n, eps)


nn_case("moments", lambda: (N((3, 4, 2)),), _moments, kwargs={"axes": [0, 1]})
nn_case("moments", lambda: (N((3, 4)),), _moments, kwargs={"axes": [1], "keepdims": True},
        name="keepdims")
nn_case("moments", lambda: (N((3, 4), dtype="float16"),), _moments, kwargs={"axes": [0]},
        name="float16", rtol=2e-3, atol=2e-3, dtype=("float16", "float16"), grad=False)
nn_case("batch_normalization",
        lambda: (N((2, 3, 4)), N((4,), seed=1), U((4,), 0.5, 2, seed=2), -1,
                 N((4,), seed=3), U((4,), 0.5, 1.5, seed=4)), _bn)
nn_case("batch_normalization",
        lambda: (N((2, 3, 4)), N((3,), seed=1), U((3,), 0.5, 2, seed=2), 1), _bn,
        kwargs={"epsilon": 0.1}, name="axis1_no_affine")
nn_case("layer_normalization", lambda: (N((2, 5)), U((5,), 0.5, 1.5, seed=1), N((5,), seed=2)),
        _ln)
nn_case("layer_normalization", lambda: (N((2, 3, 4)),), _ln,
        kwargs={"axis": -1, "epsilon": 0.01}, name="no_affine_eps")
nn_case("rms_normalization", lambda: (N((2, 5)), U((5,), 0.5, 1.5, seed=1)), _rms)
nn_case("rms_normalization", lambda: (N((3, 4)),), _rms, kwargs={"axis": 0, "epsilon": 0.01},
        name="axis0_eps")
nn_case("normalize", lambda: (N((3, 4)),), _normalize)
nn_case("normalize", lambda: (N((3, 4)),), _normalize, kwargs={"axis": 0, "order": 1},
        name="l1_axis0")
nn_case("psnr", lambda: (U((2, 4, 4, 1), 0, 1), U((2, 4, 4, 1), 0, 1, seed=1), 1.0),
        lambda a, b, m: 20 * np.log10(m) - 10 * np.log10(np.mean((a - b) ** 2)),
        grad_args=(0, 1))


def _ctc_ref(target, output, target_length, output_length, mask_index=0):
    logp = _log_softmax(output, -1)
    losses = []
    for b in range(output.shape[0]):
        lab = list(np.asarray(target[b][: int(target_length[b])]))
        ext = [mask_index]
        for c in lab:
            ext += [c, mask_index]
        S, T = len(ext), int(output_length[b])
        alpha = np.full(S, -np.inf)
        alpha[0] = logp[b, 0, ext[0]]
        if S > 1:
            alpha[1] = logp[b, 0, ext[1]]
        for t in range(1, T):
            new = np.full(S, -np.inf)
            for s in range(S):
                terms = [alpha[s]]
                if s >= 1:
                    terms.append(alpha[s - 1])
                if s >= 2 and ext[s] != mask_index and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = np.logaddexp.reduce(terms) + logp[b, t, ext[s]]
            alpha = new
        ll = np.logaddexp(alpha[-1], alpha[-2]) if S > 1 else alpha[-1]
        losses.append(-ll)
    return np.array(losses, dtype=output.dtype)


nn_case("ctc_loss", lambda: (np.array([[1, 2, 2], [3, 1, 0]], "int32"), N((2, 6, 4), seed=1),
                             np.array([3, 2], "int32"), np.array([6, 5], "int32")),
        _ctc_ref, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------------------------
# nn group: adaptive pooling, space/depth rearrangement, unfold/fold, polar, ctc_decode


def _adaptive_bins(n, m):
    return [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]


def _adaptive_ref(kind):
    def ref(x, output_size, data_format=None):
        x = _to_last(x, data_format)
        nsp = x.ndim - 2
        outs = _tuple(output_size, nsp)
        bins = [_adaptive_bins(n, m) for n, m in zip(x.shape[1:-1], outs)]
        out = np.zeros((x.shape[0], *outs, x.shape[-1]))
        axes = tuple(range(1, nsp + 1))
        for o in np.ndindex(*outs):
            win = tuple(slice(*bins[d][i]) for d, i in enumerate(o))
            block = x[(slice(None),) + win + (slice(None),)]
            out[(slice(None),) + o] = block.max(axis=axes) if kind == "max" else block.mean(axis=axes)
        return _from_last(out, data_format)

    return ref


nn_case("adaptive_average_pool", lambda: (U((2, 5, 5, 3)), 3), _adaptive_ref("avg"))
nn_case("adaptive_average_pool", lambda: (U((2, 7, 3)), 3), _adaptive_ref("avg"), name="1d")
nn_case("adaptive_average_pool", lambda: (U((1, 4, 5, 3, 2)), (2, 3, 2)), _adaptive_ref("avg"),
        name="3d")
nn_case("adaptive_average_pool", lambda: (U((2, 3, 5, 4)), (2, 3)), _adaptive_ref("avg"),
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("adaptive_average_pool", lambda: (I((1, 4, 4, 2), 0, 10), 2), _adaptive_ref("avg"),
        name="int32")
nn_case("adaptive_max_pool", lambda: (DISTINCT((2, 5, 5, 3)), 3), _adaptive_ref("max"))
nn_case("adaptive_max_pool", lambda: (DISTINCT((2, 7, 3)), 3), _adaptive_ref("max"), name="1d")
nn_case("adaptive_max_pool", lambda: (DISTINCT((1, 4, 5, 3, 2)), (3, 2, 2)), _adaptive_ref("max"),
        name="3d")
nn_case("adaptive_max_pool", lambda: (DISTINCT((1, 2, 6, 5)), (4, 2)), _adaptive_ref("max"),
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("adaptive_max_pool", lambda: (I((1, 4, 4, 2), 0, 100), 3), _adaptive_ref("max"),
        name="int32")


def _depth_to_space(x, block_size, data_format="channels_last"):
    x = _to_last(x, data_format)
    n, h, w, c = x.shape
    b = block_size
    y = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    return _from_last(y.reshape(n, h * b, w * b, c // (b * b)), data_format)


def _space_to_depth(x, block_size, data_format="channels_last"):
    x = _to_last(x, data_format)
    n, h, w, c = x.shape
    b = block_size
    y = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
    return _from_last(y.reshape(n, h // b, w // b, b * b * c), data_format)


nn_case("depth_to_space", lambda: (N((2, 2, 3, 8)), 2), _depth_to_space)
nn_case("depth_to_space", lambda: (N((1, 18, 2, 1)), 3), _depth_to_space,
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("depth_to_space", lambda: (I((1, 1, 2, 8), -9, 9), 2), _depth_to_space, name="int32")
nn_case("space_to_depth", lambda: (N((2, 4, 6, 2)), 2), _space_to_depth)
nn_case("space_to_depth", lambda: (N((1, 2, 6, 3)), 3), _space_to_depth,
        kwargs={"data_format": "channels_first"}, name="channels_first")


def _unfold_geometry(hw, kernel_size, dilation, padding, stride):
    k, d, p, s = (_tuple(v, 2) for v in (kernel_size, dilation, padding, stride))
    outs = [(n + 2 * pp - dd * (kk - 1) - 1) // ss + 1 for n, kk, dd, pp, ss in zip(hw, k, d, p, s)]
    return k, d, p, s, outs


def _unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    n, c, h, w = x.shape
    k, d, p, s, (oh, ow) = _unfold_geometry((h, w), kernel_size, dilation, padding, stride)
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    cols = np.zeros((n, c, k[0], k[1], oh, ow), x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            cols[:, :, i, j] = xp[:, :, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                                  j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1]]
    return cols.reshape(n, c * k[0] * k[1], oh * ow)


def _fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    hw = _tuple(output_size, 2)
    k, d, p, s, (oh, ow) = _unfold_geometry(hw, kernel_size, dilation, padding, stride)
    n, c = x.shape[0], x.shape[1] // (k[0] * k[1])
    cols = x.reshape(n, c, k[0], k[1], oh, ow)
    out = np.zeros((n, c, hw[0] + 2 * p[0], hw[1] + 2 * p[1]), x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            out[:, :, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1]] += cols[:, :, i, j]
    return out[:, :, p[0]:p[0] + hw[0], p[1]:p[1] + hw[1]]


_UNFOLD_KW = {"dilation": (2, 1), "padding": 1, "stride": (2, 1)}
nn_case("unfold", lambda: (N((2, 3, 5, 5)), 2), _unfold)
nn_case("unfold", lambda: (N((1, 2, 6, 7)), (2, 3)), _unfold, kwargs=_UNFOLD_KW, name="dilated")
nn_case("unfold", lambda: (I((1, 1, 4, 4), -9, 9), 2), _unfold, kwargs={"stride": 2},
        name="int32")
nn_case("fold", lambda: (N((2, 12, 16)), (5, 5), 2), _fold)
nn_case("fold", lambda: (N((1, 12, 21)), (6, 7), (2, 3)), _fold, kwargs=_UNFOLD_KW,
        name="dilated")


def _polar(abs_, angle):
    return abs_ * np.exp(1j * angle)


nn_case("polar", lambda: (U((2, 3), 0, 2), U((2, 3), -3, 3, seed=1)), _polar, dtype="complex64")
nn_case("polar", lambda: (U((3,), 0, 2, dtype="float64"), U((3,), -3, 3, seed=1, dtype="float64")),
        _polar, dtype="complex128", name="float64")


def _ctc_blank(num_classes, mask_index):
    return num_classes - 1 if mask_index is None else mask_index


def _ctc_greedy(inputs, lengths, strategy="greedy", beam_width=100, top_paths=1,
                merge_repeated=True, mask_index=0):
    batch, time, classes = inputs.shape
    blank = _ctc_blank(classes, mask_index)
    paths = np.full((1, batch, time), -1, "int32")
    scores = np.zeros((batch, 1))
    for b in range(batch):
        steps = inputs[b, : int(lengths[b])]
        scores[b, 0] = -np.sum(np.max(steps, axis=-1))
        labels, prev = [], None
        for k in np.argmax(steps, axis=-1):
            if not (merge_repeated and k == prev) and k != blank:
                labels.append(k)
            prev = k
        paths[0, b, :len(labels)] = labels
    return paths, scores


def _ctc_exhaustive(inputs, lengths, strategy="beam_search", beam_width=100, top_paths=1,
                    merge_repeated=True, mask_index=0):
    """The top_paths most probable labellings by summing over every alignment (tiny inputs)."""
    import itertools

    batch, time, classes = inputs.shape
    blank = _ctc_blank(classes, mask_index)
    logp = _log_softmax(inputs, -1)
    paths = np.full((top_paths, batch, time), -1, "int32")
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        length = int(lengths[b])
        totals = {}
        for align in itertools.product(range(classes), repeat=length):
            merged = [a for i, a in enumerate(align) if i == 0 or a != align[i - 1]]
            label = tuple(a for a in merged if a != blank)
            lp = sum(logp[b, t, a] for t, a in enumerate(align))
            totals[label] = np.logaddexp(totals.get(label, -np.inf), lp)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top_paths]
        for k, (label, score) in enumerate(ranked):
            paths[k, b, :len(label)] = label
            scores[b, k] = score
    return paths, scores


def _peaked_logits(seqs, classes, seed):
    """Logits whose per-step argmax follows `seqs` (so greedy decoding meets repeats/blanks)."""
    seqs = np.array(seqs)
    noise = N(seqs.shape + (classes,), seed=seed) * 0.3
    return (noise + 3.0 * np.eye(classes)[seqs]).astype("float32")


_GREEDY_SEQS = [[1, 1, 0, 1, 2, 2], [3, 0, 3, 3, 1, 0], [2, 2, 2, 0, 0, 1]]
nn_case("ctc_decode", lambda: (_peaked_logits(_GREEDY_SEQS, 4, 3), np.array([6, 5, 0], "int32")),
        _ctc_greedy, dtype=("int32", "float32"), name="greedy")
nn_case("ctc_decode", lambda: (_peaked_logits(_GREEDY_SEQS, 4, 4), np.array([6, 6, 4], "int32")),
        _ctc_greedy, kwargs={"merge_repeated": False, "mask_index": None},
        dtype=("int32", "float32"), name="greedy_no_merge_last_blank")
nn_case("ctc_decode", lambda: (N((2, 5, 3), seed=5), np.array([5, 3], "int32")), _ctc_exhaustive,
        kwargs={"strategy": "beam_search", "top_paths": 3}, dtype=("int32", "float32"),
        name="beam_search", rtol=1e-4)
nn_case("ctc_decode", lambda: (N((2, 4, 3), seed=6), np.array([4, 4], "int32")), _ctc_exhaustive,
        kwargs={"strategy": "beam_search", "beam_width": 50, "top_paths": 2, "mask_index": None},
        dtype=("int32", "float32"), name="beam_search_last_blank", rtol=1e-4)


def _dpa_ref(q, k, v, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
             attn_logits_soft_cap=None):
    n, kh = q.shape[2], k.shape[2]
    if n != kh:
        k = np.repeat(k, n // kh, axis=2)
        v = np.repeat(v, n // kh, axis=2)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, dtype=bool)
    if mask is not None:
        keep &= np.asarray(mask, dtype=bool)
    if is_causal:
        keep &= np.tril(np.ones(logits.shape[-2:], dtype=bool))
    logits = np.where(keep, logits, -1e9)
    return np.einsum("bnts,bsnh->btnh", _softmax(logits, -1), v)


_QKV = lambda t=3, s=4, n=2, k=2: (N((2, t, n, 4)), N((2, s, k, 4), seed=1),  # noqa: E731
                                   N((2, s, k, 4), seed=2))
nn_case("dot_product_attention", lambda: _QKV(), _dpa_ref, name="basic")
nn_case("dot_product_attention", lambda: _QKV() + (N((2, 2, 3, 4), seed=3),), _dpa_ref,
        name="bias")
nn_case("dot_product_attention",
        lambda: _QKV() + (None, np.concatenate([np.ones((2, 2, 3, 1), bool), B((2, 2, 3, 3), seed=4)], -1)),
        _dpa_ref, name="mask")
nn_case("dot_product_attention", lambda: _QKV(t=4, s=4), _dpa_ref,
        kwargs={"is_causal": True, "scale": 0.3}, name="causal_scale")
nn_case("dot_product_attention", lambda: _QKV(n=4, k=2), _dpa_ref, name="grouped_heads")

# --------------------------------------------------------------------------------------------
# math group


def _segment(kind):
    def ref(data, ids, num_segments=None, sorted=False):
        n = int(num_segments) if num_segments is not None else int(np.max(ids)) + 1
        out = np.full((n,) + data.shape[1:], _segment_fill(kind, data.dtype), dtype=data.dtype)
        combine = {"sum": np.add, "max": np.maximum, "min": np.minimum, "prod": np.multiply}[kind]
        for i, s in enumerate(ids):
            out[s] = combine(out[s], data[i])
        return out

    return ref


math_case("segment_sum", lambda: (N((6, 2)), np.array([0, 0, 1, 2, 2, 2], "int32")),
          _segment("sum"), kwargs={"num_segments": 4, "sorted": True}, name="sorted_empty")
math_case("segment_sum", lambda: (N((5,)), np.array([2, 0, 1, 0, 2], "int32")),
          _segment("sum"), kwargs={"num_segments": 3}, name="unsorted")
math_case("segment_max", lambda: (DISTINCT((6, 2)), np.array([0, 0, 1, 2, 2, 2], "int32")),
          _segment("max"), kwargs={"num_segments": 3, "sorted": True}, name="sorted")
math_case("segment_max", lambda: (DISTINCT((5,)), np.array([2, 0, 1, 0, 2], "int32")),
          _segment("max"), kwargs={"num_segments": 3}, name="unsorted")


def _segment_fill(kind, dtype):
    if kind == "sum":
        return 0
    if kind == "prod":
        return 1
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return info.max if kind == "min" else info.min
    return np.inf if kind == "min" else -np.inf


def _segment_ids_case(kind, data, ids, num_segments, name, **kw):
    math_case(f"segment_{kind}", lambda: (data(), np.array(ids, "int32")), _segment(kind),
              kwargs={"num_segments": num_segments, **kw.pop("kwargs", {})}, name=name, **kw)


_SORTED_IDS, _UNSORTED_IDS = [0, 0, 1, 3, 3, 3], [2, 0, 1, 0, 2]
# An empty segment puts +-inf in the output, which finite differences cannot take: no grads there.
_segment_ids_case("min", lambda: DISTINCT((6, 2)), _SORTED_IDS, 4, "sorted_empty", grad=False,
                  kwargs={"sorted": True})
_segment_ids_case("min", lambda: DISTINCT((5,)), _UNSORTED_IDS, 3, "unsorted")
_segment_ids_case("min", lambda: I((6,), -50, 50), _SORTED_IDS, 5, "int32_empty")
_segment_ids_case("max", lambda: DISTINCT((6, 2)), _SORTED_IDS, 4, "sorted_empty", grad=False)
_segment_ids_case("max", lambda: I((6,), -50, 50), _SORTED_IDS, 5, "int32_empty")
_segment_ids_case("prod", lambda: U((6, 2), 0.5, 1.5), _SORTED_IDS, 4, "sorted_empty",
                  kwargs={"sorted": True})
_segment_ids_case("prod", lambda: U((5,), -2, 2), _UNSORTED_IDS, 3, "unsorted")
_segment_ids_case("prod", lambda: I((6,), -4, 5), _SORTED_IDS, 5, "int32_empty")


def _cdist(x, y):
    return np.sqrt(np.sum((x[..., :, None, :] - y[..., None, :, :]) ** 2, axis=-1))


math_case("cdist", lambda: (N((3, 2)), N((4, 2), seed=1)), _cdist)
math_case("cdist", lambda: (N((2, 3, 4)), N((2, 5, 4), seed=1)), _cdist, name="batch")
math_case("cdist", lambda: (N((1, 3, 2)), N((2, 4, 2), seed=1)), _cdist, name="broadcast")
math_case("cdist", lambda: (I((3, 2), -5, 5), I((2, 2), -5, 5, seed=1)), _cdist, name="int32")


def _stft_window(window, sequence_length, fft_length):
    n = sequence_length
    if window is None:
        w = np.ones(n)
    elif isinstance(window, str):  # periodic windows, as scipy.signal.get_window makes them
        a = 0.5 if window == "hann" else 0.54
        w = a - (1 - a) * np.cos(2 * np.pi * np.arange(n) / n)
    else:
        w = np.asarray(window, np.float64)
    left = (fft_length - n) // 2
    return np.pad(w, (left, fft_length - n - left))


def _stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    if center:
        half = fft_length // 2
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)], mode="reflect")
    frames = _frames(x, fft_length, sequence_stride)
    y = np.fft.rfft(frames * _stft_window(window, sequence_length, fft_length), axis=-1)
    return np.real(y), np.imag(y)


def _istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
           center=True):
    frames = np.fft.irfft(x[0] + 1j * x[1], n=fft_length, axis=-1)
    w = _stft_window(window, sequence_length, fft_length)
    count, step = frames.shape[-2], sequence_stride
    total = fft_length + step * (count - 1)
    out = np.zeros(frames.shape[:-2] + (total,))
    norm = np.zeros(total)
    for i in range(count):
        out[..., i * step:i * step + fft_length] += frames[..., i, :] * w
        norm[i * step:i * step + fft_length] += w ** 2
    out = out / np.where(norm > 1e-10, norm, 1.0)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return out[..., start:end]


math_case("stft", lambda: (N((2, 32)), 8, 4, 16), _stft, rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((20,)), 6, 4, 8), _stft, kwargs={"window": "hamming", "center": False},
          name="hamming_uncentered", rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((2, 16)), 8, 3, 8), _stft, kwargs={"window": None},
          name="no_window", rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((12,)), 5, 2, 8), _stft, kwargs={"window": U((5,), 0, 1, seed=3)},
          name="tensor_window", rtol=1e-4, atol=1e-5, grad_args=(0,))
math_case("stft", lambda: (N((2, 16), dtype="float64"), 8, 4, 8), _stft, name="float64",
          dtype=("float64", "float64"))
math_case("istft", lambda: (_PAIR((2, 9, 9))[0], 8, 4, 16), _istft, rtol=1e-4, atol=1e-5)
math_case("istft", lambda: (_PAIR((4, 5))[0], 6, 4, 8), _istft,
          kwargs={"window": "hamming", "center": False}, name="hamming_uncentered",
          rtol=1e-4, atol=1e-5)
math_case("istft", lambda: (_PAIR((5, 5))[0], 8, 3, 8), _istft,
          kwargs={"window": None, "length": 11}, name="no_window_length", rtol=1e-4, atol=1e-5)
math_case("view_as_complex", lambda: (N((2, 3, 2)),), lambda x: x[..., 0] + 1j * x[..., 1],
          dtype="complex64")
math_case("view_as_complex", lambda: (N((3, 2), dtype="float64"),),
          lambda x: x[..., 0] + 1j * x[..., 1], dtype="complex128", name="float64")
math_case("view_as_real", lambda: ((N((2, 3)) + 1j * N((2, 3), seed=1)).astype("complex64"),),
          lambda x: np.stack([x.real, x.imag], axis=-1), dtype="float32")
math_case("view_as_real", lambda: ((N((4,)) + 1j * N((4,), seed=1)).astype("complex128"),),
          lambda x: np.stack([x.real, x.imag], axis=-1), dtype="float64", name="complex128")


def _top_k(x, k, sorted=True):
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, axis=-1), idx.astype("int32")


math_case("top_k", lambda: (DISTINCT((2, 5)), 3), _top_k, dtype=(FLOATX, "int32"))
math_case("top_k", lambda: (I((4,), 0, 100, seed=5), 2), _top_k, name="int32",
          dtype=("int32", "int32"))


def _in_top_k(targets, predictions, k):
    order = np.argsort(-predictions, axis=-1, kind="stable")[:, :k]
    return np.array([t in row for t, row in zip(targets, order)])


math_case("in_top_k", lambda: (np.array([1, 0, 4], "int32"), DISTINCT((3, 5)), 2), _in_top_k,
          dtype="bool")
math_case("logsumexp", lambda: (N((2, 3)),), lambda x, axis=None, keepdims=False: np.log(
    np.sum(np.exp(x), axis=axis, keepdims=keepdims)), name="all")
math_case("logsumexp", lambda: (N((2, 3)) * 30,), lambda x, axis=None, keepdims=False: (
    np.max(x, axis=axis, keepdims=True) + np.log(np.sum(np.exp(x - np.max(x, axis=axis, keepdims=True)),
                                                       axis=axis, keepdims=True))
).reshape(np.sum(x, axis=axis, keepdims=keepdims).shape),
    kwargs={"axis": 1, "keepdims": True}, name="large_axis1")
math_case("rsqrt", lambda: (U((2, 3), 0.2, 3),), _keep_float(lambda x: 1 / np.sqrt(x)))
math_case("rsqrt", lambda: (np.array([1, 4, 9], "int32"),), _keep_float(lambda x: 1 / np.sqrt(x)),
          name="int32", dtype=FLOATX)
math_case("erf", lambda: (U((2, 3), -2, 2),), _keep_float(_erf))
math_case("erf", lambda: (np.array([-1, 0, 2], "int32"),), _keep_float(_erf), name="int32",
          dtype=FLOATX)
math_case("erfc", lambda: (U((2, 3), -2, 4),), _keep_float(lambda x: 1 - _erf(x)), atol=1e-6)
math_case("erfc", lambda: (np.array([-1, 0, 2], "int32"),), _keep_float(lambda x: 1 - _erf(x)),
          name="int32", dtype=FLOATX)
math_case("erfinv", lambda: (U((2, 3), -0.9, 0.9),), _keep_float(_erfinv), rtol=1e-4)


def _frames(x, sequence_length, sequence_stride):
    n = (x.shape[-1] - sequence_length) // sequence_stride + 1
    return np.stack([x[..., i * sequence_stride:i * sequence_stride + sequence_length]
                     for i in range(n)], axis=-2)


math_case("extract_sequences", lambda: (N((2, 10)), 4, 3), _frames)
math_case("extract_sequences", lambda: (N((3, 8)), 4, 4), _frames, name="no_overlap")


def _pair(fn):
    def ref(x, **kw):
        y = fn(x[0] + 1j * x[1], **kw)
        return np.real(y), np.imag(y)

    return ref


_PAIR = lambda shape: ((N(shape), N(shape, seed=1)),)  # noqa: E731
math_case("fft", lambda: _PAIR((2, 5)), _pair(np.fft.fft), rtol=1e-4, atol=1e-5)
math_case("fft2", lambda: _PAIR((2, 3, 4)), _pair(np.fft.fft2), rtol=1e-4, atol=1e-5)
math_case("ifft2", lambda: _PAIR((2, 3, 4)), _pair(np.fft.ifft2), rtol=1e-4, atol=1e-5)


def _rfft(x, fft_length=None):
    y = np.fft.rfft(x, n=fft_length)
    return np.real(y), np.imag(y)


def _irfft(x, fft_length=None):
    return np.fft.irfft(x[0] + 1j * x[1], n=fft_length)


math_case("rfft", lambda: (N((2, 8)),), _rfft, rtol=1e-4, atol=1e-5)
math_case("rfft", lambda: (N((2, 7)),), _rfft, kwargs={"fft_length": 6}, name="length6",
          rtol=1e-4, atol=1e-5)
math_case("irfft", lambda: _PAIR((2, 5)), _irfft, rtol=1e-4, atol=1e-5)
math_case("irfft", lambda: _PAIR((2, 5)), _irfft, kwargs={"fft_length": 9}, name="length9",
          rtol=1e-4, atol=1e-5)
math_case("logdet", lambda: (SPD(3),), lambda x: np.linalg.slogdet(x)[1], rtol=1e-4,
          grad_pre=lambda args, xp: (xp.multiply(xp.add(args[0], xp.swapaxes(args[0], -1, -2)), 0.5),))
math_case("logdet", lambda: (SPD(3, batch=(2,)),), lambda x: np.linalg.slogdet(x)[1],
          name="batch", rtol=1e-4, grad=False)

# --------------------------------------------------------------------------------------------
# linalg group


def _sym(args, xp):
    a = args[0]
    return (xp.multiply(xp.add(a, xp.swapaxes(a, -1, -2)), 0.5),) + tuple(args[1:])


def _qr_post(out, xp):
    q, r = out
    s = xp.sign(xp.diagonal(r, 0, -2, -1))
    return xp.multiply(q, xp.expand_dims(s, -2)), xp.multiply(r, xp.expand_dims(s, -1))


def _qr_canon(out):
    return _qr_post([np.asarray(o, dtype=np.float64) for o in out], np)


def _svd_post(out, xp):
    u, s, vh = out
    sign = xp.sign(xp.take(u, 0, axis=-2))  # first row of u, one sign per column
    return xp.multiply(u, xp.expand_dims(sign, -2)), s, xp.multiply(vh, xp.expand_dims(sign, -1))


def _svd_canon_full(out):
    u, s, vh = (np.asarray(o, dtype=np.float64) for o in out)
    k = s.shape[-1]
    ur, sr, vr = _svd_post((u[..., :, :k], s, vh[..., :k, :]), np)
    # the remaining columns of u/vh only need to be orthonormal
    return (ur, sr, vr, np.swapaxes(u, -1, -2) @ u, vh @ np.swapaxes(vh, -1, -2))


def _eigh_post(out, xp):
    w, v = out
    sign = xp.sign(xp.take(v, 0, axis=-2))
    return w, xp.multiply(v, xp.expand_dims(sign, -2))


def _eigh_canon(out):
    return _eigh_post([np.asarray(o, dtype=np.float64) for o in out], np)


def _svd(x, full_matrices=True, compute_uv=True):
    return np.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


def _lu_factor(x):
    from scipy import linalg

    lu, piv = linalg.lu_factor(x)
    return lu, piv.astype("int32")


def _solve_triangular(a, b, lower=False):
    from scipy import linalg

    return linalg.solve_triangular(a, b, lower=lower)


def _lstsq(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def _chol(x, upper=False):
    l = np.linalg.cholesky(x)
    return np.swapaxes(l, -1, -2) if upper else l


_LA_TOL = dict(rtol=1e-4, atol=1e-4)
la_case("cholesky", lambda: (SPD(3),), _chol, grad_pre=_sym, **_LA_TOL)
la_case("cholesky", lambda: (SPD(3, batch=(2,)),), _chol, kwargs={"upper": True},
        name="batch_upper", grad_pre=_sym, **_LA_TOL)
la_case("det", lambda: (N((3, 3)),), np.linalg.det, **_LA_TOL)
la_case("det", lambda: (N((2, 2, 2)),), np.linalg.det, name="batch", **_LA_TOL)
la_case("eigh", lambda: (SPD(3),), np.linalg.eigh, canon=_eigh_canon, grad_pre=_sym,
        grad_post=_eigh_post, **_LA_TOL)
la_case("inv", lambda: (SPD(3),), np.linalg.inv, **_LA_TOL)
la_case("inv", lambda: (N((2, 3, 3)) + 3 * np.eye(3, dtype="float32"),), np.linalg.inv,
        name="batch", **_LA_TOL)
la_case("lu_factor", lambda: (N((3, 3)),), _lu_factor, dtype=(FLOATX, "int32"), **_LA_TOL)
la_case("norm", lambda: (N((5,)),), np.linalg.norm, name="vector")
la_case("norm", lambda: (N((2, 3)),), np.linalg.norm, kwargs={"axis": 1, "keepdims": True},
        name="axis1_keepdims")
for _ord in (1, 3, np.inf, -np.inf):
    la_case("norm", lambda: (N((5,)),), np.linalg.norm, kwargs={"ord": _ord},
            name=f"vector_ord{_ord}")
la_case("norm", lambda: (N((3, 3)),), np.linalg.norm, name="matrix_default")
for _ord in ("fro", "nuc", 1, -1, 2, -2, np.inf):
    la_case("norm", lambda: (N((3, 3)),), np.linalg.norm, kwargs={"ord": _ord},
            name=f"matrix_{_ord}", **_LA_TOL)
la_case("norm", lambda: (N((2, 3, 3)),), np.linalg.norm, kwargs={"ord": "fro", "axis": (1, 2)},
        name="batch_fro")
la_case("norm", lambda: (np.array([3, 4], "int32"),), np.linalg.norm, name="int32", dtype=FLOATX)
la_case("qr", lambda: (N((4, 3)),), np.linalg.qr, canon=_qr_canon, grad_post=_qr_post,
        name="reduced", **_LA_TOL)
la_case("qr", lambda: (N((2, 3, 3)),), np.linalg.qr, kwargs={"mode": "complete"},
        canon=_qr_canon, grad=False, name="complete_batch", **_LA_TOL)
la_case("solve", lambda: (N((3, 3)) + 3 * np.eye(3, dtype="float32"), N((3, 2), seed=1)),
        np.linalg.solve, **_LA_TOL)
la_case("solve", lambda: (N((2, 3, 3)) + 3 * np.eye(3, dtype="float32"), N((2, 3, 1), seed=1)),
        np.linalg.solve, name="batch", **_LA_TOL)
la_case("solve_triangular", lambda: (np.tril(N((3, 3))) + 3 * np.eye(3, dtype="float32"),
                                     N((3, 2), seed=1)),
        _solve_triangular, kwargs={"lower": True}, name="lower", **_LA_TOL)
la_case("solve_triangular", lambda: (np.triu(N((3, 3))) + 3 * np.eye(3, dtype="float32"),
                                     N((3, 2), seed=1)),
        _solve_triangular, name="upper", **_LA_TOL)
la_case("svd", lambda: (N((4, 3)),), _svd, kwargs={"full_matrices": False}, canon=lambda o: _svd_post([np.asarray(v, np.float64) for v in o], np),
        grad_post=_svd_post, name="reduced", **_LA_TOL)
la_case("svd", lambda: (N((2, 3, 4)),), _svd, canon=_svd_canon_full, grad=False,
        name="full_batch", **_LA_TOL)
la_case("svd", lambda: (N((4, 3)),), _svd, kwargs={"compute_uv": False}, name="values",
        **_LA_TOL)
la_case("lstsq", lambda: (N((5, 3)), N((5, 2), seed=1)), _lstsq, **_LA_TOL)
la_case("lstsq", lambda: (N((5, 3)), N((5,), seed=1)), _lstsq, name="vector_b", **_LA_TOL)

# --------------------------------------------------------------------------------------------
# image group


def _kernel(method):
    if method == "bilinear":
        return lambda x: np.maximum(0.0, 1.0 - np.abs(x))
    if method == "bicubic":
        def cubic(x):
            x = np.abs(x)
            out = ((1.5 * x - 2.5) * x) * x + 1.0
            out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
            return np.where(x >= 2.0, 0.0, out)
        return cubic
    radius = {"lanczos3": 3, "lanczos5": 5}[method]

    def lanczos(x):
        x = np.abs(x)
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        out = np.where(x > 1e-3, y / np.where(x > 1e-3, np.pi ** 2 * x ** 2, 1.0), 1.0)
        return np.where(x > radius, 0.0, out)
    return lanczos


def _weights(in_size, out_size, method, antialias):
    """(in, out) interpolation weights with half-pixel centres, edge-renormalised."""
    scale = out_size / in_size
    inv = 1.0 / scale
    kscale = max(inv, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv - 0.5
    x = np.abs(sample[None, :] - np.arange(in_size)[:, None]) / kscale
    w = _kernel(method)(x)
    total = w.sum(axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], w, 0.0)


def _resize_hw(img, size, method, antialias):
    """img (N, H, W, C) -> (N, h, w, C)."""
    h, w = size
    if method == "nearest":
        rows = np.floor((np.arange(h) + 0.5) * img.shape[1] / h).astype(int)
        cols = np.floor((np.arange(w) + 0.5) * img.shape[2] / w).astype(int)
        return img[:, rows][:, :, cols]
    if method == "area":
        fh, fw = img.shape[1] // h, img.shape[2] // w
        return img.reshape(img.shape[0], h, fh, w, fw, img.shape[3]).mean(axis=(2, 4))
    wr = _weights(img.shape[1], h, method, antialias)
    wc = _weights(img.shape[2], w, method, antialias)
    return np.einsum("nhwc,hH,wW->nHWc", img, wr, wc)


def _resize_ref(images, size, interpolation="bilinear", antialias=False,
                crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
                fill_value=0.0, data_format=None):
    x = np.asarray(images)
    single = x.ndim == 3
    if single:
        x = x[None]
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    th, tw = size
    H, W = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        ch = max(min(H, int(float(W * th) / tw)), 1)
        cw = max(min(W, int(float(H * tw) / th)), 1)
        hs, ws = int(float(H - ch) / 2), int(float(W - cw) / 2)
        x = x[:, hs:hs + ch, ws:ws + cw]
    elif pad_to_aspect_ratio:
        ph = max(H, int(float(W * th) / tw))
        pw = max(W, int(float(H * tw) / th))
        hs, ws = int(float(ph - H) / 2), int(float(pw - W) / 2)
        p = np.full((x.shape[0], ph, pw, x.shape[3]), fill_value, dtype=x.dtype)
        p[:, hs:hs + H, ws:ws + W] = x
        x = p
    out = _resize_hw(x, size, interpolation, antialias)
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out[0] if single else out


_IMG = lambda shape, seed=0: (U(shape, 0, 1, seed=seed),)  # noqa: E731
im_case("resize", lambda: _IMG((2, 3, 4, 2)), _resize_ref, kwargs={"size": (5, 7)},
        name="bilinear_up")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref, kwargs={"size": (2, 3)},
        name="bilinear_down")
im_case("resize", lambda: _IMG((3, 4, 2)), _resize_ref,
        kwargs={"size": (6, 8), "interpolation": "nearest"}, name="nearest_single")
im_case("resize", lambda: _IMG((1, 4, 4, 2)), _resize_ref,
        kwargs={"size": (6, 7), "interpolation": "bicubic"}, name="bicubic", atol=1e-4)
im_case("resize", lambda: _IMG((1, 6, 6, 1)), _resize_ref,
        kwargs={"size": (4, 4), "antialias": True}, name="bilinear_antialias")
im_case("resize", lambda: _IMG((1, 5, 5, 1)), _resize_ref,
        kwargs={"size": (8, 7), "interpolation": "lanczos3"}, name="lanczos3", atol=1e-4)
im_case("resize", lambda: _IMG((1, 4, 6, 2)), _resize_ref,
        kwargs={"size": (2, 3), "interpolation": "area"}, name="area")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref,
        kwargs={"size": (3, 3), "crop_to_aspect_ratio": True}, name="crop")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref,
        kwargs={"size": (3, 3), "pad_to_aspect_ratio": True, "fill_value": 0.5}, name="pad")
im_case("resize", lambda: _IMG((1, 2, 3, 4)), _resize_ref,
        kwargs={"size": (5, 6), "data_format": "channels_first"}, name="channels_first")


def _fix_index(i, n, mode):
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "mirror":
        s = n - 1
        return np.abs(np.mod(i + s, 2 * s) - s) if s > 0 else np.zeros_like(i)
    if mode == "reflect":
        s = 2 * n  # period
        j = np.mod(i, s)
        return np.where(j >= n, s - 1 - j, j)
    return i  # constant: validity handled by the caller


def _map_coordinates_ref(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = np.asarray(inputs)
    coords = [np.asarray(c, dtype=np.float64) for c in coordinates]
    if order == 0:
        corners = [[(np.round(c), np.ones_like(c))] for c in coords]
    else:
        corners = []
        for c in coords:
            lo = np.floor(c)
            corners.append([(lo, 1.0 - (c - lo)), (lo + 1, c - lo)])
    out = np.zeros(coords[0].shape, dtype=np.float64)
    for combo in np.ndindex(*[len(c) for c in corners]):
        idx, w, valid = [], 1.0, np.ones(coords[0].shape, dtype=bool)
        for d, k in enumerate(combo):
            i, wd = corners[d][k]
            i = i.astype(np.int64)
            if fill_mode == "constant":
                valid &= (i >= 0) & (i < x.shape[d])
                i = np.clip(i, 0, x.shape[d] - 1)
            else:
                i = _fix_index(i, x.shape[d], fill_mode)
            idx.append(i)
            w = w * wd
        out += w * np.where(valid, x[tuple(idx)], fill_value)
    return out.astype(x.dtype) if x.dtype.kind == "f" else out


_MC = lambda: (U((4, 5), -1, 1), np.stack([  # noqa: E731
    np.array([[-0.7, 0.3, 1.6], [2.2, 3.4, 4.3]]), np.array([[0.2, -1.3, 2.7], [4.6, 1.1, 5.4]])
]).astype("float32"))
for _mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
    im_case("map_coordinates", _MC, _map_coordinates_ref,
            kwargs={"order": 1, "fill_mode": _mode}, name=f"order1_{_mode}", grad_args=(0,))
im_case("map_coordinates", _MC, _map_coordinates_ref,
        kwargs={"order": 0, "fill_mode": "nearest"}, name="order0_nearest", grad_args=(0,))
im_case("map_coordinates", _MC, _map_coordinates_ref,
        kwargs={"order": 1, "fill_value": 0.5}, name="order1_fill_value", grad_args=(0,))


def _affine_ref(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                data_format=None):
    x = np.asarray(images)
    single = x.ndim == 3
    if single:
        x = x[None]
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    t = np.asarray(transform, dtype=np.float64)
    if t.ndim == 1:
        t = np.tile(t[None], (x.shape[0], 1))
    n, h, w, c = x.shape
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    order = 0 if interpolation == "nearest" else 1
    out = np.zeros(x.shape, dtype=x.dtype)
    for b in range(n):
        a0, a1, a2, b0, b1, b2, c0, c1 = t[b]
        k = c0 * xx + c1 * yy + 1.0
        xin = (a0 * xx + a1 * yy + a2) / k
        yin = (b0 * xx + b1 * yy + b2) / k
        for ch in range(c):
            out[b, :, :, ch] = _map_coordinates_ref(x[b, :, :, ch], [yin, xin], order,
                                                    fill_mode, fill_value)
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out[0] if single else out


_AFF = np.array([0.9, 0.2, 0.3, -0.1, 1.1, -0.4, 0.0, 0.0], "float32")
im_case("affine_transform", lambda: (U((2, 5, 6, 2), 0, 1), _AFF), _affine_ref,
        name="bilinear_constant", grad_args=(0,))
im_case("affine_transform", lambda: (U((5, 6, 1), 0, 1),
                                     np.array([1.0, 0.0, -1.3, 0.0, 1.0, 2.2, 0.0, 0.0], "float32")),
        _affine_ref, kwargs={"interpolation": "nearest", "fill_mode": "nearest"},
        name="nearest_single", grad_args=(0,))
im_case("affine_transform", lambda: (U((2, 4, 4, 1), 0, 1),
                                     np.stack([_AFF, np.array([1.0, 0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0], "float32")])),
        _affine_ref, kwargs={"fill_mode": "reflect", "fill_value": 0.0}, name="batch_transforms",
        grad_args=(0,))
im_case("affine_transform", lambda: (U((1, 1, 4, 5), 0, 1), _AFF), _affine_ref,
        kwargs={"fill_value": 0.7, "data_format": "channels_first"}, name="channels_first",
        grad_args=(0,))


def _gray(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    w = np.array([0.2989, 0.5870, 0.1140])
    x = np.moveaxis(images, axis, -1)
    return np.moveaxis((x @ w)[..., None].astype(images.dtype), -1, axis)


def _rgb_to_hsv(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    x = np.moveaxis(images, axis, -1)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = x.max(-1)
    rng = v - x.min(-1)
    s = np.where(v > 0, rng / np.where(v > 0, v, 1), 0.0)
    safe = np.where(rng > 0, rng, 1)
    h = np.where(v == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0)
    h = np.where(v == r, (g - b) / safe, h)
    h = np.where(rng > 0, np.mod(h / 6.0, 1.0), 0.0)
    return np.moveaxis(np.stack([h, s, v], -1), -1, axis)


def _hsv_to_rgb(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    x = np.moveaxis(images, axis, -1)
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = np.mod(h, 1.0) * 6.0
    dr = np.clip(np.abs(dh - 3.0) - 1.0, 0, 1)
    dg = np.clip(2.0 - np.abs(dh - 2.0), 0, 1)
    db = np.clip(2.0 - np.abs(dh - 4.0), 0, 1)
    out = np.stack([v * (1 - s + s * d) for d in (dr, dg, db)], -1)
    return np.moveaxis(out, -1, axis)


im_case("rgb_to_grayscale", lambda: _IMG((2, 3, 4, 3)), _gray)
im_case("rgb_to_grayscale", lambda: _IMG((3, 2, 2)), _gray, kwargs={"data_format": "channels_first"},
        name="channels_first_single")
im_case("rgb_to_hsv", lambda: (U((2, 3, 4, 3), 0.05, 1),), _rgb_to_hsv)
im_case("rgb_to_hsv", lambda: (U((1, 3, 2, 2), 0.05, 1),), _rgb_to_hsv,
        kwargs={"data_format": "channels_first"}, name="channels_first")
im_case("hsv_to_rgb", lambda: (np.concatenate([U((2, 3, 4, 1), 0.02, 0.98),
                                                U((2, 3, 4, 2), 0.05, 1, seed=1)], -1),),
        _hsv_to_rgb)
im_case("hsv_to_rgb", lambda: (np.concatenate([U((1, 1, 2, 2), 0.02, 0.98),
                                                U((1, 2, 2, 2), 0.05, 1, seed=1)], 1),),
        _hsv_to_rgb, kwargs={"data_format": "channels_first"}, name="channels_first")

# --------------------------------------------------------------------------------------------
# core ops that take tensors


def _cast_ref(x, dtype):
    return np.asarray(x).astype(dtype)


def _saturate_ref(x, dtype):
    x = np.asarray(x)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = info.min, info.max
    elif dtype in ("float16", "float32", "float64"):
        info = np.finfo(dtype)
        lo, hi = info.min, info.max
    else:
        return x.astype(dtype)
    return np.clip(x, lo, hi).astype(dtype)


core_case("cast", lambda: (np.array([-2.7, -0.5, 0.0, 1.9, 3.5], "float32"), "int32"), _cast_ref,
          name="float_int_truncates", dtype="int32", ref_f64=False)
core_case("cast", lambda: (I((2, 3), -5, 5), "float32"), _cast_ref, name="int_float",
          dtype="float32")
core_case("cast", lambda: (np.array([0.0, 2.0, -0.1], "float32"), "bool"), _cast_ref,
          name="float_bool", dtype="bool")
core_case("cast", lambda: (B((2, 3)), "float32"), _cast_ref, name="bool_float", dtype="float32")
core_case("cast", lambda: (np.array([1.0, 2.5, 1000.0], "float32"), "float16"), _cast_ref,
          name="float16", dtype="float16", ref_f64=False, grad=False)
core_case("cast", lambda: (N((2, 3)), "float64"), _cast_ref, name="float64", dtype="float64",
          ref_f64=False, grad_args=(0,))
core_case("saturate_cast", lambda: (np.array([-5.0, 0.0, 12.3, 300.7], "float32"), "uint8"),
          _saturate_ref, dtype="uint8", ref_f64=False, name="uint8")
core_case("saturate_cast", lambda: (np.array([-300, -5, 100, 400], "int32"), "int8"),
          _saturate_ref, dtype="int8", name="int8")
core_case("saturate_cast", lambda: (N((2, 3)), "float32"), _saturate_ref, dtype="float32",
          name="float_float", ref_f64=False, grad=False)
core_case("saturate_cast", lambda: (N((2, 3), dtype="float64"), "float64"), _saturate_ref,
          dtype="float64", name="float64", ref_f64=False)
core_case("stop_gradient", lambda: (N((2, 3)),), lambda x: x.copy(), grad=False)


def _scatter_ref(indices, values, shape):
    out = np.zeros(shape, dtype=values.dtype)
    idx = np.asarray(indices)
    np.add.at(out, tuple(idx[..., i] for i in range(idx.shape[-1])), values)
    return out


def _scatter_update_ref(inputs, indices, updates, reduction=None):
    out = np.array(inputs, copy=True)
    idx = np.asarray(indices)
    key = tuple(idx[..., i] for i in range(idx.shape[-1]))
    if reduction is None:
        out[key] = updates
    else:
        {"add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}[reduction].at(
            out, key, updates)
    return out


core_case("scatter", lambda: (np.array([[0, 1], [2, 0], [0, 1]], "int32"), N((3,)), (3, 2)),
          _scatter_ref, name="duplicates", grad_args=(1,))
core_case("scatter", lambda: (np.array([[1], [3]], "int32"), N((2, 3)), (4, 3)), _scatter_ref,
          name="rows", grad_args=(1,))
core_case("scatter_update", lambda: (N((3, 4)), np.array([[0, 1], [2, 3]], "int32"), N((2,), seed=1)),
          _scatter_update_ref, name="elements", grad_args=(0, 2))
core_case("scatter_update", lambda: (N((4, 2)), np.array([[1], [3]], "int32"), N((2, 2), seed=1)),
          _scatter_update_ref, name="rows", grad_args=(0, 2))
core_case("scatter_update", lambda: (N((3, 4)), np.array([[0, 1], [0, 1], [2, 2]], "int32"),
                                     N((3,), seed=1)),
          _scatter_update_ref, kwargs={"reduction": "add"}, name="add", grad_args=(0, 2))
core_case("scatter_update", lambda: (I((3,), 0, 5), np.array([[0], [2]], "int32"),
                                     np.array([7, 9], "int32")),
          _scatter_update_ref, name="int32", dtype="int32")


def _slice_ref(x, start, shape):
    return x[tuple(slice(s, s + n) for s, n in zip(start, shape))]


def _slice_update_ref(x, start, updates):
    out = np.array(x, copy=True)
    out[tuple(slice(s, s + n) for s, n in zip(start, updates.shape))] = updates
    return out


core_case("slice", lambda: (N((3, 4, 2)), (1, 0, 1), (2, 3, 1)), _slice_ref)
core_case("slice", lambda: (N((5,)), np.array([2], "int32"), (3,)), _slice_ref, name="tensor_start")
core_case("slice_update", lambda: (N((3, 4)), (1, 2), N((2, 2), seed=1)), _slice_update_ref)
core_case("slice_update", lambda: (I((4,), 0, 5), (1,), np.array([7, 8], "int32")),
          _slice_update_ref, name="int32")
core_case("unstack", lambda: (N((3, 2)),), lambda x, num=None, axis=0: list(np.moveaxis(x, axis, 0)))
core_case("unstack", lambda: (N((2, 3, 2)),), lambda x, num=None, axis=0: list(np.moveaxis(x, axis, 0)),
          kwargs={"axis": 1, "num": 3}, name="axis1")
core_case("convert_to_tensor", lambda: (N((2, 3)),), lambda x: x.copy(), name="float32",
          ref_f64=False)
core_case("convert_to_tensor", lambda: (I((2, 3), -100, 100, dtype="int8"),), lambda x: x.copy(),
          name="int8", dtype="int8")
core_case("convert_to_tensor", lambda: (B((3,)),), lambda x: x.copy(), name="bool", dtype="bool")
core_case("convert_to_tensor", lambda: (N((3,), dtype="float16"),), lambda x: x.copy(),
          name="float16", dtype="float16", ref_f64=False, rtol=0, atol=0)
core_case("convert_to_tensor", lambda: (N((3,), dtype="float64"),), lambda x: x.copy(),
          name="float64", dtype="float64", ref_f64=False, rtol=0, atol=0)
core_case("convert_to_tensor", lambda: (I((3,), 0, 9, dtype="uint8"),), lambda x: x.copy(),
          name="uint8", dtype="uint8")
core_case("convert_to_tensor", lambda: (2.5,), lambda x: np.array(x, "float32"), name="pyfloat",
          dtype=FLOATX)
core_case("convert_to_tensor", lambda: (3,), lambda x: np.array(x, "int32"), name="pyint",
          dtype="int32")
core_case("convert_to_tensor", lambda: ([[1.0, 2.0], [3.0, 4.0]],), lambda x: np.array(x, "float32"),
          name="float_list", dtype=FLOATX)
core_case("convert_to_tensor", lambda: ([1, 2, 3],), lambda x: np.array(x, "int32"),
          name="int_list", dtype="int32")
core_case("convert_to_tensor", lambda: (I((3,), 0, 9),), lambda x, dtype: x.astype(dtype),
          kwargs={"dtype": "float32"}, name="dtype", dtype="float32")

# Every core op taking tensors above is also run through convert_to_numpy by the test harness;
# convert_to_numpy is the harness's own reader, so it is covered by every case.
def _associative_scan(f, elems, reverse=False, axis=0):
    """Sequential reference: out[i] = f(out[i - 1], x[i]) (f(out[i + 1], x[i]) when reversed)."""
    is_seq = isinstance(elems, (list, tuple))
    leaves = list(elems) if is_seq else [elems]
    n = leaves[0].shape[axis]

    def wrap(items):
        return type(elems)(items) if is_seq else items[0]

    def unwrap(tree):
        return list(tree) if is_seq else [tree]

    acc, outs = None, [None] * n
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        x = wrap([np.take(leaf, [i], axis=axis) for leaf in leaves])
        acc = x if acc is None else f(acc, x)
        outs[i] = unwrap(acc)
    return wrap([np.concatenate([o[k] for o in outs], axis=axis) for k in range(len(leaves))])


def _plus(a, b):
    return a + b


def _matmul(a, b):  # associative, not commutative: catches a wrong operand order
    return a @ b


def _sum_and_product(a, b):
    return [a[0] + b[0], a[1] * b[1]]


core_case("associative_scan", lambda: (_plus, N((2, 5))), _associative_scan, kwargs={"axis": 1},
          name="add_axis1")
core_case("associative_scan", lambda: (_matmul, N((7, 2, 2)) * 0.8), _associative_scan,
          name="matmul", rtol=1e-4)
core_case("associative_scan", lambda: (_matmul, N((6, 2, 2)) * 0.8), _associative_scan,
          kwargs={"reverse": True}, name="matmul_reverse", rtol=1e-4)
core_case("associative_scan", lambda: (_sum_and_product, [N((5, 2)), U((5, 2), 0.5, 1.5)]),
          _associative_scan, name="structure")
core_case("associative_scan", lambda: (_matmul, I((5, 2, 2), -2, 3)), _associative_scan,
          name="int32")


CORE_TENSOR_OPS = ("associative_scan", "cast", "saturate_cast", "stop_gradient", "scatter",
                   "scatter_update", "slice", "slice_update", "unstack", "convert_to_tensor")


def cases_by_op():
    out = {}
    for c in CASES:
        out.setdefault((c.group, c.op), []).append(c)
    return out


def _check_unique_ids():
    seen = set()
    for c in CASES:
        if c.id in seen:
            raise ValueError(f"duplicate case id {c.id}")
        seen.add(c.id)


_check_unique_ids()
