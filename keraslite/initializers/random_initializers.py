"""Random initializers whose values are the same bits on every backend.

Values are drawn with numpy (PCG64, in float64) and rounded once to the target dtype, never with
a framework's random ops, so one seed gives one model whatever the backend.

Seeds follow Keras: an int seed gives the same values on every call; seed=None draws an int seed
from keraslite.random's global generator at construction (so keraslite.utils.set_random_seed
before building a model fixes its weights); a SeedGenerator gives new values on every call.
"""

import math

import numpy as np

from keraslite import ops
from keraslite import random as krandom
from keraslite.initializers.initializer import (
    Initializer,
    float_dtype,
    from_float64,
    standardize_shape,
)
from keraslite.saving import serialization_lib

# Standard deviation of a standard normal truncated to [-2, 2]; dividing by it keeps the
# requested variance after truncation.
_TRUNCATED_STDDEV = 0.87962566103423978


def numpy_generator(seed):
    """np.random.Generator for an int seed or a SeedGenerator (advanced by this call)."""
    if isinstance(seed, krandom.SeedGenerator):
        state = np.asarray(ops.convert_to_numpy(seed.next())).reshape(-1)
        return np.random.Generator(np.random.PCG64([int(v) & 0xFFFFFFFF for v in state]))
    return np.random.Generator(np.random.PCG64(int(seed)))


def standard_normal(rng, shape):
    return rng.standard_normal(shape)


def truncated_standard_normal(rng, shape):
    """Standard normal with every value outside [-2, 2] drawn again."""
    values = rng.standard_normal(shape)
    outside = np.abs(values) > 2.0
    while outside.any():
        values[outside] = rng.standard_normal(int(outside.sum()))
        outside = np.abs(values) > 2.0
    return values


def standard_uniform(rng, shape):
    return rng.random(shape)


def compute_fans(shape, input_axes=None, output_axes=None):
    """(fan_in, fan_out) as Keras counts them.

    Dense kernels (in, out) give (in, out); conv kernels (*spatial, in, out) multiply both by the
    receptive field size; a vector gives its length twice; a scalar gives 1. `input_axes` and
    `output_axes`, when both given, name the axes whose sizes multiply into each fan.
    """
    shape = tuple(shape)
    if input_axes is not None and output_axes is not None:
        return (int(math.prod(shape[a] for a in input_axes)),
                int(math.prod(shape[a] for a in output_axes)))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return int(shape[0]), int(shape[0])
    receptive_field = math.prod(shape[:-2])
    return int(shape[-2] * receptive_field), int(shape[-1] * receptive_field)


class RandomInitializer(Initializer):
    """Base of the seeded initializers: holds the seed and draws float64 numpy values."""

    def __init__(self, seed=None):
        self._init_seed = seed  # what get_config saves: None stays None
        if seed is None:
            seed = int(krandom._global_rng().integers(0, krandom._MAX))
        elif isinstance(seed, dict):
            seed = serialization_lib.deserialize_keras_object(
                seed, module_objects={"SeedGenerator": krandom.SeedGenerator}, kind="seed")
        elif isinstance(seed, np.integer):
            seed = int(seed)
        if isinstance(seed, bool) or not isinstance(seed, (int, krandom.SeedGenerator)):
            raise ValueError(f"`seed` must be an int or a keraslite.random.SeedGenerator. "
                             f"Received: seed={seed!r}")
        self.seed = seed

    def _sample(self, shape, dtype, draw):
        """(shape, float dtype, float64 values) for `draw(rng, shape)`."""
        shape = standardize_shape(shape)
        dtype = float_dtype(dtype, type(self).__name__)
        return shape, dtype, draw(numpy_generator(self.seed), shape)

    def get_config(self):
        return {"seed": serialization_lib.serialize_keras_object(self._init_seed)}


