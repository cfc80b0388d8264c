"""TFSMLayer, the tensorflow backend's bridge to TensorFlow SavedModels, checked against the
saved tf.Module itself (built and saved here, nothing downloaded)."""

import numpy as np
import pytest

import keraslite as keras
from keraslite import backend, layers, optimizers

BACKEND = backend.backend()
pytestmark = pytest.mark.skipif(BACKEND != "tensorflow", reason="tensorflow bridge")
LR = 0.1


def close(a, b, what, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol, err_msg=what)


def _data(n=6, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, 3)).astype("float32"), rng.normal(size=(n, 1)).astype("float32")


def _module():
    """kernel, bias (trainable) and shift (not) in `serve`; `train` also counts its calls. shift
    is read first, so the endpoint lists it before the trainable variables."""
    import tensorflow as tf

    spec = [tf.TensorSpec([None, 3], tf.float32)]

    class Affine(tf.Module):
        def __init__(self):
            super().__init__()
            rng = np.random.default_rng(1)
            self.shift = tf.Variable([0.25, -0.25], trainable=False, name="shift")
            self.kernel = tf.Variable(rng.normal(size=(3, 2)).astype("float32"), name="kernel")
            self.bias = tf.Variable([0.5, -0.5], name="bias")
            self.calls = tf.Variable(0.0, trainable=False, name="calls")

        @tf.function(input_signature=spec)
        def serve(self, x):
            return self.shift + tf.tanh(tf.matmul(x, self.kernel) + self.bias)

        @tf.function(input_signature=spec)
        def train(self, x):
            self.calls.assign_add(1.0)
            return self.serve(x)

    return Affine()


@pytest.fixture
def saved(tmp_path):
    """(path, module) of a SavedModel with a `serve` and a `train` function and the signatures
    serving_default and training."""
    import tensorflow as tf

    module = _module()
    path = str(tmp_path / "affine")
    tf.saved_model.save(module, path, signatures={"serving_default": module.serve,
                                                  "training": module.train})
    return path, module


def _reference_output(module, x, kernel=None, bias=None):
    kernel = module.kernel.numpy() if kernel is None else kernel
    bias = module.bias.numpy() if bias is None else bias
    return module.shift.numpy() + np.tanh(x @ kernel + bias)


def test_layers_namespace_has_tfsm_layer():
    assert hasattr(layers, "TFSMLayer") and "TFSMLayer" in layers.__all__
    assert issubclass(layers.TFSMLayer, layers.Layer)


def test_outputs_match_the_saved_module(saved):
    path, module = saved
    x, _ = _data()
    layer = layers.TFSMLayer(path)
    close(layer(x), module.serve(x), "serve endpoint")
    close(layer(x), _reference_output(module, x), "by hand")
    signature = layers.TFSMLayer(path, call_endpoint="serving_default")
    out = signature(x)
    assert list(out) == ["output_0"]  # a signature returns its named outputs
    close(out["output_0"], module.serve(x), "signature endpoint")
    # symbolic calls take the endpoint's declared outputs
    assert tuple(layer(keras.Input((3,))).shape) == (None, 2)
    assert tuple(signature(keras.Input((3,)))["output_0"].shape) == (None, 2)


def test_weights_order_and_trainable_flags(saved):
    path, _ = saved
    layer = layers.TFSMLayer(path)
    assert [v.name for v in layer.weights] == ["kernel", "bias", "shift"]
    assert [v.name for v in layer.trainable_weights] == ["kernel", "bias"]
    assert [v.name for v in layer.non_trainable_weights] == ["shift"]
    # the training endpoint's variables join
    both = layers.TFSMLayer(path, call_training_endpoint="train")
    assert [v.name for v in both.non_trainable_weights] == ["shift", "calls"]
    frozen = layers.TFSMLayer(path, trainable=False)
    assert frozen.trainable_weights == []
    assert [v.name for v in frozen.non_trainable_weights] == ["kernel", "bias", "shift"]


