"""Generate the recurrent-layer reference table from real Keras 3 (the reference peer).

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_rnn.py

It writes keras_layers_rnn.json next to this file:
- "signatures": constructor parameters and defaults of every recurrent class.
- "layers": one case per layer and option set. Each has the layer spec (class, kwargs, nested
  cells / wrapped layers), the input, the optional mask and initial state, the weights set with
  set_weights (seeded random values), their names and shapes in order, Keras' outputs (flattened),
  get_config(), the output weights `w` of the scalar sum(output * w) and its gradient with
  respect to the input, the initial state and every weight (jax.grad over stateless_call), and
  the symbolic output shapes for an Input with an unknown batch size.
- "cells": cells called on one step (input, states) with outputs and gradients.
- "stateful": stateful layers called on consecutive batches, then after reset_state().
- "errors": Keras' error type and message for bad arguments and inputs.

The test suite only reads the json file; it never imports keras.
"""

import inspect
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
BATCH, TIME, FEAT = 2, 4, 3
MASKS = {
    "right": [[1, 1, 1, 0], [1, 1, 0, 0]],
    "left": [[0, 1, 1, 1], [0, 0, 1, 1]],
    "mixed": [[1, 0, 1, 1], [1, 1, 1, 0]],
}


def enc(a):
    a = np.asarray(a)
    if a.dtype in (np.float16, np.float32):  # shortest decimal that reads back to the same value
        data = [float(str(v)) for v in a.ravel()]
    else:
        data = a.ravel().tolist()
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def enc_tree(x):
    if isinstance(x, (list, tuple)):
        return [enc_tree(v) for v in x]
    return enc(x)


def jsonable(x):
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items() if k != "build_config"}
    return x


def build(spec):
    """A Keras layer from a spec: {"class", "kwargs", and "cell"/"cells"/"layer"/
    "backward_layer" holding nested specs}."""
    cls = getattr(keras.layers, spec["class"])
    kwargs = dict(spec.get("kwargs", {}))
    if "cell" in spec:
        cell = spec["cell"]
        cell = [build(c) for c in cell] if isinstance(cell, list) else build(cell)
        return cls(cell, **kwargs)
    if "cells" in spec:
        return cls([build(c) for c in spec["cells"]], **kwargs)
    if "layer" in spec:
        if "backward_layer" in spec:
            kwargs["backward_layer"] = build(spec["backward_layer"])
        return cls(build(spec["layer"]), **kwargs)
    return cls(**kwargs)


def random_weights(layer, seed):
    rng = np.random.default_rng(seed)
    return [rng.normal(scale=0.5, size=tuple(v.shape)).astype("float32") for v in layer.weights]


