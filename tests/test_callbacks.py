"""Callbacks driven through the hooks in the order fit calls them, on a small fake model.

The fake model keeps its weights and optimizer state in keraslite Variables, so saving and
restoring goes through the active backend.
"""

import csv
import math
import os
import re

import numpy as np
import pytest

from keraslite import callbacks
from keraslite.backend import Variable
from keraslite.utils import progbar as progbar_module
from keraslite.utils.progbar import Progbar

STEPS = 2  # training steps per epoch in `fit`


class FakeOptimizer:
    def __init__(self, learning_rate=0.1):
        self.learning_rate = learning_rate
        self.iterations = Variable(0, dtype="int64", trainable=False, name="iterations")
        self.momentum = Variable(np.zeros(3, "float32"), trainable=False, name="momentum")
        self.variables = [self.iterations, self.momentum]


class FakeLayer:
    def __init__(self, name, weights):
        self.name = name
        self.weights = weights


class FakeModel:
    """What the callbacks use of a Model: weights, optimizer, stop flag and saving."""

    def __init__(self, learning_rate=0.1):
        self.stop_training = False
        self.built = True
        self.kernel = Variable(np.zeros((2, 3), "float32"), name="kernel")
        self.bias = Variable(np.zeros(3, "float32"), name="bias")
        self.layers = [FakeLayer("dense", [self.kernel, self.bias])]
        self.optimizer = FakeOptimizer(learning_rate)
        self.saved = []  # (method, path) in call order

    def get_weights(self):
        return [np.array(self.kernel.numpy()), np.array(self.bias.numpy())]

    def set_weights(self, weights):
        self.kernel.assign(weights[0])
        self.bias.assign(weights[1])

    def train_step(self):
        self.kernel.assign(self.kernel.numpy() + 1)
        self.bias.assign(self.bias.numpy() - 1)
        self.optimizer.iterations.assign(self.optimizer.iterations.numpy() + 1)
        self.optimizer.momentum.assign(self.optimizer.momentum.numpy() + 0.5)

    def save_weights(self, path):
        with open(path, "wb") as f:
            f.write(b"weights")
        self.saved.append(("save_weights", path))

    def save(self, path):
        with open(path, "wb") as f:
            f.write(b"model")
        self.saved.append(("save", path))


def fit(model, cbs, epoch_logs, epochs=None, batch_logs=None, verbose=0, steps=STEPS,
        val_logs=None):
    """Call the hooks as fit does; `epoch_logs(epoch)` / `batch_logs(epoch, batch)` give logs.

    With `val_logs(epoch)`, a one-batch validation runs before each epoch's end.

    Returns the History. Resumes at `model._initial_epoch` if a callback set it.
    """
    epochs = epochs if epochs is not None else 5
    model._initial_epoch = 0
    model.stop_training = False
    cl = callbacks.CallbackList(cbs, add_history=True, add_progbar=verbose != 0, model=model,
                                verbose=verbose, epochs=epochs, steps=steps)
    cl.on_train_begin()
    for epoch in range(model._initial_epoch, epochs):
        cl.on_epoch_begin(epoch)
        for batch in range(steps):
            cl.on_train_batch_begin(batch)
            model.train_step()
            logs = batch_logs(epoch, batch) if batch_logs else {"loss": 1.0}
            cl.on_train_batch_end(batch, logs)
            if model.stop_training:
                break
        if val_logs is not None:
            cl.on_test_begin()
            cl.on_test_batch_begin(0)
            cl.on_test_batch_end(0, val_logs(epoch))
            cl.on_test_end(val_logs(epoch))
        cl.on_epoch_end(epoch, dict(epoch_logs(epoch)))
        if model.stop_training:
            break
    cl.on_train_end()
    return model.history


def losses(*values):
    return lambda epoch: {"loss": values[epoch]}


# -- Callback, CallbackList, History ----------------------------------------------------------


