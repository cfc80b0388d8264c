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

