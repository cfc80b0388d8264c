"""Cross-backend layer conformance: every case of the layer reference files (recorded from real
Keras 3.15.1 by tests/data/make_keras_layers_*.py) is run on torch, jax and tensorflow, each in
its own process, with the recorded weights and inputs. Prints, per layer class, the number of
cases and the largest difference of each backend from Keras and between backends; exits
non-zero when one exceeds the tolerance. (The per-backend suites check the same cases one
backend at a time, with gradients, configs and errors; this table puts the backends side by
side.)

Usage: python tests/conformance_layers.py
"""

import itertools
import json
import os
import pathlib
import subprocess
import sys

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
BACKENDS = ("torch", "jax", "tensorflow")
FILES = ("keras_layers_basic.json", "keras_layers_conv.json", "keras_layers_misc.json",
         "keras_layers_core_more.json", "keras_layers_attention.json")
TOL = 2e-5

WORKER = """
import json, sys
import numpy as np
sys.path.insert(0, {here!r})
import keraslite
import layer_checks as lc
out = {{}}
for filename in {files!r}:
    for case in lc.load(filename)["cases"]:
        if not hasattr(keraslite.layers, case["class_name"]):
            continue  # a test-only subclass (e.g. a wrapped layer given as config)
        # a wrapped layer is recorded as its config
        case["kwargs"] = {{k: keraslite.layers.deserialize(v) if isinstance(v, dict)
                          and "class_name" in v else v for k, v in case["kwargs"].items()}}
        try:
            layer = lc.make_layer(case)
            _, call_in = lc.case_inputs(case)
            value = np.asarray(lc.to_np(layer(call_in, **lc.call_kwargs(case))), "float64")
            out[filename + ":" + case["id"]] = [case["class_name"], value.ravel().tolist()]
        except Exception as e:
            out[filename + ":" + case["id"]] = [case["class_name"], repr(e)]
print(json.dumps(out))
"""


def run(backend):
    env = dict(os.environ, KERASLITE_BACKEND=backend)
    proc = subprocess.run([sys.executable, "-c", WORKER.format(here=str(HERE), files=FILES)],
                          env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"{backend} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    import layer_checks  # noqa: F401  (only to fail early when run from elsewhere)

    want = {}
    for filename in FILES:
        for case in json.loads((HERE / "data" / filename).read_text())["cases"]:
            want[filename + ":" + case["id"]] = np.asarray(
                case["output"]["data"], "float64").ravel()
    got = {b: run(b) for b in BACKENDS}
    rows, failures = {}, []
    for key in sorted(got[BACKENDS[0]]):
        cls = got[BACKENDS[0]][key][0]
        values = {}
        for b in BACKENDS:
            value = got[b].get(key, [cls, "missing"])[1]
            if isinstance(value, str):
                failures.append(f"{key} on {b}: {value}")
                continue
            values[b] = np.asarray(value)
        row = rows.setdefault(cls, {"cases": 0, **{b: 0.0 for b in BACKENDS}, "pairs": 0.0})
        row["cases"] += 1
        for b, v in values.items():
            diff = float(np.max(np.abs(v - want[key]), initial=0.0))
            row[b] = max(row[b], diff)
            if diff > TOL * (1 + float(np.max(np.abs(want[key]), initial=0.0))):
                failures.append(f"{key} on {b}: max |diff| from Keras {diff:.2e}")
        for a, b in itertools.combinations(values, 2):
            row["pairs"] = max(row["pairs"], float(np.max(np.abs(values[a] - values[b]),
                                                          initial=0.0)))
    print(f"{'layer':28s} {'cases':>5s} " + " ".join(f"{b:>11s}" for b in BACKENDS)
          + f" {'pairs':>10s}   (max |output - Keras|)")
    for cls, row in sorted(rows.items()):
        print(f"{cls:28s} {row['cases']:5d} " + " ".join(f"{row[b]:11.2e}" for b in BACKENDS)
              + f" {row['pairs']:10.2e}")
    print(f"{len(rows)} layer classes, {sum(r['cases'] for r in rows.values())} cases")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} layer cases differ from Keras beyond tolerance")


if __name__ == "__main__":
    main()
