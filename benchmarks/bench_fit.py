"""keraslite fit() against a hand-written training loop in the native framework.

`nox -s bench` runs this once per backend (each in a fresh process): after a warm-up epoch,
keraslite and the native loop run in alternating rounds (BENCH_ROUNDS, default 15, of
BENCH_STEPS steps) so machine noise hits both alike, and it prints the median ms/step and the
median ratio keraslite / native per model. Models: MLP 784-512-512-10 (batch 128); CNN
Conv2D 32 -> Conv2D 64 -> MaxPool -> Dense 128 -> Dense 10 on 28x28x1 (batch 64); LSTM(64)
over 50 steps x 32 features (batch 64); and predict() of one MLP batch. Adam, sparse
categorical crossentropy on logits, float32, CPU.

Usage: python benchmarks/bench_fit.py                 (all backends, table)
       python benchmarks/bench_fit.py --run BACKEND   (one backend, JSON line)
"""

import json
import os
import statistics
import subprocess
import sys
import time

import numpy as np

BACKENDS = ("torch", "jax", "tensorflow")
STEPS = int(os.environ.get("BENCH_STEPS", "30"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "15"))
SHAPES = {"mlp": ((784,), 128), "cnn": ((28, 28, 1), 64), "lstm": ((50, 32), 64)}


def data(name, steps):
    shape, batch = SHAPES[name]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch * steps,) + shape).astype("float32")
    y = rng.integers(0, 10, size=(batch * steps,)).astype("int64")
    return x, y, batch


# ------------------------------------------------------------------------------- keraslite


def keraslite_model(name):
    import keraslite as keras
    from keraslite import layers

    shape, _ = SHAPES[name]
    body = {
        "mlp": [layers.Dense(512, activation="relu"), layers.Dense(512, activation="relu")],
        "cnn": [layers.Conv2D(32, 3, activation="relu"), layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(), layers.Flatten(), layers.Dense(128, activation="relu")],
        "lstm": [layers.LSTM(64)],
    }[name]
    model = keras.Sequential([keras.Input(shape), *body, layers.Dense(10)])
    model.compile(optimizer="adam",
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return model


def keraslite_fit(name):
    x, y, batch = data(name, STEPS)
    model = keraslite_model(name)
    return lambda: model.fit(x, y, batch_size=batch, epochs=1, shuffle=False, verbose=0)


def keraslite_predict():
    x, _, batch = data("mlp", 1)
    model = keraslite_model("mlp")

    def run():
        for _ in range(STEPS):
            model.predict(x, batch_size=batch, verbose=0)
    return run


# ------------------------------------------------------------------------------- torch


def torch_model(name):
    import torch
    from torch import nn

    if name == "mlp":
        return nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                             nn.Linear(512, 10))
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(64 * 12 * 12, 128),
                             nn.ReLU(), nn.Linear(128, 10))

    class LSTMNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(32, 64, batch_first=True)
            self.out = nn.Linear(64, 10)

        def forward(self, x):
            return self.out(self.lstm(x)[0][:, -1])

    torch.manual_seed(0)
    return LSTMNet()


