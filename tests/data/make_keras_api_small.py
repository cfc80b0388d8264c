"""Generate keras_api_small.json: the public API of Keras 3's activations, initializers,
regularizers and constraints, read from a real Keras install.

Run with Keras 3.15 and the jax backend (64-bit types disabled, Keras' default):

    KERAS_BACKEND=jax python tests/data/make_keras_api_small.py

It records, for each of the four namespaces: every public name with the name of the object it
is bound to, the signature of every function or constructor (parameter names, kinds and
defaults), the default config and the serialized form of every class, and the names `get`
accepts. For activations it also records outputs on a fixed input for a list of argument
variants, and the output dtype of each activation for float16/bfloat16/float32/int32 inputs
(run eagerly; "error" when Keras refuses) and for float64 (symbolic, as jax has no float64
without x64). For regularizers and constraints it records their
value on a fixed matrix. Initializer fans are recorded for a few shapes.

The test suite only reads the json file; it never imports keras.
"""

import inspect
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
REQUIRED = "<required>"

# Fixed activation input, shape (2, 6): negatives, zero, thresholds' neighbourhoods, large values.
ACT_INPUT = [[-7.5, -3.0, -1.5, -0.5, -0.1, 0.0], [0.1, 0.5, 1.0, 2.5, 3.0, 8.25]]
ACT_VARIANTS = [
    ("relu", {}), ("relu", {"negative_slope": 0.1}), ("relu", {"max_value": 6.0}),
    ("relu", {"max_value": 2.5}), ("relu", {"threshold": 1.0}),
    ("relu", {"negative_slope": 0.1, "max_value": 2.0, "threshold": 0.5}),
    ("relu", {"negative_slope": 0.2, "threshold": -1.0}),
    ("relu", {"negative_slope": 0.3, "max_value": 1.0}),
    ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.05}), ("relu6", {}),
    ("softmax", {}), ("softmax", {"axis": 0}), ("elu", {}), ("elu", {"alpha": 0.5}),
    ("selu", {}), ("softplus", {}), ("softsign", {}), ("soft_shrink", {}),
    ("soft_shrink", {"threshold": 1.0}), ("sparse_plus", {}), ("silu", {}), ("swish", {}),
    ("squareplus", {}), ("squareplus", {"b": 1}), ("gelu", {}), ("gelu", {"approximate": True}),
    ("celu", {}), ("celu", {"alpha": 2.0}), ("glu", {}), ("glu", {"axis": 0}), ("tanh", {}),
    ("tanh_shrink", {}), ("hard_tanh", {}), ("hard_shrink", {}),
    ("hard_shrink", {"threshold": 1.0}),
    ("threshold", {"threshold": 0.5, "default_value": -1.0}), ("sigmoid", {}),
    ("sparse_sigmoid", {}), ("exponential", {}), ("hard_sigmoid", {}), ("hard_silu", {}),
    ("hard_swish", {}), ("linear", {}), ("mish", {}), ("log_softmax", {}),
    ("log_softmax", {"axis": 0}), ("log_sigmoid", {}), ("sparsemax", {}),
    ("sparsemax", {"axis": 0}),
]
DTYPES = ["float16", "bfloat16", "float32", "int32"]

MATRIX = [[0.5, -1.0, 2.0, 0.0], [-0.25, 0.75, 1.5, -2.0], [1.0, 1.0, -0.5, 0.25]]
REG_VARIANTS = [
    ("L1", {}), ("L1", {"l1": 0.3}), ("L2", {}), ("L2", {"l2": 0.2}), ("L1L2", {}),
    ("L1L2", {"l1": 0.1, "l2": 0.2}), ("OrthogonalRegularizer", {}),
    ("OrthogonalRegularizer", {"factor": 0.5, "mode": "columns"}),
]
CONSTRAINT_VARIANTS = [
    ("MaxNorm", {}), ("MaxNorm", {"max_value": 1.5, "axis": 1}), ("NonNeg", {}),
    ("UnitNorm", {}), ("UnitNorm", {"axis": 1}), ("MinMaxNorm", {}),
    ("MinMaxNorm", {"min_value": 1.0, "max_value": 2.0, "rate": 0.5, "axis": 1}),
]
FAN_SHAPES = [[], [7], [3, 5], [3, 4, 5], [2, 3, 4, 5], [3, 3, 3, 8, 16]]


def jsonable(value):
    if isinstance(value, tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, (np.generic,)):
        return value.item()
    return value


