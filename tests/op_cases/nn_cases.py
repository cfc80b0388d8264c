"""Op cases: nn group."""
# ruff: noqa: F403, F405

from op_cases.base import *

# --------------------------------------------------------------------------------------------
# nn group: the fused dense product (private: called by Dense through keraslite.backend)

_DENSE_OPERANDS = lambda x: (x, N((3, 5), seed=1), N((5,), seed=2))  # noqa: E731
nn_case("dense", lambda: _DENSE_OPERANDS(N((4, 3))), lambda x, k, b: x @ k + b, name="2d")
nn_case("dense", lambda: _DENSE_OPERANDS(N((2, 4, 3))), lambda x, k, b: x @ k + b, name="3d")
nn_case("dense", lambda: _DENSE_OPERANDS(N((4, 3)))[:2], lambda x, k: x @ k, name="no_bias")
nn_case("dense", lambda: _DENSE_OPERANDS(I((4, 3), -3, 3)), lambda x, k, b: x @ k + b,
        name="int_inputs", dtype=FLOATX)
nn_case("dense", lambda: _DENSE_OPERANDS(N((4, 3), dtype="float16")), lambda x, k, b: x @ k + b,
        name="float16_inputs", dtype="float32", rtol=1e-3, atol=1e-3)

# --------------------------------------------------------------------------------------------
# nn group: activations

def _selu(x):
    scale, alpha = 1.0507009873554804934193349852946, 1.6732632423543772848170429916717
    return scale * np.where(x > 0, x, alpha * (np.exp(np.minimum(x, 0)) - 1))


def _gelu(x, approximate=True):
    if approximate:
        return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))
    return 0.5 * x * (1.0 + _erf(x / np.sqrt(2.0)))


def _glu(x, axis=-1):
    a, b = np.split(x, 2, axis=axis)
    return a * _sigmoid(b)


def _sparsemax(x, axis=-1):
    x = np.moveaxis(x, axis, -1)
    z = -np.sort(-x, axis=-1)
    k = np.arange(1, x.shape[-1] + 1)
    cs = np.cumsum(z, axis=-1)
    support = 1 + k * z > cs
    kz = np.sum(support, axis=-1, keepdims=True)
    tau = (np.take_along_axis(cs, kz - 1, axis=-1) - 1) / kz
    return np.moveaxis(np.maximum(x - tau, 0), -1, axis)


_ACT = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "sigmoid": _sigmoid,
    "sparse_sigmoid": lambda x: np.clip(0.5 * (x + 1), 0, 1),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "silu": lambda x: x * _sigmoid(x),
    "log_sigmoid": lambda x: -_softplus(-x),
    "hard_sigmoid": lambda x: np.clip(x / 6.0 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6.0 + 0.5, 0, 1),
    "selu": _selu,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "sparse_plus": lambda x: np.where(x <= -1, 0.0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
}
for _name, _fn in _ACT.items():
    # spread over [-7, 7] to reach every piece (relu6, hard_sigmoid kinks at +-3, 6)
    nn_case(_name, lambda: (np.concatenate([U((2, 4), -7, 7), AWAY((2, 4), 0.1, 1.3, seed=3)]),),
            _keep_float(_fn))
    nn_case(_name, lambda: (np.array([-3, -1, 0, 2, 7], "int32"),), _keep_float(_fn),
            name="int32", dtype=FLOATX)

_XA = lambda: (np.concatenate([U((2, 4), -4, 4), AWAY((2, 4), 0.1, 1.3, seed=3)]),)  # noqa: E731
nn_case("squareplus", _XA, lambda x, b=4: (x + np.sqrt(x * x + b)) / 2)
nn_case("squareplus", _XA, lambda x, b=4: (x + np.sqrt(x * x + b)) / 2, kwargs={"b": 1},
        name="b1")
nn_case("leaky_relu", _XA, lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x))
nn_case("leaky_relu", _XA, lambda x, negative_slope=0.2: np.where(x >= 0, x, negative_slope * x),
        kwargs={"negative_slope": 0.05}, name="slope")
nn_case("elu", _XA, lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))))
nn_case("elu", _XA, lambda x, alpha=1.0: np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))),
        kwargs={"alpha": 0.5}, name="alpha")
nn_case("celu", _XA, lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)))
nn_case("celu", _XA, lambda x, alpha=1.0: np.maximum(x, 0) + np.minimum(0, alpha * np.expm1(x / alpha)),
        kwargs={"alpha": 2.0}, name="alpha")
nn_case("gelu", _XA, _gelu, name="approximate")
nn_case("gelu", _XA, _gelu, kwargs={"approximate": False}, name="exact")
nn_case("glu", lambda: (N((2, 6)),), _glu)
nn_case("glu", lambda: (N((4, 3)),), _glu, kwargs={"axis": 0}, name="axis0")
nn_case("soft_shrink", _XA, lambda x, threshold=0.5: np.where(
    x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)))
