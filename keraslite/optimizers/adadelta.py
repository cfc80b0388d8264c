"""Adadelta: steps scaled by the ratio of recent update and gradient magnitudes."""

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class Adadelta(Optimizer):
    """With `rms(x) = sqrt(x + epsilon)`: `E[g²] = rho E[g²] + (1-rho) g²`,
    `delta = -rms(E[Δ²]) / rms(E[g²]) * g`, `E[Δ²] = rho E[Δ²] + (1-rho) delta²`,
    `w += lr * delta`."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    def update_step(self, grad, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        grad = ops.cast(grad, variable.dtype)
        rho = self.rho
        index = self._get_variable_index(variable)
        grad_sq = self._accumulated_grads[index]
        delta_sq = self._accumulated_delta_vars[index]

        def rms(x):
            return ops.sqrt(ops.add(x, self.epsilon))

        grad_sq.assign(ops.add(ops.multiply(rho, grad_sq.value),
                               ops.multiply(1 - rho, ops.square(grad))))
        delta = ops.negative(ops.divide(ops.multiply(rms(delta_sq.value), grad),
                                        rms(grad_sq.value)))
        delta_sq.assign(ops.add(ops.multiply(rho, delta_sq.value),
                                ops.multiply(1 - rho, ops.square(delta))))
        variable.assign_add(ops.multiply(lr, delta))

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
