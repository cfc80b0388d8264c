"""Image ops of the torch backend (batched (N, H, W, C) or single (H, W, C) images).

Resizing uses separable weight matrices with half-pixel centres (the jax.image.resize scheme),
so results agree with Keras's JAX backend; sampling follows scipy.ndimage.map_coordinates.
"""

import itertools
import math as pymath

import torch

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.torch.core import convert_to_tensor, dtype_name, to_torch_dtype

_RESIZE_METHODS = ("nearest", "bilinear", "bicubic", "area", "lanczos3", "lanczos5")


def _data_format(data_format):
    fmt = data_format or config.image_data_format()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {fmt!r}.")
    return fmt


def _batched_nhwc(images, fmt):
    """(N, H, W, C) view of 3D/4D images, and whether a batch axis was added."""
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"Expected rank 3 or 4 images; got shape {tuple(x.shape)}.")
    single = x.ndim == 3
    if single:
        x = x.unsqueeze(0)
    if fmt == "channels_first":
        x = x.permute(0, 2, 3, 1)
    return x, single


def _restore(x, single, fmt):
    if fmt == "channels_first":
        x = x.permute(0, 3, 1, 2)
    return x[0] if single else x


def _float_compute(x):
    return x if x.is_floating_point() else x.to(to_torch_dtype(config.floatx()))


def _back_to(x, dtype, half_even=False):
    """Cast a float result back to the input dtype: ints round (half away from zero, or half
    to even) and saturate."""
    if dtype.is_floating_point:
        return x.to(dtype)
    if dtype == torch.bool:
        return x != 0
    info = torch.iinfo(dtype)
    x = torch.round(x) if half_even else _round_half_away(x)
    return torch.clamp(x, info.min, info.max).to(dtype)


# ---------------------------------------------------------------------------------------------
# resize


def _kernel(method):
    def triangle(x):
        return torch.clamp(1.0 - x.abs(), min=0.0)

    def keys_cubic(x):  # a = -0.5, as TF and JAX
        x = x.abs()
        near = ((1.5 * x - 2.5) * x) * x + 1.0
        far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
        return torch.where(x >= 2.0, torch.zeros_like(x), torch.where(x >= 1.0, far, near))

    def lanczos(radius):
        def k(x):
            x = x.abs()
            y = radius * torch.sin(pymath.pi * x) * torch.sin(pymath.pi * x / radius)
            safe = torch.where(x > 1e-3, x, torch.ones_like(x))
            out = torch.where(x > 1e-3, y / (pymath.pi ** 2 * safe ** 2), torch.ones_like(x))
            return torch.where(x > radius, torch.zeros_like(x), out)

        return k

    return {"bilinear": triangle, "bicubic": keys_cubic, "lanczos3": lanczos(3.0),
            "lanczos5": lanczos(5.0)}[method]


def _weights(in_size, out_size, method, antialias, dtype, device):
    """(out_size, in_size) resampling matrix for one axis."""
    scale = out_size / in_size
    if method == "area":
        # fraction of each input pixel covered by the output pixel's footprint
        inv = in_size / out_size
        o = torch.arange(out_size, dtype=torch.float64, device=device).reshape(-1, 1)
        i = torch.arange(in_size, dtype=torch.float64, device=device).reshape(1, -1)
        lo, hi = o * inv, (o + 1) * inv
        overlap = torch.clamp(torch.minimum(hi, i + 1) - torch.maximum(lo, i), min=0.0)
        return (overlap / overlap.sum(-1, keepdim=True)).to(dtype)
    kernel = _kernel(method)
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (torch.arange(out_size, dtype=torch.float64, device=device) + 0.5) * inv_scale - 0.5
    pos = torch.arange(in_size, dtype=torch.float64, device=device)
    w = kernel((sample.reshape(-1, 1) - pos.reshape(1, -1)) / kernel_scale)
    total = w.sum(-1, keepdim=True)
    w = torch.where(total.abs() > 1000.0 * torch.finfo(torch.float32).eps,
                    w / torch.where(total != 0, total, torch.ones_like(total)),
                    torch.zeros_like(w))
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return torch.where(inside.reshape(-1, 1), w, torch.zeros_like(w)).to(dtype)


def _nearest_index(in_size, out_size, device):
    idx = torch.floor((torch.arange(out_size, dtype=torch.float64, device=device) + 0.5)
                      * in_size / out_size)
    return idx.to(torch.int64).clamp(0, in_size - 1)


def _crop_or_pad(x, target_h, target_w, crop, pad, fill_value):
    """Keras's crop_to_aspect_ratio / pad_to_aspect_ratio on NHWC images."""
    h, w = x.shape[1], x.shape[2]
    if crop:
        ch = max(min(h, int(float(w * target_h) / target_w)), 1)
        cw = max(min(w, int(float(h * target_w) / target_h)), 1)
        hs, ws = int(float(h - ch) / 2), int(float(w - cw) / 2)
        return x[:, hs:hs + ch, ws:ws + cw, :]
    if pad:
        ph = max(h, int(float(w * target_h) / target_w))
        pw = max(w, int(float(h * target_w) / target_h))
        hs, ws = int(float(ph - h) / 2), int(float(pw - w) / 2)
        # the image is centred with equal bands of fill_value on both sides
        out = torch.full((x.shape[0], h + 2 * hs, w + 2 * ws, x.shape[3]), float(fill_value),
                         dtype=x.dtype, device=x.device)
        out[:, hs:hs + h, ws:ws + w, :] = x
        return out
    return x