nn_case("soft_shrink", _XA, lambda x, threshold=0.5: np.where(
    x > threshold, x - threshold, np.where(x < -threshold, x + threshold, 0.0)),
    kwargs={"threshold": 1.0}, name="t1")
nn_case("hard_shrink", _XA, lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0))
nn_case("hard_shrink", _XA, lambda x, threshold=0.5: np.where(np.abs(x) > threshold, x, 0.0),
        kwargs={"threshold": 1.0}, name="t1")
nn_case("threshold", lambda: (_XA()[0], 0.5, -1.0),
        lambda x, t, v: np.where(x > t, x, v), grad_args=(0,))
for _name, _fn in {"softmax": _softmax, "log_softmax": _log_softmax,
                   "sparsemax": _sparsemax}.items():
    nn_case(_name, lambda: (N((2, 5)),), _fn)
    nn_case(_name, lambda: (N((3, 2, 4)),), _fn, kwargs={"axis": 0}, name="axis0")
    nn_case(_name, lambda: (np.array([[1, 2, 3]], "int32"),), _keep_float(_fn), name="int32",
            dtype=FLOATX)


# --------------------------------------------------------------------------------------------
# nn group: convolution and pooling (channels_last unless data_format says otherwise)


def _same_pads(size, k, s, d=1):
    eff = (k - 1) * d + 1
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return total // 2, total - total // 2


def _to_last(x, data_format):
    return np.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _from_last(x, data_format):
    return np.moveaxis(x, -1, 1) if data_format == "channels_first" else x


