"""Numpy-like math. Unless a rule says otherwise, ops follow numpy's semantics for shapes and
broadcasting and Keras 3's dtype promotion (``keraslite.backend.dtypes.result_type``).
"""
from keraslite.backend.contract.spec import op


@op("unary_float", grad=True)
def arccos(x):
    """Element-wise arccos. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def arccosh(x):
    """Element-wise arccosh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def arcsin(x):
    """Element-wise arcsin. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def arcsinh(x):
    """Element-wise arcsinh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def arctan(x):
    """Element-wise arctan. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def arctanh(x):
    """Element-wise arctanh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def cos(x):
    """Element-wise cos. Float inputs keep their dtype; int and bool compute in floatx (int64 too)."""

@op("unary_float", grad=True)
def cosh(x):
    """Element-wise cosh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def sin(x):
    """Element-wise sin. Float inputs keep their dtype; int and bool compute in floatx (int64 too)."""

@op("unary_float", grad=True)
def sinh(x):
    """Element-wise sinh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def tan(x):
    """Element-wise tan. Float inputs keep their dtype; int and bool compute in floatx (int64 too)."""

@op("unary_float", grad=True)
def tanh(x):
    """Element-wise tanh. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def exp(x):
    """Element-wise exp. Float inputs keep their dtype; int and bool compute in floatx (int64 too)."""

@op("unary_float", grad=True)
def exp2(x):
    """Element-wise exp2. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def expm1(x):
    """Element-wise expm1. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def log(x):
    """Element-wise log. Float inputs keep their dtype; int and bool compute in floatx (int64 too)."""

@op("unary_float", grad=True)
def log10(x):
    """Element-wise log10. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def log1p(x):
    """Element-wise log1p. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def log2(x):
    """Element-wise log2. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def sqrt(x):
    """Element-wise sqrt. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def cbrt(x):
    """Element-wise cbrt. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def reciprocal(x):
    """Element-wise reciprocal. Float inputs keep their dtype; int and bool compute in floatx
    (int64 too)."""

@op("unary_float", grad=True)
def deg2rad(x):
    """Element-wise deg2rad. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("unary_float", grad=True)
def rad2deg(x):
    """Element-wise rad2deg. Float inputs keep their dtype; int and bool compute in floatx (int64
    too)."""

@op("same", grad=True)
def abs(x):
    """Element-wise abs; output dtype equals the input dtype (bool: see Keras rules)."""

@op("same", grad=True)
def absolute(x):
    """Element-wise absolute; output dtype equals the input dtype (bool: see Keras rules)."""

@op("same", grad=True)
def negative(x):
    """Element-wise negative; output dtype equals the input dtype (bool: see Keras rules)."""

@op("same", grad=True)
def square(x):
    """Element-wise square; output dtype equals the input dtype (bool: see Keras rules)."""

@op("same", grad=True)
def sign(x):
    """Element-wise sign; output dtype equals the input dtype (bool: see Keras rules)."""

@op("unary_float", grad=False)
def ceil(x):
    """Element-wise ceil; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=False)
def floor(x):
    """Element-wise floor; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=False)
def round(x, decimals=0):
    """Element-wise round; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=False)
def trunc(x):
    """Element-wise trunc; float inputs keep their dtype, ints become floatx."""

@op("promote", grad=True)
def add(x1, x2):
    """Element-wise add with broadcasting; dtype = result_type(x1, x2) (Python scalars are weak)."""

@op("promote", grad=True)
def subtract(x1, x2):
    """Element-wise subtract with broadcasting; dtype = result_type(x1, x2) (Python scalars are
    weak)."""

@op("promote", grad=True)
def multiply(x1, x2):
    """Element-wise multiply with broadcasting; dtype = result_type(x1, x2) (Python scalars are
    weak)."""

@op("promote", grad=True)
def maximum(x1, x2):
    """Element-wise maximum with broadcasting; dtype = result_type(x1, x2) (Python scalars are
    weak)."""

