"""SwapEMAWeights against a hand computation of SGD with a moving average of the weights, and
RemoteMonitor against a local HTTP server (standard library, loopback only)."""

import http.server
import json
import socket
import threading
import urllib.parse
import warnings

import numpy as np
import pytest

import keraslite as keras
from keraslite import callbacks, layers, optimizers

LR, MOMENTUM, EPOCHS = 0.1, 0.5, 3
X = np.array([[1.0, 2.0], [0.5, -1.0], [-1.5, 0.5], [2.0, 1.0]], "float32")
Y = np.array([[1.0], [0.0], [-1.0], [2.0]], "float32")
W0 = np.array([[0.3], [-0.2]], "float32")


def _mse(w):
    return float(np.mean((X @ w - Y) ** 2))


def _hand_training(steps):
    """Full-batch SGD on mse for a bias-free Dense(1), and the optimizer's moving average:
    the first update copies the new weights, later ones blend them in with MOMENTUM."""
    w, average, weights, averages = W0.astype("float64"), None, [], []
    for _ in range(steps):
        w = w - LR * 2.0 / len(X) * X.T @ (X @ w - Y)
        average = w if average is None else MOMENTUM * average + (1 - MOMENTUM) * w
        weights.append(w)
        averages.append(average)
    return weights, averages


def _model(use_ema=True):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1, use_bias=False)])
    model.set_weights([W0])
    model.compile(optimizer=optimizers.SGD(learning_rate=LR, use_ema=use_ema,
                                           ema_momentum=MOMENTUM), loss="mse")
    return model


class Recorder(callbacks.Callback):
    """The model's kernel as callbacks listed after SwapEMAWeights see it."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(("begin", epoch, self.model.get_weights()[0]))

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(("end", epoch, self.model.get_weights()[0]))


def close(a, b, what):
    np.testing.assert_allclose(np.asarray(a, "float64"), np.asarray(b, "float64"), rtol=1e-5,
                               atol=1e-6, err_msg=what)


def test_swap_ema_weights_validates_with_the_averages():
    weights, averages = _hand_training(EPOCHS)
    model, recorder = _model(), Recorder()
    history = model.fit(X, Y, batch_size=len(X), epochs=EPOCHS, shuffle=False, verbose=0,
                        validation_data=(X, Y),
                        callbacks=[callbacks.SwapEMAWeights(), recorder])
    for epoch in range(EPOCHS):
        close(history.history["val_loss"][epoch], _mse(averages[epoch]), f"val_loss {epoch}")
        if epoch:  # (the first average is a copy of the weights)
            assert not np.isclose(_mse(averages[epoch]), _mse(weights[epoch]))
        # outside evaluation the model holds the trained weights
        close(recorder.seen[2 * epoch + 1][2], weights[epoch], f"epoch {epoch} end")

    # evaluate and predict with the callback use the averages, then put the weights back
    trained = model.get_weights()[0]
    close(model.evaluate(X, Y, verbose=0, callbacks=[callbacks.SwapEMAWeights()]),
          _mse(averages[-1]), "evaluate")
    close(model.get_weights()[0], trained, "weights after evaluate")
    close(model.predict(X, verbose=0, callbacks=[callbacks.SwapEMAWeights()]),
          X @ averages[-1], "predict")
    close(model.get_weights()[0], trained, "weights after predict")
    close(model.evaluate(X, Y, verbose=0), _mse(trained), "evaluate without the callback")


def test_swap_ema_weights_on_epoch_shows_the_averages_to_later_callbacks():
    weights, averages = _hand_training(EPOCHS)
    model, recorder = _model(), Recorder()
    model.fit(X, Y, batch_size=len(X), epochs=EPOCHS, shuffle=False, verbose=0,
              callbacks=[callbacks.SwapEMAWeights(swap_on_epoch=True), recorder])
    for epoch in range(EPOCHS):
        close(recorder.seen[2 * epoch + 1][2], averages[epoch], f"epoch {epoch} end")
        if epoch:  # training goes on from the trained weights, not the averages
            close(recorder.seen[2 * epoch][2], weights[epoch - 1], f"epoch {epoch} begin")
    # after the last epoch the averages stay in the model, and the optimizer agrees
    close(model.get_weights()[0], averages[-1], "final weights")
    close(model.optimizer._model_variables_moving_average[0].numpy(), averages[-1],
          "optimizer average")


def test_swap_ema_weights_needs_use_ema():
    model = _model(use_ema=False)
    with pytest.raises(ValueError, match="use_ema=True"):
        model.fit(X, Y, epochs=1, verbose=0, validation_data=(X, Y),
                  callbacks=[callbacks.SwapEMAWeights()])
    untrained = _model(use_ema=True)
    with pytest.raises(ValueError, match="no moving averages yet"):
        untrained.evaluate(X, Y, verbose=0, callbacks=[callbacks.SwapEMAWeights()])


# ---------------------------------------------------------------------------------- RemoteMonitor


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        self.server.received.append((self.path, dict(self.headers), body))
        self.send_response(500 if self.path == "/fail" else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    httpd.received = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _root(httpd):
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def test_remote_monitor_posts_a_form_field(server):
    monitor = callbacks.RemoteMonitor(root=_root(server), field="payload")
    monitor.on_epoch_end(3, {"loss": np.float32(0.5), "acc": np.array(0.25), "lr": 0.1})
    (path, headers, body), = server.received
    assert path == "/publish/epoch/end/"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body)
    assert list(form) == ["payload"]
    assert json.loads(form["payload"][0]) == {"epoch": 3, "loss": 0.5, "acc": 0.25, "lr": 0.1}


def test_remote_monitor_sends_json_from_fit(server):
    model = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    monitor = callbacks.RemoteMonitor(root=_root(server), path="/epochs", send_as_json=True,
                                      headers={"X-Token": "abc"})
    history = model.fit(X, Y, epochs=2, verbose=0, callbacks=[monitor])
    assert len(server.received) == 2
    for epoch, (path, headers, body) in enumerate(server.received):
        assert path == "/epochs"
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Token"] == "abc"
        sent = json.loads(body)
        assert sent == {"epoch": epoch, "loss": pytest.approx(history.history["loss"][epoch])}


def test_remote_monitor_unreachable_server_warns_and_error_status_does_not(server):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monitor = callbacks.RemoteMonitor(root=f"http://127.0.0.1:{port}")
    with pytest.warns(UserWarning, match=f"Could not reach RemoteMonitor root server at "
                                         f"http://127.0.0.1:{port}"):
        monitor.on_epoch_end(0, {"loss": 1.0})

    answering = callbacks.RemoteMonitor(root=_root(server), path="/fail")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        answering.on_epoch_end(0, {"loss": 1.0})
    assert server.received[0][0] == "/fail"
