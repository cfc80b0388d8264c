"""The op test table: for each contract op, inputs, arguments and a numpy reference.

Importable with numpy alone (scipy is imported lazily by a few references): no framework, no
keraslite. `tests/test_ops.py` runs every case on the active backend.

A case holds:
- ``op``: name of the op; ``group``: its contract group (``image`` and ``linalg`` ops are
  called through ``keraslite.ops.image`` / ``keraslite.ops.linalg``).
- ``make()``: the positional arguments (numpy arrays with a fixed seed, Python values, lists).
- ``kwargs``: keyword arguments, passed to the op and to the reference.
- ``ref(*args, **kwargs)``: the numpy reference. Float inputs are given to it in float64.
- ``rtol``/``atol``: value tolerances (outputs compared after ``convert_to_numpy``).
- ``dtype``: expected output dtype (a string, or a tuple for several outputs); None means
  "derived from the contract's dtype rule" (or, for ``custom`` ops, from the reference).
- ``grad``: whether to check gradients (None: the contract's grad flag, when float inputs exist).
  ``grad_args`` lists the positional arguments to differentiate (None: every one holding floats).
- ``grad_pre(args, xp)`` / ``grad_post(out, xp)``: transforms of the differentiated arguments and
  of the outputs, written with ``xp`` being numpy or ``keraslite.ops``, for ops whose outputs
  are only defined up to sign (qr, svd, eigh) or that read part of their input (cholesky).
- ``canon(out)``: numpy normalisation applied to actual and reference outputs before comparing.
"""

from op_cases import (  # noqa: F401  (each module registers its cases)
    core_cases,
    image_cases,
    linalg_cases,
    math_cases,
    nn_cases,
    numpy_cases,
)
from op_cases.base import CASES, GRAD_SKIPPED, SKIPPED, Case  # noqa: F401

CORE_TENSOR_OPS = ("associative_scan", "cast", "saturate_cast", "stop_gradient", "scatter",
                   "scatter_update", "slice", "slice_update", "unstack", "convert_to_tensor")


def cases_by_op():
    out = {}
    for c in CASES:
        out.setdefault((c.group, c.op), []).append(c)
    return out


def _check_unique_ids():
    seen = set()
    for c in CASES:
        if c.id in seen:
            raise ValueError(f"duplicate case id {c.id}")
        seen.add(c.id)


_check_unique_ids()

