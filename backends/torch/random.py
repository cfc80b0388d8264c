"""Stateless random sampling for the torch backend.

Each op builds a CPU torch.Generator from the (2,) int32 seed, so equal seeds give equal samples;
samples are drawn on the CPU (reproducible everywhere) and moved to the current device.
"""

import math as pymath

import numpy as np
import torch

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.torch.core import (
    convert_to_numpy,
    convert_to_tensor,
    default_device,
    to_torch_dtype,
)


def _generator(seed):
    gen = torch.Generator(device="cpu")
    if seed is None:
        gen.seed()
        return gen
    if isinstance(seed, (int, np.integer)):
        parts = [0, int(seed)]
    else:
        parts = [int(v) for v in np.asarray(convert_to_numpy(seed)).reshape(-1)]
    value = 0
    for p in parts:  # fold the seed words into one 63-bit integer
        value = (value * 0x9E3779B1 + (p & 0xFFFFFFFF)) % (2**63 - 1)
    gen.manual_seed(value)
    return gen


def _shape(shape):
    if isinstance(shape, int):
        return (shape,)
    return tuple(int(d) for d in shape)


def _float_dtype(dtype):
    name = dtypes.standardize_dtype(dtype or config.floatx())
    if not dtypes.is_float(name):
        raise ValueError(f"Expected a float dtype; got {name!r}.")
    return to_torch_dtype(name)


def _compute_dtype(dt):
    return torch.float64 if dt == torch.float64 else torch.float32


def _param(v, dt):
    return convert_to_tensor(v).to(device="cpu", dtype=dt)


def _out(x, dt):
    return x.to(device=default_device(), dtype=dt)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    cd = _compute_dtype(dt)
    z = torch.randn(_shape(shape), generator=_generator(seed), dtype=cd)
    return _out(z * _param(stddev, cd) + _param(mean, cd), dt)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    cd = _compute_dtype(dt)
    u = torch.rand(_shape(shape), generator=_generator(seed), dtype=cd)
    lo, hi = _param(minval, cd), _param(maxval, cd)
    return _out(lo + u * (hi - lo), dt)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    # inverse-CDF sampling of the standard normal restricted to [-2, 2]
    lo = 0.5 * (1.0 + pymath.erf(-2.0 / pymath.sqrt(2.0)))
    u = torch.rand(_shape(shape), generator=_generator(seed), dtype=torch.float64)
    p = lo + u * (1.0 - 2.0 * lo)
    z = pymath.sqrt(2.0) * torch.erfinv(2.0 * p - 1.0)
    z = torch.clamp(z, -2.0, 2.0)
    return _out(z * _param(stddev, torch.float64) + _param(mean, torch.float64), dt)


def categorical(logits, num_samples, dtype='int32', seed=None):
    logits = convert_to_tensor(logits).to(device="cpu", dtype=torch.float64)
    squeeze = logits.ndim == 1
    if squeeze:
        logits = logits.unsqueeze(0)
    probs = torch.softmax(logits, dim=-1)
    out = torch.multinomial(probs, int(num_samples), replacement=True,
                            generator=_generator(seed))
    if squeeze:
        out = out[0]
    return _out(out, to_torch_dtype(dtype or "int32"))


def randint(shape, minval, maxval, dtype='int32', seed=None):
    lo, hi = int(np.asarray(convert_to_numpy(minval))), int(np.asarray(convert_to_numpy(maxval)))
    out = torch.randint(lo, hi, _shape(shape), generator=_generator(seed), dtype=torch.int64)
    return _out(out, to_torch_dtype(dtype or "int32"))


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = convert_to_tensor(inputs)
    rate = float(rate)
    if not 0.0 <= rate < 1.0:
        raise ValueError(f"dropout rate must be in [0, 1); got {rate}.")
    if noise_shape is None:
        noise_shape = tuple(x.shape)
    else:
        noise_shape = tuple(x.shape[i] if d is None else int(d)
                            for i, d in enumerate(noise_shape))
    u = torch.rand(noise_shape, generator=_generator(seed), dtype=torch.float32)
    keep = (u >= rate).to(x.device)
    scaled = x / (1.0 - rate) if x.is_floating_point() else x
    return torch.where(keep, scaled, torch.zeros_like(scaled))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    perm = torch.randperm(x.shape[axis], generator=_generator(seed)).to(x.device)
    return torch.index_select(x, axis, perm)


def _gamma(shape, alpha, gen):
    """Marsaglia-Tsang gamma(alpha) samples in float64, alpha broadcast to shape."""
    alpha = torch.broadcast_to(_param(alpha, torch.float64), shape).clone()
    small = alpha < 1.0
    a = torch.where(small, alpha + 1.0, alpha)  # boost alpha < 1, corrected below
    d = a - 1.0 / 3.0
    c = 1.0 / torch.sqrt(9.0 * d)
    out = torch.zeros(shape, dtype=torch.float64)
    todo = torch.ones(shape, dtype=torch.bool)
    while bool(todo.any()):
        x = torch.randn(shape, generator=gen, dtype=torch.float64)
        u = torch.rand(shape, generator=gen, dtype=torch.float64)
        v = (1.0 + c * x) ** 3
        ok = (v > 0) & (torch.log(u) < 0.5 * x * x + d - d * v +
                        d * torch.log(torch.clamp(v, min=1e-300)))
        take = ok & todo
        out = torch.where(take, d * v, out)
        todo = todo & ~take
    u = torch.rand(shape, generator=gen, dtype=torch.float64)
    boost = torch.pow(u, 1.0 / torch.where(small, alpha, torch.ones_like(alpha)))
    return torch.where(small, out * boost, out)


def gamma(shape, alpha, dtype=None, seed=None):
    dt = _float_dtype(dtype)
    return _out(_gamma(_shape(shape), alpha, _generator(seed)), dt)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    shape = _shape(shape)
    dt = to_torch_dtype(dtype or config.floatx())
    gen = _generator(seed)
    n = torch.broadcast_to(_param(counts, torch.float64), shape)
    p = torch.broadcast_to(_param(probabilities, torch.float64), shape)
    total = torch.zeros(shape, dtype=torch.float64)
    max_n = int(n.max().item()) if n.numel() else 0
    chunk = 1024
    # sum of Bernoulli trials, in chunks to bound memory
    for start in range(0, max_n, chunk):
        size = min(chunk, max_n - start)
        u = torch.rand((size, *shape), generator=gen, dtype=torch.float64)
        idx = torch.arange(start, start + size, dtype=torch.float64).reshape(
            (size,) + (1,) * len(shape))
        total = total + ((u < p) & (idx < n)).sum(0)
    return _out(total, dt)


def beta(shape, alpha, beta, dtype=None, seed=None):
    shape = _shape(shape)
    dt = _float_dtype(dtype)
    gen = _generator(seed)
    x = _gamma(shape, alpha, gen)
    y = _gamma(shape, beta, gen)
    return _out(x / (x + y), dt)
