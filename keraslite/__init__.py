"""keraslite: the Keras 3 API on PyTorch, JAX or TensorFlow.

Pick the engine with KERASLITE_BACKEND (or KERAS_BACKEND) before importing.
"""

from keraslite import (  # noqa: I001  (order: the model stack needs the leaf modules first)
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    dtype_policies,
    initializers,
    layers,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    utils,
)
from keraslite.backend import KerasTensor, Variable
from keraslite.layers import Input, Layer
from keraslite.models import Model, Sequential
from keraslite.trainers.gradients import compute_gradients

__version__ = "0.1.0"

__all__ = [
    "Input", "KerasTensor", "Layer", "Model", "Sequential", "Variable", "activations", "backend",
    "callbacks", "compute_gradients", "config", "constraints", "datasets", "dtype_policies", "initializers",
    "layers", "losses", "metrics", "models", "ops", "optimizers", "random", "regularizers",
    "saving", "utils",
]
