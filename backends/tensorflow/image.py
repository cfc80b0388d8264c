"""Image ops on TensorFlow: resize, affine transforms, coordinate sampling, color spaces."""

import itertools

import numpy as np
import tensorflow as tf

from keraslite import config
from keraslite_backends.tensorflow.core import convert_to_tensor
from keraslite_backends.tensorflow.nn import depthwise_conv
from keraslite_backends.tensorflow.random import normal

_RESIZE_METHODS = ("nearest", "bilinear", "bicubic", "area", "lanczos3", "lanczos5")
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {data_format!r}.")
    return data_format


def _to_nhwc(images, data_format):
    """(batched channels_last images, was_single)."""
    images = convert_to_tensor(images)
    if images.ndim not in (3, 4):
        raise ValueError(f"Expected a 3D or 4D image tensor, got shape {images.shape}.")
    single = images.ndim == 3
    if single:
        images = images[None]
    if data_format == "channels_first":
        images = tf.transpose(images, [0, 2, 3, 1])
    return images, single


def _from_nhwc(images, single, data_format):
    if data_format == "channels_first":
        images = tf.transpose(images, [0, 3, 1, 2])
    return images[0] if single else images


def _cast_like(x, dtype):
    if dtype.is_integer:
        x = tf.math.round(x)
        return tf.cast(tf.clip_by_value(x, float(dtype.min), float(dtype.max)), dtype)
    if dtype == tf.bool:
        return tf.math.not_equal(x, 0)
    return tf.cast(x, dtype)


def _kernel(x, method):
    """Interpolation kernel of `method` at distances x (a float64 tensor)."""
    x = tf.math.abs(x)
    if method == "bilinear":
        return tf.math.maximum(1.0 - x, 0.0)
    if method == "bicubic":  # Keys cubic with a = -0.5
        near = ((1.5 * x - 2.5) * x) * x + 1.0
        far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
        return tf.where(x < 1.0, near, tf.where(x < 2.0, far, tf.zeros_like(x)))
    radius = {"lanczos3": 3.0, "lanczos5": 5.0}[method]
    safe = tf.where(x > 1e-3, x, tf.ones_like(x))
    y = radius * tf.math.sin(np.pi * safe) * tf.math.sin(np.pi * safe / radius) / (
        np.pi ** 2 * safe ** 2)
    return tf.where(x > radius, tf.zeros_like(x), tf.where(x > 1e-3, y, tf.ones_like(x)))


def _resize_weights(in_size, out_size, method, antialias, scale=None, translation=0.0):
    """(in_size, out_size) float64 matrix of interpolation weights (half-pixel centres).

    Output pixel y samples the input at (y + 0.5 - translation) / scale - 0.5 (scale defaults
    to out_size / in_size; scale and translation may be tensors). Each output sample's weights
    are the kernel at its distance to every input pixel, normalised to sum to one; with
    antialias, downsampling widens the kernel by the scale. 'area' averages the input span
    each output pixel covers.
    """
    if method == "area":
        span = in_size / out_size
        lo = np.arange(out_size) * span
        hi = lo + span
        pix = np.arange(in_size)
        overlap = np.minimum(pix[:, None] + 1, hi[None, :]) - np.maximum(pix[:, None], lo[None, :])
        return tf.constant(np.maximum(overlap, 0.0) / span)
    scale = out_size / in_size if scale is None else scale
    inv_scale = 1.0 / tf.cast(scale, "float64")
    kernel_scale = tf.math.maximum(inv_scale, 1.0) if antialias else 1.0
    sample = (tf.range(out_size, dtype="float64") + 0.5 - tf.cast(translation, "float64")) \
        * inv_scale - 0.5
    pixels = tf.range(in_size, dtype="float64")[:, None]
    weights = _kernel((sample[None, :] - pixels) / kernel_scale, method)
    total = tf.reduce_sum(weights, axis=0, keepdims=True)
    ok = tf.math.abs(total) > 1000 * np.finfo(np.float32).eps
    weights = tf.where(ok, weights / tf.where(ok, total, tf.ones_like(total)),
                       tf.zeros_like(weights))
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return tf.where(inside[None, :], weights, tf.zeros_like(weights))


