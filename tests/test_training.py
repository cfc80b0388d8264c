"""compile / fit / evaluate / predict through the one shared trainer, on the active backend."""

import numpy as np
import pytest

import keraslite
from keraslite import layers, ops
from keraslite.layers import Dense, Input
from keraslite.models import Model, Sequential
from keraslite.utils import PyDataset


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def linear_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 3)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5]]) + 0.3).astype("float32")
    return x, y


def linear_model(seed=1):
    model = Sequential([Input((3,)), Dense(1)])
    rng = np.random.default_rng(seed)
    model.set_weights([rng.standard_normal((3, 1)).astype("float32"), np.zeros(1, "float32")])
    return model


def sgd_reference(x, y, kernel, bias, lr, steps, batch_size):
    """Plain numpy SGD on the mean squared error, batch by batch in order."""
    kernel, bias = kernel.astype(np.float64), bias.astype(np.float64)
    losses = []
    for _ in range(steps):
        for start in range(0, len(x), batch_size):
            xb, yb = x[start:start + batch_size], y[start:start + batch_size]
            err = xb @ kernel + bias - yb
            losses.append(np.mean(err ** 2))
            grad = 2 * err / err.size
            kernel = kernel - lr * xb.T @ grad
            bias = bias - lr * grad.sum(0)
    return kernel, bias, losses


@pytest.mark.parametrize("jit", [True, False], ids=["compiled", "eager"])
def test_fit_sgd_matches_numpy(jit):
    x, y = linear_data()
    model = linear_model()
    k0, b0 = model.get_weights()
    model.compile(optimizer=keraslite.optimizers.SGD(learning_rate=0.1), loss="mse",
                  run_eagerly=not jit)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    kernel, bias, losses = sgd_reference(x, y, k0, b0, 0.1, 2, 8)
    got_k, got_b = model.get_weights()
    np.testing.assert_allclose(got_k, kernel, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_b, bias, rtol=1e-4, atol=1e-5)
    # the epoch loss is the mean of the batch losses (all batches have the same size)
    np.testing.assert_allclose(history.history["loss"], [np.mean(losses[:4]), np.mean(losses[4:])],
                               rtol=1e-4)
    assert history.epoch == [0, 1]


