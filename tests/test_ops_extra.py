"""Ops the op table (tests/op_cases) cannot check fully, on the active backend.

- rearrange: einops pattern strings, compared with numpy reshape/transpose.
- jvp: takes a function; compared with analytic derivatives (keraslite ops inside, has_aux,
  nested outputs).
- elastic_transform: random; checked for determinism, seeding and the statistics of its
  displacement field (the samples differ from Keras', which draws with its own generators).
- aliases and clear errors for bad arguments.
"""

import inspect

import numpy as np
import pytest

from keraslite import ops, random
from keraslite.backend import KerasTensor, standardize_dtype


def _np(x):
    return np.asarray(ops.convert_to_numpy(x))


# ------------------------------------------------------------------------------------------
# rearrange

X = np.arange(2 * 4 * 6 * 3, dtype="float32").reshape(2, 4, 6, 3)


@pytest.mark.parametrize("pattern, lengths, expected", [
    ("b h w c -> b c h w", {}, X.transpose(0, 3, 1, 2)),
    ("b h w c -> (b h) w c", {}, X.reshape(8, 6, 3)),
    ("b h w c -> h (b w) c", {}, X.transpose(1, 0, 2, 3).reshape(4, 12, 3)),
    ("b (h1 h) (w1 w) c -> (b h1 w1) h w c", {"h1": 2, "w1": 3},
     X.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 2, 4, 5).reshape(12, 2, 2, 3)),
    ("b (h h1) (w w1) c -> b h w (c h1 w1)", {"h1": 2, "w1": 2},
     X.reshape(2, 2, 2, 3, 2, 3).transpose(0, 1, 3, 5, 2, 4).reshape(2, 2, 3, 12)),
    ("b h w c -> b h w c", {}, X),
])
def test_rearrange_values(pattern, lengths, expected):
    out = ops.rearrange(ops.convert_to_tensor(X), pattern, **lengths)
    np.testing.assert_array_equal(_np(out), expected)
    assert standardize_dtype(out.dtype) == "float32"


def test_rearrange_numpy_input_and_symbolic_shapes():
    np.testing.assert_array_equal(_np(ops.rearrange(X, "b h w c -> c b h w")),
                                  X.transpose(3, 0, 1, 2))
    x = KerasTensor((None, 4, 6, 3))
    assert ops.rearrange(x, "b h w c -> b (h w c)").shape == (None, 72)
    assert ops.rearrange(x, "b (h2 h) w c -> (b h2) h w c", h2=2).shape == (None, 2, 6, 3)


@pytest.mark.parametrize("pattern, lengths, message", [
    ("b h w c", {}, "one '->'"),
    ("b h w -> b h w", {}, "shape"),
    ("b h w c -> b h w", {}, "same axes"),
    ("b h w c -> b h h c", {}, "twice"),
    ("b (h (w)) c -> b h w c", {}, "nested"),
    ("b (h w c -> b h w c", {}, "parentheses"),
    ("b h w c -> b h w c!", {}, "unexpected"),
    ("b (h1 h) w c -> b h1 h w c", {}, "infer"),
    ("b (h1 h) w c -> b h1 h w c", {"h1": 3}, "cannot be split"),
    ("b h w c -> b h w c", {"h": 5}, "does not match"),
    ("b h w c -> b h w c", {"z": 2}, "not in the pattern"),
])
def test_rearrange_errors(pattern, lengths, message):
    with pytest.raises(ValueError, match=f"rearrange.*{message}"):
        ops.rearrange(X, pattern, **lengths)


# ------------------------------------------------------------------------------------------
# jvp

A = np.random.default_rng(0).standard_normal((2, 3)).astype("float32")
B = np.random.default_rng(1).standard_normal((3, 2)).astype("float32")
TA = np.random.default_rng(2).standard_normal((2, 3)).astype("float32")
TB = np.random.default_rng(3).standard_normal((3, 2)).astype("float32")


