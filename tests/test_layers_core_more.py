"""Masking, Lambda, ReversibleEmbedding, Wrapper, ConvLSTM1D/2D/3D and the adaptive pooling
layers on the active backend against real Keras 3.15.1 (tests/data/keras_layers_core_more.json,
written by tests/data/make_keras_layers_core_more.py).

The shared checks of tests/layer_checks.py cover each recorded case; the tests below cover what
a case cannot hold: ConvLSTM's states (return_state, initial_state, stateful, masks, dropout),
ReversibleEmbedding's reverse call, Lambda's config and safe mode, Wrapper's config.
"""

import sys
import threading

import layer_checks
import numpy as np
import pytest
from layer_checks import arr, to_np

import keraslite
from keraslite import activations, backend, layers, ops, saving
from keraslite.backend.masking import get_keras_mask
from keraslite.backend.variables import StatelessScope
from keraslite.saving import serialization_lib
from keraslite.utils import tree

globals().update(layer_checks.layer_tests("keras_layers_core_more.json"))

EXTRA = layer_checks.load("keras_layers_core_more.json")["extra"]
RTOL = ATOL = 2e-5
GRAD_TOL = 1e-4


def close(got, want, tol=RTOL, msg=""):
    np.testing.assert_allclose(to_np(got), want, rtol=tol, atol=tol, err_msg=msg)


def without_dtype_module(config):
    """A config with the dtype policies' "module" left out (keraslite writes
    'keras.dtype_policies' where Keras writes 'keras'; both load in either)."""
    if isinstance(config, dict):
        out = {k: without_dtype_module(v) for k, v in config.items()}
        if out.get("class_name") == "DTypePolicy":
            out.pop("module", None)
        return out
    if isinstance(config, (list, tuple)):
        return [without_dtype_module(v) for v in config]
    return config


def json_config(layer):
    config = layer_checks._jsonable(layer.get_config())
    config.pop("name")
    return without_dtype_module(config)


# ------------------------------------------------------------------------------------ Wrapper


class Twice(layers.Wrapper):
    """A minimal Wrapper subclass: the wrapped layer's output times two."""

    def call(self, inputs):
        return self.layer(inputs) * 2


def test_wrapper_config_matches_keras_and_round_trips():
    wrapper = layers.Wrapper(layers.Dense(2, name="inner"), name="wrapper")
    want = without_dtype_module(EXTRA["wrapper_config"])
    assert without_dtype_module(layer_checks._jsonable(wrapper.get_config())) == want
    clone = layers.Wrapper.from_config(EXTRA["wrapper_config"])  # Keras' own config loads
    assert isinstance(clone.layer, layers.Dense)
    assert (clone.name, clone.layer.name, clone.layer.units) == ("wrapper", "inner", 2)


def test_wrapper_builds_and_tracks_the_inner_layer():
    dense = layers.Dense(3)
    twice = Twice(dense)
    x = np.random.default_rng(0).normal(size=(2, 4)).astype("float32")
    y = twice(x)
    assert dense.built and [v.name for v in twice.weights] == ["kernel", "bias"]
    close(y, 2 * to_np(dense(x)))
    clone = Twice.from_config(twice.get_config())
    assert isinstance(clone.layer, layers.Dense) and clone.layer.units == 3
    assert isinstance(layers.TimeDistributed(layers.Dense(2)), layers.Wrapper)


def test_wrapper_needs_a_layer():
    with pytest.raises(ValueError, match="Wrapper needs a keraslite Layer.*dense"):
        layers.Wrapper("dense")


# ------------------------------------------------------------------------------------ Masking


def test_masking_zeroes_masked_steps_and_lstm_skips_them():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 4, 3)).astype("float32")
    x[0, 2:] = 0.0  # sample 0: two padding steps at the end
    masked = layers.Masking()(ops.convert_to_tensor(x))
    np.testing.assert_array_equal(to_np(get_keras_mask(masked)),
                                  [[True, True, False, False], [True] * 4])

    lstm = layers.LSTM(2)
    inputs = layers.Input((4, 3))
    model = keraslite.Model(inputs, lstm(layers.Masking()(inputs)))
    out = to_np(model(x))
    close(out[0], to_np(lstm(x[:1, :2]))[0])  # the padding steps change nothing
    close(out[1], to_np(lstm(x[1:]))[0])


