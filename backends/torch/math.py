"""Math ops of the torch backend: segments, top-k, FFTs, special functions."""

import math as pymath

import torch
import torch.nn.functional as F

from keraslite.backend import dtypes
from keraslite_backends.torch.core import _dtype_of, convert_to_tensor, promote
from keraslite_backends.torch.numpy import _as_float, _axes


def _segment_setup(data, segment_ids, num_segments):
    data = convert_to_tensor(data)
    ids = convert_to_tensor(segment_ids).to(device=data.device, dtype=torch.int64)
    if num_segments is None:
        num_segments = int(ids.max().item()) + 1 if ids.numel() else 0
    num_segments = int(num_segments)
    # ids outside [0, num_segments) are dropped, as in JAX
    valid = (ids >= 0) & (ids < num_segments)
    return data[valid], ids[valid], num_segments


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_setup(data, segment_ids, num_segments)
    out = torch.zeros((n, *data.shape[1:]), dtype=data.dtype, device=data.device)
    return out.index_add(0, ids, data)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_setup(data, segment_ids, num_segments)
    if data.is_floating_point():
        lowest = float("-inf")
    elif data.dtype == torch.bool:
        lowest = False
    else:
        lowest = torch.iinfo(data.dtype).min
    # empty segments keep the identity of max (-inf for floats), as in JAX
    out = torch.full((n, *data.shape[1:]), lowest, dtype=data.dtype, device=data.device)
    idx = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    return out.scatter_reduce(0, idx, data, reduce="amax", include_self=True)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_setup(data, segment_ids, num_segments)
    if data.is_floating_point():
        highest = float("inf")
    elif data.dtype == torch.bool:
        highest = True
    else:
        highest = torch.iinfo(data.dtype).max
    # empty segments keep the identity of min (+inf for floats), as in JAX
    out = torch.full((n, *data.shape[1:]), highest, dtype=data.dtype, device=data.device)
    idx = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    return out.scatter_reduce(0, idx, data, reduce="amin", include_self=True)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    data, ids, n = _segment_setup(data, segment_ids, num_segments)
    out = torch.ones((n, *data.shape[1:]), dtype=data.dtype, device=data.device)
    idx = ids.reshape((-1,) + (1,) * (data.ndim - 1)).expand(data.shape)
    return out.scatter_reduce(0, idx, data, reduce="prod", include_self=True)


def top_k(x, k, sorted=True):
    x = convert_to_tensor(x)
    values, indices = torch.topk(x, int(k), dim=-1, largest=True, sorted=True)
    return values, indices.to(torch.int32)


def in_top_k(targets, predictions, k):
    preds = convert_to_tensor(predictions)
    targets = convert_to_tensor(targets).to(device=preds.device, dtype=torch.int64)
    target_vals = torch.gather(preds, -1, targets.reshape(-1, 1))
    # in the top k when fewer than k entries are strictly larger (ties count as in)
    larger = (preds > target_vals).sum(dim=-1)
    finite = torch.isfinite(target_vals[:, 0]) if preds.is_floating_point() else True
    return (larger < int(k)) & finite


def logsumexp(x, axis=None, keepdims=False):
    x = _as_float(x)
    axes = _axes(axis, x.ndim)
    if axes is None:
        axes = tuple(range(x.ndim))
    if not axes:
        return x
    return torch.logsumexp(x, dim=axes, keepdim=keepdims)


def rsqrt(x):
    return torch.rsqrt(_as_float(x))


def erf(x):
    return torch.erf(_as_float(x))


def erfc(x):
    return torch.erfc(_as_float(x))


def erfinv(x):
    return torch.erfinv(_as_float(x))


def extract_sequences(x, sequence_length, sequence_stride):
    x = convert_to_tensor(x)
    return x.unfold(-1, int(sequence_length), int(sequence_stride))


