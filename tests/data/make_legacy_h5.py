"""Legacy HDF5 model files written by tf.keras (Keras 2, the `tf_keras` package), for
tests/test_saving_legacy.py.

Run with tensorflow-cpu 2.21 and tf_keras 2.21:

    python tests/data/make_legacy_h5.py

For each recipe it trains the model one epoch on seeded data and writes `<recipe>.h5`
(`model.save`, the full legacy format) and `<recipe>.weights.legacy.h5` (`model.save_weights`
in HDF5), and records in expected.json the input and tf.keras' predictions. The test suite only
reads these files.
"""

import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402, TID251  (the generator is the one file that runs tf.keras)

OUT = pathlib.Path(__file__).resolve().parent / "legacy_h5"


def mlp():
    return keras.Sequential([keras.layers.Dense(8, activation="relu", input_shape=(6,)),
                             keras.layers.Dense(3, activation="softmax")])


def cnn_bn():
    return keras.Sequential([
        keras.layers.Conv2D(4, 3, activation="relu", input_shape=(8, 8, 1)),
        keras.layers.BatchNormalization(), keras.layers.MaxPooling2D(), keras.layers.Flatten(),
        keras.layers.Dense(3, activation="softmax")])


def embedding_bigru():
    return keras.Sequential([
        keras.layers.Embedding(20, 4, mask_zero=True, input_length=7),
        keras.layers.Bidirectional(keras.layers.GRU(5)), keras.layers.Dense(3, activation="softmax")])


def stacked_lstm():
    return keras.Sequential([
        keras.layers.LSTM(6, return_sequences=True, input_shape=(5, 3)), keras.layers.LSTM(4),
        keras.layers.Dense(3, activation="softmax")])


def functional_nested():
    inner_in = keras.Input((4,))
    inner = keras.Model(inner_in, keras.layers.Dense(4, activation="tanh")(inner_in), name="inner")
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = keras.layers.Dense(4, name="shared")
    h = keras.layers.Concatenate()([inner(shared(a)), shared(b)])
    return keras.Model([a, b], keras.layers.Dense(3, activation="softmax", name="cls")(h))


RECIPES = {
    "mlp": (mlp, {"x": [(16, 6), "float"]}),
    "cnn_bn": (cnn_bn, {"x": [(16, 8, 8, 1), "float"]}),
    "embedding_bigru": (embedding_bigru, {"x": [(16, 7), "int"]}),
    "stacked_lstm": (stacked_lstm, {"x": [(16, 5, 3), "float"]}),
    "functional_nested": (functional_nested, {"a": [(16, 4), "float"], "b": [(16, 4), "float"]}),
}


def main():
    OUT.mkdir(exist_ok=True)
    expected = {}
    for name, (build, spec) in RECIPES.items():
        keras.utils.set_random_seed(0)
        rng = np.random.default_rng(0)
        x = {k: (rng.integers(0, 20, size=s).astype("int32") if kind == "int"
                 else rng.normal(size=s).astype("float32")) for k, (s, kind) in spec.items()}
        x_in = x["x"] if list(x) == ["x"] else [x["a"], x["b"]]
        model = build()
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_in, rng.integers(0, 3, size=(16,)), epochs=1, batch_size=8, verbose=0)
        model.save(OUT / f"{name}.h5")
        model.save_weights(OUT / f"{name}.weights.legacy.h5")
        expected[name] = {"x": {k: {"dtype": str(v.dtype), "data": v.tolist()}
                                for k, v in x.items()},
                          "pred": np.asarray(model.predict(x_in, verbose=0)).tolist()}
    (OUT / "expected.json").write_text(json.dumps(expected) + "\n")
    print(f"wrote {len(expected)} models to {OUT}")


if __name__ == "__main__":
    main()