def test_masking_keeps_steps_with_any_other_value():
    x = np.array([[[0.5, 0.5], [0.5, 1.0], [1.0, 1.0]]], "float32")
    layer = layers.Masking(mask_value=0.5)
    np.testing.assert_array_equal(to_np(layer.compute_mask(ops.convert_to_tensor(x))),
                                  [[False, True, True]])
    close(layer(x), [[[0.0, 0.0], [0.5, 1.0], [1.0, 1.0]]])


# ------------------------------------------------------------------------------------ Lambda


@saving.register_keras_serializable(package="core_more")
def scale(t, k=1.0):
    return t * k


# the same functions as LAMBDAS in tests/data/make_keras_layers_core_more.py
LAMBDAS = {
    "named": (activations.relu, {}, (3,)),
    "registered_arguments": (scale, {"arguments": {"k": 2.0}}, (2, 3)),
    "output_shape": (lambda t: t[:, :2], {"output_shape": (5,)}, (3,)),
    "output_shape_fn": (lambda t: t[:, :2], {"output_shape": lambda s: (s[0], 7)}, (3,)),
    "cast_int": (lambda t: ops.cast(t, "int32"), {}, (3,)),
    "list_out": (lambda t: [t, t * 2], {}, (4,)),
    "tensor_mask": (lambda t: t, {"mask": ops.ones((2,))}, (2,)),
    "bytecode": (lambda t: t * 2.0 + 1.0, {}, (3,)),
}


def _without_bytecode(config):
    """Bytecode differs with the file and line a lambda was written on: keep its layout only."""
    if isinstance(config, dict):
        if config.get("class_name") == "__lambda__":
            return {"class_name": "__lambda__", "config": sorted(config["config"])}
        return {k: _without_bytecode(v) for k, v in config.items()}
    return config


@pytest.mark.parametrize("name", sorted(LAMBDAS))
def test_lambda_config_and_symbolic_output_like_keras(name):
    fn, kwargs, shape = LAMBDAS[name]
    layer = layers.Lambda(fn, **kwargs)
    out = tree.flatten(layer(layers.Input(shape)))
    want = EXTRA["lambda"][name]
    assert [list(t.shape) for t in out] == want["symbolic_shapes"]
    assert [backend.standardize_dtype(t.dtype) for t in out] == want["symbolic_dtypes"]
    assert _without_bytecode(json_config(layer)) == \
        _without_bytecode(without_dtype_module(want["config"]))


def test_lambda_calls_with_arguments_mask_and_training():
    x = np.array([[-1.0, 2.0, 3.0]], "float32")
    close(layers.Lambda(scale, arguments={"k": 3.0})(x), 3 * x)
    seen = {}

    def fn(inputs, mask=None, training=None):
        seen.update(mask=mask, training=training)
        return inputs

    layers.Lambda(fn)(x, mask=ops.convert_to_tensor([True]), training=True)
    assert seen["training"] is True and to_np(seen["mask"]).tolist() == [True]
    masked = layers.Lambda(lambda t: t, mask=lambda inputs, mask: ops.greater(inputs, 0))
    np.testing.assert_array_equal(to_np(masked.compute_mask(ops.convert_to_tensor(x))),
                                  x > 0)
    assert layers.Lambda(lambda t: t).compute_mask(x, ops.convert_to_tensor([True])) is None


def test_lambda_named_functions_load_in_safe_mode():
    for fn, kwargs in ((activations.relu, {}), (scale, {"arguments": {"k": 2.0}})):
        clone = layers.Lambda.from_config(layers.Lambda(fn, **kwargs).get_config())
        assert clone.function is fn and clone.arguments == kwargs.get("arguments", {})
    keras_config = dict(EXTRA["lambda"]["registered_arguments"]["config"])  # written by Keras
    clone = layers.Lambda.from_config(keras_config)
    assert clone.function is scale
    close(clone(np.ones((1, 2), "float32")), [[2.0, 2.0]])
    # a plain tuple output_shape comes back as a tuple, a tensor mask as a tensor
    clone = layers.Lambda.from_config(EXTRA["lambda"]["tensor_mask"]["config"] | {
        "function": {"class_name": "function", "config": "relu", "registered_name": "function"},
        "output_shape": [2]})
    assert clone._output_shape == (2,)
    np.testing.assert_array_equal(to_np(clone.mask), [1.0, 1.0])


