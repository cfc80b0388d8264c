"""Adam: adaptive moment estimation, optionally AMSGrad."""

from keraslite import backend, ops
from keraslite.backend.variables import donated
from keraslite.optimizers.optimizer import Optimizer, assign_all, group_by_dtype, value_of


class Adam(Optimizer):
    """`m, v` = moving averages of `g` and `g**2`;
    `w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`.
    With `amsgrad`, the running maximum of `v` is used instead of `v`."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _update_variables(self, grads, trainable_variables, learning_rate):
        if self.amsgrad or type(self).update_step is not Adam.update_step:
            super()._update_variables(grads, trainable_variables, learning_rate)
            return
        # the plain rule: one fused call per dtype (bias corrections computed there once)
        for _, grads_, variables in group_by_dtype(grads, trainable_variables):
            index = [self._get_variable_index(v) for v in variables]
            momentums = [self._momentums[i] for i in index]
            velocities = [self._velocities[i] for i in index]
            new = backend.optimizers.adam_update(
                [v.value for v in variables], grads_, [m.value for m in momentums],
                [v.value for v in velocities], value_of(learning_rate),
                value_of(self.iterations), self.beta_1, self.beta_2, self.epsilon,
                donate=donated())
            assign_all((variables, momentums, velocities), new)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        gradient = ops.cast(gradient, dtype)
        lr = ops.cast(learning_rate, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), t)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), t)
        # Bias corrections folded into the step size.
        alpha = ops.divide(ops.multiply(lr, ops.sqrt(ops.subtract(1, beta_2_power))),
                           ops.subtract(1, beta_1_power))
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value), 1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._velocity_hats[index]
            v_hat.assign(ops.maximum(v_hat.value, v.value))
            v = v_hat
        variable.assign_sub(ops.divide(ops.multiply(m.value, alpha),
                                       ops.add(ops.sqrt(v.value), self.epsilon)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "amsgrad": self.amsgrad})
        return config
