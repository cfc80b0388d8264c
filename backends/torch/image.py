"""Image ops of the torch backend (batched (N, H, W, C) or single (H, W, C) images).

Resizing uses separable weight matrices with half-pixel centres (the jax.image.resize scheme),
so results agree with Keras's JAX backend; sampling follows scipy.ndimage.map_coordinates.
"""

import itertools
import math as pymath

import numpy as np
import torch

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.torch.core import convert_to_tensor, dtype_name, to_torch_dtype
from keraslite_backends.torch.nn import depthwise_conv
from keraslite_backends.torch.random import normal

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


def _weights(in_size, out_size, method, antialias, dtype, device, scale=None, translation=0.0):
    """(out_size, in_size) resampling matrix for one axis: output pixel y samples the input at
    (y + 0.5 - translation) / scale - 0.5 (scale defaults to out_size / in_size; both may be
    tensors)."""
    if method == "area":
        # fraction of each input pixel covered by the output pixel's footprint
        inv = in_size / out_size
        o = torch.arange(out_size, dtype=torch.float64, device=device).reshape(-1, 1)
        i = torch.arange(in_size, dtype=torch.float64, device=device).reshape(1, -1)
        lo, hi = o * inv, (o + 1) * inv
        overlap = torch.clamp(torch.minimum(hi, i + 1) - torch.maximum(lo, i), min=0.0)
        return (overlap / overlap.sum(-1, keepdim=True)).to(dtype)
    kernel = _kernel(method)
    scale = out_size / in_size if scale is None else scale
    inv_scale = 1.0 / torch.as_tensor(scale, dtype=torch.float64, device=device)
    kernel_scale = torch.clamp(inv_scale, min=1.0) if antialias else 1.0
    out_pos = torch.arange(out_size, dtype=torch.float64, device=device)
    sample = (out_pos + 0.5 - torch.as_tensor(translation, dtype=torch.float64, device=device)) \
        * inv_scale - 0.5
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
    order = _order(interpolation, "affine_transform")
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
    return _restore(_sample(x, src_y, src_x, order, fill_mode, fill_value), single, fmt)


