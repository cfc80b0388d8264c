"""Generate reference values for EinsumDense and the attention layers from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_layers_attention.py

It writes keras_layers_attention.json next to this file:
- "cases", "errors", "signatures" (tests/data/layer_recorder.py's format, checked by
  tests/layer_checks.py): EinsumDense on one input, Attention and AdditiveAttention on a list
  [query, value(, key)] without masks.
- "call_cases": the attention layers called with their keyword arguments: MultiHeadAttention
  and GroupQueryAttention as layer(query, value, key, attention_mask=,
  return_attention_scores=, use_causal_mask=) with masks carried by the inputs (as an
  Embedding(mask_zero=True) output carries them) or passed as *_mask arguments; Attention and
  AdditiveAttention as layer([query, value(, key)], mask=[...], return_attention_scores=,
  use_causal_mask=). Each has the weights (seeded values loaded with set_weights), the
  output, the scores, the output mask, get_config(), the symbolic output shape, and the
  gradients of sum(output * w) (+ sum(scores * w_scores)) with respect to the inputs and every
  weight (jax.grad over the layer called in a StatelessScope).
- "mha_errors": Keras' exception type for bad arguments and input shapes of MultiHeadAttention
  and GroupQueryAttention.
- "models": small functional models (Embedding(mask_zero) into MultiHeadAttention; a
  transformer block trained with fit()), with their weights, inputs, predictions, losses per
  epoch and trained weights; "weight_layout": the groups and dataset shapes Keras writes in a
  .weights.h5 file for models holding the attention layers.

The tests only read the json; they never import keras.
"""

import json
import pathlib
import sys
import tempfile
import zlib

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from layer_recorder import (  # noqa: E402
    HERE,
    F,
    enc,
    jax,
    jnp,
    jsonable,
    keras,
    np,
    set_keras_mask,
    weight_value,
    write,
)

FILENAME = "keras_layers_attention.json"

