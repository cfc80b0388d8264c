"""Math ops of the torch backend: segments, top-k, FFTs, special functions."""

import torch

from keraslite_backends.torch.core import convert_to_tensor
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
