"""Bridge layers to a framework's own modules: TorchModuleWrapper (torch), JaxLayer and
FlaxLayer (jax), checked against the same computation written directly in that framework; and
the loader hook through which a backend adds them to keraslite.layers."""

import copy
import importlib
import sys
import types

import numpy as np
import pytest

import keraslite as keras
from keraslite import backend, layers, optimizers
from keraslite.backend import loader

BACKEND = backend.backend()
only_torch = pytest.mark.skipif(BACKEND != "torch", reason="torch bridge")
only_jax = pytest.mark.skipif(BACKEND != "jax", reason="jax bridges")
LR = 0.1


def close(a, b, what, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol, err_msg=what)


def _data(shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=shape).astype("float32"), rng.normal(size=(shape[0], 1)).astype(
        "float32")


def _fit_one_step(model, x, y):
    model.compile(optimizer=optimizers.SGD(learning_rate=LR), loss="mse")
    return model.fit(x, y, batch_size=len(x), epochs=1, shuffle=False, verbose=0)


# ---------------------------------------------------------------------------------- the hook


def test_layers_namespace_has_exactly_the_active_backends_bridges():
    bridges = {"torch": {"TorchModuleWrapper"}, "jax": {"JaxLayer", "FlaxLayer"}}
    for name in ("TorchModuleWrapper", "JaxLayer", "FlaxLayer"):
        expected = name in bridges.get(BACKEND, set())
        assert hasattr(layers, name) == expected, name
        assert (name in layers.__all__) == expected, name
        if expected:
            assert issubclass(getattr(layers, name), layers.Layer)


def _fake_backend(tmp_path, monkeypatch, layers_source):
    """Make the active backend a package 'fakebk' whose optional layers module has the given
    source (None: no layers module)."""
    pkg = tmp_path / "fakebk"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    if layers_source is not None:
        (pkg / "layers.py").write_text(layers_source)
    monkeypatch.syspath_prepend(str(tmp_path))
    for mod in ("fakebk", "fakebk.layers"):
        monkeypatch.delitem(sys.modules, mod, raising=False)
    monkeypatch.setattr(loader, "_ACTIVE",
                        loader.LoadedBackend("fakebk", importlib.import_module("fakebk"), {}))


def test_backend_layers_hook_reads_the_optional_layers_module(tmp_path, monkeypatch):
    _fake_backend(tmp_path, monkeypatch, "from keraslite.layers import Layer\n"
                  "__all__ = ['Bridge']\n"
                  "class Bridge(Layer):\n    pass\n"
                  "class NotExported(Layer):\n    pass\n")
    found = loader.backend_layers()
    assert list(found) == ["Bridge"]
    assert found["Bridge"].__module__ == "fakebk.layers"


def test_backend_layers_hook_without_layers_module(tmp_path, monkeypatch):
    _fake_backend(tmp_path, monkeypatch, None)
    assert loader.backend_layers() == {}


def test_backend_layers_hook_keeps_import_errors_of_the_module(tmp_path, monkeypatch):
    _fake_backend(tmp_path, monkeypatch, "import a_module_that_is_not_installed\n")
    with pytest.raises(ModuleNotFoundError, match="a_module_that_is_not_installed"):
        loader.backend_layers()


# ---------------------------------------------------------------------------------- torch


def _torch_net(torch):
    torch.manual_seed(0)
    return torch.nn.Sequential(torch.nn.Conv1d(2, 3, kernel_size=3), torch.nn.Tanh(),
                               torch.nn.Flatten(), torch.nn.Linear(12, 4))


def _torch_model(module):
    dense = layers.Dense(1, kernel_initializer="glorot_uniform")
    return keras.Sequential([keras.Input((2, 6)), layers.TorchModuleWrapper(module), dense])


