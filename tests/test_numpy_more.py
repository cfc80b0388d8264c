"""keraslite.ops.vectorize (a function transform, outside the op table) against
numpy.vectorize, and the errors of the numpy ops of the windows/splits/number-theory section
(their values, dtypes and gradients are in the op table, tests/op_cases/numpy_cases.py).
"""

import numpy as np
import pytest

from keraslite import ops

X = np.arange(6, dtype="float32").reshape(2, 3) - 2.5
Y = np.array([0.5, -1.0, 2.0], "float32")


def test_elementwise_broadcast():
    def fn(a, b):
        return ops.where(a > b, a * 2.0, b)

    out = ops.vectorize(fn)(X, Y)
    expected = np.vectorize(lambda a, b: a * 2.0 if a > b else b)(X, Y)
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected)
    assert ops.dtype(out) == "float32"


def test_python_scalar_argument():
    out = ops.vectorize(lambda a, b: a + b)([1, 2, 3, 4], 2)
    np.testing.assert_array_equal(ops.convert_to_numpy(out), [3, 4, 5, 6])


def test_signature_matvec_broadcasts_loop_axes():
    a = np.arange(12, dtype="float32").reshape(2, 1, 3, 2) / 4.0
    v = np.array([[1.0, -1.0], [0.5, 2.0], [0.0, 1.0]], "float32")
    out = ops.vectorize(ops.matmul, signature="(m,n),(n)->(m)")(a, v)
    expected = np.vectorize(np.matmul, signature="(m,n),(n)->(m)")(a, v)
    assert expected.shape == (2, 3, 3)
    np.testing.assert_allclose(ops.convert_to_numpy(out), expected, rtol=1e-6)


def test_excluded_arguments_and_tuple_outputs():
    def fn(x, power, scale=1.0):
        assert isinstance(power, int)  # excluded: passed through untouched
        return x**power * scale, x - scale

    vfn = ops.vectorize(fn, excluded={1})
    out = vfn(Y, 3, scale=np.array([2.0, 3.0, 4.0], "float32"))
    assert isinstance(out, tuple) and len(out) == 2
    np.testing.assert_allclose(ops.convert_to_numpy(out[0]), Y**3 * [2.0, 3.0, 4.0], rtol=1e-6)
    np.testing.assert_allclose(ops.convert_to_numpy(out[1]), Y - [2.0, 3.0, 4.0])


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="pyfunc"):
        ops.vectorize(3)
    with pytest.raises(ValueError, match="invalid signature"):
        ops.vectorize(ops.matmul, signature="(m,n)(n)->(m)")
    with pytest.raises(ValueError, match="core dimension 'n'"):
        ops.vectorize(ops.matmul, signature="(m,n),(n)->(m)")(X, Y[:2])
    with pytest.raises(ValueError, match="2 inputs"):
        ops.vectorize(ops.matmul, signature="(m,n),(n)->(m)")(X)


@pytest.mark.parametrize("call, error, words", [
    (lambda: ops.gcd(X, np.array([1, 2, 3], "int32")), ValueError, ("gcd", "`x1`", "float32")),
    (lambda: ops.lcm(np.array([4], "int32"), True), ValueError, ("lcm", "`x2`", "bool")),
    (lambda: ops.ldexp(Y, Y), TypeError, ("ldexp", "`x2`", "float32")),
    (lambda: ops.fabs(np.array([1j], "complex64")), TypeError, ("fabs", "complex")),
    (lambda: ops.vsplit(Y, 3), ValueError, ("vsplit", "rank >= 2")),
    (lambda: ops.dsplit(X, 3), ValueError, ("dsplit", "rank >= 3")),
    (lambda: ops.vander(X), ValueError, ("vander", "1-D")),
    (lambda: ops.view(Y, "float64"), ValueError, ("view", "8 bytes")),
])
def test_bad_numpy_op_inputs_raise(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)
