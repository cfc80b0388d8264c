"""keraslite.optimizers: Keras 3's optimizers, learning-rate schedules and lookup helpers."""

from keraslite.optimizers import schedules
from keraslite.optimizers.adadelta import Adadelta
from keraslite.optimizers.adafactor import Adafactor
from keraslite.optimizers.adagrad import Adagrad
from keraslite.optimizers.adam import Adam
from keraslite.optimizers.adamax import Adamax
from keraslite.optimizers.adamw import AdamW
from keraslite.optimizers.ftrl import Ftrl
from keraslite.optimizers.lamb import Lamb
from keraslite.optimizers.lion import Lion
from keraslite.optimizers.loss_scale_optimizer import LossScaleOptimizer
from keraslite.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from keraslite.optimizers.muon import Muon
from keraslite.optimizers.nadam import Nadam
from keraslite.optimizers.optimizer import Optimizer
from keraslite.optimizers.registry import deserialize, get, serialize
from keraslite.optimizers.rmsprop import RMSprop
from keraslite.optimizers.schedule_free_adamw import ScheduleFreeAdamW
from keraslite.optimizers.sgd import SGD

__all__ = [
    "SGD", "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
    "LossScaleOptimizer", "MultiOptimizer", "Muon", "Nadam", "Optimizer", "OptimizerMap",
    "RMSprop", "ScheduleFreeAdamW", "deserialize", "get", "schedules", "serialize",
]