def signature(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    params = []
    for p in inspect.signature(target).parameters.values():
        if p.name == "self" or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        default = REQUIRED if p.default is inspect.Parameter.empty else jsonable(p.default)
        params.append({"name": p.name, "kind": p.kind.name, "default": default})
    return params


def public_names(module):
    names = {}
    for name in sorted(dir(module)):
        if name.startswith("_"):
            continue
        obj = getattr(module, name)
        names[name] = {"object": obj.__name__,
                       "type": "class" if inspect.isclass(obj) else "function",
                       "signature": signature(obj)}
    return names


def classes_info(module, lookup):
    out = {}
    for name, info in public_names(module).items():
        if info["type"] != "class" or name != info["object"]:
            continue
        cls = getattr(module, name)
        try:
            obj = cls()
        except TypeError:
            continue
        try:
            config = obj.get_config()
        except NotImplementedError:
            out[name] = {"config": None}
            continue
        out[name] = {"config": config, "serialized": lookup.serialize(obj)}
    return out


def accepted_names(module):
    # The names `deserialize` resolves: the keys of the namespace's internal lookup table.
    from importlib import import_module

    src = import_module(f"keras.src.{module.__name__.split('.')[-1]}")
    return sorted(src.ALL_OBJECTS_DICT)


def activation_values():
    x = np.asarray(ACT_INPUT, dtype="float32")
    cases = []
    for name, kwargs in ACT_VARIANTS:
        out = getattr(keras.activations, name)(x, **kwargs)
        cases.append({"name": name, "kwargs": kwargs,
                      "output": np.asarray(out, dtype="float64").tolist()})
    return {"input": ACT_INPUT, "cases": cases}


def activation_dtypes():
    x = np.asarray(ACT_INPUT)
    table = {}
    for name, kwargs in ACT_VARIANTS:
        if name in table:
            continue
        row = {}
        for dtype in DTYPES:
            try:
                out = getattr(keras.activations, name)(keras.ops.cast(x, dtype), **kwargs)
                row[dtype] = keras.backend.standardize_dtype(out.dtype)
            except Exception as e:  # Keras (on jax) refuses some int inputs
                row[dtype] = f"error:{type(e).__name__}"
        # jax without x64 cannot hold float64 eagerly: take Keras' declared (symbolic) dtype.
        try:
            out = getattr(keras.activations, name)(keras.KerasTensor((2, 6), "float64"),
                                                   **kwargs)
            row["float64"] = keras.backend.standardize_dtype(out.dtype)
        except Exception as e:  # a few activations are not symbolic in Keras
            row["float64"] = f"error:{type(e).__name__}"
        table[name] = {"kwargs": kwargs, "dtypes": row}
    return table


def penalty_values(module, variants):
    w = keras.ops.convert_to_tensor(np.asarray(MATRIX, dtype="float32"))
    cases = []
    for name, kwargs in variants:
        out = getattr(module, name)(**kwargs)(w)
        cases.append({"name": name, "kwargs": kwargs,
                      "output": np.asarray(out, dtype="float64").tolist()})
    return {"input": MATRIX, "cases": cases}


def main():
    from keras.src.initializers.random_initializers import compute_fans  # noqa: TID251

    data = {
        "keras_version": keras.__version__,
        "keras_backend": keras.backend.backend(),
        "generator": "tests/data/make_keras_api_small.py",
        "activations": {
            "names": public_names(keras.activations),
            "accepted": accepted_names(keras.activations),
            "values": activation_values(),
            "dtypes": activation_dtypes(),
        },
        "initializers": {
            "names": public_names(keras.initializers),
            "accepted": accepted_names(keras.initializers),
            "classes": classes_info(keras.initializers, keras.initializers),
            "fans": [{"shape": s, "fans": list(compute_fans(s))} for s in FAN_SHAPES],
        },
        "regularizers": {
            "names": public_names(keras.regularizers),
            "accepted": accepted_names(keras.regularizers),
            "classes": classes_info(keras.regularizers, keras.regularizers),
            "values": penalty_values(keras.regularizers, REG_VARIANTS),
        },
        "constraints": {
            "names": public_names(keras.constraints),
            "accepted": accepted_names(keras.constraints),
            "classes": classes_info(keras.constraints, keras.constraints),
            "values": penalty_values(keras.constraints, CONSTRAINT_VARIANTS),
        },
    }
    path = HERE / "keras_api_small.json"
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
