"""Op cases: image group."""
# ruff: noqa: F403, F405

from op_cases.base import *

# --------------------------------------------------------------------------------------------
# image group


def _kernel(method):
    if method == "bilinear":
        return lambda x: np.maximum(0.0, 1.0 - np.abs(x))
    if method == "bicubic":
        def cubic(x):
            x = np.abs(x)
            out = ((1.5 * x - 2.5) * x) * x + 1.0
            out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
            return np.where(x >= 2.0, 0.0, out)
        return cubic
    radius = {"lanczos3": 3, "lanczos5": 5}[method]

    def lanczos(x):
        x = np.abs(x)
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        out = np.where(x > 1e-3, y / np.where(x > 1e-3, np.pi ** 2 * x ** 2, 1.0), 1.0)
        return np.where(x > radius, 0.0, out)
    return lanczos


def _weights(in_size, out_size, method, antialias, scale=None, translation=0.0):
    """(in, out) interpolation weights with half-pixel centres, edge-renormalised; output
    point y samples the input at (y - translation) / scale (scale defaults to out / in)."""
    scale = out_size / in_size if scale is None else scale
    inv = 1.0 / scale
    kscale = max(inv, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5 - translation) * inv - 0.5
    x = np.abs(sample[None, :] - np.arange(in_size)[:, None]) / kscale
    w = _kernel(method)(x)
    total = w.sum(axis=0, keepdims=True)
    w = np.where(np.abs(total) > 1000 * np.finfo(np.float32).eps, w / np.where(total != 0, total, 1), 0)
    inside = (sample >= -0.5) & (sample <= in_size - 0.5)
    return np.where(inside[None, :], w, 0.0)


def _resize_hw(img, size, method, antialias):
    """img (N, H, W, C) -> (N, h, w, C)."""
    h, w = size
    if method == "nearest":
        rows = np.floor((np.arange(h) + 0.5) * img.shape[1] / h).astype(int)
        cols = np.floor((np.arange(w) + 0.5) * img.shape[2] / w).astype(int)
        return img[:, rows][:, :, cols]
    if method == "area":
        fh, fw = img.shape[1] // h, img.shape[2] // w
        return img.reshape(img.shape[0], h, fh, w, fw, img.shape[3]).mean(axis=(2, 4))
    wr = _weights(img.shape[1], h, method, antialias)
    wc = _weights(img.shape[2], w, method, antialias)
    return np.einsum("nhwc,hH,wW->nHWc", img, wr, wc)


def _resize_ref(images, size, interpolation="bilinear", antialias=False,
                crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode="constant",
                fill_value=0.0, data_format=None):
    x = np.asarray(images)
    single = x.ndim == 3
    if single:
        x = x[None]
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    th, tw = size
    H, W = x.shape[1], x.shape[2]
    if crop_to_aspect_ratio:
        ch = max(min(H, int(float(W * th) / tw)), 1)
        cw = max(min(W, int(float(H * tw) / th)), 1)
        hs, ws = int(float(H - ch) / 2), int(float(W - cw) / 2)
        x = x[:, hs:hs + ch, ws:ws + cw]
    elif pad_to_aspect_ratio:
        ph = max(H, int(float(W * th) / tw))
        pw = max(W, int(float(H * tw) / th))
        hs, ws = int(float(ph - H) / 2), int(float(pw - W) / 2)
        p = np.full((x.shape[0], ph, pw, x.shape[3]), fill_value, dtype=x.dtype)
        p[:, hs:hs + H, ws:ws + W] = x
        x = p
    out = _resize_hw(x, size, interpolation, antialias)
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out[0] if single else out


_IMG = lambda shape, seed=0: (U(shape, 0, 1, seed=seed),)  # noqa: E731
im_case("resize", lambda: _IMG((2, 3, 4, 2)), _resize_ref, kwargs={"size": (5, 7)},
        name="bilinear_up")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref, kwargs={"size": (2, 3)},
        name="bilinear_down")
im_case("resize", lambda: _IMG((3, 4, 2)), _resize_ref,
        kwargs={"size": (6, 8), "interpolation": "nearest"}, name="nearest_single")
im_case("resize", lambda: _IMG((1, 4, 4, 2)), _resize_ref,
        kwargs={"size": (6, 7), "interpolation": "bicubic"}, name="bicubic", atol=1e-4)
