"""Schedule-Free AdamW (Defazio et al., 2024): no learning-rate schedule needed."""

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Keeps the base sequence `z` (in the "momentum" slot, starting at the weights) stepped by
    Adam-normalized gradients; the weights hold `y = (1 - beta_1) z + beta_1 x`, where `x` is the
    running average of `z`. Optional linear warmup over `warmup_steps`."""

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, weight_decay=None, clipnorm=None, clipvalue=None,
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
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        super().build(var_list)
        self._momentums, self._velocities = [], []
        for var in var_list:
            if self._overwrite_variable_with_gradient(var):
                self._momentums.append(None)
                self._velocities.append(None)
                continue

            def copy_of(shape, dtype=None, var=var):  # z starts at the weights
                return ops.cast(ops.copy(var.value), dtype)

            self._momentums.append(self.add_variable_from_reference(
                var, name="momentum", initializer=copy_of))
            self._velocities.append(self.add_variable_from_reference(var, name="velocity"))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1 = ops.cast(self.beta_1, dtype)
        beta_2 = ops.cast(self.beta_2, dtype)
        if self.warmup_steps > 0:
            lr = ops.multiply(lr, ops.minimum(
                ops.divide(t, ops.cast(self.warmup_steps, dtype)), 1.0))
        index = self._get_variable_index(variable)
        z, velocity = self._momentums[index], self._velocities[index]
        z_old = z.value
        velocity.assign_add(ops.multiply(ops.subtract(ops.square(gradient), velocity.value),
                                         ops.subtract(1, beta_2)))
        bias_correction = ops.subtract(1, ops.power(beta_2, t))
        denominator = ops.add(ops.sqrt(ops.divide(velocity.value, bias_correction)),
                              ops.cast(self.epsilon, dtype))
        z.assign_sub(ops.divide(ops.multiply(lr, gradient), denominator))
        # Recover x from y and the previous z, average in the new z, and rebuild y.
        weight = ops.divide(1.0, t)
        x_old = ops.divide(ops.subtract(variable.value, ops.multiply(
            ops.subtract(1, beta_1), z_old)), beta_1)
        x_new = ops.add(ops.multiply(ops.subtract(1, weight), x_old),
                        ops.multiply(weight, z.value))
        variable.assign(ops.add(ops.multiply(ops.subtract(1, beta_1), z.value),
                                ops.multiply(beta_1, x_new)))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "warmup_steps": self.warmup_steps})
        return config
