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


from keraslite.utils.numerical_utils import normalize, to_categorical  # noqa: E402
from keraslite.utils.py_dataset import PyDataset  # noqa: E402


def unpack_x_y_sample_weight(data):
    from keraslite.trainers.data_adapters import unpack_x_y_sample_weight as unpack

    return unpack(data)


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    from keraslite.trainers.data_adapters import pack_x_y_sample_weight as pack

    return pack(x, y, sample_weight)


__all__ = ["PyDataset", "normalize", "pack_x_y_sample_weight", "set_random_seed",
           "to_categorical", "unpack_x_y_sample_weight"]
