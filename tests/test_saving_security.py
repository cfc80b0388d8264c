"""Loading a file is not running its code: Keras 3's published advisories, rebuilt against
keraslite, each one refused. One test per advisory (the name says which); the files are built
here from a harmless saved model. A marker file stands for the attacker's payload: no test may
ever create it.

- CVE-2024-3660: a Lambda layer carrying Python bytecode (refused in the default safe mode).
- CVE-2025-1550: config.json naming arbitrary modules and callables (os.system...).
- CVE-2025-8747: a config reaching a file-downloading utility (keras.utils.get_file).
- CVE-2025-9906: a config switching safe mode off (keras.config.enable_unsafe_deserialization).
- CVE-2025-9905: a legacy HDF5 model file with a Lambda (safe mode ignored by Keras' h5 path).
- CVE-2025-12058: a lookup layer whose vocabulary is a path outside the archive.
- CVE-2025-12060: archive members with paths escaping the extraction directory.
- CVE-2026-0897: an HDF5 dataset declaring a huge shape (unbounded allocation on read).
- CVE-2026-1462: a TFSMLayer config loading an external SavedModel (code execution).
HDF5 external links and virtual / external-storage datasets are refused by
tests/test_saving_weights.py; decompression bombs and truncated files by
tests/test_saving_model.py.
"""

import io
import json
import os
import zipfile

import h5py
import numpy as np
import pytest

import keraslite as keras
from keraslite import layers
from keraslite.saving.saving_lib import UnsafeFileError


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / "PWNED"
    yield path
    assert not path.exists(), "a payload ran"


def _saved(tmp_path):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1, name="dense")])
    model.save(tmp_path / "ok.keras")
    with zipfile.ZipFile(tmp_path / "ok.keras") as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return members, json.loads(members["config.json"])


def _write(path, members):
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _with_layer(tmp_path, layer_entry, name="bad.keras"):
    members, config = _saved(tmp_path)
    config["config"]["layers"].append(layer_entry)
    members["config.json"] = json.dumps(config)
    return _write(tmp_path / name, members)


def _lambda_entry(code_of):
    """A Lambda layer config holding marshalled bytecode, as Keras writes it."""
    import base64
    import marshal

    return {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
            "config": {"name": "evil", "trainable": True, "dtype": "float32",
                       "function": {"class_name": "__lambda__", "config": {
                           "code": base64.b64encode(marshal.dumps(code_of.__code__)).decode(),
                           "defaults": None, "closure": None}},
                       "arguments": {}}}


def test_cve_2024_3660_lambda_bytecode_refused_in_safe_mode(tmp_path, marker):
    path = str(marker)
    payload = _lambda_entry(lambda x: (open(path, "w").close(), x)[1])  # noqa: SIM115
    payload["config"]["function"]["config"]["defaults"] = None
    bad = _with_layer(tmp_path, payload)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(bad)
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(bad, safe_mode=True)


@pytest.mark.parametrize("entry", [
    {"module": "os", "class_name": "system", "config": {"command": "touch PWNED"}},
    {"module": "builtins", "class_name": "function", "config": "exec", "registered_name": "exec"},
    {"module": "subprocess", "class_name": "Popen", "config": {"args": ["touch", "PWNED"]}},
    {"module": "keras.layers", "class_name": "system", "registered_name": "os>system",
     "config": {"command": "touch PWNED"}},
])
def test_cve_2025_1550_arbitrary_modules_and_callables_refused(tmp_path, marker, entry):
    with pytest.raises(ValueError, match="Unknown"):
        keras.models.load_model(_with_layer(tmp_path, {**entry, "name": "x"}))


@pytest.mark.parametrize("function", [
    {"module": "keras.utils", "class_name": "function", "config": "get_file",
     "registered_name": "get_file"},
    {"module": "keras.config", "class_name": "function",
     "config": "enable_unsafe_deserialization", "registered_name": None},
])
def test_cve_2025_8747_and_9906_library_functions_are_not_reachable(tmp_path, marker, function):
    """A function in a config resolves only among the functions of its kind (activations here),
    so neither a downloader nor the safe-mode switch can be named."""
    entry = {"module": "keras.layers", "class_name": "Dense", "registered_name": None,
             "config": {"name": "d2", "units": 1, "activation": function}}
    with pytest.raises(ValueError, match="Unknown"):
        keras.models.load_model(_with_layer(tmp_path, entry))
    from keraslite.saving.serialization_lib import in_safe_mode

    assert in_safe_mode()  # still on after the attempt


