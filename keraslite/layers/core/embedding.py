"""Embedding: maps integer ids in [0, input_dim) to rows of an (input_dim, output_dim) table."""

from keraslite import backend, constraints, initializers, ops, regularizers
from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


def _positive_int(value, name):
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Embedding: `{name}` must be a positive int. Received {name}={value!r} "
                         f"(of type {type(value).__name__}).")


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, lora_alpha=None, quantization_config=None,
                 **kwargs):
        _positive_int(input_dim, "input_dim")
        _positive_int(output_dim, "output_dim")
        super().__init__(**kwargs)
        if quantization_config is not None:
            raise ValueError(f"Embedding '{self.name}': quantization is not supported in "
                             f"keraslite yet; received quantization_config={quantization_config!r}.")
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False  # ids are never cast to a float dtype
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.quantization_config = None
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self._embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)
        self.built = True
        if self.lora_rank:
            # Keras 3.15 enables LoRA here without the constructor's lora_alpha (so alpha
            # becomes the rank); kept, so weights trained there give the same outputs here
            self.enable_lora(self.lora_rank)

    @property
    def embeddings(self):
        if not self.built:
            raise AttributeError(f"Embedding '{self.name}' has no embeddings before it is "
                                 "built.")
        if not self.lora_enabled:
            return self._embeddings
        delta = ops.matmul(self.lora_embeddings_a, self.lora_embeddings_b)
        return ops.cast(ops.add(self._embeddings, (self.lora_alpha / self.lora_rank) * delta),
                        self.compute_dtype)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freeze the table and learn a low-rank update lora_embeddings_a @ lora_embeddings_b."""
        if self.embeddings_constraint:
            raise ValueError(f"Embedding '{self.name}': LoRA cannot be combined with an "
                             "embeddings constraint.")
        if not self.built:
            raise ValueError(f"Embedding '{self.name}': build the layer before enabling LoRA.")
        if self.lora_enabled:
            raise ValueError(f"Embedding '{self.name}': LoRA is already enabled.")
        self.lora_embeddings_a = self.add_weight(
            name="lora_embeddings_a", shape=(self.input_dim, rank),
            initializer=initializers.get(a_initializer), dtype="float32",
            regularizer=self.embeddings_regularizer)
        self.lora_embeddings_b = self.add_weight(
            name="lora_embeddings_b", shape=(rank, self.output_dim),
            initializer=initializers.get(b_initializer), dtype="float32",
            regularizer=self.embeddings_regularizer)
        self._embeddings.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank


    def call(self, inputs):
        if backend.standardize_dtype(inputs.dtype) not in ("int32", "int64"):
            inputs = ops.cast(inputs, "int32")
        outputs = ops.take(self.embeddings, inputs, axis=0)
        return ops.cast(outputs, self.compute_dtype)

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return ops.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, **kwargs):
        return KerasTensor(self.compute_output_shape(inputs.shape), self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": serialize_keras_object(self.embeddings_initializer),
            "embeddings_regularizer": serialize_keras_object(self.embeddings_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "embeddings_constraint": serialize_keras_object(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        })
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config
