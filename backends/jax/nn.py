"""Neural-network ops on jax: activations, convolutions, pooling, normalization, losses,
attention."""

import builtins

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from keraslite import config
from keraslite.backend import ctc as ctc_numpy
from keraslite.backend import dtypes
from keraslite_backends.jax import numpy
from keraslite_backends.jax.core import convert_to_tensor


def _t(x, dtype=None):
    return convert_to_tensor(x, dtype)


def dense(inputs, kernel, bias=None):
    out = numpy.matmul(inputs, kernel)  # XLA fuses the bias add into the product
    return out if bias is None else numpy.add(out, bias)


def _float(x):
    """x as a tensor; ints and bools become floatx."""
    x = _t(x)
    if not dtypes.is_float(x.dtype) and not dtypes.is_complex(x.dtype):
        x = x.astype(config.floatx())
    return x


def _std(x):
    return dtypes.standardize_dtype(x.dtype)


# --------------------------------------------------------------------------- activations


def relu(x):
    return jax.nn.relu(_float(x))


def relu6(x):
    return jax.nn.relu6(_float(x))


def sigmoid(x):
    return jax.nn.sigmoid(_float(x))


def sparse_sigmoid(x):
    x = _float(x)
    return jnp.where(x <= -1, jnp.zeros_like(x),
                     jnp.where(x >= 1, jnp.ones_like(x), 0.5 * (x + 1)))


def softplus(x):
    return jax.nn.softplus(_float(x))


def softsign(x):
    x = _float(x)
    return x / (1 + jnp.abs(x))


def silu(x):
    x = _float(x)
    return x * jax.nn.sigmoid(x)


def log_sigmoid(x):
    return jax.nn.log_sigmoid(_float(x))


def hard_sigmoid(x):
    x = _float(x)
    return jax.nn.relu6(x + 3.0) / 6.0


def hard_silu(x):
    x = _float(x)
    return x * hard_sigmoid(x)


def selu(x):
    return jax.nn.selu(_float(x))


def tanh_shrink(x):
    x = _float(x)
    return x - jnp.tanh(x)


def hard_tanh(x):
    return jnp.clip(_float(x), -1.0, 1.0)


def squareplus(x, b=4):
    x = _float(x)
    return (x + jnp.sqrt(jnp.square(x) + b)) / 2


def sparse_plus(x):
    x = _float(x)
    return jnp.where(x <= -1, jnp.zeros_like(x),
                     jnp.where(x >= 1, x, jnp.square(x + 1) / 4))


def leaky_relu(x, negative_slope=0.2):
    x = _float(x)
    return jnp.where(x >= 0, x, negative_slope * x)


def elu(x, alpha=1.0):
    x = _float(x)
    return jnp.where(x > 0, x, alpha * jnp.expm1(jnp.minimum(x, 0)))


def celu(x, alpha=1.0):
    x = _float(x)
    return jnp.maximum(x, 0) + alpha * jnp.expm1(jnp.minimum(x, 0) / alpha)


def gelu(x, approximate=True):
    return jax.nn.gelu(_float(x), approximate=approximate)


def glu(x, axis=-1):
    x = _float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}; got shape {x.shape}.")
    a, b = jnp.split(x, 2, axis=axis)
    return a * jax.nn.sigmoid(b)


def soft_shrink(x, threshold=0.5):
    x = _float(x)
    return jnp.where(x > threshold, x - threshold,
                     jnp.where(x < -threshold, x + threshold, jnp.zeros_like(x)))


def hard_shrink(x, threshold=0.5):
    x = _float(x)
    return jnp.where(jnp.abs(x) > threshold, x, jnp.zeros_like(x))


def threshold(x, threshold, default_value):
    x = _float(x)
    return jnp.where(x > threshold, x, jnp.asarray(default_value, x.dtype))


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def softmax(x, axis=-1):
    return jax.nn.softmax(_float(x), axis=_axis(axis))


def log_softmax(x, axis=-1):
    return jax.nn.log_softmax(_float(x), axis=_axis(axis))