def resize(images, size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None):
    data_format = _data_format(data_format)
    if interpolation not in _RESIZE_METHODS:
        raise ValueError(f"resize: unknown interpolation {interpolation!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("resize: crop_to_aspect_ratio and pad_to_aspect_ratio exclude each other.")
    if len(size) != 2:
        raise ValueError(f"resize: size must be (height, width), got {size}.")
    x, single = _to_nhwc(images, data_format)
    dtype = x.dtype
    th, tw = int(size[0]), int(size[1])
    h, w = x.shape[1], x.shape[2]
    if h is None or w is None:
        raise ValueError("resize needs static image height and width.")
    if crop_to_aspect_ratio:
        ch = max(min(h, int(float(w * th) / tw)), 1)
        cw = max(min(w, int(float(h * tw) / th)), 1)
        hs, ws = int(float(h - ch) / 2), int(float(w - cw) / 2)
        x = x[:, hs:hs + ch, ws:ws + cw, :]
    elif pad_to_aspect_ratio:
        ph = max(h, int(float(w * th) / tw))
        pw = max(w, int(float(h * tw) / th))
        hs, ws = int(float(ph - h) / 2), int(float(pw - w) / 2)
        if hs > 0 or ws > 0:
            x = tf.pad(x, [[0, 0], [hs, hs], [ws, ws], [0, 0]],
                       constant_values=tf.cast(fill_value, x.dtype))
    work = x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, "float32")
    h, w = x.shape[1], x.shape[2]
    if interpolation == "nearest":
        rows = np.floor((np.arange(th) + 0.5) * h / th).astype("int32").clip(0, h - 1)
        cols = np.floor((np.arange(tw) + 0.5) * w / tw).astype("int32").clip(0, w - 1)
        out = tf.gather(tf.gather(x, rows, axis=1), cols, axis=2)
        return _from_nhwc(out, single, data_format)
    wr = tf.cast(_resize_weights(h, th, interpolation, antialias), work.dtype)
    wc = tf.cast(_resize_weights(w, tw, interpolation, antialias), work.dtype)
    out = tf.einsum("nhwc,hH,wW->nHWc", work, wr, wc)
    out = _cast_like(out, dtype)
    return _from_nhwc(out, single, data_format)


# ---------------------------------------------------------------------------------------------
# Sampling at fractional coordinates (shared by map_coordinates and affine_transform).


def _fix_index(index, size, fill_mode):
    """Map integer indices into [0, size) following fill_mode (constant leaves them as is)."""
    if fill_mode == "constant":
        return index
    if fill_mode == "nearest":
        return tf.clip_by_value(index, 0, size - 1)
    if fill_mode == "wrap":
        return tf.math.floormod(index, size)
    if fill_mode == "mirror":
        if size == 1:
            return tf.zeros_like(index)
        s = size - 1
        return tf.math.abs(tf.math.floormod(index + s, 2 * s) - s)
    if fill_mode == "reflect":
        s = 2 * size
        m = tf.math.floormod(2 * index + 1 + s, 2 * s) - s
        return tf.math.floordiv(tf.math.abs(m) - 1, 2)
    raise ValueError(f"Unknown fill_mode {fill_mode!r}; expected one of {_FILL_MODES}.")


