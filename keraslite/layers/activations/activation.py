"""Activation: applies an activation function (by name or callable)."""

from keraslite import activations
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        self.supports_masking = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["activation"] = serialize_keras_object(self.activation)
        return config