def run_layer_case(name, spec, seed, mask=None, initial_state=None, symbolic=True):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(BATCH, TIME, FEAT)).astype("float32")
    layer = build(spec)
    kwargs = {}
    if mask is not None:
        kwargs["mask"] = jnp.asarray(np.asarray(MASKS[mask], bool))
    if initial_state is not None:
        initial_state = jax.tree_util.tree_map(
            lambda s: rng.normal(size=s).astype("float32"), initial_state,
            is_leaf=lambda s: isinstance(s, tuple))
        kwargs["initial_state"] = jax.tree_util.tree_map(jnp.asarray, initial_state)
    layer(x, **kwargs)  # build
    weights = random_weights(layer, seed + 1)
    layer.set_weights(weights)
    out = layer(x, **kwargs)
    flat = [np.asarray(o) for o in keras.tree.flatten(out)]
    out_w = [rng.uniform(-1, 1, size=o.shape).astype("float32") for o in flat]

    trainable = [v.value for v in layer.trainable_variables]
    non_trainable = [v.value for v in layer.non_trainable_variables]
    call_kwargs = {k: v for k, v in kwargs.items() if k != "initial_state"}

    def loss(tv, xv, sv):
        extra = dict(call_kwargs)
        if sv is not None:
            extra["initial_state"] = sv
        y, _ = layer.stateless_call(tv, non_trainable, xv, **extra)
        return sum(jnp.sum(o * w) for o, w in zip(keras.tree.flatten(y), out_w))

    state_arg = kwargs.get("initial_state")
    g_tv, g_x, g_s = jax.grad(loss, argnums=(0, 1, 2))(trainable, jnp.asarray(x), state_arg)
    # gradients in layer.weights order (all weights here are trainable)
    by_id = {id(v): g for v, g in zip(layer.trainable_variables, g_tv)}
    g_w = [by_id[id(v)] for v in layer.weights]
    case = {
        "name": name, "spec": spec, "input": enc(x),
        "mask": None if mask is None else enc(np.asarray(MASKS[mask], bool)),
        "initial_state": None if initial_state is None else enc_tree(initial_state),
        "weights": [enc(w) for w in weights],
        "weight_names": [v.name for v in layer.weights],
        "weight_shapes": [list(v.shape) for v in layer.weights],
        "outputs": [enc(o) for o in flat],
        "output_is_nested": isinstance(out, (list, tuple)),
        "output_weights": [enc(w) for w in out_w],
        "grad_input": enc(g_x),
        "grad_weights": [enc(g) for g in g_w],
        "grad_initial_state": None if g_s is None else enc_tree(g_s),
        "config": jsonable(layer.get_config()),
    }
    if symbolic:
        sym = build(spec)(keras.Input((TIME, FEAT)))
        case["symbolic_shapes"] = [list(t.shape) for t in keras.tree.flatten(sym)]
        sym = build(spec)(keras.Input((None, FEAT)))
        case["symbolic_shapes_no_time"] = [list(t.shape) for t in keras.tree.flatten(sym)]
    return case


def lstm_cell(units, **kw):
    return {"class": "LSTMCell", "kwargs": {"units": units, **kw}}


def gru_cell(units, **kw):
    return {"class": "GRUCell", "kwargs": {"units": units, **kw}}


def simple_cell(units, **kw):
    return {"class": "SimpleRNNCell", "kwargs": {"units": units, **kw}}


def layer(cls, units, **kw):
    return {"class": cls, "kwargs": {"units": units, **kw}}


def bi(inner, backward=None, **kw):
    spec = {"class": "Bidirectional", "layer": inner, "kwargs": kw}
    if backward is not None:
        spec["backward_layer"] = backward
    return spec


RS = {"return_sequences": True}
ST = {"return_state": True}
U = 3
H = (BATCH, U)

