"""Stateless random sampling on jax. `seed` is an int32 tensor of shape (2,)."""

import jax
import jax.numpy as jnp
import numpy as np

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.jax.core import convert_to_tensor


def _key(seed):
    """A jax PRNG key from the (2,) int32 seed tensor (an int or None are accepted too)."""
    if seed is None:
        seed = np.random.randint(0, 2**31 - 1, size=(2,))
    if isinstance(seed, (int, np.integer)):
        seed = [0, int(seed)]
    seed = convert_to_tensor(seed)
    if seed.shape != (2,):
        raise ValueError(f"`seed` must be a tensor of shape (2,); got shape {seed.shape}.")
    words = jax.lax.bitcast_convert_type(seed.astype("int32"), jnp.uint32)
    return jax.random.wrap_key_data(words, impl="threefry2x32")


def _float_dtype(dtype):
    dtype = dtypes.standardize_dtype(dtype) if dtype is not None else config.floatx()
    if not dtypes.is_float(dtype):
        raise ValueError(f"Expected a float dtype; received {dtype!r}.")
    return dtype


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    sample = jax.random.normal(_key(seed), _shape(shape), dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return jax.random.uniform(_key(seed), _shape(shape), dtype=dtype, minval=minval,
                              maxval=maxval)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    sample = jax.random.truncated_normal(_key(seed), -2.0, 2.0, _shape(shape), dtype=dtype)
    return (sample * stddev + mean).astype(dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    logits = convert_to_tensor(logits)
    if logits.ndim != 2:
        raise ValueError(f"`logits` must be 2-D (batch, classes); got shape {logits.shape}.")
    batch = logits.shape[0]
    out = jax.random.categorical(_key(seed), logits[:, None, :],
                                 shape=(batch, int(num_samples)), axis=-1)
    return out.astype(dtypes.standardize_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    if not dtypes.is_int(dtype):
        raise ValueError(f"randint needs an integer dtype; received {dtype!r}.")
    return jax.random.randint(_key(seed), _shape(shape), minval, maxval, dtype=dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = convert_to_tensor(inputs)
    if not 0 <= float(rate) < 1:
        raise ValueError(f"`rate` must be in [0, 1); received {rate}.")
    keep_prob = 1.0 - rate
    if noise_shape is None:
        noise_shape = inputs.shape
    else:
        noise_shape = tuple(
            inputs.shape[i] if d is None else int(d) for i, d in enumerate(noise_shape)
        )
    keep = jax.random.bernoulli(_key(seed), keep_prob, noise_shape)
    keep = jnp.broadcast_to(keep, inputs.shape)
    scaled = inputs / jnp.asarray(keep_prob, inputs.dtype)
    return jnp.where(keep, scaled, jnp.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    return jax.random.permutation(_key(seed), x, axis=axis, independent=False)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return jax.random.gamma(_key(seed), jnp.asarray(alpha, dtype), _shape(shape), dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = dtypes.standardize_dtype(dtype) if dtype is not None else config.floatx()
    compute = dtype if dtypes.is_float(dtype) else config.floatx()
    sample = jax.random.binomial(
        _key(seed), jnp.asarray(counts, compute), jnp.asarray(probabilities, compute),
        shape=_shape(shape), dtype=compute,
    )
    return sample.astype(dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return jax.random.beta(_key(seed), jnp.asarray(alpha, dtype), jnp.asarray(beta, dtype),
                           _shape(shape), dtype=dtype)
