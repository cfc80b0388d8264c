"""keraslite.layers.rnn on the active backend against real Keras 3.15.1
(tests/data/keras_layers_rnn.json, written by tests/data/make_keras_layers_rnn.py).

Every layer case is rebuilt from the same spec, given Keras' weights with set_weights, and
compared with Keras: outputs (eager and under backend.jit), the gradient of sum(output * w)
with respect to the input, initial state and weights, weight names and shapes, get_config()
and its round trip, and symbolic output shapes. Cells, stateful layers and error messages are
compared too; dropout, masks arriving through a functional graph, StatelessScope and a short
fit() are checked on their own.
"""

import inspect
import json
import pathlib
import re

import numpy as np
import pytest
from layer_checks import build_spec as build

import keraslite
from keraslite import backend, layers, ops
from keraslite.backend.masking import set_keras_mask
from keraslite.backend.variables import StatelessScope
from keraslite.layers import rnn
from keraslite.layers.layer import Layer
from keraslite.utils import tree

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_layers_rnn.json").read_text())
LAYER_CASES = {c["name"]: c for c in DATA["layers"]}
CELL_CASES = {c["name"]: c for c in DATA["cells"]}
STATEFUL_CASES = {c["name"]: c for c in DATA["stateful"]}
ATOL, RTOL = 1e-5, 1e-5
GRAD_ATOL, GRAD_RTOL = 2e-5, 1e-4


def dec(e):
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def dec_tree(x):
    if isinstance(x, list):
        return [dec_tree(v) for v in x]
    return dec(x)


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


def call_kwargs(case):
    kwargs = {}
    if case.get("mask") is not None:
        kwargs["mask"] = ops.convert_to_tensor(dec(case["mask"]))
    if case.get("initial_state") is not None:
        kwargs["initial_state"] = tree.map_structure(ops.convert_to_tensor,
                                                     dec_tree(case["initial_state"]))
    return kwargs


def built_layer(case):
    layer = build(case["spec"])
    x = ops.convert_to_tensor(dec(case["input"]))
    layer(x, **call_kwargs(case))
    layer.set_weights([dec(w) for w in case["weights"]])
    return layer, x


def assert_close(got, want, atol=ATOL, rtol=RTOL, what=""):
    got = _np(got)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != {want.shape}"
    np.testing.assert_allclose(got, want, atol=atol, rtol=rtol, err_msg=what)


def assert_outputs(out, case):
    flat = tree.flatten(out)
    want = [dec(o) for o in case["outputs"]]
    assert len(flat) == len(want)
    assert isinstance(out, (list, tuple)) == case["output_is_nested"]
    for i, (g, w) in enumerate(zip(flat, want)):
        assert_close(g, w, what=f"{case['name']} output {i}")


def normalize_config(config):
    """A config without what legitimately differs between runs and libraries: the counter
    suffix of auto-generated names ('lstm_cell_3'), the build config Keras adds to nested
    layers, and the module path of the dtype policy (keraslite's serializer writes
    'keras.dtype_policies' where Keras writes 'keras')."""
    if isinstance(config, dict):
        # quantization_config: Dense's own key (Dense is not part of this suite)
        out = {k: normalize_config(v) for k, v in config.items()
               if k not in ("build_config", "quantization_config")}
        if isinstance(out.get("name"), str):
            out["name"] = re.sub(r"_\d+$", "", out["name"])
        if out.get("class_name") == "DTypePolicy":
            out["module"] = "keras"
        return out
    if isinstance(config, (list, tuple)):
        return [normalize_config(v) for v in config]
    return config


# ------------------------------------------------------------------------------------------
# layers against Keras


@pytest.mark.parametrize("name", sorted(LAYER_CASES))
def test_layer_outputs_and_weights(name):
    case = LAYER_CASES[name]
    layer, x = built_layer(case)
    assert [v.name for v in layer.weights] == case["weight_names"]
    assert [list(v.shape) for v in layer.weights] == case["weight_shapes"]
    assert_outputs(layer(x, **call_kwargs(case)), case)