def test_callback_base_stores_params_and_model_and_forwards_batch_hooks():
    seen = []

    class Recorder(callbacks.Callback):
        def on_batch_begin(self, batch, logs=None):
            seen.append(("begin", batch))

        def on_batch_end(self, batch, logs=None):
            seen.append(("end", batch, logs))

    cb = Recorder()
    assert cb.params == {} and cb.model is None
    model = FakeModel()
    cb.set_model(model)
    cb.set_params({"epochs": 3})
    assert cb.model is model and cb.params == {"epochs": 3}
    cb.on_train_batch_begin(4)
    cb.on_train_batch_end(4, {"loss": 1.0})
    assert seen == [("begin", 4), ("end", 4, {"loss": 1.0})]
    for hook in ("on_epoch_begin", "on_epoch_end", "on_test_batch_begin", "on_test_batch_end",
                 "on_predict_batch_begin", "on_predict_batch_end"):
        getattr(cb, hook)(0, {})
    for hook in ("on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
                 "on_predict_begin", "on_predict_end"):
        getattr(cb, hook)({})


def test_callback_list_dispatches_in_order_and_adds_defaults_once():
    calls = []

    class Recorder(callbacks.Callback):
        def __init__(self, tag):
            super().__init__()
            self.tag = tag

        def on_epoch_end(self, epoch, logs=None):
            calls.append((self.tag, epoch, dict(logs)))

        def on_train_batch_end(self, batch, logs=None):
            calls.append((self.tag, "batch", batch, logs))

    model = FakeModel()
    history = callbacks.History()
    cl = callbacks.CallbackList([Recorder("a"), Recorder("b"), history], add_history=True,
                                add_progbar=True, model=model, verbose=0, epochs=2, steps=1)
    assert sum(isinstance(c, callbacks.History) for c in cl.callbacks) == 1
    assert sum(isinstance(c, callbacks.ProgbarLogger) for c in cl.callbacks) == 1
    assert model.history is history
    assert all(c.model is model for c in cl.callbacks)
    assert all(c.params == {"verbose": 0, "epochs": 2, "steps": 1} for c in cl.callbacks)

    cl.on_train_batch_end(0, {"loss": np.float32(0.5), "acc": np.array(1.0)})
    cl.on_epoch_end(0, {"loss": 0.25})
    assert calls[0][:3] == ("a", "batch", 0)
    batch_logs = calls[0][3]
    # Batch logs reach callbacks as plain floats in sorted order.
    assert list(batch_logs) == ["acc", "loss"]
    assert all(type(v) is float for v in batch_logs.values())
    assert calls[2:] == [("a", 0, {"loss": 0.25}), ("b", 0, {"loss": 0.25})]


def test_history_records_every_epoch():
    model = FakeModel()
    history = fit(model, [], lambda e: {"loss": 1.0 / (e + 1), "val_loss": 2.0 + e}, epochs=3)
    assert isinstance(history, callbacks.History)
    assert history.epoch == [0, 1, 2]
    assert history.history == {"loss": [1.0, 0.5, 1.0 / 3], "val_loss": [2.0, 3.0, 4.0]}
    assert history.params == {"verbose": 0, "epochs": 3, "steps": STEPS}
    assert history.model is model


# -- EarlyStopping ----------------------------------------------------------------------------


def test_early_stopping_patience():
    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="loss", patience=2)
    history = fit(model, [es], losses(1.0, 0.5, 0.6, 0.7, 0.1), epochs=5)
    # Best at epoch 1; epochs 2 and 3 do not improve, so training stops after epoch 3.
    assert history.epoch == [0, 1, 2, 3]
    assert es.stopped_epoch == 3 and es.best == 0.5


def test_early_stopping_min_delta_counts_small_gains_as_no_improvement():
    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=0.1)
    history = fit(model, [es], losses(1.0, 0.95, 0.92, 0.5, 0.4), epochs=5)
    assert history.epoch == [0, 1]

    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=0.01)
    history = fit(model, [es], losses(1.0, 0.95, 0.92, 0.5, 0.4), epochs=5)
    assert history.epoch == [0, 1, 2, 3, 4]


