"""Neural-network ops on TensorFlow: activations, convolution, pooling, normalization, losses."""

import builtins
import math as pymath

import tensorflow as tf

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.tensorflow import numpy
from keraslite_backends.tensorflow.core import (
    canonical_axis,
    convert_to_tensor,
    is_float_dtype,
    to_float,
)


def _std(x):
    return dtypes.standardize_dtype(x.dtype)


# float dtypes that Keras' promotion keeps when paired with themselves (float64 may narrow)
_SAME_FLOATS = (tf.float16, tf.bfloat16, tf.float32)


def dense(inputs, kernel, bias=None):
    x, k = convert_to_tensor(inputs), convert_to_tensor(kernel)
    b = None if bias is None else convert_to_tensor(bias)
    if x.dtype == k.dtype and x.dtype in _SAME_FLOATS and (b is None or b.dtype == x.dtype):
        out = tf.linalg.matmul(x, k)
        # MatMul then BiasAdd is the pattern grappler fuses into one kernel
        return out if b is None else tf.nn.bias_add(out, b)
    out = numpy.matmul(x, k)
    return out if b is None else numpy.add(out, b)


# ---------------------------------------------------------------------------------------------
# Activations.


def relu(x):
    return tf.nn.relu(to_float(x))


def relu6(x):
    return tf.nn.relu6(to_float(x))


def sigmoid(x):
    return tf.math.sigmoid(to_float(x))


def sparse_sigmoid(x):
    x = to_float(x)
    return tf.where(x <= -1, tf.zeros_like(x), tf.where(x >= 1, tf.ones_like(x), 0.5 * (x + 1)))


def softplus(x):
    return tf.math.softplus(to_float(x))


def softsign(x):
    return tf.nn.softsign(to_float(x))


def silu(x):
    x = to_float(x)
    return x * tf.math.sigmoid(x)


def log_sigmoid(x):
    return tf.math.log_sigmoid(to_float(x))


def hard_sigmoid(x):
    x = to_float(x)
    return tf.nn.relu6(x + 3.0) / 6.0


def hard_silu(x):
    x = to_float(x)
    return x * hard_sigmoid(x)


def selu(x):
    return tf.nn.selu(to_float(x))


def tanh_shrink(x):
    x = to_float(x)
    return x - tf.math.tanh(x)


def hard_tanh(x):
    x = to_float(x)
    return tf.clip_by_value(x, tf.constant(-1, x.dtype), tf.constant(1, x.dtype))


def squareplus(x, b=4):
    x = to_float(x)
    b = tf.cast(b, x.dtype)
    return (x + tf.math.sqrt(tf.math.square(x) + b)) / 2


def sparse_plus(x):
    x = to_float(x)
    return tf.where(x <= -1, tf.zeros_like(x), tf.where(x >= 1, x, tf.math.square(x + 1) / 4))


def leaky_relu(x, negative_slope=0.2):
    x = to_float(x)
    return tf.where(x >= 0, x, x * tf.cast(negative_slope, x.dtype))


def elu(x, alpha=1.0):
    x = to_float(x)
    return tf.where(x > 0, x, tf.cast(alpha, x.dtype) * tf.math.expm1(tf.math.minimum(x, 0)))


def celu(x, alpha=1.0):
    x = to_float(x)
    alpha = tf.cast(alpha, x.dtype)
    return tf.math.maximum(x, 0) + tf.math.minimum(
        tf.zeros_like(x), alpha * tf.math.expm1(tf.math.minimum(x, 0) / alpha)
    )


def gelu(x, approximate=True):
    x = to_float(x)
    if approximate:
        c = tf.cast(pymath.sqrt(2.0 / pymath.pi), x.dtype)
        return 0.5 * x * (1.0 + tf.math.tanh(c * (x + 0.044715 * x * x * x)))
    return 0.5 * x * (1.0 + tf.math.erf(x / tf.cast(pymath.sqrt(2.0), x.dtype)))


def glu(x, axis=-1):
    x = to_float(x)
    if x.shape[axis] is not None and x.shape[axis] % 2:
        raise ValueError(f"glu: axis {axis} must have an even size, got {x.shape[axis]}.")
    a, b = tf.split(x, 2, axis=axis)
    return a * tf.math.sigmoid(b)


def soft_shrink(x, threshold=0.5):
    x = to_float(x)
    t = tf.cast(threshold, x.dtype)
    return tf.where(x > t, x - t, tf.where(x < -t, x + t, tf.zeros_like(x)))


