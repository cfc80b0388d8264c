"""The jax backend of keraslite: one module per contract group (core, numpy, nn, ...)."""

import jax  # noqa: F401  (a missing framework fails here; the loader turns it into advice)

# int64 / float64 tensors exist on the other backends too; every op below passes explicit
# dtypes so that Python scalars and defaults still follow Keras (int32, floatx).
jax.config.update("jax_enable_x64", True)

NAME = "jax"
