"""Linear algebra on the last two axes of batched matrices (float inputs; ints become floatx).
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=True)
def cholesky(x, upper=False):
    """Lower (or upper) Cholesky factor."""

@op("custom", grad=True)
def det(x):
    """Determinant of square matrices."""

@op("custom", grad=True)
def eigh(x):
    """(eigenvalues, eigenvectors) of symmetric matrices, ascending."""

@op("custom", grad=True)
def inv(x):
    """Matrix inverse."""

@op("custom", grad=True)
def lu_factor(x):
    """(LU, pivots int32) as scipy.linalg.lu_factor (pivots 0-based)."""

@op("custom", grad=True)
def norm(x, ord=None, axis=None, keepdims=False):
    """Vector or matrix norm as numpy.linalg.norm (ord, axis, keepdims)."""

@op("custom", grad=True)
def qr(x, mode='reduced'):
    """(q, r) with mode 'reduced' or 'complete'."""

@op("custom", grad=True)
def solve(a, b):
    """x with a @ x = b."""

@op("custom", grad=True)
def solve_triangular(a, b, lower=False):
    """x with a @ x = b for triangular a (lower flag)."""

@op("custom", grad=True)
def svd(x, full_matrices=True, compute_uv=True):
    """(u, s, vh), or s alone when compute_uv=False."""

@op("custom", grad=True)
def lstsq(a, b, rcond=None):
    """Least-squares solution of a @ x = b."""

@op("custom", grad=True)
def cholesky_inverse(x, upper=False):
    """inv(L @ L^H) from a lower Cholesky factor L (or inv(U^H @ U) from an upper one with
    upper=True); only that triangle of x is read. Ints become floatx."""

@op("custom", grad=False)
def eig(x):
    """(eigenvalues, eigenvectors) of general square matrices, complex64 (complex128 for
    float64 inputs); eigenvectors are unit columns, their order and phase as the framework
    gives them. Not differentiable."""

@op("custom", grad=False)
def jvp(fun, primals, tangents, has_aux=False):
    """Forward-mode (primals_out, tangents_out) of fun(*primals) along tangents (same structure
    as primals, cast to the primals' dtypes); with has_aux, fun returns (out, aux) and the
    result is (primals_out, tangents_out, aux)."""

@op("custom", grad=False)
def matrix_rank(x, tol=None):
    """int32 number of singular values above tol (default: largest singular value times
    max(M, N) times the dtype's eps), per matrix of a rank >= 2 input."""

@op("custom", grad=True)
def pinv(x, rcond=None):
    """Moore-Penrose pseudo-inverse (..., N, M) of (..., M, N) matrices; singular values below
    rcond times the largest are dropped (default rcond: 10 * max(M, N) * eps, as jax)."""