# name -> (spec, mask, initial_state shapes)
LAYER_CASES = {
    # SimpleRNN
    "simple_rnn": (layer("SimpleRNN", U, name="simple_rnn"), None, None),
    "simple_rnn_seq": (layer("SimpleRNN", U, **RS), None, None),
    "simple_rnn_seq_state": (layer("SimpleRNN", U, **RS, **ST), None, None),
    "simple_rnn_state": (layer("SimpleRNN", U, **ST), None, None),
    "simple_rnn_back": (layer("SimpleRNN", U, go_backwards=True, **RS), None, None),
    "simple_rnn_relu_nobias": (layer("SimpleRNN", U, activation="relu", use_bias=False), None,
                               None),
    "simple_rnn_unroll": (layer("SimpleRNN", U, unroll=True, **RS), None, None),
    "simple_rnn_mask": (layer("SimpleRNN", U, **RS), "right", None),
    "simple_rnn_mask_last": (layer("SimpleRNN", U, **ST), "mixed", None),
    "simple_rnn_mask_zero_out": (layer("SimpleRNN", U, zero_output_for_mask=True, **RS), "left",
                                 None),
    "simple_rnn_init": (layer("SimpleRNN", U, **RS), None, [H]),
    "simple_rnn_init_mask_left": (layer("SimpleRNN", U, **RS, **ST), "left", [H]),
    # LSTM
    "lstm": (layer("LSTM", U, name="lstm"), None, None),
    "lstm_seq_state": (layer("LSTM", U, **RS, **ST), None, None),
    "lstm_state": (layer("LSTM", U, **ST), None, None),
    "lstm_back": (layer("LSTM", U, go_backwards=True, **RS), None, None),
    "lstm_back_state": (layer("LSTM", U, go_backwards=True, **ST), None, None),
    "lstm_mask": (layer("LSTM", U, **RS), "right", None),
    "lstm_mask_mixed_state": (layer("LSTM", U, **RS, **ST), "mixed", None),
    "lstm_mask_back": (layer("LSTM", U, go_backwards=True, **RS, **ST), "left", None),
    "lstm_mask_zero_out": (layer("LSTM", U, zero_output_for_mask=True, **RS), "right", None),
    "lstm_init": (layer("LSTM", U, **RS, **ST), None, [H, H]),
    "lstm_init_mask_right": (layer("LSTM", U, **RS, **ST), "right", [H, H]),
    "lstm_init_mask_left": (layer("LSTM", U, **RS, **ST), "left", [H, H]),
    "lstm_zero_out_last": (layer("LSTM", U, zero_output_for_mask=True, **ST), "right", None),
    "lstm_nobias": (layer("LSTM", U, use_bias=False, **RS), None, None),
    "lstm_no_forget_bias": (layer("LSTM", U, unit_forget_bias=False), None, None),
    "lstm_unroll": (layer("LSTM", U, unroll=True, **RS), None, None),
    "lstm_acts": (layer("LSTM", U, activation="relu", recurrent_activation="hard_sigmoid", **RS),
                  None, None),
    "lstm_impl1": (layer("LSTM", U, implementation=1, **RS), None, None),
    # GRU
    "gru": (layer("GRU", U, name="gru"), None, None),
    "gru_v1": (layer("GRU", U, reset_after=False), None, None),
    "gru_seq_state": (layer("GRU", U, **RS, **ST), None, None),
    "gru_v1_seq_state": (layer("GRU", U, reset_after=False, **RS, **ST), None, None),
    "gru_back": (layer("GRU", U, go_backwards=True, **RS), None, None),
    "gru_v1_back": (layer("GRU", U, reset_after=False, go_backwards=True), None, None),
    "gru_mask": (layer("GRU", U, **RS, **ST), "right", None),
    "gru_v1_mask_back": (layer("GRU", U, reset_after=False, go_backwards=True, **RS), "mixed",
                         None),
    "gru_init": (layer("GRU", U, **RS), None, [H]),
    "gru_v1_init": (layer("GRU", U, reset_after=False, **ST), None, [H]),
    "gru_init_mask_mixed": (layer("GRU", U, go_backwards=True, **RS), "mixed", [H]),
    "gru_nobias": (layer("GRU", U, use_bias=False, **RS), None, None),
    "gru_v1_nobias": (layer("GRU", U, use_bias=False, reset_after=False, **RS), None, None),
    "gru_unroll": (layer("GRU", U, unroll=True, **RS), None, None),
    "gru_acts": (layer("GRU", U, activation="softsign", recurrent_activation="hard_sigmoid"),
                 None, None),
    # RNN over cells
    "rnn_simple_cell": ({"class": "RNN", "cell": simple_cell(U), "kwargs": {"name": "rnn"}},
                        None, None),
    "rnn_lstm_cell": ({"class": "RNN", "cell": lstm_cell(U), "kwargs": {**RS, **ST}}, None, None),
    "rnn_gru_cell_back": ({"class": "RNN", "cell": gru_cell(U, reset_after=False),
                           "kwargs": {"go_backwards": True, **RS}}, None, None),
    "rnn_gru_cell_mask": ({"class": "RNN", "cell": gru_cell(U), "kwargs": {**RS, **ST}}, "mixed",
                          None),
    "rnn_stacked_list": ({"class": "RNN", "cell": [lstm_cell(3), gru_cell(2), simple_cell(4)],
                          "kwargs": {**RS, **ST}}, None, None),
    "rnn_stacked_obj": ({"class": "RNN", "kwargs": {**RS},
                         "cell": {"class": "StackedRNNCells",
                                  "cells": [simple_cell(2), lstm_cell(3)]}}, "right", None),
    "rnn_stacked_init": ({"class": "RNN", "cell": [lstm_cell(2), simple_cell(3)],
                          "kwargs": {**ST}}, None, [[(BATCH, 2), (BATCH, 2)], [(BATCH, 3)]]),
    "rnn_stacked_back_mask": ({"class": "RNN", "cell": [gru_cell(2), gru_cell(3)],
                               "kwargs": {"go_backwards": True, **RS, **ST}}, "left", None),
    "rnn_zero_output_mask": ({"class": "RNN", "cell": lstm_cell(U),
                              "kwargs": {"zero_output_for_mask": True, **RS}}, "mixed", None),
    "rnn_zero_out_last_state": ({"class": "RNN", "cell": simple_cell(U),
                                 "kwargs": {"zero_output_for_mask": True, **ST}}, "right", None),
    "rnn_stacked_flat_init": ({"class": "RNN", "cell": [simple_cell(2), simple_cell(3)],
                               "kwargs": {**RS}}, None, [(BATCH, 2), (BATCH, 3)]),
    "rnn_unroll": ({"class": "RNN", "cell": [simple_cell(2), gru_cell(2)],
                    "kwargs": {"unroll": True, **RS}}, None, None),
    # Bidirectional
    "bi_lstm_concat": (bi(layer("LSTM", 2, **RS), name="bidirectional"), None, None),
    "bi_lstm_sum": (bi(layer("LSTM", 2, **RS), merge_mode="sum"), None, None),
    "bi_lstm_mul": (bi(layer("LSTM", 2, **RS), merge_mode="mul"), None, None),
    "bi_lstm_ave": (bi(layer("LSTM", 2, **RS), merge_mode="ave"), None, None),
    "bi_lstm_none": (bi(layer("LSTM", 2, **RS), merge_mode=None), None, None),
    "bi_lstm_last": (bi(layer("LSTM", 2)), None, None),
    "bi_lstm_state": (bi(layer("LSTM", 2, **RS, **ST)), None, None),
    "bi_lstm_none_state": (bi(layer("LSTM", 2, **ST), merge_mode=None), None, None),
    "bi_lstm_init": (bi(layer("LSTM", 2, **RS, **ST)), None, [(BATCH, 2)] * 4),
    "bi_lstm_mask": (bi(layer("LSTM", 2, **RS)), "right", None),
    "bi_lstm_mask_last": (bi(layer("LSTM", 2)), "mixed", None),
    "bi_gru_state": (bi(layer("GRU", 2, **RS, **ST), merge_mode="sum"), None, None),
    "bi_gru_v1": (bi(layer("GRU", 2, reset_after=False, **RS)), None, None),
    "bi_gru_mask": (bi(layer("GRU", 2, **ST), merge_mode="ave"), "left", None),
    "bi_simple": (bi(layer("SimpleRNN", 3)), None, None),
    "bi_backward_layer": (bi(layer("LSTM", 2, **RS),
                             backward=layer("GRU", 3, go_backwards=True, **RS)), None, None),
    "bi_rnn_cells": (bi({"class": "RNN", "cell": [simple_cell(2), lstm_cell(2)],
                         "kwargs": {**RS}}, merge_mode="mul"), None, None),
    # TimeDistributed
    "td_dense": ({"class": "TimeDistributed", "layer": {"class": "Dense",
                                                        "kwargs": {"units": 4}}}, None, None),
    "td_dense_relu": ({"class": "TimeDistributed", "kwargs": {"name": "td"},
                       "layer": {"class": "Dense", "kwargs": {"units": 2, "activation": "relu"}}},
                      None, None),
}


