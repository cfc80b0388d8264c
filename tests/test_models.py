"""Model building: Layer state, Sequential, the Functional API, subclassed models, summary."""

import numpy as np
import pytest

import keraslite
from keraslite import layers, ops
from keraslite.layers import Dense, Input
from keraslite.models import Functional, Model, Sequential


def np_(x):
    return np.asarray(ops.convert_to_numpy(x))


def dense_ref(x, kernel, bias, activation=None):
    y = x @ kernel + bias
    return np.maximum(y, 0) if activation == "relu" else y


def test_classic_sequential_builds_from_input_dim():
    model = Sequential()
    model.add(Dense(64, activation="relu", input_dim=100))
    model.add(Dense(10, activation="softmax"))
    assert model.built
    assert [tuple(w.shape) for w in model.weights] == [(100, 64), (64,), (64, 10), (10,)]
    assert [w.path for w in model.weights] == [
        f"{model.layers[0].name}/kernel", f"{model.layers[0].name}/bias",
        f"{model.layers[1].name}/kernel", f"{model.layers[1].name}/bias"]
    assert model.count_params() == 100 * 64 + 64 + 64 * 10 + 10
    assert model.output_shape == (None, 10)


def test_sequential_matches_numpy_with_set_weights():
    model = Sequential([Input((3,)), Dense(4, activation="relu"), Dense(2)])
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal(w.shape).astype("float32") for w in model.weights]
    model.set_weights(weights)
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)
    x = rng.standard_normal((5, 3)).astype("float32")
    expected = dense_ref(dense_ref(x, *weights[:2], "relu"), *weights[2:])
    np.testing.assert_allclose(np_(model(x)), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np_(model.predict(x, verbose=0)), expected, rtol=1e-5, atol=1e-6)


def test_sequential_builds_lazily_on_first_call():
    model = Sequential([Dense(3), Dense(1)])
    assert not model.built
    out = model(np.ones((2, 5), "float32"))
    assert tuple(out.shape) == (2, 1)
    assert model.built and [tuple(w.shape) for w in model.weights][0] == (5, 3)


def test_sequential_pop_and_duplicate_names():
    model = Sequential([Input((3,)), Dense(4, name="a"), Dense(2, name="b")])
    popped = model.pop()
    assert popped.name == "b" and [layer.name for layer in model.layers] == ["a"]
    assert model.output_shape == (None, 4)
    with pytest.raises(ValueError, match="unique names"):
        model.add(Dense(2, name="a"))


def test_functional_multi_input_output_and_shared_layer():
    a, b = Input((3,), name="a"), Input((3,), name="b")
    shared = Dense(4, name="shared")
    ha, hb = shared(a), shared(b)
    out1 = Dense(2, name="out1")(ops.add(ha, hb))
    out2 = Dense(1, name="out2")(hb)
    model = Model([a, b], [out1, out2])
    assert isinstance(model, Functional)
    assert model.output_names == ["out1", "out2"]
    assert len(model.weights) == 6  # the shared layer's weights count once
    rng = np.random.default_rng(1)
    model.set_weights([rng.standard_normal(w.shape).astype("float32") for w in model.weights])
    xa, xb = rng.standard_normal((2, 3)).astype("float32"), rng.standard_normal((2, 3)).astype(
        "float32")
    k, bias, k1, b1, k2, b2 = model.get_weights()
    h_a, h_b = xa @ k + bias, xb @ k + bias
    y1, y2 = model([xa, xb])
    np.testing.assert_allclose(np_(y1), (h_a + h_b) @ k1 + b1, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np_(y2), h_b @ k2 + b2, rtol=1e-5, atol=1e-5)
    # dict inputs keyed by input name
    y1d, _ = model({"a": xa, "b": xb})
    np.testing.assert_allclose(np_(y1d), np_(y1), rtol=1e-6)


def test_functional_dict_outputs_and_nested_model():
    inp = Input((4,), name="x")
    inner = Sequential([Input((4,)), Dense(3, name="inner_dense")], name="inner")
    h = inner(inp)
    model = Model(inp, {"head": Dense(2, name="head")(h), "feat": h})
    out = model(np.ones((2, 4), "float32"))
    assert set(out) == {"head", "feat"}
    assert tuple(out["head"].shape) == (2, 2) and tuple(out["feat"].shape) == (2, 3)
    assert len(model.weights) == 4


def test_subclassed_model():
    class TwoLayer(Model):
        def __init__(self):
            super().__init__(name="two_layer")
            self.blocks = [Dense(5, activation="relu"), Dense(2)]

        def call(self, inputs, training=None):
            x = inputs
            for block in self.blocks:
                x = block(x)
            return x

    model = TwoLayer()
    out = model(np.ones((3, 4), "float32"))
    assert tuple(out.shape) == (3, 2)
    assert [tuple(w.shape) for w in model.weights] == [(4, 5), (5,), (5, 2), (2,)]
    assert len(model.trainable_weights) == 4


