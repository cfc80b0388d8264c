"""InputSpec: what a layer accepts as its first call argument (rank, dtype, fixed axes, shape).

A layer that sets `self.input_spec` (one InputSpec, or a list for several inputs) gets its
inputs checked on every call, before and after build, with an error naming the layer, the input
and the mismatch. Keras' names, arguments and config keys.
"""

from keraslite import backend
from keraslite.utils import tree


class InputSpec:
    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = None if dtype is None else backend.standardize_dtype(dtype)
        self.shape = None if shape is None else tuple(None if d is None else int(d) for d in shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (AttributeError, TypeError, ValueError):
            raise TypeError(f"InputSpec: `axes` must be a dict with integer keys. Received: "
                            f"axes={axes}") from None
        top = self.ndim if self.ndim is not None else self.max_ndim
        if self.axes and top is not None and max(self.axes) > top - 1:
            raise ValueError(f"InputSpec: axis {max(self.axes)} is greater than the maximum "
                             f"allowed value: {top - 1}")

    def __repr__(self):
        parts = [f"{k}={getattr(self, k)}" for k in
                 ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes") if getattr(self, k)]
        return f"InputSpec({', '.join(parts)})"

    def get_config(self):
        return {"dtype": self.dtype, "shape": self.shape, "ndim": self.ndim,
                "max_ndim": self.max_ndim, "min_ndim": self.min_ndim, "axes": self.axes,
                "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _by_name(specs, inputs):
    """A dict of inputs, ordered by the specs' names when every spec has one."""
    names = [s.name if s is not None else None for s in specs]
    if not isinstance(inputs, dict) or not all(names):
        return inputs
    missing = [n for n in names if n not in inputs]
    if missing:
        raise ValueError(f'Missing data for input "{missing[0]}". You passed a data dictionary '
                         f"with keys {list(inputs)}. Expected the following keys: {names}")
    return [inputs[n] for n in names]


def assert_input_compatibility(input_spec, inputs, layer_name):
    """Raise ValueError when `inputs` do not satisfy `input_spec` (None: anything goes)."""
    if not input_spec:
        return
    specs = tree.flatten(input_spec)
    inputs = tree.flatten(_by_name(specs, inputs))
    if len(inputs) != len(specs):
        raise ValueError(f'Layer "{layer_name}" expects {len(specs)} input(s), but it received '
                         f"{len(inputs)} input tensors.")
    for index, (x, spec) in enumerate(zip(inputs, specs)):
        if spec is None or (x is None and spec.optional):
            continue
        if not hasattr(x, "shape"):
            raise ValueError(f"Inputs to a layer should be tensors. Got '{x}' (of type {type(x)}) "
                             f"as input for layer '{layer_name}'.")
        _check_one(index, x, spec, layer_name)


def _check_one(index, x, spec, layer_name):
    shape = tuple(None if d is None else int(d) for d in x.shape)
    ndim = len(shape)

    def fail(what):
        raise ValueError(f"Input {index} of layer '{layer_name}' is incompatible with the layer: "
                         f"{what}. Full shape received: {shape}")

    if spec.ndim is not None and not spec.allow_last_axis_squeeze and ndim != spec.ndim:
        fail(f"expected ndim={spec.ndim}, found ndim={ndim}")
    if spec.max_ndim is not None and ndim > spec.max_ndim:
        fail(f"expected max_ndim={spec.max_ndim}, found ndim={ndim}")
    if spec.min_ndim is not None and ndim < spec.min_ndim:
        fail(f"expected min_ndim={spec.min_ndim}, found ndim={ndim}")
    if spec.dtype is not None and backend.standardize_dtype(x.dtype) != spec.dtype:
        fail(f"expected dtype={spec.dtype}, found dtype={backend.standardize_dtype(x.dtype)}")
    for axis, value in spec.axes.items():
        if value is not None and -ndim <= axis < ndim and shape[axis] not in (value, None):
            fail(f"expected axis {axis} of input shape to have value {value}")
    if spec.shape is not None:
        want, got = spec.shape, shape
        if spec.allow_last_axis_squeeze:  # a trailing 1 on either side does not count
            want = want[:-1] if want and want[-1] == 1 else want
            got = got[:-1] if got and got[-1] == 1 else got
        if any(w is not None and g is not None and w != g for w, g in zip(want, got)):
            fail(f"expected shape={spec.shape}, found shape={shape}")
