"""keraslite.models: Model, Sequential, the functional graph, and model files."""

from keraslite.models.cloning import clone_model
from keraslite.models.functional import Functional
from keraslite.models.model import Model, model_from_json
from keraslite.models.sequential import Sequential
from keraslite.saving.saving_api import load_model, save_model

__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json",
           "save_model"]
