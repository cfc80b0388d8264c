"""Dtype promotion against real Keras 3 (the reference peer).

The references are json tables written by tests/data/make_keras_reference.py from Keras 3.15.1
(jax backend); this suite only reads them and never imports keras.

(a) keraslite.backend.dtypes.result_type against keras.backend.result_type.
(b) output dtypes of keraslite.ops for inputs of dtype bool, int8, int32, int64, uint8, float16,
    bfloat16, float32 and float64 (and Python scalars) against keras.ops.
"""

import json
import pathlib

import numpy as np
import pytest

from keraslite import config, ops
from keraslite.backend import contract, dtypes

DATA = pathlib.Path(__file__).resolve().parent / "data"
_PY = {"py:int": int, "py:float": float, "py:complex": complex}


def _load(name):
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


RESULT_TYPE = _load("keras_result_type.json")
OP_DTYPES = _load("keras_op_dtypes.json")

SPECS = {name: spec for group in contract.specs().values() for name, spec in group.items()}


def contract_override(case):
    """The contract's dtype where its text deliberately differs from Keras 3.15, else None.

    - ``unary_float`` ops (docstrings: "Float inputs keep their dtype; int and bool compute in
      floatx (int64 too)"): Keras narrows float64 to float32 for some of them (sqrt, log, sin,
      ceil, ...), keeps ints for round/trunc/relu and gives float64 for cbrt(int64).
    - ``promote_float`` ops with a Python scalar (guide: "Python scalars are weak"): Keras'
      arctan2 converts the scalar to a float32 tensor first, so float16 + 2.5 gives float32.
    """
    spec = SPECS.get(case["op"])
    if spec is None:
        return None
    tensors = _input_dtypes(case["args"])
    if spec.rule == "unary_float" and len(tensors) == 1:
        return tensors[0] if dtypes.is_float(tensors[0]) else config.floatx()
    scalars = [a["value"] for a in case["args"] if isinstance(a, dict) and "value" in a]
    if spec.rule == "promote_float" and scalars:
        return dtypes.result_type(*[_rt_value(a) for a in case["args"]], float)
    return None


def _rt_value(a):
    return a["dtype"] if "dtype" in a else a["value"]


def _unique_ids(names):
    seen, out = {}, []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


# ------------------------------------------------------------------------------------------
# (a) result_type


def _rt_arg(a):
    return _PY.get(a, a)


def _rt_id(case):
    return "-".join("None" if a is None else a for a in case["args"])


RT_CASES = RESULT_TYPE["cases"]


def test_result_type_table_is_keras():
    assert RESULT_TYPE["keras_version"].startswith("3.")
    assert RESULT_TYPE["floatx"] == "float32"
    assert len(RT_CASES) > 300


@pytest.mark.parametrize("case", RT_CASES, ids=_unique_ids([_rt_id(c) for c in RT_CASES]))
def test_result_type(case):
    args = [_rt_arg(a) for a in case["args"]]
    if "error" in case:
        with pytest.raises((ValueError, TypeError)):
            dtypes.result_type(*args)
    else:
        assert dtypes.result_type(*args) == case["result"]


def test_result_type_of_values():
    """Values are typed like their dtype; Python scalars are weak."""
    assert dtypes.result_type(np.ones(2, "int8"), 3) == "int8"
    assert dtypes.result_type(np.ones(2, "int8"), 3.0) == "float32"
    assert dtypes.result_type(np.ones(2, "float16"), 3.0) == "float16"
    assert dtypes.result_type(np.ones(2, "uint8"), np.ones(2, "int8")) == "int16"
    assert dtypes.result_type(True, np.ones(2, "bool")) == "bool"
    assert dtypes.result_type() == "float32"


# ------------------------------------------------------------------------------------------
# (b) op output dtypes


def _arg_name(a):
    if isinstance(a, list):
        return "[" + ",".join(_arg_name(v) for v in a) + "]"
    if "dtype" in a:
        return a["dtype"]
    return f"py{a['value']!r}"


def _op_id(case):
    kw = "".join(f"-{k}={v}" for k, v in case["kwargs"].items())
    return f"{case['op']}-" + "-".join(_arg_name(a) for a in case["args"]) + kw


def _input_dtypes(args):
    out = []
    for a in args:
        if isinstance(a, list):
            out += _input_dtypes(a)
        elif "dtype" in a:
            out.append(a["dtype"])
    return tuple(out)


OP_CASES = [c for c in OP_DTYPES["cases"] if "error" not in c and not c.get("unreliable")]


def _tensor(spec):
    if isinstance(spec, list):
        return [_tensor(s) for s in spec]
    if "dtype" not in spec:
        return spec["value"]
    dtype, shape = spec["dtype"], tuple(spec["shape"])
    if dtype == "bfloat16":  # numpy has no bfloat16 without ml_dtypes: cast on the backend
        return ops.cast(ops.convert_to_tensor(np.ones(shape, "float32")), "bfloat16")
    return ops.convert_to_tensor(np.ones(shape, dtype))


def _expected(case):
    override = contract_override(case)
    return case["result"] if override is None else override


def test_op_dtype_table_is_keras():
    assert OP_DTYPES["keras_version"].startswith("3.")
    assert len(OP_CASES) > 1000
    covered = {c["op"] for c in OP_CASES}
    for op in ("add", "multiply", "divide", "maximum", "matmul", "sum", "mean", "prod", "max",
               "argmax", "cumsum", "equal", "less", "relu", "softmax", "sigmoid", "one_hot"):
        assert op in covered


@pytest.mark.parametrize("case", OP_CASES, ids=_unique_ids([_op_id(c) for c in OP_CASES]))
def test_op_dtype(case):
    args = [_tensor(a) for a in case["args"]]
    out = getattr(ops, case["op"])(*args, **case["kwargs"])
    want = _expected(case)
    if isinstance(want, list):
        assert [dtypes.standardize_dtype(o.dtype) for o in out] == want
    else:
        assert dtypes.standardize_dtype(out.dtype) == want