def resize(images, size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None):
    if interpolation not in _RESIZE_METHODS:
        raise ValueError(f"Invalid interpolation {interpolation!r}; expected one of "
                         f"{_RESIZE_METHODS}.")
    if fill_mode != "constant":
        raise ValueError(f"Only fill_mode='constant' is supported; got {fill_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    if len(size) != 2:
        raise ValueError(f"size must be (height, width); got {size}.")
    out_h, out_w = int(size[0]), int(size[1])
    fmt = _data_format(data_format)
    x, single = _batched_nhwc(images, fmt)
    dtype = x.dtype
    x = _crop_or_pad(x, out_h, out_w, crop_to_aspect_ratio, pad_to_aspect_ratio, fill_value)
    in_h, in_w = x.shape[1], x.shape[2]
    if interpolation == "nearest":
        out = x.index_select(1, _nearest_index(in_h, out_h, x.device))
        out = out.index_select(2, _nearest_index(in_w, out_w, x.device))
        return _restore(out, single, fmt)
    xf = _float_compute(x)
    compute = torch.float32 if xf.dtype in (torch.float16, torch.bfloat16) else xf.dtype
    wh = _weights(in_h, out_h, interpolation, antialias, compute, x.device)
    ww = _weights(in_w, out_w, interpolation, antialias, compute, x.device)
    out = torch.einsum("oh,nhwc->nowc", wh, xf.to(compute))
    out = torch.einsum("pw,nowc->nopc", ww, out)
    # int images round half to even, like jax.image.resize
    out = out.to(xf.dtype) if dtype.is_floating_point else _back_to(out, dtype, half_even=True)
    return _restore(out, single, fmt)


# ---------------------------------------------------------------------------------------------
# sampling


def _fix_index(index, size, mode):
    """Map integer indices into [0, size) following the boundary mode (JAX/scipy rules)."""
    if mode == "constant":
        return index.clamp(0, size - 1)
    if mode == "nearest":
        return index.clamp(0, size - 1)
    if mode == "wrap":
        return torch.remainder(index, size)
    if mode == "mirror":
        if size == 1:
            return torch.zeros_like(index)
        s = size - 1
        return torch.abs(torch.remainder(index + s, 2 * s) - s)
    if mode == "reflect":
        # (d c b a | a b c d | d c b a): mirror of the doubled index, halved
        m = 2 * size
        r = torch.remainder(index, m)
        return torch.where(r >= size, m - 1 - r, r)
    raise ValueError(f"Unknown fill_mode {mode!r}; use 'constant', 'nearest', 'wrap', "
                     f"'mirror' or 'reflect'.")


def _round_half_away(x):
    return torch.sign(x) * torch.floor(torch.abs(x) + 0.5)


def map_coordinates(inputs, coordinates, order, fill_mode='constant', fill_value=0):
    x = convert_to_tensor(inputs)
    coords = convert_to_tensor(coordinates)
    if coords.shape[0] != x.ndim:
        raise ValueError(f"coordinates must have {x.ndim} rows (one per input axis); got "
                         f"{coords.shape[0]}.")
    if int(order) not in (0, 1):
        raise ValueError(f"Only order 0 or 1 is supported; got {order}.")
    compute = x.dtype if x.is_floating_point() else to_torch_dtype(config.floatx())
    if compute in (torch.float16, torch.bfloat16):
        compute = torch.float32
    coords = coords.to(device=x.device, dtype=compute if coords.is_floating_point() else compute)
    xf = x.to(compute)
    per_axis = []
    for d in range(x.ndim):
        c = coords[d]
        size = x.shape[d]
        if int(order) == 0:
            nodes = [(_round_half_away(c).to(torch.int64), torch.ones_like(c))]
        else:
            lo = torch.floor(c)
            frac = c - lo
            lo = lo.to(torch.int64)
            nodes = [(lo, 1.0 - frac), (lo + 1, frac)]
        fixed = []
        for idx, w in nodes:
            valid = (idx >= 0) & (idx < size) if fill_mode == "constant" else None
            fixed.append((_fix_index(idx, size, fill_mode), valid, w))
        per_axis.append(fixed)
    out = torch.zeros(coords.shape[1:], dtype=compute, device=x.device)
    fill = torch.as_tensor(float(fill_value), dtype=compute, device=x.device)
    for combo in itertools.product(*per_axis):
        idx = tuple(item[0] for item in combo)
        weight = combo[0][2]
        for item in combo[1:]:
            weight = weight * item[2]
        value = xf[idx]
        if fill_mode == "constant":
            ok = combo[0][1]
            for item in combo[1:]:
                ok = ok & item[1]
            value = torch.where(ok, value, fill)
        out = out + weight * value
    return _back_to(out, x.dtype) if not x.is_floating_point() else out.to(x.dtype)


def affine_transform(images, transform, interpolation='bilinear', fill_mode='constant',
                     fill_value=0, data_format=None):
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"interpolation must be 'nearest' or 'bilinear'; got "
                         f"{interpolation!r}.")
    fmt = _data_format(data_format)
    x, single = _batched_nhwc(images, fmt)
    t = convert_to_tensor(transform)
    if t.ndim == 1:
        t = t.unsqueeze(0)
    n, h, w, c = x.shape
    compute = torch.float64 if x.dtype == torch.float64 else torch.float32
    t = t.to(device=x.device, dtype=compute)
    t = t.expand(n, 8) if t.shape[0] == 1 else t
    ys = torch.arange(h, dtype=compute, device=x.device).reshape(1, h, 1)
    xs = torch.arange(w, dtype=compute, device=x.device).reshape(1, 1, w)
    a0, a1, a2, b0, b1, b2, c0, c1 = (t[:, i].reshape(n, 1, 1) for i in range(8))
    # output (x, y) samples input ((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)
    k = c0 * xs + c1 * ys + 1.0
    src_x = (a0 * xs + a1 * ys + a2) / k
    src_y = (b0 * xs + b1 * ys + b2) / k
    order = 0 if interpolation == "nearest" else 1
    outs = []
    for i in range(n):
        yy = src_y[i].unsqueeze(-1).expand(h, w, c)
        xx = src_x[i].unsqueeze(-1).expand(h, w, c)
        cc = torch.arange(c, dtype=compute, device=x.device).reshape(1, 1, c).expand(h, w, c)
        outs.append(map_coordinates(x[i], torch.stack([yy, xx, cc]), order,
                                    fill_mode=fill_mode, fill_value=fill_value))
    return _restore(torch.stack(outs), single, fmt)


