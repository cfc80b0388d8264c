"""Model.save_weights / load_weights in Keras 3's `.weights.h5` format, on the active backend.

Reference files written by real Keras 3.15.1 (tests/data/keras_weights/, made by
tests/data/make_keras_weights.py with the recipes and expected values in expected.json) load
into the same recipe built with keraslite: every weight and optimizer variable equal, the same
predictions, and keraslite writes the same groups, datasets and shapes for that recipe. Then
round trips (weights, optimizer state, training continuing identically), overwrite=False,
the filename suffix, mismatched models (error naming the path, or a warning with
skip_mismatch), a crash in the middle of a save and ModelCheckpoint(save_weights_only=True).

Run as a script (`python tests/test_saving_weights.py DIR`) it writes keraslite files for every
recipe to DIR, for `make_keras_weights.py --check-keraslite DIR` to load into real Keras.
"""

import json
import pathlib
import sys
import warnings

import h5py
import numpy as np
import pytest

import keraslite
from keraslite import callbacks, layers
from keraslite.saving import saving_lib

DATA_DIR = pathlib.Path(__file__).parent / "data" / "keras_weights"
DATA = json.loads((DATA_DIR / "expected.json").read_text())
CASES = {c["name"]: c for c in DATA["cases"]}


def dec(e):
    if isinstance(e, list):
        return [dec(a) for a in e]
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def enc(a):
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": a.ravel().tolist()}


def data(case):
    x = dec(case["x_data"])
    y = dec(case["y_data"]) if case["y_data"] is not None else None
    x_pred = [a[:DATA["n_pred"]] for a in x] if isinstance(x, list) else x[:DATA["n_pred"]]
    return x, y, x_pred


def build(case, fit=False):
    """The case's recipe built with keraslite; compiled with its optimizer built, or fitted."""
    scope = {"keras": keraslite, "np": np}
    exec(case["build"], scope)  # noqa: S102  (recipes come from the reference file)
    model = scope["model"]
    if case.get("compile"):
        exec(case["compile"], scope)  # noqa: S102
        if fit:
            x, y, _ = data(case)
            model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
        else:
            model.optimizer.build(model.trainable_variables)
    return model


def values(variables):
    return [np.asarray(v.numpy()) for v in variables]