def _order(interpolation, op):
    """map_coordinates order of an interpolation name."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"{op}: `interpolation` must be 'nearest' or 'bilinear'; received "
                         f"{interpolation!r}.")
    return 0 if interpolation == "nearest" else 1


def _sample(x, src_y, src_x, order, fill_mode, fill_value):
    """(N, H, W, C) images x read at float rows src_y and columns src_x of shape (N, H', W'),
    as map_coordinates (which keeps the image dtype)."""
    c = x.shape[-1]
    channels = torch.arange(c, dtype=src_y.dtype, device=x.device)
    outs = []
    for i in range(x.shape[0]):
        shape = tuple(src_y.shape[1:]) + (c,)
        coords = torch.stack([src_y[i].unsqueeze(-1).expand(shape),
                              src_x[i].unsqueeze(-1).expand(shape), channels.expand(shape)])
        outs.append(map_coordinates(x[i], coords, order, fill_mode=fill_mode,
                                    fill_value=fill_value))
    return torch.stack(outs)


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


# ---------------------------------------------------------------------------------------------
# crop and pad


def _hw_axes(x, fmt, op):
    """Height and width axes of 3D/4D images."""
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: `images` must be 3D or 4D; received shape {tuple(x.shape)}.")
    first = x.ndim - 3 if fmt == "channels_last" else x.ndim - 2
    return first, first + 1


def _edge_amounts(args, size, op, crop):
    """(before, after) along one axis from exactly two of (before, after, target) given."""
    given = dict(args)
    if list(given.values()).count(None) != 1:
        raise ValueError(f"{op}: give exactly two of {', '.join(given)}; received {given}.")
    for name, value in given.items():
        if value is not None and value < 0:
            raise ValueError(f"{op}: `{name}` must be >= 0; received {value}.")
    before, after, target = given.values()
    if target is not None:
        change = size - target if crop else target - size
        before, after = (change - after, after) if before is None else (before, change - before)
    if before < 0 or after < 0 or (crop and before + after > size):
        raise ValueError(f"{op}: {given} does not fit an axis of size {size}.")
    return before, after


def _pad(x, widths):
    """Zero padding with one (before, after) pair per axis."""
    return torch.nn.functional.pad(x, [v for pair in reversed(widths) for v in pair])


def _crop_pad_images(images, height_args, width_args, data_format, op, crop):
    x = convert_to_tensor(images)
    axes = _hw_axes(x, _data_format(data_format), op)
    amounts = {axis: _edge_amounts(args, x.shape[axis], op, crop)
               for axis, args in zip(axes, (height_args, width_args))}
    if crop:
        return x[tuple(slice(amounts[a][0], x.shape[a] - amounts[a][1]) if a in amounts
                       else slice(None) for a in range(x.ndim))]
    return _pad(x, [amounts.get(a, (0, 0)) for a in range(x.ndim)])


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    return _crop_pad_images(
        images, (("top_cropping", top_cropping), ("bottom_cropping", bottom_cropping),
                 ("target_height", target_height)),
        (("left_cropping", left_cropping), ("right_cropping", right_cropping),
         ("target_width", target_width)), data_format, "crop_images", crop=True)


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    return _crop_pad_images(
        images, (("top_padding", top_padding), ("bottom_padding", bottom_padding),
                 ("target_height", target_height)),
        (("left_padding", left_padding), ("right_padding", right_padding),
         ("target_width", target_width)), data_format, "pad_images", crop=False)


# ---------------------------------------------------------------------------------------------
# patches


def _ints(value, rank, name, op):
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(f"{op}: `{name}` must be a positive int or {rank} of them; "
                         f"received {value!r}.")
    return values


def _patches(images, size, strides, dilation_rate, padding, data_format, rank, op):
    """Patches of a rank-`rank` spatial input, flattened into the channel axis."""
    fmt = _data_format(data_format)
    x = convert_to_tensor(images)
    if x.ndim not in (rank + 1, rank + 2):
        raise ValueError(f"{op}: expected a {rank + 1}D or {rank + 2}D input for a {rank}D "
                         f"patch size; received shape {tuple(x.shape)}.")
    size = _ints(size, rank, "size", op)
    strides = size if strides is None else _ints(strides, rank, "strides", op)
    dilation = _ints(dilation_rate, rank, "dilation_rate", op)
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{op}: `padding` must be 'valid' or 'same'; received {padding!r}.")
    single = x.ndim == rank + 1
    if single:
        x = x.unsqueeze(0)
    if fmt == "channels_first":
        x = torch.movedim(x, 1, -1)
    pads, outs = [(0, 0)], []
    for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation):
        span = (k - 1) * d + 1
        out = -(-n // s) if padding == "same" else (n - span) // s + 1
        if out < 1:
            raise ValueError(f"{op}: a patch spanning {span} does not fit an axis of size {n}.")
        total = max((out - 1) * s + span - n, 0)
        pads.append((total // 2, total - total // 2))
        outs.append(out)
    x = _pad(x, pads + [(0, 0)])
    # one strided slice per tap of the patch; taps then channels make the feature axis
    taps = [x[(slice(None),) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s) for o, d, n, s
                                     in zip(offset, dilation, outs, strides))]
            for offset in itertools.product(*[range(k) for k in size])]
    out = torch.stack(taps, dim=-2).reshape(x.shape[0], *outs, -1)
    if fmt == "channels_first":
        out = torch.movedim(out, -1, 1)
    return out[0] if single else out


def extract_patches(images, size, strides=None, dilation_rate=1, padding='valid',
                    data_format=None):
    rank = 3 if isinstance(size, (tuple, list)) and len(size) == 3 else 2
    return _patches(images, size, strides, dilation_rate, padding, data_format, rank,
                    "extract_patches")


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding='valid',
                       data_format=None):
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3,
                    "extract_patches_3d")


# ---------------------------------------------------------------------------------------------
# filters


def _gaussian_1d(size, sigma, dtype, device):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    weights = torch.exp(-0.5 * (x / torch.as_tensor(sigma, dtype=dtype, device=device)) ** 2)
    return weights / weights.sum()


def _filter(x, kernels, padding, fmt):
    """Each (kh, kw) kernel applied to every channel of 4D x: channel c, kernel m goes to
    output channel c * len(kernels) + m."""
    channels = x.shape[-1 if fmt == "channels_last" else 1]
    kernel = torch.stack(kernels, dim=-1).unsqueeze(2)
    kernel = kernel.expand(*kernel.shape[:2], channels, len(kernels))
    # conv computes float64 in float32 (as Keras); the result keeps x's dtype
    return depthwise_conv(x, kernel.to(x.dtype), 1, padding, fmt).to(x.dtype)


def _filter_input(images, op):
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: `images` must be 3D or 4D; received shape {tuple(x.shape)}.")
    return _float_compute(x), x.dtype, x.ndim == 3


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    fmt = _data_format(data_format)
    x, dtype, single = _filter_input(images, "gaussian_blur")
    kh, kw = _ints(kernel_size, 2, "kernel_size", "gaussian_blur")
    sh, sw = (sigma, sigma) if np.ndim(sigma) == 0 else (sigma[0], sigma[1])
    kernel = torch.outer(_gaussian_1d(kh, sh, x.dtype, x.device),
                         _gaussian_1d(kw, sw, x.dtype, x.device))
    out = _filter(x.unsqueeze(0) if single else x, [kernel], "same", fmt)
    return _back_to(out[0] if single else out, dtype)


_SOBEL_Y = ((-1.0, -2.0, -1.0), (0.0, 0.0, 0.0), (1.0, 2.0, 1.0))


def sobel_edges(images, data_format=None):
    fmt = _data_format(data_format)
    x, dtype, _ = _filter_input(images, "sobel_edges")
    if x.ndim != 4:
        raise ValueError(f"sobel_edges: `images` must be 4D; received shape {tuple(x.shape)}.")
    dy = torch.tensor(_SOBEL_Y, dtype=x.dtype, device=x.device)
    out = _filter(x, [dy, dy.T], "same", fmt)
    if fmt == "channels_last":
        out = out.reshape(*out.shape[:3], -1, 2)
    else:
        out = torch.movedim(out.reshape(out.shape[0], -1, 2, *out.shape[2:]), 2, -1)
    return _back_to(out, dtype)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    fmt = _data_format(data_format)
    x, dtype, single = _filter_input(image1, "ssim")
    y, _, _ = _filter_input(image2, "ssim")
    if x.shape != y.shape:
        raise ValueError(f"ssim: `image1` and `image2` must have the same shape; received "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.")
    y = y.to(x.dtype)  # both in image1's float dtype, as Keras
    if single:
        x, y = x.unsqueeze(0), y.unsqueeze(0)
    g = _gaussian_1d(filter_size, filter_sigma, x.dtype, x.device)
    window = torch.outer(g, g)

    def local_mean(v):
        return _filter(v, [window], "valid", fmt)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x * mu_x
    var_y = local_mean(y * y) - mu_y * mu_y
    cov = local_mean(x * y) - mu_x * mu_y
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)
                / ((mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2)))
    out = ssim_map.mean(dim=(1, 2, 3))
    return (out[0] if single else out).to(dtype)  # ints truncate, as Keras' cast


# ---------------------------------------------------------------------------------------------
# warps


def _points(points, name):
    points = _float_compute(convert_to_tensor(points))
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(f"perspective_transform: `{name}` must have shape (4, 2) or (N, 4, 2); "
                         f"received {tuple(points.shape)}.")
    return points if points.ndim == 3 else points.unsqueeze(0)


def perspective_transform(images, start_points, end_points, interpolation='bilinear',
                          fill_value=0, data_format=None):
    start, end = _points(start_points, "start_points"), _points(end_points, "end_points")
    if start.shape != end.shape:
        raise ValueError(f"perspective_transform: `start_points` and `end_points` must have the "
                         f"same shape; received {tuple(start.shape)} and {tuple(end.shape)}.")
    end = end.to(start.dtype)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    # the 8 projective parameters taking each end point (ex, ey) to its start point (sx, sy)
    zero, one = torch.zeros_like(ex), torch.ones_like(ex)
    rows_x = torch.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1)
    rows_y = torch.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1)
    system = torch.cat([rows_x, rows_y], dim=1)
    transform = torch.linalg.solve(system, torch.cat([sx, sy], dim=1))
    return affine_transform(images, transform, interpolation, "constant", fill_value,
                            data_format)


_SCALE_METHODS = {"linear": "bilinear", "bilinear": "bilinear", "trilinear": "bilinear",
                  "cubic": "bicubic", "bicubic": "bicubic", "tricubic": "bicubic",
                  "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    if method not in _SCALE_METHODS:
        raise ValueError(f"scale_and_translate: `method` must be one of "
                         f"{tuple(_SCALE_METHODS)}; received {method!r}.")
    x = _float_compute(convert_to_tensor(images))
    dtype = x.dtype
    compute = torch.float32 if dtype in (torch.float16, torch.bfloat16) else dtype
    x = x.to(compute)
    scale, translation = convert_to_tensor(scale), convert_to_tensor(translation)
    for i, d in enumerate(d % x.ndim for d in spatial_dims):
        w = _weights(x.shape[d], output_shape[d], _SCALE_METHODS[method], antialias, compute,
                     x.device, scale[i], translation[i])
        x = torch.movedim(torch.tensordot(x, w, dims=([d], [1])), -1, d)
    return x.to(dtype)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation='bilinear',
                      fill_mode='reflect', fill_value=0.0, seed=None, data_format=None):
    fmt = _data_format(data_format)
    order = _order(interpolation, "elastic_transform")
    if fill_mode not in ("constant", "nearest", "wrap", "mirror", "reflect"):
        raise ValueError(f"elastic_transform: `fill_mode` must be 'constant', 'nearest', "
                         f"'wrap', 'mirror' or 'reflect'; received {fill_mode!r}.")
    x, single = _batched_nhwc(images, fmt)
    compute = _float_compute(x).dtype
    n, h, w, _ = x.shape
    # independent row and column displacement fields, smoothed by a Gaussian
    noise = normal((2 * n, h, w, 1), stddev=sigma, dtype=dtype_name(compute), seed=seed)
    g = _gaussian_1d(int(6 * float(sigma)) | 1, sigma, compute, x.device)
    field = alpha * _filter(noise.to(x.device), [torch.outer(g, g)], "same", "channels_last")
    dy, dx = field[..., 0].split(n)
    rows = torch.arange(h, dtype=compute, device=x.device).reshape(1, h, 1)
    cols = torch.arange(w, dtype=compute, device=x.device).reshape(1, 1, w)
    out = _sample(x, rows + dy, cols + dx, order, fill_mode, fill_value)
    return _restore(out, single, fmt)