def test_early_stopping_restores_best_weights():
    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True,
                                 verbose=1)
    fit(model, [es], lambda e: {"val_loss": [0.9, 0.3, 0.5, 0.6, 0.1][e]}, epochs=5)
    # Training ran 4 epochs (weights at 4 * STEPS) but epoch 1's weights come back.
    assert es.best_epoch == 1
    np.testing.assert_allclose(model.get_weights()[0], np.full((2, 3), 2 * STEPS))
    np.testing.assert_allclose(model.get_weights()[1], np.full(3, -2 * STEPS))


def test_early_stopping_baseline():
    # The wait restarts only once the baseline is beaten, so a plateau above it stops
    # sooner than without a baseline.
    es = callbacks.EarlyStopping(monitor="loss", patience=2, baseline=0.1)
    assert fit(FakeModel(), [es], losses(1, 1, 1, 1, 1), epochs=5).epoch == [0, 1]
    es = callbacks.EarlyStopping(monitor="loss", patience=2)
    assert fit(FakeModel(), [es], losses(1, 1, 1, 1, 1), epochs=5).epoch == [0, 1, 2]

    es = callbacks.EarlyStopping(monitor="loss", patience=2, baseline=0.95)
    history = fit(FakeModel(), [es], losses(1.0, 0.9, 0.9, 0.9, 0.9), epochs=5)
    assert history.epoch == [0, 1, 2, 3]


def test_early_stopping_start_from_epoch_ignores_warm_up():
    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="loss", patience=0, start_from_epoch=3)
    history = fit(model, [es], losses(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), epochs=6)
    # Epochs 0-2 are not looked at; epoch 3 sets the best and epoch 4 fails to beat it.
    assert history.epoch == [0, 1, 2, 3, 4]

    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="loss", patience=0)
    history = fit(model, [es], losses(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), epochs=6)
    assert history.epoch == [0, 1]


def test_early_stopping_auto_mode_direction():
    model = FakeModel()
    es = callbacks.EarlyStopping(monitor="val_acc", patience=0)
    history = fit(model, [es], lambda e: {"val_acc": [0.5, 0.6, 0.55, 0.9][e]}, epochs=4)
    assert es.monitor_op is np.greater
    assert history.epoch == [0, 1, 2]

    es = callbacks.EarlyStopping(monitor="val_loss", patience=0)
    fit(FakeModel(), [es], lambda e: {"val_loss": 1.0}, epochs=2)
    assert es.monitor_op is np.less

    # A metric object's stated direction wins over the name.
    class Metric:
        name = "score"
        _direction = "up"

    model = FakeModel()
    model.metrics = [Metric()]
    es = callbacks.EarlyStopping(monitor="val_score", patience=0)
    fit(model, [es], lambda e: {"val_score": 1.0}, epochs=1)
    assert es.monitor_op is np.greater

    es = callbacks.EarlyStopping(monitor="mystery", patience=0)
    with pytest.raises(ValueError, match="mode='max'"):
        fit(FakeModel(), [es], lambda e: {"mystery": 1.0}, epochs=1)


def test_early_stopping_warns_when_monitor_missing():
    es = callbacks.EarlyStopping(monitor="val_loss")
    with pytest.warns(UserWarning, match="val_loss"):
        history = fit(FakeModel(), [es], losses(1.0, 2.0, 3.0), epochs=3)
    assert history.epoch == [0, 1, 2]


# -- ReduceLROnPlateau and LearningRateScheduler ----------------------------------------------


def test_reduce_lr_on_plateau_factor_and_patience():
    model = FakeModel(learning_rate=1.0)
    cb = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    history = fit(model, [cb], losses(1.0, 1.0, 1.0, 1.0, 1.0, 0.5), epochs=6)
    # Reductions after epochs 2 and 4 (two epochs without improvement each time).
    assert history.history["learning_rate"] == [1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    assert model.optimizer.learning_rate == 0.25


def test_reduce_lr_on_plateau_cooldown_and_min_lr():
    model = FakeModel(learning_rate=1.0)
    cb = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.1, patience=1, cooldown=2,
                                     min_lr=0.005)
    history = fit(model, [cb], lambda e: {"loss": 1.0}, epochs=8)
    # The rate logged for an epoch is the one it trained with. Reduce after epoch 1; the
    # cooldown counts down during epochs 2-3, so epoch 3 may reduce again, then epoch 5
    # hits min_lr, which epoch 7 keeps.
    lrs = history.history["learning_rate"]
    np.testing.assert_allclose(lrs, [1.0, 1.0, 0.1, 0.1, 0.01, 0.01, 0.005, 0.005])
    assert model.optimizer.learning_rate == pytest.approx(0.005)


