"""Generate initializer_values.json: exact values keraslite's seeded initializers must produce.

The values are computed here with numpy alone, from the documented recipe, never through
keraslite or a framework, so the test that compares against them pins the numbers for every
backend at once:

- an int seed s gives the generator np.random.Generator(np.random.PCG64(s));
- normal draws are standard_normal in float64, then mean + stddev * z;
- truncated normal draws redraw every value with |z| > 2 (in array order) until none is left
  (the TruncatedNormal and HeNormal cases below each have two such redraws);
- uniform draws are minval + (maxval - minval) * random();
- VarianceScaling uses variance = scale / max(1, fan) and, for the truncated normal, stddev =
  sqrt(variance) / 0.87962566103423978; uniform limits are sqrt(3 * variance);
- Orthogonal takes numpy's QR of a float64 standard normal (max(rows, cols), min(rows, cols))
  matrix, multiplies Q's columns by sign(diag(R)), transposes when rows < cols and reshapes;
- the float64 result is rounded once to the dtype by numpy.

    python tests/data/make_initializer_values.py
"""

import json
import math
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
TRUNC = 0.87962566103423978

CASES = [
    {"class": "RandomNormal", "kwargs": {"mean": 0.5, "stddev": 2.0, "seed": 1234},
     "shape": [4, 3], "dtype": "float32"},
    {"class": "RandomUniform", "kwargs": {"minval": -1.0, "maxval": 3.0, "seed": 7},
     "shape": [5], "dtype": "float64"},
    {"class": "TruncatedNormal", "kwargs": {"mean": 0.0, "stddev": 1.0, "seed": 102},
     "shape": [6, 4], "dtype": "float32"},
    {"class": "GlorotUniform", "kwargs": {"seed": 0}, "shape": [3, 3, 2, 4], "dtype": "float32"},
    {"class": "HeNormal", "kwargs": {"seed": 6}, "shape": [8, 6], "dtype": "float16"},
    {"class": "LecunNormal", "kwargs": {"seed": 3}, "shape": [10, 2], "dtype": "float64"},
    {"class": "VarianceScaling",
     "kwargs": {"scale": 0.5, "mode": "fan_out", "distribution": "untruncated_normal",
                "seed": 11}, "shape": [4, 5], "dtype": "float64"},
    {"class": "VarianceScaling",
     "kwargs": {"scale": 2.0, "mode": "fan_avg", "distribution": "uniform", "seed": 8,
                "input_axes": [0], "output_axes": [1, 2]}, "shape": [4, 3, 5],
     "dtype": "float32"},
    {"class": "Orthogonal", "kwargs": {"gain": 1.5, "seed": 21}, "shape": [3, 5],
     "dtype": "float32"},
    {"class": "Orthogonal", "kwargs": {"seed": 2}, "shape": [2, 2, 3], "dtype": "float64"},
]

SETTINGS = {  # scale, mode, distribution of the fixed VarianceScaling subclasses
    "GlorotUniform": (1.0, "fan_avg", "uniform"), "GlorotNormal": (1.0, "fan_avg", "normal"),
    "HeUniform": (2.0, "fan_in", "uniform"), "HeNormal": (2.0, "fan_in", "normal"),
    "LecunUniform": (1.0, "fan_in", "uniform"), "LecunNormal": (1.0, "fan_in", "normal"),
}


def _truncated(rng, shape):
    z = rng.standard_normal(shape)
    while True:
        bad = np.abs(z) > 2
        if not bad.any():
            return z
        z[bad] = rng.standard_normal(int(bad.sum()))


def _fans(shape, input_axes, output_axes):
    if input_axes is not None:
        return (math.prod(shape[a] for a in input_axes),
                math.prod(shape[a] for a in output_axes))
    if len(shape) == 2:
        return shape[0], shape[1]
    field = math.prod(shape[:-2])
    return shape[-2] * field, shape[-1] * field


def values(case):
    kw, shape = dict(case["kwargs"]), tuple(case["shape"])
    rng = np.random.Generator(np.random.PCG64(kw.pop("seed")))
    name = case["class"]
    if name == "RandomNormal":
        out = kw["mean"] + kw["stddev"] * rng.standard_normal(shape)
    elif name == "TruncatedNormal":
        out = kw["mean"] + kw["stddev"] * _truncated(rng, shape)
    elif name == "RandomUniform":
        out = kw["minval"] + (kw["maxval"] - kw["minval"]) * rng.random(shape)
    elif name == "Orthogonal":
        rows, cols = math.prod(shape[:-1]), shape[-1]
        q, r = np.linalg.qr(rng.standard_normal((max(rows, cols), min(rows, cols))))
        q = q * np.sign(np.diag(r))
        out = kw.get("gain", 1.0) * (q.T if rows < cols else q).reshape(shape)
    else:
        if name == "VarianceScaling":
            scale, mode, dist = kw["scale"], kw["mode"], kw["distribution"]
        else:
            scale, mode, dist = SETTINGS[name]
        fan_in, fan_out = _fans(shape, kw.get("input_axes"), kw.get("output_axes"))
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[mode]
        var = scale / max(1.0, fan)
        if dist == "uniform":
            limit = math.sqrt(3 * var)
            out = -limit + 2 * limit * rng.random(shape)
        elif dist == "untruncated_normal":
            out = math.sqrt(var) * rng.standard_normal(shape)
        else:
            out = math.sqrt(var) / TRUNC * _truncated(rng, shape)
    return out.astype(case["dtype"])


def main():
    cases = []
    for case in CASES:
        v = values(case).astype(np.float64).ravel()
        cases.append({**case, "values": [float(x).hex() for x in v]})
    head = {"numpy_version": np.__version__, "generator": "tests/data/make_initializer_values.py"}
    lines = ",\n".join(json.dumps(c) for c in cases)  # one case per line
    path = HERE / "initializer_values.json"
    path.write_text(json.dumps(head)[:-1] + ', "cases": [\n' + lines + "\n]}\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
