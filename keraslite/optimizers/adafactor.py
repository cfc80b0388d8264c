"""Adafactor: Adam-like steps with a factored second moment (Shazeer & Stern, 2018)."""

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class Adafactor(Optimizer):
    """For a matrix-shaped variable the squared-gradient average is stored as row and column
    means (`r`, `c`) and rebuilt as `r c / mean(r)`; smaller variables keep it whole. The step is
    `max(epsilon_2, rms(w)) * min(lr, 1/sqrt(t))` times the update, whose RMS is capped at
    `clip_threshold`. With `relative_step` (and a constant learning rate) the learning rate is
    itself capped at `1/sqrt(t)`."""

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, weight_decay=None, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            shape = tuple(var.shape)
            if len(shape) < 2:
                # Unused placeholders, kept so the variable list lines up with Keras' (weights
                # are saved and loaded by position).
                self._r.append(self.add_variable((), dtype="int32", name=var.name))
                self._c.append(self.add_variable((), dtype="int32", name=var.name))
            elif self._overwrite_variable_with_gradient(var):
                self._r.append(None)
                self._c.append(None)
            else:
                self._r.append(self.add_variable(shape[:-1], dtype=var.dtype, name=var.name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=var.dtype,
                                                 name=var.name))
            self._v.append(None if self._overwrite_variable_with_gradient(var)
                           else self.add_variable_from_reference(var, name="velocity"))

    @staticmethod
    def _rms(x):
        return ops.sqrt(ops.mean(ops.square(x)))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        inv_sqrt_t = ops.divide(1, ops.sqrt(t))
        if self.relative_step and not callable(self._learning_rate):
            lr = ops.minimum(lr, inv_sqrt_t)
        index = self._get_variable_index(variable)
        r, c, v = self._r[index], self._c[index], self._v[index]
        step_size = ops.multiply(
            ops.maximum(ops.cast(self.epsilon_2, dtype), self._rms(variable.value)),
            ops.minimum(lr, inv_sqrt_t))
        grad_sq = ops.add(ops.square(gradient), self.epsilon_1)
        beta_2 = ops.subtract(1, ops.power(t, self.beta_2_decay))
        if len(variable.shape) >= 2:
            r.assign(ops.add(ops.multiply(beta_2, r.value), ops.multiply(
                ops.subtract(1, beta_2), ops.mean(grad_sq, axis=-1))))
            c.assign(ops.add(ops.multiply(beta_2, c.value), ops.multiply(
                ops.subtract(1, beta_2), ops.mean(grad_sq, axis=-2))))
            row = ops.divide(r.value, ops.mean(r.value, axis=-1, keepdims=True))
            v.assign(ops.multiply(ops.expand_dims(row, -1), ops.expand_dims(c.value, -2)))
        else:
            v.assign(ops.add(ops.multiply(beta_2, v.value),
                             ops.multiply(ops.subtract(1, beta_2), grad_sq)))
        update = ops.divide(gradient, ops.sqrt(v.value))
        update = ops.divide(update, ops.maximum(ops.cast(1.0, dtype), ops.divide(
            self._rms(update), self.clip_threshold)))
        variable.assign_sub(ops.multiply(step_size, update))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1,
                       "epsilon_2": self.epsilon_2, "clip_threshold": self.clip_threshold,
                       "relative_step": self.relative_step})
        return config
