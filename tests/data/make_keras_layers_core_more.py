"""Generate reference values for Masking, Lambda, ReversibleEmbedding, Wrapper, the ConvLSTM
layers and the adaptive pooling layers from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_core_more.py

Keras 3.15.1 fails on masked ConvLSTM inputs (its jax rnn loop cannot broadcast a (batch, 1)
mask against feature-map states), so the masked ConvLSTM behaviour is tested without Keras.

It writes keras_layers_core_more.json next to this file: the cases, errors and signatures that
layer_recorder.py records (see there), plus an "extra" section for what a case cannot hold:
- "conv_lstm_states": ConvLSTM2D with return_state and an initial state: weights, every
  output, and the gradients of sum(outputs * w) with respect to the input, the initial state
  and each weight;
- "conv_lstm_stateful": a stateful ConvLSTM1D called on two batches, then after reset_state();
- "reverse": ReversibleEmbedding called with reverse=True: weights, input, logits and their
  gradients; the symbolic output shape and dtype;
- "lambda": Keras' get_config() of Lambda layers (named, registered and lambda functions,
  output_shape, a tensor mask) and their symbolic output shapes and dtypes; LAMBDAS below is
  repeated in tests/test_layers_core_more.py;
- "wrapper_config": the config of Wrapper(Dense).

The tests only read the json; they never import keras.
"""

import json
import pathlib
import sys
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from layer_recorder import HERE, F, I, enc, jax, jnp, jsonable, keras, np, write  # noqa: E402

ops = keras.ops

# (id, class name, kwargs, input specs, options); see layer_recorder.py
CASES = [
    # Masking: 0/1 ints, so some steps have every feature equal to mask_value
    ("masking_int", "Masking", {}, I(2, 3, 5, 2), {}),
    ("masking_value_one", "Masking", {"mask_value": 1}, I(2, 2, 4, 3), {}),
    ("masking_float", "Masking", {"mask_value": 0.5}, F(2, 3, 2), {}),
    # ReversibleEmbedding, forward calls (reverse calls are in "extra")
    ("reversible_embedding", "ReversibleEmbedding", {"input_dim": 6, "output_dim": 3},
     I(6, 2, 4), {}),
    ("reversible_embedding_untied_mask_zero", "ReversibleEmbedding",
     {"input_dim": 5, "output_dim": 2, "tie_weights": False, "mask_zero": True,
      "logit_soft_cap": 3.0, "reverse_dtype": "float32"}, I(5, 2, 3), {}),
    # adaptive pooling: uneven and overlapping bins, upsampling, both data formats
    ("adaptive_average_pooling1d", "AdaptiveAveragePooling1D", {"output_size": 3},
     F(2, 7, 2), {}),
    ("adaptive_average_pooling1d_up_cf", "AdaptiveAveragePooling1D",
     {"output_size": [5], "data_format": "channels_first"}, F(2, 2, 3), {}),
    ("adaptive_average_pooling2d", "AdaptiveAveragePooling2D", {"output_size": (2, 3)},
     F(2, 5, 7, 2), {}),
    ("adaptive_average_pooling2d_cf", "AdaptiveAveragePooling2D",
     {"output_size": 2, "data_format": "channels_first"}, F(1, 2, 5, 4), {}),
    ("adaptive_average_pooling3d", "AdaptiveAveragePooling3D", {"output_size": (2, 1, 3)},
     F(1, 3, 4, 5, 2), {}),
    ("adaptive_max_pooling1d", "AdaptiveMaxPooling1D", {"output_size": 3}, F(2, 7, 2), {}),
    ("adaptive_max_pooling1d_int", "AdaptiveMaxPooling1D", {"output_size": 2}, I(9, 1, 5, 2),
     {}),
    ("adaptive_max_pooling2d", "AdaptiveMaxPooling2D", {"output_size": (3, 2)},
     F(2, 5, 7, 2), {}),
    ("adaptive_max_pooling2d_cf", "AdaptiveMaxPooling2D",
     {"output_size": 3, "data_format": "channels_first"}, F(1, 2, 4, 6), {}),
    ("adaptive_max_pooling3d", "AdaptiveMaxPooling3D", {"output_size": 2}, F(1, 3, 4, 5, 2),
     {}),
    # ConvLSTM
    ("conv_lstm1d", "ConvLSTM1D", {"filters": 2, "kernel_size": 2}, F(2, 3, 5, 2), {}),
    ("conv_lstm1d_sequences_same_cf", "ConvLSTM1D",
     {"filters": 2, "kernel_size": 3, "padding": "same", "data_format": "channels_first",
      "return_sequences": True}, F(2, 4, 2, 5), {}),
    ("conv_lstm2d", "ConvLSTM2D", {"filters": 2, "kernel_size": 3}, F(2, 3, 5, 4, 1), {}),
    ("conv_lstm2d_sequences_backwards_strides", "ConvLSTM2D",
     {"filters": 3, "kernel_size": (2, 3), "strides": 2, "return_sequences": True,
      "go_backwards": True, "recurrent_activation": "hard_sigmoid", "unit_forget_bias": False},
     F(1, 3, 5, 6, 2), {}),
    ("conv_lstm2d_dilation_no_bias_dropout", "ConvLSTM2D",
     {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "use_bias": False,
      "kernel_regularizer": "l2", "dropout": 0.5, "recurrent_dropout": 0.3, "seed": 1},
     F(2, 4, 5, 5, 1), {}),
    ("conv_lstm2d_unroll_relu", "ConvLSTM2D",
     {"filters": 2, "kernel_size": 2, "unroll": True, "return_sequences": True,
      "activation": "relu"}, F(1, 3, 3, 3, 2), {}),
    ("conv_lstm3d", "ConvLSTM3D", {"filters": 2, "kernel_size": 2, "padding": "same"},
     F(1, 2, 3, 3, 2, 1), {}),
]

