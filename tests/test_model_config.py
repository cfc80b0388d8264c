"""Model configs in Keras 3's format: Functional graphs (nested models, shared layers, several
outputs of one call, ops on symbolic tensors) and Sequential models survive
get_config -> json -> from_config with the same predictions."""

import json

import numpy as np
import pytest

import keraslite as keras
from keraslite import layers, ops


def _graph():
    inner_in = keras.Input((4,), name="ii")
    inner = keras.Model(inner_in, layers.Dense(3, name="id")(inner_in), name="inner")
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="sd")], name="seq")
    a, s = keras.Input((4,), name="a"), keras.Input((5, 2), name="s")
    o = seq(layers.Add(name="add")([inner(a), inner(a)]))
    _, _, c = layers.LSTM(3, return_state=True, name="lstm")(s)
    z = ops.sum(ops.concatenate([o, c * 2.0], axis=-1), axis=1, keepdims=True)
    return keras.Model([a, s], {"o": o, "c": c, "z": z}, name="outer")


def test_functional_config_is_keras_shaped():
    config = _graph().get_config()
    by_name = {layer["name"]: layer for layer in config["layers"]}
    # op layers are named like other layers (sum, sum_1...): find them by class
    by_name.update({layer["class_name"]: layer for layer in config["layers"]
                    if layer["module"].startswith("keras.src.ops")})
    assert config["input_layers"] == [["a", 0, 0], ["s", 0, 0]]
    assert config["output_layers"] == {"o": ["seq", 0, 0], "c": ["lstm", 0, 2],
                                       "z": [by_name["Sum"]["name"], 0, 0]}
    assert by_name["a"]["inbound_nodes"] == []
    # the shared nested model: two calls, numbered among this model's calls
    add_args = by_name["add"]["inbound_nodes"][0]["args"][0]
    assert [t["config"]["keras_history"] for t in add_args] == [["inner", 0, 0], ["inner", 1, 0]]
    assert len(by_name["inner"]["inbound_nodes"]) == 2
    assert by_name["inner"]["class_name"] == "Functional"
    # ops: Keras' operation records, keyword arguments in the config
    assert by_name["Sum"]["module"] == "keras.src.ops.numpy"
    assert by_name["Sum"]["config"] == {"name": by_name["Sum"]["name"], "axis": 1,
                                        "keepdims": True}
    assert by_name["Concatenate"]["config"] == {"name": by_name["Concatenate"]["name"],
                                                "axis": -1}
    multiply = by_name["Multiply"]["inbound_nodes"][0]["args"]
    assert multiply[0]["config"]["keras_history"] == ["lstm", 0, 2] and multiply[1] == 2.0


def test_functional_round_trip_through_json():
    model = _graph()
    clone = keras.Model.from_config(json.loads(json.dumps(model.get_config())))
    assert [layer.name for layer in clone.layers] == [layer.name for layer in model.layers]
    clone.set_weights(model.get_weights())
    rng = np.random.default_rng(0)
    x = [rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 5, 2)).astype("float32")]
    want, got = model.predict(x, verbose=0), clone.predict(x, verbose=0)
    assert sorted(got) == ["c", "o", "z"]
    for key in want:
        np.testing.assert_allclose(got[key], want[key], rtol=1e-6, atol=1e-6)
    assert json.dumps(clone.get_config()) == json.dumps(model.get_config())


def test_nested_functional_output_counts_its_own_node():
    inner_in = keras.Input((2,))
    inner = keras.Model(inner_in, layers.Dense(2, name="d")(inner_in), name="inner")
    a = keras.Input((2,), name="a")
    model = keras.Model(a, inner(a))
    config = model.get_config()
    assert config["output_layers"] == ["inner", 1, 0]  # Keras: node 0 is the model's own
    assert config["input_layers"] == ["a", 0, 0]
    clone = keras.Model.from_config(config)
    clone.set_weights(model.get_weights())
    x = np.ones((1, 2), "float32")
    np.testing.assert_allclose(ops.convert_to_numpy(clone(x)), ops.convert_to_numpy(model(x)))


def test_sequential_config_round_trip():
    model = keras.Sequential([keras.Input((4,)), layers.Dense(3), layers.Dropout(0.2),
                              layers.Dense(1)], name="seq")
    config = model.get_config()
    assert config["build_input_shape"] == [None, 4]
    assert [c["class_name"] for c in config["layers"]] == ["InputLayer", "Dense", "Dropout",
                                                           "Dense"]
    clone = keras.Sequential.from_config(json.loads(json.dumps(config)))
    clone.set_weights(model.get_weights())
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))


def test_clone_model_functional_new_weights_same_graph():
    model = _graph()
    clone = keras.models.clone_model(model)
    assert [type(v).__name__ for v in clone.layers] == [type(v).__name__ for v in model.layers]
    assert not any(a is b for a, b in zip(clone.weights, model.weights))
    # fresh initial values, same shapes; then the same function once the weights are copied
    assert any(not np.array_equal(a.numpy(), b.numpy())
               for a, b in zip(clone.weights, model.weights) if "kernel" in a.name)
    clone.set_weights(model.get_weights())
    rng = np.random.default_rng(1)
    x = [rng.normal(size=(2, 4)).astype("float32"), rng.normal(size=(2, 5, 2)).astype("float32")]
    for key, want in model.predict(x, verbose=0).items():
        np.testing.assert_allclose(clone.predict(x, verbose=0)[key], want, rtol=1e-6, atol=1e-6)
    # the shared nested model stays one model, called twice
    inner = [v for v in clone.layers if v.name == "inner"]
    assert len(inner) == 1 and len(inner[0]._inbound_nodes) == 2


def test_clone_model_with_functions_and_inputs():
    seq = keras.Sequential([keras.Input((3,)), layers.Dense(2), layers.Dense(1)])
    wider = keras.models.clone_model(
        seq, clone_function=lambda v: layers.Dense(7) if v.units == 2 else
        v.__class__.from_config(v.get_config()))
    assert [v.units for v in wider.layers] == [7, 1]
    seen = []
    a = keras.Input((3,), name="x")
    model = keras.Model(a, layers.Dense(2, name="d")(a))
    new_input = keras.Input((3,), name="new")
    clone = keras.models.clone_model(
        model, input_tensors=[new_input],
        call_function=lambda layer, *args, **kw: seen.append(layer.name) or layer(*args, **kw))
    assert seen == ["d"] and clone.inputs[0] is new_input

    class Sub(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = layers.Dense(2)

        def call(self, x):
            return self.d(x)

    with pytest.raises(ValueError, match="subclassed"):
        keras.models.clone_model(Sub(), clone_function=lambda v: v)