def layer_cases():
    out = []
    for i, (name, (spec, mask, init)) in enumerate(LAYER_CASES.items()):
        symbolic = init is None
        out.append(run_layer_case(name, spec, 100 + 7 * i, mask, init, symbolic=symbolic))
    return out


CELL_CASES = {
    "simple_rnn_cell": (simple_cell(3), [(BATCH, 3)]),
    "simple_rnn_cell_tanh_nobias": (simple_cell(3, use_bias=False), [(BATCH, 3)]),
    "lstm_cell": (lstm_cell(3), [(BATCH, 3), (BATCH, 3)]),
    "lstm_cell_impl1": (lstm_cell(3, implementation=1), [(BATCH, 3), (BATCH, 3)]),
    "gru_cell": (gru_cell(3), [(BATCH, 3)]),
    "gru_cell_v1": (gru_cell(3, reset_after=False), [(BATCH, 3)]),
    "stacked_cells": ({"class": "StackedRNNCells", "cells": [lstm_cell(2), simple_cell(3)]},
                      [[(BATCH, 2), (BATCH, 2)], [(BATCH, 3)]]),
}


def cell_cases():
    out = []
    for i, (name, (spec, state_shapes)) in enumerate(CELL_CASES.items()):
        rng = np.random.default_rng(500 + i)
        x = rng.normal(size=(BATCH, FEAT)).astype("float32")
        states = jax.tree_util.tree_map(lambda s: rng.normal(size=s).astype("float32"),
                                        state_shapes, is_leaf=lambda s: isinstance(s, tuple))
        cell = build(spec)
        cell(x, states)
        weights = random_weights(cell, 600 + i)
        cell.set_weights(weights)
        out_val = cell(x, states)
        flat = [np.asarray(o) for o in keras.tree.flatten(out_val)]
        out_w = [rng.uniform(-1, 1, size=o.shape).astype("float32") for o in flat]
        non_trainable = [v.value for v in cell.non_trainable_variables]

        def loss(tv, xv, sv, cell=cell, non_trainable=non_trainable, out_w=out_w):
            y, _ = cell.stateless_call(tv, non_trainable, xv, sv)
            return sum(jnp.sum(o * w) for o, w in zip(keras.tree.flatten(y), out_w))

        g_tv, g_x, g_s = jax.grad(loss, argnums=(0, 1, 2))(
            [v.value for v in cell.trainable_variables], jnp.asarray(x), states)
        out.append({
            "name": name, "spec": spec, "input": enc(x), "states": enc_tree(states),
            "weights": [enc(w) for w in weights],
            "weight_names": [v.name for v in cell.weights],
            "weight_shapes": [list(v.shape) for v in cell.weights],
            "outputs": [enc(o) for o in flat],
            "output_structure": jsonable(keras.tree.map_structure(lambda _: 0, out_val)),
            "output_weights": [enc(w) for w in out_w],
            "grad_input": enc(g_x), "grad_states": enc_tree(g_s),
            "grad_weights": [enc(g) for g in g_tv],
            "config": jsonable(cell.get_config()),
            "state_size": jsonable(cell.state_size),
            "output_size": cell.output_size,
        })
    return out


