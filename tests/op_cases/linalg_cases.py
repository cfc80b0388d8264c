"""Op cases: linalg group."""
# ruff: noqa: F403, F405

from op_cases.base import *

# --------------------------------------------------------------------------------------------
# linalg group


def _sym(args, xp):
    a = args[0]
    return (xp.multiply(xp.add(a, xp.swapaxes(a, -1, -2)), 0.5),) + tuple(args[1:])


def _qr_post(out, xp):
    q, r = out
    s = xp.sign(xp.diagonal(r, 0, -2, -1))
    return xp.multiply(q, xp.expand_dims(s, -2)), xp.multiply(r, xp.expand_dims(s, -1))


def _qr_canon(out):
    return _qr_post([np.asarray(o, dtype=np.float64) for o in out], np)


def _svd_post(out, xp):
    u, s, vh = out
    sign = xp.sign(xp.take(u, 0, axis=-2))  # first row of u, one sign per column
    return xp.multiply(u, xp.expand_dims(sign, -2)), s, xp.multiply(vh, xp.expand_dims(sign, -1))


def _svd_canon_full(out):
    u, s, vh = (np.asarray(o, dtype=np.float64) for o in out)
    k = s.shape[-1]
    ur, sr, vr = _svd_post((u[..., :, :k], s, vh[..., :k, :]), np)
    # the remaining columns of u/vh only need to be orthonormal
    return (ur, sr, vr, np.swapaxes(u, -1, -2) @ u, vh @ np.swapaxes(vh, -1, -2))


def _eigh_post(out, xp):
    w, v = out
    sign = xp.sign(xp.take(v, 0, axis=-2))
    return w, xp.multiply(v, xp.expand_dims(sign, -2))


def _eigh_canon(out):
    return _eigh_post([np.asarray(o, dtype=np.float64) for o in out], np)


def _svd(x, full_matrices=True, compute_uv=True):
    return np.linalg.svd(x, full_matrices=full_matrices, compute_uv=compute_uv)


def _lu_factor(x):
    from scipy import linalg

    lu, piv = linalg.lu_factor(x)
    return lu, piv.astype("int32")


def _solve_triangular(a, b, lower=False):
    from scipy import linalg

    return linalg.solve_triangular(a, b, lower=lower)


def _lstsq(a, b, rcond=None):
    return np.linalg.lstsq(a, b, rcond=rcond)[0]


def _chol(x, upper=False):
    l = np.linalg.cholesky(x)
    return np.swapaxes(l, -1, -2) if upper else l


_LA_TOL = dict(rtol=1e-4, atol=1e-4)
la_case("cholesky", lambda: (SPD(3),), _chol, grad_pre=_sym, **_LA_TOL)
la_case("cholesky", lambda: (SPD(3, batch=(2,)),), _chol, kwargs={"upper": True},
        name="batch_upper", grad_pre=_sym, **_LA_TOL)
la_case("det", lambda: (N((3, 3)),), np.linalg.det, **_LA_TOL)
la_case("det", lambda: (N((2, 2, 2)),), np.linalg.det, name="batch", **_LA_TOL)
la_case("eigh", lambda: (SPD(3),), np.linalg.eigh, canon=_eigh_canon, grad_pre=_sym,
        grad_post=_eigh_post, **_LA_TOL)
la_case("inv", lambda: (SPD(3),), np.linalg.inv, **_LA_TOL)
la_case("inv", lambda: (N((2, 3, 3)) + 3 * np.eye(3, dtype="float32"),), np.linalg.inv,
        name="batch", **_LA_TOL)
la_case("lu_factor", lambda: (N((3, 3)),), _lu_factor, dtype=(FLOATX, "int32"), **_LA_TOL)
la_case("norm", lambda: (N((5,)),), np.linalg.norm, name="vector")
la_case("norm", lambda: (N((2, 3)),), np.linalg.norm, kwargs={"axis": 1, "keepdims": True},
        name="axis1_keepdims")
