"""Linear algebra on jax, on the last two axes of batched matrices."""

import jax
import jax.numpy as jnp
import jax.scipy.linalg as jsl
from jax import lax

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.jax.core import convert_to_tensor

_HALF = ("float16", "bfloat16")


def _float(x):
    """x as a float tensor (ints -> floatx), and the dtype results are returned in."""
    x = convert_to_tensor(x)
    dtype = dtypes.standardize_dtype(x.dtype)
    if not dtypes.is_float(dtype) and not dtypes.is_complex(dtype):
        dtype = config.floatx()
    compute = "float32" if dtype in _HALF else dtype
    return x.astype(compute), dtype


def _pair(a, b):
    a, b = convert_to_tensor(a), convert_to_tensor(b)
    dtype = dtypes.result_type(a.dtype, b.dtype, float)
    compute = "float32" if dtype in _HALF else dtype
    return a.astype(compute), b.astype(compute), dtype


def _is_concrete(x):
    return not isinstance(x, jax.core.Tracer)


def cholesky(x, upper=False):
    x, dtype = _float(x)
    out = jnp.linalg.cholesky(x)
    if _is_concrete(out) and bool(jnp.any(jnp.isnan(out))):
        raise ValueError(
            "Cholesky decomposition failed: the input might not be a valid positive definite "
            "matrix."
        )
    if upper:
        out = jnp.conj(jnp.swapaxes(out, -1, -2))
    return out.astype(dtype)


def det(x):
    x, dtype = _float(x)
    return jnp.linalg.det(x).astype(dtype)


def eigh(x):
    x, dtype = _float(x)
    w, v = jnp.linalg.eigh(x)
    return w.astype(dtype), v.astype(dtype)


def inv(x):
    x, dtype = _float(x)
    return jnp.linalg.inv(x).astype(dtype)


def lu_factor(x):
    x, dtype = _float(x)
    lu, pivots, _ = lax.linalg.lu(x)
    return lu.astype(dtype), pivots.astype("int32")


def norm(x, ord=None, axis=None, keepdims=False):
    x, dtype = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return jnp.linalg.norm(x, ord=ord, axis=axis, keepdims=keepdims).astype(dtype)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` must be 'reduced' or 'complete'. Received: {mode!r}")
    x, dtype = _float(x)
    q, r = jnp.linalg.qr(x, mode=mode)
    return q.astype(dtype), r.astype(dtype)


def solve(a, b):
    a, b, dtype = _pair(a, b)
    return jnp.linalg.solve(a, b).astype(dtype)


def solve_triangular(a, b, lower=False):
    a, b, dtype = _pair(a, b)
    return jsl.solve_triangular(a, b, lower=lower).astype(dtype)


def svd(x, full_matrices=True, compute_uv=True):
    x, dtype = _float(x)
    if not compute_uv:
        return jnp.linalg.svd(x, compute_uv=False).astype(dtype)
    m, n = x.shape[-2], x.shape[-1]
    if not full_matrices or m == n:
        u, s, vh = jnp.linalg.svd(x, full_matrices=full_matrices)
    else:
        # jax differentiates only the reduced SVD; the extra orthonormal columns of the
        # complete factors carry no gradient (they are any basis of the complement).
        u, s, vh = jnp.linalg.svd(x, full_matrices=False)
        u_full, _, vh_full = jnp.linalg.svd(lax.stop_gradient(x), full_matrices=True)
        k = min(m, n)
        if m > n:
            u = jnp.concatenate([u, u_full[..., :, k:]], axis=-1)
        else:
            vh = jnp.concatenate([vh, vh_full[..., k:, :]], axis=-2)
    return u.astype(dtype), s.astype(dtype), vh.astype(dtype)


def lstsq(a, b, rcond=None):
    a, b, dtype = _pair(a, b)
    return jnp.linalg.lstsq(a, b, rcond=rcond)[0].astype(dtype)


def _check_matrices(x, op, square=False):
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        kind = "square matrices" if square else "matrices (rank >= 2)"
        raise ValueError(f"{op}: `x` must hold {kind}; received shape {x.shape}.")


def cholesky_inverse(x, upper=False):
    x, dtype = _float(x)
    _check_matrices(x, "cholesky_inverse", square=True)
    eye = jnp.broadcast_to(jnp.eye(x.shape[-1], dtype=x.dtype), x.shape)
    # inv(L L^H) = L^-H L^-1 (U^-1 U^-H for an upper factor)
    factor_inv = jsl.solve_triangular(x, eye, lower=not upper)
    adjoint = jnp.conj(jnp.swapaxes(factor_inv, -1, -2))
    out = factor_inv @ adjoint if upper else adjoint @ factor_inv
    return out.astype(dtype)


def eig(x):
    x, dtype = _float(x)
    _check_matrices(x, "eig", square=True)
    w, v = jnp.linalg.eig(x)
    complex_dtype = "complex128" if dtype in ("float64", "complex128") else "complex64"
    return w.astype(complex_dtype), v.astype(complex_dtype)


def matrix_rank(x, tol=None):
    x, _ = _float(x)
    _check_matrices(x, "matrix_rank")
    s = jnp.linalg.svd(x, compute_uv=False)
    if tol is None:
        tol = jnp.max(s, axis=-1, keepdims=True) * max(x.shape[-2:]) * jnp.finfo(x.dtype).eps
    else:
        tol = jnp.expand_dims(jnp.asarray(tol, s.dtype), -1)
    return jnp.sum(s > tol, axis=-1).astype("int32")


def pinv(x, rcond=None):
    x, dtype = _float(x)
    _check_matrices(x, "pinv")
    return jnp.linalg.pinv(x, rtol=rcond).astype(dtype)


def jvp(fun, primals, tangents, has_aux=False):
    primals = jax.tree_util.tree_map(convert_to_tensor, primals)
    # jax wants tangents of exactly the primals' dtypes
    tangents = jax.tree_util.tree_map(lambda t, p: convert_to_tensor(t).astype(p.dtype),
                                      tangents, primals)
    return jax.jvp(fun, tuple(primals), tuple(tangents), has_aux=has_aux)
