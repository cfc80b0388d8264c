"""keraslite.random: seeded sampling as in keras.random.

The backend ops are stateless (they take a (2,) int32 seed tensor). Here a seed may be an int,
a SeedGenerator, or None (a fresh draw from the global generator), and is turned into that tensor.
"""

import numpy as np

from keraslite import backend
from keraslite.backend import dtypes

_MAX = 2**31 - 1


class SeedGenerator:
    """Stateful source of seeds: each `next()` returns a new (2,) int32 seed tensor."""

    def __init__(self, seed=None, name=None, **kwargs):
        self.name = name or "seed_generator"
        if seed is None:
            seed = _global_rng().integers(0, _MAX)
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(f"SeedGenerator: `seed` must be an int. Received: {seed!r}")
        self._initial_seed = int(seed)
        self.state = backend.Variable(np.array([0, int(seed)], dtype="int32"), dtype="int32",
                                      trainable=False, name="seed_generator_state")

    def next(self, ordered=True):
        from keraslite import ops

        seed = self.state.value
        self.state.assign(ops.add(seed, np.array([1, 0], dtype="int32")))
        return seed

    def get_config(self):
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


_GLOBAL = {"rng": None}


def _global_rng():
    if _GLOBAL["rng"] is None:
        _GLOBAL["rng"] = np.random.default_rng()
    return _GLOBAL["rng"]


def set_global_seed(seed):
    """Reseed the generator used when `seed=None` (keraslite.utils.set_random_seed calls it)."""
    _GLOBAL["rng"] = np.random.default_rng(seed)


def draw_seed(seed):
    """(2,) int32 backend tensor for an int, a SeedGenerator, a seed tensor or None."""
    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        seed = int(_global_rng().integers(0, _MAX))
    if isinstance(seed, (int, np.integer)):
        return backend.core.convert_to_tensor(np.array([0, int(seed)], dtype="int32"))
    if backend.is_tensor(seed) or isinstance(seed, (np.ndarray, backend.Variable)):
        return backend.core.cast(backend.core.convert_to_tensor(seed), "int32")
    raise ValueError(
        f"`seed` must be None, an int, a SeedGenerator or a (2,) seed tensor. Received: {seed!r}"
    )


def _dtype(dtype):
    return dtypes.standardize_dtype(dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return backend.random.normal(shape, mean, stddev, _dtype(dtype), draw_seed(seed))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    return backend.random.uniform(shape, minval, maxval, _dtype(dtype), draw_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return backend.random.truncated_normal(shape, mean, stddev, _dtype(dtype), draw_seed(seed))


def categorical(logits, num_samples, dtype="int32", seed=None):
    return backend.random.categorical(logits, num_samples, dtype, draw_seed(seed))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    return backend.random.randint(shape, minval, maxval, dtype, draw_seed(seed))


def dropout(inputs, rate, noise_shape=None, seed=None):
    return backend.random.dropout(inputs, rate, noise_shape, draw_seed(seed))


def shuffle(x, axis=0, seed=None):
    return backend.random.shuffle(x, axis, draw_seed(seed))


def gamma(shape, alpha, dtype=None, seed=None):
    return backend.random.gamma(shape, alpha, _dtype(dtype), draw_seed(seed))


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    return backend.random.binomial(shape, counts, probabilities, _dtype(dtype), draw_seed(seed))


def beta(shape, alpha, beta, dtype=None, seed=None):
    return backend.random.beta(shape, alpha, beta, _dtype(dtype), draw_seed(seed))
