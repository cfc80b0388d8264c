"""Neural-network ops of the torch backend (Keras 3 semantics, channels_last by default)."""

import builtins
import math as pymath

import torch
import torch.nn.functional as F

from keraslite import config
from keraslite.backend import ctc, dtypes
from keraslite_backends.torch import numpy
from keraslite_backends.torch.core import (
    _dtype_of,
    convert_to_numpy,
    convert_to_tensor,
    promote,
    to_torch_dtype,
)
from keraslite_backends.torch.numpy import _FLOATS, _as_float, _axes

_HALF = (torch.float16, torch.bfloat16)


def _t(x):
    return convert_to_tensor(x)


def dense(inputs, kernel, bias=None):
    x, k = _t(inputs), _t(kernel)
    b = None if bias is None else _t(bias)
    if x.dtype == k.dtype and x.dtype in _FLOATS and (b is None or b.dtype == x.dtype):
        if x.ndim == 2 and b is not None:
            return torch.addmm(b, x, k)  # the product and the bias in one kernel
        return F.linear(x, k.t(), b)
    out = numpy.matmul(x, k)
    return out if b is None else numpy.add(out, b)


def _in_float32(fn, x):
    """fn(x) computed in float32 for half-precision x, cast back (CPU kernels and accuracy)."""
    if x.dtype in _HALF:
        return fn(x.float()).to(x.dtype)
    return fn(x)


# ---------------------------------------------------------------------------------------------
# activations


def relu(x):
    return torch.relu(_as_float(x))


def relu6(x):
    return torch.clamp(_as_float(x), 0.0, 6.0)


def sigmoid(x):
    return torch.sigmoid(_as_float(x))


def sparse_sigmoid(x):
    x = _as_float(x)
    return torch.clamp(0.5 * (x + 1.0), 0.0, 1.0)


def softplus(x):
    return F.softplus(_as_float(x))


def softsign(x):
    x = _as_float(x)
    return x / (1.0 + torch.abs(x))


def silu(x):
    x = _as_float(x)
    return x * torch.sigmoid(x)


def log_sigmoid(x):
    return F.logsigmoid(_as_float(x))


def hard_sigmoid(x):
    x = _as_float(x)
    return torch.clamp(x / 6.0 + 0.5, 0.0, 1.0)


def hard_silu(x):
    x = _as_float(x)
    return x * hard_sigmoid(x)


def selu(x):
    return F.selu(_as_float(x))


def tanh_shrink(x):
    x = _as_float(x)
    return x - torch.tanh(x)


def hard_tanh(x):
    return torch.clamp(_as_float(x), -1.0, 1.0)


def squareplus(x, b=4):
    x = _as_float(x)
    return (x + torch.sqrt(x * x + b)) / 2.0


def sparse_plus(x):
    x = _as_float(x)
    mid = (x + 1.0) ** 2 / 4.0
    return torch.where(x <= -1.0, torch.zeros_like(x), torch.where(x >= 1.0, x, mid))


def leaky_relu(x, negative_slope=0.2):
    x = _as_float(x)
    return torch.where(x >= 0, x, x * negative_slope)


def elu(x, alpha=1.0):
    x = _as_float(x)
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0.0)))


def celu(x, alpha=1.0):
    x = _as_float(x)
    return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0.0) / alpha))


def gelu(x, approximate=True):
    x = _as_float(x)
    return _in_float32(lambda v: F.gelu(v, approximate="tanh" if approximate else "none"), x)


def glu(x, axis=-1):
    x = _as_float(x)
    if x.shape[axis] % 2:
        raise ValueError(f"glu needs an even size along axis {axis}; got {x.shape[axis]}.")
    a, b = torch.chunk(x, 2, dim=axis)
    return a * torch.sigmoid(b)


def soft_shrink(x, threshold=0.5):
    x = _as_float(x)
    zero = torch.zeros_like(x)
    return torch.where(x > threshold, x - threshold,
                       torch.where(x < -threshold, x + threshold, zero))


def hard_shrink(x, threshold=0.5):
    x = _as_float(x)
    return torch.where(torch.abs(x) > threshold, x, torch.zeros_like(x))


def threshold(x, threshold, default_value):
    x = _as_float(x)
    fill = torch.as_tensor(default_value, dtype=x.dtype, device=x.device)
    return torch.where(x > threshold, x, fill)