def test_reduce_lr_on_plateau_rejects_factor_of_one():
    with pytest.raises(ValueError, match="factor"):
        callbacks.ReduceLROnPlateau(factor=1.0)


def test_learning_rate_scheduler_epoch_only_and_with_lr():
    model = FakeModel(learning_rate=1.0)
    sched = callbacks.LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1))
    history = fit(model, [sched], losses(1, 1, 1), epochs=3)
    np.testing.assert_allclose(history.history["learning_rate"], [0.1, 0.2, 0.3])

    model = FakeModel(learning_rate=1.0)

    def halve(epoch, lr):
        return lr if epoch == 0 else lr / 2

    history = fit(model, [callbacks.LearningRateScheduler(halve)], losses(1, 1, 1), epochs=3)
    assert history.history["learning_rate"] == [1.0, 0.5, 0.25]
    assert model.optimizer.learning_rate == 0.25


def test_learning_rate_scheduler_needs_a_float():
    sched = callbacks.LearningRateScheduler(lambda epoch: "fast")
    with pytest.raises(ValueError, match="float"):
        fit(FakeModel(), [sched], losses(1), epochs=1)


# -- CSVLogger, TerminateOnNaN, LambdaCallback ------------------------------------------------


def read_rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_csv_logger_writes_sorted_columns_and_appends(tmp_path):
    path = tmp_path / "log.csv"
    logs = lambda e: {"loss": 1.0 / (e + 1), "acc": 0.5 + e / 10, "val_loss": 2.0}  # noqa: E731
    fit(FakeModel(), [callbacks.CSVLogger(path)], logs, epochs=2)
    assert read_rows(path) == [["epoch", "acc", "loss", "val_loss"],
                               ["0", "0.5", "1.0", "2.0"], ["1", "0.6", "0.5", "2.0"]]

    fit(FakeModel(), [callbacks.CSVLogger(path, append=True)], logs, epochs=1)
    rows = read_rows(path)
    assert len(rows) == 4 and rows[3] == ["0", "0.5", "1.0", "2.0"]  # no second header

    fit(FakeModel(), [callbacks.CSVLogger(path)], logs, epochs=1)
    assert len(read_rows(path)) == 2  # append=False starts over


def test_csv_logger_reserves_validation_columns_and_separator(tmp_path):
    path = tmp_path / "log.tsv"
    fit(FakeModel(), [callbacks.CSVLogger(str(path), separator="\t")],
        lambda e: {"loss": 0.25}, epochs=1)
    assert path.read_text().splitlines() == ["epoch\tloss\tval_loss", "0\t0.25\tNA"]


def test_terminate_on_nan_stops_at_the_bad_batch():
    model = FakeModel()
    history = fit(model, [callbacks.TerminateOnNaN()], losses(1, 1, 1), epochs=3,
                  batch_logs=lambda e, b: {"loss": math.nan if (e, b) == (1, 0) else 1.0})
    assert model.stop_training is True
    assert history.epoch == [0, 1]
    # Epoch 1 stopped after its first step.
    np.testing.assert_allclose(model.get_weights()[0], np.full((2, 3), STEPS + 1))

    model = FakeModel()
    history = fit(model, [callbacks.TerminateOnNaN()], losses(1, 1, 1), epochs=3,
                  batch_logs=lambda e, b: {"loss": math.inf})
    assert history.epoch == [0]

    history = fit(FakeModel(), [callbacks.TerminateOnNaN()], losses(1, 1, 1), epochs=3)
    assert history.epoch == [0, 1, 2]


def test_terminate_on_nan_raise_error_skips_train_end():
    ended = []
    watcher = callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(True))
    with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch 0"):
        fit(FakeModel(), [callbacks.TerminateOnNaN(raise_error=True), watcher], losses(1, 1, 1),
            epochs=3, batch_logs=lambda e, b: {"loss": math.nan if (e, b) == (1, 0) else 1.0})
    assert ended == []


