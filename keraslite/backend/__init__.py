"""keraslite.backend: the interface between the frontend and the framework that runs it.

The contract (``keraslite.backend.contract``) names every op; the loader picks the backend;
this module exposes the active backend's implementations by group (``core``, ``numpy``, ``nn``,
``math``, ``linalg``, ``image``, ``random``, ``rnn``, ``optimizers``) plus the framework-independent pieces:
dtypes, KerasTensor and Variable.
"""

from keraslite.backend import dtypes, loader
from keraslite.backend.dispatch import MissingOpError, group_namespace
from keraslite.backend.dtypes import is_float, is_int, result_type, standardize_dtype
from keraslite.backend.keras_tensor import KerasTensor, is_keras_tensor
from keraslite.backend.loader import BackendError
from keraslite.backend.variables import Variable

_loaded = loader.active()

core = group_namespace(_loaded, "core")
numpy = group_namespace(_loaded, "numpy")
nn = group_namespace(_loaded, "nn")
math = group_namespace(_loaded, "math")
linalg = group_namespace(_loaded, "linalg")
image = group_namespace(_loaded, "image")
random = group_namespace(_loaded, "random")
rnn = group_namespace(_loaded, "rnn")
optimizers = group_namespace(_loaded, "optimizers")

# Gradients, compilation and devices: the functional tools the trainer and users share.
value_and_grad = core.value_and_grad
grad = core.grad
jit = core.jit
device = core.device_scope
compute_output_spec = core.compute_output_spec
convert_to_tensor = core.convert_to_tensor
convert_to_numpy = core.convert_to_numpy
is_tensor = core.is_tensor


def backend():
    """Name of the active backend: 'torch', 'jax', 'tensorflow' or a plugin's name."""
    return _loaded.name


def floatx():
    from keraslite import config

    return config.floatx()


def epsilon():
    from keraslite import config

    return config.epsilon()


def image_data_format():
    from keraslite import config

    return config.image_data_format()


__all__ = [
    "BackendError", "KerasTensor", "MissingOpError", "Variable", "backend", "compute_output_spec",
    "convert_to_numpy", "convert_to_tensor", "core", "device", "dtypes", "epsilon", "floatx",
    "grad", "image", "image_data_format", "is_float", "is_int", "is_keras_tensor", "is_tensor",
    "jit", "linalg", "math", "nn", "numpy", "random", "result_type", "rnn", "standardize_dtype",
    "value_and_grad",
]
