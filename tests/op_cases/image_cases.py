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


def _weights(in_size, out_size, method, antialias):
    """(in, out) interpolation weights with half-pixel centres, edge-renormalised."""
    scale = out_size / in_size
    inv = 1.0 / scale
    kscale = max(inv, 1.0) if antialias else 1.0
    sample = (np.arange(out_size) + 0.5) * inv - 0.5
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

