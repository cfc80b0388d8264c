"""EinsumDense and the attention layers on the active backend against real Keras 3.15.1
(tests/data/keras_layers_attention.json, written by tests/data/make_keras_layers_attention.py).

EinsumDense, and Attention and AdditiveAttention without masks, get the shared layer checks
(tests/layer_checks.py). The calls with keyword arguments are checked here: MultiHeadAttention
and GroupQueryAttention with masks carried by the inputs or passed as arguments, attention
masks, causal masks and sliding windows; Attention and AdditiveAttention with mask=[...],
use_causal_mask and the scores. Each gets its weight names, shapes and order, outputs,
attention scores, output mask and gradients for fixed weights, config round trip, symbolic
shapes; errors too. Then small models
against Keras: Embedding(mask_zero=True) into MultiHeadAttention (implicit masks, eager and
compiled predict), a transformer block trained with fit() (losses and trained weights), the
layout of their .weights.h5 files; and the causal / padding mask semantics.
"""

import h5py
import layer_checks
import numpy as np
import pytest
from layer_checks import arr, to_np

import keraslite
from keraslite import backend, layers, ops
from keraslite.backend.masking import get_keras_mask, set_keras_mask
from keraslite.backend.variables import StatelessScope

globals().update(layer_checks.layer_tests("keras_layers_attention.json"))

DATA = layer_checks.load("keras_layers_attention.json")
CALL_CASES = {c["id"]: c for c in DATA["call_cases"]}
MHA_ERRORS = {e["id"]: e for e in DATA["mha_errors"]}
RTOL = ATOL = 2e-5
GRAD_TOL = 1e-4


def test_exports():
    from keraslite.layers.attention.grouped_query_attention import GroupedQueryAttention

    assert layers.GroupQueryAttention is GroupedQueryAttention
    assert GroupedQueryAttention(2, 2, 1).name.startswith("grouped_query_attention")
    assert "GroupQueryAttention" in layers.__all__ and "MultiHeadAttention" in layers.__all__


# ---------------------------------------------------------------------- MultiHeadAttention, GQA


def case_tensors(case):
    tensors = {n: ops.convert_to_tensor(arr(e)) for n, e in case["inputs"].items()}
    for n, same in case["same_as"].items():
        tensors[n] = tensors[same]
    return tensors


def call_args(case, tensors):
    """(args, kwargs) of the case's call on `tensors`: the masks on the input tensors, or as
    mask=[...] for the layers called on a list."""
    kwargs = dict(case["call_kwargs"])
    kwargs.update({k: ops.convert_to_tensor(arr(m)) for k, m in case["mask_args"].items()})
    if case["attention_mask"] is not None:
        kwargs["attention_mask"] = ops.convert_to_tensor(arr(case["attention_mask"]))
    masks = {n: ops.convert_to_tensor(arr(m)) for n, m in case["masks"].items()}
    if case["list_input"]:
        if masks:
            kwargs["mask"] = [masks.get(n) for n in case["names"]]
        return [[tensors[n] for n in case["names"]]], kwargs
    for n, m in masks.items():
        set_keras_mask(tensors[n], m)
    return [tensors[n] for n in case["names"]], kwargs


def case_call(layer, case, tensors):
    args, kwargs = call_args(case, tensors)
    return layer(*args, **kwargs)


def make_case_layer(case):
    layer = getattr(layers, case["class_name"])(**case["kwargs"])
    case_call(layer, case, case_tensors(case))
    layer.set_weights([arr(w["value"]) for w in case["weights"]])
    return layer


def split(case, result):
    return result if case["scores"] is not None else (result, None)


@pytest.mark.parametrize("case_id", sorted(CALL_CASES))
def test_call_weights_outputs_scores_and_mask(case_id):
    case = CALL_CASES[case_id]
    layer = make_case_layer(case)
    assert [v.name for v in layer.weights] == [w["name"] for w in case["weights"]]
    assert [list(v.shape) for v in layer.weights] == [w["shape"] for w in case["weights"]]
    assert [v.trainable for v in layer.weights] == [w["trainable"] for w in case["weights"]]
    # the sublayer of each weight (Keras' path is <layer>/<sublayer>/<weight>)
    for v, w in zip(layer.weights, case["weights"]):
        assert v.path.endswith("/".join(w["path"].split("/")[1:])), (v.path, w["path"])

    output, scores = split(case, case_call(layer, case, case_tensors(case)))
    want = arr(case["output"])
    assert tuple(output.shape) == want.shape
    assert backend.standardize_dtype(output.dtype) == "float32"
    np.testing.assert_allclose(to_np(output), want, rtol=RTOL, atol=ATOL)
    if case["scores"] is not None:
        np.testing.assert_allclose(to_np(scores), arr(case["scores"]), rtol=RTOL, atol=ATOL)
    if case["list_input"]:
        args, kwargs = call_args(case, case_tensors(case))
        mask = layer.compute_mask(args[0], kwargs.get("mask"))
    else:
        mask = get_keras_mask(output)
    if case["output_mask"] is None:
        assert mask is None
    else:
        np.testing.assert_array_equal(to_np(mask), arr(case["output_mask"]))


