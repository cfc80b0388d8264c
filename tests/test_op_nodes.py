"""Ops called on symbolic tensors, recorded as Keras 3 records them: per case, the written
config equals the one Keras 3.15.1 wrote for the same model (tests/data/keras_op_nodes.json,
see make_keras_op_nodes.py), keraslite reads Keras' config back, and get_config/from_config and
`.keras` round trips predict the same as Keras did."""

import inspect
import json
import pathlib

import numpy as np
import pytest

import keraslite as keras
from keraslite import ops
from keraslite.backend import contract
from keraslite.layers import op_layer

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_op_nodes.json").read_text())
CASES = DATA["cases"]
X = np.asarray(DATA["input"], "float32")


def _build(name):
    x = keras.Input((3, 8), name="x")
    return keras.Model(x, eval(CASES[name]["expr"], {"ops": ops, "np": np, "x": x}), name=name)


def _expected(name):
    """Keras' prediction; for the one op Keras cannot run once recorded (norm), numpy's."""
    case = CASES[name]
    if case["output"] is None:
        assert name == "norm"
        return np.linalg.norm(X, axis=-1)
    return np.asarray(case["output"], case["dtype"])


def _check(got, name):
    want = _expected(name)
    got = np.asarray(got)
    assert got.shape == want.shape
    if want.dtype.kind in "biu":
        assert got.dtype.kind == want.dtype.kind
        np.testing.assert_array_equal(got, want)
    else:
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def _normalized(config):
    """The op records and output references of a model config, layer names replaced by their
    positions (op layers are named per session: take_1...)."""
    position = {layer["name"]: i for i, layer in enumerate(config["layers"])}

    def refs(value):
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            name, *rest = value["config"]["keras_history"]
            return {**value, "config": {**value["config"], "keras_history": [position[name], *rest]}}
        if isinstance(value, dict):
            return {k: refs(v) for k, v in value.items()}
        if isinstance(value, list):
            return [refs(v) for v in value]
        return value

    records = [{"module": layer["module"], "class_name": layer["class_name"],
                "registered_name": layer["registered_name"],
                "config": {k: v for k, v in layer["config"].items() if k != "name"},
                "inbound_nodes": refs(layer["inbound_nodes"])}
               for layer in config["layers"] if layer["module"].startswith("keras.src.ops")]
    out = config["output_layers"]
    return records, [position[out[0]], *out[1:]]


@pytest.mark.parametrize("name", sorted(CASES))
def test_record_is_keras_form(name):
    config = json.loads(json.dumps(_build(name).get_config()))
    assert _normalized(config) == _normalized(CASES[name]["config"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_predicts_as_keras(name):
    _check(_build(name).predict(X, verbose=0), name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_reads_keras_config(name):
    model = keras.Model.from_config(CASES[name]["config"])
    _check(model.predict(X, verbose=0), name)


@pytest.mark.parametrize("name", sorted(CASES))
def test_config_round_trip(name):
    model = _build(name)
    config = json.loads(json.dumps(model.get_config()))
    clone = keras.Model.from_config(config)
    _check(clone.predict(X, verbose=0), name)
    assert _normalized(json.loads(json.dumps(clone.get_config()))) == _normalized(config)


@pytest.mark.parametrize("name", ["reshape", "split_indices", "take_numpy", "pad", "get_item",
                                  "einsum", "average", "one_hot", "top_k_indices"])
def test_keras_file_round_trip(name, tmp_path):
    _build(name).save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    _check(loaded.predict(X, verbose=0), name)
    assert _normalized(loaded.get_config()) == _normalized(CASES[name]["config"])


def test_clone_model_keeps_op_arguments():
    model = _build("take")
    _check(keras.models.clone_model(model).predict(X, verbose=0), "take")


def test_reads_older_keraslite_records():
    """Earlier keraslite versions wrote the op's own call: positional constants among the
    arguments, only keyword constants in the config."""
    def tensor(name):
        return {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}

    def op(class_name, name, args, config=None):
        return {"module": "keras.src.ops.numpy", "class_name": class_name,
                "config": {"name": name, **(config or {})}, "registered_name": class_name,
                "name": name, "inbound_nodes": [{"args": args, "kwargs": {}}]}

    x = {"module": "keras.layers", "class_name": "InputLayer", "name": "x",
         "config": {"batch_shape": [None, 3, 8], "dtype": "float32", "name": "x"},
         "registered_name": None, "inbound_nodes": []}
    config = {"name": "old", "layers": [
        x, op("Take", "take", [tensor("x"), [2, 0], 1]),
        op("Sum", "sum", [tensor("take"), 2], {"keepdims": True}),
        op("Clip", "clip", [tensor("sum"), -0.5, 0.5])],
        "input_layers": [["x", 0, 0]], "output_layers": [["clip", 0, 0]]}
    got = keras.Model.from_config(config).predict(X, verbose=0)
    np.testing.assert_allclose(got, np.clip(X[:, [2, 0]].sum(2, keepdims=True), -0.5, 0.5),
                               rtol=1e-6, atol=1e-6)


def _public_ops():
    private = contract.private_names()
    for group in contract.GROUPS:
        for name, stub in contract.stubs(group).items():
            if name not in private:
                yield group, name, stub


def test_constructor_and_call_arguments_as_keras_classes():
    """For every op Keras 3 has an operation class for, the arguments keraslite writes to the
    config are that class's constructor parameters, the others its call parameters."""
    classes, checked, problems = DATA["classes"], 0, []
    for group, name, stub in _public_ops():
        keras_class = classes.get(group, {}).get(op_layer.keras_class_name(name))
        if keras_class is None:
            continue
        params = inspect.signature(stub).parameters
        names = [p for p, v in params.items() if v.kind != v.VAR_KEYWORD]
        calls = op_layer.call_params(name, names)
        config = [p for p in names if p not in calls]
        extra = set(keras_class["init"]) - set(config)
        has_kwargs = any(v.kind == v.VAR_KEYWORD for v in params.values())
        if calls != keras_class["call"] or not set(config) <= set(keras_class["init"]) or (
                extra and not has_kwargs):
            problems.append((group, name, calls, config, keras_class))
        checked += 1
    assert not problems
    assert checked > 250


def test_class_names_not_camel_case_exist_in_keras():
    for op_name, class_name in op_layer._CLASS_NAMES.items():
        group = op_layer._group_of(op_name)
        assert class_name in DATA["classes"][group], (op_name, class_name)
