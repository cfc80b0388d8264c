"""Op cases: numpy group."""
# ruff: noqa: F403, F405

import warnings

from op_cases.base import *

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
# numpy group: nan-aware reductions and statistics


def _nan_x():
    """Distinct values with NaNs: row 1 is all NaN; every column keeps two or more values."""
    nan = np.nan
    return (np.array([[0.3, nan, -1.2], [nan, nan, nan], [1.1, -0.4, nan], [-0.7, 0.9, 2.1]],
                     "float32"),)


def _quiet(fn):
    """fn with numpy's all-NaN-slice RuntimeWarnings silenced (those results are the point)."""

    def ref(*args, **kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return fn(*args, **kwargs)

    return ref


def _nan_arg_ref(fn):
    """numpy's nanargmax/nanargmin, with -1 for all-NaN slices (numpy raises there)."""

    def ref(x, axis=None, keepdims=False):
        empty = np.all(np.isnan(x), axis=axis, keepdims=keepdims)
        out = fn(np.where(np.isnan(x).all(axis=axis, keepdims=True), 0.0, x), axis=axis,
                 keepdims=keepdims)
        return np.where(empty, -1, out)

    return ref


for _name, _fn in {"nanargmax": np.nanargmax, "nanargmin": np.nanargmin}.items():
    np_case(_name, _nan_x, _nan_arg_ref(_fn), kwargs={"axis": 0}, name="axis0", dtype="int32")
    np_case(_name, _nan_x, _nan_arg_ref(_fn), kwargs={"axis": 1, "keepdims": True},
            name="all_nan_row", dtype="int32")
    np_case(_name, _nan_x, _nan_arg_ref(_fn), name="flat", dtype="int32")
np_case("nanargmax", lambda: (I((2, 3), -5, 5),), np.argmax, kwargs={"axis": 1}, name="int32",
        dtype="int32")
for _name, _fn in {"nancumsum": np.nancumsum, "nancumprod": np.nancumprod}.items():
    np_case(_name, _nan_x, _fn, name="flat")
    np_case(_name, _nan_x, _fn, kwargs={"axis": 1}, name="axis1")
    np_case(_name, lambda: (B((2, 3)),), _fn, kwargs={"axis": 1}, name="bool", dtype="int32")
np_case("nancumsum", lambda: (I((2, 3), -5, 5),), np.nancumsum, kwargs={"axis": 0},
        name="int32", dtype="int32")

# Statistics that are NaN on an all-NaN slice: gradients checked where every slice has values.
_NAN_STATS = {"nanmax": np.nanmax, "nanmin": np.nanmin, "nanmean": np.nanmean,
              "nanvar": np.nanvar, "nanstd": np.nanstd, "nanmedian": np.nanmedian}
for _name, _fn in _NAN_STATS.items():
    np_case(_name, _nan_x, _fn, name="all")
    np_case(_name, _nan_x, _fn, kwargs={"axis": 0}, name="axis0")
    np_case(_name, _nan_x, _quiet(_fn), kwargs={"axis": 1, "keepdims": True},
            name="all_nan_row", grad=False)
np_case("nanmax", lambda: (I((2, 3), -5, 5),), np.nanmax, kwargs={"axis": 1}, name="int32",
        dtype="int32")
np_case("nanmin", lambda: (B((2, 3)),), np.min, kwargs={"axis": 0}, name="bool", dtype="bool")
np_case("nanmean", lambda: (I((2, 3), -5, 5),), np.nanmean, name="int32", dtype=FLOATX)
np_case("nanvar", lambda: (I((2, 3), -5, 5),), np.nanvar, kwargs={"axis": 1}, name="int32",
        dtype=FLOATX)
np_case("nanmedian", lambda: (I((2, 3), -5, 5),), np.nanmedian, kwargs={"axis": 1},
        name="int32", dtype=FLOATX)
for _name, _fn in {"nansum": np.nansum, "nanprod": np.nanprod}.items():
    np_case(_name, _nan_x, _fn, name="all")
    np_case(_name, _nan_x, _fn, kwargs={"axis": 1, "keepdims": True}, name="all_nan_row")
    np_case(_name, _nan_x, _fn, kwargs={"axis": (0, 1)}, name="axes01")
np_case("nansum", lambda: (I((2, 3), -5, 5, dtype="int8"),), np.nansum, kwargs={"axis": 0},
        name="int8", dtype="int32")
np_case("nanprod", lambda: (B((2, 3)),), np.nanprod, kwargs={"axis": 1}, name="bool",
        dtype="int32")

np_case("nanquantile", lambda: (*_nan_x(), 0.3), np.nanquantile, kwargs={"axis": 0},
        name="scalar_q_axis0")
np_case("nanquantile", lambda: (*_nan_x(), np.array([0.25, 0.7], "float32")),
        _quiet(np.nanquantile), kwargs={"axis": 1, "keepdims": True}, name="all_nan_row",
        grad=False)
for _m in ("lower", "higher", "midpoint", "nearest"):
    np_case("nanquantile", lambda: (*_nan_x(), 0.3), np.nanquantile,
            kwargs={"axis": 0, "method": _m}, name=_m)
np_case("nanpercentile", lambda: (*_nan_x(), np.array([25.0, 60.0], "float32")),
        np.nanpercentile, kwargs={"axis": 0}, name="array_q", grad_args=(0,))
np_case("nanpercentile", lambda: (I((2, 3), -5, 5), 40), np.nanpercentile, name="int32",
        dtype=FLOATX)
np_case("percentile", lambda: (DISTINCT((3, 4)), 30), np.percentile, name="scalar_q")
np_case("percentile", lambda: (DISTINCT((3, 5)), np.array([10.0, 50.0, 95.0], "float32")),
        np.percentile, kwargs={"axis": 1, "keepdims": True}, name="array_q_axis1",
        grad_args=(0,))
np_case("percentile", lambda: (I((4,), 0, 9), 50), np.percentile, name="int32", dtype=FLOATX)
np_case("ptp", lambda: (DISTINCT((3, 4)),), np.ptp, name="all")
np_case("ptp", lambda: (DISTINCT((3, 4)),), np.ptp, kwargs={"axis": 1, "keepdims": True},
        name="axis1_keepdims")
np_case("ptp", lambda: (I((3, 4), -5, 5),), np.ptp, kwargs={"axis": 0}, name="int32",
        dtype="int32")


def _histogram(x, bins=10, range=None):
    counts, edges = np.histogram(x, bins=bins, range=range)
    return counts.astype(np.float64), edges


_HIST_X = lambda: (np.array([0.1, 0.5, 0.52, 1.3, 2.0, 2.9, 3.7, 4.0], "float32"),)  # noqa: E731
np_case("histogram", _HIST_X, _histogram, kwargs={"bins": 4}, name="bins4")
np_case("histogram", lambda: (np.array([0, 1, 1, 4, 5, 2, 9], "int32"),), _histogram,
        kwargs={"bins": 3, "range": (0.5, 6.5)}, name="int32_range", dtype=(FLOATX, FLOATX))
np_case("corrcoef", lambda: (N((3, 5)),), np.corrcoef, name="rows", atol=1e-5)
np_case("corrcoef", lambda: (np.array([[1, 4, 2, 8], [3, 1, 0, 2]], "int32"),), np.corrcoef,
        name="int32", dtype=FLOATX)
np_case("correlate", lambda: (N((5,)), N((3,), seed=1)), np.correlate, name="valid")
np_case("correlate", lambda: (N((2,)), N((4,), seed=1)), np.correlate, name="valid_short_x1")
np_case("correlate", lambda: (N((4,)), N((2,), seed=1)), np.correlate, kwargs={"mode": "full"},
        name="full")
np_case("correlate", lambda: (N((3,)), N((4,), seed=1)), np.correlate, kwargs={"mode": "same"},
        name="same")
np_case("correlate", lambda: (N((5,)), N((2,), seed=1)), np.correlate, kwargs={"mode": "same"},
        name="same_long_x1")
np_case("correlate", lambda: (np.array([1, 2, 3], "int32"), np.array([0, 1], "int32")),
        np.correlate, name="int32", dtype="float32")


def _unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
            axis=None, size=None, fill_value=None):
    """numpy.unique, then keraslite's fixed `size`: truncate, or pad values with fill_value
    (default 0) and indices and counts with 0."""
    values, index, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                               return_counts=True, axis=axis)
    if axis is None:
        inverse = inverse.reshape(x.shape)
    if size is not None:
        n = values.shape[0] if axis is None else values.shape[axis]
        pad = max(size - n, 0)
        keep = [slice(None)] * values.ndim
        keep[0 if axis is None else axis] = slice(0, size)
        widths = [(0, 0)] * values.ndim
        widths[0 if axis is None else axis] = (0, pad)
        values = np.pad(values[tuple(keep)], widths, constant_values=fill_value or 0)
        index, counts = np.pad(index[:size], (0, pad)), np.pad(counts[:size], (0, pad))
    out = [values] + [v for flag, v in ((return_index, index), (return_inverse, inverse),
                                        (return_counts, counts)) if flag]
    return out[0] if len(out) == 1 else tuple(out)