@only_torch
def test_torch_module_wrapper_gradients_and_sgd_step_match_torch_autograd():
    import torch

    x, y = _data((5, 2, 6))
    module = _torch_net(torch)
    reference = copy.deepcopy(module)
    model = _torch_model(module)
    wrapper = model.layers[0]
    assert [v.name for v in wrapper.trainable_weights] == [
        "0.weight", "0.bias", "3.weight", "3.bias"]
    assert wrapper.non_trainable_weights == []
    kernel, bias = (torch.tensor(w, requires_grad=True) for w in model.layers[1].get_weights())

    # the same forward pass and loss, by hand in torch
    out = reference(torch.from_numpy(x)) @ kernel + bias
    loss = torch.mean((out - torch.from_numpy(y)) ** 2)
    loss.backward()
    ref_params = [*reference.parameters(), kernel, bias]

    def forward():
        return keras.ops.mean(keras.ops.square(keras.ops.subtract(model(x), y)))

    value, grads = keras.compute_gradients(forward, model.trainable_variables)
    close(value, loss.item(), "loss")
    for g, p in zip(grads, ref_params, strict=True):
        close(g, p.grad, "gradient")

    history = _fit_one_step(model, x, y)
    close(history.history["loss"][0], loss.item(), "fit loss")
    for w, p in zip(model.get_weights(), ref_params, strict=True):
        close(w, (p - LR * p.grad).detach(), "weight after one SGD step")
    # the module itself carries the trained weights
    close(wrapper.module[3].weight.detach(), model.get_weights()[2], "module weight")


@only_torch
def test_torch_module_wrapper_buffers_are_non_trainable_state():
    import torch

    x, y = _data((6, 3))
    torch.manual_seed(1)
    module = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.BatchNorm1d(3))
    module[0].bias.requires_grad_(False)  # a frozen parameter stays out of training
    reference = copy.deepcopy(module)
    frozen_bias = module[0].bias.detach().clone()
    model = keras.Sequential([keras.Input((3,)), layers.TorchModuleWrapper(module),
                              layers.Dense(1)])
    wrapper = model.layers[0]
    assert [v.name for v in wrapper.trainable_weights] == ["0.weight", "1.weight", "1.bias"]
    assert [v.name for v in wrapper.non_trainable_weights] == [
        "0.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"]

    _fit_one_step(model, x, y)
    reference.train()
    reference(torch.from_numpy(x))  # one training forward pass updates the statistics
    stats = {v.name: v.numpy() for v in wrapper.non_trainable_weights}
    close(stats["1.running_mean"], reference[1].running_mean, "running mean")
    close(stats["1.running_var"], reference[1].running_var, "running variance")
    assert int(stats["1.num_batches_tracked"]) == 1
    close(stats["0.bias"], frozen_bias, "frozen parameter")

    # inference uses the running statistics
    reference[0].weight.data = torch.from_numpy(wrapper.get_weights()[0])
    for name in ("weight", "bias"):
        getattr(reference[1], name).data = torch.from_numpy(
            next(v.numpy() for v in wrapper.weights if v.name == f"1.{name}"))
    reference.eval()
    close(wrapper(x, training=False), reference(torch.from_numpy(x)).detach(), "eval output")
    # a symbolic call (shape inference) leaves the statistics alone
    wrapper(keras.Input((3,)))
    close(wrapper.non_trainable_weights[1].numpy(), stats["1.running_mean"], "after tracing")


@only_torch
def test_torch_module_wrapper_weights_round_trip(tmp_path):
    import torch

    x, y = _data((4, 2, 6))
    model = _torch_model(_torch_net(torch))
    _fit_one_step(model, x, y)
    expected = model.predict(x, verbose=0)

    torch.manual_seed(5)  # other initial values
    other = _torch_model(torch.nn.Sequential(torch.nn.Conv1d(2, 3, kernel_size=3),
                                             torch.nn.Tanh(), torch.nn.Flatten(),
                                             torch.nn.Linear(12, 4)))
    assert not np.allclose(other.predict(x, verbose=0), expected)
    other.set_weights(model.get_weights())
    close(other.predict(x, verbose=0), expected, "after set_weights")

    path = tmp_path / "model.weights.h5"
    model.save_weights(path)
    third = _torch_model(_torch_net(torch).apply(
        lambda m: torch.nn.init.zeros_(m.weight) if hasattr(m, "weight") else None))
    third.load_weights(path)
    close(third.predict(x, verbose=0), expected, "after load_weights")

    store = {}
    model.layers[0].save_own_variables(store)
    assert sorted(store) == ["0.bias", "0.weight", "3.bias", "3.weight"]  # state_dict names
    with pytest.raises(ValueError, match="expects the entries"):
        model.layers[0].load_own_variables({"0.weight": store["0.weight"]})