def test_trainable_freezing():
    model = Sequential([Input((3,)), Dense(4), Dense(2)])
    model.layers[0].trainable = False
    assert len(model.trainable_weights) == 2 and len(model.non_trainable_weights) == 2
    model.trainable = False
    assert model.trainable_weights == [] and len(model.non_trainable_weights) == 4


def test_get_layer():
    model = Sequential([Input((3,)), Dense(4, name="first"), Dense(2, name="second")])
    assert model.get_layer("second") is model.layers[1]
    assert model.get_layer(index=0).name == "first"
    with pytest.raises(ValueError, match="No such layer: 'third'"):
        model.get_layer("third")


def test_summary_table():
    model = Sequential([Input((100,)), Dense(64, activation="relu", name="dense_a"),
                        Dense(10, activation="softmax", name="dense_b")], name="mlp")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert 'Model: "mlp"' in text
    assert "dense_a (Dense)" in text and "(None, 64)" in text and "6,464" in text
    assert "Total params: 7,114 (27.79 KB)" in text
    assert "Trainable params: 7,114 (27.79 KB)" in text
    assert "Non-trainable params: 0 (0.00 B)" in text


def test_symbolic_shapes_and_errors():
    x = Input((None, 6))
    y = Dense(3)(x)
    assert y.shape == (None, None, 3) and y.dtype == "float32"
    model = Model(x, y)
    with pytest.raises(ValueError, match="expected shape"):
        model(np.ones((2, 6), "float32"))
    layer = Dense(3)
    layer(np.ones((2, 4), "float32"))
    with pytest.raises(ValueError, match="last dimension 4"):
        layer(np.ones((2, 5), "float32"))


def test_graph_disconnected():
    a, b = Input((3,), name="a"), Input((3,), name="b")
    out = Dense(2)(ops.add(Dense(3)(a), b))
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(a, out)


def test_layer_weights_api_and_regularization_losses():
    layer = Dense(2, kernel_regularizer=keraslite.regularizers.L2(0.5))
    layer.build((None, 3))
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10
    layer.set_weights([kernel, np.zeros(2, "float32")])
    (loss,) = layer.losses
    np.testing.assert_allclose(float(np_(loss)), 0.5 * np.sum(kernel ** 2), rtol=1e-6)
    with pytest.raises(ValueError, match="shape"):
        layer.set_weights([np.zeros((2, 2), "float32"), np.zeros(2, "float32")])


def test_layers_namespace_serialization_round_trip():
    layer = Dense(3, activation="relu", name="d")
    config = layers.serialize(layer)
    assert config["class_name"] == "Dense" and config["config"]["units"] == 3
    clone = layers.deserialize(config)
    assert isinstance(clone, Dense) and clone.units == 3 and clone.name == "d"


def test_input_ragged_is_refused_clearly():
    assert layers.Input(shape=(3,), ragged=False).shape == (None, 3)
    with pytest.raises(ValueError, match="ragged=True"):
        layers.Input(shape=(3,), ragged=True)
    assert layers.InputLayer(shape=(3,)).get_config()["ragged"] is False


@pytest.mark.parametrize("kind", ["functional", "sequential"])
def test_model_training_mode_reaches_graph_layers(kind):
    """Regression: the mode recorded when the graph was built (the call's default, False) must
    not hide the model's mode: fit() trains with Dropout active, evaluate() does not.
    Output = sum of 4000 inputs of 1: exactly 4000 without dropout, 2 * (kept count) with it
    (4 samples, so that every one keeping exactly half by chance is negligible: ~1e-8)."""
    head = [layers.Dropout(0.5), layers.Dense(1, use_bias=False, kernel_initializer="ones",
                                              trainable=False)]
    if kind == "functional":
        a = Input((4000,))
        model = Model(a, head[1](head[0](a)))
    else:
        model = Sequential([Input((4000,)), *head])
    x, y = np.ones((4, 4000), "float32"), np.zeros((4, 1), "float32")
    assert not np.all(ops.convert_to_numpy(model(x, training=True)) == 4000)
    np.testing.assert_array_equal(ops.convert_to_numpy(model(x)), 4000)
    model.compile("sgd", "mse")
    losses = [model.fit(x, y, epochs=1, verbose=0).history["loss"][0] for _ in range(3)]
    assert all(loss != 4000.0 ** 2 for loss in losses), losses
    assert model.evaluate(x, y, verbose=0) == 4000.0 ** 2


def test_recorded_training_flag_is_overridden_by_the_model_call():
    a = Input((2000,))
    model = Model(a, layers.Dropout(0.5)(a, training=True))
    x = np.ones((1, 2000), "float32")
    assert 0.4 < np.mean(ops.convert_to_numpy(model(x)) == 0) < 0.6  # recorded mode
    assert np.all(ops.convert_to_numpy(model(x, training=False)) == 1)  # Keras: the call wins
