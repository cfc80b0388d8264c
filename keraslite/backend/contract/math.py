"""Math ops beyond numpy: segments, top-k, FFTs, special functions.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=True)
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """segment_sum of data over segment_ids into num_segments rows (sorted only a hint)."""

@op("custom", grad=True)
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """segment_max of data over segment_ids into num_segments rows (sorted only a hint)."""

@op("custom", grad=False)
def top_k(x, k, sorted=True):
    """(values, indices int32) of the k largest entries along the last axis."""

@op("custom", grad=False)
def in_top_k(targets, predictions, k):
    """bool: whether targets are in the top k of predictions per row."""

@op("custom", grad=True)
def logsumexp(x, axis=None, keepdims=False):
    """log(sum(exp(x))) over axis, computed stably."""

@op("unary_float", grad=True)
def rsqrt(x):
    """Element-wise rsqrt; ints become floatx."""

@op("unary_float", grad=True)
def erf(x):
    """Element-wise erf; ints become floatx."""

@op("unary_float", grad=True)
def erfc(x):
    """Element-wise complementary error function 1 - erf(x), accurate for large x; ints become
    floatx."""

@op("unary_float", grad=True)
def erfinv(x):
    """Element-wise erfinv; ints become floatx."""

@op("custom", grad=True)
def extract_sequences(x, sequence_length, sequence_stride):
    """Frames of length sequence_length every sequence_stride along the last axis."""

@op("custom", grad=True)
def fft(x):
    """fft of a (real, imag) pair; returns a (real, imag) pair."""

@op("custom", grad=True)
def fft2(x):
    """fft2 of a (real, imag) pair; returns a (real, imag) pair."""

@op("custom", grad=True)
def ifft2(x):
    """ifft2 of a (real, imag) pair; returns a (real, imag) pair."""

@op("custom", grad=True)
def rfft(x, fft_length=None):
    """rfft along the last axis; rfft returns (real, imag), irfft takes it."""

@op("custom", grad=True)
def irfft(x, fft_length=None):
    """irfft along the last axis; rfft returns (real, imag), irfft takes it."""

@op("custom", grad=True)
def logdet(x):
    """log |det(x)| for positive-definite x."""