@op("promote", grad=True)
def minimum(x1, x2):
    """Element-wise minimum with broadcasting; dtype = result_type(x1, x2) (Python scalars are
    weak)."""

@op("promote", grad=True)
def power(x1, x2):
    """x1 ** x2 with broadcasting; dtype = result_type(x1, x2)."""

@op("promote", grad=False)
def mod(x1, x2):
    """Element-wise mod (numpy semantics: sign follows the divisor); dtype = result_type(x1, x2)."""

@op("promote", grad=False)
def floor_divide(x1, x2):
    """Element-wise floor_divide (numpy semantics: sign follows the divisor); dtype =
    result_type(x1, x2)."""

@op("promote_float", grad=True)
def divide(x1, x2):
    """Element-wise divide with broadcasting; dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def true_divide(x1, x2):
    """Element-wise true_divide with broadcasting; dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def arctan2(x1, x2):
    """Element-wise arctan2 with broadcasting; dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def logaddexp(x1, x2):
    """Element-wise logaddexp with broadcasting; dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def hypot(x1, x2):
    """Element-wise hypot with broadcasting; dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def divide_no_nan(x1, x2):
    """x1 / x2, and 0 where x2 == 0; dtype = result_type(x1, x2, float)."""

@op("bool", grad=False)
def equal(x1, x2):
    """Element-wise equal with broadcasting; returns bool."""

@op("bool", grad=False)
def not_equal(x1, x2):
    """Element-wise not_equal with broadcasting; returns bool."""

@op("bool", grad=False)
def greater(x1, x2):
    """Element-wise greater with broadcasting; returns bool."""

@op("bool", grad=False)
def greater_equal(x1, x2):
    """Element-wise greater_equal with broadcasting; returns bool."""

@op("bool", grad=False)
def less(x1, x2):
    """Element-wise less with broadcasting; returns bool."""

@op("bool", grad=False)
def less_equal(x1, x2):
    """Element-wise less_equal with broadcasting; returns bool."""

@op("bool", grad=False)
def logical_and(x1, x2):
    """Element-wise logical_and with broadcasting; returns bool."""

@op("bool", grad=False)
def logical_or(x1, x2):
    """Element-wise logical_or with broadcasting; returns bool."""

@op("bool", grad=False)
def logical_xor(x1, x2):
    """Element-wise logical_xor with broadcasting; returns bool."""

@op("bool", grad=False)
def logical_not(x):
    """Element-wise logical_not; returns bool."""

@op("bool", grad=False)
def isnan(x):
    """Element-wise isnan; returns bool."""

@op("bool", grad=False)
def isinf(x):
    """Element-wise isinf; returns bool."""

@op("bool", grad=False)
def isfinite(x):
    """Element-wise isfinite; returns bool."""

@op("bool", grad=False)
def isclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise |x1 - x2| <= atol + rtol * |x2|; returns bool."""