def test_fit_with_ema_ends_on_the_moving_average():
    """As Keras: with use_ema, fit() leaves the model holding the moving averages of the SGD
    iterates (numpy reference: the average starts at the first iterate)."""
    x, y = linear_data()
    model = linear_model()
    k, b = model.get_weights()
    model.compile(optimizer=keraslite.optimizers.SGD(learning_rate=0.1, use_ema=True,
                                                     ema_momentum=0.5), loss="mse")
    model.fit(x, y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    avg_k = avg_b = None
    for i in range(0, len(x), 8):
        k, b, _ = sgd_reference(x[i:i + 8], y[i:i + 8], k, b, 0.1, 1, 8)
        avg_k = k if avg_k is None else 0.5 * avg_k + 0.5 * k
        avg_b = b if avg_b is None else 0.5 * avg_b + 0.5 * b
    got_k, got_b = model.get_weights()
    np.testing.assert_allclose(got_k, avg_k, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_b, avg_b, rtol=1e-4, atol=1e-5)
    assert not np.allclose(got_k, k, atol=1e-4)  # the last iterate is not what remains


def test_evaluate_and_predict_match_numpy():
    x, y = linear_data()
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    kernel, bias = model.get_weights()
    pred = x @ kernel + bias
    loss, mae = model.evaluate(x, y, batch_size=32, verbose=0)
    np.testing.assert_allclose(loss, np.mean((pred - y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(mae, np.mean(np.abs(pred - y)), rtol=1e-5)
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    np.testing.assert_allclose(model.predict(x, batch_size=5, verbose=0), pred, rtol=1e-5,
                               atol=1e-6)


def test_classification_learns_and_logs_accuracy():
    keraslite.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((200, 4)).astype("float32")
    labels = (x[:, 0] + x[:, 1] > 0).astype("int32")
    model = Sequential([Input((4,)), Dense(16, activation="relu"), Dense(2, activation="softmax")])
    model.compile(optimizer=keraslite.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(x, labels, epochs=15, batch_size=32, validation_split=0.2, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["val_accuracy"][-1] >= 0.85


def test_custom_train_step_written_once():
    """A train_step written with keraslite.ops and compute_gradients runs on every backend."""

    class HalfStep(Sequential):
        def train_step(self, data):
            x, y = data

            def forward():
                y_pred = self(x, training=True)
                return ops.mean(ops.square(ops.subtract(y_pred, y))), y_pred

            (loss, _), grads = keraslite.compute_gradients(forward, self.trainable_variables,
                                                           has_aux=True)
            for v, g in zip(self.trainable_variables, grads):
                v.assign(ops.subtract(v, ops.multiply(0.05, g)))  # plain SGD, lr 0.05
            return {"loss": loss}

    x, y = linear_data()
    model = HalfStep([Input((3,)), Dense(1)])
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal((3, 1)).astype("float32"), np.zeros(1, "float32")])
    k0, b0 = model.get_weights()
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    kernel, bias, losses = sgd_reference(x, y, k0, b0, 0.05, 3, 32)
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.history["loss"], losses, rtol=1e-4)


def test_multi_output_losses_and_weights():
    inp = Input((3,), name="x")
    a = Dense(1, name="a")(inp)
    b = Dense(1, name="b")(inp)
    model = Model(inp, [a, b])
    rng = np.random.default_rng(2)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in model.weights])
    model.compile(optimizer="sgd", loss={"a": "mse", "b": "mae"}, loss_weights={"a": 1.0, "b": 0.5})
    x = rng.standard_normal((16, 3)).astype("float32")
    ya, yb = rng.standard_normal((16, 1)).astype("float32"), rng.standard_normal((16, 1)).astype(
        "float32")
    pa, pb = (np_(t) for t in model(x))
    logs = model.evaluate(x, {"a": ya, "b": yb}, verbose=0, return_dict=True)
    la, lb = np.mean((pa - ya) ** 2), np.mean(np.abs(pb - yb))
    np.testing.assert_allclose(logs["a_loss"], la, rtol=1e-5)
    np.testing.assert_allclose(logs["b_loss"], lb, rtol=1e-5)
    np.testing.assert_allclose(logs["loss"], la + 0.5 * lb, rtol=1e-5)


def test_sample_weight_and_class_weight():
    x, y = linear_data(8)
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse")
    kernel, bias = model.get_weights()
    sq = ((x @ kernel + bias - y) ** 2)[:, 0]
    sw = np.arange(8, dtype="float32")
    loss = model.evaluate(x, y, sample_weight=sw, batch_size=8, verbose=0)
    np.testing.assert_allclose(loss, np.sum(sq * sw) / 8, rtol=1e-5)  # sum_over_batch_size

    cls = Sequential([Input((3,)), Dense(2, activation="softmax")])
    cls.compile(optimizer=keraslite.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    labels = np.array([0, 1, 1, 0, 1, 1, 1, 0], "int32")
    history = cls.fit(x, labels, class_weight={0: 3.0, 1: 0.5}, batch_size=8, verbose=0)
    probs = np_(cls(x))
    ce = -np.log(probs[np.arange(8), labels])
    weights = np.where(labels == 0, 3.0, 0.5)
    np.testing.assert_allclose(history.history["loss"][0], np.sum(ce * weights) / 8, rtol=1e-4)


class Batches(PyDataset):
    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.epochs_seen = 0

    def __len__(self):
        return len(self.x) // self.batch_size

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epochs_seen += 1


def test_generators_and_py_dataset_train_like_arrays():
    x, y = linear_data()
    reference = linear_model()
    reference.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)

    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    data = Batches(x, y, 8)
    model.fit(data, epochs=2, verbose=0)
    assert data.epochs_seen == 2
    np.testing.assert_allclose(model.get_weights()[0], reference.get_weights()[0], rtol=1e-5)

    def gen():
        while True:
            for i in range(4):
                yield x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]

    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    model.fit(gen(), steps_per_epoch=4, epochs=2, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0], reference.get_weights()[0], rtol=1e-5)


def test_backend_tensors_as_input():
    x, y = linear_data()
    model = linear_model()
    model.compile(optimizer="sgd", loss="mse")
    out = model.predict(ops.convert_to_tensor(x), verbose=0)
    np.testing.assert_allclose(out, model.predict(x, verbose=0), rtol=1e-6)


