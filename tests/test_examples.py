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


def _values(name):
    out = run_example(name)
    values = dict(line.split(":", 1) for line in out.strip().splitlines() if ":" in line
                  and not line.startswith((" ", "│", "┃", "┏", "┡", "└", "├")))
    assert values["backend"].strip() == keraslite.backend.backend()
    return {k: v.strip() for k, v in values.items()}


def test_mlp_example_trains():
    v = _values("mlp.py")
    assert float(v["last epoch loss"]) < float(v["first epoch loss"])
    assert float(v["test accuracy"]) > 0.2  # 10 classes: chance is 0.1


def test_iris_example_reaches_90_percent():
    assert float(_values("iris.py")["test accuracy"]) >= 0.9


def test_mnist_shaped_cnn_example():
    assert float(_values("mnist_cnn.py")["test accuracy"]) >= 0.8


def test_char_lstm_example_learns_the_text():
    v = _values("char_lstm.py")
    assert float(v["last loss"]) < 0.5 * float(v["first loss"])
    assert float(v["train accuracy"]) >= 0.6
    assert len(v["generated"]) == 70


def test_functional_multi_io_example():
    v = _values("functional_multi_io.py")
    assert eval(v["outputs"]) == ["price", "category"]
    assert float(v["last loss"]) < float(v["first loss"])
    assert float(v["val category accuracy"]) > 0.5


def test_custom_train_step_example():
    v = _values("custom_train_step.py")
    assert float(v["last loss"]) < 0.2 * float(v["first loss"])
    assert eval(v["logged"]) == ["grad_norm", "loss", "mae"]