@op("custom", grad=True)
def sum(x, axis=None, keepdims=False):
    """Reduction sum over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of ints
    give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def prod(x, axis=None, keepdims=False, dtype=None):
    """Reduction prod over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of
    ints give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def mean(x, axis=None, keepdims=False):
    """Reduction mean over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of
    ints give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def max(x, axis=None, keepdims=False, initial=None):
    """Reduction max over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of ints
    give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def min(x, axis=None, keepdims=False, initial=None):
    """Reduction min over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of ints
    give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def amax(x, axis=None, keepdims=False):
    """Reduction amax over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of
    ints give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def amin(x, axis=None, keepdims=False):
    """Reduction amin over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of
    ints give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def std(x, axis=None, keepdims=False):
    """Reduction std over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of ints
    give floatx; sum/prod of bool and small ints give int32)."""

@op("custom", grad=True)
def var(x, axis=None, keepdims=False):
    """Reduction var over axis (None: all) with keepdims; dtype follows Keras (mean/std/var of ints
    give floatx; sum/prod of bool and small ints give int32)."""

@op("bool", grad=False)
def all(x, axis=None, keepdims=False):
    """Logical all reduction over axis with keepdims; returns bool."""

@op("bool", grad=False)
def any(x, axis=None, keepdims=False):
    """Logical any reduction over axis with keepdims; returns bool."""

@op("custom", grad=False)
def argmax(x, axis=None, keepdims=False):
    """Index of the argmax along axis (None: flattened) with keepdims; int32."""

@op("custom", grad=False)
def argmin(x, axis=None, keepdims=False):
    """Index of the argmin along axis (None: flattened) with keepdims; int32."""

@op("custom", grad=False)
def argsort(x, axis=-1):
    """Indices that sort x along axis; int32."""

@op("same", grad=True)
def sort(x, axis=-1):
    """x sorted along axis."""

@op("custom", grad=True)
def cumsum(x, axis=None, dtype=None):
    """Cumulative cumsum along axis (None: flattened); optional dtype; bool becomes int32."""

@op("custom", grad=True)
def cumprod(x, axis=None, dtype=None):
    """Cumulative cumprod along axis (None: flattened); optional dtype; bool becomes int32."""

@op("custom", grad=True)
def matmul(x1, x2):
    """Matrix product with numpy broadcasting; dtype = result_type(x1, x2) (int8 x int8 gives
    int32)."""

@op("custom", grad=True)
def dot(x1, x2):
    """numpy.dot semantics; dtype = result_type of the inputs."""

@op("custom", grad=True)
def tensordot(x1, x2, axes=2):
    """numpy.tensordot semantics; dtype = result_type of the inputs."""

@op("custom", grad=True)
def einsum(subscripts, *operands, **kwargs):
    """numpy.einsum semantics; dtype = result_type of the inputs."""

@op("custom", grad=True)
def outer(x1, x2):
    """numpy.outer semantics; dtype = result_type of the inputs."""

@op("custom", grad=True)
def inner(x1, x2):
    """numpy.inner semantics; dtype = result_type of the inputs."""

@op("same", grad=True)
def reshape(x, newshape):
    """x with `newshape` (one -1 allowed)."""

@op("same", grad=True)
def transpose(x, axes=None):
    """Axes permuted (reversed when axes is None)."""

@op("same", grad=True)
def expand_dims(x, axis):
    """numpy.expand_dims semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def squeeze(x, axis=None):
    """numpy.squeeze semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def ravel(x):
    """numpy.ravel semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def flip(x, axis=None):
    """numpy.flip semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def moveaxis(x, source, destination):
    """numpy.moveaxis semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def swapaxes(x, axis1, axis2):
    """numpy.swapaxes semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def roll(x, shift, axis=None):
    """numpy.roll semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def repeat(x, repeats, axis=None):
    """numpy.repeat semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def tile(x, repeats):
    """numpy.tile semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def broadcast_to(x, shape):
    """numpy.broadcast_to semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def copy(x):
    """numpy.copy semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def diagonal(x, offset=0, axis1=0, axis2=1):
    """numpy.diagonal semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def diag(x, k=0):
    """numpy.diag semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def tril(x, k=0):
    """numpy.tril semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def triu(x, k=0):
    """numpy.triu semantics; output dtype equals the input dtype."""

@op("same", grad=True)
def pad(x, pad_width, mode='constant', constant_values=None):
    """numpy.pad semantics; output dtype equals the input dtype."""

@op("promote", grad=True)
def concatenate(xs, axis=0):
    """numpy.concatenate semantics; dtype = result_type of all inputs."""

@op("promote", grad=True)
def stack(x, axis=0):
    """numpy.stack semantics; dtype = result_type of all inputs."""

@op("promote", grad=True)
def hstack(xs):
    """numpy.hstack semantics; dtype = result_type of all inputs."""

@op("promote", grad=True)
def vstack(xs):
    """numpy.vstack semantics; dtype = result_type of all inputs."""

@op("promote", grad=True)
def append(x1, x2, axis=None):
    """numpy.append semantics; dtype = result_type of all inputs."""

@op("same", grad=True)
def split(x, indices_or_sections, axis=0):
    """List of sub-tensors (numpy.split semantics: count or indices)."""

@op("custom", grad=True)
def take(x, indices, axis=None):
    """numpy.take semantics; indices are ints; negative indices wrap."""

@op("custom", grad=True)
def take_along_axis(x, indices, axis=None):
    """numpy.take_along_axis semantics; indices are ints; negative indices wrap."""

@op("custom", grad=True)
def where(condition, x1=None, x2=None):
    """Elements of x1 where condition else x2 (dtype result_type(x1, x2)); with only condition,
    like nonzero."""

@op("custom", grad=True)
def clip(x, x_min, x_max):
    """x limited to [x_min, x_max]; bool input becomes int32, otherwise the input dtype."""

@op("custom", grad=False)
def zeros(shape, dtype=None):
    """New tensor of `shape` filled with zeros (empty: any values); dtype defaults to floatx."""

@op("custom", grad=False)
def ones(shape, dtype=None):
    """New tensor of `shape` filled with ones (empty: any values); dtype defaults to floatx."""

@op("custom", grad=False)
def empty(shape, dtype=None):
    """New tensor of `shape` filled with empty (empty: any values); dtype defaults to floatx."""

@op("custom", grad=False)
def full(shape, fill_value, dtype=None):
    """New tensor of `shape` filled with fill_value; dtype defaults to the fill value's type."""

