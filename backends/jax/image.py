"""Image ops on jax for batched (N, H, W, C) or single (H, W, C) images."""

import jax
import jax.numpy as jnp
import jax.scipy.ndimage as jndi
import numpy as np

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.jax.core import convert_to_tensor

_RESIZE_METHODS = {
    "nearest": "nearest", "bilinear": "linear", "bicubic": "cubic",
    "lanczos3": "lanczos3", "lanczos5": "lanczos5", "area": "area",
}
_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Invalid data_format {data_format!r}.")
    return data_format


def _float(x):
    x = convert_to_tensor(x)
    if not dtypes.is_float(x.dtype):
        x = x.astype(config.floatx())
    return x


def _as_batched_nhwc(images, data_format):
    """(images as (N, H, W, C), whether the input was a single image)."""
    if images.ndim not in (3, 4):
        raise ValueError(f"Expected a 3D or 4D image tensor; got shape {images.shape}.")
    single = images.ndim == 3
    if single:
        images = images[None]
    if data_format == "channels_first":
        images = jnp.transpose(images, (0, 2, 3, 1))
    return images, single


def _restore(images, single, data_format):
    if data_format == "channels_first":
        images = jnp.transpose(images, (0, 3, 1, 2))
    return images[0] if single else images


# --------------------------------------------------------------------------- resize


def _area_matrix(in_size, out_size, dtype):
    """(out, in) weights averaging each output cell's footprint on the input (box filter)."""
    scale = in_size / out_size
    starts = np.arange(out_size) * scale
    ends = starts + scale
    left = np.arange(in_size)
    overlap = np.clip(np.minimum(ends[:, None], left[None, :] + 1)
                      - np.maximum(starts[:, None], left[None, :]), 0, None)
    return jnp.asarray(overlap / scale, dtype)


def _resize_area(images, height, width):
    rows = _area_matrix(images.shape[1], height, images.dtype)
    cols = _area_matrix(images.shape[2], width, images.dtype)
    return jnp.einsum("oh,nhwc,pw->nopc", rows, images, cols)


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    data_format = _data_format(data_format)
    if interpolation not in _RESIZE_METHODS:
        raise ValueError(
            f"Invalid interpolation {interpolation!r}; expected one of {tuple(_RESIZE_METHODS)}."
        )
    if fill_mode != "constant":
        raise ValueError(f"resize only supports fill_mode='constant'; received {fill_mode!r}.")
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("Only one of crop_to_aspect_ratio and pad_to_aspect_ratio can be True.")
    if len(size) != 2:
        raise ValueError(f"`size` must be (height, width); received {size}.")
    target_h, target_w = int(size[0]), int(size[1])
    x, single = _as_batched_nhwc(convert_to_tensor(images), data_format)
    in_dtype = dtypes.standardize_dtype(x.dtype)
    height, width = x.shape[1], x.shape[2]

    if crop_to_aspect_ratio:
        crop_h = max(min(height, int(width * target_h / target_w)), 1)
        crop_w = max(min(width, int(height * target_w / target_h)), 1)
        top = int((height - crop_h) / 2)
        left = int((width - crop_w) / 2)
        x = x[:, top:top + crop_h, left:left + crop_w, :]
    elif pad_to_aspect_ratio:
        pad_h = max(height, int(width * target_h / target_w))
        pad_w = max(width, int(height * target_w / target_h))
        top = int((pad_h - height) / 2)
        left = int((pad_w - width) / 2)
        x = jnp.pad(x, ((0, 0), (top, top), (left, left), (0, 0)),
                    constant_values=jnp.asarray(fill_value, x.dtype))

    method = _RESIZE_METHODS[interpolation]
    if method == "area":
        out = _resize_area(_float(x), target_h, target_w)
    else:
        shape = (x.shape[0], target_h, target_w, x.shape[3])
        out = jax.image.resize(x, shape, method=method, antialias=antialias)
    # Integer images stay integer (rounded), as in Keras.
    if not dtypes.is_float(in_dtype):
        out = _round_to_int(out, in_dtype)
    return _restore(out.astype(in_dtype), single, data_format)


def _round_to_int(x, dtype):
    if dtype == "bool":
        return x > 0.5
    info = np.iinfo(dtype)
    return jnp.clip(jnp.round(x), info.min, info.max)


# --------------------------------------------------------------------------- sampling


