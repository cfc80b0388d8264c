"""Dense: y = activation(x @ kernel + bias) over the last axis."""

from keraslite import activations, backend, constraints, initializers, regularizers
from keraslite.layers.core.lora import LoRAKernel
from keraslite.layers.layer import Layer, in_dtype
from keraslite.saving import serialize_keras_object


class Dense(LoRAKernel, Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        if quantization_config is not None:
            raise ValueError(f"Dense '{self.name}': quantization is not supported in keraslite "
                             f"yet; received quantization_config={quantization_config!r}.")
        if not isinstance(units, int) or units <= 0:
            raise ValueError(f"Dense '{self.name}': `units` must be a positive int, received "
                             f"{units!r}.")
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.supports_masking = True

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(f"Dense '{self.name}' needs inputs of rank >= 2 with a known last "
                             f"dimension; received input shape {tuple(input_shape)}.")
        self.input_dim = int(input_shape[-1])
        self._kernel = self.add_weight(name="kernel", shape=(self.input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True
        self._maybe_enable_lora()

    def call(self, inputs, training=None):
        if inputs.shape[-1] != self.input_dim:
            raise ValueError(f"Dense '{self.name}' expects inputs with last dimension "
                             f"{self.input_dim}, received shape {tuple(inputs.shape)}.")
        dtype = self.compute_dtype
        bias = None if self.bias is None else in_dtype(self.bias, dtype)
        x = backend.nn.dense(inputs, in_dtype(self.kernel, dtype), bias)
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)[:-1] + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": serialize_keras_object(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "quantization_config": None,
        })
        config.update(self._lora_config())
        return config
