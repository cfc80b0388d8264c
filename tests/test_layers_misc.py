"""Activation layers (ReLU, LeakyReLU, PReLU, ELU, Softmax), noise and dropout layers
(GaussianNoise, GaussianDropout, AlphaDropout, SpatialDropout1D/2D/3D, ActivityRegularization)
and normalization layers (GroupNormalization, UnitNormalization, RMSNormalization,
SpectralNormalization) on the active backend against real Keras 3.15.1
(tests/data/keras_layers_misc.json, written by tests/data/make_keras_layers_misc.py), plus the
training behaviour of the random layers, checked by its statistics.
"""

import layer_checks
import numpy as np
import pytest
from layer_checks import arr, case_inputs, make_layer, to_np

import keraslite
from keraslite import backend, layers, models, ops
from keraslite.backend.masking import get_keras_mask, set_keras_mask
from keraslite.backend.variables import StatelessScope

DATA = layer_checks.load("keras_layers_misc.json")
CASES = {c["id"]: c for c in DATA["cases"]}


def _spectral_of_config():
    """SpectralNormalization taking the wrapped layer as a serialized config too, as the cases
    give it (see make_keras_layers_misc.py)."""

    class SpectralNormalization(layers.SpectralNormalization):
        def __init__(self, layer, power_iterations=1, **kwargs):
            if isinstance(layer, dict):
                layer = layers.deserialize(layer)
            super().__init__(layer, power_iterations=power_iterations, **kwargs)

    return SpectralNormalization


def _resolve(name):
    if name == "SpectralNormalization":
        return _spectral_of_config()
    return getattr(layers, name)


globals().update(layer_checks.layer_tests("keras_layers_misc.json", _resolve))


def _x(*shape, seed=0):
    return ops.convert_to_tensor(np.random.default_rng(seed).normal(size=shape).astype("f"))


# ------------------------------------------------------------------------------------ activations


def test_relu_matches_numpy_formula():
    x = np.linspace(-2, 2, 41).astype("float32")
    out = to_np(layers.ReLU(max_value=1.5, negative_slope=0.5, threshold=0.4)(x))
    want = np.where(x >= 1.5, 1.5, np.where(x > 0.4, x, 0.5 * (x - 0.4)))
    np.testing.assert_allclose(out, want, rtol=1e-6, atol=1e-6)


def test_leaky_relu_alpha_is_deprecated():
    with pytest.warns(UserWarning, match="negative_slope"):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1


def test_activation_layers_propagate_masks():
    mask = ops.convert_to_tensor(np.array([[True, False, True], [False, True, True]]))
    for layer in (layers.ReLU(), layers.LeakyReLU(), layers.PReLU(), layers.ELU(),
                  layers.GaussianNoise(0.1), layers.GaussianDropout(0.1),
                  layers.AlphaDropout(0.1), layers.SpatialDropout1D(0.2),
                  layers.ActivityRegularization(), layers.GroupNormalization(2),
                  layers.UnitNormalization()):
        x = _x(2, 3, 4)
        set_keras_mask(x, mask)
        out = layer(x)
        np.testing.assert_array_equal(to_np(get_keras_mask(out)), to_np(mask),
                                      err_msg=type(layer).__name__)


def test_softmax_mask_arguments():
    x = _x(2, 3, 4)
    layer = layers.Softmax()
    # a float mask keeps values > 0.5; a fully masked row comes out all zeros
    mask = np.array([[1.0, 0.2, 0.9, 0.0]] * 3 + [[0.0] * 4] * 3, "float32").reshape(2, 3, 4)
    out = to_np(layer(x, mask=ops.convert_to_tensor(mask)))
    keep = mask > 0.5
    e = np.where(keep, np.exp(to_np(x)), 0.0)
    want = np.divide(e, e.sum(-1, keepdims=True), out=np.zeros_like(e),
                     where=e.sum(-1, keepdims=True) > 0)
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    # a mask broadcast from (3, 1) over the batch and the last axis
    out = layer(x, mask=ops.convert_to_tensor(np.array([[True], [False], [True]])))
    np.testing.assert_array_equal(to_np(out)[:, 1], 0.0)
    for bad in [(2, 3, 5), (1, 2, 3, 4)]:
        with pytest.raises(ValueError, match=layer.name) as info:
            layer(x, mask=ops.convert_to_tensor(np.ones(bad, bool)))
        assert str(bad) in str(info.value)