_UX = lambda: (np.array([[3, 1, 2], [1, 3, 5]], "int32"),)  # noqa: E731
np_case("unique", _UX, _unique, name="values")
np_case("unique", lambda: (np.array([[0.5, -1.5, 0.5], [2.0, 0.5, -1.5]], "float32"),), _unique,
        kwargs={"return_index": True, "return_inverse": True, "return_counts": True},
        name="float_all_outputs")
np_case("unique", lambda: (np.array([[1, 0, 0], [0, 1, 0], [1, 0, 0]], "int32"),), _unique,
        kwargs={"axis": 0, "return_inverse": True, "return_counts": True}, name="axis0")
np_case("unique", _UX, _unique, kwargs={"size": 6, "fill_value": -1, "return_index": True,
                                        "return_counts": True}, name="size_pad")
np_case("unique", _UX, _unique, kwargs={"size": 2, "return_counts": True}, name="size_truncate")


def _partition_canon(kth, axis=-1):
    """Argpartition outputs are unique up to the order inside each side of every kth: sort
    the indices within those segments."""
    ks = sorted(k for k in np.atleast_1d(kth))

    def canon(out):
        out = np.moveaxis(np.array(out), -1 if axis is None else axis, -1)
        bounds = [0] + [b for k in ks for b in (k, k + 1)] + [out.shape[-1]]
        parts = [np.sort(out[..., a:b], axis=-1) for a, b in zip(bounds[:-1], bounds[1:])]
        return np.concatenate(parts, axis=-1)

    return canon


