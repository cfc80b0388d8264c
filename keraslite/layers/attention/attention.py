"""Attention: dot-product (Luong-style) attention of a query over a value sequence.

Called on [query (B, Tq, dim), value (B, Tv, dim)] or [query, value, key (B, Tv, dim)] (the key
defaults to the value): scores (B, Tq, Tv) are query . key ("dot", optionally times a learned
scalar `scale`) or concat_score_weight * sum(tanh(query + key)) ("concat"); their softmax over
Tv weighs the values. A value mask keeps padded steps out of the softmax and a query mask
zeroes the padded output steps.
"""

from keraslite import backend, ops, random
from keraslite.backend import KerasTensor
from keraslite.layers.attention.attention_utils import causal_mask
from keraslite.layers.layer import Layer


class Attention(Layer):
    def __init__(self, use_scale=False, score_mode="dot", dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if score_mode not in ("dot", "concat"):
            raise ValueError(f"{type(self).__name__} '{self.name}': `score_mode` must be one of "
                             f"'dot', 'concat'. Received: score_mode={score_mode!r}")
        self.use_scale = use_scale
        self.score_mode = score_mode
        self.dropout = dropout
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if dropout > 0 else None

    def _validate(self, inputs, mask=None):
        """`inputs` (tensors or shapes) must be a list [query, value] or [query, value, key],
        with the key's last axis the query's and the key's steps the value's."""
        name = f"{type(self).__name__} '{self.name}'"
        if not isinstance(inputs, list):
            shape = getattr(inputs, "shape", inputs)
            raise ValueError(f"{name} must be called on a list [query, value] or [query, value, "
                             f"key]; received a single input of shape {tuple(shape)}.")
        if not 2 <= len(inputs) <= 3:
            raise ValueError(f"{name} must be called on a list of 2 or 3 inputs [query, value] "
                             f"or [query, value, key]; received {len(inputs)} input(s) of shapes "
                             f"{', '.join(str(_shape(x)) for x in inputs)}.")
        if mask is not None and (not isinstance(mask, list) or not 2 <= len(mask) <= 3):
            raise ValueError(f"{name}: `mask` must be a list [query_mask, value_mask]. Received: "
                             f"mask={mask!r}")
        query, value = _shape(inputs[0]), _shape(inputs[1])
        key = _shape(inputs[2]) if len(inputs) > 2 else value
        if _differ(query[-1], key[-1]) or _differ(value[-2], key[-2]):
            raise ValueError(f"{name} needs a query and key of the same last dimension and a key "
                             f"with as many steps as the value; received query shape {query}, "
                             f"value shape {value}, key shape {key}.")

    def build(self, input_shape):
        self._validate(input_shape)
        self.scale = None
        self.concat_score_weight = None
        if self.use_scale:
            self.scale = self.add_weight(name="scale", shape=(), initializer="ones")
        if self.score_mode == "concat":
            self.concat_score_weight = self.add_weight(name="concat_score_weight", shape=(),
                                                       initializer="ones")
        self.built = True

    def _weight(self, variable):
        return ops.cast(variable, self.compute_dtype)

    def _calculate_scores(self, query, key):
        """(B, Tq, Tv) scores of every query step against every key step."""
        if self.score_mode == "dot":
            scores = ops.matmul(query, ops.swapaxes(key, -2, -1))
            return scores if self.scale is None else ops.multiply(scores, self._weight(self.scale))
        pairs = ops.add(ops.expand_dims(query, -2), ops.expand_dims(key, -3))  # (B, Tq, Tv, dim)
        if self.scale is not None:
            pairs = ops.multiply(self._weight(self.scale), pairs)
        return ops.multiply(self._weight(self.concat_score_weight),
                            ops.sum(ops.tanh(pairs), axis=-1))

    def _apply_scores(self, scores, value, scores_mask=None, training=False):
        """(softmax(scores) @ value, softmax(scores)); masked-out scores are lowered by a large
        number first, so they get (almost) no weight."""
        if scores_mask is not None:
            if len(scores_mask.shape) == 2:
                scores_mask = ops.expand_dims(scores_mask, -2)
            lower = 65504.0 if backend.standardize_dtype(scores.dtype) == "float16" else 1.0e9
            scores = ops.where(scores_mask, scores, ops.subtract(scores, lower))
        weights = ops.softmax(scores, axis=-1)
        if training and self.dropout > 0:
            weights = random.dropout(weights, self.dropout, seed=self.seed_generator)
        return ops.matmul(weights, value), weights

    def call(self, inputs, mask=None, training=False, return_attention_scores=False,
             use_causal_mask=False):
        self._validate(inputs, mask)
        query, value = inputs[0], inputs[1]
        key = inputs[2] if len(inputs) > 2 else value
        query_mask = mask[0] if mask else None
        value_mask = mask[1] if mask else None
        scores = self._calculate_scores(query, key)
        scores_mask = value_mask
        if use_causal_mask:
            scores_mask = causal_mask(scores.shape[-2], scores.shape[-1])
            if value_mask is not None:
                scores_mask = ops.logical_and(ops.expand_dims(value_mask, -2), scores_mask)
        output, weights = self._apply_scores(scores, value, scores_mask, training=training)
        if query_mask is not None:
            output = ops.where(ops.expand_dims(query_mask, -1), output, 0.0)
        return (output, weights) if return_attention_scores else output

    def compute_mask(self, inputs, mask=None):
        self._validate(inputs, mask)
        if mask is None or mask[0] is None:
            return None
        return ops.convert_to_tensor(mask[0])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0][:-1]) + (input_shape[1][-1],)

    def compute_output_spec(self, inputs, mask=None, return_attention_scores=False,
                            training=None, use_causal_mask=False):
        self._validate(inputs, mask)
        output = KerasTensor(self.compute_output_shape([x.shape for x in inputs]),
                             self.compute_dtype)
        if not return_attention_scores:
            return output
        key = inputs[2] if len(inputs) > 2 else inputs[1]
        scores_shape = tuple(inputs[0].shape[:-1]) + (key.shape[-2],)
        return output, KerasTensor(scores_shape, self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({"use_scale": self.use_scale, "score_mode": self.score_mode,
                       "dropout": self.dropout, "seed": self.seed})
        return config


def _shape(x):
    """The shape of a tensor, or `x` itself when it is already a shape."""
    return tuple(x.shape) if hasattr(x, "shape") else tuple(x)


def _differ(a, b):
    return a is not None and b is not None and a != b