# (id, class name, kwargs, input specs (a list means a list input), options) -- layer_recorder
CASES = [
    ("einsum_dense_matmul", "EinsumDense",
     {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c"}, F(2, 3), {}),
    ("einsum_dense_heads", "EinsumDense",
     {"equation": "abc,cde->abde", "output_shape": (None, 2, 3), "bias_axes": "de",
      "activation": "relu"}, F(2, 3, 4), {}),
    ("einsum_dense_left_ellipsis", "EinsumDense",
     {"equation": "...b,bc->...c", "output_shape": 5, "bias_axes": "c"}, F(2, 3, 4), {}),
    ("einsum_dense_right_ellipsis", "EinsumDense",
     {"equation": "ab...,bc->ac...", "output_shape": 5, "bias_axes": "c"}, F(2, 3, 4), {}),
    ("einsum_dense_bias_first_axis", "EinsumDense",
     {"equation": "abc,cd->abd", "output_shape": (3, 5), "bias_axes": "b",
      "kernel_regularizer": "l2"}, F(2, 3, 4), {}),
    ("einsum_dense_two_contracted", "EinsumDense",
     {"equation": "abcd,cde->abe", "output_shape": (3, 4)}, F(2, 3, 2, 3), {}),
    ("einsum_dense_lora", "EinsumDense",
     {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "c", "lora_rank": 2,
      "lora_alpha": 4}, F(2, 3), {}),
    ("attention_dot", "Attention", {}, [F(2, 3, 4), F(2, 5, 4)], {}),
    ("attention_scale_key", "Attention", {"use_scale": True},
     [F(2, 3, 4), F(2, 5, 3), F(2, 5, 4)], {}),
    ("attention_concat", "Attention", {"score_mode": "concat", "use_scale": True},
     [F(2, 3, 4), F(2, 5, 4)], {}),
    ("attention_dropout_inference", "Attention", {"dropout": 0.5, "seed": 3},
     [F(2, 3, 4), F(2, 5, 4)], {}),
    ("additive_attention", "AdditiveAttention", {}, [F(2, 3, 4), F(2, 5, 4)], {}),
    ("additive_attention_no_scale_key", "AdditiveAttention", {"use_scale": False},
     [F(2, 3, 4), F(2, 5, 3), F(2, 5, 4)], {}),
]

# (id, class name, kwargs, input shapes of successive calls, exception-type override)
ERRORS = [
    ("einsum_dense_equation", "EinsumDense", {"equation": "ab->c", "output_shape": 4},
     [(2, 3)], None),
    ("einsum_dense_rank", "EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4},
     [(2, 3, 4)], None),
    ("einsum_dense_after_build", "EinsumDense", {"equation": "ab,bc->ac", "output_shape": 4},
     [(2, 3), (2, 4)], None),
    ("einsum_dense_bias_axes", "EinsumDense",
     {"equation": "ab,bc->ac", "output_shape": 4, "bias_axes": "x"}, [(2, 3)], None),
    ("einsum_dense_shared_dim", "EinsumDense", {"equation": "abc,cd->abd", "output_shape": (4, 5)},
     [(2, 3, 6)], None),
    ("einsum_dense_output_letter", "EinsumDense",
     {"equation": "ab,bc->acd", "output_shape": (5, 6)}, [(2, 3)], None),
    ("attention_not_list", "Attention", {}, [(2, 3, 4)], None),
    ("attention_one_input", "Attention", {}, [[(2, 3, 4)]], None),
    ("attention_dims", "Attention", {}, [[(2, 3, 4), (2, 5, 3)]], "ValueError"),
    ("additive_attention_dims", "AdditiveAttention", {}, [[(2, 3, 4), (2, 5, 3)]],
     "ValueError"),
    ("attention_score_mode", "Attention", {"score_mode": "x"}, [], None),
]

CLASSES = ["EinsumDense", "Attention", "AdditiveAttention", "MultiHeadAttention",
           "GroupQueryAttention"]

# (id, class name, kwargs, inputs {"query", "value", "key"} (a spec or the name of an input
# already made: the same tensor), options). Options: masks (input names given a random time
# mask: carried by the input tensor for MultiHeadAttention / GroupQueryAttention, passed as
# mask=[query_mask, value_mask(, key_mask)] to Attention / AdditiveAttention, which are called
# on the list [query, value(, key)]), mask_args (*_mask arguments passed explicitly),
# attention_mask (True: a random (B, T, S) mask), use_causal_mask, return_attention_scores,
# training.
CALL_CASES = [
    ("attention_masked_scores", "Attention", {},
     {"query": F(3, 4, 2), "value": F(3, 5, 2)},
     {"masks": ["query", "value"], "return_attention_scores": True}),
    ("attention_concat_value_mask", "Attention", {"score_mode": "concat", "use_scale": True},
     {"query": F(2, 3, 4), "value": F(2, 5, 4)}, {"masks": ["value"]}),
    ("attention_causal_scores", "Attention", {"use_scale": True},
     {"query": F(2, 4, 3), "value": "query"},
     {"masks": ["value"], "use_causal_mask": True, "return_attention_scores": True}),
    ("attention_concat_key_masks", "Attention", {"score_mode": "concat"},
     {"query": F(2, 3, 4), "value": F(2, 5, 3), "key": F(2, 5, 4)},
     {"masks": ["query", "value"]}),
    ("additive_attention_masked_scores", "AdditiveAttention", {"use_scale": False},
     {"query": F(2, 3, 4), "value": F(2, 5, 3), "key": F(2, 5, 4)},
     {"masks": ["query", "value"], "return_attention_scores": True}),
    ("additive_attention_causal", "AdditiveAttention", {},
     {"query": F(2, 4, 3), "value": "query"},
     {"use_causal_mask": True, "return_attention_scores": True}),
    ("mha_self", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
     {"query": F(2, 4, 4), "value": "query"}, {}),
    ("mha_cross_key_scores", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": 5},
     {"query": F(2, 3, 4), "value": F(2, 5, 6), "key": F(2, 5, 3)},
     {"return_attention_scores": True}),
    ("mha_implicit_masks_scores", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": F(2, 4, 4), "value": F(2, 5, 4)},
     {"masks": ["query", "value"], "return_attention_scores": True}),
    ("mha_implicit_masks_fused", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": F(2, 4, 4), "value": F(2, 5, 4)}, {"masks": ["query", "value"]}),
    ("mha_key_mask", "MultiHeadAttention", {"num_heads": 1, "key_dim": 3},
     {"query": F(2, 3, 4), "value": F(2, 5, 4), "key": F(2, 5, 4)},
     {"masks": ["key"], "return_attention_scores": True}),
    ("mha_explicit_mask_args", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": F(2, 4, 4), "value": F(2, 5, 4)},
     {"mask_args": ["query", "value"], "return_attention_scores": True}),
    ("mha_causal_fused", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
     {"query": F(2, 4, 4), "value": "query"}, {"use_causal_mask": True}),
    ("mha_causal_scores", "MultiHeadAttention", {"num_heads": 2, "key_dim": 3},
     {"query": F(2, 4, 4), "value": F(2, 6, 4)},
     {"use_causal_mask": True, "return_attention_scores": True}),
    ("mha_causal_padding", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": F(3, 5, 4), "value": "query"}, {"masks": ["query"], "use_causal_mask": True}),
    ("mha_attention_mask", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": F(2, 3, 4), "value": F(2, 5, 4)},
     {"attention_mask": True, "masks": ["value"], "return_attention_scores": True}),
    ("mha_attention_axes", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "attention_axes": (1, 2)},
     {"query": F(2, 3, 2, 4), "value": F(2, 3, 2, 4)}, {"return_attention_scores": True}),
    ("mha_attention_axes_last", "MultiHeadAttention",
     {"num_heads": 1, "key_dim": 2, "attention_axes": -1},
     {"query": F(2, 2, 3, 4), "value": F(2, 2, 3, 4)}, {}),
    ("mha_gate_no_bias", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "use_bias": False, "use_gate": True,
      "kernel_regularizer": "l2", "kernel_initializer": "he_normal"},
     {"query": F(2, 3, 4), "value": F(2, 5, 4)}, {}),
    ("mha_sliding_window", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "sliding_window": 2},
     {"query": F(2, 5, 4), "value": "query"},
     {"use_causal_mask": True, "return_attention_scores": True}),
    ("mha_output_shape_dropout_inference", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "output_shape": (2, 3), "dropout": 0.3, "seed": 1},
     {"query": F(2, 3, 4), "value": F(2, 5, 4)}, {"training": False}),
    ("gqa_scores", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 2},
     {"query": F(2, 3, 4), "value": F(2, 5, 4)}, {"return_attention_scores": True}),
    ("gqa_causal_padding", "GroupQueryAttention",
     {"head_dim": 3, "num_query_heads": 2, "num_key_value_heads": 1},
     {"query": F(3, 5, 4), "value": "query"},
     {"masks": ["query", "value"], "use_causal_mask": True}),
    ("gqa_causal_fused", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 2},
     {"query": F(2, 4, 4), "value": "query"}, {"use_causal_mask": True}),
    ("gqa_key_gate_window", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 1, "use_gate": True,
      "use_bias": False, "sliding_window": 2},
     {"query": F(2, 4, 4), "value": F(2, 4, 4), "key": F(2, 4, 6)},
     {"masks": ["value"], "return_attention_scores": True}),
]

