"""Find and load the backend.

Backends are packages registered in the ``keraslite.backends`` entry-point group; each holds
one module per contract group (core, numpy, nn, ...). The choice, in order:
``KERASLITE_BACKEND``, ``KERAS_BACKEND``, the ``backend`` key of keraslite.json, then the first
installed of torch, jax and tensorflow.
"""

import importlib
import importlib.metadata
import importlib.util
import os

from keraslite import config
from keraslite.backend.contract import GROUPS

ENTRY_POINT_GROUP = "keraslite.backends"
DEFAULT_ORDER = ("torch", "jax", "tensorflow")
# Extras that install the framework of each built-in backend.
_INSTALL_HINTS = {name: f'pip install "keraslite[{name}]"' for name in DEFAULT_ORDER}


class BackendError(ImportError):
    """The requested backend is unknown, or its framework is not installed."""


class LoadedBackend:
    """The active backend: its name, package and one module per contract group."""

    def __init__(self, name, package, modules):
        self.name = name
        self.package = package
        self.modules = modules


_ACTIVE = None


def registered_backends():
    """{name: entry point} for every installed backend."""
    eps = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    return {ep.name: ep for ep in eps}


def requested_name():
    """The backend name asked for, or None to use the default."""
    for var in ("KERASLITE_BACKEND", "KERAS_BACKEND"):
        value = os.environ.get(var, "").strip()
        if value:
            return value.lower()
    value = config.read_config_file().get("backend")
    return str(value).lower() if value else None


def _framework_installed(name):
    return importlib.util.find_spec(name) is not None


def default_name(registered):
    for name in DEFAULT_ORDER:
        if name in registered and _framework_installed(name):
            return name
    raise BackendError(
        "No backend framework is installed; install one, e.g. "
        f'{_INSTALL_HINTS["torch"]} (or [jax], [tensorflow]).'
    )


def load(name=None):
    """Import the backend `name` (default: the requested or default one) and its groups."""
    registered = registered_backends()
    name = name or requested_name() or default_name(registered)
    if name not in registered:
        known = ", ".join(sorted(registered)) or "none"
        raise BackendError(f"Unknown keraslite backend {name!r}; registered backends: {known}.")
    try:
        package = registered[name].load()
    except ModuleNotFoundError as e:
        hint = _INSTALL_HINTS.get(name, f"pip install {e.name}")
        raise BackendError(
            f"The keraslite backend {name!r} needs {e.name!r}, which is not installed: {hint}"
        ) from None
    modules = {}
    for group in GROUPS:
        try:
            modules[group] = importlib.import_module(f"{package.__name__}.{group}")
        except ModuleNotFoundError as e:
            if e.name != f"{package.__name__}.{group}":
                raise
            modules[group] = None  # reported by the contract check
    return LoadedBackend(name, package, modules)


def backend_layers():
    """{name: class} of the extra layers the active backend offers (bridges to its framework's
    own modules), read from the ``__all__`` of the optional module ``<package>.layers``.

    It is imported on first request, not with the backend, since it builds on keraslite.layers.
    """
    module_name = f"{active().package.__name__}.layers"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as e:
        if e.name != module_name:
            raise
        return {}
    return {name: getattr(module, name) for name in getattr(module, "__all__", ())}


def active():
    global _ACTIVE
    if _ACTIVE is None:
        _ACTIVE = load()
    return _ACTIVE


def backend_name():
    return active().name
