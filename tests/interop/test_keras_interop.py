"""Round trips with real Keras 3 (`nox -s interop`; needs keras==3.15.1 beside keraslite, both on
jax): each model of the zoo is built and trained one epoch by one library, saved as `.keras`,
loaded by the other, and must predict the same (atol 1e-5) with the same optimizer step count.
Not part of the per-backend suite: this directory is the one place keraslite's tests import
keras, as a peer to compare with.
"""

import os
import pathlib
import sys

os.environ["KERAS_BACKEND"] = os.environ["KERASLITE_BACKEND"] = "jax"

import keras  # noqa: E402, TID251  (the reference peer)
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import keraslite  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
from model_zoo import ZOO, custom_class, data  # noqa: E402

LIBS = {"keras": keras, "keraslite": keraslite}
ATOL = 1e-5
RESULTS = []  # (model, direction, max abs difference), printed at the end of the session


def _max_diff(a, b):
    if isinstance(a, dict):
        return max(_max_diff(a[k], b[k]) for k in a)
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


@pytest.mark.parametrize("direction", ["keraslite->keras", "keras->keraslite"])
@pytest.mark.parametrize("name", sorted(ZOO))
def test_round_trip(name, direction, tmp_path):
    writer, reader = (LIBS[n] for n in direction.split("->"))
    build, spec, loss, optimizer = ZOO[name]
    x, y, y_reg = data(spec)
    targets = {"cls": y, "reg": y_reg} if isinstance(loss, dict) else y
    custom_class(reader)  # the reading side registers its own class under the same name
    model = build(writer)
    model.compile(optimizer=optimizer, loss=loss)
    model.fit(x, targets, epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = reader.models.load_model(tmp_path / "m.keras")
    want, got = model.predict(x, verbose=0), loaded.predict(x, verbose=0)
    diff = _max_diff(want, got)
    RESULTS.append((name, direction, diff))
    assert diff < ATOL, diff
    assert int(np.asarray(loaded.optimizer.iterations)) == int(np.asarray(
        model.optimizer.iterations))
    # training continues from the same optimizer state on both sides
    model.fit(x, targets, epochs=1, batch_size=8, verbose=0, shuffle=False)
    loaded.fit(x, targets, epochs=1, batch_size=8, verbose=0, shuffle=False)
    assert _max_diff(model.predict(x, verbose=0), loaded.predict(x, verbose=0)) < 1e-4


def test_print_table():
    """Last: the largest prediction difference per model and direction (for the notes)."""
    for name, direction, diff in sorted(RESULTS):
        print(f"{name:18s} {direction:18s} {diff:.2e}")