def assert_same(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape
        np.testing.assert_array_equal(g, w.astype(g.dtype))


def layout(path):
    """{dataset path: shape} and {vars group path} of a weights file."""
    datasets, groups = {}, set()

    def visit(name, item):
        if isinstance(item, h5py.Dataset):
            datasets[name] = item.shape
        elif name.split("/")[-1] == "vars":
            groups.add(name)

    with h5py.File(path, "r") as f:
        f.visititems(visit)
        groups.add("vars" if "vars" in f else None)
    return datasets, groups


# ------------------------------------------------------------------ files written by Keras

@pytest.mark.parametrize("name", sorted(CASES))
def test_keras_file_loads(name):
    case = CASES[name]
    model = build(case)
    model.load_weights(DATA_DIR / f"{name}.weights.h5")
    assert_same(values(model.weights), dec(case["weights"]))
    if case.get("compile"):
        assert_same(values(model.optimizer.variables), dec(case["optimizer"]))
    pred = np.asarray(model.predict(data(case)[2], verbose=0))
    np.testing.assert_allclose(pred, dec(case["predictions"]), atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_layout_as_keras(name, tmp_path):
    model = build(CASES[name])
    model.save_weights(tmp_path / "m.weights.h5")
    assert layout(tmp_path / "m.weights.h5") == layout(DATA_DIR / f"{name}.weights.h5")


def test_layout_details(tmp_path):
    # container paths are class names numbered per container; each vars group names its object
    model = build(CASES["functional_named"])
    model.save_weights(tmp_path / "m.weights.h5")
    with h5py.File(tmp_path / "m.weights.h5", "r") as f:
        assert f["vars"].attrs["name"] == model.name
        assert f["layers/input_layer/vars"].attrs["name"] == "a"
        assert f["layers/dense/vars"].attrs["name"] == "d1"
        assert f["layers/dense_1/vars"].attrs["name"] == "d2"
        assert f["optimizer/vars"].attrs["name"] == model.optimizer.name
        assert len(f["optimizer/vars"]) == len(model.optimizer.variables)
    assert saving_lib.keras_snake_case("Conv2D") == "conv2d"
    assert saving_lib.keras_snake_case("LSTMCell") == "lstm_cell"
    assert saving_lib.keras_snake_case("BatchNormalization") == "batch_normalization"


# ------------------------------------------------------------------ round trips

@pytest.mark.parametrize("name", ["sequential_bn", "subclassed", "custom_layer",
                                  "functional_branches", "rnn", "conv_nested"])
def test_round_trip(name, tmp_path):
    case = CASES[name]
    x, y, x_pred = data(case)
    trained = build(case, fit=True)
    path = tmp_path / "m.weights.h5"
    trained.save_weights(str(path))
    restored = build(case)
    restored.load_weights(path)
    assert_same(values(restored.weights), values(trained.weights))
    assert_same(values(restored.optimizer.variables), values(trained.optimizer.variables))
    np.testing.assert_array_equal(restored.predict(x_pred, verbose=0),
                                  trained.predict(x_pred, verbose=0))
    if name in ("rnn",):
        return  # dropout draws differ between two models: training cannot match step for step
    for model in (trained, restored):
        model.fit(x, y, epochs=1, batch_size=8, shuffle=False, verbose=0)
    for got, want in zip(values(restored.weights), values(trained.weights)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert_same(values(restored.optimizer.variables)[:1], values(trained.optimizer.variables)[:1])


def test_uncompiled_model_loads_weights_of_compiled_one(tmp_path):
    case = CASES["sequential_bn"]
    trained = build(case, fit=True)
    trained.save_weights(tmp_path / "m.weights.h5")
    plain = build({**case, "compile": None})
    keraslite.saving.load_weights(plain, tmp_path / "m.weights.h5")  # the function form too
    assert_same(values(plain.weights), values(trained.weights))


def test_unbuilt_optimizer_is_skipped_with_a_warning(tmp_path):
    case = CASES["sequential_bn"]
    build(case, fit=True).save_weights(tmp_path / "m.weights.h5")
    scope = {"keras": keraslite, "np": np}
    exec(case["build"] + "\n" + case["compile"], scope)  # noqa: S102  (optimizer not built)
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        scope["model"].load_weights(tmp_path / "m.weights.h5")


# ------------------------------------------------------------------ errors

def dense_stack(*units, input_dim=4):
    return keraslite.Sequential([keraslite.Input((input_dim,))] + [layers.Dense(u) for u in units])


def test_overwrite_false(tmp_path, monkeypatch):
    path = tmp_path / "m.weights.h5"
    first = dense_stack(3)
    first.save_weights(path)
    before = path.read_bytes()
    with pytest.raises(FileExistsError, match="already exists"):
        dense_stack(3).save_weights(path, overwrite=False)
    assert path.read_bytes() == before
    # at a terminal it asks, as Keras does
    monkeypatch.setattr(sys, "stdin", type("Tty", (), {"isatty": lambda self: True})())
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    dense_stack(3).save_weights(path, overwrite=False)
    assert path.read_bytes() == before
    second = dense_stack(3)
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    second.save_weights(path, overwrite=False)
    first.load_weights(path)
    assert_same(values(first.weights), values(second.weights))


@pytest.mark.parametrize("filename", ["m.h5", "m.keras", "m.weights", "m.weights.h5.bak"])
def test_filename_must_end_in_weights_h5(tmp_path, filename):
    model = dense_stack(3)
    with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
        model.save_weights(tmp_path / filename)
    if filename.endswith(".h5"):  # a legacy Keras 2 weights file: read by legacy_h5
        with pytest.raises(FileNotFoundError):
            model.load_weights(str(tmp_path / filename))
    else:
        with pytest.raises(ValueError, match=r"must end in `\.weights\.h5`"):
            model.load_weights(str(tmp_path / filename))
    assert not list(tmp_path.iterdir())


def test_unbuilt_model_raises(tmp_path):
    model = keraslite.Sequential([layers.Dense(2)])
    with pytest.raises(ValueError, match="not yet been built"):
        model.save_weights(tmp_path / "m.weights.h5")


def test_shape_mismatch_names_the_path(tmp_path):
    path = tmp_path / "m.weights.h5"
    dense_stack(3, 2).save_weights(path)
    other = dense_stack(3, 5)
    before = values(other.weights)
    with pytest.raises(ValueError, match=r"'layers/dense_1/vars'.*shape \(3, 5\).*\(3, 2\)"):
        other.load_weights(path)
    other = dense_stack(3, 5)
    before = values(other.weights)
    with pytest.warns(UserWarning, match="layers/dense_1/vars"):
        other.load_weights(path, skip_mismatch=True)
    saved = dense_stack(3, 2)
    saved.load_weights(path)
    got = values(other.weights)
    assert_same(got[:2], values(saved.weights)[:2])  # the matching layer loaded
    assert_same(got[2:], before[2:])  # the mismatched one kept its values


def test_layer_count_mismatch(tmp_path):
    path = tmp_path / "m.weights.h5"
    dense_stack(3, 3, 2).save_weights(path)
    with pytest.raises(ValueError, match=r"'layers/dense_2/vars'.*no matching layer"):
        dense_stack(3, 3).load_weights(path)
    with pytest.raises(ValueError, match=r"'layers/dense_3/vars'.*expects 2 variables"):
        dense_stack(3, 3, 2, 2).load_weights(path)
    with pytest.warns(UserWarning, match="layers/dense_2/vars"):
        dense_stack(3, 3).load_weights(path, skip_mismatch=True)


@pytest.mark.parametrize("trick", ["external_link", "soft_link", "external_group",
                                   "virtual_dataset", "external_storage"])
def test_file_pointing_outside_itself_is_refused(tmp_path, trick):
    """A weights file must not make the loader read other files (HDF5 external links, virtual
    datasets, external raw storage) or other places in itself (soft links), even with
    skip_mismatch=True."""
    model = dense_stack(3)
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    secret = tmp_path / "secret.h5"
    with h5py.File(secret, "w") as f:
        f["data"] = np.full((4, 3), 7.0, "float32")
        f.create_group("vars")["0"] = np.full((4, 3), 7.0, "float32")
    raw = tmp_path / "raw.bin"
    np.full((4, 3), 7.0, "float32").tofile(raw)
    with h5py.File(path, "a") as f:
        group = f["layers/dense/vars"]
        if trick == "external_group":
            del f["layers/dense/vars"]
            f["layers/dense/vars"] = h5py.ExternalLink(str(secret), "/vars")
        else:
            del group["0"]
        if trick == "external_link":
            group["0"] = h5py.ExternalLink(str(secret), "/data")
        elif trick == "soft_link":
            group["0"] = h5py.SoftLink("/layers/dense/vars/1")
        elif trick == "virtual_dataset":
            layout = h5py.VirtualLayout(shape=(4, 3), dtype="float32")
            layout[:] = h5py.VirtualSource(str(secret), "data", shape=(4, 3))
            group.create_virtual_dataset("0", layout)
        elif trick == "external_storage":
            group.create_dataset("0", shape=(4, 3), dtype="float32",
                                 external=[(str(raw), 0, h5py.h5f.UNLIMITED)])
    before = [np.array(w) for w in model.get_weights()]
    for skip in (False, True):
        with pytest.raises(ValueError, match="Refusing to load"):
            model.load_weights(path, skip_mismatch=skip)
    for got, want in zip(model.get_weights(), before):
        assert not np.any(got == 7.0) or np.array_equal(got, want)


def test_crash_during_save_keeps_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "m.weights.h5"
    old = dense_stack(3, 2)
    old.save_weights(path)
    before = path.read_bytes()
    plain = tmp_path / "plain.txt"  # the saved file gets the mode any new file gets
    plain.write_text("x")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
    plain.unlink()
    calls = []
    real_setitem = h5py.Group.__setitem__

    def failing_setitem(self, key, value):
        calls.append(key)
        if len(calls) == 3:
            raise OSError("disk full")
        real_setitem(self, key, value)

    monkeypatch.setattr(h5py.Group, "__setitem__", failing_setitem)
    with pytest.raises(OSError, match="disk full"):
        dense_stack(3, 2).save_weights(path)
    monkeypatch.undo()
    assert len(calls) == 3
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.weights.h5"]  # no temp file left
    fresh = dense_stack(3, 2)
    fresh.load_weights(path)
    assert_same(values(fresh.weights), values(old.weights))


# ------------------------------------------------------------------ ModelCheckpoint

class ScriptedScore(callbacks.Callback):
    """Puts a scripted `score` in the epoch logs (ModelCheckpoint reads the same dict) and keeps
    a copy of the weights at each epoch end."""

    def __init__(self, scores):
        super().__init__()
        self.scores, self.weights = scores, []

    def on_epoch_end(self, epoch, logs=None):
        logs["score"] = self.scores[epoch]
        self.weights.append(values(self.model.weights))


def test_model_checkpoint_keeps_best_weights(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 4)).astype("float32"), rng.random((32, 2)).astype("float32")
    model = dense_stack(3, 2)
    model.compile(optimizer="sgd", loss="mse")
    path = tmp_path / "best.weights.h5"
    scores = [3.0, 1.0, 2.0, 0.5, 4.0]
    recorder = ScriptedScore(scores)
    checkpoint = callbacks.ModelCheckpoint(path, monitor="score", mode="min",
                                           save_best_only=True, save_weights_only=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning from ModelCheckpoint
        model.fit(x, y, epochs=5, batch_size=8, verbose=0, callbacks=[recorder, checkpoint])
    best = int(np.argmin(scores))
    assert not np.array_equal(recorder.weights[best][0], recorder.weights[-1][0])
    restored = dense_stack(3, 2)
    restored.load_weights(path)
    assert_same(values(restored.weights), recorder.weights[best])


# ------------------------------------------------------------------ files for the Keras check

def write_for_keras(directory):
    """Fit every recipe with keraslite, save it and its values to `directory`."""
    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, case in CASES.items():
        model = build(case, fit=True)
        model.save_weights(directory / f"{name}.weights.h5")
        optimizer = getattr(model, "optimizer", None)
        doc = {"backend": keraslite.backend.backend(),
               "weights": [enc(v) for v in values(model.weights)],
               "optimizer": [enc(v) for v in values(optimizer.variables)] if optimizer else [],
               "predictions": enc(model.predict(data(case)[2], verbose=0))}
        (directory / f"{name}.json").write_text(json.dumps(doc))
        print("wrote", name)


if __name__ == "__main__":
    write_for_keras(sys.argv[1])