@pytest.mark.parametrize("name", sorted(LAYER_CASES))
def test_layer_outputs_jit(name):
    case = LAYER_CASES[name]
    layer, x = built_layer(case)
    kwargs = call_kwargs(case)
    mask, state = kwargs.get("mask"), kwargs.get("initial_state")

    def run(x, mask, state):
        extra = {}
        if mask is not None:
            extra["mask"] = mask
        if state is not None:
            extra["initial_state"] = state
        return layer(x, **extra)

    assert_outputs(backend.jit(run)(x, mask, state), case)


@pytest.mark.parametrize("name", sorted(LAYER_CASES))
def test_layer_gradients(name):
    case = LAYER_CASES[name]
    layer, x = built_layer(case)
    kwargs = call_kwargs(case)
    mask = kwargs.get("mask")
    out_w = [ops.convert_to_tensor(dec(w)) for w in case["output_weights"]]
    variables = layer.weights

    def loss(values, x, state):
        with StatelessScope(list(zip(variables, values))):
            extra = {} if mask is None else {"mask": mask}
            if state is not None:
                extra["initial_state"] = state
            out = tree.flatten(layer(x, **extra))
        total = ops.sum(ops.multiply(out[0], out_w[0]))
        for o, w in zip(out[1:], out_w[1:]):
            total = ops.add(total, ops.sum(ops.multiply(o, w)))
        return total

    values = [v.value for v in variables]
    state = kwargs.get("initial_state")
    _, (g_w, g_x, g_s) = backend.value_and_grad(loss, argnums=(0, 1, 2))(values, x, state)
    assert_close(g_x, dec(case["grad_input"]), GRAD_ATOL, GRAD_RTOL, f"{name} d/dx")
    for v, g, want in zip(variables, g_w, case["grad_weights"]):
        assert_close(g, dec(want), GRAD_ATOL, GRAD_RTOL, f"{name} d/d{v.name}")
    if case["grad_initial_state"] is not None:
        for g, want in zip(tree.flatten(g_s), tree.flatten(dec_tree(case["grad_initial_state"]))):
            assert_close(g, want, GRAD_ATOL, GRAD_RTOL, f"{name} d/dinitial_state")


@pytest.mark.parametrize("name", sorted(LAYER_CASES))
def test_layer_config_round_trip(name):
    case = LAYER_CASES[name]
    layer, x = built_layer(case)
    config = layer.get_config()
    assert normalize_config(config) == normalize_config(case["config"])
    clone = type(layer).from_config(config)
    assert normalize_config(clone.get_config()) == normalize_config(config)
    clone(x, **call_kwargs(case))
    clone.set_weights(layer.get_weights())
    assert_outputs(clone(x, **call_kwargs(case)), case)
    # and through the generic entry point, which must know the recurrent classes
    again = rnn.deserialize_layer(keraslite.saving.serialize_keras_object(layer))
    assert type(again) is type(layer)


# Keras sizes a concatenated Bidirectional output from the forward layer alone; with a different
# backward layer the true last dimension is forward + backward units (as the eager output has).
SYMBOLIC_FIXES = {"bi_backward_layer": ([[None, 4, 5]], [[None, None, 5]])}


@pytest.mark.parametrize("name", sorted(n for n, c in LAYER_CASES.items()
                                        if "symbolic_shapes" in c))
def test_symbolic_shapes(name):
    case = LAYER_CASES[name]
    want = SYMBOLIC_FIXES.get(name, (case["symbolic_shapes"], case["symbolic_shapes_no_time"]))
    for time, shapes in zip((4, None), want):
        out = build(case["spec"])(layers.Input((time, 3)))
        assert [list(t.shape) for t in tree.flatten(out)] == shapes


def test_symbolic_shapes_match_eager():
    case = LAYER_CASES["rnn_stacked_list"]
    layer, x = built_layer(case)
    eager = [list(_np(t).shape) for t in tree.flatten(layer(x))]
    sym = build(case["spec"])(layers.Input(batch_shape=(2, 4, 3)))
    assert [list(t.shape) for t in tree.flatten(sym)] == eager


# ------------------------------------------------------------------------------------------
# cells


