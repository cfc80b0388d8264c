"""The checks every layer gets against real Keras 3: shared by the tests/test_layers_*.py files
that read a json written by a tests/data/make_keras_layers_*.py generator (see
tests/data/layer_recorder.py for what a case records).

A test module calls `globals().update(layer_tests("keras_layers_<topic>.json"))`; the tests then
cover, per case: weight names, shapes, order and trainability; outputs, output dtype and output
mask; the moving statistics after a training call; gradients of sum(output * w) with respect to
the float inputs and every weight; get_config() (keys and values) and the from_config round
trip; the symbolic output shape; per error case the exception type, with the layer's name and
the offending shape in the message; constructor signatures; aliases.
"""

import inspect
import json
import pathlib

import numpy as np
import pytest

import keraslite
from keraslite import backend, ops
from keraslite.backend.variables import StatelessScope
from keraslite.layers import Input

DATA_DIR = pathlib.Path(__file__).parent / "data"
RTOL = ATOL = 2e-5
GRAD_RTOL = GRAD_ATOL = 1e-4  # sums of many products (convolutions) differ in the last bits


def load(filename):
    return json.loads((DATA_DIR / filename).read_text())


def public_layer(name):
    return getattr(keraslite.layers, name)


def arr(e):
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def to_np(x):
    return np.asarray(ops.convert_to_numpy(x))


def _jsonable(x):
    return json.loads(json.dumps(x, default=lambda o: o.tolist() if hasattr(o, "tolist")
                                 else list(o)))


def case_inputs(case):
    xs = [ops.convert_to_tensor(arr(e)) for e in case["inputs"]]
    return xs, (xs if case["multi"] else xs[0])


def call_kwargs(case):
    kwargs = {}
    if case["training"] is not None:
        kwargs["training"] = case["training"]
    if any(m is not None for m in case["masks"]):
        masks = [None if m is None else ops.convert_to_tensor(arr(m)) for m in case["masks"]]
        kwargs["mask"] = masks if case["multi"] else masks[0]
    return kwargs


def build_spec(spec, resolve=public_layer):
    """A layer from keras_layers_rnn.json's spec (nested cells and wrapped layers)."""
    cls = resolve(spec["class"])
    kwargs = dict(spec.get("kwargs", {}))
    if "cell" in spec:
        cell = spec["cell"]
        return cls([build_spec(c, resolve) for c in cell] if isinstance(cell, list)
                   else build_spec(cell, resolve), **kwargs)
    if "cells" in spec:
        return cls([build_spec(c, resolve) for c in spec["cells"]], **kwargs)
    if "layer" in spec:
        if "backward_layer" in spec:
            kwargs["backward_layer"] = build_spec(spec["backward_layer"], resolve)
        return cls(build_spec(spec["layer"], resolve), **kwargs)
    return cls(**kwargs)


def make_layer(case, resolve=None):
    """Our layer with the case's kwargs, built on its inputs and loaded with its weights."""
    layer = (resolve or public_layer)(case["class_name"])(**case["kwargs"])
    _, call_in = case_inputs(case)
    layer(call_in)
    layer.set_weights([arr(w["value"]) for w in case["weights"]])
    return layer


