"""MultiHeadAttention: scaled dot-product attention over `num_heads` learned projections.

query (B, T, dim) and key/value (B, S, dim) are projected by EinsumDense sublayers to
(B, T, heads, key_dim), (B, S, heads, key_dim) and (B, S, heads, value_dim); each head attends
softmax(q k / sqrt(key_dim)) over the keys; `attention_output` projects the heads back to the
query's last dimension (or `output_shape`). Inputs may have more axes, (B, ..., dim): attention
then runs over `attention_axes` (by default every axis but the batch and the features).
"""

import math

from keraslite import constraints, initializers, ops, regularizers
from keraslite.backend import KerasTensor
from keraslite.backend.masking import get_keras_mask
from keraslite.layers.attention import attention_utils
from keraslite.layers.core.einsum_dense import EinsumDense
from keraslite.layers.layer import Layer
from keraslite.layers.regularization.dropout import Dropout
from keraslite.saving import serialize_keras_object


def projection_equation(free_dims, bound_dims, output_dims):
    """(equation, bias axes) of a projection: `free_dims` axes kept, `bound_dims` contracted
    with the kernel, `output_dims` made by it; e.g. (2, 1, 2) -> "abc,cde->abde", "de"."""
    letters = iter("abcdefghijklmnopqrstuvwxyz")
    free = "".join(next(letters) for _ in range(free_dims))
    bound = "".join(next(letters) for _ in range(bound_dims))
    made = "".join(next(letters) for _ in range(output_dims))
    return f"{free}{bound},{bound}{made}->{free}{made}", made


def check_positive_int(layer, value, name, allow_none=False):
    if allow_none and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': `{name}` must be a positive "
                         f"int{' or None' if allow_none else ''}. Received {name}={value!r}.")


