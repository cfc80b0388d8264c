"""keraslite.models: Model, Sequential and the functional graph."""

from keraslite.models.functional import Functional
from keraslite.models.model import Model
from keraslite.models.sequential import Sequential

__all__ = ["Functional", "Model", "Sequential"]
