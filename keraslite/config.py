"""Global settings, mirroring keras.config: floatx, epsilon, image_data_format, backend.

Values come from ``$KERASLITE_HOME/keraslite.json`` (default ``~/.keraslite``) when it exists,
and can be changed at run time with the setters. The backend itself is chosen once, at import,
by ``keraslite.backend.loader``.
"""

import json
import os

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
_DATA_FORMATS = ("channels_last", "channels_first")


def config_dir():
    """Directory of keraslite.json: ``$KERASLITE_HOME`` or ``~/.keraslite``."""
    return os.environ.get("KERASLITE_HOME") or os.path.join(os.path.expanduser("~"), ".keraslite")


def config_path():
    return os.path.join(config_dir(), "keraslite.json")


def read_config_file():
    """The user's keraslite.json as a dict; {} when missing. A broken file is an error."""
    path = config_path()
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        raise ValueError(f"Could not read the keraslite config file {path}: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"The keraslite config file {path} must hold a JSON object.")
    return data


def floatx():
    """Default float dtype name, e.g. ``'float32'``."""
    return _FLOATX


def set_floatx(value):
    global _FLOATX
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown floatx type: {value!r}. Expected one of {_FLOAT_TYPES}.")
    _FLOATX = value


def epsilon():
    """Fuzz factor used in numeric expressions."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = float(value)


def image_data_format():
    """``'channels_last'`` or ``'channels_first'``."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    value = str(data_format).lower()
    if value not in _DATA_FORMATS:
        raise ValueError(
            f"The `data_format` argument must be one of {_DATA_FORMATS}. Received: {data_format!r}"
        )
    _IMAGE_DATA_FORMAT = value


def backend():
    """Name of the active backend, e.g. ``'torch'``."""
    from keraslite.backend import loader

    return loader.backend_name()


def enable_unsafe_deserialization():
    """Let loading run code stored in a config (a Lambda layer's Python lambda): do it only for
    files from a source you trust."""
    from keraslite.saving import serialization_lib

    serialization_lib.enable_unsafe_deserialization()


def _apply_file_settings():
    data = read_config_file()
    if "floatx" in data:
        set_floatx(data["floatx"])
    if "epsilon" in data:
        set_epsilon(data["epsilon"])
    if "image_data_format" in data:
        set_image_data_format(data["image_data_format"])


_apply_file_settings()