@op("custom", grad=False)
def zeros_like(x, dtype=None):
    """numpy.zeros_like; dtype defaults to that of x."""

@op("custom", grad=False)
def ones_like(x, dtype=None):
    """numpy.ones_like; dtype defaults to that of x."""

@op("custom", grad=False)
def full_like(x, fill_value, dtype=None):
    """numpy.full_like; dtype defaults to that of x."""

@op("custom", grad=False)
def empty_like(x, dtype=None):
    """numpy.empty_like; dtype defaults to that of x."""

@op("custom", grad=False)
def eye(N, M=None, k=0, dtype=None):
    """numpy.eye; dtype defaults to floatx."""

@op("custom", grad=False)
def identity(n, dtype=None):
    """numpy.identity; dtype defaults to floatx."""

@op("custom", grad=False)
def tri(N, M=None, k=0, dtype=None):
    """numpy.tri; dtype defaults to floatx."""

@op("custom", grad=False)
def arange(start, stop=None, step=None, dtype=None):
    """Evenly spaced values in [start, stop); dtype inferred from the arguments like Keras (ints ->
    int32, floats -> floatx)."""

@op("custom", grad=False)
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """numpy.linspace semantics; float output (floatx unless dtype)."""

@op("custom", grad=False)
def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    """numpy.logspace semantics; float output (floatx unless dtype)."""

@op("custom", grad=False)
def meshgrid(*x, indexing='xy'):
    """numpy.meshgrid with indexing 'xy' or 'ij'."""

@op("custom", grad=False)
def nonzero(x):
    """Tuple of int32 index tensors, one per dimension."""

@op("custom", grad=False)
def count_nonzero(x, axis=None):
    """Number of non-zero entries over axis; int32."""

@op("custom", grad=False)
def bincount(x, weights=None, minlength=0, sparse=False):
    """Counts (or summed weights) of each non-negative int; minlength pads."""

@op("custom", grad=False)
def digitize(x, bins):
    """Bin index of each value for monotonic increasing bins; int32."""

@op("custom", grad=True)
def diff(a, n=1, axis=-1):
    """n-th discrete difference along axis."""

