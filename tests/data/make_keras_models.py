"""`.keras` files written by real Keras 3 (the reference peer), for tests/test_saving_model.py.

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_models.py

Each recipe builds a model with a `keras` namespace, compiles it, fits it one epoch on seeded
data, saves `<recipe>.keras` into tests/data/keras_models/, and records in expected.json the
input it was evaluated on, Keras' predictions and its optimizer's iteration count. The test
loads each file with keraslite (which never imports keras) and compares.
"""

import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent / "keras_models"


def mlp():
    return keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dropout(0.1), keras.layers.Dense(3, activation="softmax")])


def cnn_bn():
    return keras.Sequential([
        keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3, activation="relu"),
        keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(),
        keras.layers.Flatten(), keras.layers.Dense(3, activation="softmax")])


def embedding_bigru():
    return keras.Sequential([
        keras.Input((7,), dtype="int32"), keras.layers.Embedding(20, 4, mask_zero=True),
        keras.layers.Bidirectional(keras.layers.GRU(5)), keras.layers.Dense(3, activation="softmax")])


def stacked_lstm():
    return keras.Sequential([
        keras.Input((5, 3)), keras.layers.LSTM(6, return_sequences=True), keras.layers.LSTM(4),
        keras.layers.Dense(3, activation="softmax")])


def functional_multi():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, keras.layers.Dense(4, activation="tanh")(inner_in), name="inner")
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = keras.layers.Dense(4, name="shared")
    h = keras.layers.Concatenate()([inner(shared(a)), shared(b)])
    out1 = keras.layers.Dense(3, activation="softmax", name="cls")(h)
    out2 = keras.layers.Dense(1, name="reg")(keras.ops.multiply(h, 0.5))
    return keras.Model({"a": a, "b": b}, {"cls": out1, "reg": out2})


RECIPES = {
    "mlp": (mlp, {"x": [(32, 6), "float"]}, "sparse_categorical_crossentropy", "adam"),
    "cnn_bn": (cnn_bn, {"x": [(32, 8, 8, 1), "float"]}, "sparse_categorical_crossentropy", "rmsprop"),
    "embedding_bigru": (embedding_bigru, {"x": [(32, 7), "int", 20]},
                        "sparse_categorical_crossentropy", "adam"),
    "stacked_lstm": (stacked_lstm, {"x": [(32, 5, 3), "float"]},
                     "sparse_categorical_crossentropy", "sgd"),
    "functional_multi": (functional_multi, {"a": [(32, 4), "float"], "b": [(32, 4), "float"]},
                         {"cls": "sparse_categorical_crossentropy", "reg": "mse"}, "adamw"),
}


def data(spec, rng):
    shape, kind = spec[0], spec[1]
    if kind == "int":
        return rng.integers(0, spec[2], size=shape).astype("int32")
    return rng.normal(size=shape).astype("float32")


def main():
    assert keras.__version__ == "3.15.1", keras.__version__
    OUT.mkdir(exist_ok=True)
    expected = {}
    for name, (build, x_spec, loss, optimizer) in RECIPES.items():
        keras.utils.set_random_seed(1)
        rng = np.random.default_rng(0)
        model = build()
        x = {k: data(v, rng) for k, v in x_spec.items()}
        x_in = x["x"] if list(x) == ["x"] else x
        y = rng.integers(0, 3, size=(32,))
        y_in = {"cls": y, "reg": rng.normal(size=(32, 1))} if isinstance(loss, dict) else y
        model.compile(optimizer=optimizer, loss=loss, metrics=None)
        model.fit(x_in, y_in, epochs=1, batch_size=8, verbose=0)
        model.save(OUT / f"{name}.keras")
        pred = model.predict(x_in, verbose=0)
        expected[name] = {
            "x": {k: {"dtype": str(v.dtype), "data": v.tolist()} for k, v in x.items()},
            "pred": {k: np.asarray(v).tolist() for k, v in pred.items()} if isinstance(pred, dict)
            else np.asarray(pred).tolist(),
            "iterations": int(model.optimizer.iterations.numpy()),
        }
    (OUT / "expected.json").write_text(json.dumps(expected) + "\n")
    print(f"wrote {len(expected)} models to {OUT}")


if __name__ == "__main__":
    main()