def _over_axes(fn, x, axis):
    """fn(x, dim) along one axis, or over several axes by flattening them to one."""
    if axis is None or isinstance(axis, (list, tuple)):
        axes = _axes(axis, x.ndim) or tuple(range(x.ndim))
        if len(axes) == 1:
            return fn(x, axes[0])
        keep = [i for i in range(x.ndim) if i not in axes]
        moved = x.permute(*keep, *axes)
        flat = moved.reshape(tuple(x.shape[i] for i in keep) + (-1,))
        out = fn(flat, -1).reshape(moved.shape)
        inverse = [0] * x.ndim
        for pos, src in enumerate((*keep, *axes)):
            inverse[src] = pos
        return out.permute(*inverse)
    return fn(x, int(axis))


def softmax(x, axis=-1):
    x = _as_float(x)
    return _in_float32(lambda v: _over_axes(lambda u, d: torch.softmax(u, dim=d), v, axis), x)


def log_softmax(x, axis=-1):
    x = _as_float(x)
    return _in_float32(lambda v: _over_axes(lambda u, d: torch.log_softmax(u, dim=d), v, axis),
                       x)


def _sparsemax_last(z):
    srt = torch.sort(z, dim=-1, descending=True).values
    k = torch.arange(1, z.shape[-1] + 1, dtype=z.dtype, device=z.device)
    cum = torch.cumsum(srt, dim=-1)
    support = (1 + k * srt) > cum
    k_z = support.sum(dim=-1, keepdim=True).clamp(min=1)
    tau = (torch.gather(cum, -1, k_z - 1) - 1) / k_z.to(z.dtype)
    return torch.clamp(z - tau, min=0.0)


def sparsemax(x, axis=-1):
    x = _as_float(x)
    moved = torch.movedim(x, int(axis), -1)
    return torch.movedim(_in_float32(_sparsemax_last, moved), -1, int(axis))


# ---------------------------------------------------------------------------------------------
# convolution and pooling


def _data_format(data_format):
    fmt = data_format or config.image_data_format()
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError(f"Unknown data_format {fmt!r}.")
    return fmt


def _tuple(v, n, name):
    if isinstance(v, int):
        return (v,) * n
    v = tuple(int(e) for e in v)
    if len(v) == 1:
        return v * n
    if len(v) != n:
        raise ValueError(f"`{name}` must have {n} values; got {v}.")
    return v


def _to_channels_first(x, fmt):
    return torch.movedim(x, -1, 1) if fmt == "channels_last" else x


def _from_channels_first(x, fmt):
    return torch.movedim(x, 1, -1) if fmt == "channels_last" else x


