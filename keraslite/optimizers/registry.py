"""Optimizer lookup by name or config: `get`, `serialize`, `deserialize`.

Names are the lower-cased class names, as in Keras ("sgd", "adam", "rmsprop", ...); class names
in configs are matched case-insensitively.
"""

from keraslite.saving import serialization_lib


def _all_objects():
    # Imported here: the optimizer modules import this one (for nested configs).
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
    from keraslite.optimizers.rmsprop import RMSprop
    from keraslite.optimizers.schedule_free_adamw import ScheduleFreeAdamW
    from keraslite.optimizers.sgd import SGD

    classes = (Optimizer, Adam, SGD, RMSprop, Adadelta, AdamW, Adagrad, Adamax, Adafactor, Muon,
               MultiOptimizer, OptimizerMap, Nadam, Ftrl, Lion, Lamb, LossScaleOptimizer,
               ScheduleFreeAdamW)
    return {cls.__name__.lower(): cls for cls in classes}


def serialize(optimizer):
    """The optimizer's Keras config dict (`module`, `class_name`, `config`, ...)."""
    return serialization_lib.serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None):
    """An optimizer from a config dict (class names are case-insensitive for built-ins)."""
    objects = _all_objects()
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        lowered = config["class_name"].lower()
        if lowered in objects:
            config = {**config, "class_name": lowered}
    return serialization_lib.deserialize_keras_object(
        config, module_objects=objects, custom_objects=custom_objects, kind="optimizer")


def get(identifier):
    """An optimizer from a name ("adam"), a config dict or an optimizer (returned as is)."""
    from keraslite.optimizers.optimizer import Optimizer

    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = deserialize({"class_name": identifier, "config": {}})
    else:
        obj = identifier
    if isinstance(obj, Optimizer):
        return obj
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
