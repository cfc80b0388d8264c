"""Legacy HDF5 files of Keras 2 / tf.keras (tests/data/legacy_h5/, written by tf_keras 2.21
with tests/data/make_legacy_h5.py): whole models (`model.save("m.h5")`) load with tf.keras'
predictions, Bidirectional and nested models included, compiled with the saved optimizer; weights
files (`save_weights("w.h5")`) load into the same architecture; damaged files give keraslite
errors. The optimizer's saved state (step count, slots) is restored, and training continues
from it as tf.keras did."""

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


# Models trained three steps by tf.keras, and the weights after its next step on a fixed batch.
STATE = json.loads((DATA / "optimizer_state.json").read_text())
# tf.keras' slot names (its legacy optimizers' too) -> keraslite's
SLOT_KINDS = {"m": "momentum", "v": "velocity", "momentum": "momentum", "velocity": "velocity",
              "average_gradient": "average_gradient"}


def _stored_optimizer_state(path):
    """(step count, {slot kind: [(variable path, value)] in the file's variable order})."""
    with h5py.File(path, "r") as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        values = {n: group[n][()] for n in names}
    step, slots = None, {}
    legacy = "iteration:0" not in names
    for name in names:
        parts = name[:-2].split("/")
        if parts[-1] in ("iteration", "iter"):
            step = int(values[name])
        else:
            slot, var = (parts[-1], parts[1:-1]) if legacy else (parts[1], parts[2:])
            slots.setdefault(SLOT_KINDS[slot], []).append(("/".join(var), values[name]))
    return step, slots


@pytest.mark.parametrize("name", sorted(EXPECTED) + sorted(STATE))
def test_optimizer_state_is_restored(name):
    model = keras.models.load_model(DATA / f"{name}.h5")
    step, slots = _stored_optimizer_state(DATA / f"{name}.h5")
    assert int(np.asarray(model.optimizer.iterations)) == step > 0
    variables = model.trainable_variables
    for kind, stored in slots.items():
        # keraslite makes each kind of slot for the variables in order: '<path>_<kind>'
        ours = [v for v in model.optimizer.variables if v.name.endswith(f"_{kind}")]
        assert len(ours) == len(stored) == len(variables)
        for variable, slot, (path, value) in zip(variables, ours, stored):
            assert path.endswith(variable.path), (path, variable.path)
            assert slot.name == variable.path.replace("/", "_") + f"_{kind}"
            assert np.any(value != 0)
            np.testing.assert_allclose(keras.ops.convert_to_numpy(slot), value, rtol=0, atol=0)


def test_nadam_schedule_product_is_rebuilt():
    """tf.keras does not save Nadam's product of its momentum schedule; it is rebuilt from the
    step count (three steps) with Keras' schedule mu_t = beta_1 * (1 - 0.5 * 0.96**t)."""
    model = keras.models.load_model(DATA / "nadam_state.h5")
    mu = 0.9 * (1 - 0.5 * 0.96 ** np.arange(1, 4))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model.optimizer._u_product),
                               np.prod(mu), rtol=1e-6)


@pytest.mark.parametrize("name", sorted(n for n in STATE if STATE[n]["weights_after_step"]))
def test_training_continues_from_the_saved_state(name):
    """One more step in keraslite gives the weights tf.keras had after its next step; the same
    step from a fresh optimizer does not."""
    entry = STATE[name]
    x, y = np.asarray(entry["x"], "float32"), np.asarray(entry["y"], "int32")
    model = keras.models.load_model(DATA / f"{name}.h5")
    fresh = keras.models.load_model(DATA / f"{name}.h5", compile=False)
    fresh.compile(optimizer=type(model.optimizer).from_config(model.optimizer.get_config()),
                  loss="sparse_categorical_crossentropy")
    for m in (model, fresh):
        m.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    assert int(np.asarray(model.optimizer.iterations)) == 4
    for got, want in zip(model.get_weights(), entry["weights_after_step"]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    assert not all(np.allclose(got, want, rtol=1e-5, atol=1e-6)
                   for got, want in zip(fresh.get_weights(), entry["weights_after_step"]))


def test_optimizer_state_that_does_not_fit_is_skipped(tmp_path):
    """A state for other variables (here one slot renamed to another layer's variable kind)
    leaves a fresh optimizer and a warning, as Keras 2 did; the model still loads."""
    path = tmp_path / "m.h5"
    path.write_bytes((DATA / "adam_state.h5").read_bytes())
    with h5py.File(path, "r+") as f:
        group = f["optimizer_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs["weight_names"]]
        group.attrs["weight_names"] = [n.replace("dense/bias", "dense/gamma").encode()
                                       for n in names]
        group["Adam/m/dense/gamma:0"] = group["Adam/m/dense/bias:0"][()]
        group["Adam/v/dense/gamma:0"] = group["Adam/v/dense/bias:0"][()]
    with pytest.warns(UserWarning, match="optimizer state is not restored"):
        model = keras.models.load_model(path)
    assert int(np.asarray(model.optimizer.iterations)) == 0
