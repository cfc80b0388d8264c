"""Linear algebra on TensorFlow (last two axes; ints become floatx)."""

import numpy as np
import tensorflow as tf

from keraslite_backends.tensorflow.core import canonical_axis, convert_to_tensor, to_float


def _float(x):
    """x as float32/float64 (the dtypes tf.linalg kernels support), and the dtype to return."""
    x = to_float(x)
    out = x.dtype
    if x.dtype in (tf.float16, tf.bfloat16):
        x = tf.cast(x, "float32")
    return x, out


def _adjoint(x):
    return tf.linalg.adjoint(x)


def cholesky(x, upper=False):
    x, out = _float(x)
    c = tf.linalg.cholesky(x)
    if upper:
        c = _adjoint(c)
    return tf.cast(c, out)


def det(x):
    x, out = _float(x)
    return tf.cast(tf.linalg.det(x), out)


def eigh(x):
    x, out = _float(x)
    w, v = tf.linalg.eigh(x)
    return tf.cast(w, out), tf.cast(v, out)


def inv(x):
    x, out = _float(x)
    return tf.cast(tf.linalg.inv(x), out)


def lu_factor(x):
    """LU with partial pivoting, written with differentiable ops (tf.linalg.lu has no gradient).

    Row k's pivot is the first row at or below k with the largest |value| in column k, as
    LAPACK's getrf picks it, so (LU, pivots) match scipy.linalg.lu_factor.
    """
    x, out = _float(x)
    n = x.shape[-1]
    if n is None or x.shape[-2] != n:
        raise ValueError(f"lu_factor needs static square matrices, got shape {x.shape}.")
    rows = tf.range(n)
    a = x
    pivots = []
    for k in range(n):
        column = tf.math.abs(a[..., :, k])
        column = tf.where(rows >= k, column, -tf.ones_like(column))
        p = tf.math.argmax(tf.stop_gradient(column), axis=-1, output_type=tf.int32)
        pivots.append(p)
        p_ = p[..., None]
        order = tf.where(rows == k, p_, tf.where(rows == p_, k, rows))
        a = tf.gather(a, order, axis=-2, batch_dims=a.ndim - 2)
        pivot_row = a[..., k, :]
        below = rows > k
        column_k = a[..., :, k]
        factors = tf.where(below, column_k / pivot_row[..., k:k + 1], tf.zeros_like(column_k))
        right = tf.where(rows > k, pivot_row, tf.zeros_like(pivot_row))
        update = factors[..., :, None] * right[..., None, :]
        a = a - update
        in_column = below[:, None] & tf.equal(rows, k)[None, :]
        a = tf.where(in_column, factors[..., :, None], a)
    return tf.cast(a, out), tf.stack(pivots, axis=-1)


def _vector_norm(x, ord, axis, keepdims):
    a = tf.math.abs(x)
    if ord is None or ord == 2:
        return tf.math.sqrt(tf.reduce_sum(tf.math.real(x * tf.math.conj(x)) if x.dtype.is_complex
                                          else tf.math.square(x), axis=axis, keepdims=keepdims))
    if ord == np.inf or ord == "inf":
        return tf.reduce_max(a, axis=axis, keepdims=keepdims)
    if ord == -np.inf or ord == "-inf":
        return tf.reduce_min(a, axis=axis, keepdims=keepdims)
    if ord == 0:
        return tf.reduce_sum(tf.cast(tf.math.not_equal(a, 0), a.dtype), axis=axis,
                             keepdims=keepdims)
    if ord == 1:
        return tf.reduce_sum(a, axis=axis, keepdims=keepdims)
    if isinstance(ord, str):
        raise ValueError(f"Invalid vector norm order {ord!r}.")
    p = tf.cast(ord, a.dtype)
    return tf.math.pow(tf.reduce_sum(tf.math.pow(a, p), axis=axis, keepdims=keepdims), 1.0 / p)


def _matrix_norm(x, ord, axes, keepdims):
    r, c = axes
    a = tf.math.abs(x)
    if ord is None or ord == "fro":
        out = tf.math.sqrt(tf.reduce_sum(tf.math.square(a), axis=[r, c], keepdims=keepdims))
        return out
    if ord in (1, -1):
        s = tf.reduce_sum(a, axis=r, keepdims=True)
        fn = tf.reduce_max if ord == 1 else tf.reduce_min
        out = fn(s, axis=c, keepdims=True)
    elif ord in (np.inf, -np.inf):
        s = tf.reduce_sum(a, axis=c, keepdims=True)
        fn = tf.reduce_max if ord == np.inf else tf.reduce_min
        out = fn(s, axis=r, keepdims=True)
    elif ord in ("nuc", 2, -2):
        moved = tf.transpose(x, [i for i in range(x.ndim) if i not in (r, c)] + [r, c])
        s = tf.linalg.svd(moved, compute_uv=False)
        if ord == "nuc":
            out = tf.reduce_sum(s, axis=-1)
        elif ord == 2:
            out = tf.reduce_max(s, axis=-1)
        else:
            out = tf.reduce_min(s, axis=-1)
        for a_ in sorted((r, c)):
            out = tf.expand_dims(out, a_)
    else:
        raise ValueError(f"Invalid matrix norm order {ord!r}.")
    if not keepdims:
        out = tf.squeeze(out, [r, c])
    return out