# (id, class name, kwargs, call shapes {"query", "value", "key"} or None for a constructor error)
MHA_ERRORS = [
    ("mha_num_heads", "MultiHeadAttention", {"num_heads": 0, "key_dim": 2}, None),
    ("mha_key_dim", "MultiHeadAttention", {"num_heads": 2, "key_dim": 1.5}, None),
    ("mha_value_dim", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2, "value_dim": -1},
     None),
    ("mha_attention_axes", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "attention_axes": "x"}, None),
    ("mha_output_shape", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "output_shape": 1.5}, None),
    ("mha_sliding_window", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "sliding_window": 0}, None),
    ("mha_flash_dropout", "MultiHeadAttention",
     {"num_heads": 2, "key_dim": 2, "dropout": 0.1, "flash_attention": True}, None),
    ("mha_value_key_steps", "MultiHeadAttention", {"num_heads": 2, "key_dim": 2},
     {"query": (2, 3, 4), "value": (2, 5, 4), "key": (2, 6, 4)}),
    ("gqa_heads", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 4, "num_key_value_heads": 3}, None),
    ("gqa_flash_dropout", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1, "dropout": 0.2,
      "flash_attention": True}, None),
    ("gqa_value_key_steps", "GroupQueryAttention",
     {"head_dim": 2, "num_query_heads": 2, "num_key_value_heads": 1},
     {"query": (2, 3, 4), "value": (2, 5, 4), "key": (2, 6, 4)}),
]