def torch_fit(name):
    import torch

    x, y, batch = data(name, STEPS)
    if name == "cnn":
        x = x.transpose(0, 3, 1, 2).copy()
    model = torch_model(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def run(steps):
        for i in range(steps):
            xb, yb = xt[i * batch:(i + 1) * batch], yt[i * batch:(i + 1) * batch]
            opt.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            loss.item()  # a loop that reports its loss, as fit does

    return lambda: run(STEPS)


def torch_predict():
    import torch

    x, _, _ = data("mlp", 1)
    model = torch_model("mlp")
    xt = torch.from_numpy(x)

    def run():
        with torch.no_grad():
            for _ in range(STEPS):
                model(xt).numpy()
    return run


# ------------------------------------------------------------------------------- jax


def _adam_init(params, jnp):
    return [jnp.zeros_like(p) for p in params], [jnp.zeros_like(p) for p in params]


def jax_forward(name):
    import jax
    import jax.numpy as jnp

    rng = np.random.default_rng(0)

    def dense(n_in, n_out):
        return [jnp.asarray(rng.standard_normal((n_in, n_out)).astype("float32") * 0.05),
                jnp.zeros((n_out,), "float32")]

    if name == "mlp":
        params = dense(784, 512) + dense(512, 512) + dense(512, 10)

        def forward(p, x):
            h = jax.nn.relu(x @ p[0] + p[1])
            h = jax.nn.relu(h @ p[2] + p[3])
            return h @ p[4] + p[5]
    elif name == "cnn":
        params = [jnp.asarray(rng.standard_normal((3, 3, 1, 32)).astype("float32") * 0.1),
                  jnp.zeros(32, "float32"), jnp.asarray(rng.standard_normal((3, 3, 32, 64)).astype(
                      "float32") * 0.05), jnp.zeros(64, "float32")] + dense(64 * 12 * 12, 128) + dense(128, 10)

        def conv(x, k, b):
            y = jax.lax.conv_general_dilated(x, k, (1, 1), "VALID",
                                             dimension_numbers=("NHWC", "HWIO", "NHWC"))
            return jax.nn.relu(y + b)

        def forward(p, x):
            h = conv(conv(x, p[0], p[1]), p[2], p[3])
            h = jax.lax.reduce_window(h, -jnp.inf, jax.lax.max, (1, 2, 2, 1), (1, 2, 2, 1),
                                      "VALID")
            h = jax.nn.relu(h.reshape(h.shape[0], -1) @ p[4] + p[5])
            return h @ p[6] + p[7]
    else:
        params = [jnp.asarray(rng.standard_normal((32, 256)).astype("float32") * 0.1),
                  jnp.asarray(rng.standard_normal((64, 256)).astype("float32") * 0.1),
                  jnp.zeros(256, "float32")] + dense(64, 10)

        def forward(p, x):
            def step(carry, xt):
                h, c = carry
                z = xt @ p[0] + h @ p[1] + p[2]
                i, f, g, o = jnp.split(z, 4, axis=-1)
                c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
                h = jax.nn.sigmoid(o) * jnp.tanh(c)
                return (h, c), None

            zeros = jnp.zeros((x.shape[0], 64), x.dtype)
            (h, _), _ = jax.lax.scan(step, (zeros, zeros), jnp.swapaxes(x, 0, 1))
            return h @ p[3] + p[4]
    return params, forward


def jax_fit(name):
    import jax
    import jax.numpy as jnp

    x, y, batch = data(name, STEPS)
    params, forward = jax_forward(name)

    def loss_fn(p, xb, yb):
        logits = forward(p, xb)
        return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), yb[:, None], 1))

    @jax.jit
    def step(p, m, v, t, xb, yb):
        loss, g = jax.value_and_grad(loss_fn)(p, xb, yb)
        t = t + 1
        lr = 1e-3 * jnp.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        m = [0.9 * a + 0.1 * b for a, b in zip(m, g)]
        v = [0.999 * a + 0.001 * b * b for a, b in zip(v, g)]
        p = [w - lr * a / (jnp.sqrt(b) + 1e-7) for w, a, b in zip(p, m, v)]
        return p, m, v, t, loss

    m, v = _adam_init(params, jnp)
    t = jnp.zeros((), "float32")
    state = [params, m, v, t]

    def run(steps):
        nonlocal state
        for i in range(steps):
            xb, yb = x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]
            *state, loss = step(*state, xb, yb)
            float(loss)

    return lambda: run(STEPS)


def jax_predict():
    import jax

    x, _, _ = data("mlp", 1)
    params, forward = jax_forward("mlp")
    fn = jax.jit(forward)

    def run():
        for _ in range(STEPS):
            np.asarray(fn(params, x))
    return run


# ------------------------------------------------------------------------------- tensorflow


def tf_forward(name):
    import tensorflow as tf

    rng = np.random.default_rng(0)

    def var(shape, scale):
        return tf.Variable(rng.standard_normal(shape).astype("float32") * scale)

    def dense(n_in, n_out):
        return [var((n_in, n_out), 0.05), tf.Variable(np.zeros(n_out, "float32"))]

    if name == "mlp":
        params = dense(784, 512) + dense(512, 512) + dense(512, 10)

        def forward(x):
            h = tf.nn.relu(x @ params[0] + params[1])
            h = tf.nn.relu(h @ params[2] + params[3])
            return h @ params[4] + params[5]
    elif name == "cnn":
        params = [var((3, 3, 1, 32), 0.1), tf.Variable(np.zeros(32, "float32")),
                  var((3, 3, 32, 64), 0.05), tf.Variable(np.zeros(64, "float32"))]
        params += dense(64 * 12 * 12, 128) + dense(128, 10)

        def forward(x):
            h = tf.nn.relu(tf.nn.conv2d(x, params[0], 1, "VALID") + params[1])
            h = tf.nn.relu(tf.nn.conv2d(h, params[2], 1, "VALID") + params[3])
            h = tf.nn.max_pool2d(h, 2, 2, "VALID")
            h = tf.nn.relu(tf.reshape(h, (tf.shape(h)[0], -1)) @ params[4] + params[5])
            return h @ params[6] + params[7]
    else:
        params = [var((32, 256), 0.1), var((64, 256), 0.1),
                  tf.Variable(np.zeros(256, "float32"))] + dense(64, 10)

        def forward(x):
            def step(carry, xt):
                h, c = carry
                z = xt @ params[0] + h @ params[1] + params[2]
                i, f, g, o = tf.split(z, 4, axis=-1)
                c = tf.sigmoid(f) * c + tf.sigmoid(i) * tf.tanh(g)
                return tf.sigmoid(o) * tf.tanh(c), c

            zeros = tf.zeros((tf.shape(x)[0], 64))
            h, _ = tf.scan(step, tf.transpose(x, (1, 0, 2)), initializer=(zeros, zeros))
            return h[-1] @ params[3] + params[4]
    return params, forward