# gradients (slow on jax, op by op) for a case of each path through the layers: the explicit
# scores, the fused kernel with masks, several attention axes, grouped heads, Attention's dot
# and concat scores, AdditiveAttention
GRAD_CASES = ["mha_cross_key_scores", "mha_implicit_masks_fused", "mha_attention_axes",
              "gqa_causal_padding", "attention_masked_scores", "attention_concat_key_masks",
              "additive_attention_causal"]


@pytest.mark.parametrize("case_id", GRAD_CASES)
def test_call_gradients(case_id):
    case = CALL_CASES[case_id]
    layer = make_case_layer(case)
    weights = layer.weights
    names = list(case["inputs"])
    w = ops.convert_to_tensor(arr(case["w"]))
    w_scores = None if case["w_scores"] is None else ops.convert_to_tensor(arr(case["w_scores"]))

    def loss(inputs, values):
        tensors = dict(zip(names, inputs))
        for n, same in case["same_as"].items():
            tensors[n] = tensors[same]
        with StatelessScope(list(zip(weights, values))):
            output, scores = split(case, case_call(layer, case, tensors))
        total = ops.sum(ops.multiply(output, w))
        return total if scores is None else ops.add(total, ops.sum(ops.multiply(scores, w_scores)))

    g_in, g_w = backend.grad(loss, argnums=(0, 1))(
        [ops.convert_to_tensor(arr(case["inputs"][n])) for n in names],
        [v.value for v in weights])
    for n, g in zip(names, g_in):
        np.testing.assert_allclose(to_np(g), arr(case["input_grads"][n]), rtol=GRAD_TOL,
                                   atol=GRAD_TOL, err_msg=n)
    for v, g, want in zip(weights, g_w, case["weight_grads"]):
        np.testing.assert_allclose(to_np(g), arr(want), rtol=GRAD_TOL, atol=GRAD_TOL,
                                   err_msg=v.path)


@pytest.mark.parametrize("case_id", sorted(CALL_CASES))
def test_call_config_round_trip_and_symbolic_shape(case_id):
    case = CALL_CASES[case_id]
    layer = make_case_layer(case)
    ours, dtype = layer_checks._config(layer.get_config())
    want, want_dtype = layer_checks._config(case["config"])
    assert ours.keys() == want.keys()
    assert layer_checks._same(ours, want), (ours, want)
    assert dtype == want_dtype

    clone = type(layer).from_config(layer.get_config())
    case_call(clone, case, case_tensors(case))
    clone.set_weights(layer.get_weights())
    for a, b in zip(split(case, case_call(clone, case, case_tensors(case))),
                    split(case, case_call(layer, case, case_tensors(case)))):
        if a is not None:
            np.testing.assert_allclose(to_np(a), to_np(b), rtol=1e-6, atol=1e-6)

    fresh = getattr(layers, case["class_name"])(**case["kwargs"])
    sym = {n: layers.Input(shape=tuple(e["shape"][1:])) for n, e in case["inputs"].items()}
    for n, same in case["same_as"].items():
        sym[n] = sym[same]
    args = [sym[n] for n in case["names"]]
    kwargs = {k: v for k, v in case["call_kwargs"].items() if k != "training"}
    output, scores = split(case, fresh(*([args] if case["list_input"] else args), **kwargs))
    assert list(output.shape) == case["symbolic_shape"]
    if scores is not None:
        # the true scores shape (Keras' symbolic one repeats the query length for the keys)
        assert list(scores.shape) == [None] + case["scores"]["shape"][1:]


@pytest.mark.parametrize("error_id", sorted(MHA_ERRORS))
def test_mha_errors(error_id):
    spec = MHA_ERRORS[error_id]
    assert spec["keras_type"] == "ValueError"
    cls = getattr(layers, spec["class_name"])
    if spec["shapes"] is None:
        with pytest.raises(ValueError):
            cls(**spec["kwargs"])
        return
    layer = cls(**spec["kwargs"])
    with pytest.raises(ValueError) as info:
        layer(*[ops.zeros(tuple(spec["shapes"][n])) for n in ("query", "value", "key")])
    message = str(info.value)
    assert layer.name in message
    for n in ("value", "key"):
        assert str(tuple(spec["shapes"][n])) in message, message


