"""Compile state across libraries (`nox -s interop`; needs keras==3.15.1 beside keraslite, both on
jax): a compiled model saved by one of keraslite and Keras 3 is loaded with compile=True by the
other, which must rebuild every built-in loss, metric, optimizer and learning-rate schedule as
the same class with the same config, computing the same values. The case tables are those of
tests/test_saving_compile.py (the per-backend round trips).
"""

import json
import os
import pathlib
import sys
import zipfile

os.environ["KERAS_BACKEND"] = os.environ["KERASLITE_BACKEND"] = "jax"

import keras  # noqa: E402, TID251  (the reference peer)
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from keras.src.losses import LossFunctionWrapper as KerasLossFunctionWrapper  # noqa: E402, TID251

import keraslite  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from test_saving_compile import (  # noqa: E402
    LOSSES,
    METRICS,
    OPTIMIZERS,
    SCHEDULES,
    _schedule_id,
    data,
    make_optimizer,
)

LIBS = {"keras": keras, "keraslite": keraslite}
DIRECTIONS = ["keraslite->keras", "keras->keraslite"]
# Keras 3.15's CosineSimilarity metric config leaves out `axis` (keraslite keeps it, which Keras
# reads): a file written by Keras reloads with the default axis, so the key is not compared.
UNSAVED_BY_KERAS = {"CosineSimilarity": {"axis"}}


def libs(direction):
    return [LIBS[n] for n in direction.split("->")]


def np_(lib, x):
    return np.asarray(lib.ops.convert_to_numpy(x))


def as_json(obj):
    return json.loads(json.dumps(obj, default=float))  # Keras keeps numpy floats in configs


def unshared(config):
    """A compile config without the ids Keras tags objects used twice with (keraslite reads
    such configs but rebuilds one object per occurrence and writes no ids)."""
    if isinstance(config, dict):
        return {k: unshared(v) for k, v in config.items() if k != "shared_object_id"}
    if isinstance(config, list):
        return [unshared(v) for v in config]
    return config


def _with_lib_functions(module, kwargs):
    """The same kwargs with functions taken from `module` (keras' or keraslite's)."""
    return {k: getattr(module, v.__name__) if callable(v) else v for k, v in kwargs.items()}


def make_loss(lib, name, kwargs):
    cls = (KerasLossFunctionWrapper if lib is keras and name == "LossFunctionWrapper"
           else getattr(lib.losses, name))
    return cls(**_with_lib_functions(lib.losses, kwargs))


def make_metric(lib, name, kwargs):
    return getattr(lib.metrics, name)(**_with_lib_functions(lib.metrics, kwargs))


def tiny_model(lib):
    return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3)])


def save_and_load(model, reader, path):
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        stored = json.loads(archive.read("config.json"))["compile_config"]
    return reader.models.load_model(path, compile=True), stored