np_case("argpartition", lambda: (DISTINCT((3, 5)), 2), np.argpartition, dtype="int32",
        canon=_partition_canon(2))
np_case("argpartition", lambda: (DISTINCT((4, 3)), 1), np.argpartition, kwargs={"axis": 0},
        name="axis0", dtype="int32", canon=_partition_canon(1, axis=0))
np_case("argpartition", lambda: (DISTINCT((2, 4)), [1, 5]), np.argpartition,
        kwargs={"axis": None}, name="flat_kths", dtype="int32",
        canon=_partition_canon([1, 5], axis=None))
np_case("trapezoid", lambda: (N((2, 4)), np.array([0.0, 0.5, 1.5, 1.75], "float32")),
        np.trapezoid, kwargs={"axis": 1}, name="x_axis1")
np_case("trapezoid", lambda: (N((3, 2)),), np.trapezoid, kwargs={"dx": 0.5, "axis": 0},
        name="dx_axis0")
np_case("trapezoid", lambda: (I((2, 3), -5, 5),), np.trapezoid, name="int32", dtype=FLOATX)


# --- nan-aware reductions and statistics (add these ops above this line) ---


# --------------------------------------------------------------------------------------------
# numpy group: windows, splits, number theory, misc

np_case("angle", lambda: (np.array([[-1.5, 0.0, 2.0], [3.0, -0.5, -0.0]], "float32"),), np.angle)
np_case("angle", lambda: (np.array([-2, 0, 3], "int32"),), _keep_float(np.angle), name="int32",
        dtype=FLOATX)
np_case("angle", lambda: (np.array([1 + 1j, -2 + 0.5j, -3j], "complex64"),), np.angle,
        name="complex", dtype=FLOATX)
for _name, _fn in {"bartlett": np.bartlett, "blackman": np.blackman, "hamming": np.hamming,
                   "hanning": np.hanning}.items():
    np_case(_name, lambda: (6,), _fn, dtype=FLOATX)
    np_case(_name, lambda: (1,), _fn, name="one", dtype=FLOATX)