def test_jvp_elementwise():
    out, tangent = ops.jvp(ops.sin, (A,), (TA,))
    np.testing.assert_allclose(_np(out), np.sin(A), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(_np(tangent), np.cos(A) * TA, rtol=1e-5, atol=1e-6)


def test_jvp_two_arguments_and_linalg():
    out, tangent = ops.jvp(lambda a, b: ops.matmul(ops.tanh(a), b), (A, B), (TA, TB))
    np.testing.assert_allclose(_np(out), np.tanh(A) @ B, rtol=1e-5, atol=1e-5)
    expected = ((1 - np.tanh(A) ** 2) * TA) @ B + np.tanh(A) @ TB
    np.testing.assert_allclose(_np(tangent), expected, rtol=1e-5, atol=1e-5)


def test_jvp_has_aux_and_nested_outputs():
    def f(x):
        return {"sum": ops.sum(x * x), "exp": ops.exp(x)}, ops.multiply(x, 2.0)

    out, tangent, aux = ops.jvp(f, [A], [TA], has_aux=True)
    assert set(out) == set(tangent) == {"sum", "exp"}
    np.testing.assert_allclose(_np(tangent["sum"]), np.sum(2 * A * TA), rtol=1e-5)
    np.testing.assert_allclose(_np(tangent["exp"]), np.exp(A) * TA, rtol=1e-5)
    np.testing.assert_allclose(_np(aux), 2 * A, rtol=1e-6)


def test_jvp_tangents_take_primal_dtype():
    out, tangent = ops.jvp(lambda x: x * x, (A,), (TA.astype("float64"),))
    assert standardize_dtype(tangent.dtype) == "float32"
    np.testing.assert_allclose(_np(tangent), 2 * A * TA, rtol=1e-5)


# ------------------------------------------------------------------------------------------
# elastic_transform


def _ramps(n, size):
    """Images whose channels are the row and the column index: resampling them with bilinear
    interpolation returns the sampled positions."""
    rows, cols = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
    return np.broadcast_to(np.stack([rows, cols], -1), (n, size, size, 2)).astype("float32")


# One image shape for every elastic test: jax compiles each new shape.
SHAPE = (2, 48, 48, 2)


def test_elastic_transform_seeding():
    x = np.random.default_rng(0).uniform(size=SHAPE).astype("float32")
    a = _np(ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=7))
    b = _np(ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=7))
    c = _np(ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=8))
    np.testing.assert_array_equal(a, b)
    assert np.abs(a - c).max() > 1e-3
    gen = random.SeedGenerator(3)
    d = _np(ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=gen))
    e = _np(ops.image.elastic_transform(x, alpha=3.0, sigma=1.0, seed=gen))
    assert np.abs(d - e).max() > 1e-3  # the generator advances
    # the same draw for either data format, and for a single image
    f = _np(ops.image.elastic_transform(np.moveaxis(x, -1, 1), alpha=3.0, sigma=1.0, seed=7,
                                        data_format="channels_first"))
    np.testing.assert_allclose(np.moveaxis(f, 1, -1), a, rtol=1e-5, atol=1e-5)


def test_elastic_transform_keeps_constants_and_dtype():
    x = np.full(SHAPE, 5, "int32")
    out = ops.image.elastic_transform(x, alpha=4.0, sigma=1.0, seed=1)
    assert standardize_dtype(out.dtype) == "int32"
    np.testing.assert_array_equal(_np(out), x)


