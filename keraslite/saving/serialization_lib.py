"""Objects to and from Keras 3's config dicts, without running code named by the config.

A serialized object is ``{"module", "class_name", "config", "registered_name"}`` as Keras 3
writes it; built-in functions (activations, losses) serialize to their name. Deserialization
resolves class names only through custom objects, the registry and the public namespace of the
kind being loaded (``module_objects``): never by importing a module the config names.
"""

import inspect
import threading

from keraslite.saving import object_registration

_KERAS_MODULE = "keras"
_SAFE_MODE = threading.local()  # .value: None (unset: safe), True or False


class SafeModeScope:
    """Within the scope, deserialization refuses (safe_mode=True) or allows (False) configs that
    would run code stored in them, such as a Lambda layer's bytecode."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = getattr(_SAFE_MODE, "value", None)
        _SAFE_MODE.value = self.safe_mode
        return self

    def __exit__(self, *exc):
        _SAFE_MODE.value = self._previous


def enable_unsafe_deserialization():
    """Allow, from now on, deserializing configs that hold Python bytecode (lambdas)."""
    _SAFE_MODE.value = False


def in_safe_mode():
    """False only inside SafeModeScope(False) or after enable_unsafe_deserialization()."""
    return getattr(_SAFE_MODE, "value", None) is not False


def _public_module(obj):
    """'keras.<package>' for keraslite's own objects (so Keras 3 reads them), else __module__."""
    cls = obj if inspect.isclass(obj) else type(obj)
    if "_keras_module" in vars(cls):  # a class Keras 3 registers under a private module
        return cls._keras_module
    module = cls.__module__ or ""
    if module.startswith("keraslite_backends.") and module.endswith(".layers"):
        return f"{_KERAS_MODULE}.layers"  # a backend's bridge layers are keras.layers' there
    if module.startswith("keraslite."):
        return f"{_KERAS_MODULE}.{module.split('.')[1]}"
    return module


def serialize_keras_object(obj):
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(obj)
        if registered is None and (obj.__module__ or "").startswith("keraslite."):
            return obj.__name__
        return {"module": obj.__module__, "class_name": "function",
                "config": obj.__name__, "registered_name": registered or obj.__name__}
    if hasattr(obj, "get_config"):
        cls = type(obj)
        registered = object_registration._GLOBAL_CUSTOM_NAMES.get(cls)
        return {"module": _public_module(obj), "class_name": cls.__name__,
                "config": obj.get_config(), "registered_name": registered}
    raise TypeError(f"Cannot serialize {obj!r}: it has no get_config() method.")


def serialize_nested_object(obj):
    """serialize_keras_object for what Keras 3 serializes generically (a wrapper's `fn`,
    compile()'s arguments): there keraslite's own functions become Keras's function config,
    not a bare name, since Keras looks a bare name up only where it expects one (activations,
    compile's string identifiers) and elsewhere keeps the string, which then fails when called.
    """
    if isinstance(obj, (list, tuple)):
        return [serialize_nested_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_nested_object(v) for k, v in obj.items()}
    config = serialize_keras_object(obj)
    if isinstance(config, str) and (inspect.isfunction(obj) or inspect.isbuiltin(obj)):
        # "builtins" makes Keras search its own function namespaces for the name
        return {"module": "builtins", "class_name": "function", "config": config,
                "registered_name": "function"}
    return config


def deserialize_keras_object(config, module_objects=None, custom_objects=None, kind="object",
                             safe_mode=True, **kwargs):
    """Rebuild an object from a name or a config dict.

    ``module_objects`` maps the names this kind accepts (aliases included) to classes or
    functions; unknown names raise ValueError listing them. ``safe_mode=False`` lets the
    object's from_config run code stored in the config (a Lambda's bytecode); an enclosing
    SafeModeScope or enable_unsafe_deserialization() takes precedence, as in Keras.
    """
    if config is None:
        return None
    if isinstance(config, str):
        obj = object_registration.get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(_unknown(kind, config, module_objects))
        return obj
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret {kind} config: {config!r}")
    class_name = config["class_name"]
    inner = config.get("config")
    if class_name == "function":
        name = config.get("registered_name") or inner
        obj = object_registration.get_registered_object(name, custom_objects, module_objects)
        if obj is None and inner != name:
            obj = object_registration.get_registered_object(inner, custom_objects, module_objects)
        if obj is None:
            raise ValueError(_unknown(kind, inner, module_objects))
        return obj
    registered = config.get("registered_name") or class_name
    cls = object_registration.get_registered_object(registered, custom_objects, module_objects)
    if cls is None and registered != class_name:
        cls = object_registration.get_registered_object(class_name, custom_objects, module_objects)
    if cls is None:
        raise ValueError(_unknown(kind, class_name, module_objects))
    if not hasattr(cls, "from_config"):
        raise TypeError(f"{kind} '{class_name}' cannot be built from a config.")
    scoped = getattr(_SAFE_MODE, "value", None)
    # nested from_config calls (a model's layers, a Lambda's function) see custom_objects too
    with SafeModeScope(safe_mode if scoped is None else scoped), \
            object_registration.CustomObjectScope(custom_objects):
        return cls.from_config(inner or {})


def _unknown(kind, name, module_objects):
    choices = sorted(k for k in (module_objects or {}) if not k.startswith("_"))
    hint = f" Valid choices: {', '.join(choices)}." if choices else ""
    return (f"Unknown {kind}: '{name}'.{hint} Custom objects must be registered with "
            f"@keraslite.saving.register_keras_serializable() or passed in custom_objects.")
