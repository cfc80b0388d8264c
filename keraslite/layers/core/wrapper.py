"""Wrapper: the base of layers that hold one inner layer (`self.layer`) and change what it does
(TimeDistributed, SpectralNormalization...). It builds the inner layer with its own input shape
and nests the inner layer's serialized config under "layer"; subclasses write `call`."""

from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class Wrapper(Layer):
    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"{type(self).__name__} needs a keraslite Layer instance to wrap. "
                             f"Received: layer={layer!r} (of type {type(layer).__name__})")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["layer"] = serialize_keras_object(self.layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite import layers

        config = dict(config)
        layer = layers.deserialize(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
