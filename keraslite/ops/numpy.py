"""keraslite.ops.numpy: the numpy-like ops (the same functions as in keraslite.ops)."""

from keraslite import ops as _ops
from keraslite.backend import contract as _contract

globals().update({name: getattr(_ops, name) for name in _contract.stubs("numpy")
                  if hasattr(_ops, name)})
vectorize = _ops.vectorize