@pytest.mark.parametrize("name", sorted(CELL_CASES))
def test_cells(name):
    case = CELL_CASES[name]
    cell = build(case["spec"])
    x = ops.convert_to_tensor(dec(case["input"]))
    states = tree.map_structure(ops.convert_to_tensor, dec_tree(case["states"]))
    cell(x, states)
    cell.set_weights([dec(w) for w in case["weights"]])
    assert [v.name for v in cell.weights] == case["weight_names"]
    assert [list(v.shape) for v in cell.weights] == case["weight_shapes"]
    assert cell.state_size == case["state_size"]
    assert cell.output_size == case["output_size"]
    out = cell(x, states)
    assert tree.map_structure(lambda _: 0, [out[0], out[1]]) == case["output_structure"]
    for g, w in zip(tree.flatten(out), case["outputs"]):
        assert_close(g, dec(w), what=name)
    assert normalize_config(cell.get_config()) == normalize_config(case["config"])

    out_w = [ops.convert_to_tensor(dec(w)) for w in case["output_weights"]]
    variables = cell.weights

    def loss(values, x, states):
        with StatelessScope(list(zip(variables, values))):
            flat = tree.flatten(cell(x, states))
        total = ops.sum(ops.multiply(flat[0], out_w[0]))
        for o, w in zip(flat[1:], out_w[1:]):
            total = ops.add(total, ops.sum(ops.multiply(o, w)))
        return total

    _, (g_w, g_x, g_s) = backend.value_and_grad(loss, argnums=(0, 1, 2))(
        [v.value for v in variables], x, states)
    assert_close(g_x, dec(case["grad_input"]), GRAD_ATOL, GRAD_RTOL, f"{name} d/dx")
    for g, want in zip(g_w, case["grad_weights"]):
        assert_close(g, dec(want), GRAD_ATOL, GRAD_RTOL, f"{name} d/dw")
    for g, want in zip(tree.flatten(g_s), tree.flatten(dec_tree(case["grad_states"]))):
        assert_close(g, want, GRAD_ATOL, GRAD_RTOL, f"{name} d/dstates")


def test_lstm_unit_forget_bias_initializer():
    cell = rnn.LSTMCell(2, bias_initializer="zeros")
    cell.build((None, 3))
    np.testing.assert_array_equal(_np(cell.bias.value), [0, 0, 1, 1, 0, 0, 0, 0])
    cell = rnn.LSTMCell(2, unit_forget_bias=False)
    cell.build((None, 3))
    np.testing.assert_array_equal(_np(cell.bias.value), np.zeros(8))


def test_gru_bias_shapes():
    for reset_after, shape in ((True, (2, 9)), (False, (9,))):
        layer = rnn.GRU(3, reset_after=reset_after)
        layer(np.zeros((1, 2, 4), "float32"))
        assert [tuple(v.shape) for v in layer.weights] == [(4, 9), (3, 9), shape]


# ------------------------------------------------------------------------------------------
# stateful layers


@pytest.mark.parametrize("name", sorted(STATEFUL_CASES))
def test_stateful(name):
    case = STATEFUL_CASES[name]
    layer = build(case["spec"])
    xs = [ops.convert_to_tensor(dec(x)) for x in case["inputs"]]
    layer(xs[0])
    layer.set_weights([dec(w) for w in case["weights"]])
    layer.reset_state()
    assert len(layer.weights) == case["num_weights"]
    got = [layer(xs[0]), layer(xs[1])]
    layer.reset_states()
    got.append(layer(xs[0]))
    for i, (out, want) in enumerate(zip(got, case["outputs"])):
        for g, w in zip(tree.flatten(out), want):
            assert_close(g, dec(w), what=f"{name} call {i}")


def test_stateful_states_are_non_trainable_state():
    layer = rnn.LSTM(3, stateful=True)
    x = np.random.default_rng(0).normal(size=(2, 4, 3)).astype("float32")
    layer(x)
    assert len(layer.weights) == 3 and len(layer.trainable_variables) == 3
    states = tree.flatten(layer.states)
    assert all(any(s is v for v in layer.non_trainable_variables) for s in states)
    assert all(not any(s is w for w in layer.weights) for s in states)


