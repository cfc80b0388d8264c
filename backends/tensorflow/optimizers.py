"""Fused optimizer updates on TensorFlow: plain tensor math (donate changes nothing)."""

import tensorflow as tf


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
    t = tf.cast(iterations, dtype) + 1
    alpha = tf.cast(learning_rate, dtype) * tf.sqrt(1 - beta_2 ** t) / (1 - beta_1 ** t)
    new_m = [m + (g - m) * (1 - beta_1) for m, g in zip(momentums, gradients)]
    new_v = [v + (tf.square(g) - v) * (1 - beta_2) for v, g in zip(velocities, gradients)]
    new_w = [w - m * alpha / (tf.sqrt(v) + epsilon)
             for w, m, v in zip(variables, new_m, new_v)]
    return new_w, new_m, new_v
