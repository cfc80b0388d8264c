"""Math ops beyond numpy: segments, top-k, FFTs, special functions.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=True)
def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    """segment_sum of data over segment_ids into num_segments rows (sorted only a hint)."""

@op("custom", grad=True)
def segment_max(data, segment_ids, num_segments=None, sorted=False):
    """segment_max of data over segment_ids into num_segments rows (sorted only a hint);
    empty segments hold -inf (floats) or the dtype's minimum (ints)."""

@op("custom", grad=True)
def segment_min(data, segment_ids, num_segments=None, sorted=False):
    """segment_min of data over segment_ids; empty segments hold +inf (floats) or the dtype's
    maximum (ints)."""

@op("custom", grad=True)
def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    """segment_prod of data over segment_ids; empty segments hold 1."""

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

@op("promote_float", grad=True)
def cdist(x, y):
    """Euclidean distances between the rows of x (..., P, M) and y (..., R, M): (..., P, R);
    leading dims broadcast. Ints give floatx."""

@op("custom", grad=True)
def stft(x, sequence_length, sequence_stride, fft_length, window='hann', center=True):
    """Short-time Fourier transform along the last axis of a float32/float64 x (others raise
    TypeError): frames of fft_length every sequence_stride (after reflect padding by
    fft_length // 2 on both sides when center), each multiplied by the window (a 1-D tensor of
    sequence_length, 'hann' or 'hamming' periodic windows, or None for ones) zero-padded
    centrally to fft_length, then rfft. Returns (real, imag), each (..., frames,
    fft_length // 2 + 1), in x's dtype."""

@op("custom", grad=True)
def istft(x, sequence_length, sequence_stride, fft_length, length=None, window='hann',
          center=True):
    """Inverse of stft from a (real, imag) pair: irfft of each frame times the window,
    overlap-added and divided by the overlap-added squared window where that exceeds 1e-10.
    center drops fft_length // 2 at both ends; length trims the result (from the start, after
    the centre padding is removed). With window=None this still inverts stft (Keras 3.15 returns
    fft_length / sequence_stride times the signal there)."""

@op("custom", grad=False)
def view_as_complex(x):
    """(..., 2) real tensor -> (...) complex: complex64 from float32 and below, complex128 from
    float64."""

@op("custom", grad=False)
def view_as_real(x):
    """(...) complex tensor -> (..., 2) real (float32 from complex64, float64 from complex128)."""