def test_lambda_unregistered_function_needs_custom_objects():
    def triple(t):
        return t * 3.0

    config = layers.Lambda(triple, name="lt").get_config()
    assert config["function"]["config"] == "triple"
    with pytest.raises(TypeError, match="'lt'.*unknown function 'triple'.*custom_objects"):
        layers.Lambda.from_config(config)
    assert layers.Lambda.from_config(config, custom_objects={"triple": triple}).function is triple
    inputs = layers.Input((2,))
    model = keraslite.Model(inputs, layers.Lambda(triple)(inputs))
    clone = keraslite.Model.from_config(model.get_config(), custom_objects={"triple": triple})
    close(clone(np.ones((1, 2), "float32")), [[3.0, 3.0]])


def test_lambda_bytecode_is_refused_in_safe_mode():
    config = layers.Lambda(lambda t: t * 3.0, name="triple").get_config()
    with pytest.raises(ValueError, match=r"'triple'.*`safe_mode=False`"):
        layers.Lambda.from_config(config)
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.deserialize(layers.serialize(layers.Lambda(lambda t: t)))
    # a bytecode output_shape or mask is code too
    config = layers.Lambda(activations.relu, output_shape=lambda s: s).get_config()
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config)
    with serialization_lib.SafeModeScope(False):
        with pytest.raises(ValueError, match="safe_mode=False"):
            layers.Lambda.from_config(config, safe_mode=True)  # an explicit argument wins
    assert serialization_lib.in_safe_mode()


def test_lambda_bytecode_loads_when_safe_mode_is_off():
    x = np.array([[1.0, -2.0]], "float32")
    config = layers.Lambda(lambda t: ops.square(t) + 1.0).get_config()
    close(layers.Lambda.from_config(config, safe_mode=False)(x), x ** 2 + 1)
    with serialization_lib.SafeModeScope(False):
        assert not serialization_lib.in_safe_mode()
        close(layers.Lambda.from_config(config)(x), x ** 2 + 1)
        close(layers.deserialize(layers.serialize(layers.Lambda(lambda t: t - 1.0)))(x), x - 1)
    assert serialization_lib.in_safe_mode()
    serialized = layers.serialize(layers.Lambda(lambda t: t * 4.0))
    clone = saving.deserialize_keras_object(serialized, module_objects={"Lambda": layers.Lambda},
                                            safe_mode=False)
    close(clone(x), 4 * x)

    offset = 5.0  # defaults and closures travel with the bytecode
    config = layers.Lambda(lambda t, k=2.0: t * k + offset).get_config()
    close(layers.Lambda.from_config(config, safe_mode=False)(x), x * 2 + 5)


def test_enable_unsafe_deserialization_is_per_thread_like_keras():
    config = layers.Lambda(lambda t: t + 1.0).get_config()
    results = {}

    def worker():
        keraslite.config.enable_unsafe_deserialization()
        results["safe"] = serialization_lib.in_safe_mode()
        results["layer"] = layers.Lambda.from_config(config)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert results["safe"] is False and isinstance(results["layer"], layers.Lambda)
    assert serialization_lib.in_safe_mode()  # this thread is still safe
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config)


@pytest.mark.skipif(tuple(EXTRA["lambda"]["python"]) != sys.version_info[:2],
                    reason="bytecode only loads on the Python version that wrote it")
def test_lambda_written_by_keras_loads_when_unsafe():
    config = EXTRA["lambda"]["bytecode"]["config"]
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(config)
    layer = layers.Lambda.from_config(config, safe_mode=False)
    close(layer(np.array([[1.0, 2.0, 3.0]], "float32")), [[3.0, 5.0, 7.0]])


def test_lambda_shape_inference_failure_names_the_layer():
    def bad(t):
        raise RuntimeError("no shape")

    with pytest.raises(NotImplementedError, match="'bad_lambda'.*output_shape"):
        layers.Lambda(bad, name="bad_lambda")(layers.Input((3,)))
    with pytest.raises(TypeError, match="callable"):
        layers.Lambda(3)


