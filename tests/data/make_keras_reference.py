"""Generate the dtype reference tables from real Keras 3 (the reference peer).

Run with Keras 3.15.1 and the jax backend (jax is only needed by Keras itself; every dtype here
comes from Keras' symbolic op specs, which do not depend on the framework):

    KERAS_BACKEND=jax python tests/data/make_keras_reference.py

It writes, next to this file:
- keras_result_type.json: keras.backend.result_type for single dtypes, every pair and a few
  triples of dtypes and Python scalar types (int, float, complex) and None (floatx).
- keras_op_dtypes.json: the output dtype of keras.ops on KerasTensor inputs of dtype bool, int8,
  int32, int64, uint8, float16, bfloat16, float32, float64 (unary ops, binary ops on every dtype
  pair and with Python scalars, reductions, comparisons and a few nn ops).

The test suite only reads the json files; it never imports keras.
"""

import itertools
import json
import os
import pathlib
import random

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
from keras import KerasTensor, ops  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent

RT_TYPES = ["bool", "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64",
            "bfloat16", "float16", "float32", "float64", "complex64", "complex128",
            "py:int", "py:float", "py:complex", None]
OP_DTYPES = ["bool", "int8", "int32", "int64", "uint8", "float16", "bfloat16", "float32",
             "float64"]
PY = {"py:int": int, "py:float": float, "py:complex": complex}


def _rt_arg(a):
    return PY.get(a, a)


def result_type_table():
    combos = [(a,) for a in RT_TYPES]
    combos += list(itertools.product(RT_TYPES, repeat=2))
    rng = random.Random(0)
    combos += [tuple(rng.choice(RT_TYPES) for _ in range(3)) for _ in range(150)]
    cases = []
    for args in combos:
        try:
            out = keras.backend.result_type(*[_rt_arg(a) for a in args])
            cases.append({"args": list(args), "result": out})
        except Exception as e:  # recorded: keraslite must refuse these too
            cases.append({"args": list(args), "error": type(e).__name__})
    return cases


# --- op dtype table -----------------------------------------------------------------------

def T(dtype, shape=(2, 3)):
    return {"dtype": dtype, "shape": list(shape)}


def V(value):
    return {"value": value}


UNARY = ["abs", "negative", "square", "sign", "sqrt", "exp", "log", "sin", "cos", "tanh",
         "arctan", "log1p", "expm1", "reciprocal", "ceil", "floor", "round", "trunc", "cbrt",
         "logical_not", "isnan", "ones_like", "zeros_like", "copy", "transpose", "flip"]
BINARY_ALL_PAIRS = ["add", "subtract", "multiply", "divide", "true_divide", "maximum",
                    "minimum", "power", "matmul", "floor_divide", "mod", "arctan2"]
COMPARISONS = ["equal", "not_equal", "less", "greater_equal", "logical_and"]
REDUCTIONS = ["sum", "mean", "prod", "max", "min", "argmax", "argmin", "cumsum", "cumprod",
              "std", "var", "all", "any"]
NN = ["relu", "relu6", "sigmoid", "softmax", "log_softmax", "silu", "gelu", "softplus",
      "leaky_relu", "elu"]


def op_cases():
    cases = []
    for op in UNARY:
        for d in OP_DTYPES:
            cases.append({"op": op, "args": [T(d)], "kwargs": {}})
    for op in BINARY_ALL_PAIRS:
        for d1, d2 in itertools.product(OP_DTYPES, repeat=2):
            if op == "matmul":
                cases.append({"op": op, "args": [T(d1, (2, 3)), T(d2, (3, 2))], "kwargs": {}})
            else:
                cases.append({"op": op, "args": [T(d1), T(d2)], "kwargs": {}})
        if op == "matmul":
            continue
        for d in OP_DTYPES:
            for s in (2, 2.5, True):
                cases.append({"op": op, "args": [T(d), V(s)], "kwargs": {}})
                cases.append({"op": op, "args": [V(s), T(d)], "kwargs": {}})
    for op in COMPARISONS:
        for d1, d2 in itertools.product(OP_DTYPES, repeat=2):
            cases.append({"op": op, "args": [T(d1), T(d2)], "kwargs": {}})
        for d in OP_DTYPES:
            cases.append({"op": op, "args": [T(d), V(1)], "kwargs": {}})
    for op in REDUCTIONS:
        for d in OP_DTYPES:
            cases.append({"op": op, "args": [T(d)], "kwargs": {}})
            cases.append({"op": op, "args": [T(d)], "kwargs": {"axis": 1}})
    for op in NN:
        for d in OP_DTYPES:
            cases.append({"op": op, "args": [T(d)], "kwargs": {}})
    for d in ("int8", "int32", "int64", "uint8"):
        cases.append({"op": "one_hot", "args": [T(d, (4,)), V(3)], "kwargs": {}})
        for out in ("int32", "bool", "float16"):
            cases.append({"op": "one_hot", "args": [T(d, (4,)), V(3)], "kwargs": {"dtype": out}})
    for d in OP_DTYPES:
        cases.append({"op": "where", "args": [T("bool"), T(d), V(0)], "kwargs": {}})
        cases.append({"op": "clip", "args": [T(d), V(0), V(1)], "kwargs": {}})
        cases.append({"op": "concatenate", "args": [[T(d), T("float16")]], "kwargs": {}})
        cases.append({"op": "concatenate", "args": [[T(d), T("int8")]], "kwargs": {}})
    return cases


def _build(a):
    if isinstance(a, list):
        return [_build(v) for v in a]
    if "dtype" in a:
        return KerasTensor(tuple(a["shape"]), dtype=a["dtype"])
    return a["value"]


def _dtype(out):
    if isinstance(out, (list, tuple)):
        return [_dtype(o) for o in out]
    return keras.backend.standardize_dtype(out.dtype)


def op_dtype_table():
    results = []
    for case in op_cases():
        try:
            out = getattr(ops, case["op"])(*[_build(a) for a in case["args"]], **case["kwargs"])
            case["result"] = _dtype(out)
        except Exception as e:
            case["error"] = type(e).__name__
        results.append(case)
    return results


def main():
    meta = {"keras_version": keras.__version__, "keras_backend": keras.backend.backend(),
            "floatx": keras.backend.floatx(), "generator": "tests/data/make_keras_reference.py"}
    rt = result_type_table()
    with open(HERE / "keras_result_type.json", "w") as f:
        json.dump({**meta, "cases": rt}, f, indent=0)
    od = op_dtype_table()
    with open(HERE / "keras_op_dtypes.json", "w") as f:
        json.dump({**meta, "cases": od}, f, indent=0)
    print(f"result_type: {len(rt)} cases ({sum('error' in c for c in rt)} errors)")
    print(f"op dtypes: {len(od)} cases ({sum('error' in c for c in od)} errors)")


if __name__ == "__main__":
    main()
