"""Functional models made of ops (reshape, take, split, top_k, one_hot...) saved as `.keras` by
one library and loaded by the other (keras==3.15.1 beside keraslite, both on jax) predict the
same (atol 1e-5), and the loaded model's config has the same op records as the original's.
The cases are those of tests/data/keras_op_nodes.json; the ones Keras cannot save and load
itself (recorded there) are skipped.
"""

import json
import os
import pathlib

os.environ["KERAS_BACKEND"] = os.environ["KERASLITE_BACKEND"] = "jax"

import keras  # noqa: E402, TID251  (the reference peer)
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import keraslite  # noqa: E402

LIBS = {"keras": keras, "keraslite": keraslite}
DATA = json.loads((pathlib.Path(__file__).resolve().parents[1] / "data" /
                   "keras_op_nodes.json").read_text())
CASES = DATA["cases"]
X = np.asarray(DATA["input"], "float32")


def _build(lib, name):
    x = lib.Input((3, 8), name="x")
    outputs = eval(CASES[name]["expr"], {"ops": lib.ops, "np": np, "x": x})
    return lib.Model(x, outputs, name=name)


def _op_records(model):
    """(class name, config without the name, node count) of each op layer, in order."""
    return [(layer["class_name"], {k: v for k, v in layer["config"].items() if k != "name"},
             len(layer["inbound_nodes"]))
            for layer in json.loads(json.dumps(model.get_config()))["layers"]
            if layer["module"].startswith("keras.src.ops")]


@pytest.mark.parametrize("direction", ["keraslite->keras", "keras->keraslite"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_op_model_round_trip(name, direction, tmp_path):
    if CASES[name]["keras_round_trip"]:
        pytest.skip(f"Keras does not load its own record: {CASES[name]['keras_round_trip']}")
    writer, reader = (LIBS[n] for n in direction.split("->"))
    model = _build(writer, name)
    model.save(tmp_path / "m.keras")
    loaded = reader.models.load_model(tmp_path / "m.keras")
    want = np.asarray(model.predict(X, verbose=0))
    got = np.asarray(loaded.predict(X, verbose=0))
    assert got.shape == want.shape and got.dtype.kind == want.dtype.kind
    np.testing.assert_allclose(got.astype("float64"), want.astype("float64"), atol=1e-5)
    assert _op_records(loaded) == _op_records(model)