def _sample(data, coords, order, fill_mode, fill_value, batch_index=None):
    """Interpolate `data` at float `coords` (one tensor per indexed axis, same shapes).

    data: (*indexed, *trailing); the result has shape coords[0].shape + trailing. With
    batch_index (a tensor like coords[0]), data has a leading batch axis indexed by it.
    """
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"Unknown fill_mode {fill_mode!r}; expected one of {_FILL_MODES}.")
    offset = 0 if batch_index is None else 1
    sizes = [data.shape[offset + i] for i in range(len(coords))]
    work = data.dtype if data.dtype in (tf.float32, tf.float64) else tf.float32
    values = tf.cast(data, work)
    fill = tf.cast(fill_value, work)
    trailing = data.ndim - offset - len(coords)

    if order == 0:
        taps_per_axis = [[(tf.cast(tf.math.floor(c + 0.5), "int32"), None)] for c in coords]
    elif order == 1:
        taps_per_axis = []
        for c in coords:
            lo = tf.math.floor(c)
            frac = tf.cast(c - lo, work)
            lo = tf.cast(lo, "int32")
            taps_per_axis.append([(lo, 1 - frac), (lo + 1, frac)])
    else:
        raise ValueError(f"Only interpolation order 0 or 1 is supported, got {order}.")

    def combos(i):
        if i == len(taps_per_axis):
            yield []
            return
        for tap in taps_per_axis[i]:
            for rest in combos(i + 1):
                yield [tap] + rest

    result = None
    for combo in combos(0):
        valid = None
        idx = []
        weight = None
        for (index, w), size in zip(combo, sizes):
            if fill_mode == "constant":
                ok = (index >= 0) & (index < size)
                valid = ok if valid is None else valid & ok
                index = tf.clip_by_value(index, 0, size - 1)
            else:
                index = _fix_index(index, size, fill_mode)
            idx.append(index)
            if w is not None:
                weight = w if weight is None else weight * w
        if batch_index is not None:
            idx = [batch_index] + idx
        gathered = tf.gather_nd(values, tf.stack(idx, axis=-1))
        if valid is not None:
            v = tf.reshape(valid, tf.concat([tf.shape(valid), [1] * trailing], 0))
            gathered = tf.where(v, gathered, fill)
        if weight is not None:
            weight = tf.reshape(weight, tf.concat([tf.shape(weight), [1] * trailing], 0))
            gathered = gathered * weight
        result = gathered if result is None else result + gathered
    return result


def map_coordinates(inputs, coordinates, order, fill_mode='constant', fill_value=0):
    x = convert_to_tensor(inputs)
    if isinstance(coordinates, (list, tuple)):
        coords = [tf.cast(convert_to_tensor(c), "float32") for c in coordinates]
    else:
        c = convert_to_tensor(coordinates)
        coords = tf.unstack(tf.cast(c, "float32"), axis=0)
    if len(coords) != x.ndim:
        raise ValueError(
            f"map_coordinates: expected {x.ndim} coordinate arrays, got {len(coords)}."
        )
    if x.dtype == tf.float64:
        coords = [tf.cast(c, "float64") for c in coords]
    out = _sample(x, coords, order, fill_mode, fill_value)
    return _cast_like(out, x.dtype)


def affine_transform(images, transform, interpolation='bilinear', fill_mode='constant', fill_value=0, data_format=None):
    data_format = _data_format(data_format)
    order = _order(interpolation, "affine_transform")
    x, single = _to_nhwc(images, data_format)
    t = tf.cast(convert_to_tensor(transform), "float32")
    if t.ndim == 1:
        t = t[None]
    batch = tf.shape(x)[0]
    t = tf.broadcast_to(t, tf.stack([batch, 8]))
    h, w = x.shape[1], x.shape[2]
    ys, xs = tf.meshgrid(tf.range(h, dtype="float32"), tf.range(w, dtype="float32"),
                         indexing="ij")
    a = [t[:, i][:, None, None] for i in range(8)]
    k = a[6] * xs + a[7] * ys + 1.0
    src_x = (a[0] * xs + a[1] * ys + a[2]) / k
    src_y = (a[3] * xs + a[4] * ys + a[5]) / k
    return _from_nhwc(_sample_images(x, src_y, src_x, order, fill_mode, fill_value), single,
                      data_format)


def _order(interpolation, op):
    """Sampling order of an interpolation name."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"{op}: `interpolation` must be 'nearest' or 'bilinear'; received "
                         f"{interpolation!r}.")
    return 0 if interpolation == "nearest" else 1


def _sample_images(x, src_y, src_x, order, fill_mode, fill_value):
    """(N, H, W, C) images x read at float rows src_y and columns src_x of shape (N, H', W'),
    in x's dtype (integer images rounded)."""
    batch = tf.broadcast_to(tf.range(tf.shape(x)[0])[:, None, None], tf.shape(src_x))
    out = _sample(x, [src_y, src_x], order, fill_mode, fill_value, batch_index=batch)
    return _cast_like(out, x.dtype)