def test_prelu_shared_axes_validated():
    for shared_axes in ([0], [-1]):
        layer = layers.PReLU(shared_axes=shared_axes)
        with pytest.raises(ValueError, match="shared_axes"):
            layer(_x(2, 3, 4))


# ------------------------------------------------------------------------------- random layers

N = (64, 500)  # 32000 draws: sample moments within a few percent


def test_gaussian_noise_statistics_and_seed():
    x = ops.ones(N)
    layer = layers.GaussianNoise(0.3, seed=7)
    noise = to_np(layer(x, training=True)) - 1.0
    assert abs(noise.mean()) < 0.01 and abs(noise.std() - 0.3) < 0.01
    np.testing.assert_array_equal(to_np(layer(x)), to_np(x))  # inference: identity
    # the same seed gives the same draws; successive calls draw anew
    twin = layers.GaussianNoise(0.3, seed=7)
    first = to_np(twin(x, training=True)) - 1.0
    np.testing.assert_array_equal(first, noise)
    assert not np.array_equal(to_np(twin(x, training=True)) - 1.0, first)
    assert layer.get_config()["seed"] == 7


def test_gaussian_dropout_statistics():
    x = ops.ones(N)
    factor = to_np(layers.GaussianDropout(0.2, seed=3)(x, training=True))
    assert abs(factor.mean() - 1.0) < 0.01
    assert abs(factor.std() - np.sqrt(0.2 / 0.8)) < 0.01
    with pytest.raises(ValueError, match="rate=1"):
        layers.GaussianDropout(1.0)(x, training=True)


def test_alpha_dropout_keeps_mean_and_variance():
    rate = 0.3
    x = _x(*N, seed=1)
    layer = layers.AlphaDropout(rate, seed=2)
    out = to_np(layer(x, training=True))
    assert abs(out.mean()) < 0.03 and abs(out.var() - 1.0) < 0.05
    # dropped entries all take the same value a * (-alpha * scale) + b
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    dropped = np.isclose(out, a * alpha_p - a * alpha_p * rate, atol=1e-6)
    assert abs(dropped.mean() - rate) < 0.01
    # kept ones are a * x + b
    b = -a * alpha_p * rate
    np.testing.assert_allclose(out[~dropped], a * to_np(x)[~dropped] + b, rtol=1e-5, atol=1e-6)


def test_alpha_dropout_noise_shape_broadcasts():
    layer = layers.AlphaDropout(0.5, noise_shape=(None, 1, 6), seed=4)
    out = to_np(layer(ops.ones((8, 5, 6)), training=True))
    assert np.all(out == out[:, :1, :])  # one draw for every step
    assert len(np.unique(out)) == 2
    assert layer.get_config()["noise_shape"] == (None, 1, 6)


@pytest.mark.parametrize("cls, shape, channel_axis, kwargs", [
    ("SpatialDropout1D", (40, 6, 25), -1, {}),
    ("SpatialDropout2D", (40, 3, 4, 25), -1, {}),
    ("SpatialDropout2D", (40, 25, 3, 4), 1, {"data_format": "channels_first"}),
    ("SpatialDropout3D", (40, 2, 3, 2, 25), -1, {}),
])
def test_spatial_dropout_drops_whole_channels(cls, shape, channel_axis, kwargs):
    rate = 0.4
    out = to_np(getattr(layers, cls)(rate, seed=5, **kwargs)(ops.ones(shape), training=True))
    per_channel = np.moveaxis(out, channel_axis, 1).reshape(shape[0], shape[channel_axis], -1)
    # each (sample, channel) block is all zeros or all 1/(1-rate)
    assert np.all(per_channel == per_channel[..., :1])
    np.testing.assert_allclose(np.unique(per_channel), [0.0, 1 / (1 - rate)], rtol=1e-6)
    assert abs((per_channel[..., 0] == 0).mean() - rate) < 0.06  # 1000 channel draws