STATEFUL_CASES = {
    "simple_rnn_stateful": layer("SimpleRNN", 3, stateful=True),
    "lstm_stateful": layer("LSTM", 3, stateful=True, **RS),
    "gru_stateful": layer("GRU", 3, stateful=True, **ST),
    "rnn_stacked_stateful": {"class": "RNN", "cell": [lstm_cell(2), gru_cell(3)],
                             "kwargs": {"stateful": True}},
    "bi_lstm_stateful": bi(layer("LSTM", 2, stateful=True, **RS)),
}


def reset(lay):
    """reset_state(); Keras' own fails on the nested states of stacked cells (it iterates the
    top level only), so those are zeroed leaf by leaf, which is what reset_state means."""
    try:
        lay.reset_state()
    except AttributeError:
        for v in keras.tree.flatten(lay.states):
            v.assign(np.zeros(v.shape, v.dtype))


def stateful_cases():
    out = []
    for i, (name, spec) in enumerate(STATEFUL_CASES.items()):
        rng = np.random.default_rng(800 + i)
        xs = [rng.normal(size=(BATCH, TIME, FEAT)).astype("float32") for _ in range(2)]
        lay = build(spec)
        lay(xs[0])
        weights = random_weights(lay, 900 + i)
        lay.set_weights(weights)
        reset(lay)
        outs = [lay(xs[0]), lay(xs[1])]
        reset(lay)
        outs.append(lay(xs[0]))
        out.append({
            "name": name, "spec": spec, "inputs": [enc(x) for x in xs],
            "weights": [enc(w) for w in weights],
            "outputs": [[enc(np.asarray(o)) for o in keras.tree.flatten(y)] for y in outs],
            "num_weights": len(lay.weights),
        })
    return out


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 (recording whatever Keras raises)
        return {"type": type(e).__name__, "message": str(e)}
    return None