def norm(x, ord=None, axis=None, keepdims=False):
    x, out = _float(x)
    ndim = x.ndim
    if axis is None:
        if ord is None:
            flat = tf.reshape(x, [-1])
            n = _vector_norm(flat, None, 0, False)
            if keepdims:
                n = tf.reshape(n, [1] * ndim)
            return tf.cast(n, out)
        axis = tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(canonical_axis(a, ndim) for a in axis)
    if len(axis) == 1:
        return tf.cast(_vector_norm(x, ord, axis[0], keepdims), out)
    if len(axis) == 2:
        return tf.cast(_matrix_norm(x, ord, axis, keepdims), out)
    raise ValueError(f"Improper number of axes for norm: {axis}.")


def qr(x, mode='reduced'):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"qr: mode must be 'reduced' or 'complete', got {mode!r}.")
    x, out = _float(x)
    q, r = tf.linalg.qr(x, full_matrices=mode == "complete")
    return tf.cast(q, out), tf.cast(r, out)


def _solve_inputs(a, b):
    a, out = _float(a)
    b = tf.cast(convert_to_tensor(b), a.dtype)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b[..., None]
    return a, b, out, vector


def solve(a, b):
    a, b, out, vector = _solve_inputs(a, b)
    x = tf.linalg.solve(a, b)
    return tf.cast(x[..., 0] if vector else x, out)


def solve_triangular(a, b, lower=False):
    a, b, out, vector = _solve_inputs(a, b)
    x = tf.linalg.triangular_solve(a, b, lower=lower)
    return tf.cast(x[..., 0] if vector else x, out)


def svd(x, full_matrices=True, compute_uv=True):
    x, out = _float(x)
    if not compute_uv:
        return tf.cast(tf.linalg.svd(x, compute_uv=False), out)
    s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
    return tf.cast(u, out), tf.cast(s, out), tf.cast(_adjoint(v), out)


def lstsq(a, b, rcond=None):
    a, out = _float(a)
    b = tf.cast(convert_to_tensor(b), a.dtype)
    vector = b.ndim == 1
    if vector:
        b = b[:, None]
    if a.ndim != 2:
        raise ValueError("lstsq expects a 2-D matrix `a`.")
    m, n = a.shape
    s, u, v = tf.linalg.svd(a, full_matrices=False)
    if rcond is None:
        rcond = np.finfo(a.dtype.as_numpy_dtype).eps * max(m, n)
    keep = s > tf.cast(rcond, a.dtype) * tf.reduce_max(s)
    s_inv = tf.where(keep, 1.0 / tf.where(keep, s, tf.ones_like(s)), tf.zeros_like(s))
    x = tf.linalg.matmul(v, s_inv[:, None] * tf.linalg.matmul(u, b, transpose_a=True))
    x = x[:, 0] if vector else x
    return tf.cast(x, out)



def _check_matrices(x, op, square=False):
    if x.ndim < 2 or (square and x.shape[-1] != x.shape[-2]):
        kind = "square matrices" if square else "matrices (rank >= 2)"
        raise ValueError(f"{op}: `x` must hold {kind}; received shape {x.shape}.")


def cholesky_inverse(x, upper=False):
    x, out = _float(x)
    _check_matrices(x, "cholesky_inverse", square=True)
    eye = tf.broadcast_to(tf.eye(tf.shape(x)[-1], dtype=x.dtype), tf.shape(x))
    # inv(L L^H) = L^-H L^-1 (U^-1 U^-H for an upper factor)
    factor_inv = tf.linalg.triangular_solve(x, eye, lower=not upper)
    if upper:
        result = tf.linalg.matmul(factor_inv, factor_inv, adjoint_b=True)
    else:
        result = tf.linalg.matmul(factor_inv, factor_inv, adjoint_a=True)
    return tf.cast(result, out)


def eig(x):
    x, out = _float(x)
    _check_matrices(x, "eig", square=True)
    return tf.linalg.eig(x)


def matrix_rank(x, tol=None):
    x, _ = _float(x)
    _check_matrices(x, "matrix_rank")
    s = tf.linalg.svd(x, compute_uv=False)
    if tol is None:
        eps = np.finfo(x.dtype.as_numpy_dtype).eps
        limit = tf.reduce_max(s, axis=-1, keepdims=True) * (max(x.shape[-2:]) * eps)
    else:
        limit = tf.cast(tol, s.dtype)[..., None]
    return tf.reduce_sum(tf.cast(s > limit, "int32"), axis=-1)


def pinv(x, rcond=None):
    x, out = _float(x)
    _check_matrices(x, "pinv")
    return tf.cast(tf.linalg.pinv(x, rcond=rcond), out)


def jvp(fun, primals, tangents, has_aux=False):
    primals = tf.nest.map_structure(convert_to_tensor, tuple(primals))
    tangents = tf.nest.map_structure(lambda t, p: tf.cast(convert_to_tensor(t), p.dtype),
                                     tuple(tangents), primals)
    with tf.autodiff.ForwardAccumulator(tf.nest.flatten(primals),
                                        tf.nest.flatten(tangents)) as acc:
        result = fun(*primals)
        out, aux = result if has_aux else (result, None)
    # outputs that do not depend on the primals get zero tangents, as on jax
    tangents_out = acc.jvp(out, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    return (out, tangents_out, aux) if has_aux else (out, tangents_out)