# (id, class name, kwargs, input shapes of successive calls (none: constructor error), override)
ERRORS = [
    ("conv_lstm2d_rank", "ConvLSTM2D", {"filters": 2, "kernel_size": 2}, [(2, 3, 4, 4)], None),
    ("conv_lstm3d_rank", "ConvLSTM3D", {"filters": 2, "kernel_size": 2}, [(2, 3, 4, 4, 1)],
     None),
    ("conv_lstm1d_kernel_too_big", "ConvLSTM1D", {"filters": 2, "kernel_size": 5},
     [(2, 3, 4, 1)], None),
    ("conv_lstm2d_channels_after_build", "ConvLSTM2D", {"filters": 2, "kernel_size": 2},
     [(2, 3, 4, 4, 1), (2, 3, 4, 4, 2)], None),
    ("conv_lstm2d_strides_dilation", "ConvLSTM2D",
     {"filters": 2, "kernel_size": 2, "strides": 2, "dilation_rate": 2}, [], None),
    ("conv_lstm2d_causal", "ConvLSTM2D", {"filters": 2, "kernel_size": 2, "padding": "causal"},
     [], None),
    ("adaptive_average_pooling2d_size_length", "AdaptiveAveragePooling2D",
     {"output_size": (1, 2, 3)}, [], None),
    ("adaptive_max_pooling1d_size_length", "AdaptiveMaxPooling1D", {"output_size": [2, 2]}, [],
     None),
    ("adaptive_max_pooling3d_size_type", "AdaptiveMaxPooling3D", {"output_size": "2"}, [],
     None),
    ("adaptive_average_pooling3d_data_format", "AdaptiveAveragePooling3D",
     {"output_size": 2, "data_format": "nope"}, [], None),
    ("reversible_embedding_input_dim", "ReversibleEmbedding", {"input_dim": 0, "output_dim": 3},
     [], None),
]

CLASSES = [
    "Wrapper", "Masking", "Lambda", "ReversibleEmbedding", "ConvLSTM1D", "ConvLSTM2D",
    "ConvLSTM3D", "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D",
    "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D", "AdaptiveMaxPooling2D",
    "AdaptiveMaxPooling3D",
]


# ------------------------------------------------------------------------------------ extras