class MultiHeadAttention(Layer):
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
        check_positive_int(self, sliding_window, "sliding_window", allow_none=True)
        self.supports_masking = True
        self._num_heads = num_heads
        self._key_dim = key_dim
        self._value_dim = value_dim if value_dim else key_dim
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
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
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention or None
        if self._flash_attention and dropout > 0.0:
            raise ValueError(f"MultiHeadAttention '{self.name}': dropout is not supported with "
                             "flash attention; set dropout=0.0 to use flash attention.")
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed
        self._inverse_sqrt_key_dim = 1.0 / math.sqrt(float(key_dim))

    num_heads = property(lambda self: self._num_heads)
    key_dim = property(lambda self: self._key_dim)
    value_dim = property(lambda self: self._value_dim)
    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    attention_axes = property(lambda self: self._attention_axes)

    # ------------------------------------------------------------------------------ build

    def _sublayer_kwargs(self):
        # each projection gets its own copy of the initializers, so unseeded ones draw anew
        return {"kernel_initializer": self._kernel_initializer.clone(),
                "bias_initializer": self._bias_initializer.clone(),
                "kernel_regularizer": self._kernel_regularizer,
                "bias_regularizer": self._bias_regularizer,
                "activity_regularizer": self._activity_regularizer,
                "kernel_constraint": self._kernel_constraint,
                "bias_constraint": self._bias_constraint,
                "dtype": self.dtype_policy}

    def _projection(self, name, input_shape, bound_dims, made_shape, activation=None):
        """EinsumDense from `input_shape` (last `bound_dims` axes contracted) to `made_shape`,
        built."""
        free_dims = len(input_shape) - bound_dims
        equation, bias_axes = projection_equation(free_dims, bound_dims, len(made_shape))
        layer = EinsumDense(equation, output_shape=(None,) * (free_dims - 1) + tuple(made_shape),
                            bias_axes=bias_axes if self._use_bias else None,
                            activation=activation, name=name, **self._sublayer_kwargs())
        layer.build(tuple(input_shape))
        return layer

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

    def _check_inputs(self, query_shape, value_shape, key_shape):
        self._check_value_and_key(value_shape, key_shape)
        for name, got, built in zip(("query", "value", "key"),
                                    (query_shape, value_shape, key_shape), self._built_shapes):
            if len(got) != len(built) or got[-1] != built[-1]:
                raise ValueError(f"MultiHeadAttention '{self.name}' was built for a {name} of "
                                 f"shape {built}; received {name} shape {tuple(got)} (the rank "
                                 "and last dimension must match).")

    # ------------------------------------------------------------------------------ call

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        # The masks the inputs carry (e.g. Embedding(mask_zero=True) outputs) fill the *_mask
        # arguments left None. As in Keras, the query mask is always the query's own.
        query_mask = get_keras_mask(query)
        if value_mask is None:
            value_mask = get_keras_mask(value)
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = get_keras_mask(key)
        self._check_inputs(tuple(query.shape), tuple(value.shape), tuple(key.shape))

        # a causal mask alone goes to the backend as is_causal instead of a (T, S) tensor
        causal_only = (use_causal_mask and self._sliding_window is None
                       and all(m is None for m in (query_mask, value_mask, key_mask,
                                                   attention_mask))
                       and type(self)._compute_attention is MultiHeadAttention._compute_attention)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
                attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        query = self.query_dense(query)
        key = self.key_dense(key)
        value = self.value_dense(value)
        extra = {"use_causal_mask": True} if causal_only else {}
        output, scores = self._compute_attention(query, key, value, attention_mask, training,
                                                 return_attention_scores, **extra)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self.output_dense(output)
        return (output, scores) if return_attention_scores else output

    def _compute_attention_mask(self, query, value, query_mask=None, value_mask=None,
                                key_mask=None, attention_mask=None, use_causal_mask=False):
        """The (B, T, S) bool mask merging the input masks, `attention_mask`, the causal mask
        and the sliding window (None when there is none)."""
        return attention_utils.merge_attention_masks(
            query, value, query_mask, value_mask, key_mask, attention_mask, use_causal_mask,
            self._sliding_window)

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        """(output (B, T, heads, value_dim), scores (B, heads, T, S) or None) of the projected
        heads. Subclasses may override it for another attention."""
        if self._flash_attention and return_attention_scores:
            raise ValueError(f"MultiHeadAttention '{self.name}': attention scores cannot be "
                             "returned with flash attention; disable flash attention to get "
                             "them.")
        return attention_utils.multi_head_attention(
            query, key, value, attention_mask, scale=self._inverse_sqrt_key_dim,
            equations=(self._dot_product_equation, self._combine_equation),
            num_attention_axes=len(self._attention_axes), dropout_layer=self._dropout_layer,
            training=training, return_attention_scores=return_attention_scores,
            use_causal_mask=use_causal_mask, flash_attention=self._flash_attention)

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
        key_shape = None if key is None else key.shape
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, key_shape),
                             self.compute_dtype)
        if not return_attention_scores:
            return output
        # the scores: batch-like axes (heads included), then query and key attention axes
        rank = len(query.shape) + 1
        axes = self._normalized_axes(rank)
        q = tuple(query.shape)[:-1] + (self._num_heads,)
        k = tuple(value.shape if key is None else key.shape)[:-1] + (self._num_heads,)
        shape = (tuple(q[i] for i in range(rank - 1) if i not in axes)
                 + tuple(q[i] for i in axes) + tuple(k[i] for i in axes))
        return output, KerasTensor(shape, self.compute_dtype)

    # ------------------------------------------------------------------------------ config

    def get_config(self):
        config = super().get_config()
        config.update({
            "num_heads": self._num_heads,
            "key_dim": self._key_dim,
            "value_dim": self._value_dim,
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "output_shape": self._output_shape,
            "attention_axes": self._attention_axes,
            "sliding_window": self._sliding_window,
            "kernel_initializer": serialize_keras_object(self._kernel_initializer),
            "bias_initializer": serialize_keras_object(self._bias_initializer),
            "kernel_regularizer": serialize_keras_object(self._kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self._bias_regularizer),
            "activity_regularizer": serialize_keras_object(self._activity_regularizer),
            "kernel_constraint": serialize_keras_object(self._kernel_constraint),
            "bias_constraint": serialize_keras_object(self._bias_constraint),
            "seed": self.seed,
        })
        return config