# ---------------------------------------------------------------------------------------------
# Color spaces.


def _float_images(images, data_format):
    data_format = _data_format(data_format)
    x, single = _to_nhwc(images, data_format)
    dtype = x.dtype
    if not x.dtype.is_floating:
        x = tf.cast(x, config.floatx())
    return x, single, dtype, data_format


def rgb_to_grayscale(images, data_format=None):
    x, single, dtype, data_format = _float_images(images, data_format)
    weights = tf.constant([0.2989, 0.5870, 0.1140], x.dtype)
    gray = tf.reduce_sum(x * weights, axis=-1, keepdims=True)
    gray = _cast_like(gray, dtype) if dtype.is_integer else tf.cast(gray, x.dtype)
    return _from_nhwc(gray, single, data_format)


def rgb_to_hsv(images, data_format=None):
    x, single, dtype, data_format = _float_images(images, data_format)
    work = x if x.dtype in (tf.float32, tf.float64) else tf.cast(x, "float32")
    out = tf.cast(tf.image.rgb_to_hsv(work), x.dtype)
    return _from_nhwc(out, single, data_format)


def hsv_to_rgb(images, data_format=None):
    x, single, dtype, data_format = _float_images(images, data_format)
    h, sat, v = tf.unstack(x, 3, axis=-1)
    dh = tf.math.floormod(h, 1.0) * 6.0

    def ramp(d):
        return tf.clip_by_value(d, 0.0, 1.0)

    channels = [
        ramp(tf.math.abs(dh - 3.0) - 1.0),
        ramp(2.0 - tf.math.abs(dh - 2.0)),
        ramp(2.0 - tf.math.abs(dh - 4.0)),
    ]
    out = tf.stack([v * (1.0 - sat + sat * c) for c in channels], axis=-1)
    return _from_nhwc(out, single, data_format)


# ---------------------------------------------------------------------------------------------
# Crop and pad.


def _hw_axes(x, data_format, op):
    """Height and width axes of 3D/4D images."""
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: `images` must be 3D or 4D; received shape {x.shape}.")
    first = x.ndim - 3 if data_format == "channels_last" else x.ndim - 2
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


def _crop_pad_images(images, height_args, width_args, data_format, op, crop):
    x = convert_to_tensor(images)
    axes = _hw_axes(x, _data_format(data_format), op)
    amounts = {axis: _edge_amounts(args, x.shape[axis], op, crop)
               for axis, args in zip(axes, (height_args, width_args))}
    if crop:
        return x[tuple(slice(amounts[a][0], x.shape[a] - amounts[a][1]) if a in amounts
                       else slice(None) for a in range(x.ndim))]
    return tf.pad(x, [amounts.get(a, (0, 0)) for a in range(x.ndim)])


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
# Patches.


def _ints(value, rank, name, op):
    values = (value,) * rank if isinstance(value, int) else tuple(value)
    if len(values) != rank or not all(isinstance(v, int) and v > 0 for v in values):
        raise ValueError(f"{op}: `{name}` must be a positive int or {rank} of them; "
                         f"received {value!r}.")
    return values