def _config(obj, name):
    config = as_json(obj.get_config())
    for key in UNSAVED_BY_KERAS.get(name, ()):
        config.pop(key, None)
    return config


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss(name, direction, tmp_path):
    writer, reader = libs(direction)
    kwargs, kind = LOSSES[name]
    loss = make_loss(writer, name, kwargs)
    model = tiny_model(writer)
    model.compile(optimizer="sgd", loss=loss)
    loaded, _ = save_and_load(model, reader, tmp_path / "m.keras")
    assert type(loaded.loss).__name__ == name
    assert type(loaded.loss) is type(make_loss(reader, name, kwargs))
    assert as_json(loaded.loss.get_config()) == as_json(loss.get_config())
    y_true, y_pred = data(kind)
    np.testing.assert_allclose(np_(reader, loaded.loss(y_true, y_pred)),
                               np_(writer, loss(y_true, y_pred)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("name", sorted(METRICS))
def test_metric(name, direction, tmp_path):
    writer, reader = libs(direction)
    kwargs, kind = METRICS[name]
    metric = make_metric(writer, name, kwargs)
    model = tiny_model(writer)
    model.compile(optimizer="sgd", loss="mse", metrics=[metric])
    loaded, stored = save_and_load(model, reader, tmp_path / "m.keras")
    (entry,) = loaded.get_compile_config()["metrics"]  # what the reader compiled with
    assert entry["class_name"] == name
    assert type(reader.metrics.deserialize(entry)) is getattr(reader.metrics, name)
    assert _config(reader.metrics.deserialize(entry), name) == _config(metric, name)
    # values from the file's entry, as compile_from_config revives it (re-serializing by
    # Keras would drop what its config leaves out)
    again = reader.metrics.deserialize(stored["metrics"][0])
    args = data(kind)[:1] if kind == "values" else data(kind)
    metric.update_state(*args)
    again.update_state(*args)
    want = np_(writer, metric.result())
    if name == "CosineSimilarity" and reader is keraslite:
        # Keras did not save axis=0: the reloaded metric reduces over the default axis
        assert again.get_config()["axis"] == -1
        return
    np.testing.assert_allclose(np_(reader, again.result()), want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("case_id", sorted(OPTIMIZERS))
def test_optimizer(case_id, direction, tmp_path):
    writer, reader = libs(direction)
    class_name, kwargs = OPTIMIZERS[case_id]
    opt = make_optimizer(writer, class_name, kwargs)
    model = tiny_model(writer)
    model.compile(optimizer=opt, loss="mse")
    loaded, stored = save_and_load(model, reader, tmp_path / "m.keras")
    assert stored["optimizer"]["class_name"] == class_name
    assert type(loaded.optimizer) is getattr(reader.optimizers, class_name)
    assert as_json(loaded.optimizer.get_config()) == as_json(opt.get_config())
    if class_name != "MultiOptimizer":  # which has no single learning rate
        # as float32: in one process with keraslite, jax runs with x64 on and Keras' schedules
        # then compute in float64
        assert np_(reader, loaded.optimizer.learning_rate).astype("float32") == np_(
            writer, opt.learning_rate).astype("float32")
    # the state created before saving comes back in order (the files hold it by position;
    # slot names differ since Keras 3.15 puts the model's name in a layer variable's path)
    want = [np_(writer, v).tolist() for v in opt.variables]
    assert [np_(reader, v).tolist() for v in loaded.optimizer.variables] == want


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("spec", SCHEDULES, ids=_schedule_id)
def test_schedule(spec, direction, tmp_path):
    writer, reader = libs(direction)
    schedule = writer.optimizers.schedules.deserialize(spec)
    opt = writer.optimizers.Adam(learning_rate=schedule)
    model = tiny_model(writer)
    model.compile(optimizer=opt, loss="mse")
    loaded, _ = save_and_load(model, reader, tmp_path / "m.keras")
    config = as_json(loaded.optimizer.get_config())
    assert config == as_json(opt.get_config())
    revived = reader.optimizers.schedules.deserialize(config["learning_rate"])
    assert type(revived) is getattr(reader.optimizers.schedules, spec["class_name"])
    assert as_json(revived.get_config()) == as_json(schedule.get_config())
    for step in (0, 3, 7):
        loaded.optimizer.iterations.assign(step)
        np.testing.assert_allclose(float(np_(reader, loaded.optimizer.learning_rate)),
                                   float(np_(writer, schedule(step))), rtol=1e-6, atol=1e-9)


# ------------------------------------------------------------------------------ structures

X = np.random.default_rng(1).normal(size=(8, 4)).astype("float32")
Y_REG = np.linspace(-1, 1, 8, dtype="float32")[:, None]


def two_outputs(lib, as_dict):
    x = lib.Input((4,), name="x")
    a = lib.layers.Dense(3, activation="softmax", name="a")(x)
    b = lib.layers.Dense(1, name="b")(x)
    return lib.Model(x, {"a": a, "b": b} if as_dict else [a, b])


STRUCTURES = {
    "aliases": (lambda lib: tiny_model(lib), lambda lib: dict(
        optimizer="adam", loss="mse", metrics=["accuracy", "mae", "acc"]),
        lambda: data("dense")[0]),
    "sparse_aliases": (lambda lib: tiny_model(lib), lambda lib: dict(
        optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"],
        weighted_metrics=["sparse_categorical_crossentropy"]), lambda: data("labels")[0]),
    "functions": (lambda lib: tiny_model(lib), lambda lib: dict(
        optimizer="rmsprop", loss=lib.losses.categorical_crossentropy,
        metrics=[lib.metrics.categorical_accuracy, lib.metrics.mean_absolute_error,
                 lib.metrics.MeanMetricWrapper(lib.metrics.huber, name="h", delta=0.5)]),
        lambda: data("dense")[0]),
    "dict": (lambda lib: two_outputs(lib, True), lambda lib: dict(
        optimizer=lib.optimizers.Adam(0.01),
        loss={"a": "sparse_categorical_crossentropy", "b": lib.losses.LogCosh()},
        loss_weights={"a": 0.5, "b": 2.0},
        metrics={"a": ["accuracy", lib.metrics.SparseTopKCategoricalAccuracy(k=2)],
                 "b": [lib.metrics.MeanAbsoluteError(), lib.metrics.mean_squared_error]},
        weighted_metrics={"b": ["mse"]}), lambda: {"a": data("labels")[0], "b": Y_REG}),
    "list": (lambda lib: two_outputs(lib, False), lambda lib: dict(
        optimizer="rmsprop",
        loss=[lib.losses.SparseCategoricalCrossentropy(), lib.losses.mean_absolute_error],
        loss_weights=[1.0, 0.25],
        metrics=[["acc"], [lib.metrics.RootMeanSquaredError(),
                           lib.metrics.mean_absolute_error]]),
        lambda: [data("labels")[0], Y_REG]),
}


@pytest.mark.parametrize("direction", DIRECTIONS)
@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_structure(name, direction, tmp_path):
    writer, reader = libs(direction)
    build, compile_args, targets = STRUCTURES[name]
    model = build(writer)
    model.compile(**compile_args(writer), run_eagerly=True)
    loaded, stored = save_and_load(model, reader, tmp_path / "m.keras")
    config, stored = unshared(as_json(loaded.get_compile_config())), unshared(stored)
    for key in ("loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly"):
        assert config[key] == stored[key], key
    want = model.evaluate(X, targets(), verbose=0, return_dict=True)
    got = loaded.evaluate(X, targets(), verbose=0, return_dict=True)
    assert sorted(got) == sorted(want)
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-5, err_msg=key)


@pytest.mark.parametrize("direction", DIRECTIONS)
def test_compile_options(direction, tmp_path):
    writer, reader = libs(direction)
    model = tiny_model(writer)
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True, steps_per_execution=3,
                  jit_compile=False)
    loaded, _ = save_and_load(model, reader, tmp_path / "m.keras")
    assert (loaded.run_eagerly, loaded.steps_per_execution, loaded.jit_compile) == (
        True, 3, False)


def test_keras_resolved_jit_compile_is_left_to_keraslite(tmp_path):
    # Keras saves "auto" resolved (True on jax); keraslite takes it as "auto" again
    model = tiny_model(keras)
    model.compile(optimizer="sgd", loss="mse")
    loaded, stored = save_and_load(model, keraslite, tmp_path / "m.keras")
    assert stored["jit_compile"] is True
    assert loaded.jit_compile == "auto"


@pytest.mark.parametrize("name, kwargs", [("Huber", {"delta": 0.3}),
                                          ("CosineSimilarity", {"axis": 0})])
def test_arguments_keras_leaves_out_reach_keras(name, kwargs, tmp_path):
    """Keras 3.15 drops these from its own configs; keraslite writes them and Keras uses them."""
    loss = make_loss(keraslite, name, kwargs)
    model = tiny_model(keraslite)
    model.compile(optimizer="sgd", loss=loss)
    loaded, _ = save_and_load(model, keras, tmp_path / "m.keras")
    y_true, y_pred = data("dense")
    np.testing.assert_allclose(np_(keras, loaded.loss(y_true, y_pred)),
                               np_(keraslite, loss(y_true, y_pred)), rtol=1e-5, atol=1e-6)
