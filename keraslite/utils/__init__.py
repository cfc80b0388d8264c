"""keraslite.utils: helpers shared by users and the frontend."""

import random as _py_random

import numpy as _np


def set_random_seed(seed):
    """Seed Python's, numpy's and keraslite's global generators."""
    from keraslite import random

    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` to be an int. Received: {seed!r}")
    _py_random.seed(seed)
    _np.random.seed(seed)
    random.set_global_seed(seed)
