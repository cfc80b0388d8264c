"""Generate keras_names.json: Keras 3's public names, the list the coverage test checks.

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_names.py

For each namespace (ops, ops.image, ops.linalg, layers, activations, initializers,
regularizers, constraints, random, losses, metrics, optimizers, optimizers.schedules,
callbacks) it records every public name, what kind of object it is (class, function, module),
the module Keras defines it in (tests/test_coverage.py uses it to tell the preprocessing layers,
which a later issue covers, from the rest) and, for functions and classes, the parameter names
of the signature (of __init__ for classes) with their defaults.

The test suite only reads the json file; it never imports keras.
"""

import inspect
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)

HERE = pathlib.Path(__file__).resolve().parent
NAMESPACES = ("ops", "ops.image", "ops.linalg", "layers", "activations", "initializers",
              "regularizers", "constraints", "random", "losses", "metrics", "optimizers",
              "optimizers.schedules", "callbacks")


def _resolve(path):
    obj = keras
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _default(value):
    if value is inspect.Parameter.empty:
        return "<required>"
    if isinstance(value, (bool, int, float, str, type(None))):
        return value
    if isinstance(value, (tuple, list)) and all(isinstance(v, (bool, int, float, str)) for v in value):
        return list(value)
    return "<repr> " + repr(value)  # objects: compared by the test only when plain values


def _signature(obj):
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        sig = inspect.signature(target)
    except (TypeError, ValueError):
        return None
    params = [p for p in sig.parameters.values() if p.name != "self"]
    return [[p.name, p.kind.name, _default(p.default)] for p in params]


def _entry(obj):
    if inspect.ismodule(obj):
        return {"kind": "module"}
    kind = "class" if inspect.isclass(obj) else "function" if callable(obj) else "value"
    return {"kind": kind, "module": getattr(obj, "__module__", None), "signature":
            _signature(obj) if kind != "value" else None}


def main():
    out = {"keras_version": keras.__version__, "generator": "tests/data/make_keras_names.py",
           "namespaces": {}}
    for path in NAMESPACES:
        ns = _resolve(path)
        out["namespaces"][path] = {name: _entry(getattr(ns, name))
                                   for name in sorted(dir(ns)) if not name.startswith("_")}
    (HERE / "keras_names.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
