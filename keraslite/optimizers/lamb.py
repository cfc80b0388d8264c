"""LAMB: Adam steps rescaled per layer by the weight-to-update norm ratio (You et al., 2019)."""

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class Lamb(Optimizer):
    """`u = m_hat / (sqrt(v_hat) + epsilon)` (bias-corrected Adam direction);
    `w -= lr * (||w|| / ||u||) * u`, the ratio taken as 1 when either norm is 0."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.beta_1, dtype), t)
        beta_2_power = ops.power(ops.cast(self.beta_2, dtype), t)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value), 1 - self.beta_2))
        m_hat = ops.divide(m.value, ops.subtract(1.0, beta_1_power))
        v_root = ops.add(ops.sqrt(ops.divide(v.value, ops.subtract(1.0, beta_2_power))),
                         self.epsilon)
        update = ops.divide(m_hat, v_root)
        w_norm = ops.sqrt(ops.sum(ops.square(variable.value)))
        u_norm = ops.sqrt(ops.sum(ops.square(update)))
        # Trust ratio; the inner where keeps 0/0 out of the chosen branch.
        ratio = ops.where(ops.greater(w_norm, 0),
                          ops.where(ops.greater(u_norm, 0), ops.divide(w_norm, u_norm), 1.0), 1.0)
        variable.assign_sub(ops.multiply(ops.multiply(ratio, lr), update))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
