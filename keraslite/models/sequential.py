"""Sequential: a plain stack of layers, built as a functional graph once its input is known."""

from keraslite.backend import KerasTensor
from keraslite.layers.input_layer import InputLayer
from keraslite.layers.layer import Layer
from keraslite.models.functional import Functional
from keraslite.models.model import Model
from keraslite.utils import tree


class Sequential(Model):
    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        self._keras_functional = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor):  # Sequential([Input((3,)), ...])
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise TypeError(f"Sequential.add expects a Layer instance, received {layer!r}.")
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError("Sequential: an InputLayer can only be the first layer.")
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(f"All layers added to a Sequential model should have unique names. "
                             f"Name '{layer.name}' is already the name of a layer in this model.")
        if not self._stack and layer._batch_input_shape is not None and not isinstance(
                layer, InputLayer):
            self._stack.append(InputLayer(batch_shape=layer._batch_input_shape))
        self._stack.append(layer)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild=True):
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        if rebuild:
            self._rebuild()
        return layer

    def _rebuild(self):
        self._keras_functional = None
        self.built = False
        if len(self._stack) < 2 or not isinstance(self._stack[0], InputLayer):
            return
        x = inputs = self._stack[0]._input_tensor
        for layer in self._stack[1:]:
            x = layer(x)
        self._keras_functional = Functional(inputs=inputs, outputs=x, name=self.name + "_graph")
        self.built = True

    @property
    def layers(self):
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def _direct_children(self):
        return list(self._stack)

    def build(self, input_shape=None):
        if self._keras_functional is not None:
            self.built = True
            return
        if input_shape is None or not tree.is_shape(input_shape):
            raise ValueError(f"Sequential model '{self.name}' cannot be built from input shape "
                             f"{input_shape!r}: it needs a single input.")
        if not self._stack:
            raise ValueError(f"Sequential model '{self.name}' has no layers.")
        self._stack.insert(0, InputLayer(batch_shape=(None,) + tuple(input_shape)[1:]))
        self._rebuild()

    def call(self, inputs, training=None, mask=None):
        if self._keras_functional is not None:
            return self._keras_functional.call(inputs, training=training, mask=mask)
        x = inputs
        for layer in self.layers:
            x = layer(x, training=training) if layer._call_has_training else layer(x)
        return x

    @property
    def inputs(self):
        return self._keras_functional.inputs if self._keras_functional else None

    @property
    def outputs(self):
        return self._keras_functional.outputs if self._keras_functional else None

    @property
    def input_shape(self):
        if self._keras_functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input shape.")
        return self._keras_functional.input_shape

    @property
    def output_shape(self):
        if self._keras_functional is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output shape.")
        return self._keras_functional.output_shape

    @property
    def output_names(self):
        return [self.layers[-1].name] if self.layers else []

    def compute_output_spec(self, inputs, training=None, mask=None):
        if self._keras_functional is not None:
            return self._keras_functional.compute_output_spec(inputs, training=training)
        return super().compute_output_spec(inputs, training=training)

    def get_config(self):
        from keraslite.saving import serialize_keras_object

        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": serialize_keras_object(self.dtype_policy),
                  "layers": [serialize_keras_object(layer) for layer in self._stack]}
        if self._keras_functional is not None:
            config["build_input_shape"] = list(self._stack[0]._batch_shape)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.layers import deserialize

        layers = [deserialize(c, custom_objects=custom_objects) for c in config.get("layers", [])]
        model = cls(layers=layers, name=config.get("name"), trainable=config.get("trainable", True))
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model