def sparsemax(x, axis=-1):
    x = _float(x)
    z = jnp.moveaxis(x, axis, -1)
    z_sorted = -jnp.sort(-z, axis=-1)
    k = jnp.arange(1, z.shape[-1] + 1, dtype=z.dtype)
    cumsum = jnp.cumsum(z_sorted, axis=-1)
    support = (1 + k * z_sorted) > cumsum
    k_z = jnp.sum(support, axis=-1, keepdims=True).astype("int32")
    tau = (jnp.take_along_axis(cumsum, k_z - 1, axis=-1) - 1) / k_z.astype(z.dtype)
    out = jnp.maximum(z - tau, 0)
    return jnp.moveaxis(out, -1, axis)


# --------------------------------------------------------------------------- layouts


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Invalid data_format {data_format!r}.")
    return data_format


def _tuple(value, n, name):
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise ValueError(f"`{name}` must have {n} entries; received {value}.")
    return value


def _to_channels_last(x, data_format):
    if data_format == "channels_first":
        return jnp.moveaxis(x, 1, -1)
    return x


def _from_channels_last(x, data_format):
    if data_format == "channels_first":
        return jnp.moveaxis(x, -1, 1)
    return x


def _check_padding(padding, allow_causal=False):
    padding = padding.lower()
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if padding not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}. Received: {padding!r}")
    return padding


# --------------------------------------------------------------------------- pooling