# ---------------------------------------------------------------------------------------------
# colour spaces


def _channels_axis(x, data_format):
    if x.ndim not in (3, 4):
        raise ValueError(f"Expected rank 3 or 4 images; got shape {tuple(x.shape)}.")
    return -1 if _data_format(data_format) == "channels_last" else -3


def rgb_to_grayscale(images, data_format=None):
    x = convert_to_tensor(images)
    axis = _channels_axis(x, data_format)
    if x.shape[axis] == 1:
        return x
    if x.shape[axis] != 3:
        raise ValueError(f"Expected 3 (RGB) or 1 channels; got {x.shape[axis]}.")
    dtype = x.dtype
    compute = to_torch_dtype(dtypes.result_type(dtype_name(dtype), float))
    weights = torch.tensor([0.2989, 0.5870, 0.1140], dtype=compute, device=x.device)
    gray = torch.tensordot(x.to(compute), weights, dims=([x.ndim + axis], [0]))
    gray = gray.unsqueeze(axis)
    return gray.to(dtype)


def _require_float(x):
    if not x.is_floating_point():
        raise ValueError(f"Expected float images; got {x.dtype}.")


def rgb_to_hsv(images, data_format=None):
    x = convert_to_tensor(images)
    axis = _channels_axis(x, data_format)
    _require_float(x)
    eps = torch.finfo(x.dtype).eps
    x = torch.where(x.abs() < eps, torch.zeros_like(x), x)
    r, g, b = torch.unbind(x, dim=axis)
    value = torch.maximum(torch.maximum(r, g), b)
    minimum = torch.minimum(torch.minimum(r, g), b)
    rng = value - minimum
    safe_value = torch.where(value > 0, value, torch.ones_like(value))
    safe_range = torch.where(rng > 0, rng, torch.ones_like(rng))
    saturation = torch.where(value > 0, rng / safe_value, torch.zeros_like(value))
    norm = 1.0 / (6.0 * safe_range)
    hue = torch.where(value == g, norm * (b - r) + 2.0 / 6.0, norm * (r - g) + 4.0 / 6.0)
    hue = torch.where(value == r, norm * (g - b), hue)
    hue = torch.where(rng > 0, hue, torch.zeros_like(hue)) + (hue < 0.0).to(hue.dtype)
    return torch.stack([hue, saturation, value], dim=axis)


def hsv_to_rgb(images, data_format=None):
    x = convert_to_tensor(images)
    axis = _channels_axis(x, data_format)
    _require_float(x)
    h, s, v = torch.unbind(x, dim=axis)
    dh = torch.remainder(h, 1.0) * 6.0
    dr = torch.clamp(torch.abs(dh - 3.0) - 1.0, 0.0, 1.0)
    dg = torch.clamp(2.0 - torch.abs(dh - 2.0), 0.0, 1.0)
    db = torch.clamp(2.0 - torch.abs(dh - 4.0), 0.0, 1.0)
    one_minus_s = 1.0 - s
    return torch.stack([v * (one_minus_s + s * dr), v * (one_minus_s + s * dg),
                        v * (one_minus_s + s * db)], dim=axis)
