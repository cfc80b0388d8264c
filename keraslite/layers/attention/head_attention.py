"""What MultiHeadAttention and GroupedQueryAttention share: their common arguments, the
EinsumDense projections' settings, and the call pipeline (input masks, the merged attention
mask, the optional gate, dot-product attention over the projected heads, the output
projection). A subclass builds its projections and says how the heads are projected
(`_project`), how the inputs are checked (`_check_call_shapes`) and the attention's scale and
equations (`_attention_kwargs`)."""

from keraslite import constraints, initializers, ops, regularizers
from keraslite.backend import KerasTensor
from keraslite.backend.masking import get_keras_mask
from keraslite.layers.attention import attention_utils
from keraslite.layers.core.einsum_dense import EinsumDense
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


def check_positive_int(layer, value, name, allow_none=False):
    if allow_none and value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{type(layer).__name__} '{layer.name}': `{name}` must be a positive "
                         f"int{' or None' if allow_none else ''}. Received {name}={value!r}.")


class HeadAttention(Layer):
    # Keras' MultiHeadAttention always takes the query's mask from the query itself;
    # GroupedQueryAttention takes a `query_mask` argument when one is given.
    _query_mask_argument = False

    def _set_common(self, dropout, use_bias, use_gate, sliding_window, flash_attention,
                    kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer,
                    activity_regularizer, kernel_constraint, bias_constraint, seed):
        check_positive_int(self, sliding_window, "sliding_window", allow_none=True)
        self.supports_masking = True
        self._dropout = dropout
        self._use_bias = use_bias
        self._use_gate = use_gate
        self._sliding_window = sliding_window
        self._flash_attention = flash_attention or None
        if self._flash_attention and dropout > 0.0:
            raise ValueError(f"{type(self).__name__} '{self.name}': dropout is not supported "
                             "with flash attention; set dropout=0.0 to use flash attention.")
        self._kernel_initializer = initializers.get(kernel_initializer)
        self._bias_initializer = initializers.get(bias_initializer)
        self._kernel_regularizer = regularizers.get(kernel_regularizer)
        self._bias_regularizer = regularizers.get(bias_regularizer)
        self._activity_regularizer = regularizers.get(activity_regularizer)
        self._kernel_constraint = constraints.get(kernel_constraint)
        self._bias_constraint = constraints.get(bias_constraint)
        self.seed = seed

    dropout = property(lambda self: self._dropout)
    use_bias = property(lambda self: self._use_bias)
    use_gate = property(lambda self: self._use_gate)
    sliding_window = property(lambda self: self._sliding_window)
    kernel_initializer = property(lambda self: self._kernel_initializer)
    bias_initializer = property(lambda self: self._bias_initializer)
    kernel_regularizer = property(lambda self: self._kernel_regularizer)
    bias_regularizer = property(lambda self: self._bias_regularizer)
    kernel_constraint = property(lambda self: self._kernel_constraint)
    bias_constraint = property(lambda self: self._bias_constraint)

    def _einsum_dense(self, name, equation, output_shape, bias_axes, input_shape,
                      activation=None):
        """A built projection; each gets its own copy of the initializers, so unseeded ones
        draw anew."""
        layer = EinsumDense(equation, output_shape=output_shape,
                            bias_axes=bias_axes if self._use_bias else None,
                            activation=activation, name=name,
                            kernel_initializer=self._kernel_initializer.clone(),
                            bias_initializer=self._bias_initializer.clone(),
                            kernel_regularizer=self._kernel_regularizer,
                            bias_regularizer=self._bias_regularizer,
                            activity_regularizer=self._activity_regularizer,
                            kernel_constraint=self._kernel_constraint,
                            bias_constraint=self._bias_constraint, dtype=self.dtype_policy)
        layer.build(tuple(input_shape))
        return layer

    # ------------------------------------------------------------------------------ call

    def call(self, query, value, key=None, query_mask=None, value_mask=None, key_mask=None,
             attention_mask=None, return_attention_scores=False, training=None,
             use_causal_mask=False):
        # the masks the inputs carry (e.g. Embedding(mask_zero=True) outputs) fill the *_mask
        # arguments left None
        if query_mask is None or not self._query_mask_argument:
            query_mask = get_keras_mask(query)
        if value_mask is None:
            value_mask = get_keras_mask(value)
        if key is None:
            key = value
        elif key_mask is None:
            key_mask = get_keras_mask(key)
        self._check_call_shapes(tuple(query.shape), tuple(value.shape), tuple(key.shape))

        # a causal mask alone goes to the backend as is_causal instead of a (T, S) tensor
        causal_only = (use_causal_mask and self._sliding_window is None
                       and all(m is None for m in (query_mask, value_mask, key_mask,
                                                   attention_mask))
                       and type(self)._compute_attention is HeadAttention._compute_attention)
        if not causal_only:
            attention_mask = self._compute_attention_mask(
                query, value, query_mask=query_mask, value_mask=value_mask, key_mask=key_mask,
                attention_mask=attention_mask, use_causal_mask=use_causal_mask)
        gate = self._gate_dense(query) if self._use_gate else None
        query, key, value = self._project(query, key, value)
        extra = {"use_causal_mask": True} if causal_only else {}
        output, scores = self._compute_attention(query, key, value, attention_mask, training,
                                                 return_attention_scores, **extra)
        if gate is not None:
            output = ops.multiply(output, gate)
        output = self._output_projection()(output)
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
            raise ValueError(f"{type(self).__name__} '{self.name}': attention scores cannot be "
                             "returned with flash attention; disable flash attention to get "
                             "them.")
        return attention_utils.multi_head_attention(
            query, key, value, attention_mask, dropout_layer=self._dropout_layer,
            training=training, return_attention_scores=return_attention_scores,
            use_causal_mask=use_causal_mask, flash_attention=self._flash_attention,
            **self._attention_kwargs())

    def _output_spec(self, query, value, key, return_attention_scores, scores_shape):
        key_shape = None if key is None else key.shape
        output = KerasTensor(self.compute_output_shape(query.shape, value.shape, key_shape),
                             self.compute_dtype)
        if not return_attention_scores:
            return output
        return output, KerasTensor(scores_shape, self.compute_dtype)

    # ------------------------------------------------------------------------------ config

    def _common_config(self):
        return {
            "dropout": self._dropout,
            "use_bias": self._use_bias,
            "use_gate": self._use_gate,
            "sliding_window": self._sliding_window,
            "kernel_initializer": serialize_keras_object(self._kernel_initializer),
            "bias_initializer": serialize_keras_object(self._bias_initializer),
            "kernel_regularizer": serialize_keras_object(self._kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self._bias_regularizer),
            "activity_regularizer": serialize_keras_object(self._activity_regularizer),
            "kernel_constraint": serialize_keras_object(self._kernel_constraint),
            "bias_constraint": serialize_keras_object(self._bias_constraint),
            "seed": self.seed,
        }
