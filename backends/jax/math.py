"""Math ops beyond numpy on jax: segments, top-k, FFTs, special functions."""

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
import numpy as np
from jax import lax

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.jax.core import convert_to_tensor


def _float(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        x = x.astype(config.floatx())
    return x


def _num_segments(segment_ids, num_segments):
    if num_segments is None:
        return int(jnp.max(segment_ids)) + 1 if segment_ids.size else 0
    return int(num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).astype("int32")
    return jax.ops.segment_sum(data, segment_ids, _num_segments(segment_ids, num_segments),
                               indices_are_sorted=sorted)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).astype("int32")
    return jax.ops.segment_max(data, segment_ids, _num_segments(segment_ids, num_segments),
                               indices_are_sorted=sorted)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).astype("int32")
    return jax.ops.segment_min(data, segment_ids, _num_segments(segment_ids, num_segments),
                               indices_are_sorted=sorted)


def _segmented_prod(a, b):
    """Combine of a segmented product scan: b's run restarts where b starts a segment."""
    start_a, value_a = a
    start_b, value_b = b
    return start_a | start_b, jnp.where(start_b, value_b, value_a * value_b)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data = convert_to_tensor(data)
    segment_ids = convert_to_tensor(segment_ids).astype("int32")
    num_segments = _num_segments(segment_ids, num_segments)
    if not (dtypes.is_float(data.dtype) or dtypes.is_complex(data.dtype)):
        return jax.ops.segment_prod(data, segment_ids, num_segments, indices_are_sorted=sorted)
    # jax only differentiates scatter-multiply for unique indices: a segmented product scan over
    # the rows sorted by segment is differentiable (zeros included) and linear in memory.
    if data.shape[0] == 0:
        return jnp.ones((num_segments,) + data.shape[1:], data.dtype)
    # Sorted regardless of the `sorted` hint: the scan needs every segment in one run.
    order = jnp.argsort(segment_ids, stable=True)
    data, segment_ids = data[order], segment_ids[order]
    starts = jnp.concatenate([jnp.ones((1,), "bool"), segment_ids[1:] != segment_ids[:-1]])
    ends = jnp.concatenate([segment_ids[1:] != segment_ids[:-1], jnp.ones((1,), "bool")])
    bcast = (-1,) + (1,) * (data.ndim - 1)
    _, running = lax.associative_scan(_segmented_prod, (starts.reshape(bcast), data))
    last = jnp.where(ends.reshape(bcast), running, jnp.zeros((), data.dtype))
    totals = jax.ops.segment_sum(last, segment_ids, num_segments, indices_are_sorted=True)
    present = jax.ops.segment_sum(ends.astype("int32"), segment_ids, num_segments,
                                  indices_are_sorted=True)
    present = present.reshape((-1,) + (1,) * (data.ndim - 1)) > 0
    return jnp.where(present, totals, jnp.ones((), data.dtype))


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    values, indices = lax.top_k(x, int(k))
    return values, indices.astype("int32")


def in_top_k(targets, predictions, k):
    targets = convert_to_tensor(targets).astype("int32")
    predictions = convert_to_tensor(predictions)
    kth_largest = lax.top_k(predictions, int(k))[0][..., -1:]
    target_values = jnp.take_along_axis(predictions, targets[..., None], axis=-1)
    return jnp.any(target_values >= kth_largest, axis=-1)


def logsumexp(x, axis=None, keepdims=False):
    x = _float(x)
    if isinstance(axis, list):
        axis = tuple(axis)
    return jsp.logsumexp(x, axis=axis, keepdims=keepdims)


def rsqrt(x):
    return lax.rsqrt(_float(x))


def erf(x):
    return jsp.erf(_float(x))


def erfc(x):
    return jsp.erfc(_float(x))


def erfinv(x):
    return jsp.erfinv(_float(x))


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    length = x.shape[-1]
    num_frames = 1 + (length - sequence_length) // sequence_stride
    if num_frames < 1:
        raise ValueError(
            f"sequence_length ({sequence_length}) is longer than the last axis ({length})."
        )
    starts = jnp.arange(num_frames) * sequence_stride
    index = starts[:, None] + jnp.arange(sequence_length)[None, :]
    return x[..., index]


def _complex(pair):
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError("Expected a (real, imag) pair of tensors.")
    real, imag = _float(pair[0]), _float(pair[1])
    if real.shape != imag.shape:
        raise ValueError(f"real and imag parts differ in shape: {real.shape} vs {imag.shape}.")
    dtype = dtypes.result_type(real.dtype, imag.dtype)
    real, imag = real.astype(dtype), imag.astype(dtype)
    return lax.complex(_for_fft(real), _for_fft(imag)), dtype


def _for_fft(x):
    return x.astype("float32") if dtypes.standardize_dtype(x.dtype) in (
        "float16", "bfloat16") else x


def _split(z, dtype):
    return jnp.real(z).astype(dtype), jnp.imag(z).astype(dtype)


def fft(x):
    z, dtype = _complex(x)
    return _split(jnp.fft.fft(z), dtype)


def fft2(x):
    z, dtype = _complex(x)
    return _split(jnp.fft.fft2(z), dtype)


def ifft2(x):
    z, dtype = _complex(x)
    return _split(jnp.fft.ifft2(z), dtype)


def rfft(x, fft_length=None):
    x = _float(x)
    dtype = x.dtype
    return _split(jnp.fft.rfft(_for_fft(x), n=fft_length), dtype)