class RandomNormal(RandomInitializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        _, dtype, z = self._sample(shape, dtype, standard_normal)
        return from_float64(self.mean + self.stddev * z, dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomInitializer):
    """Normal values, drawn again when more than two standard deviations from the mean."""

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean = mean
        self.stddev = stddev
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        _, dtype, z = self._sample(shape, dtype, truncated_standard_normal)
        return from_float64(self.mean + self.stddev * z, dtype)

    def get_config(self):
        return {**super().get_config(), "mean": self.mean, "stddev": self.stddev}


class RandomUniform(RandomInitializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval = minval
        self.maxval = maxval
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        _, dtype, u = self._sample(shape, dtype, standard_uniform)
        return from_float64(self.minval + (self.maxval - self.minval) * u, dtype)

    def get_config(self):
        return {**super().get_config(), "minval": self.minval, "maxval": self.maxval}


class VarianceScaling(RandomInitializer):
    """Values of variance scale / n, n the fan_in, fan_out or their mean (`mode`)."""

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be a positive float. Received: scale={scale}")
        if mode not in self._MODES:
            raise ValueError(f"Invalid `mode`: {mode!r}. Expected one of {self._MODES}.")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"  # Keras' old name for the truncated one
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"Invalid `distribution`: {distribution!r}. Expected one of "
                             f"{self._DISTRIBUTIONS}.")
        self.scale = scale
        self.mode = mode
        self.distribution = distribution
        self.input_axes = input_axes
        self.output_axes = output_axes
        super().__init__(seed=seed)

    def variance(self, shape):
        fan_in, fan_out = compute_fans(shape, self.input_axes, self.output_axes)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        return self.scale / max(1.0, fan[self.mode])

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        variance = self.variance(shape)
        if self.distribution == "truncated_normal":
            _, dtype, z = self._sample(shape, dtype, truncated_standard_normal)
            values = z * (math.sqrt(variance) / _TRUNCATED_STDDEV)
        elif self.distribution == "untruncated_normal":
            _, dtype, z = self._sample(shape, dtype, standard_normal)
            values = z * math.sqrt(variance)
        else:
            # U(-limit, limit) has variance limit**2 / 3.
            limit = math.sqrt(3.0 * variance)
            _, dtype, u = self._sample(shape, dtype, standard_uniform)
            values = -limit + 2.0 * limit * u
        return from_float64(values, dtype)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _FixedVarianceScaling(VarianceScaling):
    """VarianceScaling with scale, mode and distribution fixed by the subclass."""

    _SETTINGS = None  # (scale, mode, distribution)

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        scale, mode, distribution = self._SETTINGS
        super().__init__(scale=scale, mode=mode, distribution=distribution, seed=seed,
                         input_axes=input_axes, output_axes=output_axes)

    def get_config(self):
        return {"seed": serialization_lib.serialize_keras_object(self._init_seed),
                "input_axes": self.input_axes, "output_axes": self.output_axes}


class GlorotUniform(_FixedVarianceScaling):
    _SETTINGS = (1.0, "fan_avg", "uniform")


class GlorotNormal(_FixedVarianceScaling):
    _SETTINGS = (1.0, "fan_avg", "truncated_normal")


class LecunUniform(_FixedVarianceScaling):
    _SETTINGS = (1.0, "fan_in", "uniform")


class LecunNormal(_FixedVarianceScaling):
    _SETTINGS = (1.0, "fan_in", "truncated_normal")


class HeUniform(_FixedVarianceScaling):
    _SETTINGS = (2.0, "fan_in", "uniform")


class HeNormal(_FixedVarianceScaling):
    _SETTINGS = (2.0, "fan_in", "truncated_normal")


class Orthogonal(RandomInitializer):
    """`gain` times a random orthogonal matrix (the trailing axis against all others).

    Taken from the QR decomposition of a normal matrix, with signs fixed by R's diagonal so the
    result is uniformly distributed.
    """

    def __init__(self, gain=1.0, seed=None):
        self.gain = gain
        super().__init__(seed=seed)

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) < 2:
            raise ValueError(f"Orthogonal needs a shape of rank 2 or more. Received: "
                             f"shape={shape} of rank {len(shape)}.")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        flat = (max(rows, cols), min(rows, cols))
        _, dtype, a = self._sample(flat, dtype, standard_normal)
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return from_float64(self.gain * q.reshape(shape), dtype)

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}