def test_mha_input_checks_after_build():
    layer = layers.MultiHeadAttention(2, 2)
    layer(ops.zeros((2, 3, 4)), ops.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match=r"multi_head_attention.*\(2, 3, 6\)"):
        layer(ops.zeros((2, 3, 6)), ops.zeros((2, 5, 4)))
    with pytest.raises(ValueError, match=r"\(2, 5, 6\)"):
        layer(ops.zeros((2, 3, 4)), ops.zeros((2, 5, 6)))
    flash = layers.MultiHeadAttention(2, 2, flash_attention=True)
    flash.build((2, 3, 4), (2, 5, 4))
    with pytest.raises(ValueError, match=flash.name):
        flash(ops.zeros((2, 3, 4)), ops.zeros((2, 5, 4)), return_attention_scores=True)


def test_mha_dropout_only_in_training():
    x = ops.convert_to_tensor(np.random.default_rng(0).normal(size=(2, 4, 4)).astype("f"))
    layer = layers.MultiHeadAttention(2, 2, dropout=0.5, seed=1)
    inference = to_np(layer(x, x))
    np.testing.assert_allclose(to_np(layer(x, x, training=False)), inference)
    _, scores = layer(x, x, training=True, return_attention_scores=True)
    np.testing.assert_allclose(to_np(ops.sum(scores, axis=-1)), 1.0, rtol=1e-5)  # before dropout
    assert not np.allclose(to_np(layer(x, x, training=True)), inference)


# ---------------------------------------------------------------------- mask semantics


def _seq(seed, shape=(2, 5, 4)):
    return np.random.default_rng(seed).normal(size=shape).astype("float32")


