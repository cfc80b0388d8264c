"""Op cases: math group."""
# ruff: noqa: F403, F405

from op_cases.base import *

# --------------------------------------------------------------------------------------------
# math group


def _segment(kind):
    def ref(data, ids, num_segments=None, sorted=False):
        n = int(num_segments) if num_segments is not None else int(np.max(ids)) + 1
        out = np.full((n,) + data.shape[1:], _segment_fill(kind, data.dtype), dtype=data.dtype)
        combine = {"sum": np.add, "max": np.maximum, "min": np.minimum, "prod": np.multiply}[kind]
        for i, s in enumerate(ids):
            out[s] = combine(out[s], data[i])
        return out

    return ref


math_case("segment_sum", lambda: (N((6, 2)), np.array([0, 0, 1, 2, 2, 2], "int32")),
          _segment("sum"), kwargs={"num_segments": 4, "sorted": True}, name="sorted_empty")
math_case("segment_sum", lambda: (N((5,)), np.array([2, 0, 1, 0, 2], "int32")),
          _segment("sum"), kwargs={"num_segments": 3}, name="unsorted")
math_case("segment_max", lambda: (DISTINCT((6, 2)), np.array([0, 0, 1, 2, 2, 2], "int32")),
          _segment("max"), kwargs={"num_segments": 3, "sorted": True}, name="sorted")
math_case("segment_max", lambda: (DISTINCT((5,)), np.array([2, 0, 1, 0, 2], "int32")),
          _segment("max"), kwargs={"num_segments": 3}, name="unsorted")


def _segment_fill(kind, dtype):
    if kind == "sum":
        return 0
    if kind == "prod":
        return 1
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        return info.max if kind == "min" else info.min
    return np.inf if kind == "min" else -np.inf


def _segment_ids_case(kind, data, ids, num_segments, name, **kw):
    math_case(f"segment_{kind}", lambda: (data(), np.array(ids, "int32")), _segment(kind),
              kwargs={"num_segments": num_segments, **kw.pop("kwargs", {})}, name=name, **kw)


_SORTED_IDS, _UNSORTED_IDS = [0, 0, 1, 3, 3, 3], [2, 0, 1, 0, 2]
# An empty segment puts +-inf in the output, which finite differences cannot take: no grads there.
_segment_ids_case("min", lambda: DISTINCT((6, 2)), _SORTED_IDS, 4, "sorted_empty", grad=False,
                  kwargs={"sorted": True})
_segment_ids_case("min", lambda: DISTINCT((5,)), _UNSORTED_IDS, 3, "unsorted")
_segment_ids_case("min", lambda: I((6,), -50, 50), _SORTED_IDS, 5, "int32_empty")
_segment_ids_case("max", lambda: DISTINCT((6, 2)), _SORTED_IDS, 4, "sorted_empty", grad=False)
_segment_ids_case("max", lambda: I((6,), -50, 50), _SORTED_IDS, 5, "int32_empty")
_segment_ids_case("prod", lambda: U((6, 2), 0.5, 1.5), _SORTED_IDS, 4, "sorted_empty",
                  kwargs={"sorted": True})
_segment_ids_case("prod", lambda: U((5,), -2, 2), _UNSORTED_IDS, 3, "unsorted")
_segment_ids_case("prod", lambda: I((6,), -4, 5), _SORTED_IDS, 5, "int32_empty")


def _cdist(x, y):
    return np.sqrt(np.sum((x[..., :, None, :] - y[..., None, :, :]) ** 2, axis=-1))


math_case("cdist", lambda: (N((3, 2)), N((4, 2), seed=1)), _cdist)
math_case("cdist", lambda: (N((2, 3, 4)), N((2, 5, 4), seed=1)), _cdist, name="batch")
math_case("cdist", lambda: (N((1, 3, 2)), N((2, 4, 2), seed=1)), _cdist, name="broadcast")
math_case("cdist", lambda: (I((3, 2), -5, 5), I((2, 2), -5, 5, seed=1)), _cdist, name="int32")