def test_stateful_inside_stateless_scope_under_jit():
    layer = rnn.GRU(3, stateful=True)
    x = ops.convert_to_tensor(np.random.default_rng(1).normal(size=(2, 4, 3)).astype("float32"))
    layer(x)
    layer.reset_state()
    state_vars = tree.flatten(layer.states)
    variables = layer.weights + state_vars

    def step(values, x):
        with StatelessScope(list(zip(variables, values))) as scope:
            out = layer(x)
        return out, [scope.get_current_value(v) for v in state_vars]

    values = [v.value for v in variables]
    out1, new_states = backend.jit(step)(values, x)
    # the real variables are untouched; the scope holds the new state, which feeds the next call
    assert not np.any(_np(state_vars[0].value))
    np.testing.assert_allclose(_np(new_states[0]), _np(out1), atol=1e-6)
    eager1 = layer(x)
    np.testing.assert_allclose(_np(eager1), _np(out1), atol=1e-5)
    out2, _ = backend.jit(step)([v.value for v in layer.weights] + new_states, x)
    np.testing.assert_allclose(_np(layer(x)), _np(out2), atol=1e-5)


def test_stateful_batch_size_mismatch():
    layer = rnn.SimpleRNN(2, stateful=True, name="srnn")
    layer(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="srnn"):
        layer(np.zeros((3, 3, 4), "float32"))


def test_bidirectional_reset_state_needs_stateful():
    layer = rnn.Bidirectional(rnn.LSTM(2))
    with pytest.raises(AttributeError):
        layer.reset_state()


# ------------------------------------------------------------------------------------------
# masks