def error_cases():
    L = keras.layers
    z2 = np.zeros((2, 3), "float32")
    return {
        "lstm_rank2": _error(lambda: L.LSTM(3, name="my_lstm")(z2)),
        "gru_rank2": _error(lambda: L.GRU(3, name="my_gru")(z2)),
        "simple_rnn_rank4": _error(lambda: L.SimpleRNN(3, name="my_rnn")(
            np.zeros((2, 3, 4, 5), "float32"))),
        "units_zero": _error(lambda: L.LSTM(0)),
        "cell_units_negative": _error(lambda: L.GRUCell(-1)),
        "bad_merge_mode": _error(lambda: L.Bidirectional(L.LSTM(2), merge_mode="max")),
        "bidirectional_not_layer": _error(lambda: L.Bidirectional("lstm")),
        "bidirectional_same_direction": _error(
            lambda: L.Bidirectional(L.LSTM(2), backward_layer=L.LSTM(2))),
        "bidirectional_mismatch": _error(
            lambda: L.Bidirectional(L.LSTM(2, return_sequences=True),
                                    backward_layer=L.LSTM(2, go_backwards=True))),
        "stateful_dynamic_batch": _error(
            lambda: L.LSTM(3, stateful=True)(keras.Input((TIME, FEAT)))),
        "rnn_cell_without_state_size": _error(lambda: L.RNN(L.Dense(3))),
        "bad_use_cudnn": _error(lambda: L.LSTM(3, use_cudnn="yes")),
        "time_distributed_rank2": _error(lambda: L.TimeDistributed(L.Dense(3))(z2)),
        "time_distributed_not_layer": _error(lambda: L.TimeDistributed("dense")),
    }


def signatures():
    out = {}
    for name in ("SimpleRNNCell", "LSTMCell", "GRUCell", "StackedRNNCells", "RNN", "SimpleRNN",
                 "LSTM", "GRU", "Bidirectional", "TimeDistributed"):
        params = inspect.signature(getattr(keras.layers, name).__init__).parameters.values()
        out[name] = [{"name": p.name, "kind": str(p.kind),
                      **({} if p.default is inspect.Parameter.empty
                         else {"default": jsonable(p.default)})}
                     for p in params if p.name != "self"]
    return out


def main():
    keras.utils.set_random_seed(0)
    data = {
        "keras_version": keras.__version__,
        "signatures": signatures(),
        "layers": layer_cases(),
        "cells": cell_cases(),
        "stateful": stateful_cases(),
        "errors": error_cases(),
    }
    path = HERE / "keras_layers_rnn.json"
    path.write_text(json.dumps(data, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({path.stat().st_size // 1024} KiB, {len(data['layers'])} layer cases)")


if __name__ == "__main__":
    main()