im_case("resize", lambda: _IMG((1, 6, 6, 1)), _resize_ref,
        kwargs={"size": (4, 4), "antialias": True}, name="bilinear_antialias")
im_case("resize", lambda: _IMG((1, 5, 5, 1)), _resize_ref,
        kwargs={"size": (8, 7), "interpolation": "lanczos3"}, name="lanczos3", atol=1e-4)
im_case("resize", lambda: _IMG((1, 4, 6, 2)), _resize_ref,
        kwargs={"size": (2, 3), "interpolation": "area"}, name="area")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref,
        kwargs={"size": (3, 3), "crop_to_aspect_ratio": True}, name="crop")
im_case("resize", lambda: _IMG((1, 4, 6, 1)), _resize_ref,
        kwargs={"size": (3, 3), "pad_to_aspect_ratio": True, "fill_value": 0.5}, name="pad")
im_case("resize", lambda: _IMG((1, 2, 3, 4)), _resize_ref,
        kwargs={"size": (5, 6), "data_format": "channels_first"}, name="channels_first")


def _fix_index(i, n, mode):
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "mirror":
        s = n - 1
        return np.abs(np.mod(i + s, 2 * s) - s) if s > 0 else np.zeros_like(i)
    if mode == "reflect":
        s = 2 * n  # period
        j = np.mod(i, s)
        return np.where(j >= n, s - 1 - j, j)
    return i  # constant: validity handled by the caller