def seeded(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def set_random_weights(layer, rng):
    values = [(rng.normal(size=tuple(v.shape)) * 0.5).astype("float32") for v in layer.weights]
    layer.set_weights(values)
    return values


def conv_lstm_states():
    """return_state with an initial state: every output and its gradients."""
    rng = seeded("conv_lstm_states")
    x = rng.normal(size=(2, 3, 4, 4, 1)).astype("float32")
    h0, c0 = (rng.normal(size=(2, 3, 3, 2)).astype("float32") for _ in range(2))
    kwargs = {"filters": 2, "kernel_size": 2, "return_sequences": True, "return_state": True}
    layer = keras.layers.ConvLSTM2D(**kwargs)
    layer(x)
    weights = set_random_weights(layer, rng)
    out = layer(x, initial_state=[h0, c0])
    ws = [rng.normal(size=o.shape).astype("float32") for o in out]
    t_vars = layer.trainable_variables
    nt_values = [v.value for v in layer.non_trainable_variables]  # the dropout seed state

    def loss(xv, states, values):
        y, _ = layer.stateless_call(values, nt_values, xv, initial_state=states)
        return sum(jnp.sum(o * w) for o, w in zip(y, ws))

    g_x, g_s, g_w = jax.grad(loss, argnums=(0, 1, 2))(
        jnp.asarray(x), [jnp.asarray(h0), jnp.asarray(c0)], [v.value for v in t_vars])
    sym = keras.layers.ConvLSTM2D(**kwargs)(keras.Input((None, 4, 4, 1)))
    return {"kwargs": kwargs, "input": enc(x), "initial_state": [enc(h0), enc(c0)],
            "weights": [enc(w) for w in weights],
            "outputs": [enc(o) for o in out], "w": [enc(w) for w in ws],
            "grad_input": enc(g_x), "grad_initial_state": [enc(g) for g in g_s],
            "grad_weights": [enc(g) for g in g_w],
            "symbolic_shapes": [list(t.shape) for t in sym]}


def conv_lstm_stateful():
    rng = seeded("conv_lstm_stateful")
    kwargs = {"filters": 2, "kernel_size": 2, "stateful": True, "return_sequences": True}
    layer = keras.layers.ConvLSTM1D(**kwargs)
    x1, x2 = (rng.normal(size=(2, 3, 4, 1)).astype("float32") for _ in range(2))
    layer(x1)
    weights = set_random_weights(layer, rng)
    layer.reset_state()
    y1, y2 = np.asarray(layer(x1)), np.asarray(layer(x2))
    layer.reset_state()
    y3 = np.asarray(layer(x2))
    return {"kwargs": kwargs, "inputs": [enc(x1), enc(x2)], "weights": [enc(w) for w in weights],
            "outputs": [enc(y1), enc(y2), enc(y3)]}


REVERSE = [
    ("tied", {"input_dim": 6, "output_dim": 3}),
    ("untied_soft_cap", {"input_dim": 5, "output_dim": 4, "tie_weights": False,
                         "logit_soft_cap": 0.5}),
    ("reverse_dtype", {"input_dim": 4, "output_dim": 3, "reverse_dtype": "float16"}),
]


def reverse_case(name, kwargs):
    rng = seeded(f"reverse_{name}")
    layer = keras.layers.ReversibleEmbedding(**kwargs)
    layer(np.zeros((1, 2), "int32"))
    weights = set_random_weights(layer, rng)
    x = rng.normal(size=(2, 3, kwargs["output_dim"])).astype("float32")
    out = layer(x, reverse=True)
    w = rng.normal(size=out.shape).astype("float32")
    t_vars = layer.trainable_variables

    def loss(xv, values):
        y, _ = layer.stateless_call(values, [], xv, reverse=True)
        return jnp.sum(y.astype("float32") * w)

    g_x, g_w = jax.grad(loss, argnums=(0, 1))(jnp.asarray(x), [v.value for v in t_vars])
    sym = keras.layers.ReversibleEmbedding(**kwargs)(keras.Input((3, kwargs["output_dim"])),
                                                     reverse=True)
    return {"id": name, "kwargs": kwargs, "input": enc(x), "weights": [enc(v) for v in weights],
            "weight_names": [v.name for v in layer.weights], "output": enc(out), "w": enc(w),
            "grad_input": enc(g_x), "grad_weights": [enc(g) for g in g_w],
            "symbolic_shape": list(sym.shape), "symbolic_dtype": str(sym.dtype)}


@keras.saving.register_keras_serializable(package="core_more")
def scale(t, k=1.0):
    return t * k


# id -> (function, other constructor kwargs, input shape without batch); repeated in the test
LAMBDAS = {
    "named": (keras.activations.relu, {}, (3,)),
    "registered_arguments": (scale, {"arguments": {"k": 2.0}}, (2, 3)),
    "output_shape": (lambda t: t[:, :2], {"output_shape": (5,)}, (3,)),
    "output_shape_fn": (lambda t: t[:, :2], {"output_shape": lambda s: (s[0], 7)}, (3,)),
    "cast_int": (lambda t: ops.cast(t, "int32"), {}, (3,)),
    "list_out": (lambda t: [t, t * 2], {}, (4,)),
    "tensor_mask": (lambda t: t, {"mask": ops.ones((2,))}, (2,)),
    "bytecode": (lambda t: t * 2.0 + 1.0, {}, (3,)),
}


def lambda_extra():
    out = {"python": list(sys.version_info[:2])}
    for name, (fn, kwargs, shape) in LAMBDAS.items():
        layer = keras.layers.Lambda(fn, **kwargs)
        sym = layer(keras.Input(shape))
        config = layer.get_config()
        config.pop("name")
        out[name] = {"config": jsonable(json.loads(json.dumps(config))),
                     "symbolic_shapes": [list(t.shape) for t in keras.tree.flatten(sym)],
                     "symbolic_dtypes": [str(t.dtype) for t in keras.tree.flatten(sym)]}
    return out


def wrapper_config():
    config = keras.layers.Wrapper(keras.layers.Dense(2, name="inner"), name="wrapper").get_config()
    return jsonable(json.loads(json.dumps(config)))


if __name__ == "__main__":
    write("keras_layers_core_more.json", CASES, ERRORS, CLASSES)
    path = HERE / "keras_layers_core_more.json"
    data = json.loads(path.read_text())
    data["extra"] = {
        "conv_lstm_states": conv_lstm_states(),
        "conv_lstm_stateful": conv_lstm_stateful(),
        "reverse": [reverse_case(*c) for c in REVERSE],
        "lambda": lambda_extra(),
        "wrapper_config": wrapper_config(),
    }
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"added the extra section to {path}")