np_case("kaiser", lambda: (6, 2.5), np.kaiser, dtype=FLOATX)
np_case("kaiser", lambda: (5, 0.0), np.kaiser, name="beta0", dtype=FLOATX)
np_case("diagflat", lambda: (N((2, 2)),), np.diagflat, kwargs={"k": 1})
np_case("diagflat", lambda: (np.array([3, -1, 2], "int32"),), np.diagflat, kwargs={"k": -1},
        name="int32")
np_case("dsplit", lambda: (N((2, 1, 4)),), np.dsplit, kwargs={"indices_or_sections": 2},
        name="sections")
np_case("dsplit", lambda: (N((1, 2, 4)),), np.dsplit, kwargs={"indices_or_sections": [1, 3]},
        name="indices")
np_case("hsplit", lambda: (N((2, 4)),), np.hsplit, kwargs={"indices_or_sections": 2},
        name="sections")
np_case("hsplit", lambda: (N((6,)),), np.hsplit, kwargs={"indices_or_sections": [2, 3]},
        name="1d_indices")
np_case("vsplit", lambda: (N((4, 2)),), np.vsplit, kwargs={"indices_or_sections": 2},
        name="sections")
np_case("vsplit", lambda: (N((3, 2)),), np.vsplit, kwargs={"indices_or_sections": [1]},
        name="indices")
np_case("dstack", lambda: ([N((2, 3)), N((2, 3), seed=1)],), np.dstack)
np_case("dstack", lambda: ([N((3,)), I((3,), 0, 5)],), np.dstack, name="1d_mixed", dtype=FLOATX,
        grad=False)
np_case("fabs", lambda: (AWAY((2, 3), 0.2, 2),), np.fabs)
np_case("fabs", lambda: (np.array([-3, 0, 2], "int32"),), np.fabs, name="int32", dtype=FLOATX)
for _name, _fn in {"fmax": np.fmax, "fmin": np.fmin}.items():
    np_case(_name, lambda: (DISTINCT((2, 3)), DISTINCT((3,), seed=1, scale=1.3)), _fn,
            name="broadcast")
    np_case(_name, lambda: (np.array([1.0, np.nan, np.nan, -2.0], "float32"),
                            np.array([np.nan, 3.0, np.nan, -1.0], "float32")), _fn, name="nan",
            grad=False)
    np_case(_name, lambda: (I((2, 3), -5, 5), I((3,), -5, 5, seed=1)), _fn, name="int32")
for _name, _fn in {"gcd": np.gcd, "lcm": np.lcm}.items():
    np_case(_name, lambda: (np.array([[12, -18, 0], [7, 9, 0]], "int32"),
                            np.array([8, 12, 5], "int32")), _fn)
    np_case(_name, lambda: (np.array([4, -6, 10], "int8"), np.array([6, 4, 0], "int8")), _fn,
            name="int8")
np_case("geomspace", lambda: (1.0, 1000.0, 4), np.geomspace, dtype=FLOATX)
np_case("geomspace", lambda: (-1.0, -16.0, 5), np.geomspace, kwargs={"endpoint": False},
        name="negative_no_endpoint", dtype=FLOATX)
np_case("geomspace", lambda: (np.array([1.0, 2.0], "float32"), np.array([8.0, 32.0], "float32"),
                              3), np.geomspace, kwargs={"axis": -1}, name="array_axis-1")
np_case("i0", lambda: (U((2, 3), -3, 3),), np.i0)
np_case("i0", lambda: (np.array([-2, 0, 3], "int32"),), _keep_float(np.i0), name="int32",
        dtype=FLOATX)
np_case("isneginf", _SPECIAL, np.isneginf)
np_case("isposinf", _SPECIAL, np.isposinf)
np_case("isposinf", lambda: (np.array([1, -2], "int32"),), np.isposinf, name="int32")
np_case("isreal", lambda: (N((2, 3)),), np.isreal)
np_case("isreal", lambda: (np.array([1 + 0j, 1j, 2 - 0j], "complex64"),), np.isreal,
        name="complex")
