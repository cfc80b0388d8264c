"""Legacy HDF5 files of Keras 2 / tf.keras (tests/data/legacy_h5/, written by tf_keras 2.21
with tests/data/make_legacy_h5.py): whole models (`model.save("m.h5")`) load with tf.keras'
predictions, Bidirectional and nested models included, compiled with the saved optimizer; weights
files (`save_weights("w.h5")`) load into the same architecture; damaged files give keraslite
errors."""

import json
import pathlib

import h5py
import numpy as np
import pytest

import keraslite as keras
from keraslite.saving.saving_lib import CorruptFileError, UnsafeFileError

DATA = pathlib.Path(__file__).parent / "data" / "legacy_h5"
EXPECTED = json.loads((DATA / "expected.json").read_text())


def _inputs(entry):
    x = {k: np.asarray(v["data"], v["dtype"]) for k, v in entry["x"].items()}
    return x["x"] if list(x) == ["x"] else [x["a"], x["b"]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_full_model_files_load(name):
    model = keras.models.load_model(DATA / f"{name}.h5")
    np.testing.assert_allclose(model.predict(_inputs(EXPECTED[name]), verbose=0),
                               EXPECTED[name]["pred"], atol=1e-5, rtol=1e-5)
    assert type(model.optimizer).__name__ == "Adam"
    assert not getattr(keras.models.load_model(DATA / f"{name}.h5", compile=False),
                       "compiled", False)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_weights_files_load(name):
    model = keras.models.load_model(DATA / f"{name}.h5", compile=False)
    for w in model.weights:
        w.assign(np.zeros(w.shape, w.dtype))
    model.load_weights(DATA / f"{name}.weights.legacy.h5")
    np.testing.assert_allclose(model.predict(_inputs(EXPECTED[name]), verbose=0),
                               EXPECTED[name]["pred"], atol=1e-5, rtol=1e-5)


def test_weights_into_a_model_built_here():
    """A tf.keras weights file into the same architecture written with keraslite: layers are
    matched in order when the names differ, as Keras 2 does."""
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(3, activation="softmax")])
    model.load_weights(DATA / "mlp.weights.legacy.h5")
    np.testing.assert_allclose(model.predict(_inputs(EXPECTED["mlp"]), verbose=0),
                               EXPECTED["mlp"]["pred"], atol=1e-5, rtol=1e-5)
    wrong = keras.Sequential([keras.Input((6,)), keras.layers.Dense(5), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="shape"):
        wrong.load_weights(DATA / "mlp.weights.legacy.h5")


def test_damaged_files(tmp_path):
    (tmp_path / "junk.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(CorruptFileError):
        keras.models.load_model(tmp_path / "junk.h5")
    with pytest.raises(ValueError, match="load_weights"):
        keras.models.load_model(DATA / "mlp.weights.legacy.h5")
    # a weight dataset swapped for a huge declared one is refused before it is read
    path = tmp_path / "huge.h5"
    path.write_bytes((DATA / "mlp.h5").read_bytes())
    with h5py.File(path, "r+") as f:
        group = f["model_weights/dense/dense"]
        del group["kernel:0"]
        group.create_dataset("kernel:0", shape=(2**20, 2**20), dtype="float32",
                             chunks=(1, 16))
    with pytest.raises(UnsafeFileError, match="does not fit"):
        keras.models.load_model(path)
