"""LossScaleOptimizer: dynamic loss scaling for mixed-precision training."""

from keraslite import ops
from keraslite.backend.variables import keep_state, no_scope
from keraslite.optimizers.optimizer import Optimizer
from keraslite.saving import serialization_lib

# Base-optimizer arguments the wrapper refuses (they belong on the inner optimizer).
_INNER_ONLY = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
               "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
               "ema_overwrite_frequency": None, "loss_scale_factor": None,
               "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """Wraps `inner_optimizer`: the loss is multiplied by a dynamic scale (`scale_loss`) and the
    gradients divided by it. A step whose gradients are not all finite is skipped and halves the
    scale; after `dynamic_growth_steps` finite steps in a row the scale doubles."""

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError(
                "LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                "`loss_scale_factor` directly on the `inner_optimizer`.")
        for arg, default in _INNER_ONLY.items():
            if arg in kwargs and kwargs.pop(arg) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{arg}`. Instead, set "
                                 f"`{arg}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError("LossScaleOptimizer does not support arguments: "
                             f"`{'`, `'.join(kwargs)}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The wrapper does the scaling; the inner optimizer must not divide again.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self.step_counter = self.add_variable((), initializer="zeros", dtype="int64",
                                              name="step_counter")
        self.dynamic_scale = self.add_variable((), initializer=float(self.initial_scale),
                                               dtype="float32", name="dynamic_scale")
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def check_finite(self, grads):
        """Scalar bool tensor: every element of every gradient is finite."""
        flags = [ops.all(ops.isfinite(g)) for g in grads if g is not None]
        return ops.all(ops.stack(flags))

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
        if not self.built:
            if trainable_variables is None:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first.")
            with no_scope():  # state is created from real values, never traced ones
                self.build(trainable_variables)
        finite = self.check_finite(grads)
        scale = self.dynamic_scale.value
        variables = trainable_variables or self._trainable_variables
        unscaled = [g if g is None or self._overwrite_variable_with_gradient(v)
                    else ops.divide(g, scale)
                    for g, v in zip(grads, variables)]
        # Run the inner step, then keep its results only if the gradients were finite (a
        # value-dependent skip written as a select, so it traces).
        watched = list(self.inner_optimizer._trainable_variables) + self.inner_optimizer.variables
        before = [v.value for v in watched]
        with keep_state():  # `before` is read below
            self.inner_optimizer.apply(unscaled, trainable_variables=trainable_variables)
        for variable, old in zip(watched, before):
            new = variable.value
            if new is not old:
                variable.assign(ops.where(finite, new, old))

        counter = self.step_counter.value
        grow = ops.logical_and(finite, ops.equal(counter, self.dynamic_growth_steps - 1))
        zero = ops.zeros_like(counter)
        self.step_counter.assign(ops.where(finite, ops.where(grow, zero, ops.add(counter, 1)),
                                           zero))
        self.dynamic_scale.assign(ops.where(
            finite, ops.where(grow, ops.multiply(scale, 2.0), scale), ops.multiply(scale, 0.5)))

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        scale = self.dynamic_scale if self.built else self.initial_scale
        return ops.multiply(loss, scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        return {
            "name": self.name,
            "inner_optimizer": serialization_lib.serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.optimizers import registry

        config = dict(config)
        inner = registry.deserialize(config.pop("inner_optimizer"),
                                     custom_objects=custom_objects)
        return cls(inner, **config)