def _patches(images, size, strides, dilation_rate, padding, data_format, rank, op):
    """Patches of a rank-`rank` spatial input, flattened into the channel axis."""
    data_format = _data_format(data_format)
    x = convert_to_tensor(images)
    if x.ndim not in (rank + 1, rank + 2):
        raise ValueError(f"{op}: expected a {rank + 1}D or {rank + 2}D input for a {rank}D "
                         f"patch size; received shape {x.shape}.")
    size = _ints(size, rank, "size", op)
    strides = size if strides is None else _ints(strides, rank, "strides", op)
    dilation = _ints(dilation_rate, rank, "dilation_rate", op)
    padding = padding.lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{op}: `padding` must be 'valid' or 'same'; received {padding!r}.")
    single = x.ndim == rank + 1
    if single:
        x = x[None]
    if data_format == "channels_first":
        x = tf.transpose(x, [0] + list(range(2, rank + 2)) + [1])
    pads, outs = [(0, 0)], []
    for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation):
        span = (k - 1) * d + 1
        out = -(-n // s) if padding == "same" else (n - span) // s + 1
        if out < 1:
            raise ValueError(f"{op}: a patch spanning {span} does not fit an axis of size {n}.")
        total = max((out - 1) * s + span - n, 0)
        pads.append((total // 2, total - total // 2))
        outs.append(out)
    x = tf.pad(x, pads + [(0, 0)])
    # one strided slice per tap of the patch; taps then channels make the feature axis
    taps = [x[(slice(None),) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s) for o, d, n, s
                                     in zip(offset, dilation, outs, strides))]
            for offset in itertools.product(*[range(k) for k in size])]
    out = tf.reshape(tf.stack(taps, axis=-2), tf.concat([tf.shape(x)[:1], outs + [-1]], 0))
    if data_format == "channels_first":
        out = tf.transpose(out, [0, rank + 1] + list(range(1, rank + 1)))
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
# Filters.


def _gaussian_1d(size, sigma, dtype):
    x = tf.range(size, dtype=dtype) - (size - 1) / 2
    weights = tf.math.exp(-0.5 * tf.math.square(x / tf.cast(sigma, dtype)))
    return weights / tf.reduce_sum(weights)


def _outer(a, b):
    return a[:, None] * b[None, :]


def _filter(x, kernels, padding, data_format):
    """Each (kh, kw) kernel applied to every channel of 4D x: channel c, kernel m goes to
    output channel c * len(kernels) + m."""
    channels = x.shape[-1 if data_format == "channels_last" else 1]
    kernel = tf.stack(kernels, axis=-1)[:, :, None, :]
    kernel = tf.tile(tf.cast(kernel, x.dtype), [1, 1, channels, 1])
    # conv computes float64 in float32 (as Keras); the result keeps x's dtype
    return tf.cast(depthwise_conv(x, kernel, 1, padding, data_format), x.dtype)


def _filter_input(images, op):
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: `images` must be 3D or 4D; received shape {x.shape}.")
    dtype = x.dtype
    return (x if dtype.is_floating else tf.cast(x, config.floatx())), dtype, x.ndim == 3


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    data_format = _data_format(data_format)
    x, dtype, single = _filter_input(images, "gaussian_blur")
    kh, kw = _ints(kernel_size, 2, "kernel_size", "gaussian_blur")
    sh, sw = (sigma, sigma) if np.ndim(sigma) == 0 else (sigma[0], sigma[1])
    kernel = _outer(_gaussian_1d(kh, sh, x.dtype), _gaussian_1d(kw, sw, x.dtype))
    out = _filter(x[None] if single else x, [kernel], "same", data_format)
    return _cast_like(out[0] if single else out, dtype)


_SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])


def sobel_edges(images, data_format=None):
    data_format = _data_format(data_format)
    x, dtype, _ = _filter_input(images, "sobel_edges")
    if x.ndim != 4:
        raise ValueError(f"sobel_edges: `images` must be 4D; received shape {x.shape}.")
    out = _filter(x, [tf.constant(_SOBEL_Y), tf.constant(_SOBEL_Y.T)], "same", data_format)
    shape = tf.shape(out)
    if data_format == "channels_last":
        out = tf.reshape(out, tf.concat([shape[:3], [-1, 2]], 0))
    else:
        out = tf.reshape(out, tf.concat([shape[:1], [-1, 2], shape[2:]], 0))
        out = tf.transpose(out, [0, 1, 3, 4, 2])
    return _cast_like(out, dtype)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    data_format = _data_format(data_format)
    x, dtype, single = _filter_input(image1, "ssim")
    y, _, _ = _filter_input(image2, "ssim")
    if x.shape != y.shape:
        raise ValueError(f"ssim: `image1` and `image2` must have the same shape; received "
                         f"{x.shape} and {y.shape}.")
    y = tf.cast(y, x.dtype)  # both in image1's float dtype, as Keras
    if single:
        x, y = x[None], y[None]
    g = _gaussian_1d(filter_size, filter_sigma, x.dtype)
    window = _outer(g, g)

    def local_mean(v):
        return _filter(v, [window], "valid", data_format)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x * mu_x
    var_y = local_mean(y * y) - mu_y * mu_y
    cov = local_mean(x * y) - mu_x * mu_y
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)
                / ((mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2)))
    out = tf.reduce_mean(ssim_map, axis=[1, 2, 3])
    return tf.cast(out[0] if single else out, dtype)  # ints truncate, as Keras' cast


