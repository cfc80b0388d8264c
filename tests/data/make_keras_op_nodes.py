"""Generate keras_op_nodes.json: how Keras 3 records ops called on symbolic tensors in a
functional model (its operation records), for tests/test_op_nodes.py.

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_op_nodes.py

For each case (an expression on `x = keras.Input((3, 8))`, evaluated with `ops`, `np` and `x`
in scope) it records the model's get_config() (one model per case), Keras' prediction on a
fixed input, and whether Keras loads the `.keras` file it saved itself back to the same
prediction (when it does not, the error; the tests skip those cases). It also records, for
every operation class of `keras.src.ops.<group>`, the parameter names of its constructor and
of its call: which arguments Keras keeps in an op's config and which it passes at the call.

The test suite only reads the json file; it never imports keras.
"""

import importlib
import inspect
import json
import os
import pathlib
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402, TID251

HERE = pathlib.Path(__file__).resolve().parent
GROUPS = ("core", "numpy", "nn", "math", "linalg", "image")
SHAPE = (3, 8)

# Positional non-tensor arguments above all (the form Keras splits between config and call),
# then keywords, constants among the call arguments, and class names that are not CamelCase.
CASES = {
    "reshape": "ops.reshape(x, (-1, 4))",
    "transpose": "ops.transpose(x, (0, 2, 1))",
    "sum": "ops.sum(x, 1)",
    "sum_keywords": "ops.sum(x, axis=(1, 2), keepdims=True)",
    "max": "ops.max(x, 1, True)",
    "expand_dims": "ops.expand_dims(x, 1)",
    "squeeze": "ops.squeeze(ops.expand_dims(x, 2), 2)",
    "concatenate": "ops.concatenate([x, ops.negative(x)], 1)",
    "stack": "ops.stack([x, x], 1)",
    "clip": "ops.clip(x, -0.5, 0.5)",
    "split": "ops.split(x, 2, 2)[1]",
    "split_indices": "ops.split(x, [1, 5], -1)[2]",
    "take": "ops.take(x, [2, 0], 1)",
    "take_numpy": "ops.take(x, np.array([[1], [0]]), 2)",
    "take_keywords": "ops.take(x, indices=[1, 1], axis=-1)",
    "tile": "ops.tile(x, (1, 2, 1))",
    "repeat": "ops.repeat(x, 2, 1)",
    "moveaxis": "ops.moveaxis(x, 1, 2)",
    "pad": "ops.pad(x, ((0, 0), (1, 1), (0, 0)), 'constant', 0.5)",
    "where": "ops.where(ops.greater(x, 0), x, 0.5)",
    "get_item": "x[:, None, 1:3]",
    "get_item_ellipsis": "x[..., 1]",
    "einsum": "ops.einsum('bij,bkj->bik', x, x)",
    "cast": "ops.cast(x * 4, 'int32')",
    "isclose": "ops.isclose(x, ops.round(x, 1), 0.01, 0.05)",
    "average": "ops.average(x, 1, np.array([1.0, 2.0, 3.0], 'float32'))",
    "softmax": "ops.softmax(x, 1)",
    "log_softmax": "ops.log_softmax(x, axis=1)",
    "leaky_relu": "ops.leaky_relu(x, 0.1)",
    "one_hot": "ops.one_hot(ops.argmax(x, -1), 8)",
    "top_k": "ops.top_k(x, 3)[0]",
    "top_k_indices": "ops.top_k(x, 2)[1]",
    "logsumexp": "ops.logsumexp(x, 1)",
    "abs": "ops.abs(x)",  # recorded as its alias, Absolute
    "rms_normalization": "ops.rms_normalization(x, np.linspace(0.5, 1.5, 8).astype('float32'))",
    "norm": "ops.norm(x, axis=-1)",  # Keras (jax) cannot run it once recorded: axis -> [-1]
}


def data():
    return np.random.default_rng(0).normal(size=(2, *SHAPE)).astype("float32")


def record(name, expr, tmp):
    x = keras.Input(SHAPE, name="x")
    model = keras.Model(x, eval(expr, {"ops": ops, "np": np, "x": x}), name=name)
    out = {"expr": expr, "config": json.loads(json.dumps(model.get_config())),
           "output": None, "dtype": None, "keras_round_trip": None}
    path = os.path.join(tmp, f"{name}.keras")
    try:
        want = np.asarray(model.predict(data(), verbose=0))
        out.update(output=want.tolist(), dtype=str(want.dtype))
        model.save(path)
        got = np.asarray(keras.saving.load_model(path).predict(data(), verbose=0))
        np.testing.assert_allclose(got, want, atol=1e-6)
    except Exception as e:  # noqa: BLE001  (the failure is the fact recorded)
        out["keras_round_trip"] = f"{type(e).__name__}: {str(e).splitlines()[0][:200]}"
    return out


def operation_classes():
    from keras.src.ops.operation import Operation  # noqa: TID251

    out = {}
    for group in GROUPS:
        mod = importlib.import_module(f"keras.src.ops.{group}")
        out[group] = {}
        for name, cls in sorted(vars(mod).items()):
            if (inspect.isclass(cls) and issubclass(cls, Operation)
                    and cls.__module__ == mod.__name__):
                init = [p for p in inspect.signature(cls.__init__).parameters
                        if p not in ("self", "name", "args", "kwargs")]
                call = [p.name for p in inspect.signature(cls.call).parameters.values()
                        if p.name != "self" and p.kind != p.VAR_KEYWORD]
                out[group][name] = {"init": init, "call": call}
    return out


def main():
    with tempfile.TemporaryDirectory() as tmp:
        cases = {name: record(name, expr, tmp) for name, expr in CASES.items()}
    result = {"keras_version": keras.__version__, "input": data().tolist(),
              "cases": cases, "classes": operation_classes()}
    (HERE / "keras_op_nodes.json").write_text(json.dumps(result, indent=1) + "\n")
    for name, case in cases.items():
        if case["keras_round_trip"]:
            print(f"{name}: Keras does not load its own record: {case['keras_round_trip']}")


if __name__ == "__main__":
    main()