def _complex(pair):
    """Complex tensor from a (real, imag) pair of equal shapes."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError("Expected a (real, imag) pair of tensors.")
    real, imag = _as_float(pair[0]), _as_float(pair[1])
    if real.shape != imag.shape:
        raise ValueError(f"real and imag parts must have the same shape; got "
                         f"{tuple(real.shape)} and {tuple(imag.shape)}.")
    dt = torch.promote_types(real.dtype, imag.dtype)
    if dt in (torch.float16, torch.bfloat16):
        dt = torch.float32
    return torch.complex(real.to(dt), imag.to(dt).to(real.device))


def _pair(z):
    return torch.real(z).contiguous(), torch.imag(z).contiguous()


def fft(x):
    return _pair(torch.fft.fft(_complex(x), dim=-1))


def fft2(x):
    return _pair(torch.fft.fft2(_complex(x), dim=(-2, -1)))


def ifft2(x):
    return _pair(torch.fft.ifft2(_complex(x), dim=(-2, -1)))


def rfft(x, fft_length=None):
    x = _as_float(x)
    if x.dtype in (torch.float16, torch.bfloat16):
        x = x.float()
    n = None if fft_length is None else int(fft_length)
    return _pair(torch.fft.rfft(x, n=n, dim=-1))


def irfft(x, fft_length=None):
    n = None if fft_length is None else int(fft_length)
    return torch.fft.irfft(_complex(x), n=n, dim=-1)


def logdet(x):
    from keraslite_backends.torch.linalg import _float_linalg

    return _float_linalg(lambda a: torch.linalg.slogdet(a)[1], x)


def cdist(x, y):
    name = dtypes.result_type(_dtype_of(x), _dtype_of(y), float)
    x, y = promote(x, y, dtype=name)
    if x.ndim < 2 or y.ndim < 2 or x.shape[-1] != y.shape[-1]:
        raise ValueError(f"cdist needs (..., P, M) and (..., R, M) inputs; got shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.")
    batch = torch.broadcast_shapes(x.shape[:-2], y.shape[:-2])
    x = x.expand(*batch, *x.shape[-2:])
    y = y.expand(*batch, *y.shape[-2:])
    compute = torch.float32 if x.dtype in (torch.float16, torch.bfloat16) else x.dtype
    # the exact (not matmul-based) form: accurate, and zero distances have a zero gradient
    out = torch.cdist(x.to(compute), y.to(compute),
                      compute_mode="donot_use_mm_for_euclid_dist")
    return out.to(x.dtype)


def _stft_window(window, sequence_length, fft_length, ref):
    """The window, zero-padded centrally to fft_length, in ref's dtype (None: no window)."""
    n = int(sequence_length)
    if window is None:
        w = torch.ones(n, dtype=ref.dtype, device=ref.device)
    elif isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError(f"Unknown window {window!r}; use 'hann', 'hamming', None or a "
                             "1-D tensor.")
        a = 0.5 if window == "hann" else 0.54
        phase = torch.arange(n, dtype=torch.float64, device=ref.device) * (2.0 * pymath.pi / n)
        w = (a - (1.0 - a) * torch.cos(phase)).to(ref.dtype)
    else:
        w = convert_to_tensor(window).to(device=ref.device, dtype=ref.dtype)
        if tuple(w.shape) != (n,):
            raise ValueError(f"window must be a 1-D tensor of length sequence_length={n}; got "
                             f"shape {tuple(w.shape)}.")
    left = (int(fft_length) - n) // 2
    return F.pad(w, (left, int(fft_length) - n - left))


def _stft_lengths(sequence_length, sequence_stride, fft_length):
    n, step, size = int(sequence_length), int(sequence_stride), int(fft_length)
    if n < 1 or step < 1:
        raise ValueError(f"sequence_length and sequence_stride must be positive; got {n} and "
                         f"{step}.")
    if size < n:
        raise ValueError(f"fft_length ({size}) must be at least sequence_length ({n}).")
    return n, step, size


def stft(x, sequence_length, sequence_stride, fft_length, window='hann', center=True):
    x = convert_to_tensor(x)
    if x.dtype not in (torch.float32, torch.float64):
        raise TypeError(f"stft needs a float32 or float64 input; got {_dtype_of(x)}.")
    n, step, size = _stft_lengths(sequence_length, sequence_stride, fft_length)
    if center:
        half = size // 2
        lead = x.shape[:-1]
        x = F.pad(x.reshape(-1, 1, x.shape[-1]), (half, half), mode="reflect")
        x = x.reshape(*lead, x.shape[-1])
    if x.shape[-1] < size:
        raise ValueError(f"The signal ({x.shape[-1]} samples) is shorter than fft_length "
                         f"({size}).")
    frames = x.unfold(-1, size, step)  # (..., frames, fft_length)
    spec = torch.fft.rfft(frames * _stft_window(window, n, size, x), dim=-1)
    return _pair(spec)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window='hann',
          center=True):
    n, step, size = _stft_lengths(sequence_length, sequence_stride, fft_length)
    z = _complex(x)
    out_dtype = torch.promote_types(_as_float(x[0]).dtype, _as_float(x[1]).dtype)
    frames = torch.fft.irfft(z, n=size, dim=-1)  # (..., count, fft_length)
    count = frames.shape[-2]
    w = _stft_window(window, n, size, frames)
    total = size + step * (count - 1)
    # overlap-add: frame i covers output positions [i * step, i * step + fft_length)
    pos = (torch.arange(count, device=frames.device)[:, None] * step
           + torch.arange(size, device=frames.device)[None, :]).reshape(-1)
    out = torch.zeros((*frames.shape[:-2], total), dtype=frames.dtype, device=frames.device)
    out = out.index_add(-1, pos, (frames * w).reshape(*frames.shape[:-2], count * size))
    norm = torch.zeros((total,), dtype=frames.dtype, device=frames.device)
    norm = norm.index_add(0, pos, (w * w).expand(count, size).reshape(-1))
    out = out / torch.where(norm > 1e-10, norm, torch.ones_like(norm))
    start = size // 2 if center else 0
    if length is not None:
        end = start + int(length)
    else:
        end = total - size // 2 if center else total
    return out[..., start:end].to(out_dtype)


def view_as_complex(x):
    x = convert_to_tensor(x)
    if x.ndim < 1 or x.shape[-1] != 2:
        raise ValueError(f"view_as_complex needs a last axis of size 2; got shape "
                         f"{tuple(x.shape)}.")
    real = torch.float64 if x.dtype == torch.float64 else torch.float32
    x = x.to(real)
    return torch.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = convert_to_tensor(x)
    if not x.is_complex():
        x = _as_float(x)
        return torch.stack([x, torch.zeros_like(x)], dim=-1)
    return torch.stack([torch.real(x), torch.imag(x)], dim=-1)