def test_random_layers_are_seeded_and_stateless_under_jit():
    layer = layers.SpatialDropout1D(0.5, seed=11)
    x = ops.ones((4, 3, 8))
    layer(x)
    state = layer.non_trainable_variables
    assert len(state) == 1  # the seed generator's state

    def step(values, x):
        with StatelessScope(list(zip(state, values))) as scope:
            out = layer(x, training=True)
        return out, [scope.get_current_value(v) for v in state]

    before = to_np(state[0].value)
    out1, new_state = backend.jit(step)([v.value for v in state], x)
    out2, _ = backend.jit(step)(new_state, x)
    np.testing.assert_array_equal(to_np(state[0].value), before)  # the scope kept it
    assert not np.array_equal(to_np(out1), to_np(out2))
    eager = layers.SpatialDropout1D(0.5, seed=11)(x, training=True)
    np.testing.assert_array_equal(to_np(out1), to_np(eager))


def test_spatial_dropout_config_like_keras():
    layer = layers.SpatialDropout2D(0.3, data_format="channels_first", seed=1, name="sd")
    config = layer.get_config()
    assert config == {"rate": 0.3, "seed": 1, "name": "sd", "dtype": "float32",
                      "data_format": "channels_first"}
    clone = layers.SpatialDropout2D.from_config(config)
    assert clone.get_config() == config
    assert isinstance(clone, layers.Dropout)


def test_activity_regularization_adds_penalty():
    x = _x(4, 3)
    layer = layers.ActivityRegularization(l1=0.1, l2=0.2)
    out = layer(x)
    np.testing.assert_array_equal(to_np(out), to_np(x))
    v = to_np(x)
    want = (0.1 * np.abs(v).sum() + 0.2 * np.square(v).sum()) / 4
    (loss,) = layer.losses
    np.testing.assert_allclose(float(to_np(loss)), want, rtol=1e-5)


def test_fit_with_noise_layers():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 6, 4)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    model = models.Sequential([
        layers.Input((6, 4)), layers.GaussianNoise(0.1, seed=1),
        layers.SpatialDropout1D(0.2, seed=2), layers.PReLU(),
        layers.GroupNormalization(2), layers.AlphaDropout(0.1, seed=3),
        layers.Reshape((24,)), layers.Dense(1),
    ])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    # inference is deterministic (the random layers are the identity)
    np.testing.assert_array_equal(to_np(model(x)), to_np(model(x)))


# ------------------------------------------------------------------------------ normalization


def test_group_norm_against_numpy():
    x = _x(2, 6, 5, seed=3)
    layer = layers.GroupNormalization(groups=3, axis=1, epsilon=1e-3)
    layer(x)
    gamma = np.arange(1, 7, dtype="float32")
    beta = np.linspace(-1, 1, 6).astype("float32")
    layer.set_weights([gamma, beta])
    g = to_np(x).reshape(2, 3, 2, 5)
    norm = (g - g.mean((2, 3), keepdims=True)) / np.sqrt(g.var((2, 3), keepdims=True) + 1e-3)
    want = norm.reshape(2, 6, 5) * gamma[:, None] + beta[:, None]
    np.testing.assert_allclose(to_np(layer(x)), want, rtol=1e-4, atol=1e-5)
    assert layers.GroupNormalization(groups=-1).get_config()["groups"] == -1