def test_train_test_predict_on_batch():
    x, y = linear_data(8)
    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    k0, b0 = model.get_weights()
    loss = model.train_on_batch(x, y)
    kernel, _, losses = sgd_reference(x, y, k0, b0, 0.1, 1, 8)
    np.testing.assert_allclose(loss, losses[0], rtol=1e-5)
    np.testing.assert_allclose(model.get_weights()[0], kernel, rtol=1e-5, atol=1e-6)
    k1, b1 = model.get_weights()
    np.testing.assert_allclose(model.test_on_batch(x, y), np.mean((x @ k1 + b1 - y) ** 2),
                               rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x), x @ k1 + b1, rtol=1e-5, atol=1e-6)


def test_regularization_loss_is_added():
    x, y = linear_data(8)
    model = Sequential([Input((3,)), Dense(1, kernel_regularizer=keraslite.regularizers.L2(0.1))])
    model.set_weights([np.ones((3, 1), "float32"), np.zeros(1, "float32")])
    model.compile(optimizer="sgd", loss="mse")
    loss = model.evaluate(x, y, verbose=0)
    np.testing.assert_allclose(loss, np.mean((x.sum(1, keepdims=True) - y) ** 2) + 0.1 * 3,
                               rtol=1e-5)


def test_bad_input_errors():
    x, y = linear_data()
    model = linear_model()
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(x, y, verbose=0)
    with pytest.raises(ValueError, match="adamm"):
        model.compile(optimizer="adamm", loss="mse")
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="same number of samples"):
        model.fit(x, y[:10], verbose=0)
    with pytest.raises(ValueError, match="expected shape"):
        model.predict(np.ones((4, 5), "float32"), verbose=0)


def test_seeded_initial_weights_are_reproducible():
    def build():
        keraslite.utils.set_random_seed(123)
        return Sequential([Input((4,)), Dense(8), Dense(2)]).get_weights()

    for a, b in zip(build(), build()):
        np.testing.assert_array_equal(a, b)


def test_layers_used_in_training_get_the_training_flag():
    seen = []

    class Probe(layers.Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    x, y = linear_data(8)
    model = Sequential([Input((3,)), Probe(), Dense(1)])
    model.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    model.fit(x, y, verbose=0, batch_size=8)
    model.predict(x, verbose=0)
    assert True in seen and seen[-1] is False


def test_torch_dataloader_input():
    torch = pytest.importorskip("torch")
    x, y = linear_data()
    reference = linear_model()
    reference.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    dataset = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))
    loader = torch.utils.data.DataLoader(dataset, batch_size=8, shuffle=False)
    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    model.fit(loader, epochs=2, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0], reference.get_weights()[0], rtol=1e-5)


def test_tf_data_input():
    tf = pytest.importorskip("tensorflow")
    x, y = linear_data()
    reference = linear_model()
    reference.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    reference.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    model.fit(dataset, epochs=2, verbose=0)
    np.testing.assert_allclose(model.get_weights()[0], reference.get_weights()[0], rtol=1e-5)
    np.testing.assert_allclose(model.predict(dataset.map(lambda a, b: a), verbose=0),
                               model.predict(x, verbose=0), rtol=1e-6)


def test_terminate_on_nan_stops_real_training():
    x, y = linear_data()
    y = y.copy()
    y[5] = np.nan
    model = linear_model()
    model.compile(optimizer=keraslite.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=5, shuffle=False, verbose=0,
                        callbacks=[keraslite.callbacks.TerminateOnNaN()])
    assert model.stop_training and len(history.epoch) == 1