def _stft_window(window, sequence_length, fft_length):
    n = sequence_length
    if window is None:
        w = np.ones(n)
    elif isinstance(window, str):  # periodic windows, as scipy.signal.get_window makes them
        a = 0.5 if window == "hann" else 0.54
        w = a - (1 - a) * np.cos(2 * np.pi * np.arange(n) / n)
    else:
        w = np.asarray(window, np.float64)
    left = (fft_length - n) // 2
    return np.pad(w, (left, fft_length - n - left))


def _stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    if center:
        half = fft_length // 2
        x = np.pad(x, [(0, 0)] * (x.ndim - 1) + [(half, half)], mode="reflect")
    frames = _frames(x, fft_length, sequence_stride)
    y = np.fft.rfft(frames * _stft_window(window, sequence_length, fft_length), axis=-1)
    return np.real(y), np.imag(y)


def _istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
           center=True):
    frames = np.fft.irfft(x[0] + 1j * x[1], n=fft_length, axis=-1)
    w = _stft_window(window, sequence_length, fft_length)
    count, step = frames.shape[-2], sequence_stride
    total = fft_length + step * (count - 1)
    out = np.zeros(frames.shape[:-2] + (total,))
    norm = np.zeros(total)
    for i in range(count):
        out[..., i * step:i * step + fft_length] += frames[..., i, :] * w
        norm[i * step:i * step + fft_length] += w ** 2
    out = out / np.where(norm > 1e-10, norm, 1.0)
    start = fft_length // 2 if center else 0
    if length is not None:
        end = start + length
    else:
        end = total - fft_length // 2 if center else total
    return out[..., start:end]


math_case("stft", lambda: (N((2, 32)), 8, 4, 16), _stft, rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((20,)), 6, 4, 8), _stft, kwargs={"window": "hamming", "center": False},
          name="hamming_uncentered", rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((2, 16)), 8, 3, 8), _stft, kwargs={"window": None},
          name="no_window", rtol=1e-4, atol=1e-5)
math_case("stft", lambda: (N((12,)), 5, 2, 8), _stft, kwargs={"window": U((5,), 0, 1, seed=3)},
          name="tensor_window", rtol=1e-4, atol=1e-5, grad_args=(0,))
math_case("stft", lambda: (N((2, 16), dtype="float64"), 8, 4, 8), _stft, name="float64",
          dtype=("float64", "float64"))
math_case("istft", lambda: (_PAIR((2, 9, 9))[0], 8, 4, 16), _istft, rtol=1e-4, atol=1e-5)
math_case("istft", lambda: (_PAIR((4, 5))[0], 6, 4, 8), _istft,
          kwargs={"window": "hamming", "center": False}, name="hamming_uncentered",
          rtol=1e-4, atol=1e-5)
math_case("istft", lambda: (_PAIR((5, 5))[0], 8, 3, 8), _istft,
          kwargs={"window": None, "length": 11}, name="no_window_length", rtol=1e-4, atol=1e-5)
math_case("view_as_complex", lambda: (N((2, 3, 2)),), lambda x: x[..., 0] + 1j * x[..., 1],
          dtype="complex64")
math_case("view_as_complex", lambda: (N((3, 2), dtype="float64"),),
          lambda x: x[..., 0] + 1j * x[..., 1], dtype="complex128", name="float64")
math_case("view_as_real", lambda: ((N((2, 3)) + 1j * N((2, 3), seed=1)).astype("complex64"),),
          lambda x: np.stack([x.real, x.imag], axis=-1), dtype="float32")
math_case("view_as_real", lambda: ((N((4,)) + 1j * N((4,), seed=1)).astype("complex128"),),
          lambda x: np.stack([x.real, x.imag], axis=-1), dtype="float64", name="complex128")


def _top_k(x, k, sorted=True):
    idx = np.argsort(-x, axis=-1, kind="stable")[..., :k]
    return np.take_along_axis(x, idx, axis=-1), idx.astype("int32")


math_case("top_k", lambda: (DISTINCT((2, 5)), 3), _top_k, dtype=(FLOATX, "int32"))
math_case("top_k", lambda: (I((4,), 0, 100, seed=5), 2), _top_k, name="int32",
          dtype=("int32", "int32"))


def _in_top_k(targets, predictions, k):
    order = np.argsort(-predictions, axis=-1, kind="stable")[:, :k]
    return np.array([t in row for t, row in zip(targets, order)])