def test_lambda_callback_calls_given_functions():
    calls = []
    cb = callbacks.LambdaCallback(
        on_train_begin=lambda logs: calls.append("train_begin"),
        on_epoch_begin=lambda epoch, logs: calls.append(("epoch_begin", epoch)),
        on_epoch_end=lambda epoch, logs: calls.append(("epoch_end", epoch, logs["loss"])),
        on_train_batch_end=lambda batch, logs: calls.append(("batch_end", batch)),
        on_train_end=lambda logs: calls.append("train_end"),
        on_test_begin=lambda logs: calls.append("test_begin"),
    )
    fit(FakeModel(), [cb], losses(0.5), epochs=1)
    assert calls == ["train_begin", ("epoch_begin", 0), ("batch_end", 0), ("batch_end", 1),
                     ("epoch_end", 0, 0.5), "train_end"]
    cb.on_test_begin({})
    assert calls[-1] == "test_begin"


# -- ModelCheckpoint --------------------------------------------------------------------------


def test_model_checkpoint_formats_file_names(tmp_path):
    model = FakeModel()
    pattern = str(tmp_path / "ckpt" / "w-{epoch:02d}-{val_loss:.2f}.weights.h5")
    cb = callbacks.ModelCheckpoint(pattern, save_weights_only=True)
    fit(model, [cb], lambda e: {"val_loss": [0.5, 0.25, 0.75][e]}, epochs=3)
    names = [os.path.basename(p) for _, p in model.saved]
    assert names == ["w-01-0.50.weights.h5", "w-02-0.25.weights.h5", "w-03-0.75.weights.h5"]
    assert {m for m, _ in model.saved} == {"save_weights"}
    assert sorted(os.listdir(tmp_path / "ckpt")) == names


def test_model_checkpoint_save_best_only(tmp_path):
    model = FakeModel()
    path = str(tmp_path / "best-{epoch}.keras")
    cb = callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True, verbose=1)
    fit(model, [cb], lambda e: {"val_loss": [0.5, 0.7, 0.2, 0.3][e]}, epochs=4)
    assert model.saved == [("save", str(tmp_path / "best-1.keras")),
                           ("save", str(tmp_path / "best-3.keras"))]
    assert cb.best == 0.2

    model = FakeModel()
    cb = callbacks.ModelCheckpoint(str(tmp_path / "acc.keras"), monitor="val_acc",
                                   save_best_only=True, initial_value_threshold=0.6)
    fit(model, [cb], lambda e: {"val_acc": [0.5, 0.7, 0.65][e]}, epochs=3)
    assert len(model.saved) == 1  # only epoch 1 beats the threshold


def test_model_checkpoint_batch_frequency(tmp_path):
    model = FakeModel()
    cb = callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.weights.h5"),
                                   save_weights_only=True, save_freq=3)
    fit(model, [cb], losses(1, 1, 1), epochs=3, steps=STEPS)
    # Six batches in all: saves after the third and the sixth.
    assert [os.path.basename(p) for _, p in model.saved] == ["e2-b1.weights.h5",
                                                            "e3-b2.weights.h5"]


def test_model_checkpoint_validates_arguments(tmp_path):
    with pytest.raises(ValueError, match=r"\.weights\.h5"):
        callbacks.ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    with pytest.raises(ValueError, match=r"\.keras"):
        callbacks.ModelCheckpoint(str(tmp_path / "model.h5"))
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="often")
    cb = callbacks.ModelCheckpoint(str(tmp_path / "{missing}.keras"))
    with pytest.raises(KeyError, match="missing"):
        fit(FakeModel(), [cb], losses(1), epochs=1)


# -- Progbar and ProgbarLogger ----------------------------------------------------------------

STEP_TIME = r"\d+(us|ms|s)/step"