class _ZeroMask(Layer):
    """Test-only stand-in for Embedding(mask_zero=True): passes inputs, masks all-zero steps."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_mask(self, inputs, previous_mask):
        return ops.any(ops.not_equal(inputs, 0), axis=-1)

    def compute_output_shape(self, input_shape):
        return input_shape


@pytest.mark.parametrize("name", ["lstm_mask", "gru_mask", "bi_lstm_mask", "rnn_stacked_obj",
                                  "simple_rnn_mask_last"])
def test_mask_arrives_through_functional_graph(name):
    case = LAYER_CASES[name]
    layer, _ = built_layer(case)
    x = dec(case["input"]) * dec(case["mask"])[..., None]  # masked steps become zeros
    inputs = layers.Input((4, 3))
    model = keraslite.models.Model(inputs, layer(_ZeroMask()(inputs)))
    got = model(ops.convert_to_tensor(x))
    # the masked steps' inputs changed, but a masked step never reaches the outputs
    assert_outputs(got, case)


@pytest.mark.skipif(backend.backend() == "jax", reason="jax arrays cannot carry a mask attribute")
def test_mask_attached_to_input_tensor():
    case = LAYER_CASES["lstm_mask"]
    layer, x = built_layer(case)
    set_keras_mask(x, ops.convert_to_tensor(dec(case["mask"])))
    assert_outputs(layer(x), case)


def test_output_mask():
    mask = ops.convert_to_tensor(np.array([[1, 1, 0], [1, 0, 0]], bool))
    x = np.ones((2, 3, 2), "float32")
    seq = rnn.GRU(2, return_sequences=True, return_state=True)
    seq(x)
    out_mask = seq.compute_mask(x, mask)
    assert _np(out_mask[0]).tolist() == _np(mask).tolist() and out_mask[1] is None
    assert rnn.LSTM(2).compute_mask(x, mask) is None
    bi = rnn.Bidirectional(rnn.LSTM(2, return_sequences=True), merge_mode=None)
    assert len(bi.compute_mask(x, mask)) == 2


# ------------------------------------------------------------------------------------------
# dropout


def _linear_probe(layer_cls, **kwargs):
    """A SimpleRNN whose output is exactly its input dropout mask (identity kernel, no
    recurrence, no bias, linear activation) on inputs of ones."""
    layer = layer_cls(4, activation=None, return_sequences=True, seed=3, **kwargs)
    layer(np.ones((2, 5, 4), "float32"))
    layer.set_weights([np.eye(4, dtype="float32"), np.zeros((4, 4), "float32"),
                       np.zeros(4, "float32")])
    return layer


def test_dropout_mask_is_shared_across_time_steps():
    layer = _linear_probe(rnn.SimpleRNN, dropout=0.5)
    x = np.ones((2, 5, 4), "float32")
    out = _np(layer(x, training=True))
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < np.count_nonzero(out) < out.size
    for t in range(1, 5):
        np.testing.assert_array_equal(out[:, t], out[:, 0])
    np.testing.assert_array_equal(_np(layer(x)), np.ones((2, 5, 4)))  # inference: no dropout
    # a new call draws a new mask
    outs = [_np(layer(x, training=True))[:, 0] for _ in range(4)]
    assert any(not np.array_equal(outs[0], o) for o in outs[1:])


@pytest.mark.parametrize("cls", [rnn.LSTM, rnn.GRU, rnn.SimpleRNN])
@pytest.mark.parametrize("rates", [(0.5, 0.0), (0.0, 0.5), (0.3, 0.3)])
def test_dropout_training_only_and_seeded(cls, rates):
    kwargs = dict(dropout=rates[0], recurrent_dropout=rates[1], seed=7, return_sequences=True)
    x = np.random.default_rng(2).normal(size=(3, 6, 4)).astype("float32")
    a, b, plain = cls(5, **kwargs), cls(5, **kwargs), cls(5, return_sequences=True)
    a(x)
    for other in (b, plain):
        other(x)
        other.set_weights(a.get_weights())
    np.testing.assert_allclose(_np(a(x)), _np(plain(x)), atol=1e-6)
    ya = _np(a(x, training=True))
    assert not np.allclose(ya, _np(plain(x)), atol=1e-3)
    np.testing.assert_allclose(ya, _np(b(x, training=True)), atol=1e-6)  # same seed, same masks
    assert not hasattr(a.cell, "_dropout_mask") or a.cell._dropout_mask is None


def test_dropout_under_jit_in_stateless_scope():
    layer = rnn.LSTM(3, dropout=0.4, recurrent_dropout=0.4, seed=1, return_sequences=True)
    x = ops.convert_to_tensor(np.random.default_rng(3).normal(size=(2, 5, 3)).astype("float32"))
    layer(x)
    variables = layer.variables

    def step(values, x):
        with StatelessScope(list(zip(variables, values))) as scope:
            out = layer(x, training=True)
        return out, [scope.get_current_value(v) for v in variables]

    values = [v.value for v in variables]
    out1, new1 = backend.jit(step)(values, x)
    out2, _ = backend.jit(step)([n if n is not None else v for n, v in zip(new1, values)], x)
    assert np.all(np.isfinite(_np(out1)))
    assert not np.allclose(_np(out1), _np(out2))  # the seed state advanced between steps
    seed_state = layer.cell.seed_generator.state
    assert any(n is not None and not np.array_equal(_np(n), _np(seed_state.value))
               for v, n in zip(variables, new1) if v is seed_state)


def test_fit_with_recurrent_layers():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 5, 3)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    model = keraslite.models.Sequential([
        layers.Input((5, 3)),
        rnn.Bidirectional(rnn.LSTM(4, return_sequences=True, dropout=0.2, seed=1)),
        rnn.GRU(4, recurrent_dropout=0.2, seed=2),
        layers.Dense(2),
    ])
    model.compile(optimizer="adam", loss="mse")
    before = [w.copy() for w in model.get_weights()]
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    losses = history.history["loss"]
    assert all(np.isfinite(losses))
    assert any(not np.allclose(a, b) for a, b in zip(before, model.get_weights()))


# ------------------------------------------------------------------------------------------
# arguments, errors, API


def test_signatures_match_keras():
    for name, params in DATA["signatures"].items():
        sig = inspect.signature(getattr(rnn, name).__init__).parameters
        ours = [{"name": p.name, "kind": str(p.kind),
                 **({} if p.default is inspect.Parameter.empty else {"default": p.default})}
                for p in sig.values() if p.name != "self"]
        assert ours == params, name


@pytest.mark.parametrize("make,layer_name", [
    (lambda: rnn.LSTM(3, name="my_lstm"), "my_lstm"),
    (lambda: rnn.GRU(3, name="my_gru"), "my_gru"),
    (lambda: rnn.SimpleRNN(3, name="my_rnn"), "my_rnn"),
])
def test_wrong_rank_names_layer_and_shapes(make, layer_name):
    with pytest.raises(ValueError) as info:
        make()(np.zeros((2, 3), "float32"))
    msg = str(info.value)
    assert f"'{layer_name}'" in msg and "expected ndim=3" in msg and "found ndim=2" in msg
    assert "(2, 3)" in msg
    with pytest.raises(ValueError, match="found ndim=4"):
        make()(np.zeros((2, 3, 4, 5), "float32"))
    with pytest.raises(ValueError, match=layer_name):
        make()(layers.Input((3,)))


def test_wrong_rank_after_build_and_in_wrappers():
    layer = rnn.LSTM(2, name="built_lstm")
    layer(np.zeros((1, 2, 3), "float32"))
    with pytest.raises(ValueError, match="built_lstm.*expected ndim=3"):
        layer(np.zeros((1, 3), "float32"))
    with pytest.raises(ValueError, match="'bi'.*expected ndim=3"):
        rnn.Bidirectional(rnn.LSTM(2), name="bi")(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="min_ndim=3"):
        rnn.RNN(rnn.LSTMCell(2), name="r")(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="rank >= 3"):
        rnn.TimeDistributed(layers.Dense(3))(np.zeros((2, 3), "float32"))


_Z2 = np.zeros((2, 3), "float32")
# Keras' error cases (by their name in the reference table) -> (the same misuse here, a pattern
# our message must match); the raised type must be the one Keras raises.
KERAS_ERRORS = {
    "lstm_rank2": (lambda: rnn.LSTM(3, name="my_lstm")(_Z2), "my_lstm.*ndim=3.*ndim=2"),
    "gru_rank2": (lambda: rnn.GRU(3, name="my_gru")(_Z2), "my_gru.*ndim=3.*ndim=2"),
    "simple_rnn_rank4": (lambda: rnn.SimpleRNN(3, name="my_rnn")(np.zeros((2, 3, 4, 5),
                                                                          "float32")),
                         r"my_rnn.*found ndim=4.*\(2, 3, 4, 5\)"),
    "units_zero": (lambda: rnn.LSTM(0), "units"),
    "cell_units_negative": (lambda: rnn.GRUCell(-1), "units"),
    "bad_merge_mode": (lambda: rnn.Bidirectional(rnn.LSTM(2), merge_mode="max"), "merge_mode"),
    "bidirectional_not_layer": (lambda: rnn.Bidirectional("lstm"), "Layer"),
    "bidirectional_same_direction": (
        lambda: rnn.Bidirectional(rnn.LSTM(2), backward_layer=rnn.LSTM(2)), "go_backwards"),
    "bidirectional_mismatch": (
        lambda: rnn.Bidirectional(rnn.LSTM(2, return_sequences=True),
                                  backward_layer=rnn.LSTM(2, go_backwards=True)),
        "return_sequences"),
    "stateful_dynamic_batch": (lambda: rnn.LSTM(3, stateful=True)(layers.Input((4, 3))),
                               "batch size must be static"),
    "rnn_cell_without_state_size": (lambda: rnn.RNN(layers.Dense(3)), "state_size"),
    "bad_use_cudnn": (lambda: rnn.LSTM(3, use_cudnn="yes"), "use_cudnn"),
    "time_distributed_rank2": (lambda: rnn.TimeDistributed(layers.Dense(3))(_Z2), "rank >= 3"),
    "time_distributed_not_layer": (lambda: rnn.TimeDistributed("dense"), "Layer"),
}


def test_error_table_is_complete():
    assert set(KERAS_ERRORS) == set(DATA["errors"])


@pytest.mark.parametrize("name", sorted(KERAS_ERRORS))
def test_errors_like_keras(name):
    make, pattern = KERAS_ERRORS[name]
    want = DATA["errors"][name]
    with pytest.raises(Exception, match=pattern) as info:
        make()
    assert type(info.value).__name__ == want["type"]


@pytest.mark.parametrize("make,pattern", [
    (lambda: rnn.SimpleRNNCell(2.5), "units"),
    (lambda: rnn.Bidirectional(rnn.LSTM(2), backward_layer="x"), "backward_layer"),
    (lambda: rnn.GRU(3, use_cudnn=1.5), "use_cudnn"),
    (lambda: rnn.StackedRNNCells([object()]), "call"),
])
def test_more_bad_arguments(make, pattern):
    with pytest.raises(ValueError, match=pattern):
        make()


def test_layer_attributes_read_the_cell():
    layer = rnn.LSTM(4, recurrent_activation="hard_sigmoid", dropout=0.25, unit_forget_bias=False,
                     implementation=1)
    assert layer.units == 4 and layer.dropout == 0.25 and layer.unit_forget_bias is False
    assert layer.implementation == 1 and layer.recurrent_activation is layer.cell.recurrent_activation
    gru = rnn.GRU(2, reset_after=False)
    assert gru.reset_after is False and gru.cell.name == "gru_cell"
    assert rnn.SimpleRNN(2).cell.name == "simple_rnn_cell"
    assert rnn.LSTM(2, recurrent_dropout=0.1).cell.implementation == 1


def test_bidirectional_weights_argument_and_order():
    fwd = rnn.LSTM(2, return_sequences=True)
    probe = rnn.Bidirectional(fwd)
    probe(np.zeros((1, 3, 4), "float32"))
    weights = [np.full(w.shape, i, "float32") for i, w in enumerate(probe.get_weights())]
    layer = rnn.Bidirectional(fwd, weights=weights)
    layer(np.zeros((1, 3, 4), "float32"))
    for i, w in enumerate(layer.get_weights()):
        assert np.all(w == i)
    assert layer.forward_layer.name == "forward_" + fwd.name
    assert layer.backward_layer.name == "backward_" + fwd.name
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    assert layer.forward_layer.zero_output_for_mask is True


def test_time_distributed_unknown_time_steps():
    dense = layers.Dense(2)
    td = rnn.TimeDistributed(dense)
    x = np.random.default_rng(4).normal(size=(2, 3, 5)).astype("float32")
    want = _np(td(x))

    run = backend.jit(lambda v: td(v))
    np.testing.assert_allclose(_np(run(ops.convert_to_tensor(x))), want, atol=1e-6)
    out = td(layers.Input((None, 5)))
    assert tuple(out.shape) == (None, None, 2)
    per_step = np.stack([_np(dense(x[:, t])) for t in range(3)], axis=1)
    np.testing.assert_allclose(want, per_step, atol=1e-6)


def test_time_distributed_mask_checks():
    td = rnn.TimeDistributed(layers.Dense(2), name="td")
    x = np.zeros((2, 3, 4), "float32")
    with pytest.raises(ValueError, match="td"):
        td(x, mask=ops.convert_to_tensor(np.ones((2, 4), bool)))
    with pytest.raises(ValueError, match="at least 2-D"):
        td(x, mask=ops.convert_to_tensor(np.ones((2,), bool)))


def test_frontend_imports_no_framework():
    root = pathlib.Path(rnn.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text()
        for banned in ("import torch", "import jax", "import tensorflow", "import keras\n",
                       "from keras ", "from keras.", "backend() =="):
            assert banned not in text, f"{path.name}: {banned}"


@pytest.mark.parametrize("unroll", [False, True])
def test_masked_leading_steps_repeat_the_initial_state(unroll):
    """Before the first unmasked step the previous output is the initial state, on every
    backend, unrolled or not."""
    layer = layers.SimpleRNN(2, return_sequences=True, unroll=unroll)
    x = np.arange(12, dtype="float32").reshape(2, 3, 2) / 10
    mask = np.array([[False, True, True], [False, False, True]])
    state = np.array([[0.5, -0.5], [0.25, 0.75]], "float32")
    out = _np(layer(ops.convert_to_tensor(x), mask=ops.convert_to_tensor(mask),
                    initial_state=[ops.convert_to_tensor(state)]))
    np.testing.assert_allclose(out[0, 0], state[0])
    np.testing.assert_allclose(out[1, :2], np.stack([state[1]] * 2))
    kernel, recurrent, bias = (_np(w) for w in layer.weights)
    h = np.tanh(x[0, 1] @ kernel + state[0] @ recurrent + bias)  # the first unmasked step
    np.testing.assert_allclose(out[0, 1], h, rtol=1e-5, atol=1e-6)
