"""keraslite.ops.nn: the neural-network ops (the same functions as in keraslite.ops)."""

from keraslite import ops as _ops
from keraslite.backend import contract as _contract

globals().update({name: getattr(_ops, name) for name in _contract.stubs("nn")
                  if hasattr(_ops, name)})
hard_swish, swish = _ops.hard_swish, _ops.swish