def _map_coordinates_ref(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    x = np.asarray(inputs)
    coords = [np.asarray(c, dtype=np.float64) for c in coordinates]
    if order == 0:
        corners = [[(np.round(c), np.ones_like(c))] for c in coords]
    else:
        corners = []
        for c in coords:
            lo = np.floor(c)
            corners.append([(lo, 1.0 - (c - lo)), (lo + 1, c - lo)])
    out = np.zeros(coords[0].shape, dtype=np.float64)
    for combo in np.ndindex(*[len(c) for c in corners]):
        idx, w, valid = [], 1.0, np.ones(coords[0].shape, dtype=bool)
        for d, k in enumerate(combo):
            i, wd = corners[d][k]
            i = i.astype(np.int64)
            if fill_mode == "constant":
                valid &= (i >= 0) & (i < x.shape[d])
                i = np.clip(i, 0, x.shape[d] - 1)
            else:
                i = _fix_index(i, x.shape[d], fill_mode)
            idx.append(i)
            w = w * wd
        out += w * np.where(valid, x[tuple(idx)], fill_value)
    return out.astype(x.dtype) if x.dtype.kind == "f" else out


_MC = lambda: (U((4, 5), -1, 1), np.stack([  # noqa: E731
    np.array([[-0.7, 0.3, 1.6], [2.2, 3.4, 4.3]]), np.array([[0.2, -1.3, 2.7], [4.6, 1.1, 5.4]])
]).astype("float32"))
for _mode in ("constant", "nearest", "wrap", "mirror", "reflect"):
    im_case("map_coordinates", _MC, _map_coordinates_ref,
            kwargs={"order": 1, "fill_mode": _mode}, name=f"order1_{_mode}", grad_args=(0,))
im_case("map_coordinates", _MC, _map_coordinates_ref,
        kwargs={"order": 0, "fill_mode": "nearest"}, name="order0_nearest", grad_args=(0,))
im_case("map_coordinates", _MC, _map_coordinates_ref,
        kwargs={"order": 1, "fill_value": 0.5}, name="order1_fill_value", grad_args=(0,))


def _affine_ref(images, transform, interpolation="bilinear", fill_mode="constant", fill_value=0,
                data_format=None):
    x = np.asarray(images)
    single = x.ndim == 3
    if single:
        x = x[None]
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    t = np.asarray(transform, dtype=np.float64)
    if t.ndim == 1:
        t = np.tile(t[None], (x.shape[0], 1))
    n, h, w, c = x.shape
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    order = 0 if interpolation == "nearest" else 1
    out = np.zeros(x.shape, dtype=x.dtype)
    for b in range(n):
        a0, a1, a2, b0, b1, b2, c0, c1 = t[b]
        k = c0 * xx + c1 * yy + 1.0
        xin = (a0 * xx + a1 * yy + a2) / k
        yin = (b0 * xx + b1 * yy + b2) / k
        for ch in range(c):
            out[b, :, :, ch] = _map_coordinates_ref(x[b, :, :, ch], [yin, xin], order,
                                                    fill_mode, fill_value)
    if data_format == "channels_first":
        out = np.moveaxis(out, -1, 1)
    return out[0] if single else out


_AFF = np.array([0.9, 0.2, 0.3, -0.1, 1.1, -0.4, 0.0, 0.0], "float32")
im_case("affine_transform", lambda: (U((2, 5, 6, 2), 0, 1), _AFF), _affine_ref,
        name="bilinear_constant", grad_args=(0,))
im_case("affine_transform", lambda: (U((5, 6, 1), 0, 1),
                                     np.array([1.0, 0.0, -1.3, 0.0, 1.0, 2.2, 0.0, 0.0], "float32")),
        _affine_ref, kwargs={"interpolation": "nearest", "fill_mode": "nearest"},
        name="nearest_single", grad_args=(0,))
im_case("affine_transform", lambda: (U((2, 4, 4, 1), 0, 1),
                                     np.stack([_AFF, np.array([1.0, 0.0, 0.5, 0.0, 1.0, 0.0, 0.0, 0.0], "float32")])),
        _affine_ref, kwargs={"fill_mode": "reflect", "fill_value": 0.0}, name="batch_transforms",
        grad_args=(0,))
im_case("affine_transform", lambda: (U((1, 1, 4, 5), 0, 1), _AFF), _affine_ref,
        kwargs={"fill_value": 0.7, "data_format": "channels_first"}, name="channels_first",
        grad_args=(0,))


def _gray(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    w = np.array([0.2989, 0.5870, 0.1140])
    x = np.moveaxis(images, axis, -1)
    return np.moveaxis((x @ w)[..., None].astype(images.dtype), -1, axis)


def _rgb_to_hsv(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    x = np.moveaxis(images, axis, -1)
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    v = x.max(-1)
    rng = v - x.min(-1)
    s = np.where(v > 0, rng / np.where(v > 0, v, 1), 0.0)
    safe = np.where(rng > 0, rng, 1)
    h = np.where(v == g, (b - r) / safe + 2.0, (r - g) / safe + 4.0)
    h = np.where(v == r, (g - b) / safe, h)
    h = np.where(rng > 0, np.mod(h / 6.0, 1.0), 0.0)
    return np.moveaxis(np.stack([h, s, v], -1), -1, axis)


def _hsv_to_rgb(images, data_format=None):
    axis = -3 if data_format == "channels_first" else -1
    x = np.moveaxis(images, axis, -1)
    h, s, v = x[..., 0], x[..., 1], x[..., 2]
    dh = np.mod(h, 1.0) * 6.0
    dr = np.clip(np.abs(dh - 3.0) - 1.0, 0, 1)
    dg = np.clip(2.0 - np.abs(dh - 2.0), 0, 1)
    db = np.clip(2.0 - np.abs(dh - 4.0), 0, 1)
    out = np.stack([v * (1 - s + s * d) for d in (dr, dg, db)], -1)
    return np.moveaxis(out, -1, axis)


im_case("rgb_to_grayscale", lambda: _IMG((2, 3, 4, 3)), _gray)
im_case("rgb_to_grayscale", lambda: _IMG((3, 2, 2)), _gray, kwargs={"data_format": "channels_first"},
        name="channels_first_single")
im_case("rgb_to_hsv", lambda: (U((2, 3, 4, 3), 0.05, 1),), _rgb_to_hsv)
im_case("rgb_to_hsv", lambda: (U((1, 3, 2, 2), 0.05, 1),), _rgb_to_hsv,
        kwargs={"data_format": "channels_first"}, name="channels_first")
im_case("hsv_to_rgb", lambda: (np.concatenate([U((2, 3, 4, 1), 0.02, 0.98),
                                                U((2, 3, 4, 2), 0.05, 1, seed=1)], -1),),
        _hsv_to_rgb)
im_case("hsv_to_rgb", lambda: (np.concatenate([U((1, 1, 2, 2), 0.02, 0.98),
                                                U((1, 2, 2, 2), 0.05, 1, seed=1)], 1),),
        _hsv_to_rgb, kwargs={"data_format": "channels_first"}, name="channels_first")



def _to_nhwc(x, data_format, rank=2):
    """(batched channels_last copy, whether a batch axis was added)."""
    x = np.asarray(x)
    single = x.ndim == rank + 1
    x = x[None] if single else x
    return (np.moveaxis(x, 1, -1) if data_format == "channels_first" else x), single


def _from_nhwc(x, single, data_format):
    x = np.moveaxis(x, -1, 1) if data_format == "channels_first" else x
    return x[0] if single else x


def _edges(before, after, target, size, crop):
    if target is None:
        return before, after
    change = size - target if crop else target - size
    return (change - after, after) if before is None else (before, change - before)


def _crop_ref(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
              right_cropping=None, target_height=None, target_width=None, data_format=None):
    x, single = _to_nhwc(images, data_format)
    t, b = _edges(top_cropping, bottom_cropping, target_height, x.shape[1], True)
    l, r = _edges(left_cropping, right_cropping, target_width, x.shape[2], True)
    return _from_nhwc(x[:, t:x.shape[1] - b, l:x.shape[2] - r], single, data_format)


def _pad_ref(images, top_padding=None, left_padding=None, bottom_padding=None,
             right_padding=None, target_height=None, target_width=None, data_format=None):
    x, single = _to_nhwc(images, data_format)
    hw = [_edges(top_padding, bottom_padding, target_height, x.shape[1], False),
          _edges(left_padding, right_padding, target_width, x.shape[2], False)]
    return _from_nhwc(np.pad(x, [(0, 0)] + hw + [(0, 0)]), single, data_format)


im_case("crop_images", lambda: _IMG((2, 5, 6, 2)), _crop_ref,
        kwargs={"top_cropping": 1, "left_cropping": 2, "target_height": 3, "target_width": 2})
im_case("crop_images", lambda: _IMG((2, 5, 6)), _crop_ref,
        kwargs={"top_cropping": 0, "bottom_cropping": 2, "left_cropping": 1, "right_cropping": 3,
                "data_format": "channels_first"}, name="channels_first_single")
im_case("crop_images", lambda: (I((4, 5, 1), 0, 255),), _crop_ref,
        kwargs={"bottom_cropping": 1, "target_height": 2, "right_cropping": 0,
                "target_width": 4}, name="int32")
im_case("pad_images", lambda: _IMG((2, 3, 4, 2)), _pad_ref,
        kwargs={"top_padding": 1, "left_padding": 2, "bottom_padding": 0, "right_padding": 1})
im_case("pad_images", lambda: _IMG((2, 3, 2)), _pad_ref,
        kwargs={"bottom_padding": 1, "target_height": 5, "left_padding": 1, "target_width": 4,
                "data_format": "channels_first"}, name="channels_first_target")


def _patches_ref(images, size, strides=None, dilation_rate=1, padding="valid",
                 data_format=None):
    rank = 3 if isinstance(size, (tuple, list)) and len(size) == 3 else 2
    size = _tuple(size, rank)
    strides = size if strides is None else _tuple(strides, rank)
    dil = _tuple(dilation_rate, rank)
    x, single = _to_nhwc(images, data_format, rank)
    spans = [(k - 1) * d + 1 for k, d in zip(size, dil)]
    if padding == "same":
        outs = [-(-n // s) for n, s in zip(x.shape[1:-1], strides)]
        totals = [max((o - 1) * s + sp - n, 0)
                  for o, s, sp, n in zip(outs, strides, spans, x.shape[1:-1])]
        x = np.pad(x, [(0, 0)] + [(t // 2, t - t // 2) for t in totals] + [(0, 0)])
    else:
        outs = [(n - sp) // s + 1 for n, sp, s in zip(x.shape[1:-1], spans, strides)]
    out = np.zeros((x.shape[0], *outs, int(np.prod(size)) * x.shape[-1]), x.dtype)
    for pos in np.ndindex(*outs):
        window = tuple(slice(p * s, p * s + sp, d) for p, s, sp, d in zip(pos, strides, spans, dil))
        patch = x[(slice(None),) + window]
        out[(slice(None),) + pos] = patch.reshape(x.shape[0], -1)
    return _from_nhwc(out, single, data_format)


im_case("extract_patches", lambda: _IMG((5, 6, 3)), _patches_ref,
        kwargs={"size": (2, 3), "strides": 2, "padding": "same"}, name="same_single")
im_case("extract_patches", lambda: _IMG((1, 2, 6, 5)), _patches_ref,
        kwargs={"size": (2, 2), "strides": 1, "dilation_rate": 2,
                "data_format": "channels_first"}, name="dilated_channels_first")
im_case("extract_patches", lambda: (I((4, 4, 4, 1), 0, 9),), _patches_ref,
        kwargs={"size": (2, 2, 2)}, name="volume_int32")


def _patches_3d_ref(volumes, size, **kwargs):
    return _patches_ref(volumes, _tuple(size, 3), **kwargs)


im_case("extract_patches_3d", lambda: _IMG((2, 4, 3, 4, 1)), _patches_3d_ref,
        kwargs={"size": (2, 3, 2), "strides": (2, 1, 2)})
im_case("extract_patches_3d", lambda: _IMG((2, 3, 3, 4)), _patches_3d_ref,
        kwargs={"size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"},
        name="same_channels_first_single")


def _correlate(x, kernel, padding):
    """Each channel of (N, H, W, C) x correlated with a (kh, kw) kernel (zero 'same' padding
    with the odd extra pixel after, as conv, or 'valid')."""
    kh, kw = kernel.shape
    if padding == "same":
        x = np.pad(x, [(0, 0), ((kh - 1) // 2, kh // 2), ((kw - 1) // 2, kw // 2), (0, 0)])
    h, w = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    return sum(kernel[i, j] * x[:, i:i + h, j:j + w] for i in range(kh) for j in range(kw))


def _gauss(size, sigma):
    g = np.exp(-0.5 * ((np.arange(size) - (size - 1) / 2) / sigma) ** 2)
    return g / g.sum()


def _blur_ref(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    x, single = _to_nhwc(images, data_format)
    sh, sw = _tuple(sigma, 2)
    out = _correlate(x, np.outer(_gauss(kernel_size[0], sh), _gauss(kernel_size[1], sw)), "same")
    return _from_nhwc(out, single, data_format)


im_case("gaussian_blur", lambda: _IMG((2, 5, 6, 2)), _blur_ref)
im_case("gaussian_blur", lambda: _IMG((2, 6, 5)), _blur_ref,
        kwargs={"kernel_size": (3, 5), "sigma": (0.8, 1.7), "data_format": "channels_first"},
        name="asymmetric_channels_first_single")
im_case("gaussian_blur", lambda: (I((1, 4, 4, 1), 0, 255),), _blur_ref,
        kwargs={"kernel_size": (4, 4), "sigma": 2.0}, canon=np.round, name="even_int32")

_SOBEL_Y = np.array([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]])


def _sobel_ref(images, data_format=None):
    x, _ = _to_nhwc(images, data_format)
    out = np.stack([_correlate(x, _SOBEL_Y, "same"), _correlate(x, _SOBEL_Y.T, "same")], -1)
    return np.moveaxis(out, 3, 1) if data_format == "channels_first" else out


im_case("sobel_edges", lambda: _IMG((2, 4, 5, 2)), _sobel_ref)
im_case("sobel_edges", lambda: _IMG((1, 3, 4, 4)), _sobel_ref,
        kwargs={"data_format": "channels_first"}, name="channels_first")


def _ssim_ref(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
              data_format=None):
    x, single = _to_nhwc(image1, data_format)
    y, _ = _to_nhwc(image2, data_format)
    g = _gauss(filter_size, filter_sigma)
    w = np.outer(g, g)
    mx, my = _correlate(x, w, "valid"), _correlate(y, w, "valid")
    vx = _correlate(x * x, w, "valid") - mx ** 2
    vy = _correlate(y * y, w, "valid") - my ** 2
    cxy = _correlate(x * y, w, "valid") - mx * my
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    s = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    out = s.mean(axis=(1, 2, 3))
    return out[0] if single else out


im_case("ssim", lambda: (U((2, 6, 7, 2), 0, 1), U((2, 6, 7, 2), 0, 1, seed=1)), _ssim_ref,
        kwargs={"filter_size": 3})
im_case("ssim", lambda: (U((2, 6, 6), 0, 2), U((2, 6, 6), 0, 2, seed=1)), _ssim_ref,
        kwargs={"max_val": 2.0, "filter_size": 5, "filter_sigma": 1.0, "k1": 0.02,
                "data_format": "channels_first"}, name="channels_first_single")
im_case("ssim", lambda: (U((1, 11, 12, 1), 0, 1), U((1, 11, 12, 1), 0, 1, seed=1)), _ssim_ref,
        name="default_window")


def _homography(start, end):
    """8 parameters of the projective map taking each end point to its start point."""
    rows = []
    for (sx, sy), (ex, ey) in zip(start, end):
        rows.append(([ex, ey, 1, 0, 0, 0, -sx * ex, -sx * ey], sx))
        rows.append(([0, 0, 0, ex, ey, 1, -sy * ex, -sy * ey], sy))
    a, b = zip(*rows)
    return np.linalg.solve(np.array(a, np.float64), np.array(b, np.float64))


def _perspective_ref(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                     data_format=None):
    start = np.asarray(start_points).reshape(-1, 4, 2)
    end = np.asarray(end_points).reshape(-1, 4, 2)
    transform = np.stack([_homography(s, e) for s, e in zip(start, end)])
    transform = transform[0] if len(transform) == 1 else transform  # one map for the batch
    return _affine_ref(images, transform, interpolation, "constant", fill_value, data_format)


_START = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 4.0], [5.0, 4.0]], "float32")
_END = np.array([[0.6, 0.3], [4.2, 0.1], [0.2, 3.7], [4.9, 3.3]], "float32")
im_case("perspective_transform", lambda: (U((2, 5, 6, 2), 0, 1), _START, _END),
        _perspective_ref, grad_args=(0,))
# nearest: integer shifts and scalings, so no sample sits on a rounding boundary
im_case("perspective_transform", lambda: (U((2, 1, 5, 6), 0, 1), np.stack([_START, _START]),
                                          np.stack([_START + [1.0, -1.0], _START * 0.5])),
        _perspective_ref, kwargs={"interpolation": "nearest", "fill_value": 0.5,
                                  "data_format": "channels_first"},
        name="batch_points_nearest_channels_first", grad_args=(0,))


_KERNEL_NAMES = {"linear": "bilinear", "bilinear": "bilinear", "trilinear": "bilinear",
                 "cubic": "bicubic", "bicubic": "bicubic", "tricubic": "bicubic",
                 "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def _scale_translate_ref(images, output_shape, scale, translation, spatial_dims, method,
                         antialias=True):
    x = _as_float(images)
    for i, d in enumerate(spatial_dims):
        w = _weights(x.shape[d], output_shape[d], _KERNEL_NAMES[method], antialias,
                     float(scale[i]), float(translation[i]))
        x = np.moveaxis(np.tensordot(x, w, axes=([d], [0])), -1, d)
    return x


def _st_args(images, out_shape, scale, translation, dims, method):
    return (images, out_shape, np.array(scale, "float32"), np.array(translation, "float32"),
            dims, method)


im_case("scale_and_translate", lambda: _st_args(U((2, 6, 6, 1), 0, 1), (2, 3, 4, 1),
                                                [0.5, 0.6], [0.2, 0.0], (1, 2), "cubic"),
        _scale_translate_ref, grad_args=(0,), name="cubic_down_antialias")
im_case("scale_and_translate", lambda: _st_args(U((5, 5), 0, 1), (4, 6), [0.8, 1.2],
                                                [0.1, 0.3], (0, 1), "lanczos3"),
        _scale_translate_ref, kwargs={"antialias": False}, grad_args=(0,),
        name="lanczos3_2d", atol=1e-4)
im_case("scale_and_translate", lambda: _st_args(I((1, 4, 5, 2), 0, 9), (1, 7, 6, 2),
                                                [1.6, 1.3], [0.4, -0.7], (1, 2), "bilinear"),
        _scale_translate_ref, grad=False, name="linear_up_int32", atol=1e-4)

# elastic_transform is random: with alpha=0 the displacement vanishes and the op is the
# identity (values and gradients); tests/test_ops_extra.py checks its statistics and seeding.
_SEED = np.array([0, 42], "int32")
im_case("elastic_transform", lambda: _IMG((2, 5, 6, 2)), lambda images, **kw: images,
        kwargs={"alpha": 0.0, "sigma": 1.0, "seed": _SEED}, name="alpha0")
im_case("elastic_transform", lambda: _IMG((2, 4, 5)), lambda images, **kw: images,
        kwargs={"alpha": 0.0, "sigma": 1.5, "fill_mode": "constant", "seed": _SEED,
                "interpolation": "nearest", "data_format": "channels_first"},
        name="alpha0_nearest_channels_first_single")
im_case("elastic_transform", lambda: _IMG((2, 6, 6, 3)), lambda images, **kw: images,
        kwargs={"alpha": 2.0, "sigma": 1.0, "seed": _SEED}, check_values=False, grad=False,
        name="random")
