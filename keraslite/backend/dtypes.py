"""Dtype names and Keras 3's type promotion, independent of any framework.

Dtypes are plain strings ('float32', 'int8', 'bool', ...). ``result_type`` reproduces Keras 3's
rules: the least upper bound on JAX's promotion lattice, Python scalars as weak types that take
the other operand's precision, and 64-bit results narrowed to 32 bits (Keras 3 does this to match
JAX's default). Backends call it before running an op so that every framework returns the same
dtype.
"""

import functools

from keraslite import config

FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")
INT_TYPES = ("uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64")
COMPLEX_TYPES = ("complex64", "complex128")
ALLOWED = FLOAT_TYPES + INT_TYPES + COMPLEX_TYPES + ("bool", "string")

_ALIASES = {
    "float": "float32", "double": "float64", "half": "float16", "int": "int64", "long": "int64",
    "short": "int16", "uint": "uint32", "bool_": "bool", "cfloat": "complex64",
    "cdouble": "complex128", "str": "string",
}
_PYTHON = {bool: "bool", int: "int64", float: "float64", complex: "complex128", str: "string"}

# Weak (Python scalar) kinds sit between bool and the concrete types on the lattice.
_WEAK_INT, _WEAK_FLOAT, _WEAK_COMPLEX = "int*", "float*", "complex*"
_UP = {
    "bool": (_WEAK_INT,),
    _WEAK_INT: ("uint8", "int8"),
    "uint8": ("int16", "uint16"),
    "uint16": ("int32", "uint32"),
    "uint32": ("int64", "uint64"),
    "uint64": (_WEAK_FLOAT,),
    "int8": ("int16",),
    "int16": ("int32",),
    "int32": ("int64",),
    "int64": (_WEAK_FLOAT,),
    _WEAK_FLOAT: ("bfloat16", "float16", _WEAK_COMPLEX),
    "bfloat16": ("float32",),
    "float16": ("float32",),
    "float32": ("float64", "complex64"),
    "float64": ("complex128",),
    _WEAK_COMPLEX: ("complex64",),
    "complex64": ("complex128",),
    "complex128": (),
}
_NARROW_64 = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


@functools.cache
def _upper_set(t):
    out = {t}
    for parent in _UP[t]:
        out |= _upper_set(parent)
    return frozenset(out)


def standardize_dtype(dtype):
    """Canonical dtype name for a string, Python type, numpy or framework dtype."""
    if dtype is None:
        return config.floatx()
    try:
        return _standardize_cached(dtype)  # ops call this on every argument: memoize
    except TypeError:  # unhashable dtype-like object
        return _standardize(dtype)


def _standardize(dtype):
    if isinstance(dtype, type) and dtype in _PYTHON:
        return _PYTHON[dtype]
    if isinstance(dtype, str):
        name = dtype
    elif hasattr(dtype, "name") and isinstance(dtype.name, str):
        name = dtype.name  # numpy, jax, tensorflow dtypes
    elif hasattr(dtype, "dtype"):
        return standardize_dtype(dtype.dtype)  # numpy scalar types such as np.float32
    else:
        name = str(dtype)  # e.g. "torch.float32"
    name = name.rsplit(".", 1)[-1]
    name = _ALIASES.get(name, name)
    if name not in ALLOWED:
        raise ValueError(f"Invalid dtype: {dtype!r}. Expected one of {ALLOWED}.")
    return name


_standardize_cached = functools.lru_cache(maxsize=1024)(_standardize)


def is_float(dtype):
    return standardize_dtype(dtype) in FLOAT_TYPES


def is_int(dtype):
    return standardize_dtype(dtype) in INT_TYPES


def is_complex(dtype):
    return standardize_dtype(dtype) in COMPLEX_TYPES


def _kind(arg):
    """(lattice node, is_weak) of a dtype, Python type or value."""
    if isinstance(arg, type) and arg in (int, float, complex):
        return {int: _WEAK_INT, float: _WEAK_FLOAT, complex: _WEAK_COMPLEX}[arg], True
    if isinstance(arg, (bool, int, float, complex)) and not hasattr(arg, "dtype"):
        return _kind(type(arg)) if not isinstance(arg, bool) else ("bool", False)
    if hasattr(arg, "dtype") and not isinstance(arg, type):
        arg = arg.dtype
    return standardize_dtype(arg), False


def _resolve_weak(node):
    bits = config.floatx()[-2:]
    return {_WEAK_INT: f"int{bits}", _WEAK_FLOAT: f"float{bits}",
            _WEAK_COMPLEX: "complex64"}.get(node, node)


def result_type(*args):
    """Keras 3's promoted dtype of dtypes, Python types (weak) or values.

    ``None`` stands for floatx; no argument at all gives floatx.
    """
    if not args:
        return config.floatx()
    nodes = tuple(_kind(config.floatx() if a is None else a)[0] for a in args)
    return _promote(nodes, config.floatx())


@functools.lru_cache(maxsize=4096)
def _promote(nodes, floatx):
    if len(set(nodes)) == 1:
        out = nodes[0]
    else:
        common = functools.reduce(frozenset.intersection, (_upper_set(n) for n in nodes))
        out = next(n for n in common if _upper_set(n) == common)
    out = _resolve_weak(out)
    return _NARROW_64.get(out, out)
