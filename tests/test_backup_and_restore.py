"""BackupAndRestore on real models, on the active backend: Keras 3's files in `backup_dir`
(`latest.weights.h5`, `training_metadata.json`, their `.bkp` pair), resuming an interrupted
fit to the same weights as an uninterrupted one, the fallback to the previous pair, cleanup,
and saves that die midway."""

import json
import os

import numpy as np
import pytest

import keraslite as keras
from keraslite import callbacks, layers
from keraslite.saving import saving_lib

WEIGHTS, METADATA = "latest.weights.h5", "training_metadata.json"
X = np.random.default_rng(0).normal(size=(12, 3)).astype("float32")
Y = np.random.default_rng(1).normal(size=(12, 2)).astype("float32")
BATCH = 4  # three steps per epoch
INITIAL = None


class Crash(Exception):
    pass


def make_model():
    global INITIAL
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="tanh"),
                              layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="mse")  # Adam: slots + steps
    if INITIAL is None:
        INITIAL = model.get_weights()
    model.set_weights(INITIAL)  # every run starts from the same point
    return model


def fit(model, cbs, epochs):
    return model.fit(X, Y, batch_size=BATCH, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=cbs)


def crash_at_epoch(epoch_to_crash):
    def on_epoch_begin(epoch, logs):
        if epoch == epoch_to_crash:
            raise Crash()

    return callbacks.LambdaCallback(on_epoch_begin=on_epoch_begin)


def uninterrupted(epochs):
    model = make_model()
    fit(model, [], epochs)
    return model


def assert_same_weights(a, b):
    for x, y in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-5, atol=1e-6)
    assert int(a.optimizer.iterations.numpy()) == int(b.optimizer.iterations.numpy())


def metadata(path):
    return json.loads(path.read_text())


def test_resumes_an_interrupted_fit_from_keras_files(tmp_path):
    backup_dir = tmp_path / "backup"
    crashed = make_model()
    with pytest.raises(Crash):
        fit(crashed, [callbacks.BackupAndRestore(backup_dir), crash_at_epoch(2)], epochs=4)
    assert sorted(os.listdir(backup_dir)) == [WEIGHTS, METADATA]
    assert metadata(backup_dir / METADATA) == {"epoch": 2, "batch": 0}
    # The weights file is a plain save_weights file, optimizer state included.
    loaded = make_model()
    loaded.optimizer.build(loaded.trainable_variables)
    loaded.load_weights(backup_dir / WEIGHTS)
    assert_same_weights(loaded, crashed)
    assert int(loaded.optimizer.iterations.numpy()) == 2 * 3

    resumed = make_model()
    history = fit(resumed, [callbacks.BackupAndRestore(backup_dir)], epochs=4)
    assert history.epoch == [2, 3]
    assert_same_weights(resumed, uninterrupted(4))
    assert not backup_dir.exists()  # a finished fit deletes its backup


def test_integer_save_freq_counts_batches(tmp_path):
    backup_dir = tmp_path / "backup"
    seen = []
    crashed = make_model()
    record = callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(
        (json.loads((backup_dir / METADATA).read_text()) if (backup_dir / METADATA).exists()
         else None)))
    with pytest.raises(Crash):
        fit(crashed, [callbacks.BackupAndRestore(backup_dir, save_freq=2), record,
                      crash_at_epoch(2)], epochs=3)
    # Saves after every second batch, across epoch ends: e0b1, e1b0, e1b2.
    assert seen == [None, {"epoch": 0, "batch": 1}, {"epoch": 0, "batch": 1},
                    {"epoch": 1, "batch": 0}, {"epoch": 1, "batch": 0},
                    {"epoch": 1, "batch": 2}]

    # A batch-level backup resumes at the start of its epoch, with the weights it held.
    resumed = make_model()
    cb = callbacks.BackupAndRestore(backup_dir, save_freq=2)
    cb.set_model(resumed)
    cb.on_train_begin()
    assert resumed._initial_epoch == 1
    assert_same_weights(resumed, crashed)


