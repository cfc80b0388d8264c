"""GroupQueryAttention: multi-head attention where `num_query_heads` query heads share
`num_key_value_heads` key/value heads (each key/value head serves num_query_heads //
num_key_value_heads consecutive query heads).

query (B, T, dim) is projected to (B, T, query_heads, head_dim), key and value (B, S, dim') to
(B, S, kv_heads, head_dim); the key/value heads are repeated to match the query heads, each
head attends softmax(q k / sqrt(head_dim)) over the keys, and `attention_output` projects the
heads back to (B, T, dim).

As in Keras, the class is GroupedQueryAttention (its default layer name and the path of its
weights in a .weights.h5 file follow that name) and keraslite.layers exports it as
GroupQueryAttention.
"""

import math

from keraslite import ops
from keraslite.layers.attention import attention_utils
from keraslite.layers.attention.head_attention import HeadAttention, check_positive_int
from keraslite.layers.regularization.dropout import Dropout


class GroupedQueryAttention(HeadAttention):
    _query_mask_argument = True

    def __init__(self, head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
                 use_bias=True, sliding_window=None, flash_attention=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, use_gate=False, seed=None,
                 **kwargs):
        # Keras applies the activity regularizer to this layer's outputs and to each projection's
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        check_positive_int(self, head_dim, "head_dim")
        check_positive_int(self, num_query_heads, "num_query_heads")
        check_positive_int(self, num_key_value_heads, "num_key_value_heads")
        if num_query_heads % num_key_value_heads:
            raise ValueError(f"GroupedQueryAttention '{self.name}': `num_query_heads` must be "
                             f"divisible by `num_key_value_heads`. Received num_query_heads="
                             f"{num_query_heads}, num_key_value_heads={num_key_value_heads}.")
        self._set_common(dropout, use_bias, use_gate, sliding_window, flash_attention,
                         kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint,
                         bias_constraint, seed)
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_ranks_and_steps(query_shape, value_shape, key_shape)
        self.feature_dim = query_shape[-1]
        q_heads, kv_heads, dim = self.num_query_heads, self.num_key_value_heads, self.head_dim
        # attribute names and order as Keras, so weights move between the two unchanged
        self._query_dense = self._einsum_dense("query", "bqm,muh->bquh", (None, q_heads, dim),
                                               "uh", query_shape)
        self._key_dense = self._einsum_dense("key", "bkm,mvh->bkvh", (None, kv_heads, dim),
                                             "vh", key_shape)
        if self._use_gate:
            self._gate_dense = self._einsum_dense("gate", "bqm,muh->bquh",
                                                  (None, q_heads, dim), "uh", query_shape,
                                                  activation="sigmoid")
        self._value_dense = self._einsum_dense("value", "bkm,mvh->bkvh", (None, kv_heads, dim),
                                               "vh", value_shape)
        self._dropout_layer = Dropout(rate=self._dropout, dtype=self.dtype_policy,
                                      seed=self.seed)
        self._equations = attention_utils.attention_equations(4, (1,))
        self._output_dense = self._einsum_dense("attention_output", "bquh,uhm->bqm",
                                                (None, self.feature_dim), "m",
                                                (None, None, q_heads, dim))
        self._built_shapes = tuple(tuple(s) for s in (query_shape, value_shape, key_shape))
        self.built = True

    def _check_ranks_and_steps(self, query_shape, value_shape, key_shape):
        shapes = tuple(tuple(s) for s in (query_shape, value_shape, key_shape))
        steps_differ = None not in (shapes[1][1], shapes[2][1]) and shapes[1][1] != shapes[2][1]
        if any(len(s) != 3 for s in shapes) or steps_differ:
            raise ValueError(f"GroupedQueryAttention '{self.name}' needs a query (batch, T, dim) "
                             "and a value and key (batch, S, dim) with the same S; received "
                             f"query shape {shapes[0]}, value shape {shapes[1]}, key shape "
                             f"{shapes[2]}.")
        if self.built:
            for name, got, built in zip(("query", "value", "key"), shapes, self._built_shapes):
                if got[-1] != built[-1]:
                    raise ValueError(f"GroupedQueryAttention '{self.name}' was built for a {name} "
                                     f"of shape {built}; received {name} shape {got} (the last "
                                     "dimension must match).")

    _check_call_shapes = _check_ranks_and_steps

    def _project(self, query, key, value):
        # (batch, S, kv_heads, head_dim) -> (batch, S, query_heads, head_dim)
        return (self._query_dense(query),
                ops.repeat(self._key_dense(key), self.num_repeats, axis=2),
                ops.repeat(self._value_dense(value), self.num_repeats, axis=2))

    def _output_projection(self):
        return self._output_dense

    def _attention_kwargs(self):
        return {"scale": self._inverse_sqrt_head_dim, "equations": self._equations}

    def compute_output_shape(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        if query_shape[-1] != value_shape[-1]:
            raise ValueError(f"GroupedQueryAttention '{self.name}': the last dimension of the "
                             f"query and the value must be equal. Received query shape "
                             f"{tuple(query_shape)}, value shape {tuple(value_shape)}.")
        if tuple(value_shape)[1:-1] != tuple(key_shape)[1:-1]:
            raise ValueError(f"GroupedQueryAttention '{self.name}': all dimensions of `value` and "
                             "`key`, except the last one, must be equal. Received: value_shape="
                             f"{tuple(value_shape)} and key_shape={tuple(key_shape)}")
        return tuple(query_shape)

    def compute_output_spec(self, query, value, key=None, query_mask=None, value_mask=None,
                            key_mask=None, attention_mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        kv_len = (value if key is None else key).shape[1]
        scores = (query.shape[0], self.num_query_heads, query.shape[1], kv_len)
        return self._output_spec(query, value, key, return_attention_scores, scores)

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            **self._common_config(),
        })
        return config