np_case("kron", lambda: (N((2, 2)), N((2, 3), seed=1)), np.kron)
np_case("kron", lambda: (N((3,)), N((2, 2), seed=1)), np.kron, name="ranks")
np_case("kron", lambda: (I((2, 2), -5, 5), I((2,), -5, 5, seed=1)), np.kron, name="int32")
np_case("ldexp", lambda: (U((2, 3)), np.array([3, -2, 0], "int32")), np.ldexp, grad_args=(0,))
np_case("ldexp", lambda: (U((3,)), 2), np.ldexp, name="pyint")
np_case("ldexp", lambda: (np.array([3, -1, 5], "int32"), np.array([1, 2, -1], "int32")),
        lambda a, b: np.ldexp(a.astype("float32"), b), name="int32", dtype=FLOATX)
np_case("logaddexp2", lambda: (U((2, 3), -3, 3), U((3,), -3, 3, seed=1)), np.logaddexp2)
np_case("logaddexp2", lambda: (np.array([1, -2, 40], "int32"), np.array([1, 3, 0], "int32")),
        lambda a, b: np.logaddexp2(a.astype("float64"), b), name="int32", dtype=FLOATX)
_NEXT = lambda dt: (np.array([1.0, 0.0, -1.5, 2.0, 0.0], dt),  # noqa: E731
                    np.array([2.0, -1.0, -3.0, 2.0, 1.0], dt))
np_case("nextafter", lambda: _NEXT("float32"), np.nextafter, ref_f64=False, rtol=0, atol=0)
np_case("nextafter", lambda: _NEXT("float16"), np.nextafter, name="float16", ref_f64=False,
        rtol=0, atol=0)
np_case("nextafter", lambda: (np.array([1, 0, -2], "int32"), np.array([2, -1, -3], "int32")),
        lambda a, b: np.nextafter(a.astype("float32"), b.astype("float32")), name="int32",
        dtype=FLOATX, rtol=0, atol=0)
np_case("sinc", lambda: (np.array([[0.0, 0.5, -1.5], [2.25, 0.1, -0.7]], "float32"),), np.sinc)
np_case("sinc", lambda: (np.array([0, 1, -2], "int32"),), _keep_float(np.sinc), name="int32",
        dtype=FLOATX)
np_case("slogdet", lambda: (N((3, 3)),), lambda x: tuple(np.linalg.slogdet(x)))
np_case("slogdet", lambda: (N((2, 3, 3), seed=3),), lambda x: tuple(np.linalg.slogdet(x)),
        name="batch")
np_case("slogdet", lambda: (np.array([[2, 1, 0], [1, -3, 1], [0, 1, 4]], "int32"),),
        lambda x: tuple(np.linalg.slogdet(x)), name="int32", dtype=(FLOATX, FLOATX))


def _unravel32(indices, shape):
    return tuple(np.asarray(i).astype("int32") for i in np.unravel_index(indices, shape))


np_case("unravel_index", lambda: (np.array([5, 7, 0, 11], "int32"), (3, 4)), _unravel32,
        dtype=("int32", "int32"))
np_case("unravel_index", lambda: (np.array([[3, 11], [0, 6]], "int64"), (2, 3, 2)), _unravel32,
        name="int64_2d", dtype=("int32", "int32", "int32"))
np_case("vander", lambda: (U((4,)),), np.vander)
np_case("vander", lambda: (np.array([0.0, 1.5, -2.0], "float32"),), np.vander,
        kwargs={"N": 4, "increasing": True}, name="N_increasing")
np_case("vander", lambda: (np.array([2, -1, 3], "int32"),), np.vander, kwargs={"N": 2},
        name="int32")
np_case("view", lambda: (N((2, 4)),), lambda x, dtype: x.view(dtype), kwargs={"dtype": "int32"},
        ref_f64=False, dtype="int32")
np_case("view", lambda: (N((2, 3)),), lambda x, dtype: x.view(dtype), kwargs={"dtype": "uint8"},
        name="smaller", ref_f64=False, dtype="uint8")
np_case("view", lambda: (I((2, 4), -999, 999, dtype="int16"),), lambda x, dtype: x.view(dtype),
        kwargs={"dtype": "int32"}, name="larger", dtype="int32")
np_case("view", lambda: (B((3,)),), lambda x, dtype: x.view(dtype), kwargs={"dtype": "int8"},
        name="bool", dtype="int8")
np_case("view", lambda: (N((2, 3)),), lambda x: x, name="none", ref_f64=False, dtype=FLOATX)


# --- more numpy ops: windows, splits, number theory, misc (add these ops above this line) ---