def _same_pads(sizes, kernel, strides, dilation):
    """(before, after) per spatial dim for TF-style 'same' padding."""
    pads = []
    for n, k, s, d in zip(sizes, kernel, strides, dilation):
        eff = (k - 1) * d + 1
        out = -(-n // s)
        total = builtins.max((out - 1) * s + eff - n, 0)
        pads.append((total // 2, total - total // 2))
    return pads


def _pad_spatial(x, pads, value=0.0):
    """Pad the trailing spatial dims of a channels_first tensor."""
    flat = []
    for before, after in reversed(pads):
        flat += [before, after]
    if not builtins.any(flat):
        return x
    return F.pad(x, flat, value=value)


_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_T = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _conv_dtypes(inputs, kernel):
    """Common dtype of inputs and kernel; ints compute in floatx (convolution kernels are float)."""
    name = dtypes.result_type(_dtype_of(inputs), _dtype_of(kernel))
    x, w = promote(inputs, kernel, dtype=name)
    if not x.is_floating_point():
        x, w = x.to(to_torch_dtype(config.floatx())), w.to(to_torch_dtype(config.floatx()))
    return x, w, to_torch_dtype(name)


def _conv_nd(x, w, strides, padding, dilation, groups, n):
    """x channels_first, w torch layout (out, in/groups, *spatial)."""
    padding = padding.lower()
    ks = tuple(w.shape[2:])
    if padding == "same":
        x = _pad_spatial(x, _same_pads(x.shape[2:], ks, strides, dilation))
    elif padding == "causal":
        if n != 1:
            raise ValueError("padding='causal' is only supported for 1D convolutions.")
        x = _pad_spatial(x, [((ks[0] - 1) * dilation[0], 0)])
    elif padding != "valid":
        raise ValueError(f"Unknown padding {padding!r}; use 'valid', 'same' or 'causal'.")
    return _CONV[n](x, w, stride=strides, dilation=dilation, groups=groups)


def conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    fmt = _data_format(data_format)
    x, w, out_dtype = _conv_dtypes(inputs, kernel)
    n = x.ndim - 2
    strides, dilation = _tuple(strides, n, "strides"), _tuple(dilation_rate, n, "dilation_rate")
    x = _to_channels_first(x, fmt)
    in_ch = x.shape[1]
    groups = in_ch // w.shape[-2]
    if groups * w.shape[-2] != in_ch:
        raise ValueError(f"Input channels {in_ch} are not a multiple of the kernel's "
                         f"{w.shape[-2]} input channels.")
    w = w.permute(n + 1, n, *range(n))
    out = _conv_nd(x, w, strides, padding, dilation, groups, n)
    return _from_channels_first(out, fmt).to(out_dtype)


def depthwise_conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    fmt = _data_format(data_format)
    x, w, out_dtype = _conv_dtypes(inputs, kernel)
    n = x.ndim - 2
    strides, dilation = _tuple(strides, n, "strides"), _tuple(dilation_rate, n, "dilation_rate")
    x = _to_channels_first(x, fmt)
    in_ch, mult = w.shape[-2], w.shape[-1]
    # (*spatial, in, mult) -> (in * mult, 1, *spatial): output channel c * mult + m
    w = w.reshape(*w.shape[:n], 1, in_ch * mult).permute(n + 1, n, *range(n))
    out = _conv_nd(x, w, strides, padding, dilation, in_ch, n)
    return _from_channels_first(out, fmt).to(out_dtype)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding='valid',
                   data_format=None, dilation_rate=1):
    out = depthwise_conv(inputs, depthwise_kernel, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate)
    return conv(out, pointwise_kernel, strides=1, padding="valid", data_format=data_format,
                dilation_rate=1)


def _transpose_pads(k, s, d, padding, output_padding):
    """(left, right) padding of the stride-dilated input (Keras/JAX conv_transpose rule)."""
    eff = (k - 1) * d + 1
    if padding == "valid":
        extra = builtins.max(eff, s) - eff if output_padding is None else output_padding
        return eff - 1, eff - 1 + extra
    if padding == "same":
        if output_padding is None:
            total = s + eff - 2
        else:
            total = eff + eff % 2 - 2 + output_padding
        left = builtins.min(total // 2 + total % 2, eff - 1)
        return left, total - left
    raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")


def conv_transpose(inputs, kernel, strides=1, padding='valid', output_padding=None,
                   data_format=None, dilation_rate=1):
    fmt = _data_format(data_format)
    x, w, out_dtype = _conv_dtypes(inputs, kernel)
    n = x.ndim - 2
    strides, dilation = _tuple(strides, n, "strides"), _tuple(dilation_rate, n, "dilation_rate")
    out_pad = [None] * n if output_padding is None else _tuple(output_padding, n,
                                                               "output_padding")
    x = _to_channels_first(x, fmt)
    ks = tuple(w.shape[:n])
    # (*spatial, out, in) -> torch (in, out, *spatial); contiguous, or the backward of a
    # dilated transpose fails ("grad_weight needs to be contiguous")
    w = w.permute(n + 1, n, *range(n)).contiguous()
    # The unpadded transpose is the "full" result; crop or extend it to Keras's padding.
    full = _CONV_T[n](x, w, stride=strides, dilation=dilation)
    for i in range(n):
        eff = (ks[i] - 1) * dilation[i] + 1
        left, right = _transpose_pads(ks[i], strides[i], dilation[i], padding.lower(), out_pad[i])
        start = (eff - 1) - left
        length = (x.shape[2 + i] - 1) * strides[i] + 1 + left + right - eff + 1
        dim = 2 + i
        avail = full.shape[dim] - start
        if length > avail:
            pad_shape = list(full.shape)
            pad_shape[dim] = length - avail
            full = torch.cat([full, full.new_zeros(pad_shape)], dim=dim)
        full = full.narrow(dim, start, length)
    return _from_channels_first(full, fmt).to(out_dtype)


_MAX_POOL = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG_POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def _pool_args(inputs, pool_size, strides, data_format):
    fmt = _data_format(data_format)
    x = _as_float(inputs)
    n = x.ndim - 2
    pool = _tuple(pool_size, n, "pool_size")
    strides = pool if strides is None else _tuple(strides, n, "strides")
    return fmt, _to_channels_first(x, fmt), n, pool, strides


def max_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    fmt, x, n, pool, strides = _pool_args(inputs, pool_size, strides, data_format)
    if padding.lower() == "same":
        x = _pad_spatial(x, _same_pads(x.shape[2:], pool, strides, (1,) * n),
                         value=float("-inf"))
    elif padding.lower() != "valid":
        raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")
    out = _in_float32(lambda v: _MAX_POOL[n](v, pool, strides), x)
    return _from_channels_first(out, fmt)


def average_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    fmt, x, n, pool, strides = _pool_args(inputs, pool_size, strides, data_format)
    if padding.lower() == "same":
        pads = _same_pads(x.shape[2:], pool, strides, (1,) * n)

        def run(v):
            # average of the real entries only: sum pool over count pool
            ones = torch.ones((1, 1, *v.shape[2:]), dtype=v.dtype, device=v.device)
            total = _AVG_POOL[n](_pad_spatial(v, pads), pool, strides)
            count = _AVG_POOL[n](_pad_spatial(ones, pads), pool, strides)
            return total / count

        out = _in_float32(run, x)
    elif padding.lower() == "valid":
        out = _in_float32(lambda v: _AVG_POOL[n](v, pool, strides), x)
    else:
        raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")
    return _from_channels_first(out, fmt)


# ---------------------------------------------------------------------------------------------
# encodings


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    if sparse:
        raise ValueError("The torch backend does not support sparse one_hot.")
    x = _t(x).to(torch.int64)
    classes = torch.arange(int(num_classes), device=x.device)
    # out-of-range (e.g. negative) ids give an all-zero row, as Keras does
    out = (x.unsqueeze(-1) == classes).to(to_torch_dtype(dtype or config.floatx()))
    if axis != -1:
        out = torch.movedim(out, -1, axis)
    return out


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    if num_classes is None:
        num_classes = kwargs.pop("num_tokens", None)
    if num_classes is None:
        raise ValueError("multi_hot needs `num_classes`.")
    x = _t(inputs)
    reduce_axis = 1 if x.ndim > 1 else 0
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype, sparse=sparse)
    return torch.amax(hot, dim=reduce_axis)


# ---------------------------------------------------------------------------------------------
# losses


def _float_pair(target, output):
    name = dtypes.result_type(_dtype_of(target), _dtype_of(output), float)
    return promote(target, output, dtype=name)


def binary_crossentropy(target, output, from_logits=False):
    target, output = _float_pair(target, output)
    if from_logits:
        # stable form of -(t log s(x) + (1 - t) log(1 - s(x)))
        return torch.relu(output) - output * target + F.softplus(-torch.abs(output))
    eps = config.epsilon()
    output = torch.clamp(output, eps, 1.0 - eps)
    return -(target * torch.log(output) + (1.0 - target) * torch.log(1.0 - output))


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    target, output = _float_pair(target, output)
    if target.shape != output.shape:
        raise ValueError(f"target and output must have the same shape; got {tuple(target.shape)}"
                         f" and {tuple(output.shape)}.")
    if from_logits:
        log_prob = _in_float32(lambda v: torch.log_softmax(v, dim=axis), output)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        eps = config.epsilon()
        log_prob = torch.log(torch.clamp(output, eps, 1.0 - eps))
    return -torch.sum(target * log_prob, dim=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _as_float(output)
    target = _t(target)
    if target.ndim == output.ndim and target.shape[-1] == 1:
        target = target.squeeze(-1)
    if (from_logits and axis in (-1, output.ndim - 1) and output.dtype in (torch.float32,
            torch.float64) and target.shape == output.shape[:-1]):
        # torch's fused kernel (one pass each way instead of one_hot, log_softmax, product,
        # sum). Keras gives 0 for a label outside [0, classes): such labels are marked ignored
        # on the labels (0 loss, 0 gradient), so the differentiated graph stays torch's own.
        classes = output.shape[-1]
        labels = target.to(torch.int64)
        labels = labels.masked_fill(labels.clamp(0, classes - 1) != labels, -100)
        if output.ndim == 2:
            return F.cross_entropy(output, labels, reduction="none", ignore_index=-100)
        return F.cross_entropy(output.reshape(-1, classes), labels.reshape(-1), reduction="none",
                               ignore_index=-100).reshape(labels.shape)
    hot = one_hot(target, output.shape[axis], axis=axis)
    return categorical_crossentropy(hot, output, from_logits=from_logits, axis=axis)


# ---------------------------------------------------------------------------------------------
# normalization


def moments(x, axes, keepdims=False, synchronized=False):
    x = _as_float(x)
    ori = x.dtype
    if ori in _HALF:
        x = x.float()
    dims = _axes(axes, x.ndim)
    mean = torch.mean(x, dim=dims, keepdim=True)
    var = torch.mean(torch.square(x - mean), dim=dims, keepdim=True)
    if not keepdims:
        mean, var = mean.squeeze(dims), var.squeeze(dims)
    return mean.to(ori), var.to(ori)


def _along(param, x, axis):
    """A 1-D parameter reshaped to broadcast along `axis` of x."""
    p = convert_to_tensor(param).to(device=x.device)
    if p.ndim == 1 and x.ndim > 1:
        shape = [1] * x.ndim
        shape[int(axis) % x.ndim] = p.shape[0]
        p = p.reshape(shape)
    return p


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=0.001):
    # the result dtype promotes over x and the statistics/parameters, as Keras does
    parts = [p for p in (x, mean, variance, offset, scale) if p is not None]
    name = dtypes.result_type(*[_dtype_of(p) for p in parts], float)
    x = convert_to_tensor(x, dtype=name)

    def param(p):
        return _along(p, x, axis).to(x.dtype)

    inv = torch.rsqrt(param(variance) + epsilon)
    if scale is not None:
        inv = inv * param(scale)
    out = (x - param(mean)) * inv
    if offset is not None:
        out = out + param(offset)
    return out


def _norm_param(p, x, axes):
    """gamma/beta shaped like x's normalized axes, broadcast against x."""
    p = convert_to_tensor(p).to(device=x.device)
    if p.ndim == len(axes) and p.ndim < x.ndim:
        shape = [1] * x.ndim
        for a, d in zip(sorted(axes), p.shape):
            shape[a] = d
        p = p.reshape(shape)
    return p


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    if kwargs.pop("rms_scaling", False):
        return rms_normalization(x, scale=gamma, axis=axis, epsilon=epsilon)
    x = _as_float(x)
    eps = config.epsilon() if epsilon is None else epsilon
    ori = x.dtype
    xc = x.float() if ori in _HALF else x
    axes = _axes(axis, x.ndim)
    mean = torch.mean(xc, dim=axes, keepdim=True)
    var = torch.mean(torch.square(xc - mean), dim=axes, keepdim=True)
    out = (xc - mean) * torch.rsqrt(var + eps)
    if gamma is not None:
        out = out * _norm_param(gamma, x, axes).to(out.dtype)
    if beta is not None:
        out = out + _norm_param(beta, x, axes).to(out.dtype)
    return out.to(ori)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = _as_float(x)
    eps = config.epsilon() if epsilon is None else epsilon
    ori = x.dtype
    xc = x.float() if ori in _HALF else x
    axes = _axes(axis, x.ndim)
    out = xc * torch.rsqrt(torch.mean(torch.square(xc), dim=axes, keepdim=True) + eps)
    if scale is not None:
        out = out * _norm_param(scale, x, axes).to(out.dtype)
    return out.to(ori)


def normalize(x, axis=-1, order=2, epsilon=None):
    from keraslite_backends.torch.linalg import norm

    x = _as_float(x)
    eps = config.epsilon() if epsilon is None else epsilon
    if order == 2:  # the L2 norm over every given axis (a matrix 2-norm would differ)
        square_sum = torch.sum(torch.square(x), dim=_axes(axis, x.ndim), keepdim=True)
        return x / torch.clamp(torch.sqrt(square_sum), min=eps)  # 1 / eps overflows float16
    n = norm(x, ord=order, axis=axis, keepdims=True)
    return x / torch.clamp(n, min=eps)


# ---------------------------------------------------------------------------------------------
# sequence losses, metrics, attention


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = _as_float(output)
    compute = torch.float64 if output.dtype == torch.float64 else torch.float32
    log_probs = torch.log_softmax(output.to(compute), dim=-1).transpose(0, 1)
    target = _t(target).to(device=output.device, dtype=torch.int64)
    t_len = _t(target_length).to(device=output.device, dtype=torch.int64)
    o_len = _t(output_length).to(device=output.device, dtype=torch.int64)
    loss = F.ctc_loss(log_probs, target, o_len, t_len, blank=int(mask_index), reduction="none")
    return loss  # float32 (float64 for float64 logits), also for half inputs, as Keras


def psnr(x1, x2, max_val):
    a, b = _float_pair(x1, x2)
    mse = torch.mean(torch.square(a - b))
    max_val = torch.as_tensor(max_val, dtype=a.dtype, device=a.device)
    return 20.0 * torch.log10(max_val) - 10.0 * torch.log10(mse)


def _attention_mask_shape(t, num_heads):
    """Bias/mask to rank 4 (B, N, T, S) following Keras's expansion rules."""
    while t.ndim < 4:
        if t.ndim == 3 and t.shape[1] == num_heads:
            t = t.unsqueeze(2)
        else:
            t = t.unsqueeze(1)
    return t


def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    q, k, v = promote(query, key, value)
    if not q.is_floating_point():
        q, k, v = (t.to(to_torch_dtype(config.floatx())) for t in (q, k, v))
    out_dtype = q.dtype
    B, T, N, H = q.shape
    S, K = k.shape[1], k.shape[2]
    if N % K:
        raise ValueError(f"Query heads ({N}) must be a multiple of key/value heads ({K}).")
    if N != K:  # grouped-query attention: share each kv head among N // K query heads
        k = k.repeat_interleave(N // K, dim=2)
        v = v.repeat_interleave(N // K, dim=2)
    compute = torch.float64 if out_dtype == torch.float64 else torch.float32
    scale = 1.0 / pymath.sqrt(H) if scale is None else float(scale)
    logits = torch.einsum("btnh,bsnh->bnts", q.to(compute), k.to(compute)) * scale
    if attn_logits_soft_cap is not None:
        cap = float(attn_logits_soft_cap)
        logits = cap * torch.tanh(logits / cap)
    if bias is not None:
        logits = logits + _attention_mask_shape(_t(bias).to(logits), N)
    keep = None
    if mask is not None:
        keep = _attention_mask_shape(_t(mask).to(device=logits.device, dtype=torch.bool), N)
    if is_causal:
        causal = torch.ones((T, S), dtype=torch.bool, device=logits.device).tril()
        keep = causal if keep is None else torch.logical_and(keep, causal)
    if keep is not None:
        big_negative = -0.7 * torch.finfo(logits.dtype).max
        logits = torch.where(keep, logits, torch.full_like(logits, big_negative))
    probs = torch.softmax(logits, dim=-1)
    out = torch.einsum("bnts,bsnh->btnh", probs, v.to(compute))
    return out.to(out_dtype)


# ---------------------------------------------------------------------------------------------
# adaptive pooling, space/depth rearrangement, unfold/fold, polar, ctc_decode

_ADAPTIVE_AVG = {1: F.adaptive_avg_pool1d, 2: F.adaptive_avg_pool2d, 3: F.adaptive_avg_pool3d}
_ADAPTIVE_MAX = {1: F.adaptive_max_pool1d, 2: F.adaptive_max_pool2d, 3: F.adaptive_max_pool3d}


def _adaptive_args(x, output_size, data_format):
    fmt = _data_format(data_format)
    if x.ndim not in (3, 4, 5):
        raise ValueError(f"Adaptive pooling needs a rank 3, 4 or 5 input; got rank {x.ndim}.")
    n = x.ndim - 2
    return fmt, _to_channels_first(x, fmt), n, _tuple(output_size, n, "output_size")


def adaptive_average_pool(inputs, output_size, data_format=None):
    fmt, x, n, size = _adaptive_args(_as_float(inputs), output_size, data_format)
    out = _in_float32(lambda v: _ADAPTIVE_AVG[n](v, size), x)
    return _from_channels_first(out, fmt)


def adaptive_max_pool(inputs, output_size, data_format=None):
    fmt, x, n, size = _adaptive_args(_t(inputs), output_size, data_format)
    if x.is_floating_point():
        out = _in_float32(lambda v: _ADAPTIVE_MAX[n](v, size), x)
    else:
        # torch's kernels are float only; the bins are boxes, so take exact maxima one dim at
        # a time over windows padded to the widest bin (repeating an index changes no max)
        out = x.to(torch.uint8) if x.dtype == torch.bool else x
        for dim, m in enumerate(size, start=2):
            length = out.shape[dim]
            starts = [i * length // m for i in range(m)]
            ends = [-(-(i + 1) * length // m) for i in range(m)]
            width = builtins.max(e - b for b, e in zip(starts, ends))
            idx = torch.tensor([[builtins.min(b + j, e - 1) for j in range(width)]
                                for b, e in zip(starts, ends)], device=out.device)
            picked = out.index_select(dim, idx.reshape(-1))
            picked = picked.reshape(*out.shape[:dim], m, width, *out.shape[dim + 1:])
            out = torch.amax(picked, dim=dim + 1)
        out = out.to(x.dtype)
    return _from_channels_first(out, fmt)


def _space_depth_args(x, block_size, data_format):
    x = _t(x)
    if x.ndim != 4:
        raise ValueError(f"Expected a rank 4 input; got shape {tuple(x.shape)}.")
    block = int(block_size)
    if block < 1:
        raise ValueError(f"block_size must be a positive int; got {block_size}.")
    fmt = _data_format(data_format)
    return (x if fmt == "channels_last" else x.permute(0, 2, 3, 1)), block, fmt


def _back_to(x, fmt):
    return x if fmt == "channels_last" else x.permute(0, 3, 1, 2)


def depth_to_space(x, block_size, data_format='channels_last'):
    x, b, fmt = _space_depth_args(x, block_size, data_format)
    n, h, w, c = x.shape
    if c % (b * b):
        raise ValueError(f"depth_to_space: channels ({c}) must be divisible by "
                         f"block_size**2 ({b * b}).")
    out = x.reshape(n, h, w, b, b, c // (b * b)).permute(0, 1, 3, 2, 4, 5)
    return _back_to(out.reshape(n, h * b, w * b, c // (b * b)), fmt)


def space_to_depth(x, block_size, data_format='channels_last'):
    x, b, fmt = _space_depth_args(x, block_size, data_format)
    n, h, w, c = x.shape
    if h % b or w % b:
        raise ValueError(f"space_to_depth: height ({h}) and width ({w}) must be divisible by "
                         f"block_size ({b}).")
    out = x.reshape(n, h // b, b, w // b, b, c).permute(0, 1, 3, 2, 4, 5)
    return _back_to(out.reshape(n, h // b, w // b, b * b * c), fmt)


def _unfold_args(x, kernel_size, dilation, padding, stride):
    x = _t(x)
    if x.ndim != 4:
        raise ValueError(f"Expected a rank 4 (N, C, H, W) input; got shape {tuple(x.shape)}.")
    return (x, _tuple(kernel_size, 2, "kernel_size"), _tuple(dilation, 2, "dilation"),
            _tuple(padding, 2, "padding"), _tuple(stride, 2, "stride"))


def _blocks(sizes, k, d, p, s):
    outs = [(n + 2 * pp - dd * (kk - 1) - 1) // ss + 1 for n, kk, dd, pp, ss in
            zip(sizes, k, d, p, s)]
    if builtins.min(outs) < 1:
        raise ValueError(f"The kernel {k} (dilation {d}, padding {p}) does not fit the spatial "
                         f"size {tuple(sizes)}.")
    return outs


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    x, k, d, p, s = _unfold_args(x, kernel_size, dilation, padding, stride)
    n, c = x.shape[:2]
    oh, ow = _blocks(x.shape[2:], k, d, p, s)
    if x.is_floating_point():
        return F.unfold(x, k, dilation=d, padding=p, stride=s)
    # strided windows: torch's im2col has float kernels only
    xp = F.pad(x, (p[1], p[1], p[0], p[0])) if builtins.any(p) else x
    win = xp.unfold(2, d[0] * (k[0] - 1) + 1, s[0]).unfold(3, d[1] * (k[1] - 1) + 1, s[1])
    win = win[..., ::d[0], ::d[1]]  # (N, C, oh, ow, kh, kw)
    return win.permute(0, 1, 4, 5, 2, 3).reshape(n, c * k[0] * k[1], oh * ow)


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    x = _t(x)
    if x.ndim != 3:
        raise ValueError(f"Expected a rank 3 (N, C * kh * kw, L) input; got {tuple(x.shape)}.")
    hw = _tuple(output_size, 2, "output_size")
    k, d, p, s = (_tuple(v, 2, name) for v, name in ((kernel_size, "kernel_size"),
                                                       (dilation, "dilation"),
                                                       (padding, "padding"), (stride, "stride")))
    oh, ow = _blocks(hw, k, d, p, s)
    n, ckk, length = x.shape
    if ckk % (k[0] * k[1]) or length != oh * ow:
        raise ValueError(f"fold: input shape {tuple(x.shape)} does not match kernel_size {k} "
                         f"and {oh * ow} blocks.")
    if x.is_floating_point():
        return F.fold(x, hw, k, dilation=d, padding=p, stride=s)
    # integer inputs: add every block entry at its (padded) position, then crop the padding
    c = ckk // (k[0] * k[1])
    hp, wp = hw[0] + 2 * p[0], hw[1] + 2 * p[1]
    dev = x.device
    rows = (torch.arange(k[0], device=dev) * d[0])[:, None] + \
        (torch.arange(oh, device=dev) * s[0])[None, :]  # (kh, oh)
    cols = (torch.arange(k[1], device=dev) * d[1])[:, None] + \
        (torch.arange(ow, device=dev) * s[1])[None, :]  # (kw, ow)
    pos = rows[:, None, :, None] * wp + cols[None, :, None, :]  # (kh, kw, oh, ow)
    out = torch.zeros((n, c, hp * wp), dtype=x.dtype, device=dev)
    out = out.index_add(2, pos.reshape(-1), x.reshape(n, c, -1))
    out = out.reshape(n, c, hp, wp)
    return out[:, :, p[0]:p[0] + hw[0], p[1]:p[1] + hw[1]]


def polar(abs_, angle):
    r, theta = _t(abs_), _t(angle)
    wide = torch.float64 in (r.dtype, theta.dtype)
    real = torch.float64 if wide else torch.float32
    return torch.polar(r.to(real), theta.to(device=r.device, dtype=real))


def ctc_decode(inputs, sequence_lengths, strategy='greedy', beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    x = _t(inputs)
    # float64 stays float64, anything else computes in float32
    compute = torch.float64 if x.dtype == torch.float64 else torch.float32
    x = x.to(compute)
    lengths = _t(sequence_lengths).to(device=x.device, dtype=torch.int64).reshape(-1)
    batch, time, classes = x.shape
    blank = classes - 1 if mask_index is None else int(mask_index)
    if strategy == "beam_search":
        paths, scores = ctc.beam_search_decode(convert_to_numpy(x), convert_to_numpy(lengths),
                                               int(beam_width), int(top_paths), mask_index)
        return (torch.from_numpy(paths).to(x.device),
                torch.from_numpy(scores).to(device=x.device, dtype=compute))
    if strategy != "greedy":
        raise ValueError(f"Unknown ctc_decode strategy {strategy!r}; use 'greedy' or "
                         "'beam_search'.")
    best, labels = torch.max(x, dim=-1)  # (batch, time)
    valid = torch.arange(time, device=x.device)[None, :] < lengths[:, None]
    labels = torch.where(valid, labels, torch.full_like(labels, blank))
    keep = labels != blank
    if merge_repeated:
        prev = torch.cat([torch.full_like(labels[:, :1], -1), labels[:, :-1]], dim=1)
        keep = keep & (labels != prev)
    # kept labels first, in order: a stable sort on "dropped"
    order = torch.sort((~keep).to(torch.int8), dim=1, stable=True).indices
    labels = torch.where(keep, labels, torch.full_like(labels, -1)).gather(1, order)
    scores = -torch.sum(torch.where(valid, best, torch.zeros_like(best)), dim=1, keepdim=True)
    return labels.to(torch.int32).unsqueeze(0), scores
