"""Lambda: a layer that calls a Python function (plus fixed keyword `arguments`).

Its config stores a named function by name (registered functions as '<package>><name>'), as
Keras does, and a Python lambda as marshalled bytecode. Loading bytecode runs code taken from
the config, so `from_config` refuses it unless safe mode is off (`safe_mode=False`, a
`SafeModeScope(False)` or `keraslite.config.enable_unsafe_deserialization()`).
"""

import base64
import inspect
import marshal
import types

from keraslite import backend, ops
from keraslite.backend import KerasTensor, dispatch
from keraslite.layers.layer import Layer
from keraslite.saving import serialization_lib
from keraslite.saving.object_registration import get_registered_name, get_registered_object
from keraslite.utils import tree


def _is_lambda(fn):
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


def _function_config(fn):
    """A function in Keras' config format."""
    if _is_lambda(fn):
        closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
        code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
        return {"class_name": "__lambda__",
                "config": {"code": code, "defaults": fn.__defaults__, "closure": closure}}
    if inspect.isfunction(fn) or inspect.isbuiltin(fn):
        return {"module": "builtins", "class_name": "function",
                "config": get_registered_name(fn), "registered_name": "function"}
    return serialization_lib.serialize_keras_object(fn)  # a callable object with a config


def _public_functions():
    """The names a function config may use: keraslite.ops and keraslite.activations (whose
    functions win a shared name, as Keras resolves 'relu' to the activation)."""
    from keraslite import activations

    names = {k: v for k, v in vars(ops).items() if callable(v) and not k.startswith("_")}
    names.update(activations.ALL_OBJECTS_DICT)
    return names


def _load_function(config, custom_objects, safe_mode, layer_name):
    """The function of a config written by _function_config."""
    if isinstance(config, dict) and config.get("class_name") == "function":
        fn = get_registered_object(config["config"], custom_objects, _public_functions())
        if fn is None:
            raise TypeError(  # Keras' type for a function it cannot locate
                f"Lambda '{layer_name}': unknown function {config['config']!r}. Register it "
                "with @keraslite.saving.register_keras_serializable() or pass it in "
                "custom_objects.")
        return fn
    if not (isinstance(config, dict) and config.get("class_name") == "__lambda__"):
        return serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects,
                                                          kind="function")
    if safe_mode:
        raise ValueError(
            f"Lambda '{layer_name}': its config holds a Python lambda as bytecode, and loading "
            "it would run code from the config, which safe mode forbids. If you trust the "
            "source, pass `safe_mode=False` to the loading function or call "
            "`keraslite.config.enable_unsafe_deserialization()`.")
    inner = config["config"]
    code = marshal.loads(base64.b64decode(inner["code"]))
    defaults = None if inner.get("defaults") is None else tuple(inner["defaults"])
    closure = inner.get("closure")
    if closure is not None:
        closure = tuple(types.CellType(v) for v in closure)
    # the module's globals, so a lambda written with `ops.` (or `backend.`) runs
    return types.FunctionType(code, globals(), code.co_name, defaults, closure)


def _tensor_config(value):
    return {"class_name": "__tensor__",
            "config": {"value": ops.convert_to_numpy(value).tolist(),
                       "dtype": backend.standardize_dtype(value.dtype)}}


class Lambda(Layer):
    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise TypeError(f"Lambda: `function` must be callable. Received: function="
                            f"{function!r} (of type {type(function).__name__})")
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        params = inspect.getfullargspec(function).args
        self._fn_expects_mask = "mask" in params
        self._fn_expects_training = "training" in params
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_expects_mask:
            kwargs["mask"] = mask
        if self._fn_expects_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, mask=None):
        if callable(self.mask):
            return self.mask(inputs, mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            inputs = tree.map_shape_structure(lambda s: KerasTensor(s, self.compute_dtype),
                                              input_shape)
            try:
                spec = dispatch.symbolic_call(backend.compute_output_spec, self._traced_call,
                                              [inputs], {})
            except Exception as e:  # noqa: BLE001  (any failure of the user's function)
                raise NotImplementedError(
                    f"Lambda '{self.name}' could not infer its output shape from input shape "
                    f"{input_shape} ({type(e).__name__}: {e}); pass `output_shape`.") from e
            return tree.map_structure(lambda t: tuple(t.shape), spec)
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        batch = tree.flatten(input_shape)[0]  # output_shape leaves out the batch dimension
        return tree.map_shape_structure(lambda s: (batch,) + tuple(s), self._output_shape)

    def get_config(self):
        config = super().get_config()
        config["function"] = _function_config(self.function)
        if self._output_shape is not None:
            config["output_shape"] = (_function_config(self._output_shape)
                                      if callable(self._output_shape) else self._output_shape)
        if self.mask is not None:
            config["mask"] = (_function_config(self.mask) if callable(self.mask)
                              else _tensor_config(self.mask))
        config["arguments"] = serialization_lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        safe = (serialization_lib.in_safe_mode() if safe_mode is None else safe_mode) is not False
        config = dict(config)
        name = config.get("name")
        config["function"] = _load_function(config["function"], custom_objects, safe, name)
        output_shape = config.get("output_shape")
        if isinstance(output_shape, dict):
            config["output_shape"] = _load_function(output_shape, custom_objects, safe, name)
        elif isinstance(output_shape, list) and tree.is_shape(output_shape):
            config["output_shape"] = tuple(output_shape)
        mask = config.get("mask")
        if isinstance(mask, dict) and mask.get("class_name") == "__tensor__":
            config["mask"] = ops.convert_to_tensor(mask["config"]["value"],
                                                   dtype=mask["config"]["dtype"])
        elif isinstance(mask, dict):
            config["mask"] = _load_function(mask, custom_objects, safe, name)
        return cls(**config)