@op("custom", grad=True)
def trace(x, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal; bool/small ints sum as int32."""

@op("custom", grad=False)
def size(x):
    """Python int: number of size of x."""

@op("custom", grad=False)
def ndim(x):
    """Python int: number of ndim of x."""

@op("custom", grad=True)
def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    """NaN/inf replaced by nan/posinf/neginf values; dtype unchanged."""

@op("custom", grad=True)
def average(x, axis=None, weights=None):
    """Weighted mean along axis; float output."""

@op("custom", grad=True)
def median(x, axis=None, keepdims=False):
    """numpy.median semantics (linear interpolation); float output."""

@op("custom", grad=True)
def quantile(x, q, axis=None, method='linear', keepdims=False):
    """numpy.quantile semantics (linear interpolation); float output."""

@op("custom", grad=True)
def array(x, dtype=None):
    """Tensor from x with optional dtype (like convert_to_tensor)."""

@op("custom", grad=True)
def get_item(x, key):
    """x[key] for int, slice, None, Ellipsis and tensor keys."""

@op("custom", grad=False)
def allclose(x1, x2, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Python-bool-like scalar tensor: isclose everywhere."""

@op("custom", grad=False)
def isin(x1, x2, assume_unique=False, invert=False):
    """Element-wise membership of x1 in x2; bool."""

@op("promote", grad=False)
def bitwise_and(x, y):
    """Element-wise bitwise_and on int/bool inputs; dtype = result_type(x, y)."""

@op("promote", grad=False)
def bitwise_or(x, y):
    """Element-wise bitwise_or on int/bool inputs; dtype = result_type(x, y)."""

@op("promote", grad=False)
def bitwise_xor(x, y):
    """Element-wise bitwise_xor on int/bool inputs; dtype = result_type(x, y)."""

@op("same", grad=False)
def bitwise_invert(x):
    """Element-wise bitwise NOT of an int/bool tensor."""

@op("same", grad=False)
def bitwise_not(x):
    """Element-wise bitwise NOT of an int/bool tensor."""

@op("custom", grad=True)
def vdot(x1, x2):
    """Dot product of flattened inputs."""

@op("custom", grad=True)
def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """numpy.cross of 3-vectors (or 2-vectors) along the given axes."""

@op("custom", grad=True)
def conj(x):
    """numpy.conj (real inputs: real part is x, imaginary part is zeros)."""

@op("custom", grad=True)
def conjugate(x):
    """numpy.conjugate (real inputs: real part is x, imaginary part is zeros)."""

@op("custom", grad=True)
def real(x):
    """numpy.real (real inputs: real part is x, imaginary part is zeros)."""

@op("custom", grad=True)
def imag(x):
    """numpy.imag (real inputs: real part is x, imaginary part is zeros)."""

@op("same", grad=True)
def fliplr(x):
    """numpy.fliplr semantics."""

@op("same", grad=True)
def flipud(x):
    """numpy.flipud semantics."""

@op("same", grad=True)
def rot90(array, k=1, axes=(0, 1)):
    """numpy.rot90 semantics."""

@op("custom", grad=False)
def searchsorted(sorted_sequence, values, side='left'):
    """Insertion indices keeping sorted_sequence ordered; int32 (int64 for very long sequences)."""

@op("custom", grad=True)
def select(condlist, choicelist, default=0):
    """Elements from choicelist by the first true condition, else default."""

@op("custom", grad=True)
def array_split(x, indices_or_sections, axis=0):
    """Like split, sections may differ in size by one."""

@op("custom", grad=True)
def heaviside(x1, x2):
    """Step function: 0 for x1<0, x2 at 0, 1 for x1>0."""

@op("custom", grad=False)
def signbit(x):
    """True where the sign bit is set (negative values and -0.0)."""

@op("custom", grad=True)
def fmod(x1, x2):
    """C-style remainder (sign of the dividend); dtype = result_type(x1, x2)."""

@op("custom", grad=False)
def left_shift(x, y):
    """Element-wise integer left_shift."""

@op("custom", grad=False)
def right_shift(x, y):
    """Element-wise integer right_shift."""

@op("custom", grad=False)
def bitwise_left_shift(x, y):
    """Element-wise integer bitwise_left_shift."""

@op("custom", grad=False)
def bitwise_right_shift(x, y):
    """Element-wise integer bitwise_right_shift."""


@op("custom", grad=False)
def nanargmax(x, axis=None, keepdims=False):
    """argmax ignoring NaNs; int32. An all-NaN slice gives -1 (numpy raises there)."""

@op("custom", grad=False)
def nanargmin(x, axis=None, keepdims=False):
    """argmin ignoring NaNs; int32. An all-NaN slice gives -1 (numpy raises there)."""

@op("custom", grad=True)
def nancumprod(x, axis=None, dtype=None):
    """cumprod with NaNs counted as 1; dtype as cumprod (optional dtype; bool becomes int32)."""

@op("custom", grad=True)
def nancumsum(x, axis=None, dtype=None):
    """cumsum with NaNs counted as 0; dtype as cumsum (optional dtype; bool becomes int32)."""

@op("custom", grad=True)
def nanmax(x, axis=None, keepdims=False):
    """max ignoring NaNs; an all-NaN slice gives NaN. dtype = result_type(x) (64-bit inputs give
    32-bit results; bool stays bool)."""

@op("custom", grad=True)
def nanmean(x, axis=None, keepdims=False):
    """mean of the non-NaN values; an all-NaN slice gives NaN. dtype = result_type(x, float)."""

@op("custom", grad=True)
def nanmedian(x, axis=None, keepdims=False):
    """median of the non-NaN values (linear interpolation); an all-NaN slice gives NaN.
    dtype = result_type(x, float)."""

@op("custom", grad=True)
def nanmin(x, axis=None, keepdims=False):
    """min ignoring NaNs; an all-NaN slice gives NaN. dtype = result_type(x) (64-bit inputs give
    32-bit results; bool stays bool)."""

@op("custom", grad=True)
def nanpercentile(x, q, axis=None, method='linear', keepdims=False):
    """nanquantile with q in percent (0 to 100)."""

@op("custom", grad=True)
def nanprod(x, axis=None, keepdims=False):
    """prod with NaNs counted as 1 (an all-NaN slice gives 1); dtype as prod (bool and small
    ints give int32, uint8/uint16 give uint32)."""

@op("custom", grad=True)
def nanquantile(x, q, axis=None, method='linear', keepdims=False):
    """quantile of the non-NaN values, same methods and output shape as quantile (q axes first);
    an all-NaN slice gives NaN. dtype = result_type(x, float)."""

@op("custom", grad=True)
def nanstd(x, axis=None, keepdims=False):
    """Population std of the non-NaN values; an all-NaN slice gives NaN. dtype = result_type(x,
    float)."""

@op("custom", grad=True)
def nansum(x, axis=None, keepdims=False):
    """sum with NaNs counted as 0 (an all-NaN slice gives 0); dtype as sum (64-bit inputs narrow
    to 32 bits; bool and small ints give int32, uint8/uint16 give uint32)."""

@op("custom", grad=True)
def nanvar(x, axis=None, keepdims=False):
    """Population variance of the non-NaN values; an all-NaN slice gives NaN. dtype =
    result_type(x, float)."""

@op("custom", grad=True)
def percentile(x, q, axis=None, method='linear', keepdims=False):
    """quantile with q in percent (0 to 100); dtype as quantile."""

@op("custom", grad=True)
def ptp(x, axis=None, keepdims=False):
    """Peak to peak, max - min over axis (None: all) with keepdims; dtype of x. Bool inputs raise
    TypeError (numpy cannot subtract bools)."""

@op("custom", grad=False)
def histogram(x, bins=10, range=None):
    """(counts, bin_edges) of a 1-D x over `bins` equal-width bins (int >= 0) spanning `range`
    (a tuple (low, high); None: x.min() to x.max(), widened by 0.5 each side when they are
    equal). Values outside range are dropped; the last bin includes its right edge. Both outputs
    are float: x's dtype for float x, floatx otherwise."""

@op("custom", grad=True)
def corrcoef(x):
    """Pearson correlation coefficients of the rows of x (1-D: one variable, scalar result),
    clipped to [-1, 1]; shape (rows, rows). dtype = result_type(x, float), float64 for int64."""

@op("custom", grad=True)
def correlate(x1, x2, mode='valid'):
    """Cross-correlation of two 1-D tensors, c[k] = sum_n x1[n + k] * x2[n], for mode 'valid'
    (length max - min + 1), 'same' (length max(len1, len2)) or 'full' (len1 + len2 - 1), as
    numpy.correlate. dtype: result_type(x1, x2) when float16, bfloat16 or float64; float64 for
    int64; float32 otherwise."""

@op("custom", grad=False)
def unique(x, sorted=True, return_index=False, return_inverse=False, return_counts=False,
           axis=None, size=None, fill_value=None):
    """Sorted unique values of x (flattened when axis is None; with an int axis, the distinct
    slices along that axis, in lexicographic order). Optional int32 outputs, in this order: the
    index of each value's first occurrence, the inverse (shape of x for axis=None, else
    (x.shape[axis],)) such that values taken at inverse rebuild x, and the counts. Returns one
    tensor, or a tuple when any of them is requested. The number of values depends on the data,
    so without `size` the op runs eagerly (not under jit or on symbolic inputs). With `size`
    the output length is fixed: values are truncated to the first `size`, or padded with
    `fill_value` (default 0), their indices with 0 and their counts with 0. `sorted=False`
    allows any order; keraslite always returns sorted values."""

@op("custom", grad=False)
def argpartition(x, kth, axis=-1):
    """int32 indices that partition x along axis (None: flattened) around kth (an int or a list
    of ints): the element of sorted rank kth is at position kth, smaller ones before, larger
    ones after (the order within each side is unspecified)."""

@op("custom", grad=True)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """Integral of y along axis by the trapezoidal rule, with sample points x (1-D of length
    y.shape[axis], or y's shape) or the spacing dx. dtype = result_type(y, float)."""


# --- nan-aware reductions and statistics (add these ops above this line) ---


@op("unary_float", grad=False)
def angle(x):
    """Element-wise angle (argument) in radians: 0 or pi for real inputs, as numpy.angle. Float
    inputs keep their dtype (complex gives its real counterpart); int and bool give floatx."""

@op("custom", grad=False)
def bartlett(x):
    """Bartlett (triangular) window of `x` points (an int), as numpy.bartlett; floatx."""

@op("custom", grad=False)
def blackman(x):
    """Blackman window of `x` points (an int), as numpy.blackman; floatx."""

@op("custom", grad=False)
def hamming(x):
    """Hamming window of `x` points (an int), as numpy.hamming; floatx."""

@op("custom", grad=False)
def hanning(x):
    """Hann window of `x` points (an int), as numpy.hanning; floatx."""

@op("custom", grad=False)
def kaiser(x, beta):
    """Kaiser window of `x` points (an int) with shape parameter `beta`, as numpy.kaiser;
    floatx."""

@op("same", grad=True)
def diagflat(x, k=0):
    """2-D tensor with the flattened x on its k-th diagonal (numpy.diagflat)."""

@op("same", grad=True)
def dsplit(x, indices_or_sections):
    """split along axis 2 (x needs rank >= 3), as numpy.dsplit."""

@op("promote", grad=True)
def dstack(xs):
    """Inputs stacked along a third axis after making them at least 3-D (numpy.dstack); dtype =
    result_type of all inputs."""

@op("same", grad=True)
def hsplit(x, indices_or_sections):
    """split along axis 1 (axis 0 for 1-D x), as numpy.hsplit."""

@op("same", grad=True)
def vsplit(x, indices_or_sections):
    """split along axis 0 (x needs rank >= 2), as numpy.vsplit."""

@op("unary_float", grad=True)
def fabs(x):
    """Element-wise absolute value as a float: float inputs keep their dtype, int and bool give
    floatx; complex inputs raise TypeError."""

@op("promote", grad=True)
def fmax(x1, x2):
    """Element-wise maximum that ignores NaN (NaN only where both are NaN); dtype =
    result_type(x1, x2)."""

@op("promote", grad=True)
def fmin(x1, x2):
    """Element-wise minimum that ignores NaN (NaN only where both are NaN); dtype =
    result_type(x1, x2)."""

@op("promote", grad=False)
def gcd(x1, x2):
    """Element-wise greatest common divisor (non-negative) of integer tensors; dtype =
    result_type(x1, x2). Float or bool inputs raise ValueError."""

@op("promote", grad=False)
def lcm(x1, x2):
    """Element-wise least common multiple (non-negative, 0 when either is 0) of integer tensors;
    dtype = result_type(x1, x2). Float or bool inputs raise ValueError."""

@op("custom", grad=False)
def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    """numpy.geomspace semantics (both bounds negative gives negative values); float output
    (result_type(start, stop, float) unless dtype)."""

@op("custom", grad=True)
def i0(x):
    """Element-wise modified Bessel function of the first kind, order 0. Float inputs keep their
    dtype, int64 gives float64, other ints and bool give floatx."""

@op("bool", grad=False)
def isneginf(x):
    """Element-wise x == -inf; returns bool (False for int and bool inputs)."""

@op("bool", grad=False)
def isposinf(x):
    """Element-wise x == +inf; returns bool (False for int and bool inputs)."""

@op("bool", grad=False)
def isreal(x):
    """Element-wise imaginary part == 0; returns bool (True everywhere for real dtypes)."""

@op("promote", grad=True)
def kron(x1, x2):
    """Kronecker product (numpy.kron: the lower-rank input gets leading axes of size 1); dtype =
    result_type(x1, x2)."""

@op("promote_float", grad=True)
def ldexp(x1, x2):
    """x1 * 2**x2 element-wise; x2 must be an integer tensor or Python int (else TypeError);
    dtype = result_type(x1, x2, float)."""

@op("promote_float", grad=True)
def logaddexp2(x1, x2):
    """log2(2**x1 + 2**x2) element-wise, computed without overflow; dtype = result_type(x1, x2,
    float)."""

@op("promote_float", grad=False)
def nextafter(x1, x2):
    """Next representable float after x1 towards x2, in dtype = result_type(x1, x2, float)."""

@op("unary_float", grad=True)
def sinc(x):
    """Normalized sinc, sin(pi x) / (pi x), with sinc(0) = 1. Float inputs keep their dtype; int
    and bool give floatx."""

@op("custom", grad=True)
def slogdet(x):
    """(sign, log|det|) of square matrices (batched over leading axes), as numpy.linalg.slogdet;
    float inputs keep their dtype, ints give floatx."""

@op("custom", grad=False)
def unravel_index(indices, shape):
    """Tuple of coordinate tensors, one per dimension of `shape`, for flat `indices` (numpy
    .unravel_index); dtype = result_type(indices.dtype), so int32 for int32 and int64."""

@op("same", grad=True)
def vander(x, N=None, increasing=False):
    """Vandermonde matrix of the 1-D x with N columns (default len(x)): powers decreasing from
    N-1, or increasing from 0 (numpy.vander); output dtype equals the input dtype."""

@op("custom", grad=False)
def view(x, dtype=None):
    """x's bytes reinterpreted as `dtype` (numpy's ndarray.view): the last axis scales by the
    ratio of item sizes (it must divide evenly; scalars need equal sizes); None returns x."""


# --- more numpy ops: windows, splits, number theory, misc (add these ops above this line) ---
