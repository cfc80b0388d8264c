"""Argument checks and static output shapes shared by the convolution and pooling layers."""

from keraslite import config


def normalize_tuple(value, n, name, allow_zero=False):
    """An int or a length-n sequence of ints -> a tuple of n ints (> 0, or >= 0 if allowed)."""
    if isinstance(value, int) and not isinstance(value, bool):
        out = (value,) * n
    else:
        try:
            out = tuple(value)
        except TypeError:
            out = None
        if out is None or len(out) != n or not all(isinstance(v, int) for v in out):
            raise ValueError(f"`{name}` must be an int or a tuple of {n} ints. "
                             f"Received {name}={value!r}")
    low = 0 if allow_zero else 1
    if any(v < low for v in out):
        raise ValueError(f"`{name}` values must be {'>= 0' if allow_zero else '> 0'}. "
                         f"Received {name}={value!r}")
    return out


def normalize_padding(value, allow_causal=False):
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    padding = value.lower() if isinstance(value, str) else value
    if padding not in allowed:
        raise ValueError(f"`padding` must be one of {allowed}. Received padding={value!r}")
    return padding


def normalize_data_format(value):
    if value is None:
        return config.image_data_format()
    data_format = str(value).lower()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError("`data_format` must be 'channels_last' or 'channels_first'. "
                         f"Received data_format={value!r}")
    return data_format


def channel_axis(data_format):
    return -1 if data_format == "channels_last" else 1


def spatial_axes(rank, data_format):
    """The axes of the `rank` spatial dims of a (rank + 2)-D input."""
    first = 1 if data_format == "channels_last" else 2
    return tuple(range(first, first + rank))


def layout(rank, data_format):
    """The expected input layout, for error messages: '(batch, d1, d2, channels)'."""
    spatial = ", ".join(f"d{i + 1}" for i in range(rank))
    if data_format == "channels_last":
        return f"(batch, {spatial}, channels)"
    return f"(batch, channels, {spatial})"


def normalize_pairs(value, n, name):
    """((before, after),) * n amounts (>= 0) from an int, n ints, or n pairs of ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * n
    if not isinstance(value, (tuple, list)) or len(value) != n:
        raise ValueError(f"`{name}` must be an int, a tuple of {n} ints or a tuple of {n} pairs "
                         f"of ints. Received {name}={value!r}")
    return tuple(normalize_tuple(v, 2, f"{name}[{i}]", allow_zero=True)
                 for i, v in enumerate(value))


def spatial_dims(shape, data_format):
    shape = tuple(shape)
    return shape[1:-1] if data_format == "channels_last" else shape[2:]


def output_length(length, window, stride, padding, dilation=1):
    """Length of one spatial dim after a sliding window (None stays None)."""
    if length is None:
        return None
    if padding in ("same", "causal"):  # causal pads the left by the window's reach, like same
        return (length + stride - 1) // stride
    reach = dilation * (window - 1) + 1
    return (length - reach) // stride + 1 if length >= reach else -1


def transpose_output_length(length, window, stride, padding, output_padding=None, dilation=1):
    """Length of one spatial dim after a transposed convolution (None stays None)."""
    if length is None:
        return None
    reach = dilation * (window - 1) + 1
    if padding == "valid":
        extra = max(reach, stride) - reach if output_padding is None else output_padding
        return (length - 1) * stride + reach + extra
    if output_padding is None:
        return length * stride
    return (length - 1) * stride + reach % 2 + output_padding


def windowed_shape(layer, input_shape, channels, windows, strides, padding, dilation=None):
    """Output shape of a conv or pooling layer; `channels` replaces the channel dim."""
    input_shape = tuple(input_shape)
    dilation = dilation or (1,) * len(windows)
    spatial = spatial_dims(input_shape, layer.data_format)
    out = tuple(output_length(n, k, s, padding, d)
                for n, k, s, d in zip(spatial, windows, strides, dilation))
    if any(d is not None and d <= 0 for d in out):
        raise ValueError(f"{type(layer).__name__} '{layer.name}': the window "
                         f"{tuple(windows)} (dilation {tuple(dilation)}) is larger than the "
                         f"spatial dims of the input shape {input_shape}; the output size "
                         "would be negative.")
    if layer.data_format == "channels_last":
        return (input_shape[0],) + out + (channels,)
    return (input_shape[0], channels) + out


def check_rank(layer, input_shape, rank, exact=True, layout=None):
    """ValueError naming the layer when the input rank is wrong."""
    input_shape = tuple(input_shape)
    ok = len(input_shape) == rank if exact else len(input_shape) >= rank
    if not ok:
        expected = f"rank {rank}" if exact else f"rank >= {rank}"
        layout = f" {layout}" if layout else ""
        raise ValueError(f"{type(layer).__name__} '{layer.name}' expects inputs of "
                         f"{expected}{layout}; received input shape {input_shape}.")
