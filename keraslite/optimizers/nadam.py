"""Nadam: Adam with Nesterov momentum (Dozat, 2016)."""

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class Nadam(Optimizer):
    """Adam whose first moment looks one step ahead, with the momentum schedule
    `mu_t = beta_1 * (1 - 0.5 * 0.96**t)` and its running product."""

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
        var_list = list(var_list)
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        # Product of the momentum schedule so far, shared by all variables (Keras' last slot).
        dtype = var_list[0].dtype if var_list else None
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="variable")

    def _mu(self, step, dtype):
        return ops.multiply(ops.cast(self.beta_1, dtype), ops.subtract(
            1.0, ops.multiply(0.5, ops.power(ops.cast(0.96, dtype), step))))

    def _update_variables(self, grads, trainable_variables, learning_rate):
        # Once per step, before the variables: the product now includes this step's mu.
        dtype = self._u_product.dtype
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        self._u_product.assign(ops.multiply(self._u_product.value, self._mu(t, dtype)))
        super()._update_variables(grads, trainable_variables, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        mu_t = self._mu(t, dtype)
        mu_next = self._mu(ops.add(t, 1), dtype)
        u_product = ops.cast(self._u_product.value, dtype)
        u_product_next = ops.multiply(u_product, mu_next)
        beta_2 = ops.cast(self.beta_2, dtype)
        index = self._get_variable_index(variable)
        m, v = self._momentums[index], self._velocities[index]
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value), 1 - self.beta_2))
        m_hat = ops.add(ops.divide(ops.multiply(mu_next, m.value), ops.subtract(1, u_product_next)),
                        ops.divide(ops.multiply(ops.subtract(1, mu_t), gradient),
                                   ops.subtract(1, u_product)))
        v_hat = ops.divide(v.value, ops.subtract(1, ops.power(beta_2, t)))
        variable.assign_sub(ops.divide(ops.multiply(m_hat, lr),
                                       ops.add(ops.sqrt(v_hat), self.epsilon)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