math_case("in_top_k", lambda: (np.array([1, 0, 4], "int32"), DISTINCT((3, 5)), 2), _in_top_k,
          dtype="bool")
math_case("logsumexp", lambda: (N((2, 3)),), lambda x, axis=None, keepdims=False: np.log(
    np.sum(np.exp(x), axis=axis, keepdims=keepdims)), name="all")
math_case("logsumexp", lambda: (N((2, 3)) * 30,), lambda x, axis=None, keepdims=False: (
    np.max(x, axis=axis, keepdims=True) + np.log(np.sum(np.exp(x - np.max(x, axis=axis, keepdims=True)),
                                                       axis=axis, keepdims=True))
).reshape(np.sum(x, axis=axis, keepdims=keepdims).shape),
    kwargs={"axis": 1, "keepdims": True}, name="large_axis1")
math_case("rsqrt", lambda: (U((2, 3), 0.2, 3),), _keep_float(lambda x: 1 / np.sqrt(x)))
math_case("rsqrt", lambda: (np.array([1, 4, 9], "int32"),), _keep_float(lambda x: 1 / np.sqrt(x)),
          name="int32", dtype=FLOATX)
math_case("erf", lambda: (U((2, 3), -2, 2),), _keep_float(_erf))
math_case("erf", lambda: (np.array([-1, 0, 2], "int32"),), _keep_float(_erf), name="int32",
          dtype=FLOATX)
math_case("erfc", lambda: (U((2, 3), -2, 4),), _keep_float(lambda x: 1 - _erf(x)), atol=1e-6)
math_case("erfc", lambda: (np.array([-1, 0, 2], "int32"),), _keep_float(lambda x: 1 - _erf(x)),
          name="int32", dtype=FLOATX)
math_case("erfinv", lambda: (U((2, 3), -0.9, 0.9),), _keep_float(_erfinv), rtol=1e-4)


def _frames(x, sequence_length, sequence_stride):
    n = (x.shape[-1] - sequence_length) // sequence_stride + 1
    return np.stack([x[..., i * sequence_stride:i * sequence_stride + sequence_length]
                     for i in range(n)], axis=-2)


math_case("extract_sequences", lambda: (N((2, 10)), 4, 3), _frames)
math_case("extract_sequences", lambda: (N((3, 8)), 4, 4), _frames, name="no_overlap")


def _pair(fn):
    def ref(x, **kw):
        y = fn(x[0] + 1j * x[1], **kw)
        return np.real(y), np.imag(y)

    return ref


_PAIR = lambda shape: ((N(shape), N(shape, seed=1)),)  # noqa: E731
math_case("fft", lambda: _PAIR((2, 5)), _pair(np.fft.fft), rtol=1e-4, atol=1e-5)
math_case("fft2", lambda: _PAIR((2, 3, 4)), _pair(np.fft.fft2), rtol=1e-4, atol=1e-5)
math_case("ifft2", lambda: _PAIR((2, 3, 4)), _pair(np.fft.ifft2), rtol=1e-4, atol=1e-5)


def _rfft(x, fft_length=None):
    y = np.fft.rfft(x, n=fft_length)
    return np.real(y), np.imag(y)


def _irfft(x, fft_length=None):
    return np.fft.irfft(x[0] + 1j * x[1], n=fft_length)


math_case("rfft", lambda: (N((2, 8)),), _rfft, rtol=1e-4, atol=1e-5)
math_case("rfft", lambda: (N((2, 7)),), _rfft, kwargs={"fft_length": 6}, name="length6",
          rtol=1e-4, atol=1e-5)
math_case("irfft", lambda: _PAIR((2, 5)), _irfft, rtol=1e-4, atol=1e-5)
math_case("irfft", lambda: _PAIR((2, 5)), _irfft, kwargs={"fft_length": 9}, name="length9",
          rtol=1e-4, atol=1e-5)
math_case("logdet", lambda: (SPD(3),), lambda x: np.linalg.slogdet(x)[1], rtol=1e-4,
          grad_pre=lambda args, xp: (xp.multiply(xp.add(args[0], xp.swapaxes(args[0], -1, -2)), 0.5),))
math_case("logdet", lambda: (SPD(3, batch=(2,)),), lambda x: np.linalg.slogdet(x)[1],
          name="batch", rtol=1e-4, grad=False)

