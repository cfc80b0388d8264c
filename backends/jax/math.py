"""Math ops beyond numpy on jax: segments, top-k, FFTs, special functions."""

import jax
import jax.numpy as jnp
import jax.scipy.special as jsp
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
