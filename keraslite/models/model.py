"""Model: a Layer with training (compile/fit/evaluate/predict), summary and layer lookup.

`Model(inputs, outputs)` builds a Functional model; subclassing Model and writing `call()`
gives a subclassed model. Sequential and Functional are both Models.
"""

from keraslite.layers.layer import Layer
from keraslite.trainers.trainer import Trainer


def _wants_functional(args, kwargs):
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) >= 2:
        return True
    return len(args) == 1 and "outputs" in kwargs


class Model(Trainer, Layer):
    def __new__(cls, *args, **kwargs):
        if cls is Model and _wants_functional(args, kwargs):
            from keraslite.models.functional import Functional

            return object.__new__(Functional)
        return object.__new__(cls)

    def __init__(self, *args, **kwargs):
        if type(self) is Model and (args or "inputs" in kwargs):
            raise TypeError("Model(inputs, outputs) needs both inputs and outputs.")
        Trainer.__init__(self)
        Layer.__init__(self, *args, **kwargs)

    @property
    def layers(self):
        return self._layers

    def get_layer(self, name=None, index=None):
        if index is not None and name is not None:
            raise ValueError("get_layer: give `name` or `index`, not both.")
        if index is not None:
            if index >= len(self.layers):
                raise ValueError(f"get_layer: index {index} is out of range: model "
                                 f"'{self.name}' has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: '{name}'. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        from keraslite.utils.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable,
                      layer_range=layer_range)

    def save_weights(self, filepath, overwrite=True):
        """Save all weights (and the optimizer's state) to a Keras 3 `.weights.h5` file."""
        from keraslite.saving import saving_lib

        saving_lib.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False):
        """Load a `.weights.h5` file written by `save_weights` here or in Keras 3."""
        from keraslite.saving import legacy_h5, saving_lib

        path = str(filepath)
        if path.endswith((".h5", ".hdf5")) and not path.endswith(saving_lib.SUFFIX):
            return legacy_h5.load_weights(self, path)  # Keras 2 / tf.keras weights
        saving_lib.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Save the model (architecture, weights, compile and optimizer state) to `.keras`."""
        from keraslite.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def to_json(self, **kwargs):
        """The model's serialized config as a JSON string (json.dumps kwargs pass through)."""
        import json

        from keraslite.saving import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.models.functional import Functional

        if "input_layers" in config and "output_layers" in config and (
                cls is Model or issubclass(cls, Functional)):
            # a functional graph (Keras writes it for Model(inputs, outputs) too)
            return Functional.from_config.__func__(
                Functional if cls is Model else cls, config, custom_objects)
        return cls(**config)


def model_from_json(json_string, custom_objects=None):
    """A new (untrained) model from Model.to_json()'s output."""
    import json

    from keraslite.saving import saving_lib
    from keraslite.saving.object_registration import CustomObjectScope
    from keraslite.saving.serialization_lib import deserialize_keras_object

    with CustomObjectScope(custom_objects or {}):
        return deserialize_keras_object(json.loads(json_string),
                                        module_objects=saving_lib._model_classes(),
                                        custom_objects=custom_objects, kind="model")
