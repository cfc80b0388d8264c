"""Muon: momentum orthogonalized by Newton-Schulz iterations, for 2-D weights; AdamW for the
rest (Jordan et al., 2024)."""

import math
import re

from keraslite import ops
from keraslite.optimizers.optimizer import Optimizer


class Muon(Optimizer):
    """2-D variables (except embeddings and `exclude_layers` matches) step along the
    orthogonalized momentum `NS(m)` (Nesterov-style `NS(g + momentum * m)` by default), scaled
    by `rms_rate * sqrt(max(rows, cols))`; every other variable uses AdamW with
    `learning_rate * adam_lr_ratio` and `adam_weight_decay`."""

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", variable.name)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(pattern, path) for pattern in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for i, var in enumerate(var_list):
            if self._overwrite_variable_with_gradient(var):
                continue
            self.momentums[i] = self.add_variable_from_reference(var, name="momentum")
            if self._should_use_adamw(var):
                self.adam_velocities[i] = self.add_variable_from_reference(var, name="velocity")

    def update_step(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        m, v = self.momentums[index], self.adam_velocities[index]
        if v is not None:
            self._adamw_update_step(gradient, variable,
                                    ops.multiply(learning_rate, self.adam_lr_ratio), m, v)
        else:
            self._muon_update_step(gradient, variable, learning_rate, m)

    def _muon_update_step(self, gradient, variable, lr, m):
        m.assign_add(ops.add(gradient, ops.multiply(m.value, self.momentum - 1)))
        direction = ops.add(gradient, ops.multiply(self.momentum, m.value)) if self.nesterov \
            else m.value
        update = self.zeropower_via_newtonschulz5(direction, self.ns_steps)
        variable.assign_sub(self.lr_adjust(ops.multiply(lr, update)))

    def _adamw_update_step(self, gradient, variable, learning_rate, m, v):
        dtype = variable.dtype
        lr = ops.cast(learning_rate, dtype)
        gradient = ops.cast(gradient, dtype)
        t = ops.cast(ops.add(self.iterations, 1), dtype)
        beta_1_power = ops.power(ops.cast(self.adam_beta_1, dtype), t)
        beta_2_power = ops.power(ops.cast(self.adam_beta_2, dtype), t)
        alpha = ops.divide(ops.multiply(lr, ops.sqrt(ops.subtract(1, beta_2_power))),
                           ops.subtract(1, beta_1_power))
        m.assign_add(ops.multiply(ops.subtract(gradient, m.value), 1 - self.adam_beta_1))
        v.assign_add(ops.multiply(ops.subtract(ops.square(gradient), v.value),
                                  1 - self.adam_beta_2))
        variable.assign_sub(ops.divide(ops.multiply(m.value, alpha),
                                       ops.add(ops.sqrt(v.value), self.epsilon)))

    @staticmethod
    def transpose_last_axis(x):
        return ops.swapaxes(x, -1, -2)

    def lr_adjust(self, x):
        """Scale the orthogonal update so its RMS is about `rms_rate` (None: unscaled)."""
        if self.rms_rate is None:
            return x
        shape = ops.shape(x)
        return ops.multiply(ops.multiply(x, math.sqrt(max(shape[0], shape[1]))), self.rms_rate)

    def zeropower_via_newtonschulz5(self, x, steps):
        """Approximately orthogonalize `x` (push its singular values towards 1) with `steps`
        quintic Newton-Schulz iterations, on the wide orientation of the matrix."""
        shape = ops.shape(x)
        if len(shape) < 2:
            raise ValueError("Expected gradient or momentum to have at least 2 dimensions. "
                             f"Received: shape={shape}")
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        tall = shape[-2] > shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        x = ops.divide(x, ops.add(ops.norm(x, axis=(-2, -1), keepdims=True), 1e-7))
        for _ in range(steps):
            gram = ops.matmul(x, self.transpose_last_axis(x))
            poly = ops.add(ops.multiply(b, gram), ops.matmul(ops.multiply(c, gram), gram))
            x = ops.add(ops.multiply(a, x), ops.matmul(poly, x))
        return self.transpose_last_axis(x) if tall else x

    def _apply_weight_decay(self, variables):
        # Muon-updated and AdamW-updated variables have their own decay rates.
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            rate = self.adam_weight_decay if self._should_use_adamw(variable) \
                else self.weight_decay
            if rate is None:
                continue
            wd = ops.cast(rate, variable.dtype)
            lr = ops.cast(self.learning_rate, variable.dtype)
            value = variable.value
            variable.assign(ops.subtract(value, ops.multiply(ops.multiply(value, wd), lr)))

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon, "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a, "muon_b": self.muon_b, "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
            "ns_steps": self.ns_steps, "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate,
        })
        return config
