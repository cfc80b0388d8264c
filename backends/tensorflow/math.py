"""Math ops beyond numpy on TensorFlow: segments, top-k, FFTs, special functions."""

import numpy as np
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


def _empty_segments(data, ids, n, fill):
    """Where a segment of the reduction has no member, `fill` (TF leaves finite extremes)."""
    counts = tf.math.unsorted_segment_sum(tf.ones_like(ids), ids, n)
    shape = tf.concat([tf.shape(counts), tf.ones([data.ndim - ids.ndim], "int32")], 0)
    return tf.reshape(counts, shape) > 0, tf.constant(fill, data.dtype)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_args(data, segment_ids, num_segments)
    if data.dtype == tf.bool:
        return tf.math.unsorted_segment_max(tf.cast(data, "int32"), ids, n) > 0
    out = tf.math.unsorted_segment_max(data, ids, n)
    if data.dtype.is_floating:
        filled, fill = _empty_segments(data, ids, n, float("-inf"))
        out = tf.where(filled, out, fill)
    return out


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_args(data, segment_ids, num_segments)
    if data.dtype == tf.bool:
        return tf.math.unsorted_segment_min(tf.cast(data, "int32"), ids, n) > 0
    out = tf.math.unsorted_segment_min(data, ids, n)
    if data.dtype.is_floating:
        filled, fill = _empty_segments(data, ids, n, float("inf"))
        out = tf.where(filled, out, fill)
    return out


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_args(data, segment_ids, num_segments)
    if data.dtype == tf.bool:
        return tf.math.unsorted_segment_min(tf.cast(data, "int32"), ids, n) > 0
    return tf.math.unsorted_segment_prod(data, ids, n)


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


def cdist(x, y):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    dtype = dtypes.result_type(x.dtype, y.dtype, float)
    x, y = tf.cast(x, dtype), tf.cast(y, dtype)
    sq = tf.reduce_sum(tf.math.square(x[..., :, None, :] - y[..., None, :, :]), axis=-1)
    # sqrt with a zero (sub)gradient at coincident points instead of NaN.
    positive = sq > 0
    return tf.where(positive, tf.math.sqrt(tf.where(positive, sq, tf.ones_like(sq))),
                    tf.zeros_like(sq))


def _stft_window(window, sequence_length, fft_length, dtype):
    """The window zero-padded centrally to fft_length, or None for no window."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"Unknown window {window!r}: expected 'hann', 'hamming', a 1-D "
                             "tensor or None.")
        a = 0.5 if window == "hann" else 0.54
        n = np.arange(sequence_length)
        w = tf.constant(a - (1 - a) * np.cos(2 * np.pi * n / sequence_length), dtype)
    else:
        w = tf.cast(convert_to_tensor(window), dtype)
        if w.shape.rank != 1 or w.shape[0] != sequence_length:
            raise ValueError(f"The window must be 1-D of length sequence_length="
                             f"{sequence_length}, got shape {w.shape}.")
    left = (fft_length - sequence_length) // 2
    return tf.pad(w, [[left, fft_length - sequence_length - left]])


def _check_lengths(sequence_length, sequence_stride, fft_length):
    if sequence_length < 1 or sequence_stride < 1:
        raise ValueError(f"sequence_length ({sequence_length}) and sequence_stride "
                         f"({sequence_stride}) must be positive.")
    if fft_length < sequence_length:
        raise ValueError(f"fft_length ({fft_length}) must be at least sequence_length "
                         f"({sequence_length}).")


def stft(x, sequence_length, sequence_stride, fft_length, window='hann', center=True):
    x = convert_to_tensor(x)
    if x.dtype not in (tf.float32, tf.float64):
        raise TypeError(f"stft expects a float32 or float64 input, got {dtypes.standardize_dtype(x.dtype)}.")
    _check_lengths(sequence_length, sequence_stride, fft_length)
    win = _stft_window(window, sequence_length, fft_length, x.dtype)
    if center:
        half = fft_length // 2
        x = tf.pad(x, [[0, 0]] * (x.ndim - 1) + [[half, half]], mode="REFLECT")
    frames = tf.signal.frame(x, fft_length, sequence_stride, axis=-1, pad_end=False)
    if win is not None:
        frames = frames * win
    return _split_complex(tf.signal.rfft(frames), x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window='hann', center=True):
    c, dtype = _complex_pair(x)
    _check_lengths(sequence_length, sequence_stride, fft_length)
    work = tf.math.real(c).dtype
    win = _stft_window(window, sequence_length, fft_length, work)
    frames = tf.signal.irfft(_fit_last(c, fft_length // 2 + 1), fft_length=[fft_length])
    count = frames.shape[-2]
    if win is None:
        win = tf.ones([fft_length], work)
    else:
        frames = frames * win
    out = tf.signal.overlap_and_add(frames, sequence_stride)
    if count is None:
        count = tf.shape(frames)[-2]
    norm = tf.signal.overlap_and_add(tf.tile(tf.math.square(win)[None], [count, 1]),
                                     sequence_stride)
    out = out / tf.where(norm > 1e-10, norm, tf.ones_like(norm))
    total = out.shape[-1] if out.shape[-1] is not None else tf.shape(out)[-1]
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - start
    return tf.cast(out[..., start:end], dtype)


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.shape.rank == 0 or (x.shape[-1] is not None and x.shape[-1] != 2):
        raise ValueError(f"view_as_complex expects a last axis of size 2, got shape {x.shape}.")
    work = "float64" if x.dtype == tf.float64 else "float32"
    x = tf.cast(x, work)
    return tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if not x.dtype.is_complex:
        raise ValueError(f"view_as_real expects a complex tensor, got {dtypes.standardize_dtype(x.dtype)}.")
    return tf.stack([tf.math.real(x), tf.math.imag(x)], axis=-1)
