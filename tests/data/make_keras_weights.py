"""Weights files written by real Keras 3 (the reference peer), and the check the other way.

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_weights.py

It writes tests/data/keras_weights/: one `<recipe>.weights.h5` per recipe below (built,
compiled, fitted one epoch on seeded data, then `model.save_weights`) and `expected.json`
holding, per recipe, the recipe itself (the Python source that builds and compiles the model
with a `keras` namespace, the data specs and the data), Keras' `model.weights` and
`model.optimizer.variables` values in order, and its predictions on the first rows of `x`.
tests/test_saving_weights.py rebuilds each recipe with `keras = keraslite`, loads the file and
compares; it never imports keras.

The other direction, keraslite files loaded into Keras:

    KERASLITE_BACKEND=jax python tests/test_saving_weights.py DIR   # keraslite writes DIR
    KERAS_BACKEND=jax python tests/data/make_keras_weights.py --check-keraslite DIR

The first command writes `<recipe>.weights.h5` and `<recipe>.json` (keraslite's values and
predictions) for every recipe; the second loads each file into the same recipe built with
Keras and compares weights, optimizer variables and predictions, printing one line per recipe.
"""

import argparse
import json
import os
import pathlib
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "keras_weights"
N_PRED = 4  # rows of x used for predictions

# Each recipe: "build" defines `model` (a `keras` name is in scope), "compile" (optional)
# compiles it, "x"/"y" are data specs: [shape, "float"] or [shape, "int", maxval].
RECIPES = [
    {
        "name": "sequential_bn",
        "build": "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3),\n"
                 "    keras.layers.BatchNormalization(), keras.layers.Dense(2)])",
        "compile": "model.compile(optimizer='adam', loss='mse', metrics=['mae'])",
        "x": [[16, 4], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "functional_named",
        "build": "a = keras.Input((4,), name='a')\n"
                 "h = keras.layers.Dense(3, activation='relu', name='d1')(a)\n"
                 "model = keras.Model(a, keras.layers.Dense(2, name='d2')(h))",
        "compile": "model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),\n"
                   "    loss='mse', metrics=[keras.metrics.RootMeanSquaredError()])",
        "x": [[16, 4], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "functional_branches",
        "build": "a = keras.Input((4,), name='a')\n"
                 "b = keras.Input((3,), name='b')\n"
                 "ha = keras.layers.Dense(5)(keras.layers.Dense(5)(a))\n"
                 "h = keras.ops.relu(keras.layers.Add()([ha, keras.layers.Dense(5)(b)]))\n"
                 "h = keras.layers.Concatenate()([h, keras.layers.Dense(2)(a)])\n"
                 "model = keras.Model([a, b], keras.layers.Dense(2)(h))",
        "compile": "model.compile(optimizer='rmsprop', loss='mse')",
        "x": [[[16, 4], "float"], [[16, 3], "float"]], "y": [[16, 2], "float"],
    },
    {
        "name": "subclassed",
        "build": "class Sub(keras.Model):\n"
                 "    def __init__(self):\n"
                 "        super().__init__()\n"
                 "        self.d1 = keras.layers.Dense(3)\n"
                 "        self.blocks = [keras.layers.Dense(3), keras.layers.Dense(3)]\n"
                 "        self.heads = {'p': keras.layers.Dense(2), 'q': keras.layers.Dense(2)}\n"
                 "        self.zz = keras.layers.Dense(2)\n"
                 "        self._priv = keras.layers.Dense(2)\n"
                 "    def call(self, x):\n"
                 "        h = self.d1(x)\n"
                 "        for block in self.blocks:\n"
                 "            h = block(h)\n"
                 "        h = self.heads['p'](h) + self.heads['q'](h)\n"
                 "        return self.zz(h) + self._priv(h)\n"
                 "model = Sub()\n"
                 "model(np.zeros((1, 4), 'float32'))",
        "compile": "model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9),\n"
                   "    loss='mse', metrics=['mae', keras.metrics.RootMeanSquaredError()])",
        "x": [[16, 4], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "rnn",
        "build": "t = keras.Input((5,), name='tokens')\n"
                 "h = keras.layers.Embedding(10, 4)(t)\n"
                 "h = keras.layers.LSTM(3, return_sequences=True)(h)\n"
                 "h = keras.layers.Bidirectional(keras.layers.GRU(2, return_sequences=True))(h)\n"
                 "h = keras.layers.Dropout(0.1)(h)\n"
                 "model = keras.Model(t, keras.layers.GRU(2)(h))",
        "compile": "model.compile(optimizer='adam', loss='mse')",
        "x": [[16, 5], "int", 10], "y": [[16, 2], "float"],
    },
    {
        "name": "stacked_cells",
        "build": "model = keras.Sequential([keras.Input((5, 3)),\n"
                 "    keras.layers.RNN([keras.layers.LSTMCell(2), keras.layers.GRUCell(3)],\n"
                 "                     return_sequences=True),\n"
                 "    keras.layers.TimeDistributed(keras.layers.Dense(2)),\n"
                 "    keras.layers.SimpleRNN(2), keras.layers.Dense(2)])",
        "compile": "model.compile(optimizer='sgd', loss='mse')",
        "x": [[16, 5, 3], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "conv_nested",
        "build": "inner = keras.Sequential([keras.layers.Dense(3, activation='relu'),\n"
                 "    keras.layers.Dense(2)], name='inner')\n"
                 "u = keras.Input((2,))\n"
                 "side = keras.Model(u, keras.layers.Dense(2)(u), name='side')\n"
                 "i = keras.Input((6, 6, 1))\n"
                 "h = keras.layers.Conv2D(2, 3, activation='relu')(i)\n"
                 "h = keras.layers.MaxPooling2D()(h)\n"
                 "h = keras.layers.Dense(4)(keras.layers.Flatten()(h))\n"
                 "model = keras.Model(i, side(inner(h)))",
        "compile": "model.compile(optimizer='adam', loss='mse')",
        "x": [[16, 6, 6, 1], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "conv_nested_uncompiled",
        "build": "inner = keras.Sequential([keras.layers.Dense(3), keras.layers.Dense(2)])\n"
                 "i = keras.Input((6, 6, 1))\n"
                 "h = keras.layers.Flatten()(keras.layers.Conv2D(2, 3)(i))\n"
                 "model = keras.Model(i, inner(keras.layers.Dense(4)(h)))",
        "x": [[16, 6, 6, 1], "float"],
    },
    {
        "name": "custom_layer",
        "build": "class Custom(keras.layers.Layer):\n"
                 "    def __init__(self, **kwargs):\n"
                 "        super().__init__(**kwargs)\n"
                 "        self._proj = keras.layers.Dense(2)\n"
                 "        self.norms = [[keras.layers.LayerNormalization()],\n"
                 "                      {'a': keras.layers.Dense(2), 'b': keras.layers.Dense(2)}]\n"
                 "    def build(self, input_shape):\n"
                 "        self.scale = self.add_weight(shape=(2,), initializer='ones', name='scale')\n"
                 "        self.count = self.add_weight(shape=(), initializer='zeros',\n"
                 "                                     trainable=False, name='count')\n"
                 "        self._proj.build(input_shape)\n"
                 "        self.norms[0][0].build((None, 2))\n"
                 "        self.norms[1]['a'].build((None, 2))\n"
                 "        self.norms[1]['b'].build((None, 2))\n"
                 "    def call(self, x):\n"
                 "        h = self.norms[0][0](self._proj(x)) * self.scale + self.count\n"
                 "        return self.norms[1]['a'](h) + self.norms[1]['b'](h)\n"
                 "i = keras.Input((4,))\n"
                 "model = keras.Model(i, keras.layers.Dense(2)(Custom()(i)))",
        "compile": "model.compile(optimizer='adamw', loss='mse')",
        "x": [[16, 4], "float"], "y": [[16, 2], "float"],
    },
    {
        "name": "conv1d_layernorm",
        "build": "model = keras.Sequential([keras.Input((6, 3)), keras.layers.Conv1D(4, 2),\n"
                 "    keras.layers.LayerNormalization(), keras.layers.GlobalAveragePooling1D(),\n"
                 "    keras.layers.BatchNormalization(), keras.layers.Dense(2)])",
        "compile": "model.compile(optimizer=keras.optimizers.Adam(0.01, amsgrad=True),\n"
                   "    loss='mse')",
        "x": [[16, 6, 3], "float"], "y": [[16, 2], "float"],
    },
]


def make_data(spec, rng):
    if isinstance(spec[0][0], list):  # several inputs
        return [make_data(s, rng) for s in spec]
    shape, kind = spec[0], spec[1]
    if kind == "int":
        return rng.integers(0, spec[2], size=shape).astype("int32")
    return rng.random(shape).astype("float32")


def recipe_data(recipe):
    """Seeded (x, y, x_pred) for a recipe; keraslite's side calls this too."""
    rng = np.random.default_rng(7)
    x = make_data(recipe["x"], rng)
    y = make_data(recipe["y"], rng) if "y" in recipe else None
    x_pred = [a[:N_PRED] for a in x] if isinstance(x, list) else x[:N_PRED]
    return x, y, x_pred


def build(keras, recipe, fit):
    """The recipe's model, compiled (optimizer built) and, with `fit`, trained one epoch."""
    scope = {"keras": keras, "np": np}
    exec(recipe["build"], scope)  # noqa: S102  (recipes are this file's own source strings)
    model = scope["model"]
    if "compile" in recipe:
        exec(recipe["compile"], scope)  # noqa: S102
        x, y, _ = recipe_data(recipe)
        if fit:
            model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
        else:
            model.optimizer.build(model.trainable_variables)
    return model


def enc(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}


def dec(e):
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def enc_data(x):
    return [enc(a) for a in x] if isinstance(x, list) else enc(x)


def values(model, x_pred):
    """JSON-ready weights, optimizer variables and predictions of a built model."""
    optimizer = getattr(model, "optimizer", None)
    return {
        "weights": [enc(v.numpy()) for v in model.weights],
        "optimizer": [enc(v.numpy()) for v in optimizer.variables] if optimizer else [],
        "predictions": enc(model.predict(x_pred, verbose=0)),
    }


def generate():
    import keras  # noqa: TID251  (the generator is the one file that runs real Keras)

    keras.utils.set_random_seed(0)
    OUT.mkdir(exist_ok=True)
    cases = []
    for recipe in RECIPES:
        model = build(keras, recipe, fit=True)
        x, y, x_pred = recipe_data(recipe)
        model.save_weights(OUT / f"{recipe['name']}.weights.h5")
        data = {"x_data": enc_data(x), "y_data": enc_data(y) if y is not None else None}
        cases.append({**recipe, **data, **values(model, x_pred)})
        print("wrote", recipe["name"])
    doc = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
           "n_pred": N_PRED, "cases": cases}
    (OUT / "expected.json").write_text(json.dumps(doc) + "\n")


def check_keraslite(directory):
    """Load every keraslite-written file in `directory` into Keras; compare. Exit 1 on failure."""
    import keras  # noqa: TID251

    directory = pathlib.Path(directory)
    failures = 0
    for recipe in RECIPES:
        path = directory / f"{recipe['name']}.weights.h5"
        if not path.exists():
            print(f"{recipe['name']:24s} MISSING")
            failures += 1
            continue
        expected = json.loads((directory / f"{recipe['name']}.json").read_text())
        model = build(keras, recipe, fit=False)
        problems = []
        try:
            model.load_weights(path)
        except Exception as e:  # noqa: BLE001  (reported per recipe)
            problems.append(f"load failed: {type(e).__name__}: {e}")
        else:
            got = [v.numpy() for v in model.weights]
            want = [dec(e) for e in expected["weights"]]
            if len(got) != len(want) or any(
                    g.shape != w.shape or not np.array_equal(g, w) for g, w in zip(got, want)):
                problems.append("weights differ")
            if "compile" in recipe:
                got = [np.asarray(v.numpy()) for v in model.optimizer.variables]
                want = [dec(e) for e in expected["optimizer"]]
                if len(got) != len(want) or any(
                        not np.array_equal(g, w.astype(g.dtype)) for g, w in zip(got, want)):
                    problems.append("optimizer variables differ")
            pred = model.predict(recipe_data(recipe)[2], verbose=0)
            if not np.allclose(pred, dec(expected["predictions"]), atol=1e-5, rtol=1e-5):
                problems.append("predictions differ")
        failures += bool(problems)
        print(f"{recipe['name']:24s} {'OK' if not problems else '; '.join(problems)}")
    print("all keraslite files load into Keras" if not failures else f"{failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check-keraslite", metavar="DIR",
                        help="load keraslite-written files from DIR into Keras and compare")
    args = parser.parse_args()
    if args.check_keraslite:
        sys.exit(check_keraslite(args.check_keraslite))
    generate()