def time_mask(rng, batch, steps):
    mask = rng.random((batch, steps)) < 0.6
    mask[:, 0] = True  # every sample keeps a step
    return mask


def run_call_case(case_id, class_name, kwargs, specs, options):
    rng = np.random.default_rng(zlib.crc32(case_id.encode()))
    names = [n for n in ("query", "value", "key") if n in specs]
    arrays = {}
    for n in names:  # a string names an input already made: the same tensor (self-attention)
        spec = specs[n]
        arrays[n] = arrays[spec] if isinstance(spec, str) else \
            rng.normal(size=spec[1]).astype("float32")
    distinct = [n for n in names if not isinstance(specs[n], str)]
    masks = {n: time_mask(rng, *arrays[n].shape[:2]) for n in options.get("masks", [])}
    mask_args = {f"{n}_mask": time_mask(rng, *arrays[n].shape[:2])
                 for n in options.get("mask_args", [])}
    q, v = arrays["query"], arrays["value"]
    attention_mask = None
    if options.get("attention_mask"):
        attention_mask = rng.random((q.shape[0], q.shape[1], v.shape[1])) < 0.7
        attention_mask[..., 0] = True
    call_kwargs = {k: options[k] for k in ("use_causal_mask", "return_attention_scores",
                                          "training") if k in options}

    list_input = class_name in ("Attention", "AdditiveAttention")

    def call_args(tensors):
        """(positional args, keyword args) of the call on `tensors` (a dict by input name)."""
        extra = {k: jnp.asarray(m) for k, m in mask_args.items()}
        if attention_mask is not None:
            extra["attention_mask"] = jnp.asarray(attention_mask)
        if list_input:
            if masks:
                extra["mask"] = [None if n not in masks else jnp.asarray(masks[n])
                                 for n in names]
            return [[tensors[n] for n in names]], extra
        for n, m in masks.items():
            set_keras_mask(tensors[n], jnp.asarray(m))
        return [tensors[n] for n in names], extra

    def make_tensors():
        tensors = {n: jnp.asarray(arrays[n]) for n in distinct}
        for n in names:
            if isinstance(specs[n], str):
                tensors[n] = tensors[specs[n]]
        return tensors

    layer = getattr(keras.layers, class_name)(**kwargs)
    args, extra = call_args(make_tensors())
    layer(*args, **extra, **call_kwargs)  # builds
    weights = [weight_value(w, rng) for w in layer.weights]
    layer.set_weights(weights)
    t_vars, nt_vars = layer.trainable_variables, layer.non_trainable_variables

    def forward(inputs, t_vals, nt_vals):
        tensors = dict(zip(distinct, inputs))
        for n in names:
            if isinstance(specs[n], str):
                tensors[n] = tensors[specs[n]]
        args, extra = call_args(tensors)
        # Layer.__call__ in a stateless scope rather than stateless_call, which skips the
        # filling of the *_mask arguments from the inputs' masks
        mapping = list(zip(t_vars, t_vals)) + list(zip(nt_vars, nt_vals))
        with keras.StatelessScope(state_mapping=mapping):
            return layer(*args, **call_kwargs, **extra)

    def values():
        return ([jnp.asarray(arrays[n]) for n in distinct], [v.value for v in t_vars],
                [v.value for v in nt_vars])

    out = forward(*values())
    output, scores = out if options.get("return_attention_scores") else (out, None)
    w = rng.normal(size=output.shape).astype("float32")
    w_scores = None if scores is None else rng.normal(size=scores.shape).astype("float32")

    def loss(*vals):
        out = forward(*vals)
        if w_scores is None:
            return jnp.sum(out * w)
        return jnp.sum(out[0] * w) + jnp.sum(out[1] * w_scores)

    g_in, g_t = jax.grad(loss, argnums=(0, 1))(*values())
    by_path = {v.path: g for v, g in zip(t_vars, g_t)}

    # the output mask: for the list-input layers what compute_mask gives the next layer, else
    # the mask Keras leaves on an eager output (the query's)
    args, extra = call_args(make_tensors())
    if list_input:
        out_mask = layer.compute_mask(args[0], extra.get("mask"))
    else:
        eager = layer(*args, **extra, **call_kwargs)
        eager_out = eager[0] if options.get("return_attention_scores") else eager
        out_mask = keras.src.backend.get_keras_mask(eager_out)

    fresh = getattr(keras.layers, class_name)(**kwargs)
    sym = {n: keras.Input(shape=arrays[n].shape[1:]) for n in distinct}
    sym_args = [sym[specs[n]] if isinstance(specs[n], str) else sym[n] for n in names]
    sym_out = fresh(*([sym_args] if list_input else sym_args),
                    **{k: v for k, v in call_kwargs.items() if k != "training"})
    sym_out = sym_out[0] if options.get("return_attention_scores") else sym_out
    config = layer.get_config()
    config.pop("name")
    return {
        "id": case_id, "class_name": class_name, "kwargs": jsonable(kwargs),
        "list_input": list_input, "names": names, "same_as": {n: specs[n] for n in names if isinstance(specs[n], str)},
        "inputs": {n: enc(arrays[n]) for n in distinct},
        "masks": {n: enc(m) for n, m in masks.items()},
        "mask_args": {k: enc(m) for k, m in mask_args.items()},
        "attention_mask": None if attention_mask is None else enc(attention_mask),
        "call_kwargs": call_kwargs,
        "weights": [{"name": v.name, "path": v.path, "shape": list(v.shape),
                     "trainable": v.trainable, "value": enc(val)}
                    for v, val in zip(layer.weights, weights)],
        "output": enc(output), "scores": None if scores is None else enc(scores),
        "output_mask": None if out_mask is None else enc(out_mask),
        "w": enc(w), "w_scores": None if w_scores is None else enc(w_scores),
        "input_grads": {n: enc(g) for n, g in zip(distinct, g_in)},
        "weight_grads": [enc(by_path[v.path]) for v in layer.weights],
        "config": jsonable(config), "symbolic_shape": list(sym_out.shape),
    }


