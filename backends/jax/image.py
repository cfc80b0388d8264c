"""Image ops on jax for batched (N, H, W, C) or single (H, W, C) images."""

import itertools

import jax
import jax.numpy as jnp
import jax.scipy.ndimage as jndi
import numpy as np

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.jax.core import convert_to_tensor
from keraslite_backends.jax.nn import depthwise_conv
from keraslite_backends.jax.random import normal

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


def _check_fill_mode(fill_mode, op):
    if fill_mode not in _FILL_MODES:
        raise ValueError(f"{op}: `fill_mode` must be one of {_FILL_MODES}; received "
                         f"{fill_mode!r}.")


def _order(interpolation, op):
    """map_coordinates order of an interpolation name."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError(f"{op}: `interpolation` must be 'nearest' or 'bilinear'; received "
                         f"{interpolation!r}.")
    return 0 if interpolation == "nearest" else 1


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    _check_fill_mode(fill_mode, "map_coordinates")
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
    order = _order(interpolation, "affine_transform")
    _check_fill_mode(fill_mode, "affine_transform")
    x, single = _as_batched_nhwc(convert_to_tensor(images), data_format)
    transform = _float(transform)
    coord_dtype = transform.dtype
    if transform.ndim == 1:
        transform = transform[None]
    if transform.shape[-1] != 8:
        raise ValueError(f"`transform` must have 8 parameters; got shape {transform.shape}.")
    transform = jnp.broadcast_to(transform, (x.shape[0], 8))
    _, height, width, _ = x.shape
    rows, cols = jnp.meshgrid(jnp.arange(height, dtype=coord_dtype),
                              jnp.arange(width, dtype=coord_dtype), indexing="ij")
    a0, a1, a2, b0, b1, b2, c0, c1 = (transform[:, i, None, None] for i in range(8))
    k = c0 * cols + c1 * rows + 1
    x_in = (a0 * cols + a1 * rows + a2) / k
    y_in = (b0 * cols + b1 * rows + b2) / k
    return _restore(_sample(x, y_in, x_in, order, fill_mode, fill_value), single, data_format)


def _sample(x, y_in, x_in, order, fill_mode, fill_value):
    """(N, H, W, C) images x read at float rows y_in and columns x_in of shape (N, H', W');
    map_coordinates keeps the image dtype (integer images are rounded)."""
    channels = x.shape[-1]

    def one(image, ys, xs):
        shape = ys.shape + (channels,)
        coords = [jnp.broadcast_to(ys[..., None], shape), jnp.broadcast_to(xs[..., None], shape),
                  jnp.broadcast_to(jnp.arange(channels, dtype=ys.dtype), shape)]
        return jndi.map_coordinates(image, coords, order=order, mode=fill_mode, cval=fill_value)

    return jax.vmap(one)(x, y_in, x_in)


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


# --------------------------------------------------------------------------- crop and pad


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
    return jnp.pad(x, [amounts.get(a, (0, 0)) for a in range(x.ndim)])


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


# --------------------------------------------------------------------------- patches


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
        x = jnp.moveaxis(x, 1, -1)
    pads, outs = [(0, 0)], []
    for n, k, s, d in zip(x.shape[1:-1], size, strides, dilation):
        span = (k - 1) * d + 1
        out = -(-n // s) if padding == "same" else (n - span) // s + 1
        if out < 1:
            raise ValueError(f"{op}: a patch spanning {span} does not fit an axis of size {n}.")
        total = max((out - 1) * s + span - n, 0)
        pads.append((total // 2, total - total // 2))
        outs.append(out)
    x = jnp.pad(x, pads + [(0, 0)])
    # one strided slice per tap of the patch; taps then channels make the feature axis
    taps = [x[(slice(None),) + tuple(slice(o * d, o * d + (n - 1) * s + 1, s) for o, d, n, s
                                     in zip(offset, dilation, outs, strides))]
            for offset in itertools.product(*[range(k) for k in size])]
    out = jnp.stack(taps, axis=-2).reshape(x.shape[:1] + tuple(outs) + (-1,))
    if data_format == "channels_first":
        out = jnp.moveaxis(out, -1, 1)
    return out[0] if single else out


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    rank = 3 if isinstance(size, (tuple, list)) and len(size) == 3 else 2
    return _patches(images, size, strides, dilation_rate, padding, data_format, rank,
                    "extract_patches")


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    return _patches(volumes, size, strides, dilation_rate, padding, data_format, 3,
                    "extract_patches_3d")


# --------------------------------------------------------------------------- filters


def _gaussian_1d(size, sigma, dtype):
    x = jnp.arange(size, dtype=dtype) - (size - 1) / 2
    weights = jnp.exp(-0.5 * (x / jnp.asarray(sigma, dtype)) ** 2)
    return weights / jnp.sum(weights)


def _filter(x, kernels, padding, data_format):
    """Each (kh, kw) kernel applied to every channel of 4D x: channel c, kernel m goes to
    output channel c * len(kernels) + m."""
    channels = x.shape[-1 if data_format == "channels_last" else 1]
    kernel = jnp.stack(kernels, axis=-1)[:, :, None, :]
    kernel = jnp.broadcast_to(kernel, kernel.shape[:2] + (channels, len(kernels)))
    # conv computes float64 in float32 (as Keras); the result keeps x's dtype
    return depthwise_conv(x, kernel.astype(x.dtype), 1, padding, data_format).astype(x.dtype)


def _blur_input(images, op):
    x = convert_to_tensor(images)
    if x.ndim not in (3, 4):
        raise ValueError(f"{op}: `images` must be 3D or 4D; received shape {x.shape}.")
    return _float(x), x.dtype, x.ndim == 3


def _from_float(x, dtype):
    return x.astype(dtype) if dtypes.is_float(dtype) else _round_to_int(x, dtype).astype(dtype)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    data_format = _data_format(data_format)
    x, dtype, single = _blur_input(images, "gaussian_blur")
    kh, kw = _ints(kernel_size, 2, "kernel_size", "gaussian_blur")
    sh, sw = (sigma, sigma) if np.ndim(sigma) == 0 else (sigma[0], sigma[1])
    kernel = jnp.outer(_gaussian_1d(kh, sh, x.dtype), _gaussian_1d(kw, sw, x.dtype))
    out = _filter(x[None] if single else x, [kernel], "same", data_format)
    return _from_float(out[0] if single else out, dtype)


_SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])


def sobel_edges(images, data_format=None):
    data_format = _data_format(data_format)
    x, dtype, _ = _blur_input(images, "sobel_edges")
    if x.ndim != 4:
        raise ValueError(f"sobel_edges: `images` must be 4D; received shape {x.shape}.")
    out = _filter(x, [jnp.asarray(_SOBEL_Y), jnp.asarray(_SOBEL_Y.T)], "same", data_format)
    n, h, w = (x.shape[i] for i in ((0, 1, 2) if data_format == "channels_last" else (0, 2, 3)))
    if data_format == "channels_last":
        out = out.reshape(n, h, w, -1, 2)
    else:
        out = jnp.moveaxis(out.reshape(n, -1, 2, h, w), 2, -1)
    return _from_float(out, dtype)


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    data_format = _data_format(data_format)
    x, dtype, single = _blur_input(image1, "ssim")
    y, _, _ = _blur_input(image2, "ssim")
    if x.shape != y.shape:
        raise ValueError(f"ssim: `image1` and `image2` must have the same shape; received "
                         f"{x.shape} and {y.shape}.")
    y = y.astype(x.dtype)  # both in image1's float dtype, as Keras
    if single:
        x, y = x[None], y[None]
    g = _gaussian_1d(filter_size, filter_sigma, x.dtype)
    window = jnp.outer(g, g)

    def local_mean(v):
        return _filter(v, [window], "valid", data_format)

    mu_x, mu_y = local_mean(x), local_mean(y)
    var_x = local_mean(x * x) - mu_x * mu_x
    var_y = local_mean(y * y) - mu_y * mu_y
    cov = local_mean(x * y) - mu_x * mu_y
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    ssim_map = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)
                / ((mu_x * mu_x + mu_y * mu_y + c1) * (var_x + var_y + c2)))
    out = jnp.mean(ssim_map, axis=(1, 2, 3))
    return (out[0] if single else out).astype(dtype)


# --------------------------------------------------------------------------- warps


def _points(points, name):
    points = _float(points)
    if points.ndim not in (2, 3) or points.shape[-2:] != (4, 2):
        raise ValueError(f"perspective_transform: `{name}` must have shape (4, 2) or (N, 4, 2); "
                         f"received {points.shape}.")
    return points if points.ndim == 3 else points[None]


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    start, end = _points(start_points, "start_points"), _points(end_points, "end_points")
    if start.shape != end.shape:
        raise ValueError(f"perspective_transform: `start_points` and `end_points` must have the "
                         f"same shape; received {start.shape} and {end.shape}.")
    end = end.astype(start.dtype)
    sx, sy, ex, ey = start[..., 0], start[..., 1], end[..., 0], end[..., 1]
    # the 8 projective parameters taking each end point (ex, ey) to its start point (sx, sy)
    zero, one = jnp.zeros_like(ex), jnp.ones_like(ex)
    rows_x = jnp.stack([ex, ey, one, zero, zero, zero, -sx * ex, -sx * ey], -1)
    rows_y = jnp.stack([zero, zero, zero, ex, ey, one, -sy * ex, -sy * ey], -1)
    system = jnp.concatenate([rows_x, rows_y], axis=1)
    transform = jnp.linalg.solve(system, jnp.concatenate([sx, sy], axis=1)[..., None])[..., 0]
    return affine_transform(images, transform, interpolation, "constant", fill_value,
                            data_format)


_SCALE_METHODS = {"linear": "linear", "bilinear": "linear", "trilinear": "linear",
                  "cubic": "cubic", "bicubic": "cubic", "tricubic": "cubic",
                  "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method,
                        antialias=True):
    if method not in _SCALE_METHODS:
        raise ValueError(f"scale_and_translate: `method` must be one of "
                         f"{tuple(_SCALE_METHODS)}; received {method!r}.")
    x = _float(images)
    scale, translation = _float(scale), _float(translation)
    return jax.image.scale_and_translate(x, tuple(output_shape), tuple(spatial_dims), scale,
                                         translation, _SCALE_METHODS[method], antialias)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    data_format = _data_format(data_format)
    order = _order(interpolation, "elastic_transform")
    _check_fill_mode(fill_mode, "elastic_transform")
    x, single = _as_batched_nhwc(convert_to_tensor(images), data_format)
    compute = _float(x).dtype
    n, height, width, _ = x.shape
    # independent row and column displacement fields, smoothed by a Gaussian
    noise = normal((2 * n, height, width, 1), stddev=sigma, dtype=compute, seed=seed)
    size = int(6 * float(sigma)) | 1
    g = _gaussian_1d(size, sigma, compute)
    field = _filter(noise, [jnp.outer(g, g)], "same", "channels_last")
    dy, dx = jnp.split(alpha * field[..., 0], 2)
    rows, cols = jnp.meshgrid(jnp.arange(height, dtype=compute), jnp.arange(width, dtype=compute),
                              indexing="ij")
    out = _sample(x, rows + dy, cols + dx, order, fill_mode, fill_value)
    return _restore(out, single, data_format)