def _check_fill_mode(fill_mode):
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"Invalid fill_mode {fill_mode!r}; expected one of {_FILL_MODES}.")


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    _check_fill_mode(fill_mode)
    if order not in (0, 1):
        raise ValueError(f"`order` must be 0 or 1; received {order}.")
    inputs = convert_to_tensor(inputs)
    coordinates = convert_to_tensor(coordinates) if not isinstance(
        coordinates, (list, tuple)) else [convert_to_tensor(c) for c in coordinates]
    if len(coordinates) != inputs.ndim:
        raise ValueError(
            f"`coordinates` must have {inputs.ndim} entries (one per input axis); "
            f"received {len(coordinates)}."
        )
    coords = [jnp.asarray(c) for c in coordinates]
    coord_dtype = dtypes.result_type(*[c.dtype for c in coords], float)
    coords = [c.astype(coord_dtype) for c in coords]
    return jndi.map_coordinates(inputs, coords, order=order, mode=fill_mode, cval=fill_value)


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    data_format = _data_format(data_format)
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"Invalid interpolation {interpolation!r}; expected 'nearest' or "
                         f"'bilinear'.")
    _check_fill_mode(fill_mode)
    x, single = _as_batched_nhwc(convert_to_tensor(images), data_format)
    transform = _float(transform)
    coord_dtype = transform.dtype
    if transform.ndim == 1:
        transform = transform[None]
    if transform.shape[-1] != 8:
        raise ValueError(f"`transform` must have 8 parameters; got shape {transform.shape}.")
    transform = jnp.broadcast_to(transform, (x.shape[0], 8))
    _, height, width, channels = x.shape
    rows, cols, chans = jnp.meshgrid(jnp.arange(height, dtype=coord_dtype),
                                     jnp.arange(width, dtype=coord_dtype),
                                     jnp.arange(channels, dtype=coord_dtype), indexing="ij")
    order = 0 if interpolation == "nearest" else 1

    def one(image, t):
        a0, a1, a2, b0, b1, b2, c0, c1 = (t[i] for i in range(8))
        k = c0 * cols + c1 * rows + 1
        x_in = (a0 * cols + a1 * rows + a2) / k
        y_in = (b0 * cols + b1 * rows + b2) / k
        return jndi.map_coordinates(image, [y_in, x_in, chans], order=order, mode=fill_mode,
                                    cval=fill_value)

    # map_coordinates keeps the image dtype (integer images are rounded).
    out = jax.vmap(one)(x, transform)
    return _restore(out, single, data_format)


# --------------------------------------------------------------------------- color


def _channel_axis(images, data_format):
    if images.ndim not in (3, 4):
        raise ValueError(f"Expected a 3D or 4D image tensor; got shape {images.shape}.")
    return -1 if data_format == "channels_last" else -3


def rgb_to_grayscale(images, data_format=None):
    data_format = _data_format(data_format)
    images = convert_to_tensor(images)
    axis = _channel_axis(images, data_format)
    in_dtype = images.dtype
    x = _float(images)
    weights = jnp.asarray([0.2989, 0.5870, 0.1140], x.dtype)
    gray = jnp.tensordot(x, weights, axes=((axis,), (0,)))
    return jnp.expand_dims(gray, axis).astype(in_dtype)


def rgb_to_hsv(images, data_format=None):
    data_format = _data_format(data_format)
    x = _float(images)
    axis = _channel_axis(x, data_format)
    eps = jnp.finfo(x.dtype).eps
    x = jnp.where(jnp.abs(x) < eps, 0.0, x)
    red, green, blue = jnp.split(x, 3, axis=axis)
    value = jnp.maximum(jnp.maximum(red, green), blue)
    spread = value - jnp.minimum(jnp.minimum(red, green), blue)
    safe_value = jnp.where(value > 0, value, 1.0)
    safe_spread = jnp.where(spread > 0, spread, 1.0)
    saturation = jnp.where(value > 0, spread / safe_value, 0.0)
    norm = 1.0 / (6.0 * safe_spread)
    hue = jnp.where(value == green, norm * (blue - red) + 2.0 / 6.0,
                    norm * (red - green) + 4.0 / 6.0)
    hue = jnp.where(value == red, norm * (green - blue), hue)
    hue = jnp.where(spread > 0, hue, 0.0)
    hue = hue + (hue < 0).astype(x.dtype)
    return jnp.concatenate([hue, saturation, value], axis=axis).astype(x.dtype)


def hsv_to_rgb(images, data_format=None):
    data_format = _data_format(data_format)
    x = _float(images)
    axis = _channel_axis(x, data_format)
    hue, saturation, value = jnp.split(x, 3, axis=axis)
    sector = jnp.mod(hue, 1.0) * 6.0
    red_w = jnp.clip(jnp.abs(sector - 3.0) - 1.0, 0.0, 1.0)
    green_w = jnp.clip(2.0 - jnp.abs(sector - 2.0), 0.0, 1.0)
    blue_w = jnp.clip(2.0 - jnp.abs(sector - 4.0), 0.0, 1.0)
    base = 1.0 - saturation
    red = value * (base + saturation * red_w)
    green = value * (base + saturation * green_w)
    blue = value * (base + saturation * blue_w)
    return jnp.concatenate([red, green, blue], axis=axis).astype(x.dtype)