def run_mha_error(case_id, class_name, kwargs, shapes):
    entry = {"id": case_id, "class_name": class_name, "kwargs": jsonable(kwargs),
             "shapes": None if shapes is None else {k: list(s) for k, s in shapes.items()}}
    try:
        layer = getattr(keras.layers, class_name)(**kwargs)
        layer(*[np.zeros(shapes[n], "float32") for n in ("query", "value", "key") if n in shapes])
    except Exception as e:  # noqa: BLE001  (recording what Keras raises is the point)
        entry["keras_type"] = type(e).__name__
        entry["keras_message"] = str(e).split("\n")[0][:300]
        return entry
    raise AssertionError(f"{case_id}: Keras raised nothing")


# ---------------------------------------------------------------------------------- models
# The same recipes are written with keraslite in tests/test_layers_attention.py.

def embedding_mha_model():
    ids = keras.Input(shape=(6,), dtype="int32")
    x = keras.layers.Embedding(7, 4, mask_zero=True)(ids)
    x = keras.layers.MultiHeadAttention(2, 2)(x, x)
    x = keras.layers.GlobalAveragePooling1D()(x)
    return keras.Model(ids, keras.layers.Dense(2)(x))


def transformer_model():
    ids = keras.Input(shape=(6,), dtype="int32")
    x = keras.layers.Embedding(8, 8, mask_zero=True)(ids)
    attended = keras.layers.MultiHeadAttention(2, 4)(x, x, use_causal_mask=True)
    x = keras.layers.LayerNormalization()(keras.layers.Add()([x, attended]))
    hidden = keras.layers.Dense(8)(keras.layers.Dense(16, activation="relu")(x))
    x = keras.layers.LayerNormalization()(keras.layers.Add()([x, hidden]))
    x = keras.layers.GlobalAveragePooling1D()(x)
    return keras.Model(ids, keras.layers.Dense(1)(x))