for _ord in (1, 3, np.inf, -np.inf):
    la_case("norm", lambda: (N((5,)),), np.linalg.norm, kwargs={"ord": _ord},
            name=f"vector_ord{_ord}")
la_case("norm", lambda: (N((3, 3)),), np.linalg.norm, name="matrix_default")
for _ord in ("fro", "nuc", 1, -1, 2, -2, np.inf):
    la_case("norm", lambda: (N((3, 3)),), np.linalg.norm, kwargs={"ord": _ord},
            name=f"matrix_{_ord}", **_LA_TOL)
la_case("norm", lambda: (N((2, 3, 3)),), np.linalg.norm, kwargs={"ord": "fro", "axis": (1, 2)},
        name="batch_fro")
la_case("norm", lambda: (np.array([3, 4], "int32"),), np.linalg.norm, name="int32", dtype=FLOATX)
la_case("qr", lambda: (N((4, 3)),), np.linalg.qr, canon=_qr_canon, grad_post=_qr_post,
        name="reduced", **_LA_TOL)
la_case("qr", lambda: (N((2, 3, 3)),), np.linalg.qr, kwargs={"mode": "complete"},
        canon=_qr_canon, grad=False, name="complete_batch", **_LA_TOL)
la_case("solve", lambda: (N((3, 3)) + 3 * np.eye(3, dtype="float32"), N((3, 2), seed=1)),
        np.linalg.solve, **_LA_TOL)
la_case("solve", lambda: (N((2, 3, 3)) + 3 * np.eye(3, dtype="float32"), N((2, 3, 1), seed=1)),
        np.linalg.solve, name="batch", **_LA_TOL)
la_case("solve_triangular", lambda: (np.tril(N((3, 3))) + 3 * np.eye(3, dtype="float32"),
                                     N((3, 2), seed=1)),
        _solve_triangular, kwargs={"lower": True}, name="lower", **_LA_TOL)
la_case("solve_triangular", lambda: (np.triu(N((3, 3))) + 3 * np.eye(3, dtype="float32"),
                                     N((3, 2), seed=1)),
        _solve_triangular, name="upper", **_LA_TOL)
la_case("svd", lambda: (N((4, 3)),), _svd, kwargs={"full_matrices": False}, canon=lambda o: _svd_post([np.asarray(v, np.float64) for v in o], np),
        grad_post=_svd_post, name="reduced", **_LA_TOL)
la_case("svd", lambda: (N((2, 3, 4)),), _svd, canon=_svd_canon_full, grad=False,
        name="full_batch", **_LA_TOL)
la_case("svd", lambda: (N((4, 3)),), _svd, kwargs={"compute_uv": False}, name="values",
        **_LA_TOL)
la_case("lstsq", lambda: (N((5, 3)), N((5, 2), seed=1)), _lstsq, **_LA_TOL)
la_case("lstsq", lambda: (N((5, 3)), N((5,), seed=1)), _lstsq, name="vector_b", **_LA_TOL)



def _cholesky_inverse(x, upper=False):
    f = np.triu(x) if upper else np.tril(x)  # only the factor's triangle is read
    return np.linalg.inv(np.swapaxes(f, -1, -2) @ f if upper else f @ np.swapaxes(f, -1, -2))


def _factor(n, seed, batch=(), upper=False):
    """A Cholesky factor plus noise in the other triangle (which the op must ignore)."""
    f = np.linalg.cholesky(SPD(n, seed=seed, batch=batch).astype(np.float64))
    f = f + np.triu(N(batch + (n, n), seed=seed + 1), 1)
    return (np.swapaxes(f, -1, -2) if upper else f).astype("float32")


la_case("cholesky_inverse", lambda: (_factor(3, 0),), _cholesky_inverse, **_LA_TOL)
la_case("cholesky_inverse", lambda: (_factor(3, 2, batch=(2,), upper=True),), _cholesky_inverse,
        kwargs={"upper": True}, name="batch_upper", **_LA_TOL)


