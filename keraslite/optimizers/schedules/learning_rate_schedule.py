"""Learning-rate schedules: functions of the optimizer step, with Keras 3's names and configs.

A schedule is called with the step (a Python int, a tensor or the optimizer's `iterations`
Variable) and returns a scalar tensor. Every schedule is plain arithmetic on tensors (choices
made with `ops.where`, never Python `if` on a value), so it traces under `keraslite.backend.jit`.
"""

import math

from keraslite import backend, ops
from keraslite.saving import serialization_lib


class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config()`."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` in "
            "order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _float_dtype(value):
    """The dtype a schedule computes in: the initial value's, or floatx for non-floats."""
    dtype = backend.standardize_dtype(ops.convert_to_tensor(value).dtype)
    return dtype if backend.is_float(dtype) else backend.floatx()


def _check_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (exponent floored when
    `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        dtype = _float_dtype(self.initial_learning_rate)
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        initial = ops.cast(self.initial_learning_rate, dtype)
        return ops.multiply(initial, ops.power(ops.cast(self.decay_rate, dtype), p))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[i]` while `boundaries[i-1] < step <= boundaries[i]`."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = ops.convert_to_tensor(step)
        step_dtype = backend.standardize_dtype(step.dtype)
        dtype = backend.standardize_dtype(ops.convert_to_tensor(self.values[0]).dtype)
        bounds = [ops.cast(b, step_dtype) for b in self.boundaries]
        # Walk from the last interval down: each earlier boundary overrides the later value.
        result = ops.cast(self.values[-1], dtype)
        for bound, value in zip(reversed(bounds), reversed(self.values[:-1])):
            result = ops.where(ops.less_equal(step, bound), ops.cast(value, dtype), result)
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From `initial_learning_rate` to `end_learning_rate` along `(1 - step/decay_steps)**power`;
    with `cycle`, decay_steps grows to the next multiple of itself past `step`."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        dtype = _float_dtype(self.initial_learning_rate)
        step = ops.cast(step, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.cycle:
            # Step 0 counts as inside the first cycle (ceil(0) would give a zero length).
            cycles = ops.where(ops.equal(step, 0), ops.cast(1, dtype),
                               ops.ceil(ops.divide(step, decay_steps)))
            decay_steps = ops.multiply(decay_steps, cycles)
        else:
            step = ops.minimum(step, decay_steps)
        fraction_left = ops.subtract(1, ops.divide(step, decay_steps))
        initial = ops.cast(self.initial_learning_rate, dtype)
        end = ops.cast(self.end_learning_rate, dtype)
        return ops.add(ops.multiply(ops.subtract(initial, end),
                                    ops.power(fraction_left, ops.cast(self.power, dtype))), end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (ratio floored when
    `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        dtype = _float_dtype(self.initial_learning_rate)
        p = ops.divide(ops.cast(step, dtype), ops.cast(self.decay_steps, dtype))
        if self.staircase:
            p = ops.floor(p)
        denominator = ops.add(ops.cast(1, dtype), ops.multiply(ops.cast(self.decay_rate, dtype), p))
        return ops.divide(ops.cast(self.initial_learning_rate, dtype), denominator)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


def _cosine(fraction, alpha, dtype):
    """Cosine from 1 (fraction 0) to `alpha` (fraction 1)."""
    cosine = ops.multiply(0.5, ops.add(1.0, ops.cos(ops.multiply(ops.cast(math.pi, dtype),
                                                                 fraction))))
    return ops.add(ops.multiply(1 - alpha, cosine), alpha)


class CosineDecay(LearningRateSchedule):
    """Cosine decay over `decay_steps` down to `alpha` times the start, optionally after a linear
    warmup of `warmup_steps` from `initial_learning_rate` to `warmup_target` (the decay then
    starts from `warmup_target`)."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target

    def __call__(self, step):
        dtype = _float_dtype(self.initial_learning_rate)
        initial = ops.cast(self.initial_learning_rate, dtype)
        step = ops.cast(step, dtype)
        decay_steps = ops.cast(self.decay_steps, dtype)
        if self.warmup_target is None:
            step = ops.minimum(step, decay_steps)
            return ops.multiply(initial, _cosine(ops.divide(step, decay_steps), self.alpha, dtype))
        target = ops.cast(self.warmup_target, dtype)
        warmup_steps = ops.cast(self.warmup_steps, dtype)
        step = ops.minimum(step, ops.add(decay_steps, warmup_steps))
        # Both phases are computed and one is picked, so this traces; with warmup_steps=0 the
        # unused warmup value may be nan, which `where` discards.
        warmup = ops.add(ops.multiply(ops.subtract(target, initial),
                                      ops.divide(step, warmup_steps)), initial)
        decay_fraction = ops.divide(ops.subtract(step, warmup_steps), decay_steps)
        decayed = ops.multiply(target, _cosine(decay_fraction, self.alpha, dtype))
        return ops.where(ops.less(step, warmup_steps), warmup, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period i lasts `first_decay_steps * t_mul**i`
    steps and starts from `initial_learning_rate * m_mul**i`."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        _check_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        dtype = _float_dtype(self.initial_learning_rate)
        t_mul = ops.cast(self._t_mul, dtype)
        fraction = ops.divide(ops.cast(step, dtype), ops.cast(self.first_decay_steps, dtype))
        if self._t_mul == 1.0:
            restart = ops.floor(fraction)
            fraction = ops.subtract(fraction, restart)
        else:
            # Periods grow geometrically: restart i starts at (t_mul**i - 1) / (t_mul - 1).
            restart = ops.floor(ops.divide(ops.log(ops.subtract(1.0, ops.multiply(
                fraction, ops.subtract(1.0, t_mul)))), ops.log(t_mul)))
            start = ops.divide(ops.subtract(1.0, ops.power(t_mul, restart)),
                               ops.subtract(1.0, t_mul))
            fraction = ops.divide(ops.subtract(fraction, start), ops.power(t_mul, restart))
        scale = ops.power(ops.cast(self._m_mul, dtype), restart)
        cosine = ops.multiply(ops.multiply(0.5, scale), ops.add(1.0, ops.cos(
            ops.multiply(ops.cast(math.pi, dtype), fraction))))
        alpha = ops.cast(self.alpha, dtype)
        decayed = ops.add(ops.multiply(ops.subtract(1.0, alpha), cosine), alpha)
        return ops.multiply(ops.cast(self.initial_learning_rate, dtype), decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


ALL_OBJECTS = (LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
               InverseTimeDecay, CosineDecay, CosineDecayRestarts)
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}


def serialize(learning_rate_schedule):
    """A schedule's Keras config dict (`module`, `class_name`, `config`, `registered_name`)."""
    config = serialization_lib.serialize_keras_object(learning_rate_schedule)
    if isinstance(config, dict) and type(learning_rate_schedule) in ALL_OBJECTS:
        config["module"] = "keras.optimizers.schedules"  # where Keras 3 finds its schedules
    return config


def deserialize(config, custom_objects=None):
    """A schedule from its config dict (or a registered callable from a function config)."""
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects,
        kind="learning rate schedule")