def test_cve_2025_9905_legacy_h5_model_files_honour_safe_mode(tmp_path, marker):
    """Legacy HDF5 model files go through the same safe deserialization as .keras files: a
    Lambda's bytecode is refused unless safe_mode=False."""
    path = tmp_path / "model.h5"
    target = str(marker)
    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {
            "layers": [_lambda_entry(lambda x: (open(target, "w").close(), x)[1])]}})  # noqa: SIM115
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(path)
    with h5py.File(tmp_path / "os.h5", "w") as f:
        f.attrs["model_config"] = json.dumps({"class_name": "Sequential", "config": {
            "layers": [{"class_name": "system", "module": "os", "config": {}}]}})
    with pytest.raises(ValueError, match="Unknown"):
        keras.models.load_model(tmp_path / "os.h5")


def test_cve_2025_12058_lookup_vocabulary_paths_are_not_read(tmp_path, marker):
    secret = tmp_path / "secret.txt"
    secret.write_text("password\n")
    entry = {"module": "keras.layers", "class_name": "StringLookup", "registered_name": None,
             "config": {"name": "lookup", "vocabulary": str(secret)}}
    with pytest.raises(ValueError, match="Unknown"):
        keras.models.load_model(_with_layer(tmp_path, entry))


def test_cve_2025_12060_archive_paths_never_extracted(tmp_path, marker):
    members, _ = _saved(tmp_path)
    outside = tmp_path / "escaped.txt"
    members.update({"assets/../../escaped.txt": b"x", f"/{outside}": b"x",
                    "../escaped.txt": b"x"})
    path = _write(tmp_path / "sub.keras", members)
    before = sorted(os.listdir(tmp_path))
    with pytest.warns(UserWarning, match="Skipping the archive member"):
        model = keras.models.load_model(path)
    assert isinstance(model, keras.Sequential)
    assert sorted(os.listdir(tmp_path)) == before and not outside.exists()


def test_cve_2026_0897_huge_declared_dataset_is_refused_before_reading(tmp_path):
    members, _ = _saved(tmp_path)
    buffer = io.BytesIO()
    with h5py.File(io.BytesIO(members["model.weights.h5"]), "r") as src, \
            h5py.File(buffer, "w") as dst:
        src.copy(src["layers"], dst, "layers")
        for name in ("vars", "optimizer"):
            if name in src:
                src.copy(src[name], dst, name)
        group = dst["layers/dense/vars"]
        del group["0"]
        # 2**40 float32s declared, nothing stored: reading would allocate 4 TiB
        group.create_dataset("0", shape=(2**20, 2**20), dtype="float32", chunks=(1, 16),
                             fillvalue=1.0)
    members["model.weights.h5"] = buffer.getvalue()
    with pytest.raises(UnsafeFileError, match="does not fit"):
        keras.models.load_model(_write(tmp_path / "huge.keras", members))


def test_cve_2026_1462_saved_model_layers_are_refused(tmp_path, marker):
    entry = {"module": "keras.layers", "class_name": "TFSMLayer", "registered_name": None,
             "config": {"name": "tfsm", "filepath": str(tmp_path / "savedmodel"),
                        "call_endpoint": "serve"}}
    # unknown where the tensorflow backend is not active; refused by safe mode where it is
    with pytest.raises(ValueError, match="Unknown|safe_mode=False"):
        keras.models.load_model(_with_layer(tmp_path, entry))


def test_unsafe_mode_is_explicit_and_scoped(tmp_path):
    """safe_mode=False loads bytecode (the user's explicit choice) and does not leak past the
    call; a file cannot turn it on."""
    model = keras.Sequential([keras.Input((2,)), layers.Lambda(lambda x: x * 3.0)])
    model.save(tmp_path / "lambda.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "lambda.keras")
    loaded = keras.models.load_model(tmp_path / "lambda.keras", safe_mode=False)
    np.testing.assert_allclose(np.asarray(loaded.predict(np.ones((1, 2), "float32"), verbose=0)),
                               [[3.0, 3.0]])
    from keraslite.saving.serialization_lib import SafeModeScope, in_safe_mode

    assert in_safe_mode()
    with SafeModeScope(False):  # what enable_unsafe_deserialization() sets, scoped for the test
        assert isinstance(keras.models.load_model(tmp_path / "lambda.keras"), keras.Sequential)
    assert in_safe_mode()