@pytest.mark.parametrize("make", [
    lambda: layers.MultiHeadAttention(2, 3),
    lambda: layers.GroupQueryAttention(2, 4, 2),
], ids=["mha", "gqa"])
@pytest.mark.parametrize("scores", [False, True], ids=["fused", "explicit"])
def test_causal_mask_hides_the_future(make, scores):
    layer = make()
    x, later = _seq(1), _seq(1)
    later[:, 3:] = _seq(2)[:, 3:]  # only steps 3 and 4 change
    a, b = (layer(ops.convert_to_tensor(v), ops.convert_to_tensor(v), use_causal_mask=True,
                  return_attention_scores=scores) for v in (x, later))
    a, b = (a[0], b[0]) if scores else (a, b)
    np.testing.assert_allclose(to_np(a)[:, :3], to_np(b)[:, :3], rtol=1e-5, atol=1e-6)
    assert not np.allclose(to_np(a)[:, 3:], to_np(b)[:, 3:])
    if scores:
        s = to_np(layer(ops.convert_to_tensor(x), ops.convert_to_tensor(x), use_causal_mask=True,
                        return_attention_scores=True)[1])
        np.testing.assert_array_equal(s * np.triu(np.ones((5, 5)), 1), 0.0)
        np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("make", [
    lambda: layers.MultiHeadAttention(2, 3),
    lambda: layers.GroupQueryAttention(2, 4, 2),
], ids=["mha", "gqa"])
def test_padding_mask_ignores_padded_values(make):
    layer = make()
    q = ops.convert_to_tensor(_seq(3, (2, 3, 4)))
    mask = np.array([[1, 1, 1, 0, 0], [1, 0, 1, 1, 0]], bool)
    v1, v2 = _seq(4), _seq(4)
    v2[~mask] = 100.0  # padded steps hold anything
    outs = []
    for v in (v1, v2):
        v = ops.convert_to_tensor(v)
        set_keras_mask(v, ops.convert_to_tensor(mask))  # as an Embedding(mask_zero) output
        outs.append(layer(q, v, return_attention_scores=True))
    np.testing.assert_allclose(to_np(outs[0][0]), to_np(outs[1][0]), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(to_np(outs[0][1])[np.broadcast_to(
        ~mask[:, None, None, :], outs[0][1].shape)], 0.0)
    # the same mask passed as an argument
    explicit = layer(q, ops.convert_to_tensor(v1), value_mask=ops.convert_to_tensor(mask))
    np.testing.assert_allclose(to_np(explicit), to_np(outs[0][0]), rtol=1e-6, atol=1e-6)


def test_attention_layer_causal_and_query_mask():
    layer = layers.Attention()
    x, later = _seq(5), _seq(5)
    later[:, 3:] = _seq(6)[:, 3:]
    a, b = (layer([ops.convert_to_tensor(v)] * 2, use_causal_mask=True) for v in (x, later))
    np.testing.assert_allclose(to_np(a)[:, :3], to_np(b)[:, :3], rtol=1e-5, atol=1e-6)
    q_mask = ops.convert_to_tensor(np.array([[1, 1, 0, 0, 1]] * 2, bool))
    out = to_np(layer([ops.convert_to_tensor(x)] * 2, mask=[q_mask, None]))
    np.testing.assert_array_equal(out[:, 2:4], 0.0)


# ---------------------------------------------------------------------- models against Keras


def embedding_mha_model():
    ids = layers.Input(shape=(6,), dtype="int32")
    x = layers.Embedding(7, 4, mask_zero=True)(ids)
    x = layers.MultiHeadAttention(2, 2)(x, x)
    x = layers.GlobalAveragePooling1D()(x)
    return keraslite.Model(ids, layers.Dense(2)(x))


def transformer_model():
    ids = layers.Input(shape=(6,), dtype="int32")
    x = layers.Embedding(8, 8, mask_zero=True)(ids)
    attended = layers.MultiHeadAttention(2, 4)(x, x, use_causal_mask=True)
    x = layers.LayerNormalization()(layers.Add()([x, attended]))
    hidden = layers.Dense(8)(layers.Dense(16, activation="relu")(x))
    x = layers.LayerNormalization()(layers.Add()([x, hidden]))
    x = layers.GlobalAveragePooling1D()(x)
    return keraslite.Model(ids, layers.Dense(1)(x))


def gqa_model():
    inputs = layers.Input(shape=(3, 4))
    x = layers.GroupQueryAttention(2, 4, 2)(inputs, inputs)
    x = layers.MultiHeadAttention(2, 2, use_gate=True)(x, x)
    return keraslite.Model(inputs, layers.EinsumDense("abc,cd->abd", (3, 2), bias_axes="d")(x))


def test_embedding_masks_reach_mha_in_a_model():
    rec = DATA["models"]["embedding_mha"]
    model = embedding_mha_model()
    model.set_weights([arr(w) for w in rec["weights"]])
    x = arr(rec["x"])
    want = arr(rec["predict"])
    np.testing.assert_allclose(to_np(model(x)), want, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-5, atol=1e-5)


def test_transformer_block_fit_matches_keras():
    rec = DATA["models"]["transformer"]
    model = transformer_model()
    model.set_weights([arr(w) for w in rec["weights"]])
    model.compile(optimizer=keraslite.optimizers.Adam(0.01), loss="mse")
    history = model.fit(arr(rec["x"]), arr(rec["y"]), batch_size=4, epochs=3, shuffle=False,
                        verbose=0)
    np.testing.assert_allclose(history.history["loss"], rec["losses"], rtol=1e-4)
    for v, want in zip(model.weights, rec["trained"]):
        np.testing.assert_allclose(to_np(v.value), arr(want), rtol=1e-3, atol=1e-4,
                                   err_msg=v.path)
    np.testing.assert_allclose(model.predict(arr(rec["x"]), verbose=0), arr(rec["predict"]),
                               rtol=1e-3, atol=1e-4)


@pytest.mark.parametrize("recipe", ["transformer", "gqa"])
def test_weights_file_layout_matches_keras(recipe, tmp_path):
    model = {"transformer": transformer_model, "gqa": gqa_model}[recipe]()
    path = tmp_path / "m.weights.h5"
    model.save_weights(path)
    groups = []
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, item: groups.append(
            [name, [list(item[str(i)].shape) for i in range(len(item))]])
            if isinstance(item, h5py.Group) and name.split("/")[-1] == "vars" and len(item)
            else None)
    assert groups == DATA["weight_layout"][recipe]
    clone = {"transformer": transformer_model, "gqa": gqa_model}[recipe]()
    clone.load_weights(path)
    for a, b in zip(clone.weights, model.weights):
        np.testing.assert_array_equal(to_np(a.value), to_np(b.value))


# ---------------------------------------------------------------------- EinsumDense


def test_einsum_dense_lora_file_layout_merges_the_update():
    layer = layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d")
    x = ops.convert_to_tensor(_seq(7, (2, 4, 5)))
    layer(x)
    layer.enable_lora(2)
    layer.lora_kernel_b.assign(np.full((2, 3), 0.5, "float32"))
    out = to_np(layer(x))
    store = {}
    layer.save_own_variables(store)
    assert [np.shape(store[k]) for k in sorted(store)] == [(5, 3), (3,)]  # kernel, bias
    other = layers.EinsumDense("abc,cd->abd", output_shape=(None, 3), bias_axes="d",
                               lora_rank=2)
    other(x)
    other.load_own_variables(store)
    np.testing.assert_allclose(to_np(other(x)), out, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(to_np(other.lora_kernel_b.value), 0.0)
