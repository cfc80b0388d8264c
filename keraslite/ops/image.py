"""keraslite.ops.image: image ops on the active backend."""

from keraslite import random as _random
from keraslite.backend import loader as _loader
from keraslite.backend.dispatch import public_ops as _public_ops

_ops = _public_ops(_loader.active(), ("image",))
globals().update(_ops)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect",
                      fill_value=0.0, seed=None, data_format=None):
    """The contract's elastic_transform, with `seed` an int, a SeedGenerator or None (a fresh
    draw), as in keras.random; the backend op takes the drawn (2,) seed tensor."""
    return _ops["elastic_transform"](images, alpha, sigma, interpolation, fill_mode, fill_value,
                                     _random.draw_seed(seed), data_format)
