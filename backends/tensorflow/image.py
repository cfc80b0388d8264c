"""Image ops on TensorFlow: resize, affine transforms, coordinate sampling, color spaces."""

import numpy as np
import tensorflow as tf

from keraslite import config
from keraslite_backends.tensorflow.core import convert_to_tensor

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


def _cubic(x):
    """Keys cubic kernel with a = -0.5."""
    x = np.abs(x)
    near = ((1.5 * x - 2.5) * x) * x + 1.0
    far = ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0
    return np.where(x < 1.0, near, np.where(x < 2.0, far, 0.0))


def _lanczos(radius):
    def kernel(x):
        x = np.abs(x)
        safe = np.where(x > 1e-3, x, 1.0)
        y = radius * np.sin(np.pi * safe) * np.sin(np.pi * safe / radius) / (np.pi ** 2 * safe ** 2)
        return np.where(x > radius, 0.0, np.where(x > 1e-3, y, 1.0))

    return kernel


_KERNELS = {
    "bilinear": lambda x: np.maximum(0.0, 1.0 - np.abs(x)),
    "bicubic": _cubic,
    "lanczos3": _lanczos(3),
    "lanczos5": _lanczos(5),
}


def _resize_weights(in_size, out_size, method, antialias):
    """(in_size, out_size) matrix of interpolation weights (half-pixel centres).

    Each output sample's weights are the kernel at its distance to every input pixel,
    normalised to sum to one; with antialias, downsampling widens the kernel by the scale.
    'area' averages the input span each output pixel covers.
    """
    scale = in_size / out_size
    if method == "area":
        lo = np.arange(out_size) * scale
        hi = lo + scale
        pix = np.arange(in_size)
        overlap = np.minimum(pix[:, None] + 1, hi[None, :]) - np.maximum(pix[:, None], lo[None, :])
        return np.maximum(overlap, 0.0) / scale
    kernel_scale = max(scale, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * scale - 0.5
    weights = _KERNELS[method]((sample[None, :] - np.arange(in_size)[:, None]) / kernel_scale)
    total = weights.sum(axis=0, keepdims=True)
    ok = np.abs(total) > 1000 * np.finfo(np.float32).eps
    weights = np.where(ok, weights / np.where(ok, total, 1.0), 0.0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], weights, 0.0)


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
    wr = tf.constant(_resize_weights(h, th, interpolation, antialias), work.dtype)
    wc = tf.constant(_resize_weights(w, tw, interpolation, antialias), work.dtype)
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
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"affine_transform: unknown interpolation {interpolation!r}.")
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
    bidx = tf.broadcast_to(tf.range(batch)[:, None, None], tf.shape(src_x))
    order = 0 if interpolation == "nearest" else 1
    out = _sample(x, [src_y, src_x], order, fill_mode, fill_value, batch_index=bidx)
    out = _cast_like(out, x.dtype)
    return _from_nhwc(out, single, data_format)


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
