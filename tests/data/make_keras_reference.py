"""Generate the dtype reference tables from real Keras 3 (the reference peer).

Run with Keras 3.15.1 and the jax backend (64-bit types disabled, Keras' default):

    KERAS_BACKEND=jax python tests/data/make_keras_reference.py

It writes, next to this file:
- keras_result_type.json: keras.backend.result_type for single dtypes, every pair and a few
  triples of dtypes and Python scalar types (int, float, complex) and None (floatx).
- keras_op_dtypes.json: the output dtype of keras.ops on KerasTensor inputs of dtype bool, int8,
  int32, int64, uint8, float16, bfloat16, float32, float64 (unary ops, binary ops on every dtype
  pair and with Python scalars, reductions, comparisons and a few nn ops).

How an op's dtype is taken: each case runs eagerly on arrays of ones and symbolically on
KerasTensors. Eager is what a Keras user gets, and wins ("source": "eager"). Inputs of a 64-bit
dtype cannot be made eagerly without jax's x64 mode, so for them the symbolic result (Keras'
declared rule, which narrows 64-bit results to 32 bits) is used ("source": "symbolic"), unless
the same case with the 64-bit inputs replaced by their 32-bit kind gave different eager and
symbolic answers: then Keras has no trustworthy answer and the case is kept with
"unreliable": true (the tests skip it). A case Keras refuses eagerly is kept with "error".

The test suite only reads the json files; it never imports keras.
"""

import itertools
import json
import os
import pathlib
import random

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
from keras import KerasTensor, ops  # noqa: E402, TID251

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
# every dtype pair, and with Python scalars on either side
BINARY_ALL_PAIRS = ["add", "subtract", "multiply", "divide", "maximum", "power", "matmul"]
# same-dtype pairs and Python scalars only
BINARY_SAME = ["true_divide", "minimum", "floor_divide", "mod", "arctan2"]
COMPARISONS_ALL_PAIRS = ["equal", "less"]
COMPARISONS_SAME = ["not_equal", "greater_equal", "logical_and"]
REDUCTIONS = ["sum", "mean", "prod", "max", "min", "argmax", "argmin", "cumsum", "cumprod",
              "std", "var", "all", "any"]
NN = ["relu", "relu6", "sigmoid", "softmax", "log_softmax", "silu", "gelu", "softplus",
      "leaky_relu", "elu"]


def op_cases():
    cases = []
    for op in UNARY:
        for d in OP_DTYPES:
            cases.append({"op": op, "args": [T(d)], "kwargs": {}})
    for op in BINARY_ALL_PAIRS + BINARY_SAME:
        pairs = itertools.product(OP_DTYPES, repeat=2) if op in BINARY_ALL_PAIRS else [
            (d, d) for d in OP_DTYPES]
        for d1, d2 in pairs:
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
    for op in COMPARISONS_ALL_PAIRS + COMPARISONS_SAME:
        pairs = itertools.product(OP_DTYPES, repeat=2) if op in COMPARISONS_ALL_PAIRS else [
            (d, d) for d in OP_DTYPES]
        for d1, d2 in pairs:
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


def _build(a, eager):
    if isinstance(a, list):
        return [_build(v, eager) for v in a]
    if "dtype" in a:
        if eager:
            return jnp.ones(tuple(a["shape"]), dtype=a["dtype"])
        return KerasTensor(tuple(a["shape"]), dtype=a["dtype"])
    return a["value"]


def _dtype(out):
    if isinstance(out, (list, tuple)):
        return [_dtype(o) for o in out]
    return keras.backend.standardize_dtype(out.dtype)


def _run(case, eager):
    try:
        args = [_build(a, eager) for a in case["args"]]
        return _dtype(getattr(ops, case["op"])(*args, **case["kwargs"])), None
    except Exception as e:
        return None, type(e).__name__


def _dtypes_of(args):
    out = []
    for a in args:
        if isinstance(a, list):
            out += _dtypes_of(a)
        elif "dtype" in a:
            out.append(a["dtype"])
    return out


def _narrow(args):
    if isinstance(args, list):
        return [_narrow(a) for a in args]
    if "dtype" in args:
        return {**args, "dtype": args["dtype"].replace("64", "32")}
    return args


def op_dtype_table():
    results = []
    for case in op_cases():
        symbolic, _ = _run(case, eager=False)
        if not any("64" in d for d in _dtypes_of(case["args"])):
            eager, err = _run(case, eager=True)
            if err:
                case["error"] = err
            else:
                case["result"], case["source"] = eager, "eager"
        else:
            analog = {**case, "args": _narrow(case["args"])}
            a_sym, _ = _run(analog, eager=False)
            a_eager, a_err = _run(analog, eager=True)
            case["result"], case["source"] = symbolic, "symbolic"
            if a_err or a_sym != a_eager:
                case["unreliable"] = True
        results.append(case)
    return results


def _dump(path, meta, cases):
    """One case per line, so that regenerating gives a readable diff."""
    with open(path, "w") as f:
        f.write("{\n")
        for k, v in meta.items():
            f.write(f"{json.dumps(k)}: {json.dumps(v)},\n")
        f.write('"cases": [\n')
        f.write(",\n".join(json.dumps(c, separators=(", ", ": ")) for c in cases))
        f.write("\n]}\n")


def main():
    meta = {"keras_version": keras.__version__, "keras_backend": keras.backend.backend(),
            "floatx": keras.backend.floatx(), "generator": "tests/data/make_keras_reference.py"}
    rt = result_type_table()
    _dump(HERE / "keras_result_type.json", meta, rt)
    od = op_dtype_table()
    _dump(HERE / "keras_op_dtypes.json", meta, od)
    print(f"result_type: {len(rt)} cases ({sum('error' in c for c in rt)} errors)")
    print(f"op dtypes: {len(od)} cases ({sum('error' in c for c in od)} refused by Keras, "
          f"{sum(bool(c.get('unreliable')) for c in od)} unreliable)")


if __name__ == "__main__":
    main()