def test_gradients_and_fit_match_tensorflow(saved):
    import tensorflow as tf

    path, module = saved
    x, y = _data()
    layer = layers.TFSMLayer(path, call_training_endpoint="train")
    model = keras.Sequential([keras.Input((3,)), layer, layers.Dense(1)])
    kernel, bias, d_kernel, d_bias = (tf.Variable(w) for w in
                                      [module.kernel.numpy(), module.bias.numpy(),
                                       *model.layers[1].get_weights()])
    with tf.GradientTape() as tape:
        hidden = module.shift + tf.tanh(x @ kernel + bias)
        loss = tf.reduce_mean((hidden @ d_kernel + d_bias - y) ** 2)
    params = [kernel, bias, d_kernel, d_bias]
    ref_grads = tape.gradient(loss, params)

    def forward():
        return keras.ops.mean(keras.ops.square(keras.ops.subtract(model(x, training=True), y)))

    value, grads = keras.compute_gradients(forward, model.trainable_variables)
    close(value, loss, "loss")
    for g, r in zip(grads, ref_grads, strict=True):
        close(g, r, "gradient")

    model.compile(optimizer=optimizers.SGD(learning_rate=LR), loss="mse")
    history = model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)
    close(history.history["loss"][0], loss, "fit loss")
    for w, p, g in zip(model.trainable_weights, params, ref_grads, strict=True):
        close(w.numpy(), p - LR * g, "weight after one SGD step")
    # each training call ran the training endpoint, whose state change was kept
    assert float(layer.non_trainable_weights[1].numpy()) == 2.0  # compute_gradients and fit


@pytest.mark.parametrize("compile_kwargs", [{}, {"run_eagerly": True}, {"jit_compile": True}],
                         ids=["compiled", "eager", "xla"])
def test_functional_model_trains_the_saved_model(saved, compile_kwargs):
    path, module = saved
    x, y = _data(16)
    before = module.kernel.numpy()
    layer = layers.TFSMLayer(path, call_endpoint="serving_default",
                             call_training_endpoint="training")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, layers.Dense(1)(layer(inputs)["output_0"]))
    model.compile(optimizer=optimizers.SGD(learning_rate=LR), loss="mse", **compile_kwargs)
    losses = model.fit(x, y, batch_size=8, epochs=5, shuffle=False, verbose=0).history["loss"]
    assert losses[-1] < losses[0]
    kernel, bias = layer.get_weights()[:2]
    assert not np.allclose(kernel, before)
    assert float(layer.non_trainable_weights[1].numpy()) == 10.0  # 5 epochs of 2 batches
    # the output follows the trained weights, and so do the SavedModel's own variables
    out = layer(x)["output_0"]
    close(out, _reference_output(module, x, kernel, bias), "trained output")
    close(layer._reloaded_obj.serve(x), out, "SavedModel's own function after training")


def test_set_weights_changes_outputs(saved):
    path, module = saved
    x, _ = _data()
    layer = layers.TFSMLayer(path)
    kernel, bias, shift = layer.get_weights()
    layer.set_weights([kernel * 2.0, bias - 1.0, shift])
    close(layer(x), _reference_output(module, x, kernel * 2.0, bias - 1.0), "after set_weights")


def test_config_round_trip_needs_unsafe_mode(saved, tmp_path):
    path, _ = saved
    x, y = _data()
    layer = layers.TFSMLayer(path, call_training_endpoint="train", name="sm")
    config = layer.get_config()
    assert {k: config[k] for k in ("filepath", "call_endpoint", "call_training_endpoint",
                                   "name", "trainable")} == {
        "filepath": path, "call_endpoint": "serve", "call_training_endpoint": "train",
        "name": "sm", "trainable": True}
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.TFSMLayer.from_config(config)
    rebuilt = layers.TFSMLayer.from_config(config, safe_mode=False)
    assert rebuilt.get_config() == config
    close(rebuilt(x), layer(x), "rebuilt from config")

    # a saved model keeps the trained weights; loading it needs safe_mode=False
    model = keras.Sequential([keras.Input((3,)), layer, layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match="safe_mode=False"):
        keras.models.load_model(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras", safe_mode=False)
    close(loaded.predict(x, verbose=0), model.predict(x, verbose=0), "loaded model")


def test_missing_endpoint_lists_the_available_ones(saved):
    path, _ = saved
    with pytest.raises(ValueError, match=r"'predict'.*serving_default.*training.*serve.*train"):
        layers.TFSMLayer(path, call_endpoint="predict")
    with pytest.raises(ValueError, match="call_training_endpoint"):
        layers.TFSMLayer(path, call_training_endpoint="fit")