def _pool_ref(kind):
    def ref(x, pool_size, strides=None, padding="valid", data_format=None):
        x = _to_last(x, data_format)
        nsp = x.ndim - 2
        ps = _tuple(pool_size, nsp)
        st = _tuple(strides if strides is not None else pool_size, nsp)
        sizes = x.shape[1:-1]
        if padding == "same":
            pads = [_same_pads(n, k, s) for n, k, s in zip(sizes, ps, st)]
            outs = [-(-n // s) for n, s in zip(sizes, st)]
        else:
            pads = [(0, 0)] * nsp
            outs = [(n - k) // s + 1 for n, k, s in zip(sizes, ps, st)]
        fill = -np.inf if kind == "max" else 0.0
        xp = np.pad(x, [(0, 0)] + pads + [(0, 0)], constant_values=fill)
        cnt = np.pad(np.ones(sizes), pads)
        out = np.zeros((x.shape[0], *outs, x.shape[-1]), dtype=x.dtype)
        for o in np.ndindex(*outs):
            win = tuple(slice(i * s, i * s + k) for i, s, k in zip(o, st, ps))
            block = xp[(slice(None),) + win + (slice(None),)]
            axes = tuple(range(1, nsp + 1))
            if kind == "max":
                out[(slice(None),) + o] = block.max(axis=axes)
            else:
                out[(slice(None),) + o] = block.sum(axis=axes) / cnt[win].sum()
        return _from_last(out, data_format)

    return ref


def _conv_core(x, k, strides, pads, dilation, groups):
    """Channels-last correlation of padded x with kernel (*ks, cin/groups, cout)."""
    nsp = x.ndim - 2
    xp = np.pad(x, [(0, 0)] + list(pads) + [(0, 0)])
    ks = k.shape[:nsp]
    cin_g, cout = k.shape[nsp], k.shape[nsp + 1]
    cout_g = cout // groups
    outs = [(n - ((kk - 1) * d + 1)) // s + 1
            for n, kk, s, d in zip(xp.shape[1:-1], ks, strides, dilation)]
    out = np.zeros((x.shape[0], *outs, cout), dtype=np.result_type(x, k))
    for kpos in np.ndindex(*ks):
        sl = tuple(slice(p * d, p * d + (o - 1) * s + 1, s)
                   for p, d, o, s in zip(kpos, dilation, outs, strides))
        patch = xp[(slice(None),) + sl + (slice(None),)]
        for g in range(groups):
            out[..., g * cout_g:(g + 1) * cout_g] += (
                patch[..., g * cin_g:(g + 1) * cin_g] @ k[kpos][:, g * cout_g:(g + 1) * cout_g])
    return out


def _conv_ref(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    x = _to_last(x, data_format)
    nsp = x.ndim - 2
    st, dl = _tuple(strides, nsp), _tuple(dilation_rate, nsp)
    ks = kernel.shape[:nsp]
    groups = x.shape[-1] // kernel.shape[nsp]
    if padding == "same":
        pads = [_same_pads(n, k, s, d) for n, k, s, d in zip(x.shape[1:-1], ks, st, dl)]
    elif padding == "causal":
        pads = [((ks[0] - 1) * dl[0], 0)]
    else:
        pads = [(0, 0)] * nsp
    return _from_last(_conv_core(x, kernel, st, pads, dl, groups), data_format)


def _depthwise_ref(x, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    nsp = kernel.ndim - 2
    k = kernel.reshape(kernel.shape[:nsp] + (1, kernel.shape[-2] * kernel.shape[-1]))
    return _conv_ref(x, k, strides, padding, data_format, dilation_rate)


def _separable_ref(x, dk, pk, strides=1, padding="valid", data_format=None, dilation_rate=1):
    y = _depthwise_ref(x, dk, strides, padding, data_format, dilation_rate)
    return _conv_ref(y, pk, 1, "valid", data_format, 1)


def _conv_transpose_ref(x, kernel, strides=1, padding="valid", output_padding=None,
                        data_format=None, dilation_rate=1):
    x = _to_last(x, data_format)
    nsp = x.ndim - 2
    st, dl = _tuple(strides, nsp), _tuple(dilation_rate, nsp)
    opad = _tuple(output_padding, nsp) if output_padding is not None else (None,) * nsp
    ks = kernel.shape[:nsp]
    pads = []
    for k, s, d, op in zip(ks, st, dl, opad):
        eff = (k - 1) * d + 1
        if padding == "valid":
            op = max(eff, s) - eff if op is None else op
            pads.append((eff - 1, eff - 1 + op))
        else:
            pad_len = s + eff - 2 if op is None else eff + eff % 2 - 2 + op
            left = min(pad_len // 2 + pad_len % 2, eff - 1)
            pads.append((left, pad_len - left))
    # dilate the input by the strides
    shape = (x.shape[0],) + tuple((n - 1) * s + 1 for n, s in zip(x.shape[1:-1], st)) + (x.shape[-1],)
    xd = np.zeros(shape, dtype=x.dtype)
    xd[(slice(None),) + tuple(slice(None, None, s) for s in st) + (slice(None),)] = x
    # flip the kernel spatially and swap (out, in) -> (in, out)
    k = np.flip(kernel, axis=tuple(range(nsp)))
    k = np.swapaxes(k, -1, -2)
    return _from_last(_conv_core(xd, k, (1,) * nsp, pads, dl, 1), data_format)


nn_case("max_pool", lambda: (DISTINCT((2, 7, 3)),), _pool_ref("max"), kwargs={"pool_size": 2},
        name="1d")
nn_case("max_pool", lambda: (DISTINCT((2, 5, 5, 2)),), _pool_ref("max"),
        kwargs={"pool_size": (2, 3), "strides": (1, 2)}, name="2d_strides")
nn_case("max_pool", lambda: (DISTINCT((1, 5, 6, 2)),), _pool_ref("max"),
        kwargs={"pool_size": 3, "strides": 2, "padding": "same"}, name="2d_same")
nn_case("max_pool", lambda: (DISTINCT((1, 2, 5, 4)),), _pool_ref("max"),
        kwargs={"pool_size": 2, "data_format": "channels_first"}, name="channels_first")
nn_case("max_pool", lambda: (DISTINCT((1, 4, 4, 3, 1)),), _pool_ref("max"),
        kwargs={"pool_size": 2}, name="3d")
nn_case("average_pool", lambda: (N((2, 7, 3)),), _pool_ref("avg"), kwargs={"pool_size": 2},
        name="1d")
nn_case("average_pool", lambda: (N((2, 5, 5, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": (2, 3), "strides": (1, 2)}, name="2d_strides")
nn_case("average_pool", lambda: (N((1, 5, 6, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": 3, "strides": 2, "padding": "same"}, name="2d_same")
nn_case("average_pool", lambda: (N((1, 7, 2)),), _pool_ref("avg"),
        kwargs={"pool_size": 3, "strides": 1, "padding": "same"}, name="1d_same")
nn_case("average_pool", lambda: (N((1, 2, 4, 4)),), _pool_ref("avg"),
        kwargs={"pool_size": 2, "data_format": "channels_first"}, name="channels_first")

nn_case("conv", lambda: (N((2, 7, 3)), N((3, 3, 4), seed=1)), _conv_ref, name="1d")
nn_case("conv", lambda: (N((2, 7, 2)), N((3, 2, 3), seed=1)), _conv_ref,
        kwargs={"padding": "causal", "dilation_rate": 2}, name="1d_causal_dilated")
nn_case("conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 3), seed=1)), _conv_ref, name="2d")
nn_case("conv", lambda: (N((1, 6, 5, 2)), N((3, 2, 2, 3), seed=1)), _conv_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv", lambda: (N((1, 6, 6, 2)), N((2, 2, 2, 2), seed=1)), _conv_ref,
        kwargs={"strides": (1, 2), "dilation_rate": 1, "padding": "valid"}, name="2d_strides_tuple")
nn_case("conv", lambda: (N((1, 7, 7, 1)), N((3, 3, 1, 2), seed=1)), _conv_ref,
        kwargs={"padding": "same", "dilation_rate": 2}, name="2d_same_dilated")
nn_case("conv", lambda: (N((1, 5, 5, 4)), N((3, 3, 2, 4), seed=1)), _conv_ref,
        kwargs={"padding": "same"}, name="2d_groups")
nn_case("conv", lambda: (N((1, 2, 5, 5)), N((3, 3, 2, 3), seed=1)), _conv_ref,
        kwargs={"data_format": "channels_first"}, name="2d_channels_first")
nn_case("conv", lambda: (N((1, 4, 4, 3, 2)), N((2, 2, 2, 2, 2), seed=1)), _conv_ref,
        name="3d")
nn_case("depthwise_conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 2), seed=1)), _depthwise_ref,
        name="2d")
nn_case("depthwise_conv", lambda: (N((1, 6, 6, 3)), N((3, 3, 3, 1), seed=1)), _depthwise_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("depthwise_conv", lambda: (N((2, 8, 2)), N((3, 2, 2), seed=1)), _depthwise_ref,
        kwargs={"dilation_rate": 2}, name="1d_dilated")
nn_case("separable_conv", lambda: (N((2, 5, 5, 2)), N((3, 3, 2, 2), seed=1), N((1, 1, 4, 3), seed=2)),
        _separable_ref, name="2d")
nn_case("separable_conv", lambda: (N((1, 6, 6, 2)), N((3, 3, 2, 1), seed=1), N((1, 1, 2, 3), seed=2)),
        _separable_ref, kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv_transpose", lambda: (N((2, 4, 3)), N((3, 2, 3), seed=1)), _conv_transpose_ref,
        name="1d")
nn_case("conv_transpose", lambda: (N((2, 4, 3)), N((3, 2, 3), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2}, name="1d_stride2")
nn_case("conv_transpose", lambda: (N((1, 3, 4, 2)), N((3, 3, 3, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "padding": "same"}, name="2d_same_stride2")
nn_case("conv_transpose", lambda: (N((1, 3, 3, 2)), N((2, 2, 1, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "padding": "valid", "output_padding": 1}, name="2d_output_padding")
nn_case("conv_transpose", lambda: (N((1, 3, 3, 2)), N((3, 3, 2, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 1, "padding": "valid", "dilation_rate": 2}, name="2d_dilated")
nn_case("conv_transpose", lambda: (N((1, 2, 3, 3)), N((2, 2, 2, 2), seed=1)), _conv_transpose_ref,
        kwargs={"strides": 2, "data_format": "channels_first"}, name="2d_channels_first")

# --------------------------------------------------------------------------------------------
# nn group: encodings, losses, normalization, attention


def _one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = np.asarray(x)
    out = (x[..., None] == np.arange(num_classes)).astype(dtype or FLOATX)
    return np.moveaxis(out, -1, axis) if axis != -1 else out


def _multi_hot(x, num_classes=None, axis=-1, dtype=None, sparse=False):
    x = np.asarray(x)
    out = np.zeros(x.shape[:-1] + (num_classes,), dtype=dtype or FLOATX)
    for idx in np.ndindex(*x.shape[:-1]):
        for v in x[idx]:
            if 0 <= v < num_classes:
                out[idx + (v,)] = 1
    return np.moveaxis(out, -1, axis) if axis != -1 else out


nn_case("one_hot", lambda: (np.array([0, 2, 1, 3], "int32"), 4), _one_hot, dtype=FLOATX)
nn_case("one_hot", lambda: (np.array([[0, 2], [1, -1]], "int32"), 3), _one_hot,
        kwargs={"axis": 0}, name="axis0_negative", dtype=FLOATX)
nn_case("one_hot", lambda: (np.array([1, 0], "int64"), 3), _one_hot, kwargs={"dtype": "int32"},
        name="dtype", dtype="int32")
nn_case("multi_hot", lambda: (np.array([[0, 2], [1, 1]], "int32"), 4), _multi_hot, dtype=FLOATX)
nn_case("multi_hot", lambda: (np.array([[0, 3, 1]], "int32"), 5), _multi_hot,
        kwargs={"dtype": "int32"}, name="dtype", dtype="int32")


def _bce(target, output, from_logits=False):
    if from_logits:
        return target * _softplus(-output) + (1 - target) * _softplus(output)
    o = np.clip(output, EPSILON, 1 - EPSILON)
    return -(target * np.log(o) + (1 - target) * np.log(1 - o))


def _cce(target, output, from_logits=False, axis=-1):
    if from_logits:
        return -np.sum(target * _log_softmax(output, axis), axis=axis)
    o = output / np.sum(output, axis=axis, keepdims=True)
    o = np.clip(o, EPSILON, 1 - EPSILON)
    return -np.sum(target * np.log(o), axis=axis)


def _scce(target, output, from_logits=False, axis=-1):
    target = np.asarray(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target[..., 0]
    oh = _one_hot(target, output.shape[axis], axis=axis, dtype=output.dtype)
    return _cce(oh, output, from_logits, axis)


nn_case("binary_crossentropy", lambda: (U((2, 3), 0, 1), U((2, 3), 0.05, 0.95, seed=1)), _bce)
nn_case("binary_crossentropy", lambda: (U((2, 3), 0, 1), N((2, 3), seed=1)), _bce,
        kwargs={"from_logits": True}, name="logits")
nn_case("binary_crossentropy", lambda: (np.array([0.0, 1.0, 1.0], "float32"),
                                        np.array([0.0, 1.0, 0.5], "float32")), _bce,
        name="clipped", grad=False)
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((3, 4))).astype("float32"), U((3, 4), 0.1, 1.0, seed=1)), _cce)
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((3, 4))).astype("float32"), N((3, 4), seed=1)), _cce,
        kwargs={"from_logits": True}, name="logits")
nn_case("categorical_crossentropy",
        lambda: (_softmax(N((4, 3)), axis=0).astype("float32"), N((4, 3), seed=1)), _cce,
        kwargs={"from_logits": True, "axis": 0}, name="axis0")
nn_case("sparse_categorical_crossentropy",
        lambda: (np.array([0, 3, 1], "int32"), U((3, 4), 0.1, 1.0, seed=1)), _scce)
nn_case("sparse_categorical_crossentropy",
        lambda: (np.array([[2], [0], [1]], "int32"), N((3, 4), seed=1)), _scce,
        kwargs={"from_logits": True}, name="logits_trailing1")
nn_case("sparse_categorical_crossentropy",
        lambda: (I((2, 3), 0, 4), N((2, 3, 4), seed=1)), _scce,
        kwargs={"from_logits": True}, name="logits_sequence")
nn_case("sparse_categorical_crossentropy",  # labels outside [0, classes) count 0, as in Keras
        lambda: (np.array([-1, 3, 4, 0], "int32"), N((4, 4), seed=1)), _scce,
        kwargs={"from_logits": True}, name="logits_out_of_range")
nn_case("sparse_categorical_crossentropy",  # Loss classes pass labels in the loss dtype
        lambda: (np.array([2.0, 0.0, 1.0], "float32"), N((3, 4), seed=1)), _scce,
        kwargs={"from_logits": True}, name="logits_float_labels", grad_args=(1,))


def _moments(x, axes, keepdims=False, synchronized=False):
    return (np.mean(x, axis=tuple(_tuple(axes, 1)), keepdims=keepdims),
            np.var(x, axis=tuple(_tuple(axes, 1)), keepdims=keepdims))


def _bn(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    shape = [1] * x.ndim
    shape[axis] = -1
    r = lambda v: np.reshape(v, shape)  # noqa: E731
    out = (x - r(mean)) / np.sqrt(r(variance) + epsilon)
    if scale is not None:
        out = out * r(scale)
    if offset is not None:
        out = out + r(offset)
    return out


def _ln(x, gamma=None, beta=None, axis=-1, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    axes = tuple(_tuple(axis, 1))
    m = np.mean(x, axis=axes, keepdims=True)
    v = np.var(x, axis=axes, keepdims=True)
    out = (x - m) / np.sqrt(v + eps)
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    if gamma is not None:
        out = out * np.reshape(gamma, shape)
    if beta is not None:
        out = out + np.reshape(beta, shape)
    return out


def _rms(x, scale=None, axis=-1, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    out = x / np.sqrt(np.mean(x * x, axis=axis, keepdims=True) + eps)
    return out * scale if scale is not None else out


def _normalize(x, axis=-1, order=2, epsilon=None):
    eps = EPSILON if epsilon is None else epsilon
    if order == 2:  # Keras: the L2 norm over all the axes, not a matrix 2-norm
        n = np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
    else:
        n = np.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / np.maximum(n, eps)


nn_case("moments", lambda: (N((3, 4, 2)),), _moments, kwargs={"axes": [0, 1]})
nn_case("moments", lambda: (N((3, 4)),), _moments, kwargs={"axes": [1], "keepdims": True},
        name="keepdims")
nn_case("moments", lambda: (N((3, 4), dtype="float16"),), _moments, kwargs={"axes": [0]},
        name="float16", rtol=2e-3, atol=2e-3, dtype=("float16", "float16"), grad=False)
nn_case("batch_normalization",
        lambda: (N((2, 3, 4)), N((4,), seed=1), U((4,), 0.5, 2, seed=2), -1,
                 N((4,), seed=3), U((4,), 0.5, 1.5, seed=4)), _bn)
nn_case("batch_normalization",
        lambda: (N((2, 3, 4)), N((3,), seed=1), U((3,), 0.5, 2, seed=2), 1), _bn,
        kwargs={"epsilon": 0.1}, name="axis1_no_affine")
nn_case("layer_normalization", lambda: (N((2, 5)), U((5,), 0.5, 1.5, seed=1), N((5,), seed=2)),
        _ln)
nn_case("layer_normalization", lambda: (N((2, 3, 4)),), _ln,
        kwargs={"axis": -1, "epsilon": 0.01}, name="no_affine_eps")
nn_case("rms_normalization", lambda: (N((2, 5)), U((5,), 0.5, 1.5, seed=1)), _rms)
nn_case("rms_normalization", lambda: (N((3, 4)),), _rms, kwargs={"axis": 0, "epsilon": 0.01},
        name="axis0_eps")
nn_case("normalize", lambda: (N((3, 4)),), _normalize)
nn_case("normalize", lambda: (N((3, 4)),), _normalize, kwargs={"axis": 0, "order": 1},
        name="l1_axis0")
nn_case("normalize", lambda: (N((2, 3, 4)),), _normalize, kwargs={"axis": (1, 2)},
        name="l2_two_axes")
nn_case("normalize", lambda: (N((3, 4, 2)),), _normalize, kwargs={"axis": (0, 1), "order": 1},
        name="l1_matrix_norm")
nn_case("psnr", lambda: (U((2, 4, 4, 1), 0, 1), U((2, 4, 4, 1), 0, 1, seed=1), 1.0),
        lambda a, b, m: 20 * np.log10(m) - 10 * np.log10(np.mean((a - b) ** 2)),
        grad_args=(0, 1))


def _ctc_ref(target, output, target_length, output_length, mask_index=0):
    logp = _log_softmax(output, -1)
    losses = []
    for b in range(output.shape[0]):
        lab = list(np.asarray(target[b][: int(target_length[b])]))
        ext = [mask_index]
        for c in lab:
            ext += [c, mask_index]
        S, T = len(ext), int(output_length[b])
        alpha = np.full(S, -np.inf)
        alpha[0] = logp[b, 0, ext[0]]
        if S > 1:
            alpha[1] = logp[b, 0, ext[1]]
        for t in range(1, T):
            new = np.full(S, -np.inf)
            for s in range(S):
                terms = [alpha[s]]
                if s >= 1:
                    terms.append(alpha[s - 1])
                if s >= 2 and ext[s] != mask_index and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = np.logaddexp.reduce(terms) + logp[b, t, ext[s]]
            alpha = new
        ll = np.logaddexp(alpha[-1], alpha[-2]) if S > 1 else alpha[-1]
        losses.append(-ll)
    return np.array(losses, dtype=output.dtype)


nn_case("ctc_loss", lambda: (np.array([[1, 2, 2], [3, 1, 0]], "int32"), N((2, 6, 4), seed=1),
                             np.array([3, 2], "int32"), np.array([6, 5], "int32")),
        _ctc_ref, rtol=1e-4, atol=1e-4)


# --------------------------------------------------------------------------------------------
# nn group: adaptive pooling, space/depth rearrangement, unfold/fold, polar, ctc_decode


def _adaptive_bins(n, m):
    return [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]


def _adaptive_ref(kind):
    def ref(x, output_size, data_format=None):
        x = _to_last(x, data_format)
        nsp = x.ndim - 2
        outs = _tuple(output_size, nsp)
        bins = [_adaptive_bins(n, m) for n, m in zip(x.shape[1:-1], outs)]
        out = np.zeros((x.shape[0], *outs, x.shape[-1]))
        axes = tuple(range(1, nsp + 1))
        for o in np.ndindex(*outs):
            win = tuple(slice(*bins[d][i]) for d, i in enumerate(o))
            block = x[(slice(None),) + win + (slice(None),)]
            out[(slice(None),) + o] = block.max(axis=axes) if kind == "max" else block.mean(axis=axes)
        return _from_last(out, data_format)

    return ref


nn_case("adaptive_average_pool", lambda: (U((2, 5, 5, 3)), 3), _adaptive_ref("avg"))
nn_case("adaptive_average_pool", lambda: (U((2, 7, 3)), 3), _adaptive_ref("avg"), name="1d")
nn_case("adaptive_average_pool", lambda: (U((1, 4, 5, 3, 2)), (2, 3, 2)), _adaptive_ref("avg"),
        name="3d")
nn_case("adaptive_average_pool", lambda: (U((2, 3, 5, 4)), (2, 3)), _adaptive_ref("avg"),
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("adaptive_average_pool", lambda: (I((1, 4, 4, 2), 0, 10), 2), _adaptive_ref("avg"),
        name="int32")
nn_case("adaptive_max_pool", lambda: (DISTINCT((2, 5, 5, 3)), 3), _adaptive_ref("max"))
nn_case("adaptive_max_pool", lambda: (DISTINCT((2, 7, 3)), 3), _adaptive_ref("max"), name="1d")
nn_case("adaptive_max_pool", lambda: (DISTINCT((1, 4, 5, 3, 2)), (3, 2, 2)), _adaptive_ref("max"),
        name="3d")
nn_case("adaptive_max_pool", lambda: (DISTINCT((1, 2, 6, 5)), (4, 2)), _adaptive_ref("max"),
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("adaptive_max_pool", lambda: (I((1, 4, 4, 2), 0, 100), 3), _adaptive_ref("max"),
        name="int32")


def _depth_to_space(x, block_size, data_format="channels_last"):
    x = _to_last(x, data_format)
    n, h, w, c = x.shape
    b = block_size
    y = x.reshape(n, h, w, b, b, c // (b * b)).transpose(0, 1, 3, 2, 4, 5)
    return _from_last(y.reshape(n, h * b, w * b, c // (b * b)), data_format)


def _space_to_depth(x, block_size, data_format="channels_last"):
    x = _to_last(x, data_format)
    n, h, w, c = x.shape
    b = block_size
    y = x.reshape(n, h // b, b, w // b, b, c).transpose(0, 1, 3, 2, 4, 5)
    return _from_last(y.reshape(n, h // b, w // b, b * b * c), data_format)


nn_case("depth_to_space", lambda: (N((2, 2, 3, 8)), 2), _depth_to_space)
nn_case("depth_to_space", lambda: (N((1, 18, 2, 1)), 3), _depth_to_space,
        kwargs={"data_format": "channels_first"}, name="channels_first")
nn_case("depth_to_space", lambda: (I((1, 1, 2, 8), -9, 9), 2), _depth_to_space, name="int32")
nn_case("space_to_depth", lambda: (N((2, 4, 6, 2)), 2), _space_to_depth)
nn_case("space_to_depth", lambda: (N((1, 2, 6, 3)), 3), _space_to_depth,
        kwargs={"data_format": "channels_first"}, name="channels_first")


def _unfold_geometry(hw, kernel_size, dilation, padding, stride):
    k, d, p, s = (_tuple(v, 2) for v in (kernel_size, dilation, padding, stride))
    outs = [(n + 2 * pp - dd * (kk - 1) - 1) // ss + 1 for n, kk, dd, pp, ss in zip(hw, k, d, p, s)]
    return k, d, p, s, outs


def _unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    n, c, h, w = x.shape
    k, d, p, s, (oh, ow) = _unfold_geometry((h, w), kernel_size, dilation, padding, stride)
    xp = np.pad(x, [(0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])])
    cols = np.zeros((n, c, k[0], k[1], oh, ow), x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            cols[:, :, i, j] = xp[:, :, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                                  j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1]]
    return cols.reshape(n, c * k[0] * k[1], oh * ow)


def _fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    hw = _tuple(output_size, 2)
    k, d, p, s, (oh, ow) = _unfold_geometry(hw, kernel_size, dilation, padding, stride)
    n, c = x.shape[0], x.shape[1] // (k[0] * k[1])
    cols = x.reshape(n, c, k[0], k[1], oh, ow)
    out = np.zeros((n, c, hw[0] + 2 * p[0], hw[1] + 2 * p[1]), x.dtype)
    for i in range(k[0]):
        for j in range(k[1]):
            out[:, :, i * d[0]:i * d[0] + (oh - 1) * s[0] + 1:s[0],
                j * d[1]:j * d[1] + (ow - 1) * s[1] + 1:s[1]] += cols[:, :, i, j]
    return out[:, :, p[0]:p[0] + hw[0], p[1]:p[1] + hw[1]]


_UNFOLD_KW = {"dilation": (2, 1), "padding": 1, "stride": (2, 1)}
nn_case("unfold", lambda: (N((2, 3, 5, 5)), 2), _unfold)
nn_case("unfold", lambda: (N((1, 2, 6, 7)), (2, 3)), _unfold, kwargs=_UNFOLD_KW, name="dilated")
nn_case("unfold", lambda: (I((1, 1, 4, 4), -9, 9), 2), _unfold, kwargs={"stride": 2},
        name="int32")
nn_case("fold", lambda: (N((2, 12, 16)), (5, 5), 2), _fold)
nn_case("fold", lambda: (N((1, 12, 21)), (6, 7), (2, 3)), _fold, kwargs=_UNFOLD_KW,
        name="dilated")


def _polar(abs_, angle):
    return abs_ * np.exp(1j * angle)


nn_case("polar", lambda: (U((2, 3), 0, 2), U((2, 3), -3, 3, seed=1)), _polar, dtype="complex64")
nn_case("polar", lambda: (U((3,), 0, 2, dtype="float64"), U((3,), -3, 3, seed=1, dtype="float64")),
        _polar, dtype="complex128", name="float64")


def _ctc_blank(num_classes, mask_index):
    return num_classes - 1 if mask_index is None else mask_index


def _ctc_greedy(inputs, lengths, strategy="greedy", beam_width=100, top_paths=1,
                merge_repeated=True, mask_index=0):
    batch, time, classes = inputs.shape
    blank = _ctc_blank(classes, mask_index)
    paths = np.full((1, batch, time), -1, "int32")
    scores = np.zeros((batch, 1))
    for b in range(batch):
        steps = inputs[b, : int(lengths[b])]
        scores[b, 0] = -np.sum(np.max(steps, axis=-1))
        labels, prev = [], None
        for k in np.argmax(steps, axis=-1):
            if not (merge_repeated and k == prev) and k != blank:
                labels.append(k)
            prev = k
        paths[0, b, :len(labels)] = labels
    return paths, scores


def _ctc_exhaustive(inputs, lengths, strategy="beam_search", beam_width=100, top_paths=1,
                    merge_repeated=True, mask_index=0):
    """The top_paths most probable labellings by summing over every alignment (tiny inputs)."""
    import itertools

    batch, time, classes = inputs.shape
    blank = _ctc_blank(classes, mask_index)
    logp = _log_softmax(inputs, -1)
    paths = np.full((top_paths, batch, time), -1, "int32")
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        length = int(lengths[b])
        totals = {}
        for align in itertools.product(range(classes), repeat=length):
            merged = [a for i, a in enumerate(align) if i == 0 or a != align[i - 1]]
            label = tuple(a for a in merged if a != blank)
            lp = sum(logp[b, t, a] for t, a in enumerate(align))
            totals[label] = np.logaddexp(totals.get(label, -np.inf), lp)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:top_paths]
        for k, (label, score) in enumerate(ranked):
            paths[k, b, :len(label)] = label
            scores[b, k] = score
    return paths, scores


def _peaked_logits(seqs, classes, seed):
    """Logits whose per-step argmax follows `seqs` (so greedy decoding meets repeats/blanks)."""
    seqs = np.array(seqs)
    noise = N(seqs.shape + (classes,), seed=seed) * 0.3
    return (noise + 3.0 * np.eye(classes)[seqs]).astype("float32")


_GREEDY_SEQS = [[1, 1, 0, 1, 2, 2], [3, 0, 3, 3, 1, 0], [2, 2, 2, 0, 0, 1]]
nn_case("ctc_decode", lambda: (_peaked_logits(_GREEDY_SEQS, 4, 3), np.array([6, 5, 0], "int32")),
        _ctc_greedy, dtype=("int32", "float32"), name="greedy")
nn_case("ctc_decode", lambda: (_peaked_logits(_GREEDY_SEQS, 4, 4), np.array([6, 6, 4], "int32")),
        _ctc_greedy, kwargs={"merge_repeated": False, "mask_index": None},
        dtype=("int32", "float32"), name="greedy_no_merge_last_blank")
nn_case("ctc_decode", lambda: (N((2, 5, 3), seed=5), np.array([5, 3], "int32")), _ctc_exhaustive,
        kwargs={"strategy": "beam_search", "top_paths": 3}, dtype=("int32", "float32"),
        name="beam_search", rtol=1e-4)
nn_case("ctc_decode", lambda: (N((2, 4, 3), seed=6), np.array([4, 4], "int32")), _ctc_exhaustive,
        kwargs={"strategy": "beam_search", "beam_width": 50, "top_paths": 2, "mask_index": None},
        dtype=("int32", "float32"), name="beam_search_last_blank", rtol=1e-4)


def _dpa_ref(q, k, v, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None,
             attn_logits_soft_cap=None):
    n, kh = q.shape[2], k.shape[2]
    if n != kh:
        k = np.repeat(k, n // kh, axis=2)
        v = np.repeat(v, n // kh, axis=2)
    scale = 1.0 / np.sqrt(q.shape[-1]) if scale is None else scale
    logits = np.einsum("btnh,bsnh->bnts", q, k) * scale
    if bias is not None:
        logits = logits + bias
    keep = np.ones(logits.shape, dtype=bool)
    if mask is not None:
        keep &= np.asarray(mask, dtype=bool)
    if is_causal:
        keep &= np.tril(np.ones(logits.shape[-2:], dtype=bool))
    logits = np.where(keep, logits, -1e9)
    return np.einsum("bnts,bsnh->btnh", _softmax(logits, -1), v)


_QKV = lambda t=3, s=4, n=2, k=2: (N((2, t, n, 4)), N((2, s, k, 4), seed=1),  # noqa: E731
                                   N((2, s, k, 4), seed=2))
nn_case("dot_product_attention", lambda: _QKV(), _dpa_ref, name="basic")
nn_case("dot_product_attention", lambda: _QKV() + (N((2, 2, 3, 4), seed=3),), _dpa_ref,
        name="bias")
nn_case("dot_product_attention",
        lambda: _QKV() + (None, np.concatenate([np.ones((2, 2, 3, 1), bool), B((2, 2, 3, 3), seed=4)], -1)),
        _dpa_ref, name="mask")
nn_case("dot_product_attention", lambda: _QKV(t=4, s=4), _dpa_ref,
        kwargs={"is_causal": True, "scale": 0.3}, name="causal_scale")
nn_case("dot_product_attention", lambda: _QKV(n=4, k=2), _dpa_ref, name="grouped_heads")

