"""Deterministic initializers: Constant, Zeros, Ones, Identity and STFT.

Values are computed in numpy (float64 for floats) and rounded once, so every backend gets the
same bits.
"""

import numpy as np

from keraslite import ops
from keraslite.backend import dtypes
from keraslite.initializers.initializer import (
    Initializer,
    float_dtype,
    from_numpy,
    standardize_shape,
)


def _is_tensor_like(value):
    return not isinstance(value, (bool, int, float, list, tuple, np.ndarray, np.generic))


def _plain(value):
    """A JSON-friendly copy of a scalar, list, numpy array or tensor."""
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    array = np.asarray(ops.convert_to_numpy(value) if _is_tensor_like(value) else value)
    return array.item() if array.ndim == 0 else array.tolist()


def _unwrap(value):
    # Keras writes array values as {"class_name": "__numpy__" or "__tensor__", "config": {...}}.
    if isinstance(value, dict) and value.get("class_name") in ("__numpy__", "__tensor__"):
        inner = value["config"]
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    return value


class Constant(Initializer):
    """Fills with `value` (a scalar, or an array that broadcasts to the shape)."""

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        dtype = dtypes.standardize_dtype(dtype)
        if _is_tensor_like(self.value):
            return ops.broadcast_to(ops.cast(self.value, dtype), shape)
        return from_numpy(np.broadcast_to(np.asarray(self.value), shape), dtype)

    def get_config(self):
        return {"value": _plain(self.value)}

    @classmethod
    def from_config(cls, config):
        return cls(_unwrap(config.get("value", 0.0)))


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return ops.zeros(standardize_shape(shape), dtype=dtypes.standardize_dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return ops.ones(standardize_shape(shape), dtype=dtypes.standardize_dtype(dtype))


class Identity(Initializer):
    """`gain` times the (possibly rectangular) identity matrix; 2D shapes only."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) != 2:
            raise ValueError(f"Identity needs a 2D shape. Received: shape={shape} of rank "
                             f"{len(shape)}.")
        return from_numpy(self.gain * np.eye(*shape), dtypes.standardize_dtype(dtype))

    def get_config(self):
        # Keras leaves gain out of the config; keeping it makes a round trip lossless.
        return {"gain": self.gain}


# Window formulas numpy can evaluate itself, as symmetric windows of length m.
_NUMPY_WINDOWS = {
    "hann": np.hanning,
    "hamming": np.hamming,
    "blackman": np.blackman,
    "bartlett": np.bartlett,
    "boxcar": np.ones,
}


def _named_window(window, length, periodic):
    if isinstance(window, str) and window in _NUMPY_WINDOWS:
        # A periodic window is the symmetric one of length + 1 without its last sample.
        full = _NUMPY_WINDOWS[window](length + 1 if periodic else length)
        return np.asarray(full[:length], dtype=np.float64)
    try:
        from scipy import signal
    except ImportError:
        raise ValueError(
            f"Window {window!r} needs scipy; without it use one of {sorted(_NUMPY_WINDOWS)} or "
            f"pass the window values.") from None
    return np.asarray(signal.get_window(window, length, fftbins=periodic), dtype=np.float64)


class STFT(Initializer):
    """Kernel of a short-time Fourier transform as a convolution: shape
    (frame_length, input_channels, fft_bins), the real (cos) or imaginary (sin) part, windowed.
    """

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"`side` must be 'real' or 'imag'. Received: side={side!r}")
        if scaling not in (None, "density", "spectrum"):
            raise ValueError(f"`scaling` must be None, 'density' or 'spectrum'. Received: "
                             f"scaling={scaling!r}")
        if isinstance(window, list) and window and isinstance(window[0], str):
            window = tuple(window)  # a ("name", parameter) window read back from JSON
        if isinstance(window, (str, tuple)):
            _named_window(window, 1, periodic)  # fail now on an unknown window name
        self.side = side
        self.window = window
        self.scaling = scaling
        self.periodic = periodic

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape)
        if len(shape) != 3:
            raise ValueError(f"STFT needs a shape (frame_length, input_channels, fft_bins). "
                             f"Received: shape={shape}")
        dtype = float_dtype(dtype, "STFT")
        frame_length, _, fft_bins = shape
        time = np.arange(frame_length, dtype=np.float64)[:, None, None]
        freq = np.arange(fft_bins, dtype=np.float64)[None, None, :] / (2.0 * (fft_bins - 1))
        angle = -2.0 * np.pi * time * freq
        kernel = np.cos(angle) if self.side == "real" else np.sin(angle)
        if self.window is not None:
            if isinstance(self.window, (str, tuple)):
                win = _named_window(self.window, frame_length, self.periodic)
            else:
                win = np.asarray(_plain(self.window), dtype=np.float64)
            if win.shape != (frame_length,):
                raise ValueError(f"The window must have shape ({frame_length},). Received: "
                                 f"{win.shape}")
            scale = 1.0
            if self.scaling == "density":
                scale = np.sqrt(np.sum(win**2))
            elif self.scaling == "spectrum":
                scale = np.sum(np.abs(win))
            kernel = kernel * win[:, None, None] / scale
        return from_numpy(np.broadcast_to(kernel, shape), dtype)

    def get_config(self):
        window = self.window
        if isinstance(window, tuple):
            window = list(window)
        elif not (window is None or isinstance(window, str)):
            window = _plain(window)
        return {"side": self.side, "window": window, "periodic": self.periodic,
                "scaling": self.scaling}
