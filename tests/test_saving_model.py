"""Whole-model files: `.keras` archives in Keras 3's format, written and read here, read from
files real Keras 3.15.1 wrote (tests/data/keras_models/, made by
tests/data/make_keras_models.py), training resumed from a file, and files that must be refused.
"""

import json
import os
import pathlib
import subprocess
import sys
import zipfile

import numpy as np
import pytest

import keraslite as keras
from keraslite import layers, ops, saving
from keraslite.saving.saving_lib import CorruptFileError

DATA = pathlib.Path(__file__).parent / "data" / "keras_models"
EXPECTED = json.loads((DATA / "expected.json").read_text())


def _inputs(entry):
    x = {k: np.asarray(v["data"], v["dtype"]) for k, v in entry["x"].items()}
    return x["x"] if list(x) == ["x"] else x


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_files_written_by_keras_load_with_the_same_predictions(name):
    entry = EXPECTED[name]
    model = keras.models.load_model(DATA / f"{name}.keras")
    pred = model.predict(_inputs(entry), verbose=0)
    if isinstance(pred, dict):
        assert sorted(pred) == sorted(entry["pred"])
        for key in pred:
            np.testing.assert_allclose(pred[key], entry["pred"][key], atol=1e-5, rtol=1e-5)
    else:
        np.testing.assert_allclose(pred, entry["pred"], atol=1e-5, rtol=1e-5)
    assert int(ops.convert_to_numpy(model.optimizer.iterations)) == entry["iterations"]


def _model():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    shared = layers.Dense(4, name="shared")
    h = layers.Concatenate()([shared(a), layers.BatchNormalization()(layers.Dense(4)(b)),
                              shared(ops.multiply(a, 2.0))])
    model = keras.Model({"a": a, "b": b}, {"y": layers.Dense(2, name="y")(h)})
    model.compile(optimizer=keras.optimizers.Adam(1e-2), loss={"y": "mse"}, metrics={"y": ["mae"]})
    return model


def _data():
    rng = np.random.default_rng(0)
    x = {"a": rng.normal(size=(16, 4)).astype("float32"),
         "b": rng.normal(size=(16, 3)).astype("float32")}
    return x, {"y": rng.normal(size=(16, 2)).astype("float32")}


def test_round_trip_keeps_predictions_optimizer_and_compile(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Functional"
    assert config["module"] == "keras.src.models.functional"
    assert config["compile_config"]["loss"] == {"y": "mse"}

    loaded = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0)["y"], model.predict(x, verbose=0)["y"],
                               rtol=1e-6, atol=1e-6)
    assert [v.path for v in loaded.optimizer.variables] == \
        [v.path for v in model.optimizer.variables]
    for mine, theirs in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())
    assert loaded.evaluate(x, y, verbose=0, return_dict=True).keys() == \
        model.evaluate(x, y, verbose=0, return_dict=True).keys()
    assert not getattr(keras.models.load_model(tmp_path / "m.keras", compile=False), "compiled",
                       False)


def test_resumed_training_equals_straight_training(tmp_path):
    """2 epochs, save, load, 2 more == 4 epochs straight (weights and optimizer state)."""
    x, y = _data()
    keras.utils.set_random_seed(3)
    straight = _model()
    keras.utils.set_random_seed(3)
    resumed = _model()
    straight.fit(x, y, epochs=4, batch_size=8, shuffle=False, verbose=0)
    resumed.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    resumed.save(tmp_path / "half.keras")
    resumed = keras.models.load_model(tmp_path / "half.keras")
    resumed.fit(x, y, epochs=2, batch_size=8, shuffle=False, verbose=0)
    for a, b in zip(resumed.weights + resumed.optimizer.variables,
                    straight.weights + straight.optimizer.variables):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=a.path)


def test_sequential_and_json(tmp_path):
    model = keras.Sequential([keras.Input((5,)), layers.Dense(3, activation="relu"),
                              layers.Dense(1)])
    model.save(tmp_path / "s.keras")
    loaded = saving.load_model(tmp_path / "s.keras")
    assert isinstance(loaded, keras.Sequential) and not getattr(loaded, "compiled", False)
    x = np.ones((2, 5), "float32")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    clone = keras.models.model_from_json(model.to_json())
    assert [type(v).__name__ for v in clone.layers] == ["Dense", "Dense"]
    assert clone.count_params() == model.count_params()


