"""Stateless random sampling. The frontend turns ints and SeedGenerators into the seed tensor.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=False)
def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples. Stateless: seed is an int32 tensor of shape (2,); the same seed gives the
    same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Uniform samples in [minval, maxval). Stateless: seed is an int32 tensor of shape (2,); the
    same seed gives the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Normal samples redrawn beyond two stddevs. Stateless: seed is an int32 tensor of shape (2,);
    the same seed gives the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def categorical(logits, num_samples, dtype='int32', seed=None):
    """num_samples class indices per row drawn from logits. Stateless: seed is an int32 tensor of
    shape (2,); the same seed gives the same values. dtype defaults to floatx (int32 for
    ints)."""

@op("custom", grad=False)
def randint(shape, minval, maxval, dtype='int32', seed=None):
    """Uniform ints in [minval, maxval). Stateless: seed is an int32 tensor of shape (2,); the same
    seed gives the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def dropout(inputs, rate, noise_shape=None, seed=None):
    """inputs with entries zeroed with probability rate and the rest scaled by 1/(1-rate);
    noise_shape broadcasts. Stateless: seed is an int32 tensor of shape (2,); the same seed
    gives the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def shuffle(x, axis=0, seed=None):
    """x permuted along axis. Stateless: seed is an int32 tensor of shape (2,); the same seed gives
    the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def gamma(shape, alpha, dtype=None, seed=None):
    """Gamma(alpha) samples. Stateless: seed is an int32 tensor of shape (2,); the same seed gives
    the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def binomial(shape, counts, probabilities, dtype=None, seed=None):
    """Binomial(counts, probabilities) samples. Stateless: seed is an int32 tensor of shape (2,);
    the same seed gives the same values. dtype defaults to floatx (int32 for ints)."""

@op("custom", grad=False)
def beta(shape, alpha, beta, dtype=None, seed=None):
    """Beta(alpha, beta) samples. Stateless: seed is an int32 tensor of shape (2,); the same seed
    gives the same values. dtype defaults to floatx (int32 for ints)."""
