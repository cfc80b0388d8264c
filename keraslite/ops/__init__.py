"""keraslite.ops: Keras 3's op namespace, on the active backend.

Every function here is a contract op (see keraslite.backend.contract) with Keras 3's name and
signature. Concrete inputs run on the backend; KerasTensor inputs give KerasTensor outputs with
the inferred shape and dtype. Image ops live in keraslite.ops.image; linear algebra is both here
and in keraslite.ops.linalg, as in Keras. `rearrange` (keraslite.ops.einops) is composed of
reshape and transpose; `vectorize` (keraslite.ops.vectorization) maps a function with
vectorized_map.
"""

from keraslite.backend import loader as _loader
from keraslite.backend.dispatch import public_ops as _public_ops

_ops = _public_ops(_loader.active(), ("core", "numpy", "nn", "math", "linalg"))
# Keras' other names for the same activations
_ops.update(hard_swish=_ops["hard_silu"], swish=_ops["silu"])
globals().update(_ops)

from keraslite.ops.einops import rearrange  # noqa: E402, F401  (built from reshape/transpose)
from keraslite.ops.vectorization import vectorize  # noqa: E402, F401  (on vectorized_map)

# isort: split
# submodules, as in keras.ops (nn and numpy re-export the functions above)
from keraslite.ops import image, linalg, nn, numpy  # noqa: E402, F401