def irfft(x, fft_length=None):
    z, dtype = _complex(x)
    return jnp.fft.irfft(z, n=fft_length).astype(dtype)


def logdet(x):
    x = _float(x)
    return jnp.linalg.slogdet(x)[1]


# --------------------------------------------------------------------------- distances


def cdist(x, y):
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    dtype = dtypes.result_type(x.dtype, y.dtype, float)
    x, y = x.astype(dtype), y.astype(dtype)
    if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(
            f"cdist expects (..., P, M) and (..., R, M) inputs; got {x.shape} and {y.shape}."
        )
    diff = x[..., :, None, :] - y[..., None, :, :]
    squared = jnp.sum(jnp.square(diff), axis=-1)
    # sqrt'(0) is infinite: coincident rows get a zero gradient instead of nan.
    positive = squared > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, squared, 1)), 0).astype(dtype)


# --------------------------------------------------------------------------- stft


def _stft_window(window, sequence_length, fft_length, dtype):
    """The analysis window zero-padded centrally to fft_length."""
    if window is None:
        win = jnp.ones((sequence_length,), dtype)
    elif isinstance(window, str):
        n = np.arange(sequence_length) / sequence_length
        if window == "hann":
            win = 0.5 - 0.5 * np.cos(2 * np.pi * n)
        elif window == "hamming":
            win = 0.54 - 0.46 * np.cos(2 * np.pi * n)
        else:
            raise ValueError(
                f"`window` must be 'hann', 'hamming', a 1-D tensor or None; received {window!r}."
            )
        win = jnp.asarray(win, dtype)
    else:
        win = convert_to_tensor(window, dtype)
        if win.ndim != 1 or win.shape[0] != sequence_length:
            raise ValueError(
                f"A tensor `window` must be 1-D of length sequence_length ({sequence_length}); "
                f"received shape {win.shape}."
            )
    left = (fft_length - sequence_length) // 2
    return jnp.pad(win, (left, fft_length - sequence_length - left))


def _check_stft_lengths(sequence_length, sequence_stride, fft_length):
    if sequence_length < 1 or sequence_stride < 1:
        raise ValueError(
            f"sequence_length ({sequence_length}) and sequence_stride ({sequence_stride}) must "
            "be positive."
        )
    if fft_length < sequence_length:
        raise ValueError(
            f"fft_length ({fft_length}) must be at least sequence_length ({sequence_length})."
        )


def _frame_index(num_frames, sequence_stride, fft_length):
    return (np.arange(num_frames)[:, None] * sequence_stride
            + np.arange(fft_length)[None, :])


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = convert_to_tensor(x)
    dtype = dtypes.standardize_dtype(x.dtype)
    if dtype not in ("float32", "float64"):
        raise TypeError(f"stft expects a float32 or float64 input; received {dtype}.")
    sequence_length, sequence_stride, fft_length = (
        int(sequence_length), int(sequence_stride), int(fft_length))
    _check_stft_lengths(sequence_length, sequence_stride, fft_length)
    win = _stft_window(window, sequence_length, fft_length, dtype)
    if center:
        pad = fft_length // 2
        x = jnp.pad(x, [(0, 0)] * (x.ndim - 1) + [(pad, pad)], mode="reflect")
    num_frames = max(0, 1 + (x.shape[-1] - fft_length) // sequence_stride)
    frames = x[..., _frame_index(num_frames, sequence_stride, fft_length)] * win
    return _split(jnp.fft.rfft(frames, n=fft_length), dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    if not isinstance(x, (tuple, list)) or len(x) != 2:
        raise ValueError("istft expects a (real, imag) pair of tensors.")
    real, imag = _float(x[0]), _float(x[1])
    if real.shape != imag.shape:
        raise ValueError(f"real and imag parts differ in shape: {real.shape} vs {imag.shape}.")
    # The pair's own dtype (no 64-bit narrowing): float64 stays float64, as in stft.
    dtype = jnp.promote_types(real.dtype, imag.dtype)
    z = lax.complex(_for_fft(real.astype(dtype)), _for_fft(imag.astype(dtype)))
    if z.ndim < 2:
        raise ValueError(f"istft expects (..., frames, bins) inputs; received shape {z.shape}.")
    sequence_length, sequence_stride, fft_length = (
        int(sequence_length), int(sequence_stride), int(fft_length))
    _check_stft_lengths(sequence_length, sequence_stride, fft_length)
    compute = jnp.real(z).dtype
    win = _stft_window(window, sequence_length, fft_length, compute)
    frames = jnp.fft.irfft(z, n=fft_length) * win
    num_frames = z.shape[-2]
    total = fft_length + sequence_stride * (num_frames - 1)
    index = _frame_index(num_frames, sequence_stride, fft_length)
    out = jnp.zeros(frames.shape[:-2] + (total,), compute).at[..., index].add(frames)
    norm = jnp.zeros((total,), compute).at[index].add(jnp.square(win))
    out = out / jnp.where(norm > 1e-10, norm, jnp.ones((), compute))
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - start
    return out[..., start:end].astype(dtype)


# --------------------------------------------------------------------------- complex views


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"view_as_complex expects a last axis of size 2; received {x.shape}.")
    real = "float64" if dtypes.standardize_dtype(x.dtype) == "float64" else "float32"
    x = x.astype(real)
    return lax.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if not dtypes.is_complex(x.dtype):
        x = _float(x)
        return jnp.stack([x, jnp.zeros_like(x)], axis=-1)
    return jnp.stack([jnp.real(x), jnp.imag(x)], axis=-1)