def _pool_args(inputs, pool_size, strides, padding, data_format):
    data_format = _data_format(data_format)
    x = _t(inputs)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"Pooling expects a rank 3, 4 or 5 input; got shape {x.shape}.")
    n = x.ndim - 2
    pool = _tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else _tuple(strides, n, "strides")
    padding = _check_padding(padding).upper()
    x = _to_channels_last(x, data_format)
    window = (1,) + pool + (1,)
    window_strides = (1,) + strides + (1,)
    return x, window, window_strides, padding, data_format


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, padding, data_format = _pool_args(
        inputs, pool_size, strides, padding, data_format)
    if dtypes.is_float(x.dtype):
        init = -jnp.inf
    elif _std(x) == "bool":
        init = False
    else:
        init = np.iinfo(_std(x)).min
    out = lax.reduce_window(x, np.array(init, x.dtype), lax.max, window, strides, padding)
    return _from_channels_last(out, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    x, window, strides, padding, data_format = _pool_args(
        inputs, pool_size, strides, padding, data_format)
    x = _float(x)
    total = lax.reduce_window(x, np.array(0, x.dtype), lax.add, window, strides, padding)
    if padding == "VALID":
        out = total / np.prod(window)
    else:
        ones = jnp.ones((1,) + x.shape[1:-1] + (1,), x.dtype)
        count = lax.reduce_window(ones, np.array(0, x.dtype), lax.add, window, strides,
                                  padding)
        out = total / count
    return _from_channels_last(out, data_format)


def _adaptive_bins(n, m):
    """PyTorch's adaptive pooling bins: output i of m reads input [floor(i*n/m), ceil((i+1)*n/m))."""
    return [((i * n) // m, -((-(i + 1) * n) // m)) for i in range(m)]


def _adaptive_args(inputs, output_size, data_format):
    data_format = _data_format(data_format)
    x = _t(inputs)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"Adaptive pooling expects a rank 3, 4 or 5 input; got shape {x.shape}.")
    x = _to_channels_last(x, data_format)
    spatial = x.shape[1:-1]
    if isinstance(output_size, (int, np.integer)) or output_size is None:
        output_size = (output_size,) * len(spatial)
    output_size = tuple(output_size)
    if len(output_size) == 1:
        output_size = output_size * len(spatial)
    if len(output_size) != len(spatial):
        raise ValueError(
            f"`output_size` must have {len(spatial)} entries; received {output_size}."
        )
    output_size = tuple(n if m is None else int(m) for n, m in zip(spatial, output_size))
    for n, m in zip(spatial, output_size):
        if m < 1 or n < 1:
            raise ValueError(
                f"Adaptive pooling needs positive input and output sizes; received input "
                f"spatial shape {spatial} and output_size {output_size}."
            )
    return x, output_size, data_format


def adaptive_average_pool(inputs, output_size, data_format=None):
    x, output_size, data_format = _adaptive_args(inputs, output_size, data_format)
    x = _float(x)
    # The average over a box of bins is separable: one (m, n) averaging matrix per axis.
    for axis, m in enumerate(output_size, start=1):
        n = x.shape[axis]
        weights = np.zeros((m, n))
        for i, (start, end) in enumerate(_adaptive_bins(n, m)):
            weights[i, start:end] = 1.0 / (end - start)
        out = jnp.tensordot(x, jnp.asarray(weights, x.dtype), axes=[[axis], [1]],
                            precision=lax.Precision.HIGHEST)
        x = jnp.moveaxis(out, -1, axis)
    return _from_channels_last(x, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    x, output_size, data_format = _adaptive_args(inputs, output_size, data_format)
    # Separable too: gather each bin along one axis (short bins repeat their last index, which
    # leaves the max and its gradient unchanged) and reduce it.
    for axis, m in enumerate(output_size, start=1):
        bins = _adaptive_bins(x.shape[axis], m)
        width = builtins.max(end - start for start, end in bins)
        index = np.array([[builtins.min(start + k, end - 1) for k in range(width)]
                          for start, end in bins])
        x = jnp.max(jnp.take(x, index, axis=axis), axis=axis + 1)
    return _from_channels_last(x, data_format)


# --------------------------------------------------------------------------- convolution


def _dimension_numbers(n, data_format):
    spatial = "DHW"[-n:] if n <= 3 else None
    if spatial is None:
        raise ValueError("Only 1D, 2D and 3D convolutions are supported.")
    lhs = "N" + spatial + "C" if data_format == "channels_last" else "NC" + spatial
    return (lhs, spatial + "IO", lhs)


def _conv_operands(inputs, kernel):
    dtype = dtypes.result_type(_t(inputs).dtype, _t(kernel).dtype)
    if not dtypes.is_float(dtype):
        dtype = config.floatx()
    return _t(inputs, dtype), _t(kernel, dtype)


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    x, kernel = _conv_operands(inputs, kernel)
    n = x.ndim - 2
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    padding = _check_padding(padding, allow_causal=(n == 1))
    channels = x.shape[-1] if data_format == "channels_last" else x.shape[1]
    kernel_in = kernel.shape[-2]
    if channels % kernel_in:
        raise ValueError(
            f"Input channels ({channels}) must be a multiple of the kernel's input channels "
            f"({kernel_in})."
        )
    groups = channels // kernel_in
    if padding == "causal":
        left = dilation[0] * (kernel.shape[0] - 1)
        pads = [(left, 0)]
    else:
        pads = padding.upper()
    return lax.conv_general_dilated(
        x, kernel, window_strides=strides, padding=pads, rhs_dilation=dilation,
        dimension_numbers=_dimension_numbers(n, data_format), feature_group_count=groups,
    )


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    x, kernel = _conv_operands(inputs, kernel)
    spatial = kernel.shape[:-2]
    in_channels, multiplier = kernel.shape[-2], kernel.shape[-1]
    kernel = kernel.reshape(spatial + (1, in_channels * multiplier))
    return conv(x, kernel, strides, padding, data_format, dilation_rate)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    out = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format, dilation_rate)
    return conv(out, pointwise_kernel, 1, "valid", data_format, 1)


def _transpose_pads(kernel_size, stride, dilation, padding, output_padding):
    """(left, right) padding of the stride-dilated input that gives Keras' output length."""
    k = (kernel_size - 1) * dilation + 1
    if padding == "valid":
        extra = builtins.max(k, stride) - k if output_padding is None else output_padding
        return k - 1, k - 1 + extra
    if output_padding is None:
        total = stride + k - 2
    else:
        total = k + k % 2 - 2 + output_padding
    left = builtins.min(total // 2 + total % 2, k - 1)
    return left, total - left


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    x, kernel = _conv_operands(inputs, kernel)
    n = x.ndim - 2
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    padding = _check_padding(padding)
    out_pad = (None,) * n if output_padding is None else _tuple(output_padding, n,
                                                                  "output_padding")
    pads = [
        _transpose_pads(kernel.shape[i], strides[i], dilation[i], padding, out_pad[i])
        for i in range(n)
    ]
    # Gradient of a convolution: flip the kernel spatially and swap its in/out axes.
    flipped = jnp.flip(kernel, axis=tuple(range(n)))
    flipped = jnp.swapaxes(flipped, -1, -2)  # (*spatial, in, out)
    return lax.conv_general_dilated(
        x, flipped, window_strides=(1,) * n, padding=pads, lhs_dilation=strides,
        rhs_dilation=dilation, dimension_numbers=_dimension_numbers(n, data_format),
    )


# --------------------------------------------------------------------------- rearrangements


def _block_args(x, block_size, data_format):
    x = _t(x)
    if x.ndim != 4:
        raise ValueError(f"Expected a rank 4 input; received shape {x.shape}.")
    if not isinstance(block_size, (int, np.integer)) or block_size < 1:
        raise ValueError(f"`block_size` must be a positive int; received {block_size!r}.")
    data_format = _data_format(data_format)
    return _to_channels_last(x, data_format), int(block_size), data_format


def depth_to_space(x, block_size, data_format="channels_last"):
    x, b, data_format = _block_args(x, block_size, data_format)
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"Channels ({c}) must be divisible by block_size**2 ({b * b}).")
    x = x.reshape(n, h, w, b, b, c // (b * b))
    x = jnp.transpose(x, (0, 1, 3, 2, 4, 5)).reshape(n, h * b, w * b, c // (b * b))
    return _from_channels_last(x, data_format)


def space_to_depth(x, block_size, data_format="channels_last"):
    x, b, data_format = _block_args(x, block_size, data_format)
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(
            f"Spatial dimensions ({h}, {w}) must be divisible by block_size ({b})."
        )
    x = x.reshape(n, h // b, b, w // b, b, c)
    x = jnp.transpose(x, (0, 1, 3, 2, 4, 5)).reshape(n, h // b, w // b, b * b * c)
    return _from_channels_last(x, data_format)


def _unfold_geometry(size, kernel_size, dilation, padding, stride):
    """Number of blocks along each spatial dim for an input of spatial `size`."""
    blocks = []
    for n, k, d, p, s in zip(size, kernel_size, dilation, padding, stride):
        count = (n + 2 * p - d * (k - 1) - 1) // s + 1
        if count < 1:
            raise ValueError(
                f"The kernel ({kernel_size}, dilation {dilation}) does not fit the padded input "
                f"of spatial size {size} (padding {padding})."
            )
        blocks.append(count)
    return tuple(blocks)


def _unfold_args(kernel_size, dilation, padding, stride):
    return (_tuple(kernel_size, 2, "kernel_size"), _tuple(dilation, 2, "dilation"),
            _tuple(padding, 2, "padding"), _tuple(stride, 2, "stride"))


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = _t(x)
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    if x.ndim != 4:
        raise ValueError(f"unfold expects a (N, C, H, W) input; received shape {x.shape}.")
    kernel_size, dilation, padding, stride = _unfold_args(kernel_size, dilation, padding, stride)
    n, c, h, w = x.shape
    oh, ow = _unfold_geometry((h, w), kernel_size, dilation, padding, stride)
    x = jnp.pad(x, ((0, 0), (0, 0), (padding[0], padding[0]), (padding[1], padding[1])))
    blocks = []
    for i in range(kernel_size[0]):
        for j in range(kernel_size[1]):
            top, left = i * dilation[0], j * dilation[1]
            blocks.append(x[:, :, top:top + stride[0] * (oh - 1) + 1:stride[0],
                            left:left + stride[1] * (ow - 1) + 1:stride[1]])
    out = jnp.stack(blocks, axis=2).reshape(n, c * kernel_size[0] * kernel_size[1], oh * ow)
    return out[0] if unbatched else out


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = _t(x)
    unbatched = x.ndim == 2
    if unbatched:
        x = x[None]
    if x.ndim != 3:
        raise ValueError(f"fold expects a (N, C * kh * kw, L) input; received shape {x.shape}.")
    output_size = _tuple(output_size, 2, "output_size")
    kernel_size, dilation, padding, stride = _unfold_args(kernel_size, dilation, padding, stride)
    oh, ow = _unfold_geometry(output_size, kernel_size, dilation, padding, stride)
    n, ckk, length = x.shape
    kk = kernel_size[0] * kernel_size[1]
    if ckk % kk:
        raise ValueError(
            f"The channel axis ({ckk}) of fold's input must be a multiple of kh * kw ({kk})."
        )
    if length != oh * ow:
        raise ValueError(
            f"fold's input has {length} blocks, but output_size {output_size} with these "
            f"arguments gives {oh} * {ow} = {oh * ow}."
        )
    c = ckk // kk
    x = x.reshape(n, c, kernel_size[0], kernel_size[1], oh, ow)
    height = output_size[0] + 2 * padding[0]
    width = output_size[1] + 2 * padding[1]
    zero = jnp.zeros((), x.dtype)
    out = jnp.zeros((n, c, height, width), x.dtype)
    for i in range(kernel_size[0]):
        for j in range(kernel_size[1]):
            top, left = i * dilation[0], j * dilation[1]
            # Interior padding spreads the block over the strided positions it was read from.
            out = out + lax.pad(x[:, :, i, j], zero, (
                (0, 0, 0), (0, 0, 0),
                (top, height - top - stride[0] * (oh - 1) - 1, stride[0] - 1),
                (left, width - left - stride[1] * (ow - 1) - 1, stride[1] - 1)))
    out = out[:, :, padding[0]:padding[0] + output_size[0],
              padding[1]:padding[1] + output_size[1]]
    return out[0] if unbatched else out


# --------------------------------------------------------------------------- complex


def polar(abs_, angle):
    abs_, angle = _t(abs_), _t(angle)
    real = "float64" if "float64" in (_std(abs_), _std(angle)) else "float32"
    abs_, angle = abs_.astype(real), angle.astype(real)
    return lax.complex(abs_ * jnp.cos(angle), abs_ * jnp.sin(angle))


# --------------------------------------------------------------------------- encodings


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The jax backend of keraslite does not support sparse outputs.")
    x = _t(x)
    if not dtypes.is_int(x.dtype):
        x = x.astype("int32")
    dtype = dtypes.standardize_dtype(dtype) if dtype is not None else config.floatx()
    return jax.nn.one_hot(x, int(num_classes), dtype=dtype, axis=axis)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    x = _t(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return jnp.max(encoded, axis=reduction_axis)


# --------------------------------------------------------------------------- losses


def _loss_operands(target, output):
    target, output = _t(target), _t(output)
    dtype = dtypes.result_type(target.dtype, output.dtype, float)
    return target.astype(dtype), output.astype(dtype)


def _check_same_shape(target, output):
    if target.shape != output.shape:
        raise ValueError(
            f"`target` and `output` must have the same shape. Received: target.shape="
            f"{target.shape}, output.shape={output.shape}"
        )


def binary_crossentropy(target, output, from_logits=False):
    target, output = _loss_operands(target, output)
    _check_same_shape(target, output)
    if from_logits:
        return -target * jax.nn.log_sigmoid(output) - (1 - target) * jax.nn.log_sigmoid(-output)
    eps = config.epsilon()
    output = jnp.clip(output, eps, 1 - eps)
    return -(target * jnp.log(output) + (1 - target) * jnp.log(1 - output))


def _categorical_log_probs(output, from_logits, axis):
    if from_logits:
        return jax.nn.log_softmax(output, axis=axis)
    output = output / jnp.sum(output, axis=axis, keepdims=True)
    eps = config.epsilon()
    return jnp.log(jnp.clip(output, eps, 1 - eps))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _loss_operands(target, output)
    _check_same_shape(target, output)
    if output.ndim < 1:
        raise ValueError("categorical_crossentropy needs at least rank 1 inputs.")
    return -jnp.sum(target * _categorical_log_probs(output, from_logits, axis), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _t(target), _float(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = jnp.squeeze(target, axis=-1)
    if target.ndim != output.ndim - 1:
        raise ValueError(
            f"`target` must have rank output.ndim - 1; got target.shape={target.shape} and "
            f"output.shape={output.shape}."
        )
    target = target.astype("int32")
    labels = jax.nn.one_hot(target, output.shape[axis], dtype=output.dtype, axis=axis)
    return -jnp.sum(labels * _categorical_log_probs(output, from_logits, axis), axis=axis)


# --------------------------------------------------------------------------- normalization


def moments(x, axes, keepdims=False, synchronized=False):
    x = _float(x)
    dtype = _std(x)
    if dtype in ("float16", "bfloat16"):
        x = x.astype("float32")
    axes = _axis(axes)
    mean = jnp.mean(x, axis=axes, keepdims=keepdims)
    variance = jnp.var(x, axis=axes, keepdims=keepdims)
    if dtype in ("float16", "bfloat16"):
        limit = float(jnp.finfo(dtype).max)
        mean = jnp.clip(mean, -limit, limit).astype(dtype)
        variance = jnp.clip(variance, -limit, limit).astype(dtype)
    return mean, variance


def _along_axis(param, ndim, axis, x_shape):
    """Reshape a 1-D parameter so that it broadcasts along `axis` of an ndim tensor."""
    if param.ndim != 1 or ndim <= 1:
        return param
    shape = [1] * ndim
    shape[axis] = x_shape[axis]
    return param.reshape(shape)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=0.001):
    x = _float(x)
    dtype = x.dtype

    def prep(p):
        return _along_axis(_t(p, dtype), x.ndim, axis, x.shape)

    inv = lax.rsqrt(prep(variance) + epsilon)
    if scale is not None:
        inv = inv * prep(scale)
    res = -prep(mean) * inv
    if offset is not None:
        res = res + prep(offset)
    return x * inv + res


def _param_shape(x, axes):
    shape = [1] * x.ndim
    for a in axes:
        shape[a] = x.shape[a]
    return shape


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x = _float(x)
    if epsilon is None:
        epsilon = config.epsilon()
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    axes = tuple(a % x.ndim for a in axes)
    compute = x.astype("float32") if _std(x) in ("float16", "bfloat16") else x
    if kwargs.get("rms_scaling", False):
        # Keras' (deprecated) rms_scaling divides by the standard deviation, not the RMS.
        variance = jnp.var(compute, axis=axes, keepdims=True)
        out = compute * lax.rsqrt(variance + epsilon)
        if gamma is not None:
            out = out * _t(gamma, out.dtype).reshape(_param_shape(x, axes))
        return out.astype(x.dtype)
    mean = jnp.mean(compute, axis=axes, keepdims=True)
    variance = jnp.var(compute, axis=axes, keepdims=True)
    inv = lax.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * _t(gamma, compute.dtype).reshape(_param_shape(x, axes))
    out = (compute - mean) * inv
    if beta is not None:
        out = out + _t(beta, compute.dtype).reshape(_param_shape(x, axes))
    return out.astype(x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = _float(x)
    if epsilon is None:
        epsilon = config.epsilon()
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    axes = tuple(a % x.ndim for a in axes) if x.ndim else ()
    compute = x.astype("float32") if _std(x) in ("float16", "bfloat16") else x
    out = compute * lax.rsqrt(jnp.mean(jnp.square(compute), axis=axes, keepdims=True) + epsilon)
    if scale is not None:
        scale = _t(scale, compute.dtype)
        if scale.ndim == len(axes) and scale.ndim < x.ndim:
            scale = scale.reshape(_param_shape(x, axes))
        out = out * scale
    return out.astype(x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _float(x)
    if epsilon is None:
        epsilon = config.epsilon()
    axis = _axis(axis)
    if order == 2:
        square_sum = jnp.sum(jnp.square(x), axis=axis, keepdims=True)
        inv_norm = jnp.minimum(lax.rsqrt(square_sum), 1.0 / epsilon)
        return x * inv_norm
    norm = jnp.linalg.norm(x, ord=order, axis=axis, keepdims=True)
    return x / jnp.maximum(norm, epsilon)


# --------------------------------------------------------------------------- ctc


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = _float(output)
    target = _t(target).astype("int32")
    target_length = _t(target_length).astype("int32")
    output_length = _t(output_length).astype("int32")
    batch, max_time, _ = output.shape
    max_label = target.shape[1]
    log_probs = jax.nn.log_softmax(output.astype("float32") if _std(output) in (
        "float16", "bfloat16") else output, axis=-1)
    neg_inf = jnp.asarray(-1e30, log_probs.dtype)

    # Extended labels: blank, l1, blank, l2, ..., lL, blank.
    num_states = 2 * max_label + 1
    ext = jnp.full((batch, num_states), mask_index, "int32")
    ext = ext.at[:, 1::2].set(target)
    # A skip from s-2 to s is allowed for labels that differ from the label two back.
    prev2 = jnp.concatenate([jnp.full((batch, 2), mask_index, "int32"), ext[:, :-2]], axis=1)
    can_skip = (ext != mask_index) & (ext != prev2)
    can_skip = can_skip.at[:, :2].set(False)

    def emit(t):
        return jnp.take_along_axis(log_probs[:, t, :], ext, axis=1)  # (batch, num_states)

    alpha0 = jnp.full((batch, num_states), neg_inf)
    first = emit(0)
    alpha0 = alpha0.at[:, 0].set(first[:, 0])
    if num_states > 1:
        alpha0 = alpha0.at[:, 1].set(first[:, 1])

    def step(alpha, t):
        shift1 = jnp.concatenate([jnp.full((batch, 1), neg_inf), alpha[:, :-1]], axis=1)
        shift2 = jnp.concatenate([jnp.full((batch, 2), neg_inf), alpha[:, :-2]], axis=1)
        shift2 = jnp.where(can_skip, shift2, neg_inf)
        combined = jnp.logaddexp(jnp.logaddexp(alpha, shift1), shift2)
        new = combined + emit(t)
        active = (t < output_length)[:, None]
        return jnp.where(active, new, alpha), None

    alpha, _ = lax.scan(step, alpha0, jnp.arange(1, max_time))
    last = 2 * target_length
    end_blank = jnp.take_along_axis(alpha, last[:, None], axis=1)[:, 0]
    end_label = jnp.take_along_axis(alpha, jnp.maximum(last - 1, 0)[:, None], axis=1)[:, 0]
    end_label = jnp.where(target_length > 0, end_label, neg_inf)
    loss = -jnp.logaddexp(end_blank, end_label)
    return loss.astype(output.dtype)


def _ctc_greedy_decode(inputs, sequence_lengths, merge_repeated, blank):
    batch, time, _ = inputs.shape
    indices = jnp.argmax(inputs, axis=-1).astype("int32")
    maxima = jnp.max(inputs, axis=-1)
    past_end = jnp.arange(time)[None, :] >= sequence_lengths[:, None]
    indices = jnp.where(past_end, blank, indices)
    maxima = jnp.where(past_end, jnp.zeros((), inputs.dtype), maxima)
    if merge_repeated:
        repeat = jnp.concatenate(
            [jnp.zeros((batch, 1), "bool"), indices[:, 1:] == indices[:, :-1]], axis=1)
        indices = jnp.where(repeat, blank, indices)
    dropped = indices == blank
    indices = jnp.where(dropped, -1, indices)
    # Move the dropped steps to the end, keeping the order of the others.
    order = jnp.argsort(dropped.astype("int32"), axis=-1, stable=True)
    indices = jnp.take_along_axis(indices, order, axis=-1)
    scores = -jnp.sum(maxima, axis=1, keepdims=True)
    return indices[None], scores


def _ctc_beam_search_decode(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    batch, time, _ = inputs.shape
    beam_width, top_paths = int(beam_width), int(top_paths)
    if beam_width < 1 or top_paths < 1:
        raise ValueError(
            f"beam_width ({beam_width}) and top_paths ({top_paths}) must be positive."
        )
    score_dtype = inputs.dtype

    def host(x, lengths):
        paths, scores = ctc_numpy.beam_search_decode(x, lengths, beam_width, top_paths, mask_index)
        return np.asarray(paths, np.int32), np.asarray(scores, score_dtype)

    shapes = (jax.ShapeDtypeStruct((top_paths, batch, time), jnp.int32),
              jax.ShapeDtypeStruct((batch, top_paths), score_dtype))
    return jax.pure_callback(host, shapes, inputs, sequence_lengths, vmap_method="sequential")


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = _t(inputs)
    if inputs.ndim != 3:
        raise ValueError(
            f"ctc_decode expects (batch, time, classes) inputs; received shape {inputs.shape}."
        )
    # At least float32 (no narrowing of float64, unlike result_type).
    inputs = inputs.astype("float64" if _std(inputs) == "float64" else "float32")
    sequence_lengths = _t(sequence_lengths).astype("int32").reshape(-1)
    if strategy == "greedy":
        blank = inputs.shape[-1] - 1 if mask_index is None else int(mask_index)
        return _ctc_greedy_decode(inputs, sequence_lengths, merge_repeated, blank)
    if strategy == "beam_search":
        return _ctc_beam_search_decode(inputs, sequence_lengths, beam_width, top_paths,
                                       mask_index)
    raise ValueError(
        f"`strategy` must be 'greedy' or 'beam_search'; received {strategy!r}."
    )


# --------------------------------------------------------------------------- metrics


def psnr(x1, x2, max_val):
    x1, x2 = _t(x1), _t(x2)
    if x1.shape != x2.shape:
        raise ValueError(f"psnr inputs must have the same shape; got {x1.shape} and {x2.shape}.")
    dtype = dtypes.result_type(x1.dtype, x2.dtype, float)
    x1, x2 = x1.astype(dtype), x2.astype(dtype)
    max_val = _t(max_val, dtype)
    mse = jnp.mean(jnp.square(x1 - x2))
    return 20 * jnp.log10(max_val) - 10 * jnp.log10(mse)


# --------------------------------------------------------------------------- attention


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention is not supported by the jax backend of keraslite.")
    query, key, value = _t(query), _t(key), _t(value)
    dtype = dtypes.result_type(query.dtype, key.dtype, value.dtype)
    if not dtypes.is_float(dtype):
        dtype = config.floatx()
    query, key, value = query.astype(dtype), key.astype(dtype), value.astype(dtype)
    if query.ndim != 4 or key.ndim != 4 or value.ndim != 4:
        raise ValueError("dot_product_attention expects (batch, seq, heads, dim) inputs.")
    _, t_len, num_heads, head_dim = query.shape
    s_len, kv_heads = key.shape[1], key.shape[2]
    if num_heads % kv_heads:
        raise ValueError(f"Query heads ({num_heads}) must be a multiple of key heads ({kv_heads}).")
    groups = num_heads // kv_heads
    if groups > 1:
        key = jnp.repeat(key, groups, axis=2)
        value = jnp.repeat(value, groups, axis=2)
    if scale is None:
        scale = 1.0 / np.sqrt(head_dim)
    compute = "float64" if dtype == "float64" else "float32"  # softmax in at least float32
    logits = jnp.einsum("btnh,bsnh->bnts", query.astype(compute), key.astype(compute))
    logits = logits * scale
    if bias is not None:
        logits = logits + _t(bias).astype(compute)
    if attn_logits_soft_cap is not None:
        logits = attn_logits_soft_cap * jnp.tanh(logits / attn_logits_soft_cap)
    keep = None
    if mask is not None:
        keep = _t(mask).astype("bool")
    if is_causal:
        causal = jnp.tril(jnp.ones((t_len, s_len), "bool"))
        keep = causal if keep is None else jnp.logical_and(keep, causal)
    if keep is not None:
        logits = jnp.where(keep, logits, jnp.asarray(-0.7 * np.finfo(compute).max, compute))
    probs = jax.nn.softmax(logits, axis=-1)
    out = jnp.einsum("bnts,bsnh->btnh", probs, value.astype(compute))
    return out.astype(dtype)