def test_progbar_verbose_1_prints_the_keras_line(capsys):
    bar = Progbar(3)
    for step in (1, 2, 3):
        bar.update(step, [("loss", 0.5), ("acc", 0.25)])
    out = capsys.readouterr().out
    # Off a terminal, only the finished line is printed.
    assert re.fullmatch(rf"3/3 ━{{20}} \d+s {STEP_TIME} - loss: 0\.5000 - acc: 0\.2500\n", out)


def test_progbar_verbose_2_prints_one_summary_line(capsys):
    bar = Progbar(12, verbose=2)
    for step in range(1, 13):
        bar.update(step, [("loss", 1e-5)])
    out = capsys.readouterr().out
    assert re.fullmatch(rf"12/12 - \d+s - {STEP_TIME} - loss: 1\.0000e-05\n", out)


def test_progbar_verbose_0_is_silent(capsys):
    bar = Progbar(3, verbose=0)
    for step in (1, 2, 3):
        bar.update(step, [("loss", 0.5)])
    bar.add(1)
    assert capsys.readouterr().out == ""


def test_progbar_redraws_in_place_and_averages_on_a_terminal(capsys, monkeypatch):
    monkeypatch.setattr(progbar_module, "_interactive", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    bar = Progbar(4, interval=0, stateful_metrics=["lr"])
    bar.update(1, [("loss", 1.0), ("lr", 0.1)])
    bar.add(1, [("loss", 3.0), ("lr", 0.2)])
    out = capsys.readouterr().out
    plain = re.sub(r"\x1b\[\d+m", "", out)
    lines = plain.split("\r")[1:]
    assert len(lines) == 2 and "\n" not in out
    assert re.fullmatch(rf"1/4 ━{{20}} \d+s {STEP_TIME} - loss: 1\.0000 - lr: 0\.1000 *",
                        lines[0])
    # Unlisted values are averaged over steps; stateful ones are shown as given.
    assert re.fullmatch(rf"2/4 ━{{20}} \d+s {STEP_TIME} - loss: 2\.0000 - lr: 0\.2000 *",
                        lines[1])
    assert "\x1b[32m" + "━" * 10 + "\x1b[0m" in out  # half the bar is done
    bar.update(4, [("loss", 0.125)])
    final = re.sub(r"\x1b\[\d+m", "", capsys.readouterr().out)
    assert re.fullmatch(rf"\r4/4 ━{{20}} \d+s {STEP_TIME} - loss: 0\.1250 - lr: 0\.2000 *\n",
                        final)


def test_progbar_unknown_target(capsys):
    bar = Progbar(None)
    bar.update(5, [("loss", 0.5)], finalize=True)
    assert re.fullmatch(rf" +5/Unknown \d+s {STEP_TIME} - loss: 0\.5000\n",
                        capsys.readouterr().out)


def test_progbar_logger_in_fit(capsys):
    logs = lambda e: {"loss": 0.5, "val_loss": 0.25}  # noqa: E731
    fit(FakeModel(), [], logs, epochs=2, verbose=1,
        batch_logs=lambda e, b: {"loss": 0.5, "acc": 1.0})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2" and len(lines) == 4
    # Batch logs come sorted; values seen only at epoch end follow.
    assert re.fullmatch(rf"2/2 ━{{20}} \d+s {STEP_TIME} - acc: 1\.0000 - loss: 0\.5000 - "
                        r"val_loss: 0\.2500", lines[1])

    fit(FakeModel(), [], logs, epochs=2, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and len(lines) == 4
    assert re.fullmatch(rf"2/2 - \d+s - {STEP_TIME} - loss: 0\.5000 - val_loss: 0\.2500",
                        lines[3])

    fit(FakeModel(), [], logs, epochs=1, verbose=1, steps=3)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("3/3 ")  # one epoch: no "Epoch" line

    fit(FakeModel(), [], logs, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""


def test_progbar_logger_evaluate_and_predict_with_unknown_steps(capsys):
    logger = callbacks.ProgbarLogger()
    cl = callbacks.CallbackList([logger], model=FakeModel(), verbose=1, epochs=1, steps=None)
    cl.on_test_begin()
    for batch in range(3):
        cl.on_test_batch_end(batch, {"loss": 0.5})
    cl.on_test_end({"loss": 0.5})
    cl.on_predict_begin()
    for batch in range(3):
        cl.on_predict_batch_end(batch, {"outputs": np.zeros((2, 2))})
    cl.on_predict_end()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"3/3 ━{{20}} \d+s {STEP_TIME} - loss: 0\.5000", lines[0])
    assert re.fullmatch(rf"3/3 ━{{20}} \d+s {STEP_TIME}", lines[1])


# -- TensorBoard ------------------------------------------------------------------------------


def test_tensorboard_writes_readable_event_files(tmp_path):
    pytest.importorskip("tensorboardX")
    log_dir = tmp_path / "logs"
    tb = callbacks.TensorBoard(log_dir=str(log_dir), histogram_freq=1, update_freq="batch",
                               write_images=True, write_steps_per_second=True)
    model = FakeModel(learning_rate=0.01)
    fit(model, [tb], lambda e: {"loss": 1.0 / (e + 1), "val_loss": 2.0 / (e + 1)}, epochs=3,
        batch_logs=lambda e, b: {"loss": float(10 * e + b)},
        val_logs=lambda e: {"loss": 2.0 / (e + 1)})
    tb.on_test_end({"loss": 0.5})  # an evaluate() after fit: a new file, read along the others

    for run in ("train", "validation"):
        files = os.listdir(log_dir / run)
        assert files and all(f.startswith("events.out.tfevents") for f in files)
        assert all(os.path.getsize(log_dir / run / f) > 0 for f in files)

    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    train = accumulator.EventAccumulator(str(log_dir / "train"), size_guidance={
        accumulator.SCALARS: 0, accumulator.HISTOGRAMS: 0, accumulator.IMAGES: 0})
    train.Reload()

    def scalars(acc, tag):
        return [(e.step, round(e.value, 6)) for e in acc.Scalars(tag)]

    tags = train.Tags()
    assert scalars(train, "epoch_loss") == [(0, 1.0), (1, 0.5), (2, round(1 / 3, 6))]
    assert scalars(train, "epoch_learning_rate") == [(0, 0.01), (1, 0.01), (2, 0.01)]
    assert scalars(train, "batch_loss") == [(1, 0), (2, 1), (3, 10), (4, 11), (5, 20), (6, 21)]
    assert "epoch_steps_per_second" in tags["scalars"]
    assert "batch_steps_per_second" in tags["scalars"]
    assert {"dense/kernel/histogram", "dense/bias/histogram"} <= set(tags["histograms"])
    last_kernel = train.Histograms("dense/kernel/histogram")[-1]
    assert last_kernel.step == 2 and last_kernel.histogram_value.num == 6
    assert last_kernel.histogram_value.min == last_kernel.histogram_value.max == 3 * STEPS
    assert "dense/kernel/image" in tags["images"]

    val = accumulator.EventAccumulator(str(log_dir / "validation"))
    val.Reload()
    assert scalars(val, "epoch_loss") == [(0, 2.0), (1, 1.0), (2, round(2 / 3, 6))]
    assert scalars(val, "evaluation_loss_vs_iterations") == [
        (STEPS, 2.0), (2 * STEPS, 1.0), (3 * STEPS, round(2 / 3, 6)), (3 * STEPS, 0.5)]


def test_tensorboard_epoch_only_without_validation(tmp_path):
    pytest.importorskip("tensorboardX")
    log_dir = tmp_path / "logs"
    fit(FakeModel(), [callbacks.TensorBoard(log_dir=log_dir)], losses(1.0, 0.5), epochs=2)
    assert os.listdir(log_dir) == ["train"]  # no empty validation run
    accumulator = pytest.importorskip(
        "tensorboard.backend.event_processing.event_accumulator")
    train = accumulator.EventAccumulator(str(log_dir / "train"))
    train.Reload()
    assert not any(tag.startswith("batch_") for tag in train.Tags()["scalars"])
    assert [e.value for e in train.Scalars("epoch_loss")] == [1.0, 0.5]

    with pytest.raises(ValueError, match="update_freq"):
        callbacks.TensorBoard(log_dir=log_dir, update_freq="often")