def hard_shrink(x, threshold=0.5):
    x = to_float(x)
    return tf.where(tf.math.abs(x) > tf.cast(threshold, x.dtype), x, tf.zeros_like(x))


def threshold(x, threshold, default_value):
    x = to_float(x)
    return tf.where(x > tf.cast(threshold, x.dtype), x, tf.cast(default_value, x.dtype))


def _axes(axis, ndim):
    if isinstance(axis, (list, tuple)):
        return [canonical_axis(a, ndim) for a in axis]
    return [canonical_axis(axis, ndim)]


def softmax(x, axis=-1):
    x = to_float(x)
    if x.ndim == 0:
        return tf.ones_like(x)
    axes = _axes(axis, x.ndim)
    shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axes, keepdims=True))
    e = tf.math.exp(shifted)
    return e / tf.reduce_sum(e, axis=axes, keepdims=True)


def log_softmax(x, axis=-1):
    x = to_float(x)
    if x.ndim == 0:
        return tf.zeros_like(x)
    axes = _axes(axis, x.ndim)
    shifted = x - tf.stop_gradient(tf.reduce_max(x, axis=axes, keepdims=True))
    return shifted - tf.math.log(tf.reduce_sum(tf.math.exp(shifted), axis=axes, keepdims=True))


def sparsemax(x, axis=-1):
    x = to_float(x)
    axis = canonical_axis(axis, x.ndim)
    perm = list(range(x.ndim))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    xt = tf.transpose(x, perm)
    z = tf.sort(xt, axis=-1, direction="DESCENDING")
    k = tf.cast(tf.range(1, tf.shape(z)[-1] + 1), x.dtype)
    cum = tf.math.cumsum(z, axis=-1)
    support = 1 + k * z > cum
    k_z = tf.reduce_sum(tf.cast(support, "int32"), axis=-1, keepdims=True)
    tau_sum = tf.gather(cum, k_z - 1, batch_dims=x.ndim - 1, axis=-1)
    tau = (tau_sum - 1) / tf.cast(k_z, x.dtype)
    out = tf.math.maximum(xt - tau, 0)
    return tf.transpose(out, perm)


# ---------------------------------------------------------------------------------------------
# Convolution and pooling. Computation is channels_last (CPU kernels need it).


def _data_format(data_format):
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {data_format!r}.")
    return data_format


_CHANNELS_LAST = {1: "NWC", 2: "NHWC", 3: "NDHWC"}


def _to_last(x, data_format):
    if data_format == "channels_first":
        return tf.transpose(x, [0] + list(range(2, x.ndim)) + [1])
    return x


def _from_last(x, data_format):
    if data_format == "channels_first":
        return tf.transpose(x, [0, x.ndim - 1] + list(range(1, x.ndim - 1)))
    return x


def _tuple(v, n, name):
    if isinstance(v, int):
        return (v,) * n
    v = tuple(int(i) for i in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise ValueError(f"`{name}` must have {n} values, got {v}.")
    return v


def _padding(padding):
    p = padding.lower()
    if p not in ("valid", "same"):
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}.")
    return p.upper()


def _pool(inputs, pool_size, strides, padding, data_format, kind):
    data_format = _data_format(data_format)
    x = convert_to_tensor(inputs)
    n = x.ndim - 2
    pool_size = _tuple(pool_size, n, "pool_size")
    strides = pool_size if strides is None else _tuple(strides, n, "strides")
    x = _to_last(x, data_format)
    dtype = x.dtype
    if not x.dtype.is_floating or (n == 3 and x.dtype != tf.float32):
        x = tf.cast(x, "float32")  # 3D pooling kernels have no float64 version
    fn = tf.nn.max_pool if kind == "max" else tf.nn.avg_pool
    out = fn(x, pool_size, strides, _padding(padding), data_format=_CHANNELS_LAST[n])
    return _from_last(tf.cast(out, dtype) if out.dtype != dtype else out, data_format)


def max_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, "max")


def average_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    return _pool(inputs, pool_size, strides, padding, data_format, "avg")


