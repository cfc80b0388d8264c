"""MultiHeadAttention: scaled dot-product attention over `num_heads` learned projections.

query (B, T, dim) and key/value (B, S, dim) are projected by EinsumDense sublayers to
(B, T, heads, key_dim), (B, S, heads, key_dim) and (B, S, heads, value_dim); each head attends
softmax(q k / sqrt(key_dim)) over the keys; `attention_output` projects the heads back to the
query's last dimension (or `output_shape`). Inputs may have more axes, (B, ..., dim): attention
then runs over `attention_axes` (by default every axis but the batch and the features).
"""

import math

from keraslite.layers.attention import attention_utils
from keraslite.layers.attention.head_attention import HeadAttention, check_positive_int
from keraslite.layers.regularization.dropout import Dropout


def projection_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes) of a projection: `free_dims` axes kept, `bound_dims` contracted
    with the kernel, `output_dims` made by it; e.g. (2, 1, 2) -> "abc,cde->abde", "de"."""
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    free = "".join(next(letters) for _ in range(free_dims))
    bound = "".join(next(letters) for _ in range(bound_dims))
    made = "".join(next(letters) for _ in range(output_dims))
    return f"{free}{bound},{bound}{made}->{free}{made}", made


class MultiHeadAttention(HeadAttention):
    def __init__(self, num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
                 output_shape=None, attention_axes=None, sliding_window=None,
                 flash_attention=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 use_gate=False, seed=None, **kwargs):
        super().__init__(**kwargs)
        check_positive_int(self, num_heads, "num_heads")
        check_positive_int(self, key_dim, "key_dim")
        check_positive_int(self, value_dim, "value_dim", allow_none=True)
        self._set_common(dropout, use_bias, use_gate, sliding_window, flash_attention,
                         kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, seed)
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        if output_shape:
            if isinstance(output_shape, int):
                output_shape = (output_shape,)
            try:
                output_shape = tuple(output_shape)
            except TypeError:
                raise ValueError(f"MultiHeadAttention '{self.name}': `output_shape` must be an "
                                 f"int, a tuple or a list. Received: {output_shape!r}") from None
        self._output_shape = output_shape
        if isinstance(attention_axes, int):
            attention_axes = (attention_axes,)
        elif attention_axes and not isinstance(attention_axes, (list, tuple)):
            raise ValueError(f"MultiHeadAttention '{self.name}': `attention_axes` must be an "
                             f"int, a list or a tuple. Received: {attention_axes!r}")
        self._attention_axes = attention_axes
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    attention_axes = property(lambda self: self._attention_axes)

    # ------------------------------------------------------------------------------ build

    def _projection(self, name, input_shape, bound_dims, made_shape, activation=None):
        """EinsumDense from `input_shape` (last `bound_dims` axes contracted) to `made_shape`."""
        free_dims = len(input_shape) - bound_dims
        equation, bias_axes = projection_equation(free_dims, bound_dims, len(made_shape))
        return self._einsum_dense(name, equation, (None,) * (free_dims - 1) + tuple(made_shape),
                                  bias_axes, input_shape, activation)

    def _normalized_axes(self, rank):
        """The attention axes of projected tensors of `rank` axes."""
        if self._attention_axes is None:
            return tuple(range(1, rank - 2))
        return tuple(a if a >= 0 else rank - 1 + a for a in self._attention_axes)

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_value_and_key(value_shape, key_shape)
        query_shape, value_shape, key_shape = (tuple(query_shape), tuple(value_shape),
                                               tuple(key_shape))
        heads = self._num_heads
        # attribute names and order as Keras (its saving walk reaches these four by the
        # public properties of the same names), so weights move between the two unchanged
        self.query_dense = self._projection("query", query_shape, 1, (heads, self._key_dim))
        self.key_dense = self._projection("key", key_shape, 1, (heads, self._key_dim))
        if self._use_gate:
            self._gate_dense = self._projection("gate", query_shape, 1,
                                                (heads, self._value_dim), activation="sigmoid")
        self.value_dense = self._projection("value", value_shape, 1, (heads, self._value_dim))
        rank = len(query_shape) + 1
        self._attention_axes = self._normalized_axes(rank)
        self._dot_product_equation, self._combine_equation = (
            attention_utils.attention_equations(rank, self._attention_axes))
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy,
                                      seed=self.seed)
        heads_shape = query_shape[:-1] + (heads, self._value_dim)
        self.output_dense = self._projection(
            "attention_output", heads_shape, 2, self._output_shape or (query_shape[-1],))
        self._built_shapes = (query_shape, value_shape, key_shape)
        self.built = True

    # ------------------------------------------------------------------------------ checks

    def _check_value_and_key(self, value_shape, key_shape):
        if tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
            raise ValueError(f"MultiHeadAttention '{self.name}': all dimensions of `value` and "
                             "`key`, except the last one, must be equal. Received: value_shape="
                             f"{tuple(value_shape)} and key_shape={tuple(key_shape)}")

    def _check_call_shapes(self, query_shape, value_shape, key_shape):
        self._check_value_and_key(value_shape, key_shape)
        for name, got, built in zip(("query", "value", "key"),
                                    (query_shape, value_shape, key_shape), self._built_shapes):
            if len(got) != len(built) or got[-1] != built[-1]:
                raise ValueError(f"MultiHeadAttention '{self.name}' was built for a {name} of "
                                 f"shape {built}; received {name} shape {tuple(got)} (the rank "
                                 "and last dimension must match).")

    # ------------------------------------------------------------------------------ call

    def _project(self, query, key, value):
        return self.query_dense(query), self.key_dense(key), self.value_dense(value)

    def _output_projection(self):
        return self.output_dense

    def _attention_kwargs(self):
        return {"scale": self._inverse_sqrt_key_dim,
                "equations": (self._dot_product_equation, self._combine_equation),
                "num_attention_axes": len(self._attention_axes)}

    # ------------------------------------------------------------------------------ shapes

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        query_shape, value_shape = tuple(query_shape), tuple(value_shape)
        key_shape = value_shape if key_shape is None else tuple(key_shape)
        self._check_value_and_key(value_shape, key_shape)
        if self._output_shape:
            return query_shape[:-1] + tuple(self._output_shape)
        return query_shape

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        # the scores: batch-like axes (heads included), then query and key attention axes
        rank = len(query.shape) + 1
        axes = self._normalized_axes(rank)
        q = tuple(query.shape)[:-1] + (self._num_heads,)
        k = tuple(value.shape if key is None else key.shape)[:-1] + (self._num_heads,)
        scores = (tuple(q[i] for i in range(rank - 1) if i not in axes)
                  + tuple(q[i] for i in axes) + tuple(k[i] for i in axes))
        return self._output_spec(query, value, key, return_attention_scores, scores)

    # ------------------------------------------------------------------------------ config

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            **self._common_config(),
        })
        return config