def test_double_checkpoint_falls_back_to_the_previous_pair(tmp_path):
    backup_dir = tmp_path / "backup"
    snapshots = []
    model = make_model()
    snap = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: snapshots.append(
        model.get_weights()))
    with pytest.raises(Crash):
        fit(model, [callbacks.BackupAndRestore(backup_dir, double_checkpoint=True), snap,
                    crash_at_epoch(2)], epochs=3)
    assert sorted(os.listdir(backup_dir)) == [WEIGHTS, WEIGHTS + ".bkp", METADATA,
                                              METADATA + ".bkp"]
    assert metadata(backup_dir / METADATA) == {"epoch": 2, "batch": 0}
    assert metadata(backup_dir / (METADATA + ".bkp")) == {"epoch": 1, "batch": 0}
    for name, snapshot in ((WEIGHTS, snapshots[1]), (WEIGHTS + ".bkp", snapshots[0])):
        copy = tmp_path / "copy.weights.h5"  # load_weights wants the suffix
        copy.write_bytes((backup_dir / name).read_bytes())
        loaded = make_model()
        loaded.optimizer.build(loaded.trainable_variables)
        loaded.load_weights(copy)
        for a, b in zip(loaded.get_weights(), snapshot, strict=True):
            np.testing.assert_allclose(a, b)

    # A truncated latest weights file: resume from the epoch-1 pair instead.
    data = (backup_dir / WEIGHTS).read_bytes()
    (backup_dir / WEIGHTS).write_bytes(data[:len(data) // 2])
    resumed = make_model()
    with pytest.warns(UserWarning, match="previous one"):
        history = fit(resumed, [callbacks.BackupAndRestore(backup_dir)], epochs=3)
    assert history.epoch == [1, 2]
    assert_same_weights(resumed, uninterrupted(3))


def test_unreadable_metadata_falls_back_and_no_fallback_raises(tmp_path):
    backup_dir = tmp_path / "backup"
    with pytest.raises(Crash):
        fit(make_model(), [callbacks.BackupAndRestore(backup_dir, double_checkpoint=True),
                           crash_at_epoch(2)], epochs=3)
    (backup_dir / METADATA).write_text('{"epoch": 2, "ba')
    epochs_run = []
    run = callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: epochs_run.append(e))
    with pytest.warns(UserWarning, match="previous one"), pytest.raises(Crash):
        fit(make_model(), [callbacks.BackupAndRestore(backup_dir, double_checkpoint=True), run,
                           crash_at_epoch(2)], epochs=3)
    assert epochs_run == [1, 2]
    # The unreadable pair was dropped rather than rotated over the good ".bkp" one.
    assert metadata(backup_dir / METADATA) == {"epoch": 2, "batch": 0}
    assert metadata(backup_dir / (METADATA + ".bkp")) == {"epoch": 1, "batch": 0}

    lone = tmp_path / "lone"
    lone.mkdir()
    (lone / WEIGHTS).write_bytes(b"garbage")
    (lone / METADATA).write_text('{"epoch": 1, "batch": 0}')
    with pytest.raises(ValueError, match="HDF5"):
        fit(make_model(), [callbacks.BackupAndRestore(lone)], epochs=2)


def test_delete_checkpoint(tmp_path):
    kept = tmp_path / "kept"
    fit(make_model(), [callbacks.BackupAndRestore(kept, delete_checkpoint=False)], epochs=2)
    assert sorted(os.listdir(kept)) == [WEIGHTS, METADATA]
    assert metadata(kept / METADATA) == {"epoch": 2, "batch": 0}
    # A finished backup resumes past the last epoch: nothing left to train.
    assert fit(make_model(), [callbacks.BackupAndRestore(kept)], epochs=2).epoch == []
    assert not kept.exists()

    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "notes.txt").write_text("mine")
    fit(make_model(), [callbacks.BackupAndRestore(shared, double_checkpoint=True)], epochs=2)
    assert os.listdir(shared) == ["notes.txt"]  # only its own files are removed


def test_a_save_dying_midway_keeps_the_previous_backup(tmp_path, monkeypatch):
    backup_dir = tmp_path / "backup"
    real_write = saving_lib.write_weights
    calls = []

    def write_then_die(model, target):
        calls.append(target)
        if len(calls) == 2:  # the epoch-1 backup dies halfway through the file
            with open(target, "wb") as f:
                f.write(b"\x89HDF\r\n\x1a\n half a file")
            raise Crash()
        real_write(model, target)

    monkeypatch.setattr(saving_lib, "write_weights", write_then_die)
    with pytest.raises(Crash):
        fit(make_model(), [callbacks.BackupAndRestore(backup_dir)], epochs=3)
    monkeypatch.setattr(saving_lib, "write_weights", real_write)
    assert sorted(os.listdir(backup_dir)) == [WEIGHTS, METADATA]  # no temporary left behind
    assert metadata(backup_dir / METADATA) == {"epoch": 1, "batch": 0}
    loaded = make_model()
    loaded.optimizer.build(loaded.trainable_variables)
    loaded.load_weights(backup_dir / WEIGHTS)

    resumed = make_model()
    assert fit(resumed, [callbacks.BackupAndRestore(backup_dir)], epochs=3).epoch == [1, 2]
    assert_same_weights(resumed, uninterrupted(3))


def test_a_save_killed_between_its_renames_is_completed(tmp_path, monkeypatch):
    backup_dir = tmp_path / "backup"
    real_replace = os.replace
    metadata_path = str(backup_dir / METADATA)

    def replace(src, dst):
        if str(dst) == metadata_path and os.path.exists(metadata_path):
            raise Crash()  # the second backup's weights are in place, its metadata is not
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(Crash):
        fit(make_model(), [callbacks.BackupAndRestore(backup_dir)], epochs=3)
    monkeypatch.setattr(os, "replace", real_replace)
    assert metadata(backup_dir / METADATA) == {"epoch": 1, "batch": 0}  # stale

    resumed = make_model()
    assert fit(resumed, [callbacks.BackupAndRestore(backup_dir)], epochs=3).epoch == [2]
    assert_same_weights(resumed, uninterrupted(3))


def test_arguments_follow_keras():
    cb = callbacks.BackupAndRestore("dir", 5, True, False)  # Keras' positional order
    assert (cb.save_freq, cb.double_checkpoint, cb.delete_checkpoint) == (5, True, False)
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore("dir", save_freq="sometimes")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore("dir", save_freq=True)
    with pytest.raises(ValueError, match="backup_dir"):
        callbacks.BackupAndRestore("")


def test_an_unbuilt_model_cannot_restore(tmp_path):
    backup_dir = tmp_path / "backup"
    fit(make_model(), [callbacks.BackupAndRestore(backup_dir, delete_checkpoint=False)],
        epochs=1)
    unbuilt = keras.Sequential([layers.Dense(4, activation="tanh"), layers.Dense(2)])
    unbuilt.compile(optimizer="adam", loss="mse")
    with pytest.raises(ValueError, match="must be built"):
        fit(unbuilt, [callbacks.BackupAndRestore(backup_dir)], epochs=2)