@only_torch
def test_torch_module_wrapper_shapes_config_and_errors():
    import torch

    module = torch.nn.Linear(3, 2)
    out = layers.TorchModuleWrapper(module)(keras.Input((3,)))
    assert tuple(out.shape) == (None, 2)
    given = layers.TorchModuleWrapper(torch.nn.Linear(3, 2), output_shape=(None, 2))
    assert tuple(given(keras.Input((3,))).shape) == (None, 2)

    wrapper = layers.TorchModuleWrapper(module, name="wrapped")
    config = wrapper.get_config()
    assert config["name"] == "wrapped" and config["output_shape"] is None
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.TorchModuleWrapper.from_config(config)
    rebuilt = layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    x = np.ones((2, 3), "float32")
    close(rebuilt(x), wrapper(x), "rebuilt from config")

    with pytest.raises(TypeError, match="torch.nn.Module"):
        layers.TorchModuleWrapper(lambda t: t)
    with pytest.raises(ValueError, match="lazy"):
        layers.TorchModuleWrapper(torch.nn.LazyLinear(2))


# ---------------------------------------------------------------------------------- jax


def _linear_call(params, inputs):
    return inputs @ params["w"] + params["b"]


@only_jax
def test_jax_layer_gradients_and_sgd_step_match_jax_grad():
    import jax
    import jax.numpy as jnp

    x, y = _data((5, 3))
    rng = np.random.default_rng(1)
    params = {"w": rng.normal(size=(3, 4)).astype("float32"), "b": np.zeros(4, "float32")}
    model = keras.Sequential([keras.Input((3,)), layers.JaxLayer(_linear_call, params=params),
                              layers.Dense(1)])
    jax_layer = model.layers[0]
    assert jax_layer.built and len(jax_layer.trainable_weights) == 2
    kernel, bias = model.layers[1].get_weights()

    def loss_fn(p, k, b):
        return jnp.mean((_linear_call(p, x) @ k + b - y) ** 2)

    loss, grads = jax.value_and_grad(loss_fn, argnums=(0, 1, 2))(params, kernel, bias)
    history = _fit_one_step(model, x, y)
    close(history.history["loss"][0], loss, "fit loss")
    close(jax_layer.params["w"].numpy(), params["w"] - LR * grads[0]["w"], "w")
    close(jax_layer.params["b"].numpy(), params["b"] - LR * grads[0]["b"], "b")
    close(model.layers[1].get_weights()[0], kernel - LR * grads[1], "dense kernel")


@only_jax
def test_jax_layer_init_fn_state_and_rng():
    import jax

    def init_fn(rng, inputs):
        w = jax.random.normal(rng, (inputs.shape[-1], 2))
        return {"w": w}, {"calls": np.zeros((), "int32")}

    def call_fn(params, state, rng, inputs, training):
        out = inputs @ params["w"]
        if training:  # noise only in training, so rng is a key then (None otherwise)
            out = out + jax.random.uniform(rng, out.shape)
        return out, {"calls": state["calls"] + (1 if training else 0)}

    layer = layers.JaxLayer(call_fn, init_fn=init_fn, seed=3)
    x, y = _data((4, 3))
    model = keras.Sequential([keras.Input((3,)), layer])
    assert layer.params["w"].shape == (3, 2) and layer.params["w"].dtype == "float32"
    assert layer.state["calls"].dtype == "int32" and not layer.state["calls"].trainable
    model.compile(optimizer=optimizers.SGD(learning_rate=LR), loss="mse")
    model.fit(x, np.zeros((4, 2), "float32"), batch_size=2, epochs=2, shuffle=False, verbose=0)
    assert int(layer.state["calls"].numpy()) == 4  # one per training step
    w = layer.params["w"].numpy()
    close(model.predict(x, verbose=0), x @ w, "inference has no noise")
    assert int(layer.state["calls"].numpy()) == 4
    first, second = layer(x, training=True), layer(x, training=True)
    assert not np.allclose(first, second)  # the seed advances between training calls
    assert int(layer.state["calls"].numpy()) == 6


