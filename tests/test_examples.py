"""The examples run on the active backend and print what numpy computes."""

import os
import pathlib
import subprocess
import sys

import numpy as np

import keraslite

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def run_example(name):
    env = dict(os.environ, KERASLITE_BACKEND=keraslite.backend.backend())
    out = subprocess.run([sys.executable, str(EXAMPLES / name)], env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_hello_prints_backend_and_results():
    lines = dict(line.split(":", 1) for line in run_example("hello.py").strip().splitlines())
    assert lines["backend"].strip() == keraslite.backend.backend()
    x = np.arange(6, dtype="float32").reshape(2, 3)
    w = np.ones((3, 2), "float32")
    logits = x @ w
    soft = np.exp(logits - logits.max(-1, keepdims=True))
    soft /= soft.sum(-1, keepdims=True)
    np.testing.assert_allclose(eval(lines["softmax(x @ w)"]), soft.round(4), atol=1e-4)
    np.testing.assert_allclose(eval(lines["d sum((x @ w)^2) / dw"]), 2 * x.T @ logits, rtol=1e-5)