def _same(a, b):
    """Equal JSON values, floats to float32 precision (Keras stores some as float32)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return np.isclose(a, b, rtol=1e-7, atol=0)
    return a == b and type(a) is type(b)


def _config(config):
    config = _jsonable(config)
    config.pop("name", None)
    dtype = config.pop("dtype", None)
    return config, (dtype["config"]["name"] if isinstance(dtype, dict) else dtype)


def layer_tests(filename, resolve=public_layer):
    """The test functions for one reference file; `resolve(name)` gives our class or function."""
    data = load(filename)
    cases = {c["id"]: c for c in data["cases"]}
    errors = {e["id"]: e for e in data["errors"]}

    # ---------------------------------------------------------------------------- signatures


    @pytest.mark.parametrize("name", sorted(data["signatures"]))
    def test_signature(name):
        ours = []
        for p in inspect.signature(resolve(name)).parameters.values():
            default = None if p.default is inspect.Parameter.empty else _jsonable(p.default)
            ours.append({"name": p.name, "kind": p.kind.name,
                         "required": p.default is inspect.Parameter.empty, "default": default})
        assert ours == data["signatures"][name]


    def test_aliases():
        for alias, target in data["aliases"].items():
            assert getattr(keraslite.layers, alias) is resolve(target), alias


    # ---------------------------------------------------------------------------- values


    @pytest.mark.parametrize("case_id", sorted(cases))
    def test_weights_and_output(case_id):
        case = cases[case_id]
        layer = make_layer(case, resolve)
        assert [v.name for v in layer.weights] == [w["name"] for w in case["weights"]]
        assert [list(v.shape) for v in layer.weights] == [w["shape"] for w in case["weights"]]
        assert [v.trainable for v in layer.weights] == [w["trainable"] for w in case["weights"]]
        assert [v.name for v in layer.trainable_weights] == \
            [w["name"] for w in case["weights"] if w["trainable"]]

        _, call_in = case_inputs(case)
        kwargs = call_kwargs(case)
        out = layer(call_in, **kwargs)
        want = arr(case["output"])
        assert tuple(out.shape) == want.shape
        assert backend.standardize_dtype(out.dtype) == case["output"]["dtype"]
        np.testing.assert_allclose(to_np(out), want, rtol=RTOL, atol=ATOL)

        mask = layer.compute_mask(call_in, kwargs.get("mask"))
        if case["output_mask"] is None:
            assert mask is None
        else:
            np.testing.assert_array_equal(to_np(mask), arr(case["output_mask"]))

        # a training call moves the moving statistics exactly as Keras' does
        moving = {v.name: v for v in layer.non_trainable_weights}
        for name, value in case["new_non_trainable"].items():
            np.testing.assert_allclose(to_np(moving[name].value), arr(value), rtol=RTOL, atol=ATOL,
                                       err_msg=name)


    @pytest.mark.parametrize("case_id", sorted(cases))
    def test_gradients(case_id):
        case = cases[case_id]
        layer = make_layer(case, resolve)
        xs, _ = case_inputs(case)
        kwargs = call_kwargs(case)
        w = ops.convert_to_tensor(arr(case["w"]))
        float_idx = [i for i, e in enumerate(case["inputs"]) if "float" in e["dtype"]]
        weights = layer.weights

        def loss(float_inputs, values):
            args = list(xs)
            for i, v in zip(float_idx, float_inputs):
                args[i] = v
            with StatelessScope(list(zip(weights, values))):
                out = layer(args if case["multi"] else args[0], **kwargs)
            return ops.sum(ops.multiply(out, w))

        g_in, g_w = backend.grad(loss, argnums=(0, 1))([xs[i] for i in float_idx],
                                                      [v.value for v in weights])
        for i, g in zip(float_idx, g_in):
            np.testing.assert_allclose(to_np(g), arr(case["input_grads"][i]), rtol=GRAD_RTOL,
                                       atol=GRAD_ATOL, err_msg=f"input {i}")
        for v, g, want in zip(weights, g_w, case["weight_grads"]):
            np.testing.assert_allclose(to_np(g), arr(want), rtol=GRAD_RTOL, atol=GRAD_ATOL,
                                       err_msg=v.name)
        # the scope kept every assignment (BatchNormalization's statistics) off the variables
        for v, spec in zip(weights, case["weights"]):
            np.testing.assert_array_equal(to_np(v.value), arr(spec["value"]))


    # ---------------------------------------------------------------------------- config


    @pytest.mark.parametrize("case_id", sorted(cases))
    def test_config_and_round_trip(case_id):
        case = cases[case_id]
        layer = make_layer(case, resolve)
        ours, dtype = _config(layer.get_config())
        want, want_dtype = _config(case["config"])
        assert ours.keys() == want.keys()
        assert _same(ours, want), (ours, want)
        assert dtype == want_dtype

        clone = type(layer).from_config(layer.get_config())
        assert _config(clone.get_config()) == _config(layer.get_config())
        _, call_in = case_inputs(case)
        clone(call_in)
        clone.set_weights(layer.get_weights())
        kwargs = call_kwargs(case)
        kwargs.pop("training", None)  # inference: neither call changes state
        np.testing.assert_allclose(to_np(clone(call_in, **kwargs)), to_np(layer(call_in, **kwargs)),
                                   rtol=1e-6, atol=1e-6)


    @pytest.mark.parametrize("case_id", sorted(cases))
    def test_symbolic_shape(case_id):
        case = cases[case_id]
        layer = resolve(case["class_name"])(**case["kwargs"])
        sym = [Input(shape=tuple(e["shape"][1:]), dtype=e["dtype"]) for e in case["inputs"]]
        out = layer(sym if case["multi"] else sym[0])
        assert list(out.shape) == case["symbolic_shape"]
        assert backend.standardize_dtype(out.dtype) == case["symbolic_dtype"]


    # ---------------------------------------------------------------------------- errors


    def _zeros(shape):
        if shape and isinstance(shape[0], list):
            return [ops.zeros(tuple(s)) for s in shape]
        return ops.zeros(tuple(shape))


    @pytest.mark.parametrize("error_id", sorted(errors))
    def test_errors(error_id):
        spec = errors[error_id]
        expected = {"ValueError": ValueError, "TypeError": TypeError}[spec["expect"]]
        cls = resolve(spec["class_name"])
        if spec["stage"] == "init":
            with pytest.raises(expected):
                cls(**spec["kwargs"])
            return
        layer = cls(**spec["kwargs"])
        *good, bad = spec["calls"]
        for shape in good:
            layer(_zeros(shape))
        with pytest.raises(expected) as info:
            layer(_zeros(bad))
        message = str(info.value)
        assert layer.name in message
        shapes = bad if isinstance(bad[0], list) else [bad]
        for shape in shapes:
            assert str(tuple(shape)) in message, message

        if not good:  # the symbolic path fails the same way
            fresh = cls(**spec["kwargs"])
            sym = [Input(batch_shape=tuple(s)) for s in shapes]
            with pytest.raises(expected):
                fresh(sym if isinstance(bad[0], list) else sym[0])

    return {name: fn for name, fn in locals().items() if name.startswith("test_")}