def gqa_model():
    inputs = keras.Input(shape=(3, 4))
    x = keras.layers.GroupQueryAttention(2, 4, 2)(inputs, inputs)
    x = keras.layers.MultiHeadAttention(2, 2, use_gate=True)(x, x)
    return keras.Model(inputs, keras.layers.EinsumDense("abc,cd->abd", (3, 2), bias_axes="d")(x))


def padded_ids(rng, n, steps, vocab):
    ids = rng.integers(1, vocab, size=(n, steps)).astype("int32")
    for row, length in zip(ids, rng.integers(2, steps + 1, size=n)):
        row[length:] = 0
    return ids


def record_models():
    rng = np.random.default_rng(7)
    models = {}

    model = embedding_mha_model()
    weights = [(rng.normal(size=w.shape) * 0.5).astype("float32") for w in model.weights]
    model.set_weights(weights)
    x = padded_ids(rng, 4, 6, 7)
    models["embedding_mha"] = {"weights": [enc(w) for w in weights], "x": enc(x),
                               "predict": enc(model.predict(x, verbose=0))}

    keras.utils.set_random_seed(0)
    model = transformer_model()
    weights = [(rng.normal(size=w.shape) * 0.3).astype("float32") for w in model.weights]
    model.set_weights(weights)
    x = padded_ids(rng, 16, 6, 8)
    y = rng.normal(size=(16, 1)).astype("float32")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=4, epochs=3, shuffle=False, verbose=0)
    models["transformer"] = {
        "weights": [enc(w) for w in weights], "x": enc(x), "y": enc(y),
        "losses": [float(v) for v in history.history["loss"]],
        "trained": [enc(w) for w in model.get_weights()],
        "predict": enc(model.predict(x, verbose=0))}
    return models


def weight_layout():
    """{recipe: [[group path, [dataset shapes in order]]]} of the .weights.h5 Keras writes."""
    import h5py

    out = {}
    for name, make in (("transformer", transformer_model), ("gqa", gqa_model)):
        with tempfile.TemporaryDirectory() as tmp:
            path = pathlib.Path(tmp) / "m.weights.h5"
            make().save_weights(path)
            groups = []
            with h5py.File(path, "r") as f:
                def visit(name, item, groups=groups):
                    if isinstance(item, h5py.Group) and name.split("/")[-1] == "vars" and len(item):
                        groups.append([name, [list(item[str(i)].shape) for i in range(len(item))]])
                f.visititems(visit)
        out[name] = groups
    return out


def main():
    write(FILENAME, CASES, ERRORS, CLASSES)
    path = HERE / FILENAME
    data = json.loads(path.read_text())
    data["call_cases"] = [run_call_case(*c) for c in CALL_CASES]
    data["mha_errors"] = [run_mha_error(*e) for e in MHA_ERRORS]
    data["models"] = record_models()
    data["weight_layout"] = weight_layout()
    path.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"added {len(data['call_cases'])} attention call cases, {len(data['mha_errors'])} "
          f"error cases, {len(data['models'])} models")


if __name__ == "__main__":
    main()
