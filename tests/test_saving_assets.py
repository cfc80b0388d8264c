"""Assets in .keras files: files a layer writes with save_assets() are stored under
assets/<its path in the weights file>/ (Keras 3's layout) and handed back to load_assets();
archive members that would land outside the assets directory are never written."""

import os
import stat
import zipfile

import numpy as np
import pytest

import keraslite as keras
from keraslite import layers, ops


@keras.saving.register_keras_serializable(package="test_assets")
class Vocabulary(layers.Layer):
    """Scales its input by the size of a vocabulary that only the assets carry."""

    def __init__(self, words=(), **kwargs):
        super().__init__(**kwargs)
        self.words = list(words)
        self.loaded_from = None

    def call(self, x):
        return ops.multiply(x, float(len(self.words)))

    def save_assets(self, dirpath):
        with open(os.path.join(dirpath, "vocab.txt"), "w") as f:
            f.write("\n".join(self.words))

    def load_assets(self, dirpath):
        self.loaded_from = dirpath
        with open(os.path.join(dirpath, "vocab.txt")) as f:
            self.words = f.read().split("\n")


def _model():
    inputs = keras.Input((2,))
    inner = keras.Sequential([keras.Input((2,)), Vocabulary(["x", "y"], name="inner_vocab")],
                             name="inner")
    outputs = inner(Vocabulary(["a", "b", "c"], name="vocab")(inputs))
    return keras.Model(inputs, outputs)


def test_assets_round_trip_in_keras_layout(tmp_path):
    model = _model()
    x = np.ones((3, 2), "float32")
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("assets/"))
        # the paths Keras 3.15 writes for this model (checked against it in tests/interop)
        assert names == ["assets/layers/sequential/layers/vocabulary/vocab.txt",
                         "assets/layers/vocabulary/vocab.txt"]
        assert archive.read("assets/layers/vocabulary/vocab.txt") == b"a\nb\nc"
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert loaded.get_layer("vocab").words == ["a", "b", "c"]
    assert loaded.get_layer("inner").get_layer("inner_vocab").words == ["x", "y"]
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert not os.path.exists(loaded.get_layer("vocab").loaded_from)  # extracted, then removed


def test_no_assets_means_no_assets_members_and_no_load_call(tmp_path):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.save(tmp_path / "plain.keras")
    with zipfile.ZipFile(tmp_path / "plain.keras") as archive:
        assert not [n for n in archive.namelist() if n.startswith("assets")]


def _rewrite(src, dst, extra):
    with zipfile.ZipFile(src) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    with zipfile.ZipFile(dst, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for info, data in extra:
            archive.writestr(info, data)
    return dst


def test_members_outside_the_assets_directory_are_never_written(tmp_path):
    _model().save(tmp_path / "m.keras")
    work = tmp_path / "work"
    work.mkdir()
    link = zipfile.ZipInfo("assets/layers/vocabulary/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    evil = [("assets/../../escaped.txt", b"x"), ("assets/layers/../../../escaped.txt", b"x"),
            (f"assets//{tmp_path}/escaped.txt", b"x"), ("assets\\..\\escaped.txt", b"x"),
            (link, str(tmp_path / "escaped.txt").encode())]
    path = _rewrite(tmp_path / "m.keras", work / "bad.keras", evil)
    before = sorted(os.listdir(tmp_path))
    with pytest.warns(UserWarning, match="Skipping the archive member"):
        loaded = keras.models.load_model(path)
    assert loaded.get_layer("vocab").words == ["a", "b", "c"]
    assert sorted(os.listdir(tmp_path)) == before
    assert not (tmp_path / "escaped.txt").exists() and os.listdir(work) == ["bad.keras"]
