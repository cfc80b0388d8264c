"""Fused optimizer updates on JAX: plain array math (XLA fuses it; donate changes nothing)."""

import jax.numpy as jnp


def sgd_update(variables, gradients, momentums, learning_rate, momentum, nesterov, donate=False):
    if momentums is None:
        return [w - g * learning_rate for w, g in zip(variables, gradients)], None
    new_m = [m * momentum - g * learning_rate for m, g in zip(momentums, gradients)]
    if nesterov:
        new_w = [w + m * momentum - g * learning_rate
                 for w, m, g in zip(variables, new_m, gradients)]
    else:
        new_w = [w + m for w, m in zip(variables, new_m)]
    return new_w, new_m


def adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon, donate=False):
    dtype = variables[0].dtype
    t = jnp.asarray(iterations, dtype) + 1
    alpha = jnp.asarray(learning_rate, dtype) * jnp.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    new_m = [m + (g - m) * (1 - beta_1) for m, g in zip(momentums, gradients)]
    new_v = [v + (jnp.square(g) - v) * (1 - beta_2) for v, g in zip(velocities, gradients)]
    new_w = [w - m * alpha / (jnp.sqrt(v) + epsilon)
             for w, m, v in zip(variables, new_m, new_v)]
    return new_w, new_m, new_v