@only_jax
def test_jax_layer_bad_functions():
    with pytest.raises(ValueError, match="Missing required argument in `call_fn`: `inputs`"):
        layers.JaxLayer(lambda params, x: x, params={})
    with pytest.raises(ValueError, match="Unsupported argument in `call_fn`: `mask`"):
        layers.JaxLayer(lambda inputs, mask: inputs)
    with pytest.raises(ValueError, match="Unsupported argument in `init_fn`: `params`"):
        layers.JaxLayer(_linear_call, init_fn=lambda params, inputs: params)
    with pytest.raises(ValueError, match="cannot all be `None`"):
        layers.JaxLayer(_linear_call)

    def bad_state(state, inputs):
        return inputs, {"other": state["count"]}

    layer = layers.JaxLayer(bad_state, state={"count": np.zeros((), "float32")})
    with pytest.raises(ValueError):
        layer(np.ones((1, 2), "float32"))


@only_jax
def test_jax_layer_config_round_trip():
    from keraslite.saving import register_keras_serializable

    call = register_keras_serializable(package="bridges_test")(_linear_call)
    layer = layers.JaxLayer(call, params={"w": np.ones((2, 2), "float32"),
                                          "b": np.zeros(2, "float32")}, name="jl")
    config = layer.get_config()
    assert config["init_fn"] is None and config["native_serialization_platforms"] is None
    rebuilt = layers.JaxLayer.from_config({**config, "params": {
        "w": np.eye(2, dtype="float32"), "b": np.ones(2, "float32")}})
    assert rebuilt.call_fn is call and rebuilt.name == "jl"
    close(rebuilt(np.ones((1, 2), "float32")), [[2.0, 2.0]], "rebuilt layer")


def _flax_or_skip():
    try:
        return importlib.import_module("flax.linen")
    except ImportError:
        pytest.skip("flax is not installed (the ImportError test covers this case)")


@only_jax
def test_flax_layer_trains_like_flax_apply():
    import jax
    import jax.numpy as jnp

    nn = _flax_or_skip()

    class Net(nn.Module):
        @nn.compact
        def __call__(self, x, training):
            x = nn.Dense(4)(x)
            return nn.BatchNorm(use_running_average=not training, momentum=0.5)(x)

    x, y = _data((6, 3))
    keras.utils.set_random_seed(0)
    flax_layer = layers.FlaxLayer(Net())
    model = keras.Sequential([keras.Input((3,)), flax_layer, layers.Dense(1)])
    variables = jax.tree_util.tree_map(lambda v: jnp.asarray(v.numpy()),
                                       {**flax_layer.params, **flax_layer.state})
    assert sorted(variables) == ["batch_stats", "params"]
    assert len(flax_layer.trainable_weights) == 4 and len(flax_layer.non_trainable_weights) == 2
    kernel, bias = model.layers[1].get_weights()

    def loss_fn(params):
        out, updates = Net().apply({"params": params, "batch_stats": variables["batch_stats"]},
                                   x, training=True, mutable=["batch_stats"])
        return jnp.mean((out @ kernel + bias - y) ** 2), updates

    (loss, updates), grads = jax.jit(jax.value_and_grad(loss_fn, has_aux=True))(
        variables["params"])
    history = _fit_one_step(model, x, y)
    close(history.history["loss"][0], loss, "fit loss")
    trained = jax.tree_util.tree_map(lambda v: v.numpy(), flax_layer.params["params"])
    expected = jax.tree_util.tree_map(lambda p, g: p - LR * g, variables["params"], grads)
    for got, want in zip(jax.tree_util.tree_leaves(trained),
                         jax.tree_util.tree_leaves(expected), strict=True):
        close(got, want, "flax parameter after one SGD step")
    stats = flax_layer.state["batch_stats"]["BatchNorm_0"]
    close(stats["mean"].numpy(), updates["batch_stats"]["BatchNorm_0"]["mean"], "batch mean")

    # given variables are used as they are; inference uses the running statistics
    trained_variables = jax.tree_util.tree_map(lambda v: jnp.asarray(v.numpy()),
                                               {**flax_layer.params, **flax_layer.state})
    copied = layers.FlaxLayer(Net(), variables=trained_variables)
    want = jax.jit(lambda v: Net().apply(v, x, training=False))(trained_variables)
    close(copied(x), want, "FlaxLayer from variables")


@only_jax
def test_flax_layer_without_flax_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "flax", None)  # importing flax now fails
    with pytest.raises(ImportError, match="pip install flax"):
        layers.FlaxLayer(types.SimpleNamespace(__call__=lambda x: x))