def tensorflow_fit(name):
    import tensorflow as tf

    x, y, batch = data(name, STEPS)
    params, forward = tf_forward(name)
    m = [tf.Variable(tf.zeros_like(p)) for p in params]
    v = [tf.Variable(tf.zeros_like(p)) for p in params]
    t = tf.Variable(0.0)

    @tf.function
    def step(xb, yb):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(yb, forward(xb)))
        grads = tape.gradient(loss, params)
        t.assign_add(1.0)
        lr = 1e-3 * tf.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        for p, a, b, g in zip(params, m, v, grads):
            a.assign(0.9 * a + 0.1 * g)
            b.assign(0.999 * b + 0.001 * g * g)
            p.assign_sub(lr * a / (tf.sqrt(b) + 1e-7))
        return loss

    def run(steps):
        for i in range(steps):
            float(step(x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]))

    return lambda: run(STEPS)


def tensorflow_predict():
    import tensorflow as tf

    x, _, _ = data("mlp", 1)
    _, forward = tf_forward("mlp")
    fn = tf.function(forward)

    def run():
        for _ in range(STEPS):
            fn(x).numpy()
    return run


# ------------------------------------------------------------------------------- driver


def _ms_per_step(run):
    start = time.perf_counter()
    run()
    return (time.perf_counter() - start) / STEPS * 1000


def _round(ours, theirs, swap):
    """(ours, theirs) ms/step of one round; every other round runs native first, so that
    neither side always inherits the other's caches and threads."""
    if swap:
        theirs_ms = _ms_per_step(theirs)
        return _ms_per_step(ours), theirs_ms
    return _ms_per_step(ours), _ms_per_step(theirs)


def run_backend(name):
    native = {"torch": (torch_fit, torch_predict), "jax": (jax_fit, jax_predict),
              "tensorflow": (tensorflow_fit, tensorflow_predict)}[name]
    out = {}
    for model in ("mlp", "cnn", "lstm", "predict"):
        if model == "predict":
            ours, theirs = keraslite_predict(), native[1]()
        else:
            ours, theirs = keraslite_fit(model), native[0](model)
        ours(), theirs()  # warm-up: compilation, allocator, caches
        # Alternate the two in rounds so that machine noise hits both alike; report medians.
        # A predict round lasts only ~30 ms, so it gets more rounds for the same noise.
        rounds = ROUNDS * 4 if model == "predict" else ROUNDS
        times = [_round(ours, theirs, swap=i % 2 == 1) for i in range(rounds)]
        out[model] = {"keraslite": statistics.median(t[0] for t in times),
                      "native": statistics.median(t[1] for t in times),
                      "ratio": statistics.median(t[0] / t[1] for t in times)}
    print(json.dumps(out))


def main():
    rows = []
    for name in BACKENDS:
        env = dict(os.environ, KERASLITE_BACKEND=name, TF_CPP_MIN_LOG_LEVEL="3")
        proc = subprocess.run([sys.executable, __file__, "--run", name], env=env,
                              capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0:
            print(proc.stderr[-3000:])
            raise SystemExit(f"benchmark on {name} failed")
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        for model, t in result.items():
            rows.append((name, model, t["keraslite"], t["native"], t["ratio"]))
    print(f"ms/step after warm-up: median of {ROUNDS} alternating rounds of {STEPS} steps "
          f"({ROUNDS * 4} for predict)")
    print(f"{'backend':<11} {'model':<8} {'keraslite':>10} {'native':>10} {'ratio':>7}")
    for name, model, ours, native, ratio in rows:
        print(f"{name:<11} {model:<8} {ours:>10.2f} {native:>10.2f} {ratio:>7.2f}")


if __name__ == "__main__":
    if "--run" in sys.argv:
        run_backend(sys.argv[sys.argv.index("--run") + 1])
    else:
        main()
