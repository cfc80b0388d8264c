"""Cross-backend model files: every model of tests/model_zoo.py is trained one epoch and saved
as `.keras` on each backend, then loaded on every other backend, which must predict the same
(atol 1e-5). Each backend runs in its own process (KERASLITE_BACKEND is read at import). Prints
the largest difference per model and backend pair; exits non-zero on a mismatch.

Usage: python tests/conformance_saving.py
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile

BACKENDS = ("torch", "jax", "tensorflow")
ATOL = 1e-5
HERE = pathlib.Path(__file__).resolve().parent

WORKER = """
import json, pathlib, sys
import numpy as np
sys.path.insert(0, {here!r})
import keraslite as K
from model_zoo import ZOO, custom_class, data
mode, directory = sys.argv[1], pathlib.Path(sys.argv[2])
custom_class(K)
out = {{}}
for name, (build, spec, loss, optimizer) in sorted(ZOO.items()):
    x, y, y_reg = data(spec)
    if mode == "save":
        K.utils.set_random_seed(0)
        model = build(K)
        model.compile(optimizer=optimizer, loss=loss)
        targets = {{"cls": y, "reg": y_reg}} if isinstance(loss, dict) else y
        model.fit(x, targets, epochs=1, batch_size=8, shuffle=False, verbose=0)
        model.save(directory / (name + ".keras"))
    else:
        model = K.models.load_model(directory / (name + ".keras"))
    pred = model.predict(x, verbose=0)
    out[name] = {{k: np.asarray(v).tolist() for k, v in pred.items()}} if isinstance(pred, dict) \\
        else np.asarray(pred).tolist()
print(json.dumps(out))
"""


def run(backend, mode, directory):
    env = dict(os.environ, KERASLITE_BACKEND=backend)
    proc = subprocess.run([sys.executable, "-c", WORKER.format(here=str(HERE)), mode,
                           str(directory)], env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"{backend} {mode} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def max_diff(a, b):
    import numpy as np

    if isinstance(a, dict):
        return max(max_diff(a[k], b[k]) for k in a)
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def main():
    failures = 0
    print(f"{'model':18s} {'saved on':11s} {'loaded on':11s} {'max |diff|':>10s}")
    for saver in BACKENDS:
        with tempfile.TemporaryDirectory() as directory:
            saved = run(saver, "save", directory)
            for loader in BACKENDS:
                if loader == saver:
                    continue
                loaded = run(loader, "load", directory)
                for name in sorted(saved):
                    diff = max_diff(saved[name], loaded[name])
                    flag = "" if diff <= ATOL else "  MISMATCH"
                    failures += bool(flag)
                    print(f"{name:18s} {saver:11s} {loader:11s} {diff:10.2e}{flag}")
    if failures:
        sys.exit(f"{failures} cross-backend loads differ by more than {ATOL}")


if __name__ == "__main__":
    main()