@saving.register_keras_serializable(package="tests")
class Scale(layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

    def call(self, x):
        return x * self.w * self.factor

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


def test_registered_custom_layer(tmp_path):
    a = keras.Input((3,))
    model = keras.Model(a, Scale(3.0)(a))
    model.layers[1].w.assign(np.array([1.0, 2.0, 3.0], "float32"))
    model.save(tmp_path / "c.keras")
    loaded = keras.models.load_model(tmp_path / "c.keras")
    np.testing.assert_allclose(ops.convert_to_numpy(loaded(np.ones((1, 3), "float32"))),
                               [[3.0, 6.0, 9.0]])
    config = json.loads(zipfile.ZipFile(tmp_path / "c.keras").read("config.json"))
    assert config["config"]["layers"][1]["registered_name"] == "tests>Scale"


# ------------------------------------------------------------------------------ refusals


def _rewrite(src, dst, **members):
    """Copy the archive at `src` to `dst`, replacing the given members' bytes."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, members.pop(info.filename, old.read(info.filename)))
        for name, data in members.items():
            new.writestr(name, data)


def _saved(tmp_path):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.save(tmp_path / "ok.keras")
    return tmp_path / "ok.keras", json.loads(
        zipfile.ZipFile(tmp_path / "ok.keras").read("config.json"))


@pytest.mark.parametrize("entry", [
    {"module": "os", "class_name": "system", "config": {"command": "touch /tmp/pwned"},
     "registered_name": None},
    {"module": "builtins", "class_name": "function", "config": "eval", "registered_name": "eval"},
    {"module": "subprocess", "class_name": "Popen", "config": {"args": ["true"]},
     "registered_name": "subprocess.Popen"},
])
def test_config_naming_other_modules_is_refused(tmp_path, entry):
    path, config = _saved(tmp_path)
    config["config"]["layers"][1] = entry
    _rewrite(path, tmp_path / "bad.keras", **{"config.json": json.dumps(config)})
    with pytest.raises(ValueError, match="Unknown"):
        keras.models.load_model(tmp_path / "bad.keras")


def test_truncated_and_garbage_files_give_keraslite_errors(tmp_path):
    path, _ = _saved(tmp_path)
    data = path.read_bytes()
    for i, cut in enumerate((10, len(data) // 2, len(data) - 5)):
        (tmp_path / f"cut{i}.keras").write_bytes(data[:cut])
        with pytest.raises(ValueError):
            keras.models.load_model(tmp_path / f"cut{i}.keras")
    (tmp_path / "junk.keras").write_bytes(b"PK\x03\x04" + os.urandom(200))
    with pytest.raises(CorruptFileError):
        keras.models.load_model(tmp_path / "junk.keras")
    _rewrite(path, tmp_path / "nojson.keras", **{"config.json": b"{not json"})
    with pytest.raises(CorruptFileError, match="corrupted"):
        keras.models.load_model(tmp_path / "nojson.keras")
    _rewrite(path, tmp_path / "noweights.keras", **{"model.weights.h5": b"not hdf5"})
    with pytest.raises(ValueError, match="HDF5"):
        keras.models.load_model(tmp_path / "noweights.keras")


def test_decompression_bomb_is_refused_before_reading(tmp_path):
    path, config = _saved(tmp_path)
    padded = json.dumps(config) + " " * (20 * 2**20)  # 20 MB of spaces deflate ~1000x
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(tmp_path / "bomb.keras", "w",
                                                       zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = padded if info.filename == "config.json" else old.read(info.filename)
            new.writestr(info.filename, data)
    with pytest.raises(CorruptFileError, match="decompression bomb"):
        keras.models.load_model(tmp_path / "bomb.keras")


KILL_MID_SAVE = """
import os, signal, sys
import keraslite as keras
from keraslite.saving import saving_lib
model = keras.models.load_model(sys.argv[1])
model.layers[0].kernel.assign(model.layers[0].kernel.numpy() * 0 + 7)
original = saving_lib.write_weights
def write_then_die(model, target):
    original(model, target)
    target.flush()
    os.kill(os.getpid(), signal.SIGKILL)   # killed with the archive half written
saving_lib.write_weights = write_then_die
model.save(sys.argv[1])
"""


def test_a_save_killed_midway_leaves_the_old_file_intact(tmp_path):
    path, _ = _saved(tmp_path)
    before = keras.models.load_model(path).get_weights()
    proc = subprocess.run([sys.executable, "-c", KILL_MID_SAVE, str(path)], capture_output=True,
                          timeout=300)
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    after = keras.models.load_model(path).get_weights()
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)


def test_wrong_extensions():
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match=".keras"):
        model.save("model.h5")
    with pytest.raises(ValueError, match="extension"):
        model.save("model")
    with pytest.raises(ValueError, match="load_weights"):
        keras.models.load_model("x.weights.h5")