# ------------------------------------------------------------------------- ReversibleEmbedding


@pytest.mark.parametrize("index", range(len(EXTRA["reverse"])))
def test_reversible_embedding_reverse_call(index):
    case = EXTRA["reverse"][index]
    layer = layers.ReversibleEmbedding(**case["kwargs"])
    layer(np.zeros((1, 2), "int32"))
    assert [v.name for v in layer.weights] == case["weight_names"]
    layer.set_weights([arr(w) for w in case["weights"]])
    x = ops.convert_to_tensor(arr(case["input"]))
    out = layer(x, reverse=True)
    want = arr(case["output"])
    assert backend.standardize_dtype(out.dtype) == case["output"]["dtype"]
    tol = 1e-2 if want.dtype == np.float16 else RTOL
    close(ops.cast(out, "float32"), want.astype("float32"), tol)

    w = ops.convert_to_tensor(arr(case["w"]))
    weights = layer.weights

    def loss(x, values):
        with StatelessScope(list(zip(weights, values))):
            return ops.sum(ops.cast(layer(x, reverse=True), "float32") * w)

    g_x, g_w = backend.grad(loss, argnums=(0, 1))(x, [v.value for v in weights])
    tol = 5e-2 if want.dtype == np.float16 else GRAD_TOL
    close(g_x, arr(case["grad_input"]), tol)
    for v, g, want_g in zip(weights, g_w, case["grad_weights"]):
        close(g, arr(want_g), tol, v.name)

    sym = layers.ReversibleEmbedding(**case["kwargs"])(
        layers.Input((3, case["kwargs"]["output_dim"])), reverse=True)
    assert list(sym.shape) == case["symbolic_shape"]
    assert backend.standardize_dtype(sym.dtype) == case["symbolic_dtype"]


def test_reversible_embedding_forward_mask_and_shape_check():
    layer = layers.ReversibleEmbedding(4, 2, mask_zero=True, name="rev")
    out = layer(np.array([[1, 0, 3]], "int32"))
    np.testing.assert_array_equal(to_np(get_keras_mask(out)), [[True, False, True]])
    assert layer.compute_mask(out) is None
    with pytest.raises(ValueError, match=r"'rev'.*output_dim=2.*\(1, 3, 5\)"):
        layer(np.zeros((1, 3, 5), "float32"), reverse=True)


# ------------------------------------------------------------------------------------ ConvLSTM


def conv_lstm(cls, case):
    layer = cls(**case["kwargs"])
    first = case["input"] if "input" in case else case["inputs"][0]
    layer(ops.convert_to_tensor(arr(first)))
    layer.set_weights([arr(w) for w in case["weights"]])
    return layer


def test_conv_lstm_return_state_and_initial_state():
    case = EXTRA["conv_lstm_states"]
    layer = conv_lstm(layers.ConvLSTM2D, case)
    x = ops.convert_to_tensor(arr(case["input"]))
    state = [ops.convert_to_tensor(arr(s)) for s in case["initial_state"]]
    outputs = layer(x, initial_state=state)
    assert len(outputs) == 3
    for got, want in zip(outputs, case["outputs"]):
        close(got, arr(want))

    ws = [ops.convert_to_tensor(arr(w)) for w in case["w"]]
    weights = layer.weights

    def loss(x, state, values):
        with StatelessScope(list(zip(weights, values))):
            out = layer(x, initial_state=state)
        return sum(ops.sum(o * w) for o, w in zip(out, ws))

    g_x, g_s, g_w = backend.grad(loss, argnums=(0, 1, 2))(x, state, [v.value for v in weights])
    close(g_x, arr(case["grad_input"]), GRAD_TOL)
    for g, want in zip(g_s, case["grad_initial_state"]):
        close(g, arr(want), GRAD_TOL)
    for v, g, want in zip(weights, g_w, case["grad_weights"]):
        close(g, arr(want), GRAD_TOL, v.name)

    sym = layers.ConvLSTM2D(**case["kwargs"])(layers.Input((None, 4, 4, 1)))
    assert [list(t.shape) for t in sym] == case["symbolic_shapes"]
    assert layer.compute_mask(x, None) == [None, None, None]