def _eig_canon(out):
    """Eigenpairs sorted by eigenvalue, each eigenvector's largest entry made real positive."""
    w, v = (np.asarray(o, np.complex128) for o in out)
    w_flat, v_flat = w.reshape(-1, w.shape[-1]), v.reshape(-1, *v.shape[-2:])
    ws, vs = [], []
    for wi, vi in zip(w_flat, v_flat):
        order = np.lexsort((np.round(wi.imag, 4), np.round(wi.real, 4)))
        wi, vi = wi[order], vi[:, order]
        big = vi[np.argmax(np.abs(vi), axis=0), np.arange(vi.shape[1])]
        ws.append(wi)
        vs.append(vi * (np.abs(big) / big))
    return np.reshape(ws, w.shape), np.reshape(vs, v.shape)


la_case("eig", lambda: (N((4, 4), seed=3),), np.linalg.eig, canon=_eig_canon,
        dtype=("complex64", "complex64"), name="complex_pairs", **_LA_TOL)
la_case("eig", lambda: (SPD(3, batch=(2,)) + np.triu(N((2, 3, 3), seed=1), 1),), np.linalg.eig,
        canon=_eig_canon, dtype=("complex64", "complex64"), name="batch", **_LA_TOL)
la_case("eig", lambda: (SPD(3, dtype="float64"),), np.linalg.eig, canon=_eig_canon,
        dtype=("complex128", "complex128"), name="float64", **_LA_TOL)


def _low_rank():
    """Integer matrices of rank 2 (exact in float32), one of them with a zero row."""
    a = I((2, 4, 2), -3, 4) @ I((2, 2, 3), -3, 4, seed=1)
    a[1, 0] = 0
    return (a.astype("float32"),)


la_case("matrix_rank", _low_rank, np.linalg.matrix_rank)
la_case("matrix_rank", lambda: (np.diag([2.0, 0.5, 1e-3]).astype("float32"),),
        np.linalg.matrix_rank, kwargs={"tol": 1e-2}, dtype="int32", name="tol")
la_case("matrix_rank", lambda: (np.array([[1, 2], [2, 4]], "int32"),), np.linalg.matrix_rank,
        dtype="int32", name="int32")


def _pinv(x, rcond=None):
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    if rcond is None:
        rcond = 10 * max(x.shape[-2:]) * np.finfo(np.float32).eps
    keep = s > rcond * s.max(-1, keepdims=True)
    s_inv = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
    return np.swapaxes(vh, -1, -2) @ (s_inv[..., None] * np.swapaxes(u, -1, -2))


def _with_singular_values(values, seed=0):
    q1, _ = np.linalg.qr(N((4, 4), seed=seed).astype(np.float64))
    q2, _ = np.linalg.qr(N((3, 3), seed=seed + 1).astype(np.float64))
    return (q1[:, :3] * np.asarray(values)) @ q2.T


la_case("pinv", lambda: (N((4, 3)),), _pinv, **_LA_TOL)
la_case("pinv", lambda: (N((2, 2, 3)),), _pinv, name="batch_wide", **_LA_TOL)
la_case("pinv", lambda: (_with_singular_values([2.0, 0.5, 1e-3]).astype("float32"),), _pinv,
        kwargs={"rcond": 1e-2}, grad=False, name="rcond", **_LA_TOL)


# jvp takes a function: this one uses Python operators only, so the same function runs on
# every backend's tensors (tests/test_ops_extra.py covers keraslite ops, aux and nesting).
def _jvp_fun(x, y):
    return x * x * y + y


def _jvp_ref(fun, primals, tangents, has_aux=False):
    (x, y), (tx, ty) = primals, tangents
    return fun(x, y), 2 * x * y * tx + (x * x + 1) * ty


la_case("jvp", lambda: (_jvp_fun, (N((2, 3)), N((2, 3), seed=1)),
                        (N((2, 3), seed=2), N((2, 3), seed=3))), _jvp_ref)
