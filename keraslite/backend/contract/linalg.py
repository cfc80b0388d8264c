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