@pytest.mark.parametrize("jit", [True, False], ids=["compiled", "eager"])
def test_steps_per_execution_runs_the_same_steps(jit):
    """Several steps per compiled call: same weights and epoch logs as one step per call
    (the numpy SGD reference), callbacks see each execution's first and last step."""
    x, y = linear_data(n=40)  # 5 batches of 8: executions of 2, 2 and 1 steps
    model = linear_model()
    k0, b0 = model.get_weights()
    seen = []
    record = keraslite.callbacks.LambdaCallback(
        on_train_batch_begin=lambda batch, logs: seen.append(("begin", batch)),
        on_train_batch_end=lambda batch, logs: seen.append(("end", batch)))
    model.compile(optimizer=keraslite.optimizers.SGD(learning_rate=0.1), loss="mse",
                  run_eagerly=not jit, steps_per_execution=2)
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0,
                        callbacks=[record])
    kernel, bias, losses = sgd_reference(x, y, k0, b0, 0.1, 2, 8)
    got_k, got_b = model.get_weights()
    np.testing.assert_allclose(got_k, kernel, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_b, bias, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(history.history["loss"], [np.mean(losses[:5]), np.mean(losses[5:])],
                               rtol=1e-4)
    assert seen[:6] == [("begin", 0), ("end", 1), ("begin", 2), ("end", 3), ("begin", 4),
                        ("end", 4)]
    # evaluate and predict group their steps the same way and give the same numbers
    want = ((x @ kernel + bias - y) ** 2).mean()
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=8, verbose=0), want, rtol=1e-4)
    np.testing.assert_allclose(model.predict(x, batch_size=8, verbose=0), x @ kernel + bias,
                               rtol=1e-4, atol=1e-5)


def test_steps_per_execution_must_be_positive():
    model = linear_model()
    with pytest.raises(ValueError, match="steps_per_execution"):
        model.compile(optimizer="sgd", loss="mse", steps_per_execution=0)


@pytest.mark.parametrize("jit", [True, False], ids=["compiled", "eager"])
def test_output_masks_reach_the_loss(jit):
    """Keras 3 averages a loss over the unmasked entries of the output's mask (here from
    Embedding(mask_zero=True), carried through Dense) for Sequential and subclassed models."""
    x = np.array([[1, 2, 0, 0], [3, 0, 0, 0]], "int32")
    y = np.random.default_rng(0).standard_normal((2, 4, 1)).astype("float32")
    model = Sequential([Input((4,), dtype="int32"), layers.Embedding(5, 3, mask_zero=True),
                        Dense(1)])

    class Sub(Model):
        def __init__(self):
            super().__init__()
            self.embed = layers.Embedding(5, 3, mask_zero=True)
            self.dense = Dense(1)

        def call(self, inputs):
            return self.dense(self.embed(inputs))

    sub = Sub()
    sub(x)
    sub.set_weights(model.get_weights())
    pred = model.predict(x, verbose=0)
    want = float((((pred - y)[..., 0])[x != 0] ** 2).mean())
    assert abs(want - float(((pred - y) ** 2).mean())) > 1e-3  # the mask matters here
    for m in (model, sub):
        m.compile(loss="mse", metrics=["mae"], run_eagerly=not jit)
        loss, mae = m.evaluate(x, y, verbose=0)
        np.testing.assert_allclose(loss, want, rtol=1e-5)
        np.testing.assert_allclose(mae, np.abs((pred - y)[..., 0][x != 0]).mean(), rtol=1e-5)


def test_predict_returns_writable_arrays():
    model = Sequential([Input((3,)), Dense(2)])
    for batch_size in (4, 2):  # one batch, and several concatenated
        out = model.predict(np.ones((4, 3), "float32"), batch_size=batch_size, verbose=0)
        assert isinstance(out, np.ndarray) and out.shape == (4, 2)
        out[out < 0] = 0  # users edit predictions in place


@pytest.mark.skipif(keraslite.backend.backend() != "tensorflow",
                    reason="tensorflow keeps the step state resident in tf.Variables")
def test_train_test_and_predict_steps_share_one_resident_state():
    # each step kind used to keep its own copy of the weights (up to three per model)
    model = Sequential([Input((3,)), Dense(4, activation="relu"), layers.BatchNormalization(),
                        Dense(1)])
    model.compile("adam", "mse", metrics=["mae"])
    x, y = linear_data()
    model.predict(x, verbose=0)
    resident = [v.value for v in model.weights]
    for run in (lambda: model.fit(x, y, epochs=2, verbose=0, validation_data=(x, y)),
                lambda: model.evaluate(x, y, verbose=0), lambda: model.predict(x, verbose=0)):
        run()
        assert all(v.value is r for v, r in zip(model.weights, resident))
    # and the shared state is the trained one: a fresh forward pass agrees with predict
    np.testing.assert_allclose(model.predict(x, verbose=0), np_(model(x)), rtol=1e-5, atol=1e-6)
