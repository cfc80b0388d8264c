"""Math ops beyond numpy on TensorFlow: segments, top-k, FFTs, special functions."""

import tensorflow as tf

from keraslite.backend import dtypes
from keraslite_backends.tensorflow.core import canonical_axis, convert_to_tensor, to_float


def _segment_args(data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids)
    if ids.dtype not in (tf.int32, tf.int64):
        ids = tf.cast(ids, "int32")
    if num_segments is None:
        num_segments = tf.reduce_max(ids) + 1
    return data, ids, num_segments


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_args(data, segment_ids, num_segments)
    if data.dtype == tf.bool:
        return tf.math.unsorted_segment_max(tf.cast(data, "int32"), ids, n) > 0
    return tf.math.unsorted_segment_sum(data, ids, n)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_args(data, segment_ids, num_segments)
    if data.dtype == tf.bool:
        return tf.math.unsorted_segment_max(tf.cast(data, "int32"), ids, n) > 0
    return tf.math.unsorted_segment_max(data, ids, n)


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    values, indices = tf.math.top_k(x, k, sorted=sorted)
    return values, tf.cast(indices, "int32")


def in_top_k(targets, predictions, k):
    targets = tf.cast(convert_to_tensor(targets), "int32")
    predictions = tf.cast(convert_to_tensor(predictions), "float32")
    return tf.math.in_top_k(targets, predictions, k)


def logsumexp(x, axis=None, keepdims=False):
    x = to_float(x)
    if axis is not None and not isinstance(axis, (list, tuple)):
        axis = [canonical_axis(axis, x.ndim)]
    return tf.math.reduce_logsumexp(x, axis=axis, keepdims=keepdims)


def rsqrt(x):
    return tf.math.rsqrt(to_float(x))


def erf(x):
    return tf.math.erf(to_float(x))


def erfc(x):
    return tf.math.erfc(to_float(x))


def erfinv(x):
    x = to_float(x)
    if x.dtype in (tf.float16, tf.bfloat16):
        return tf.cast(tf.math.erfinv(tf.cast(x, "float32")), x.dtype)
    return tf.math.erfinv(x)


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    return tf.signal.frame(x, sequence_length, sequence_stride, axis=-1, pad_end=False)


def _complex_pair(x):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("Expected a (real, imag) pair of tensors.")
    real, imag = to_float(x[0]), to_float(x[1])
    dtype = dtypes.result_type(real.dtype, imag.dtype)
    work = "float64" if tf.float64 in (real.dtype, imag.dtype) else "float32"
    real, imag = tf.cast(real, work), tf.cast(imag, work)
    return tf.complex(real, imag), dtype


def _split_complex(c, dtype):
    return tf.cast(tf.math.real(c), dtype), tf.cast(tf.math.imag(c), dtype)


def fft(x):
    c, dtype = _complex_pair(x)
    return _split_complex(tf.signal.fft(c), dtype)


def fft2(x):
    c, dtype = _complex_pair(x)
    return _split_complex(tf.signal.fft2d(c), dtype)


def ifft2(x):
    c, dtype = _complex_pair(x)
    return _split_complex(tf.signal.ifft2d(c), dtype)


def _fit_last(x, n):
    """x cropped or zero-padded to length n along the last axis (explicitly, so gradients work)."""
    size = x.shape[-1]
    if size > n:
        return x[..., :n]
    if size < n:
        return tf.pad(x, [[0, 0]] * (x.ndim - 1) + [[0, n - size]])
    return x


def rfft(x, fft_length=None):
    x = to_float(x)
    dtype = x.dtype
    if x.dtype not in (tf.float32, tf.float64):
        x = tf.cast(x, "float32")
    if fft_length is not None:
        x = _fit_last(x, fft_length)
    return _split_complex(tf.signal.rfft(x), dtype)


def irfft(x, fft_length=None):
    c, dtype = _complex_pair(x)
    if fft_length is None:
        fft_length = 2 * (c.shape[-1] - 1)
    c = _fit_last(c, fft_length // 2 + 1)
    return tf.cast(tf.signal.irfft(c, fft_length=[fft_length]), dtype)


def logdet(x):
    x = to_float(x)
    dtype = x.dtype
    if x.dtype not in (tf.float32, tf.float64):
        x = tf.cast(x, "float32")
    _, logabs = tf.linalg.slogdet(x)
    return tf.cast(logabs, dtype)
