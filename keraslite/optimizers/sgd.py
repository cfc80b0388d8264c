"""SGD: gradient descent, optionally with (Nesterov) momentum."""

from keraslite import backend, ops
from keraslite.backend.variables import donated
from keraslite.optimizers.optimizer import Optimizer, assign_all, group_by_dtype


class SGD(Optimizer):
    """`v = momentum * v - lr * g; w += v` (plain `w -= lr * g` when momentum is 0); with
    `nesterov`, `w += momentum * v - lr * g`."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        if not isinstance(momentum, float) or not 0 <= momentum <= 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # Plain SGD keeps no slots.
        self.momentums = (self.add_optimizer_variables(var_list, "momentum")
                          if self.momentum != 0 else [])

    def _update_variables(self, grads, trainable_variables, learning_rate):
        if type(self).update_step is not SGD.update_step:  # a subclass's own rule
            super()._update_variables(grads, trainable_variables, learning_rate)
            return
        for dtype, grads_, variables in group_by_dtype(grads, trainable_variables):
            momentums = ([self.momentums[self._get_variable_index(v)] for v in variables]
                         if self.momentum != 0 else None)
            new_w, new_m = backend.optimizers.sgd_update(
                [v.value for v in variables], grads_,
                None if momentums is None else [m.value for m in momentums],
                ops.cast(learning_rate, dtype), self.momentum, self.nesterov, donate=donated())
            assign_all((variables,) if momentums is None else (variables, momentums),
                       (new_w,) if momentums is None else (new_w, new_m))

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        gradient = ops.cast(gradient, variable.dtype)
        m = self.momentums[self._get_variable_index(variable)] if self.momentum != 0 else None
        if m is None:
            variable.assign_sub(ops.multiply(gradient, lr))
            return
        momentum = ops.cast(self.momentum, variable.dtype)
        step = ops.multiply(gradient, lr)
        m.assign(ops.subtract(ops.multiply(m.value, momentum), step))
        if self.nesterov:
            variable.assign_add(ops.subtract(ops.multiply(m.value, momentum), step))
        else:
            variable.assign_add(m.value)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