def test_elastic_transform_displacement_statistics():
    alpha, sigma, margin = 1.5, 2.0, 8
    x = _ramps(SHAPE[0], SHAPE[1])
    out = _np(ops.image.elastic_transform(x, alpha=alpha, sigma=sigma, seed=11))
    inner = (slice(None), slice(margin, -margin), slice(margin, -margin))
    dy, dx = (out - x)[inner + (0,)], (out - x)[inner + (1,)]
    # white noise of stddev sigma through a normalised Gaussian kernel, scaled by alpha
    g = np.exp(-0.5 * ((np.arange(13) - 6) / sigma) ** 2)
    kernel = np.outer(g, g) / np.outer(g, g).sum()
    expected_std = alpha * sigma * np.sqrt(np.sum(kernel ** 2))
    for d in (dy, dx):
        assert abs(d.std() / expected_std - 1) < 0.35
        assert abs(d.mean()) < 0.5 * expected_std
        # smooth: neighbours move together (white noise would give sqrt(2) * std)
        assert np.diff(d, axis=-1).std() < 0.7 * d.std()
    # rows and columns move independently
    assert abs(np.corrcoef(dy.ravel(), dx.ravel())[0, 1]) < 0.5


# ------------------------------------------------------------------------------------------
# aliases and errors


def test_swish_aliases():
    assert ops.swish is ops.silu and ops.hard_swish is ops.hard_silu
    assert list(inspect.signature(ops.swish).parameters) == ["x"]
    np.testing.assert_allclose(_np(ops.swish(np.array([1.0], "float32"))),
                               [1.0 / (1.0 + np.exp(-1.0))], rtol=1e-6)


IMG = np.zeros((2, 6, 6, 1), "float32")
PTS = np.zeros((4, 2), "float32")


@pytest.mark.parametrize("call, message", [
    (lambda: ops.image.crop_images(IMG, 1, 1, 1, 1, target_height=2, target_width=2),
     "crop_images: give exactly two of top_cropping"),
    (lambda: ops.image.crop_images(IMG, top_cropping=4, bottom_cropping=3, left_cropping=0,
                                   right_cropping=0), "crop_images.*does not fit"),
    (lambda: ops.image.pad_images(IMG, -1, 0, 0, 0), "pad_images: `top_padding` must be >= 0"),
    (lambda: ops.image.pad_images(IMG[0, 0], 1, 1, 1, 1), "pad_images: `images` must be 3D"),
    (lambda: ops.image.extract_patches(IMG, 2, padding="full"), "extract_patches: `padding`"),
    (lambda: ops.image.extract_patches(IMG, 7), "extract_patches: a patch spanning 7"),
    (lambda: ops.image.extract_patches_3d(IMG[0], 2), "extract_patches_3d: expected a 4D or 5D"),
    (lambda: ops.image.gaussian_blur(IMG, kernel_size=(3, 0)),
     "gaussian_blur: `kernel_size`"),
    (lambda: ops.image.sobel_edges(IMG[0]), "sobel_edges: `images` must be 4D"),
    (lambda: ops.image.ssim(IMG, IMG[:1]), "ssim: `image1` and `image2`"),
    (lambda: ops.image.perspective_transform(IMG, PTS[:3], PTS[:3]),
     "perspective_transform: `start_points`"),
    (lambda: ops.image.scale_and_translate(IMG, (2, 3, 3, 1), [0.5, 0.5], [0.0, 0.0], (1, 2),
                                           "triangle"), "scale_and_translate: `method`"),
    (lambda: ops.image.elastic_transform(IMG, interpolation="cubic"),
     "elastic_transform: `interpolation`"),
    (lambda: ops.image.elastic_transform(IMG, fill_mode="edge"), "elastic_transform: `fill_mode`"),
    (lambda: ops.linalg.pinv(np.ones(3, "float32")), "pinv: `x` must hold matrices"),
    (lambda: ops.linalg.eig(np.ones((2, 3), "float32")), "eig: `x` must hold square"),
    (lambda: ops.cholesky_inverse(np.ones((2, 3), "float32")), "cholesky_inverse: `x`"),
    (lambda: ops.matrix_rank(np.ones(3, "float32")), "matrix_rank: `x`"),
])
def test_bad_arguments_name_the_op(call, message):
    with pytest.raises(ValueError, match=message):
        call()
