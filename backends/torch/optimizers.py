"""Fused optimizer updates on torch, with its multi-tensor (`_foreach`) kernels.

With `donate=True` the state is updated in place, as torch.optim does: on CPU, allocating a
fresh copy of every weight and slot each step costs more than the arithmetic. Without it the
state is cloned first, then updated the same way.
"""

import numpy as np
import torch


def _scalar(x):
    return x.item() if isinstance(x, torch.Tensor) else float(x)


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
    # The same operations in the same order as the per-variable rule (float32 step size
    # included), so results match the other backends to the last bit or two.
    f32 = np.float32
    t = f32(_scalar(iterations) + 1)
    alpha = float(f32(_scalar(learning_rate)) * np.sqrt(f32(1) - f32(beta_2) ** t)
                  / (f32(1) - f32(beta_1) ** t))
    if not donate:
        momentums = [m.clone() for m in momentums]
        velocities = [v.clone() for v in velocities]
        variables = [w.clone() for w in variables]
    scratch, denom = _scratch(variables)
    torch._foreach_copy_(scratch, gradients)
    torch._foreach_sub_(scratch, momentums)
    torch._foreach_mul_(scratch, 1 - beta_1)
    torch._foreach_add_(momentums, scratch)
    torch._foreach_copy_(scratch, gradients)
    torch._foreach_mul_(scratch, gradients)
    torch._foreach_sub_(scratch, velocities)
    torch._foreach_mul_(scratch, 1 - beta_2)
    torch._foreach_add_(velocities, scratch)
    torch._foreach_copy_(denom, velocities)
    torch._foreach_sqrt_(denom)
    torch._foreach_add_(denom, epsilon)
    torch._foreach_copy_(scratch, momentums)
    torch._foreach_mul_(scratch, alpha)
    torch._foreach_div_(scratch, denom)
    torch._foreach_sub_(variables, scratch)
    return list(variables), list(momentums), list(velocities)


_SCRATCH = {}


def _scratch(like):
    """Two work lists shaped like `like`, kept between steps: allocating them afresh each step
    costs page faults on CPU that outweigh the arithmetic. Only the latest layout is kept (the
    peak memory is the same as allocating per step)."""
    key = tuple((t.shape, t.dtype, t.device) for t in like)
    if key not in _SCRATCH:
        _SCRATCH.clear()
        _SCRATCH[key] = ([torch.empty_like(t) for t in like], [torch.empty_like(t) for t in like])
    return _SCRATCH[key]
