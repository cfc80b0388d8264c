"""Bounded fuzzing of model files (hypothesis, derandomized so CI runs the same examples): bytes
of a `.keras` archive, of the HDF5 weights inside a valid archive, and of a `.weights.h5` file
are mutated; loading must either succeed or raise one of keraslite's documented errors
(ValueError, which CorruptFileError and UnsafeFileError are, or TypeError for a config value of
the wrong type), never a raw crash from zipfile, h5py or json.
"""

import io
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import keraslite as keras
from keraslite import layers

DOCUMENTED = (ValueError, TypeError)
FUZZ = settings(max_examples=40, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _model():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(4, activation="relu"),
                              layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    return model


class _Files(tuple):
    def __repr__(self):  # hypothesis prints the fixture with each failing example
        return "<saved files>"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    model = _model()
    model.save(directory / "m.keras")
    model.save_weights(directory / "m.weights.h5")
    with zipfile.ZipFile(directory / "m.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return _Files((directory, (directory / "m.keras").read_bytes(), members,
                   (directory / "m.weights.h5").read_bytes()))


mutations = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)),
                     min_size=1, max_size=8)


def _mutate(data, changes, cut):
    data = bytearray(data)
    for where, value in changes:
        data[int(where * len(data))] = value
    return bytes(data[: max(1, int(cut * len(data)))])


def _load(path, **kwargs):
    try:
        keras.models.load_model(path, **kwargs)
    except DOCUMENTED:
        pass


@FUZZ
@given(changes=mutations, cut=st.sampled_from([1.0, 1.0, 0.9, 0.5]))
def test_mutated_archives(files, changes, cut):
    directory, data, _, _ = files
    path = directory / "mutated.keras"
    path.write_bytes(_mutate(data, changes, cut))
    _load(path)


@FUZZ
@given(changes=mutations, member=st.sampled_from(["config.json", "model.weights.h5"]))
def test_mutated_members_in_a_valid_archive(files, changes, member):
    directory, _, members, _ = files
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, _mutate(data, changes, 1.0) if name == member else data)
    path = directory / "member.keras"
    path.write_bytes(buffer.getvalue())
    _load(path)


@FUZZ
@given(changes=mutations, cut=st.sampled_from([1.0, 1.0, 0.7]))
def test_mutated_weights_files(files, changes, cut):
    directory, _, _, weights = files
    path = directory / "mutated.weights.h5"
    path.write_bytes(_mutate(weights, changes, cut))
    model = _model()
    try:
        model.load_weights(path)
    except DOCUMENTED:
        pass
