"""keraslite: the Keras 3 API on PyTorch, JAX or TensorFlow.

Pick the engine with KERASLITE_BACKEND (or KERAS_BACKEND) before importing.
"""

from keraslite import backend, config, ops, random
from keraslite.backend import KerasTensor, Variable

__version__ = "0.1.0"

__all__ = ["KerasTensor", "Variable", "backend", "config", "ops", "random"]
