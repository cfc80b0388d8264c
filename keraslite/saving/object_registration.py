"""Custom object registration: the names under which user classes and functions are saved.

Keras' names are kept (register_keras_serializable, CustomObjectScope, get_registered_name,
get_registered_object) so ported code keeps working. Deserialization looks names up only here
and in keraslite's own public namespaces: it never imports a module named by a file.
"""

import threading

_GLOBAL_CUSTOM_OBJECTS = {}
_GLOBAL_CUSTOM_NAMES = {}
_scope = threading.local()


def register_keras_serializable(package="Custom", name=None):
    """Class or function decorator: register `obj` as '<package>><name>'."""

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(f"Cannot register {obj.__name__}: a class needs a get_config method.")
        if registered in _GLOBAL_CUSTOM_OBJECTS and _GLOBAL_CUSTOM_OBJECTS[registered] is not obj:
            raise ValueError(f"'{registered}' is already registered to "
                             f"{_GLOBAL_CUSTOM_OBJECTS[registered]!r}.")
        _GLOBAL_CUSTOM_OBJECTS[registered] = obj
        _GLOBAL_CUSTOM_NAMES[obj] = registered
        return obj

    return decorator


def get_registered_name(obj):
    """'<package>><name>' for a registered object, else its plain name."""
    if obj in _GLOBAL_CUSTOM_NAMES:
        return _GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", type(obj).__name__)


def _scoped_objects():
    merged = {}
    for objects in getattr(_scope, "stack", []):
        merged.update(objects)
    return merged


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object saved under `name`, from custom_objects, the active CustomObjectScopes, the
    global registry, then module_objects; None when unknown."""
    for table in (custom_objects or {}, _scoped_objects(), _GLOBAL_CUSTOM_OBJECTS,
                  module_objects or {}):
        if name in table:
            return table[name]
    return None


class CustomObjectScope:
    """`with CustomObjectScope({"MyLayer": MyLayer}):` makes the names visible to loading."""

    def __init__(self, custom_objects=None, *more):
        self.custom_objects = dict(custom_objects or {})
        for extra in more:
            self.custom_objects.update(extra)

    def __enter__(self):
        if not hasattr(_scope, "stack"):
            _scope.stack = []
        _scope.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope.stack.pop()
        return False


custom_object_scope = CustomObjectScope


def get_custom_objects():
    """The global registry dict (mutable, as in Keras)."""
    return _GLOBAL_CUSTOM_OBJECTS