# ---------------------------------------------------------------------------------------------
# Warps.


def _points(points, name):
    points = convert_to_tensor(points)
    if not points.dtype.is_floating:
        points = tf.cast(points, config.floatx())
    if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
        raise ValueError(f"perspective_transform: `{name}` must have shape (4, 2) or (N, 4, 2); "
                         f"received {points.shape}.")
    return points if points.ndim == 3 else points[None]


def perspective_transform(images, start_points, end_points, interpolation='bilinear',
                          fill_value=0, data_format=None):
    start, end = _points(start_points, "start_points"), _points(end_points, "end_points")
    if start.shape != end.shape:
        raise ValueError(f"perspective_transform: `start_points` and `end_points` must have the "
                         f"same shape; received {start.shape} and {end.shape}.")
    end = tf.cast(end, start.dtype)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    # the 8 projective parameters taking each end point (ex, ey) to its start point (sx, sy)
    zero, one = tf.zeros_like(ex), tf.ones_like(ex)
    rows_x = tf.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1)
    rows_y = tf.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1)
    system = tf.concat([rows_x, rows_y], axis=1)
    transform = tf.linalg.solve(system, tf.concat([sx, sy], axis=1)[..., None])[..., 0]
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
    x = convert_to_tensor(images)
    dtype = x.dtype if x.dtype.is_floating else tf.as_dtype(config.floatx())
    compute = dtype if dtype in (tf.float32, tf.float64) else tf.float32
    x = tf.cast(x, compute)
    scale, translation = convert_to_tensor(scale), convert_to_tensor(translation)
    for i, d in enumerate(d % x.ndim for d in spatial_dims):
        w = tf.cast(_resize_weights(x.shape[d], output_shape[d], _SCALE_METHODS[method],
                                    antialias, scale[i], translation[i]), compute)
        x = tf.tensordot(x, w, axes=[[d], [0]])
        x = tf.transpose(x, list(range(d)) + [x.ndim - 1] + list(range(d, x.ndim - 1)))
    return tf.cast(x, dtype)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation='bilinear',
                      fill_mode='reflect', fill_value=0.0, seed=None, data_format=None):
    data_format = _data_format(data_format)
    order = _order(interpolation, "elastic_transform")
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"elastic_transform: `fill_mode` must be one of {_FILL_MODES}; "
                         f"received {fill_mode!r}.")
    x, single = _to_nhwc(images, data_format)
    compute = x.dtype if x.dtype.is_floating else tf.as_dtype(config.floatx())
    n, h, w = x.shape[0], x.shape[1], x.shape[2]
    # independent row and column displacement fields, smoothed by a Gaussian
    noise = normal((2 * n, h, w, 1), stddev=sigma, dtype=compute.name, seed=seed)
    g = _gaussian_1d(int(6 * float(sigma)) | 1, sigma, compute)
    field = alpha * _filter(noise, [_outer(g, g)], "same", "channels_last")[..., 0]
    dy, dx = field[:n], field[n:]
    rows, cols = tf.meshgrid(tf.range(h, dtype=compute), tf.range(w, dtype=compute),
                             indexing="ij")
    out = _sample_images(x, rows + dy, cols + dx, order, fill_mode, fill_value)
    return _from_nhwc(out, single, data_format)
