"""What the attention layers share: causal and sliding-window masks, the merge of the input
masks into one attention mask, the masked softmax, and the multi-head dot-product core of
MultiHeadAttention and GroupQueryAttention (their equations come from `attention_equations`)."""

import string

from keraslite import backend, ops


def _positions(q_len, v_len):
    """(q_len, 1) query positions and (1, v_len) key positions."""
    return (ops.expand_dims(ops.arange(q_len, dtype="int32"), 1),
            ops.expand_dims(ops.arange(v_len, dtype="int32"), 0))


def causal_mask(q_len, v_len):
    """(1, q_len, v_len) bool: query step i attends to key steps j <= i."""
    rows, cols = _positions(q_len, v_len)
    return ops.expand_dims(ops.greater_equal(rows, cols), 0)


def sliding_window_mask(q_len, v_len, window):
    """(1, q_len, v_len) bool: query step i attends to key steps j with |i - j| < window."""
    rows, cols = _positions(q_len, v_len)
    return ops.expand_dims(ops.less(ops.abs(ops.subtract(rows, cols)), window), 0)


def merge_attention_masks(query, value, query_mask=None, value_mask=None, key_mask=None,
                          attention_mask=None, use_causal_mask=False, sliding_window=None):
    """One bool mask (broadcastable to (batch, T, S)) that is the AND of every mask given: the
    query mask as (B, T, 1), the value and key masks as (B, 1, S), the causal and sliding-window
    masks as (1, T, S) and `attention_mask` as it comes; None when there is none."""
    masks = []
    if attention_mask is not None:
        masks.append(ops.cast(attention_mask, "bool"))
    if query_mask is not None:
        masks.append(ops.expand_dims(ops.cast(query_mask, "bool"), -1))
    for mask in (value_mask, key_mask):
        if mask is not None:
            masks.append(ops.expand_dims(ops.cast(mask, "bool"), -2))
    q_len, v_len = query.shape[1], value.shape[1]
    if use_causal_mask:
        masks.append(causal_mask(q_len, v_len))
    if sliding_window is not None:
        masks.append(sliding_window_mask(q_len, v_len, sliding_window))
    if not masks:
        return None
    merged = masks[0]
    for mask in masks[1:]:
        merged = ops.logical_and(merged, mask)
    return merged


def expand_mask(mask, rank, num_attention_axes):
    """`mask` with axes inserted before its attention axes (where the heads axis and other
    batch-like axes of the scores are) until it has `rank` axes."""
    while len(mask.shape) < rank:
        mask = ops.expand_dims(mask, -2 * num_attention_axes - 1)
    return mask


def masked_softmax(scores, mask, axes):
    """Softmax over `axes` where masked entries take no weight (a large negative logit, then an
    exact 0), as Keras' Softmax layer does with a mask."""
    if mask is not None:
        big_negative = -3e4 if backend.standardize_dtype(scores.dtype) == "float16" else -1e9
        scores = ops.where(mask, scores, big_negative)
    if len(axes) == 1:
        probs = ops.softmax(scores, axis=axes[0])
    else:
        probs = ops.exp(ops.subtract(scores, ops.logsumexp(scores, axis=axes, keepdims=True)))
    return probs if mask is None else ops.where(mask, probs, 0.0)


def attention_equations(rank, attention_axes):
    """Einsum equations of the attention core for projected tensors of `rank` axes laid out as
    (batch, <other axes>, heads, channels), attending over `attention_axes`:
    scores = einsum(dot, key, query) has the batch-like axes (every axis but the attention axes
    and channels, heads included), then the query's and the key's attention axes;
    output = einsum(combine, scores, value) is laid out like the query."""
    letters = string.ascii_lowercase
    target = letters[:rank]
    extra = iter(letters[rank:])
    source = "".join(next(extra) if i in attention_axes else target[i] for i in range(rank))
    batch = [i for i in range(rank - 1) if i not in attention_axes]
    scores = ("".join(target[i] for i in batch) + "".join(target[i] for i in attention_axes)
              + "".join(source[i] for i in attention_axes))
    return f"{source},{target}->{scores}", f"{scores},{source}->{target}"


def multi_head_attention(query, key, value, attention_mask, *, scale, equations,
                         num_attention_axes=1, dropout_layer=None, training=None,
                         return_attention_scores=False, use_causal_mask=False,
                         flash_attention=None):
    """(output, scores or None) of softmax(q k * scale, masked) v over projected heads.

    Like Keras, the backend's fused `dot_product_attention` runs when nothing needs the scores
    (no dropout, scores not returned, one attention axis); otherwise the scores are computed
    explicitly. The two differ only on rows where every key is masked: the fused op spreads
    the weight evenly over the keys, the explicit path gives all-zero weights."""
    dropout = dropout_layer is not None and dropout_layer.rate > 0
    if not (dropout or return_attention_scores or len(query.shape) != 4):
        if attention_mask is not None:
            attention_mask = expand_mask(ops.cast(attention_mask, "bool"), 4, num_attention_axes)
        out = ops.dot_product_attention(query, key, value, mask=attention_mask, scale=scale,
                                        is_causal=use_causal_mask,
                                        flash_attention=flash_attention)
        return out, None
    if use_causal_mask:
        causal = causal_mask(query.shape[1], value.shape[1])
        attention_mask = causal if attention_mask is None else ops.logical_and(
            ops.cast(attention_mask, "bool"), causal)
    query = ops.multiply(query, ops.cast(scale, query.dtype))
    dot_equation, combine_equation = equations
    scores = ops.einsum(dot_equation, key, query)
    rank = len(scores.shape)
    if attention_mask is not None:
        attention_mask = expand_mask(ops.cast(attention_mask, "bool"), rank, num_attention_axes)
    axes = tuple(range(rank - num_attention_axes, rank))
    scores = masked_softmax(scores, attention_mask, axes)
    kept = dropout_layer(scores, training=training) if dropout else scores
    return ops.einsum(combine_equation, kept, value), scores
