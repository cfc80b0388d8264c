"""Cross-backend training: the same seeded model trained on torch, jax and tensorflow.

Each backend runs in its own process (keraslite binds one backend per process). The model is
deterministic (no dropout, no shuffling) and its initial weights come from the seeded,
backend-independent initializers, so the backends must agree on the loss of every epoch.
Prints the losses side by side and exits non-zero past rtol 1e-4.

Usage: python tests/conformance_training.py            (driver)
       python tests/conformance_training.py --run NAME (one backend; prints JSON)
"""

import json
import os
import subprocess
import sys

import numpy as np

BACKENDS = ("torch", "jax", "tensorflow")
RTOL = 1e-4


def models():
    """name -> (build_fn, x, y, compile kwargs)."""
    import keraslite as keras
    from keraslite import layers

    rng = np.random.default_rng(0)
    x = rng.standard_normal((128, 8)).astype("float32")
    y_reg = (x @ rng.standard_normal((8, 1)) + 0.1).astype("float32")
    y_cls = (x[:, 0] + x[:, 1] > 0).astype("int32")
    seq = rng.standard_normal((64, 6, 4)).astype("float32")
    y_seq = seq.sum(axis=(1, 2))[:, None].astype("float32")
    img = rng.random((64, 8, 8, 1)).astype("float32")
    y_img = (img[:, :4].mean(axis=(1, 2, 3)) > img[:, 4:].mean(axis=(1, 2, 3))).astype("int32")

    return {
        "mlp_mse_sgd": (lambda: keras.Sequential([
            keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dense(1)]),
            x, y_reg, {"optimizer": keras.optimizers.SGD(0.01, momentum=0.9), "loss": "mse"}),
        "mlp_softmax_adam": (lambda: keras.Sequential([
            keras.Input((8,)), layers.Dense(16, activation="tanh"),
            layers.BatchNormalization(), layers.Dense(2, activation="softmax")]),
            x, y_cls, {"optimizer": "adam", "loss": "sparse_categorical_crossentropy",
                       "metrics": ["accuracy"]}),
        "lstm_rmsprop": (lambda: keras.Sequential([
            keras.Input((6, 4)), layers.LSTM(8), layers.Dense(1)]),
            seq, y_seq, {"optimizer": "rmsprop", "loss": "mae"}),
        "cnn_adam": (lambda: keras.Sequential([
            keras.Input((8, 8, 1)), layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(), layers.Flatten(), layers.Dense(2, activation="softmax")]),
            img, y_img, {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"}),
    }


def run_one():
    import keraslite as keras

    out = {}
    for name, (build, x, y, compile_kwargs) in models().items():
        keras.utils.set_random_seed(1234)
        model = build()
        model.compile(**compile_kwargs)
        history = model.fit(x, y, epochs=4, batch_size=16, shuffle=False, verbose=0)
        out[name] = history.history["loss"]
    print(json.dumps(out))


def main():
    results = {}
    for name in BACKENDS:
        env = dict(os.environ, KERASLITE_BACKEND=name, TF_CPP_MIN_LOG_LEVEL="3")
        proc = subprocess.run([sys.executable, __file__, "--run"], env=env, capture_output=True,
                              text=True, timeout=1200)
        if proc.returncode != 0:
            print(proc.stderr)
            raise SystemExit(f"training on {name} failed")
        results[name] = json.loads(proc.stdout.strip().splitlines()[-1])
    failures = []
    print("loss per epoch (torch | jax | tensorflow)")
    for model_name in results[BACKENDS[0]]:
        print(f"\n{model_name}")
        curves = [np.array(results[b][model_name]) for b in BACKENDS]
        for epoch, values in enumerate(zip(*curves)):
            print(f"  epoch {epoch + 1}: " + " | ".join(f"{v:.7f}" for v in values))
        for b, curve in zip(BACKENDS[1:], curves[1:]):
            if not np.allclose(curve, curves[0], rtol=RTOL, atol=0):
                rel = float(np.max(np.abs(curve - curves[0]) / np.abs(curves[0])))
                failures.append(f"{model_name}: {b} differs from torch (max rel {rel:.2e})")
    if failures:
        print("\n" + "\n".join(failures))
        return 1
    print(f"\nall backends agree to rtol {RTOL}")
    return 0


if __name__ == "__main__":
    if "--run" in sys.argv:
        run_one()
    else:
        sys.exit(main())
