"""keraslite.ops.image: image ops on the active backend."""

from keraslite.backend import loader as _loader
from keraslite.backend.dispatch import public_ops as _public_ops

globals().update(_public_ops(_loader.active(), ("image",)))