def test_rms_norm_single_inner_axis():
    # Keras fails to broadcast its scale here; keraslite normalizes over axis 1
    x = _x(2, 3, 4, seed=4)
    layer = layers.RMSNormalization(axis=1)
    layer(x)
    scale = np.array([0.5, 1.0, 2.0], "float32")
    layer.set_weights([scale])
    v = to_np(x)
    want = v / np.sqrt(np.mean(v**2, axis=1, keepdims=True) + 1e-6) * scale[:, None]
    np.testing.assert_allclose(to_np(layer(x)), want, rtol=1e-5, atol=1e-6)
    assert layer.get_config()["axis"] == [1]


def test_normalization_mixed_precision():
    x = _x(2, 3, 4)
    for layer in (layers.GroupNormalization(2, dtype="mixed_float16"),
                  layers.RMSNormalization(dtype="mixed_float16")):
        out = layer(x)
        assert backend.standardize_dtype(out.dtype) == "float16", type(layer).__name__
        assert all(backend.standardize_dtype(v.dtype) == "float32" for v in layer.weights)


def _power_iteration(kernel, u, iterations):
    w = kernel.reshape(-1, kernel.shape[-1])
    for _ in range(iterations):
        v = u @ w.T
        v = v / np.linalg.norm(v)
        u = w.T @ v.T
        u = (u / np.linalg.norm(u)).T
    sigma = (v @ w @ u.T).item()
    return u, kernel / sigma


def test_spectral_norm_training_updates_kernel_and_u():
    case = CASES["spectral_norm_conv2d_training"]
    layer = make_layer(case, _resolve)
    kernel, u, _ = [arr(w["value"]) for w in case["weights"]]
    want_u, want_kernel = _power_iteration(kernel, u, 3)
    _, x = case_inputs(case)
    layer(x, training=True)
    np.testing.assert_allclose(to_np(layer.layer.kernel.value), want_kernel, rtol=1e-4,
                               atol=1e-5)
    np.testing.assert_allclose(to_np(layer.vector_u.value), want_u, rtol=1e-4, atol=1e-5)
    # inference leaves both alone and uses the normalized kernel
    before = to_np(layer.layer.kernel.value)
    layer(x)
    np.testing.assert_array_equal(to_np(layer.layer.kernel.value), before)
    # over training steps the power iteration converges: the kernel's largest singular value
    # goes to 1
    for _ in range(4):
        layer(x, training=True)
    kernel = to_np(layer.layer.kernel.value)
    assert abs(np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0] - 1) < 1e-3


def test_spectral_norm_zero_kernel_is_left_alone():
    layer = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    x = _x(3, 4)
    layer(x)
    u = to_np(layer.vector_u.value)
    out = layer(x, training=True)
    assert np.all(np.isfinite(to_np(out)))
    np.testing.assert_array_equal(to_np(layer.vector_u.value), u)
    np.testing.assert_array_equal(to_np(layer.layer.kernel.value), 0.0)


def test_spectral_norm_in_model_fit_and_serialization():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.normal(size=(16, 2)).astype("float32")
    model = models.Sequential([layers.Input((4,)),
                               layers.SpectralNormalization(layers.Dense(2), name="sn")])
    model.compile(optimizer="sgd", loss="mse")
    sn = model.get_layer("sn")
    u = to_np(sn.vector_u.value)
    model.fit(x, y, batch_size=8, epochs=1, verbose=0)
    assert not np.allclose(to_np(sn.vector_u.value), u)  # training moved u
    assert [v.name for v in model.weights] == ["kernel", "vector_u", "bias"]
    assert [v.name for v in model.trainable_weights] == ["kernel", "bias"]

    config = keraslite.saving.serialize_keras_object(sn)
    clone = layers.deserialize(config)
    assert isinstance(clone, layers.SpectralNormalization)
    assert isinstance(clone.layer, layers.Dense) and clone.power_iterations == 1