def test_conv_lstm_stateful_and_reset_state():
    case = EXTRA["conv_lstm_stateful"]
    layer = conv_lstm(layers.ConvLSTM1D, case)
    layer.reset_state()
    x1, x2 = (ops.convert_to_tensor(arr(x)) for x in case["inputs"])
    y1, y2 = layer(x1), layer(x2)
    layer.reset_state()
    y3 = layer(x2)
    for got, want in zip((y1, y2, y3), case["outputs"]):
        close(got, arr(want))
    assert [tuple(v.shape) for v in layer.states] == [(2, 3, 2), (2, 3, 2)]


def test_conv_lstm_mask_skips_padding_steps():
    """A right-padded sample ends in the state of its last real step; masked steps of the
    sequence output repeat the previous step (RNN's masking, on feature-map states)."""
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 4, 5, 2)).astype("float32")
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    layer = layers.ConvLSTM1D(2, 2, padding="same", return_sequences=True, return_state=True)
    seq, h, c = (to_np(t) for t in layer(x, mask=ops.convert_to_tensor(mask)))
    ref_seq, ref_h, ref_c = (to_np(t) for t in layer(x[:1, :2]))
    close(h[0], ref_h[0])
    close(c[0], ref_c[0])
    close(seq[0, :2], ref_seq[0])
    close(seq[0, 2], seq[0, 1])
    close(h[1], to_np(layer(x[1:])[1])[0])


def test_conv_lstm_dropout_in_training_only():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 4, 4, 1)).astype("float32")
    layer = layers.ConvLSTM2D(2, 2, dropout=0.5, recurrent_dropout=0.5, seed=3)
    plain = layers.ConvLSTM2D(2, 2)
    plain(x)
    layer(x)
    plain.set_weights(layer.get_weights())
    close(layer(x), to_np(plain(x)))  # inference: no dropout
    first, second = to_np(layer(x, training=True)), to_np(layer(x, training=True))
    assert np.all(np.isfinite(first)) and not np.allclose(first, to_np(plain(x)))
    assert not np.allclose(first, second)  # fresh masks at every call
    masks = layer.cell._draw_dropout_masks(ops.convert_to_tensor(x[:, 0]), 0.5)
    assert len(masks) == 4 and tuple(masks[0].shape) == (2, 4, 4, 1)  # one mask per gate


def test_conv_lstm_in_bidirectional_and_config_round_trip():
    x = np.random.default_rng(4).normal(size=(1, 3, 4, 2)).astype("float32")
    layer = layers.Bidirectional(layers.ConvLSTM1D(2, 2, return_sequences=True))
    assert tuple(layer(x).shape) == (1, 3, 3, 4)
    inner = layers.ConvLSTM3D(2, (1, 2, 2), data_format="channels_first", name="c3")
    clone = layers.deserialize(layers.serialize(inner))
    assert type(clone) is layers.ConvLSTM3D and clone.kernel_size == (1, 2, 2)
    assert clone.data_format == "channels_first" and clone.cell.rank == 3


def test_conv_lstm_needs_static_spatial_dims():
    with pytest.raises(ValueError, match=r"'cl'.*static spatial.*\(None, 3, None, 4, 1\)"):
        layers.ConvLSTM2D(2, 2, name="cl")(layers.Input((3, None, 4, 1)))


# ------------------------------------------------------------------------- adaptive pooling


def test_adaptive_pooling_checks_the_rank_and_takes_unknown_spatial_dims():
    # Keras 3.15.1 does not check the rank; keraslite names the layer and the shape
    with pytest.raises(ValueError, match=r"'ap'.*\(2, 4, 4\)"):
        layers.AdaptiveMaxPooling2D(2, name="ap")(np.zeros((2, 4, 4), "float32"))
    with pytest.raises(ValueError, match=r"'ap3'.*\(None, 4, 4, 3\)"):
        layers.AdaptiveAveragePooling3D(2, name="ap3")(layers.Input((4, 4, 3)))
    out = layers.AdaptiveAveragePooling2D((2, 3))(layers.Input((None, None, 3)))
    assert out.shape == (None, 2, 3, 3)
    with pytest.raises(ValueError, match="positive"):
        layers.AdaptiveAveragePooling1D(0)
