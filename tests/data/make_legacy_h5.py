"""Legacy HDF5 model files written by tf.keras (Keras 2, the `tf_keras` package), for
tests/test_saving_legacy.py.

Run with tensorflow-cpu 2.21 and tf_keras 2.21:

    python tests/data/make_legacy_h5.py

For each recipe it trains the model one epoch on seeded data and writes `<recipe>.h5`
(`model.save`, the full legacy format) and `<recipe>.weights.legacy.h5` (`model.save_weights`
in HDF5), and records in expected.json the input and tf.keras' predictions.

The optimizer-state recipes train a tiny model three steps with one optimizer (tf.keras' current
ones, and one of its `legacy` ones, which name their slots differently), save `<recipe>.h5`,
take one more step on a fixed batch, and record in optimizer_state.json that batch and the
weights after the step: loaded in keraslite with its optimizer state, one step on the same
batch must give them. The test suite only reads these files.
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


def optimizer_state_recipes():
    return {
        "adam_state": keras.optimizers.Adam(0.01, beta_1=0.8, beta_2=0.95),
        "rmsprop_state": keras.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
        "nadam_state": keras.optimizers.Nadam(0.01),
        "legacy_adam_state": keras.optimizers.legacy.Adam(0.01, beta_1=0.8, beta_2=0.95),
    }


def make_optimizer_states():
    expected = {}
    for name, optimizer in optimizer_state_recipes().items():
        keras.utils.set_random_seed(0)
        rng = np.random.default_rng(1)
        model = keras.Sequential([keras.layers.Dense(4, activation="tanh", input_shape=(5,)),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
        x, y = rng.normal(size=(24, 5)).astype("float32"), rng.integers(0, 3, size=(24,))
        model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)  # three steps
        model.save(OUT / f"{name}.h5")
        x_next, y_next = rng.normal(size=(8, 5)).astype("float32"), rng.integers(0, 3, size=(8,))
        model.train_on_batch(x_next, y_next)
        expected[name] = {"x": x_next.tolist(), "y": y_next.tolist(),
                          "weights_after_step": [w.tolist() for w in model.get_weights()]}
        if name == "nadam_state":
            # tf.keras' Nadam, traced, multiplies its (unsaved) u_product once per variable
            # per step instead of once per step, so its next step is not Nadam's algorithm
            expected[name].update(weights_after_step=None, u_product_in_tf_keras=float(
                optimizer._u_product.numpy()))
    (OUT / "optimizer_state.json").write_text(json.dumps(expected) + "\n")


def main():
    OUT.mkdir(exist_ok=True)
    make_optimizer_states()
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
