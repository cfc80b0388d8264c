"""Assets with real Keras 3 (`nox -s interop`): a registered layer whose state lives only in
its assets (save_assets / load_assets), nested in a Sequential inside a functional model, is
saved by one library and loaded by the other: same archive layout, same assets, same
predictions."""

import os
import zipfile

os.environ["KERAS_BACKEND"] = os.environ["KERASLITE_BACKEND"] = "jax"

import keras  # noqa: E402, TID251  (the reference peer)
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import keraslite  # noqa: E402

LIBS = {"keras": keras, "keraslite": keraslite}
_CLASSES = {}


def vocabulary_class(K):
    if K.__name__ not in _CLASSES:
        @K.saving.register_keras_serializable(package="interop_assets")
        class Vocabulary(K.layers.Layer):
            def __init__(self, words=(), **kwargs):
                super().__init__(**kwargs)
                self.words = list(words)

            def call(self, x):
                return x * float(len(self.words))

            def save_assets(self, dirpath):
                with open(os.path.join(dirpath, "vocab.txt"), "w") as f:
                    f.write("\n".join(self.words))

            def load_assets(self, dirpath):
                with open(os.path.join(dirpath, "vocab.txt")) as f:
                    self.words = f.read().split("\n")

        _CLASSES[K.__name__] = Vocabulary
    return _CLASSES[K.__name__]


def _model(K):
    vocab = vocabulary_class(K)
    inputs = K.Input((2,))
    inner = K.Sequential([K.Input((2,)), vocab(["x", "y"], name="inner_vocab")], name="inner")
    return K.Model(inputs, inner(vocab(["a", "b", "c"], name="vocab")(inputs)))


@pytest.mark.parametrize("direction", ["keraslite->keras", "keras->keraslite"])
def test_assets_round_trip(direction, tmp_path):
    writer, reader = (LIBS[n] for n in direction.split("->"))
    vocabulary_class(reader)
    model = _model(writer)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("assets/"))
    assert names == ["assets/layers/sequential/layers/vocabulary/vocab.txt",
                     "assets/layers/vocabulary/vocab.txt"]
    loaded = reader.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("vocab").words == ["a", "b", "c"]
    assert loaded.get_layer("inner").get_layer("inner_vocab").words == ["x", "y"]
    x = np.ones((3, 2), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
