"""Fused optimizer updates on torch, with its fused and multi-tensor (`_foreach`) kernels.

With `donate=True` the state is updated in place, as torch.optim does: on CPU, allocating a
fresh copy of every weight and slot each step costs more than the arithmetic. Without it the
state is cloned first, then updated the same way.
"""

import functools

import numpy as np
import torch


def _scalar(x):
    return x.item() if isinstance(x, torch.Tensor) else float(x)


def _contiguous(tensors):
    return [t.contiguous() for t in tensors]  # no copy when already contiguous


def _contiguous_copy(tensors):
    return [t.clone(memory_format=torch.contiguous_format) for t in tensors]


@functools.lru_cache(maxsize=None)
def _infinite_step(device):
    # the fused kernels only read their step tensors: one per device serves every call
    return torch.tensor(float("inf"), device=device)


def sgd_update(variables, gradients, momentums, learning_rate, momentum, nesterov, donate=False):
    lr = _scalar(learning_rate)
    if not donate:
        variables = [w.clone() for w in variables]
        momentums = None if momentums is None else [m.clone() for m in momentums]
    step = torch._foreach_mul(gradients, lr)
    if momentums is None:
        torch._foreach_sub_(variables, step)
        return list(variables), None
    torch._foreach_mul_(momentums, momentum)
    torch._foreach_sub_(momentums, step)
    if nesterov:
        update = torch._foreach_mul(momentums, momentum)
        torch._foreach_sub_(update, step)
        torch._foreach_add_(variables, update)
    else:
        torch._foreach_add_(variables, momentums)
    return list(variables), list(momentums)


def adam_update(variables, gradients, momentums, velocities, learning_rate, iterations, beta_1, beta_2, epsilon, donate=False):
    # torch's fused Adam kernel, one pass over each tensor. It divides by bias corrections
    # computed from a step count; a step of +inf makes both exactly 1, so the kernel applies
    # our rule (epsilon outside the corrected sqrt) with the float32 step size given as lr.
    f32 = np.float32
    t = f32(_scalar(iterations) + 1)
    alpha = float(f32(_scalar(learning_rate)) * np.sqrt(f32(1) - f32(beta_2) ** t)
                  / (f32(1) - f32(beta_1) ** t))
    # the fused kernel walks raw memory: every tensor must be contiguous (a gradient through a
    # transpose is not)
    own = _contiguous if donate else _contiguous_copy
    variables, momentums, velocities = own(variables), own(momentums), own(velocities)
    gradients = _contiguous(gradients)
    steps = [_infinite_step(variables[0].device)] * len(variables)
    torch._fused_adam_(variables, gradients, momentums, velocities, [], steps, lr=alpha,
                       beta1=float(beta_1), beta2=float(beta_2), weight_decay=0.0,
                       eps=float(epsilon), amsgrad=False, maximize=False)
    return list(variables), list(momentums), list(velocities)