def _conv_channels_last(x, kernel, strides, padding, dilation):
    """Grouped N-D convolution of channels_last x with kernel (*spatial, in/groups, out)."""
    n = x.ndim - 2
    padding = padding.lower()
    if padding == "causal":
        if n != 1:
            raise ValueError("padding='causal' is only for 1D convolution.")
        left = dilation[0] * (kernel.shape[0] - 1)
        x = tf.pad(x, [[0, 0], [left, 0], [0, 0]])
        padding = "valid"
    if builtins.max(strides) > 1 and builtins.max(dilation) > 1:
        # tf.nn.convolution refuses strides with dilation: pad as 'same' would, convolve at
        # every position, then keep every stride-th output
        if _padding(padding) == "SAME":
            widths = [[0, 0]]
            for i, s in enumerate(strides):
                size = x.shape[1 + i] if x.shape[1 + i] is not None else tf.shape(x)[1 + i]
                total = (-(-size // s) - 1) * s + (kernel.shape[i] - 1) * dilation[i] + 1 - size
                total = builtins.max(total, 0) if isinstance(total, int) else tf.maximum(total, 0)
                widths.append([total // 2, total - total // 2])
            x = tf.pad(x, widths + [[0, 0]])
        dense = _conv_channels_last(x, kernel, (1,) * n, "valid", dilation)
        return dense[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    padding = _padding(padding)
    in_ch = x.shape[-1]
    k_in = kernel.shape[-2]
    groups = 1 if in_ch is None or k_in == in_ch else in_ch // k_in
    if in_ch is not None and groups * k_in != in_ch:
        raise ValueError(
            f"conv: input channels {in_ch} are not a multiple of kernel channels {k_in}."
        )

    fmt = _CHANNELS_LAST[n]

    def one(xi, ki):
        return tf.nn.convolution(xi, ki, strides=strides, padding=padding, dilations=dilation,
                                 data_format=fmt)

    if groups == 1:
        return one(x, kernel)
    xs = tf.split(x, groups, axis=-1)
    ks = tf.split(kernel, groups, axis=-1)
    return tf.concat([one(xi, ki) for xi, ki in zip(xs, ks)], axis=-1)


def _conv_inputs(inputs, kernel):
    x = convert_to_tensor(inputs)
    k = convert_to_tensor(kernel)
    dtype = dtypes.result_type(x.dtype, k.dtype)
    if not is_float_dtype(dtype):
        dtype = config.floatx()
    return tf.cast(x, dtype), tf.cast(k, dtype)


def conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    x, k = _conv_inputs(inputs, kernel)
    n = x.ndim - 2
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    x = _to_last(x, data_format)
    out = _conv_channels_last(x, k, strides, padding, dilation)
    return _from_last(out, data_format)


def depthwise_conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    x, k = _conv_inputs(inputs, kernel)
    n = x.ndim - 2
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    x = _to_last(x, data_format)
    in_ch, mult = k.shape[-2], k.shape[-1]
    if n in (1, 2) and padding.lower() != "causal" and len(set(strides)) == 1:
        if n == 1:
            x2, k2 = x[:, None], k[None]
            s, d = (strides[0],) * 2, (dilation[0],) * 2
        else:
            x2, k2, s, d = x, k, strides, dilation
        if builtins.max(s) > 1 and builtins.max(d) > 1:
            out = None
        else:
            out = tf.nn.depthwise_conv2d(
                x2, k2, strides=(1,) + tuple(s) + (1,), padding=_padding(padding), dilations=d
            )
            if n == 1:
                out = out[:, 0]
        if out is not None:
            return _from_last(out, data_format)
    # General case: a grouped convolution with one group per input channel.
    k_grouped = tf.reshape(k, list(k.shape[:-2]) + [1, in_ch * mult])
    out = _conv_channels_last(x, k_grouped, strides, padding, dilation)
    return _from_last(out, data_format)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    out = depthwise_conv(inputs, depthwise_kernel, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate)
    return conv(out, pointwise_kernel, strides=1, padding="valid", data_format=data_format)


def _deconv_length(length, kernel, stride, padding, output_padding, dilation):
    kernel = (kernel - 1) * dilation + 1
    if output_padding is None:
        if padding == "valid":
            return length * stride + builtins.max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def _dilate_kernel(kernel, dilation):
    """Kernel with dilation-1 zeros between taps along each spatial axis."""
    for axis, d in enumerate(dilation):
        if d == 1:
            continue
        size = kernel.shape[axis]
        perm = [axis] + [i for i in range(kernel.ndim) if i != axis]
        inverse = [perm.index(i) for i in range(kernel.ndim)]
        moved = tf.transpose(kernel, perm)
        rest = moved.shape[1:].as_list()
        padded = tf.concat([moved[:, None], tf.zeros([size, d - 1] + rest, kernel.dtype)], 1)
        dilated = tf.reshape(padded, [size * d] + rest)[: (size - 1) * d + 1]
        kernel = tf.transpose(dilated, inverse)
    return kernel


def conv_transpose(inputs, kernel, strides=1, padding='valid', output_padding=None, data_format=None, dilation_rate=1):
    data_format = _data_format(data_format)
    x, k = _conv_inputs(inputs, kernel)
    n = x.ndim - 2
    strides = _tuple(strides, n, "strides")
    dilation = _tuple(dilation_rate, n, "dilation_rate")
    out_pad = None if output_padding is None else _tuple(output_padding, n, "output_padding")
    padding = padding.lower()
    x = _to_last(x, data_format)
    if builtins.max(dilation) > 1:
        k = _dilate_kernel(k, dilation)
    k_sizes = k.shape[:n]
    in_shape = tf.shape(x)
    spatial = []
    for i in range(n):
        length = x.shape[1 + i] if x.shape[1 + i] is not None else in_shape[1 + i]
        spatial.append(_deconv_length(length, k_sizes[i], strides[i], padding,
                                      None if out_pad is None else out_pad[i], 1))
    out_shape = tf.stack([in_shape[0]] + [tf.cast(s, "int32") for s in spatial] + [k.shape[-2]])
    out = tf.nn.conv_transpose(x, k, out_shape, strides=strides, padding=_padding(padding),
                               data_format=_CHANNELS_LAST[n])
    return _from_last(out, data_format)


# ---------------------------------------------------------------------------------------------
# Encodings.


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        x = tf.cast(x, "int32")
    dtype = dtypes.standardize_dtype(dtype)
    if dtype == "bool":  # tf.one_hot has no bool kernel
        return tf.cast(tf.one_hot(x, num_classes, axis=axis, dtype="int32"), "bool")
    return tf.one_hot(x, num_classes, axis=axis, dtype=dtype)


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    x = convert_to_tensor(inputs)
    reduction_axis = 1 if x.ndim > 1 else 0
    encoded = one_hot(x, num_classes, axis=axis, dtype=dtype)
    return tf.reduce_max(encoded, axis=reduction_axis)


# ---------------------------------------------------------------------------------------------
# Losses.


def _loss_inputs(target, output):
    target = convert_to_tensor(target)
    output = to_float(output)
    return tf.cast(target, output.dtype), output


def binary_crossentropy(target, output, from_logits=False):
    target, output = _loss_inputs(target, output)
    if from_logits:
        return tf.nn.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    eps = tf.cast(config.epsilon(), output.dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -(target * tf.math.log(output) + (1 - target) * tf.math.log(1 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _loss_inputs(target, output)
    if from_logits:
        return -tf.reduce_sum(target * log_softmax(output, axis=axis), axis=axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = tf.cast(config.epsilon(), output.dtype)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.math.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target = convert_to_tensor(target)
    output = to_float(output)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = tf.squeeze(target, -1)
    target = tf.cast(target, "int32")
    axis = canonical_axis(axis, output.ndim)
    if axis != output.ndim - 1:
        perm = [i for i in range(output.ndim) if i != axis] + [axis]
        output = tf.transpose(output, perm)
    if from_logits:
        logp = log_softmax(output, axis=-1)
    else:
        output = output / tf.reduce_sum(output, axis=-1, keepdims=True)
        eps = tf.cast(config.epsilon(), output.dtype)
        logp = tf.math.log(tf.clip_by_value(output, eps, 1.0 - eps))
    # Keras gives 0 for a label outside [0, classes) (its one-hot row is empty); gather would
    # fail on it, so such labels read a valid class and are zeroed
    classes = tf.shape(logp)[-1]
    valid = tf.logical_and(target >= 0, target < classes)
    safe = tf.where(valid, target, tf.zeros_like(target))
    picked = tf.squeeze(tf.gather(logp, safe[..., None], axis=-1, batch_dims=target.ndim), -1)
    return tf.where(valid, -picked, tf.zeros_like(picked))


# ---------------------------------------------------------------------------------------------
# Normalization.


def moments(x, axes, keepdims=False, synchronized=False):
    x = convert_to_tensor(x)
    out = _std(x)
    if not is_float_dtype(out):
        out = config.floatx()
    work = "float32" if out in ("float16", "bfloat16") else out
    xw = tf.cast(x, work)
    axes = _axes(axes, x.ndim)
    mean = tf.reduce_mean(xw, axis=axes, keepdims=True)
    variance = tf.reduce_mean(tf.math.square(xw - tf.stop_gradient(mean)), axis=axes,
                              keepdims=True)
    if not keepdims:
        mean = tf.squeeze(mean, axes)
        variance = tf.squeeze(variance, axes)
    return tf.cast(mean, out), tf.cast(variance, out)


def _broadcast_param(p, x, axes):
    if p is None:
        return None
    p = tf.cast(convert_to_tensor(p), x.dtype)
    if p.ndim == len(axes) and p.ndim < x.ndim:
        shape = [1] * x.ndim
        for a, d in zip(axes, tf.unstack(tf.shape(p)) if p.ndim else []):
            shape[a] = d
        p = tf.reshape(p, tf.stack(shape) if shape else [])
    return p


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=0.001):
    x = to_float(x)
    axes = [canonical_axis(axis, x.ndim)]
    mean = _broadcast_param(mean, x, axes)
    variance = _broadcast_param(variance, x, axes)
    inv = tf.math.rsqrt(variance + tf.cast(epsilon, x.dtype))
    scale = _broadcast_param(scale, x, axes)
    if scale is not None:
        inv = inv * scale
    out = (x - mean) * inv
    offset = _broadcast_param(offset, x, axes)
    if offset is not None:
        out = out + offset
    return out


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    if kwargs.get("rms_scaling"):
        return rms_normalization(x, scale=gamma, axis=axis, epsilon=epsilon)
    x = to_float(x)
    dtype = x.dtype
    epsilon = config.epsilon() if epsilon is None else epsilon
    axes = _axes(axis, x.ndim)
    xw = tf.cast(x, "float32") if _std(x) in ("float16", "bfloat16") else x
    mean = tf.reduce_mean(xw, axis=axes, keepdims=True)
    var = tf.reduce_mean(tf.math.square(xw - mean), axis=axes, keepdims=True)
    out = (xw - mean) * tf.math.rsqrt(var + tf.cast(epsilon, xw.dtype))
    gamma = _broadcast_param(gamma, xw, axes)
    beta = _broadcast_param(beta, xw, axes)
    if gamma is not None:
        out = out * gamma
    if beta is not None:
        out = out + beta
    return tf.cast(out, dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = to_float(x)
    dtype = x.dtype
    epsilon = config.epsilon() if epsilon is None else epsilon
    axes = _axes(axis, x.ndim)
    xw = tf.cast(x, "float32") if _std(x) in ("float16", "bfloat16") else x
    ms = tf.reduce_mean(tf.math.square(xw), axis=axes, keepdims=True)
    out = xw * tf.math.rsqrt(ms + tf.cast(epsilon, xw.dtype))
    scale = _broadcast_param(scale, xw, axes)
    if scale is not None:
        out = out * scale
    return tf.cast(out, dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    from keraslite_backends.tensorflow.linalg import norm

    x = to_float(x)
    epsilon = config.epsilon() if epsilon is None else epsilon
    if order == 2:  # the L2 norm over every given axis (a matrix 2-norm would differ)
        axes = list(axis) if isinstance(axis, (list, tuple)) else axis
        square_sum = tf.reduce_sum(tf.square(x), axis=axes, keepdims=True)
        return x / tf.maximum(tf.sqrt(square_sum), tf.cast(epsilon, x.dtype))
    n = norm(x, ord=order, axis=axis, keepdims=True)
    return x / tf.math.maximum(n, tf.cast(epsilon, x.dtype))


# ---------------------------------------------------------------------------------------------
# CTC, PSNR, attention.


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    target = tf.cast(convert_to_tensor(target), "int32")
    output = to_float(output)
    dtype = output.dtype
    loss = tf.nn.ctc_loss(
        labels=target,
        logits=tf.cast(output, "float32"),
        label_length=tf.cast(convert_to_tensor(target_length), "int32"),
        logit_length=tf.cast(convert_to_tensor(output_length), "int32"),
        logits_time_major=False,
        blank_index=mask_index,
    )
    return tf.cast(loss, dtype)


def psnr(x1, x2, max_val):
    x1, x2 = to_float(x1), to_float(x2)
    dtype = dtypes.result_type(x1.dtype, x2.dtype)
    x1, x2 = tf.cast(x1, dtype), tf.cast(x2, dtype)
    max_val = tf.cast(max_val, dtype)
    mse = tf.reduce_mean(tf.math.square(x1 - x2))
    ln10 = tf.math.log(tf.constant(10.0, dtype))
    return 20.0 * tf.math.log(max_val) / ln10 - 10.0 * tf.math.log(mse) / ln10


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None, attn_logits_soft_cap=None):
    if flash_attention:
        raise ValueError("flash_attention is not available in the tensorflow backend.")
    q, k, v = convert_to_tensor(query), convert_to_tensor(key), convert_to_tensor(value)
    dtype = dtypes.result_type(q.dtype, k.dtype, v.dtype)
    if not is_float_dtype(dtype):
        dtype = config.floatx()
    q, k, v = tf.cast(q, dtype), tf.cast(k, dtype), tf.cast(v, dtype)
    squeeze_heads = q.ndim == 3
    if squeeze_heads:
        q, k, v = q[:, :, None], k[:, :, None], v[:, :, None]
    if q.ndim != 4:
        raise ValueError("dot_product_attention expects (batch, seq, heads, dim) inputs.")
    num_heads, kv_heads = q.shape[2], k.shape[2]
    if num_heads % kv_heads:
        raise ValueError("The number of query heads must be a multiple of the key/value heads.")
    groups = num_heads // kv_heads
    if groups > 1:
        k = tf.repeat(k, groups, axis=2)
        v = tf.repeat(v, groups, axis=2)
    head_dim = q.shape[-1]
    scale = (1.0 / pymath.sqrt(head_dim)) if scale is None else scale
    logits = tf.einsum("btnh,bsnh->bnts", tf.cast(q, "float32") if dtype != "float64" else q,
                       tf.cast(k, "float32") if dtype != "float64" else k)
    work = logits.dtype
    logits = logits * tf.cast(scale, work)
    if bias is not None:
        b = tf.cast(convert_to_tensor(bias), work)
        if squeeze_heads and b.ndim == 3:
            b = b[:, None]
        logits = logits + b
    if attn_logits_soft_cap is not None:
        cap = tf.cast(attn_logits_soft_cap, work)
        logits = cap * tf.math.tanh(logits / cap)
    keep = None
    if mask is not None:
        keep = tf.cast(convert_to_tensor(mask), "bool")
        if squeeze_heads and keep.ndim == 3:
            keep = keep[:, None]
    if is_causal:
        t, s = tf.shape(logits)[2], tf.shape(logits)[3]
        causal = tf.range(s)[None, :] <= tf.range(t)[:, None]
        keep = causal if keep is None else tf.math.logical_and(keep, causal)
    if keep is not None:
        big_neg = tf.constant(-0.7 * (3.4e38 if work == tf.float32 else 1.7e308), work)
        logits = tf.where(keep, logits, big_neg)
    probs = tf.nn.softmax(logits, axis=-1)
    out = tf.einsum("bnts,bsnh->btnh", probs, tf.cast(v, work))
    out = tf.cast(out, dtype)
    return out[:, :, 0] if squeeze_heads else out


# ---------------------------------------------------------------------------------------------
# Adaptive pooling, space/depth rearrangement, unfold/fold.


def _adaptive_bins(n, m):
    """PyTorch's bins: output i of m over n inputs covers [floor(i*n/m), ceil((i+1)*n/m))."""
    return [(i * n // m, -(-(i + 1) * n // m)) for i in range(m)]


def _adaptive_pool(inputs, output_size, data_format, kind):
    data_format = _data_format(data_format)
    x = convert_to_tensor(inputs)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"adaptive pooling expects a rank 3, 4 or 5 input, got rank {x.ndim}.")
    if kind == "avg":
        x = to_float(x)
    elif x.dtype == tf.bool:
        return tf.cast(_adaptive_pool(tf.cast(x, "int32"), output_size, data_format, kind),
                       tf.bool)
    n = x.ndim - 2
    sizes = _tuple(output_size, n, "output_size")
    x = _to_last(x, data_format)
    for d in range(n):
        axis = 1 + d
        length, m = x.shape[axis], sizes[d]
        if length is None:
            raise ValueError("adaptive pooling needs static spatial dimensions.")
        bins = _adaptive_bins(length, m)
        if kind == "avg":
            # The bins as an (m, length) averaging matrix, applied along `axis`.
            weights = [[1.0 / (hi - lo) if lo <= j < hi else 0.0 for j in range(length)]
                       for lo, hi in bins]
            w = tf.constant(weights, x.dtype)
            y = tf.tensordot(x, w, [[axis], [1]])  # the pooled axis comes last
            perm = list(range(axis)) + [x.ndim - 1] + list(range(axis, x.ndim - 1))
            x = tf.transpose(y, perm)
        else:
            # Gather every bin padded to the widest one by repeating its last index, then max.
            width = builtins.max(hi - lo for lo, hi in bins)
            index = [[builtins.min(lo + k, hi - 1) for k in range(width)] for lo, hi in bins]
            gathered = tf.gather(x, tf.constant(index, "int32"), axis=axis)
            x = tf.reduce_max(gathered, axis=axis + 1)
    return _from_last(x, data_format)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(inputs, output_size, data_format, "avg")


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive_pool(inputs, output_size, data_format, "max")


def _space_depth_input(x, block_size, data_format, name):
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"{name} expects a rank-4 input, got rank {x.ndim}.")
    block_size = int(block_size)
    if block_size < 1:
        raise ValueError(f"{name}: block_size must be positive, got {block_size}.")
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {data_format!r}.")
    return _to_last(x, data_format), block_size


def _dims(x):
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(x.shape.as_list())]


def depth_to_space(x, block_size, data_format='channels_last'):
    x, b = _space_depth_input(x, block_size, data_format, "depth_to_space")
    n, h, w, c = _dims(x)
    if isinstance(c, int) and c % (b * b):
        raise ValueError(f"depth_to_space: channels ({c}) must be divisible by block_size**2 "
                         f"({b * b}).")
    c_out = c // (b * b)
    y = tf.reshape(x, [n, h, w, b, b, c_out])
    y = tf.transpose(y, [0, 1, 3, 2, 4, 5])
    y = tf.reshape(y, [n, h * b, w * b, c_out])
    return _from_last(y, data_format)


def space_to_depth(x, block_size, data_format='channels_last'):
    x, b = _space_depth_input(x, block_size, data_format, "space_to_depth")
    n, h, w, c = _dims(x)
    for size in (h, w):
        if isinstance(size, int) and size % b:
            raise ValueError(f"space_to_depth: spatial dimensions ({h}, {w}) must be divisible "
                             f"by block_size ({b}).")
    y = tf.reshape(x, [n, h // b, b, w // b, b, c])
    y = tf.transpose(y, [0, 1, 3, 2, 4, 5])
    y = tf.reshape(y, [n, h // b, w // b, b * b * c])
    return _from_last(y, data_format)


def _unfold_geometry(spatial, kernel_size, dilation, padding, stride):
    """Block positions of unfold on a (H, W) input: rows/cols (kh*kw, L) into the padded input."""
    k = _tuple(kernel_size, 2, "kernel_size")
    d = _tuple(dilation, 2, "dilation")
    p = _tuple(padding, 2, "padding")
    s = _tuple(stride, 2, "stride")
    outs = [(size + 2 * pp - dd * (kk - 1) - 1) // ss + 1
            for size, kk, dd, pp, ss in zip(spatial, k, d, p, s)]
    if builtins.min(outs) < 1:
        raise ValueError(f"unfold/fold: no block fits an input of size {tuple(spatial)} with "
                         f"kernel_size={k}, dilation={d}, padding={p}, stride={s}.")
    rows, cols = [], []
    for i in range(k[0]):
        for j in range(k[1]):
            rows.append([i * d[0] + r * s[0] for r in range(outs[0]) for _ in range(outs[1])])
            cols.append([j * d[1] + c * s[1] for _ in range(outs[0]) for c in range(outs[1])])
    return k, p, outs, tf.constant([rows, cols], "int32")


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    if x.ndim != 4:
        raise ValueError(f"unfold expects a (N, C, H, W) input, got rank {x.ndim}.")
    h, w = x.shape[2], x.shape[3]
    if h is None or w is None:
        raise ValueError("unfold needs static spatial dimensions.")
    k, p, outs, index = _unfold_geometry((h, w), kernel_size, dilation, padding, stride)
    n, c = _dims(x)[:2]
    # (H, W, N, C) so that gather_nd picks whole (N, C) slices at each (row, col).
    xt = tf.transpose(x, [2, 3, 0, 1])
    xt = tf.pad(xt, [[p[0], p[0]], [p[1], p[1]], [0, 0], [0, 0]])
    blocks = tf.gather_nd(xt, tf.transpose(index, [1, 2, 0]))  # (kh*kw, L, N, C)
    blocks = tf.transpose(blocks, [2, 3, 0, 1])  # (N, C, kh*kw, L)
    return tf.reshape(blocks, [n, c * k[0] * k[1], outs[0] * outs[1]])


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = convert_to_tensor(x)
    if x.ndim != 3:
        raise ValueError(f"fold expects a (N, C * kh * kw, L) input, got rank {x.ndim}.")
    out_h, out_w = _tuple(output_size, 2, "output_size")
    k, p, outs, index = _unfold_geometry((out_h, out_w), kernel_size, dilation, padding, stride)
    kk, blocks = k[0] * k[1], outs[0] * outs[1]
    n, ckk, length = _dims(x)
    if isinstance(ckk, int) and ckk % kk:
        raise ValueError(f"fold: {ckk} input channels are not a multiple of kh*kw={kk}.")
    if isinstance(length, int) and length != blocks:
        raise ValueError(f"fold: expected {blocks} blocks for output_size {(out_h, out_w)}, "
                         f"got {length}.")
    c = ckk // kk
    cols = tf.transpose(tf.reshape(x, [n, c, kk, blocks]), [2, 3, 0, 1])  # (kh*kw, L, N, C)
    dtype = x.dtype
    if dtype == tf.bool:
        cols = tf.cast(cols, "int32")
    shape = tf.stack([out_h + 2 * p[0], out_w + 2 * p[1], n, c])
    out = tf.scatter_nd(tf.transpose(index, [1, 2, 0]), cols, shape)  # duplicates add up
    out = tf.transpose(out, [2, 3, 0, 1])[:, :, p[0]:p[0] + out_h, p[1]:p[1] + out_w]
    return tf.cast(out, dtype) if out.dtype != dtype else out


# ---------------------------------------------------------------------------------------------
# Complex numbers, CTC decoding.


def polar(abs_, angle):
    abs_, angle = convert_to_tensor(abs_), convert_to_tensor(angle)
    work = "float64" if tf.float64 in (abs_.dtype, angle.dtype) else "float32"
    abs_, angle = tf.cast(abs_, work), tf.cast(angle, work)
    return tf.complex(abs_ * tf.math.cos(angle), abs_ * tf.math.sin(angle))


def _ctc_greedy_decode(inputs, lengths, merge_repeated, blank):
    time = tf.shape(inputs)[1]
    labels = tf.argmax(inputs, axis=-1, output_type=tf.int32)
    valid = tf.range(time)[None, :] < lengths[:, None]
    maxima = tf.where(valid, tf.reduce_max(inputs, axis=-1), tf.zeros([], inputs.dtype))
    scores = 0 - tf.reduce_sum(maxima, axis=1, keepdims=True)  # 0 - x: no -0.0 when empty
    labels = tf.where(valid, labels, blank)
    if merge_repeated:
        repeat = tf.concat([tf.zeros_like(labels[:, :1], tf.bool),
                            tf.equal(labels[:, 1:], labels[:, :-1])], axis=1)
        labels = tf.where(repeat, blank, labels)
    keep = tf.not_equal(labels, blank)
    # Kept labels first, in order (a stable sort on "is dropped"), then -1 padding.
    order = tf.argsort(tf.cast(tf.logical_not(keep), tf.int32), axis=1, stable=True)
    labels = tf.gather(labels, order, batch_dims=1)
    kept = tf.reduce_sum(tf.cast(keep, tf.int32), axis=1, keepdims=True)
    paths = tf.where(tf.range(time)[None, :] < kept, labels, -1)
    return paths[None], scores


def ctc_decode(inputs, sequence_lengths, strategy='greedy', beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    inputs = convert_to_tensor(inputs)
    # Computed in float32, or float64 for float64 inputs.
    dtype = tf.float64 if inputs.dtype == tf.float64 else tf.float32
    inputs = tf.cast(inputs, dtype)
    lengths = tf.cast(convert_to_tensor(sequence_lengths), tf.int32)
    if inputs.ndim != 3:
        raise ValueError(f"ctc_decode expects (batch, time, classes) inputs, got rank {inputs.ndim}.")
    batch, time, classes = inputs.shape
    if strategy == "greedy":
        if mask_index is None:
            blank = tf.shape(inputs)[-1] - 1
        else:
            blank = tf.constant(int(mask_index), tf.int32)
        return _ctc_greedy_decode(inputs, lengths, merge_repeated, blank)
    if strategy == "beam_search":
        from keraslite.backend import ctc

        def decode(x, seq):
            return ctc.beam_search_decode(x, seq, beam_width, top_paths, mask_index)

        paths, scores = tf.numpy_function(decode, [inputs, lengths], [tf.int32, inputs.dtype],
                                          stateful=False)
        paths.set_shape([top_paths, batch, time])
        scores.set_shape([batch, top_paths])
        return paths, scores
    raise ValueError(f"Unknown ctc_decode strategy {strategy!r}: expected 'greedy' or "
                     "'beam_search'.")
