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

from keraslite import constraints, initializers, ops, regularizers
from keraslite.backend import KerasTensor
from keraslite.backend.masking import get_keras_mask
from keraslite.layers.attention import attention_utils
from keraslite.layers.attention.multi_head_attention import check_positive_int
from keraslite.layers.core.einsum_dense import EinsumDense
from keraslite.layers.layer import Layer
from keraslite.layers.regularization.dropout import Dropout
from keraslite.saving import serialize_keras_object


class GroupedQueryAttention(Layer):
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
        check_positive_int(self, sliding_window, "sliding_window", allow_none=True)
        if num_query_heads % num_key_value_heads:
            raise ValueError(f"GroupedQueryAttention '{self.name}': `num_query_heads` must be "
                             f"divisible by `num_key_value_heads`. Received num_query_heads="
                             f"{num_query_heads}, num_key_value_heads={num_key_value_heads}.")
        self.supports_masking = True
        self.head_dim = head_dim
        self.num_query_heads = num_query_heads
        self.num_key_value_heads = num_key_value_heads
        self.num_repeats = num_query_heads // num_key_value_heads
        self.dropout = dropout
        self.use_bias = use_bias
        self.use_gate = use_gate
        self.sliding_window = sliding_window
        self._flash_attention = flash_attention or None
        if self._flash_attention and dropout > 0.0:
            raise ValueError(f"GroupedQueryAttention '{self.name}': dropout is not supported with "
                             "flash attention; set dropout=0.0 to use flash attention.")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_head_dim = 1.0 / math.sqrt(float(head_dim))

    def _projection(self, name, equation, output_shape, bias_axes, input_shape,
                    activation=None):
        layer = EinsumDense(equation, output_shape=output_shape,
                            bias_axes=bias_axes if self.use_bias else None, activation=activation,
                            name=name, kernel_initializer=self.kernel_initializer.clone(),
                            bias_initializer=self.bias_initializer.clone(),
                            kernel_regularizer=self.kernel_regularizer,
                            bias_regularizer=self.bias_regularizer,
                            activity_regularizer=self.activity_regularizer,
                            kernel_constraint=self.kernel_constraint,
                            bias_constraint=self.bias_constraint, dtype=self.dtype_policy)
        layer.build(tuple(input_shape))
        return layer

    def build(self, query_shape, value_shape, key_shape=None):
        key_shape = value_shape if key_shape is None else key_shape
        self._check_ranks_and_steps(query_shape, value_shape, key_shape)
        self.feature_dim = query_shape[-1]
        q_heads, kv_heads, dim = self.num_query_heads, self.num_key_value_heads, self.head_dim
        # attribute names and order as Keras, so weights move between the two unchanged
        self._query_dense = self._projection("query", "bqm,muh->bquh", (None, q_heads, dim),
                                             "uh", query_shape)
        self._key_dense = self._projection("key", "bkm,mvh->bkvh", (None, kv_heads, dim), "vh",
                                           key_shape)
        if self.use_gate:
            self._gate_dense = self._projection("gate", "bqm,muh->bquh", (None, q_heads, dim),
                                                "uh", query_shape, activation="sigmoid")
        self._value_dense = self._projection("value", "bkm,mvh->bkvh", (None, kv_heads, dim),
                                             "vh", value_shape)
        self._dropout_layer = Dropout(rate=self.dropout, dtype=self.dtype_policy, seed=self.seed)
        self._equations = attention_utils.attention_equations(4, (1,))
        self._output_dense = self._projection("attention_output", "bquh,uhm->bqm",
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

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        # the masks the inputs carry (e.g. Embedding(mask_zero=True) outputs) fill the *_mask
        # arguments left None
        if query_mask is None:
            query_mask = get_keras_mask(query)
        if value_mask is None:
            value_mask = get_keras_mask(value)
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = get_keras_mask(key)
        self._check_ranks_and_steps(query.shape, value.shape, key.shape)

        causal_only = (use_causal_mask and self.sliding_window is None
                       and all(m is None for m in (query_mask, value_mask, key_mask,
                                                   attention_mask))
                       and type(self)._compute_attention is GroupedQueryAttention._compute_attention)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
                attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self.use_gate else None
        query = self._query_dense(query)
        # (batch, S, kv_heads, head_dim) -> (batch, S, query_heads, head_dim)
        key = ops.repeat(self._key_dense(key), self.num_repeats, axis=2)
        value = ops.repeat(self._value_dense(value), self.num_repeats, axis=2)
        output, scores = self._compute_attention(
            query, key, value, attention_mask=attention_mask, training=training,
            return_attention_scores=return_attention_scores, use_causal_mask=causal_only)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_dense(output)
        return (output, scores) if return_attention_scores else output

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        return attention_utils.merge_attention_masks(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
            self.sliding_window)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        if self._flash_attention and return_attention_scores:
            raise ValueError(f"GroupedQueryAttention '{self.name}': attention scores cannot be "
                             "returned with flash attention; disable flash attention to get "
                             "them.")
        return attention_utils.multi_head_attention(
            query, key, value, attention_mask, scale=self._inverse_sqrt_head_dim,
            equations=self._equations, dropout_layer=self._dropout_layer, training=training,
            return_attention_scores=return_attention_scores, use_causal_mask=use_causal_mask,
            flash_attention=self._flash_attention)

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
        key_shape = None if key is None else key.shape
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, key_shape),
                             self.compute_dtype)
        if not return_attention_scores:
            return output
        kv_len = (value if key is None else key).shape[1]
        scores = (query.shape[0], self.num_query_heads, query.shape[1], kv_len)
        return output, KerasTensor(scores, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "head_dim": self.head_dim,
            "num_query_heads": self.num_query_heads,
            "num_key_value_heads": self.num_key_value_heads,
            "use_bias": self.use_bias,
            "use_gate": self.use_gate,
            "sliding_window": self.sliding_window,
            "dropout": self.dropout,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "seed": self.seed,
        })
        return config
