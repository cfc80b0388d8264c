"""Linear algebra of the torch backend on the last two axes (ints compute in floatx)."""

import optree
import torch

from keraslite_backends.torch.core import convert_to_tensor
from keraslite_backends.torch.numpy import _as_float

_HALF = (torch.float16, torch.bfloat16)


def _float_linalg(fn, *xs):
    """fn on float tensors; half precision computes in float32 (LAPACK has no half kernels)."""
    ts = [_as_float(x) for x in xs]
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = torch.promote_types(dt, t.dtype)
    compute = torch.float32 if dt in _HALF else dt
    out = fn(*[t.to(device=ts[0].device, dtype=compute) for t in ts])
    if dt in _HALF:
        if isinstance(out, (tuple, list)):
            return type(out)(o.to(dt) if o.is_floating_point() else o for o in out)
        return out.to(dt)
    return out


def cholesky(x, upper=False):
    return _float_linalg(lambda a: torch.linalg.cholesky(a, upper=upper), x)


def det(x):
    return _float_linalg(torch.linalg.det, x)


def eigh(x):
    return _float_linalg(lambda a: tuple(torch.linalg.eigh(a)), x)


def inv(x):
    return _float_linalg(torch.linalg.inv, x)


def lu_factor(x):
    def run(a):
        lu, piv = torch.linalg.lu_factor(a)
        return lu, (piv - 1).to(torch.int32)  # torch pivots are 1-based like LAPACK

    return _float_linalg(run, x)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _as_float(x)
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if axis is None:
        if ord is None:
            out = torch.linalg.vector_norm(x.reshape(-1), 2)
            return out.reshape((1,) * x.ndim) if keepdims else out
        if x.ndim == 1:
            axis = 0
        elif x.ndim == 2:
            axis = (0, 1)
        else:
            raise ValueError("norm with `ord` and axis=None needs a 1-D or 2-D input.")
    if isinstance(axis, (list, tuple)):
        if len(axis) != 2:
            raise ValueError(f"norm: axis must be an int or a pair; got {axis}.")
        mord = "fro" if ord is None else ord
        return _float_linalg(
            lambda a: torch.linalg.matrix_norm(a, ord=mord, dim=tuple(axis), keepdim=keepdims),
            x)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order {ord!r} for vectors.")
    vord = 2 if ord is None else ord
    return torch.linalg.vector_norm(x, ord=vord, dim=int(axis), keepdim=keepdims)


def qr(x, mode='reduced'):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr mode must be 'reduced' or 'complete'; got {mode!r}.")
    return _float_linalg(lambda a: tuple(torch.linalg.qr(a, mode=mode)), x)


def solve(a, b):
    def run(a_, b_):
        if b_.ndim == 1:  # numpy 2: only a 1-D b is a vector
            return torch.linalg.solve(a_, b_.unsqueeze(-1)).squeeze(-1)
        return torch.linalg.solve(a_, b_)

    return _float_linalg(run, a, b)


def solve_triangular(a, b, lower=False):
    def run(a_, b_):
        vec = b_.ndim == 1
        out = torch.linalg.solve_triangular(a_, b_.unsqueeze(-1) if vec else b_,
                                            upper=not lower)
        return out.squeeze(-1) if vec else out

    return _float_linalg(run, a, b)


def svd(x, full_matrices=True, compute_uv=True):
    if not compute_uv:
        return _float_linalg(torch.linalg.svdvals, x)
    return _float_linalg(lambda a: tuple(torch.linalg.svd(a, full_matrices=full_matrices)), x)


def lstsq(a, b, rcond=None):
    def run(a_, b_):
        vec = b_.ndim == 1
        bb = b_.unsqueeze(-1) if vec else b_
        driver = "gelsd" if a_.device.type == "cpu" else None
        sol = torch.linalg.lstsq(a_, bb, rcond=rcond, driver=driver).solution
        return sol.squeeze(-1) if vec else sol

    return _float_linalg(run, a, b)



def _check_matrices(x, op, square=False):
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        kind = "square matrices" if square else "matrices (rank >= 2)"
        raise ValueError(f"{op}: `x` must hold {kind}; received shape {tuple(x.shape)}.")


def cholesky_inverse(x, upper=False):
    x = _as_float(x)
    _check_matrices(x, "cholesky_inverse", square=True)
    # masking the factor's triangle keeps gradients off the entries that are never read
    factor = torch.triu if upper else torch.tril
    return _float_linalg(lambda a: torch.cholesky_inverse(factor(a), upper=upper), x)


def eig(x):
    x = _as_float(x)
    _check_matrices(x, "eig", square=True)
    return _float_linalg(lambda a: tuple(torch.linalg.eig(a)), x)


def matrix_rank(x, tol=None):
    x = _as_float(x)
    _check_matrices(x, "matrix_rank")

    def run(a):
        s = torch.linalg.svdvals(a)
        if tol is None:
            eps = torch.finfo(a.dtype).eps
            limit = s.amax(-1, keepdim=True) * max(a.shape[-2:]) * eps
        else:
            limit = torch.as_tensor(tol, dtype=s.dtype, device=s.device).unsqueeze(-1)
        return (s > limit).sum(-1).to(torch.int32)

    return _float_linalg(run, x)


def pinv(x, rcond=None):
    x = _as_float(x)
    _check_matrices(x, "pinv")

    def run(a):
        rtol = 10 * max(a.shape[-2:]) * torch.finfo(a.dtype).eps if rcond is None else rcond
        return torch.linalg.pinv(a, rtol=rtol)

    return _float_linalg(run, x)


def jvp(fun, primals, tangents, has_aux=False):
    primals = optree.tree_map(convert_to_tensor, tuple(primals))
    # tangents take the primals' dtypes (torch.func.jvp requires equal dtypes)
    tangents = optree.tree_map(lambda t, p: convert_to_tensor(t).to(p.dtype), tuple(tangents),
                               primals)
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)
