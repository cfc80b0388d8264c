"""Fused optimizer updates: one call per step for a whole list of variables.

Optimizers express their rule once in keraslite.ops; for the common rules they call these
instead, so a step costs a few multi-tensor kernels rather than a dozen small ops per variable.
All lists are aligned and hold tensors of one floating dtype; scalars are Python floats or 0-d
tensors of that dtype. Results equal the per-variable rule (up to float rounding).

``donate=True`` says the caller owns the input state tensors (variables, momentums,
velocities) and will not read them again: a backend may then write the results into their
storage (torch does; jax and tensorflow return new arrays, which their compilers fuse anyway).
Gradients are never written to.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=False)
def sgd_update(variables, gradients, momentums, learning_rate, momentum, nesterov, donate=False):
    """SGD step. Without momentum (momentums None): w - lr * g. With it:
    m' = momentum * m - lr * g, and w + m' (nesterov: w + momentum * m' - lr * g).
    Returns (new_variables, new_momentums or None)."""


@op("custom", grad=False)
def adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon, donate=False):
    """Adam step; iterations counts the steps already taken (t = iterations + 1):
    m' = m + (g - m) * (1 - beta_1), v' = v + (g**2 - v) * (1 - beta_2),
    w' = w - alpha * m' / (sqrt(v') + epsilon) with the bias-corrected step size
    alpha = learning_rate * sqrt(1 - beta_2**t) / (1 - beta_1**t). Returns (new_variables,
    new_momentums, new_velocities)."""
