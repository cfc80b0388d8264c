"""keraslite.ops: Keras 3's op namespace, on the active backend.

Every function here is a contract op (see keraslite.backend.contract) with Keras 3's name and
signature. Concrete inputs run on the backend; KerasTensor inputs give KerasTensor outputs with
the inferred shape and dtype. Image ops live in keraslite.ops.image; linear algebra is both here
and in keraslite.ops.linalg, as in Keras.
"""

from keraslite.backend import loader as _loader
from keraslite.backend.dispatch import public_ops as _public_ops

globals().update(_public_ops(_loader.active(), ("core", "numpy", "nn", "math", "linalg")))

from keraslite.ops import image, linalg  # noqa: E402, F401  (submodules, as in keras.ops)
