"""Ops called on KerasTensors become graph nodes, so `ops.add(a, b)` works in functional models.

In a saved config an op node is written as Keras 3 writes its operation records: module
`keras.src.ops.<group>`, class name the op's name in CamelCase (a few differ), and the op's
arguments split the way Keras splits them between the operation's constructor and its call.
The constructor's (axis, keepdims, newshape...) go to the record's config, every one of them
with its default filled in; the call's (the tensors, mostly) are the node's arguments,
positional unless Keras passes them by keyword.
"""

import functools
import inspect
import re

from keraslite.backend import KerasTensor, contract, dispatch, floatx, loader
from keraslite.layers.layer import Layer, unique_name
from keraslite.layers.node import Node
from keraslite.utils import tree

# Keras 3 operation classes not named after their op in CamelCase (abs and conj record the
# classes of their aliases absolute and conjugate).
_CLASS_NAMES = {
    "abs": "Absolute", "conj": "Conjugate",
    "allclose": "AllClose", "isin": "IsIn", "searchsorted": "SearchSorted",
    "batch_normalization": "BatchNorm", "layer_normalization": "LayerNorm",
    "rms_normalization": "RMSNorm", "ctc_loss": "CTCLoss", "ctc_decode": "CTCDecode",
    "psnr": "PSNR", "cdist": "CDist", "fft": "FFT", "fft2": "FFT2", "ifft2": "IFFT2",
    "rfft": "RFFT", "irfft": "IRFFT", "stft": "STFT", "istft": "ISTFT", "svd": "SVD",
    "jvp": "JVP", "rgb_to_grayscale": "RGBToGrayscale", "rgb_to_hsv": "RGBToHSV",
    "hsv_to_rgb": "HSVToRGB", "ssim": "SSIM",
}

# The parameters Keras passes to an operation's call, where they are more than the first
# parameter (and the second operand, x2 or y, of a binary op); all others are constructor
# arguments.
_CALL_PARAMS = {name: tuple(params.split()) for name, params in {
    # core (the control-flow ops take functions, which a saved config cannot hold)
    "cond": "pred true_fn false_fn", "switch": "index branches operands", "map": "f xs",
    "while_loop": "loop_vars", "fori_loop": "init_val", "scan": "f init xs",
    "associative_scan": "f elems", "vectorized_map": "elements",
    "scatter": "indices values", "scatter_update": "inputs indices updates",
    "slice": "inputs start_indices", "slice_update": "inputs start_indices updates",
    # numpy
    "isclose": "x1 x2 rtol atol", "einsum": "operands", "pad": "x constant_values",
    "take": "x indices", "take_along_axis": "x indices", "where": "condition x1 x2",
    "full": "fill_value", "full_like": "x fill_value", "arange": "start stop step",
    "linspace": "start stop", "logspace": "start stop", "geomspace": "start stop",
    "digitize": "x bins", "average": "x weights", "get_item": "x key",
    "quantile": "x q", "percentile": "x q", "nanquantile": "x q", "nanpercentile": "x q",
    "select": "condlist choicelist default", "searchsorted": "sorted_sequence values",
    # nn
    "conv": "inputs kernel", "depthwise_conv": "inputs kernel",
    "conv_transpose": "inputs kernel", "separable_conv": "inputs depthwise_kernel pointwise_kernel",
    "binary_crossentropy": "target output", "categorical_crossentropy": "target output",
    "sparse_categorical_crossentropy": "target output", "polar": "abs_ angle",
    "dot_product_attention": "query key value bias mask scale",
    "batch_normalization": "x mean variance offset scale",
    "layer_normalization": "x gamma beta", "rms_normalization": "x scale",
    "ctc_loss": "target output target_length output_length",
    "ctc_decode": "inputs sequence_lengths",
    # math, linalg, image
    "segment_sum": "data segment_ids", "segment_max": "data segment_ids",
    "segment_min": "data segment_ids", "segment_prod": "data segment_ids",
    "in_top_k": "targets predictions", "solve": "a b", "solve_triangular": "a b",
    "lstsq": "a b", "jvp": "fun primals tangents", "ssim": "image1 image2",
    "affine_transform": "images transform", "map_coordinates": "inputs coordinates",
    "perspective_transform": "images start_points end_points",
    "scale_and_translate": "images output_shape scale translation",
}.items()}

# Call parameters Keras passes by keyword (its other call arguments are positional).
_CALL_KEYWORDS = {"pad": ("constant_values",), "average": ("weights",),
                  "rms_normalization": ("scale",),
                  "dot_product_attention": ("bias", "mask", "scale")}

# Ops whose Keras constructor receives the resolved dtype (floatx) when none is given.
_FLOATX_DTYPE = ("one_hot", "multi_hot")


def _group_of(op_name):
    for group, ops in contract.specs().items():
        if op_name in ops:
            return group
    return None


def keras_class_name(op_name):
    return _CLASS_NAMES.get(op_name) or "".join(p[:1].upper() + p[1:] for p in op_name.split("_"))


@functools.cache
def _op_of_class(group):
    """{Keras class name: op name} for one contract group."""
    return {keras_class_name(name): name for name in contract.stubs(group)}


@functools.cache
def _signature(group, op_name):
    return inspect.signature(contract.stubs(group)[op_name])


def call_params(op_name, params):
    """The names among `params` (the op's parameters, in order) that Keras passes to the call."""
    if op_name in _CALL_PARAMS:
        return [p for p in params if p in _CALL_PARAMS[op_name]]
    return [p for i, p in enumerate(params) if i == 0 or p in ("x2", "y")]


def _has_tensor(value):
    return any(isinstance(v, KerasTensor) for v in tree.flatten(value))


class OpLayer(Layer):
    """Wraps one contract op so a functional graph can replay it; `static_kwargs` are the op's
    constructor arguments in Keras' record, the call's arguments come with each call."""

    def __init__(self, op_name, fn=None, name=None, static_kwargs=None):
        super().__init__(name=name or unique_name(op_name), autocast=False)
        group = _group_of(op_name)
        if group is None or group in contract.private_names():
            raise ValueError(f"Unknown operation '{op_name}' (layer '{self.name}').")
        self.op_name, self.group = op_name, group
        self.fn = fn or getattr(dispatch.group_namespace(loader.active(), group), op_name)
        self.static_kwargs = dict(static_kwargs or {})
        self._list_key_is_tuple = False
        self._plans = {}
        self.built = True

    def call(self, *args, **kwargs):
        """Positional arguments fill, in order, the parameters not given by name: that reads
        Keras' records (call arguments after constructor ones, as take's indices before its
        axis) and also the records older keraslite versions wrote (the op's own call)."""
        key = (len(args), tuple(kwargs))
        if key not in self._plans:  # once per call pattern: binding costs more than the op
            self._plans[key] = self._plan(len(args), kwargs)
        plan = self._plans[key]
        if self._list_key_is_tuple:
            args = [tuple(a) if isinstance(a, list) and i == 1 else a for i, a in enumerate(args)]
        if plan is True:  # the positional arguments are the op's leading parameters
            return self.fn(*args, **kwargs, **self.static_kwargs)
        if plan is not None:
            return self.fn(**dict(zip(plan, args)), **kwargs, **self.static_kwargs)
        # variable positional parameters (einsum's operands): fill the rest in order
        signature = _signature(self.group, self.op_name)
        named, rest = {**kwargs, **self.static_kwargs}, list(args)
        bound = signature.bind_partial()
        for param in signature.parameters.values():
            if param.kind == param.VAR_POSITIONAL:
                bound.arguments[param.name], rest = tuple(rest), []
            elif param.kind == param.VAR_KEYWORD:
                bound.arguments[param.name] = {k: v for k, v in named.items()
                                               if k not in signature.parameters}
            elif param.name in named:
                bound.arguments[param.name] = named[param.name]
            elif rest and param.kind != param.KEYWORD_ONLY:
                bound.arguments[param.name] = rest.pop(0)
        return self.fn(*bound.args, **bound.kwargs)

    def _plan(self, count, kwargs):
        """How `count` positional arguments reach the op, given the named ones: True when they
        are its leading parameters, else the names they fill, or None when they reach a
        variable positional parameter."""
        named = {**kwargs, **self.static_kwargs}
        params = list(_signature(self.group, self.op_name).parameters.values())
        free = [p for p in params
                if p.name not in named and p.kind in (p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
        if any(p.kind == p.VAR_POSITIONAL for p in free[:count]):
            return None
        if count > len(free):
            raise TypeError(f"{self.name}: too many positional arguments for {self.op_name}.")
        if free[:count] == params[:count]:
            return True
        return [p.name for p in free[:count]]

    def get_config(self):
        """The whole serialized form (Keras' operation record), not only the inner config."""
        return {"module": f"keras.src.ops.{self.group}",
                "class_name": keras_class_name(self.op_name),
                "config": {"name": self.name, **self.static_kwargs},
                "registered_name": keras_class_name(self.op_name)}

    @classmethod
    def from_keras_config(cls, config):
        """An operation record of a saved model (ours or Keras')."""
        class_name = config.get("class_name", "")
        module = config.get("module") or ""
        groups = [module.rsplit(".", 1)[-1]] if module.startswith("keras.src.ops.") else []
        for group in groups + list(contract.GROUPS):
            if group in contract.GROUPS and class_name in _op_of_class(group):
                op_name = _op_of_class(group)[class_name]
                break
        else:
            op_name = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()
        inner = dict(config.get("config") or {})
        layer = cls(op_name, name=inner.pop("name", None), static_kwargs=inner)
        # JSON has no tuples: a saved `x[1:, 2]` key comes back a list, which Keras reads as
        # the tuple it was (so, as Keras, a list key never means fancy indexing once saved)
        layer._list_key_is_tuple = op_name == "get_item"
        return layer


def split_arguments(op_name, group, args, kwargs):
    """(constructor config, call args, call kwargs) of `op(*args, **kwargs)` as Keras records
    the call. A constructor parameter given a tensor stays a call argument (Keras' own ops
    would fail there)."""
    signature = _signature(group, op_name)
    bound = signature.bind(*args, **kwargs)
    bound.apply_defaults()
    values = dict(bound.arguments)
    if op_name in _FLOATX_DTYPE and values.get("dtype") is None:
        values["dtype"] = floatx()
    calls = call_params(op_name, list(signature.parameters))
    keywords = _CALL_KEYWORDS.get(op_name, ())
    config, call_args, call_kwargs = {}, [], {}
    for name, param in signature.parameters.items():
        value = values[name]
        if param.kind == param.VAR_KEYWORD:
            config.update({k: v for k, v in value.items() if not _has_tensor(v)})
            call_kwargs.update({k: v for k, v in value.items() if _has_tensor(v)})
        elif name not in calls:
            (call_kwargs if _has_tensor(value) else config)[name] = value
        elif param.kind == param.VAR_POSITIONAL:
            call_args.extend(value)
        elif name in keywords or call_kwargs:  # once one is by keyword, so are the next
            call_kwargs[name] = value
        else:
            call_args.append(value)
    return config, call_args, call_kwargs


def _record(name, impl, args, kwargs, outputs):
    if not any(isinstance(v, KerasTensor) and hasattr(v, "_keras_history")
               for v in tree.flatten((list(args), kwargs))):
        return  # not part of a graph (plain shape inference)
    config, call_args, call_kwargs = split_arguments(name, _group_of(name), args, kwargs)
    Node(OpLayer(name, impl, static_kwargs=config), call_args, call_kwargs, outputs)


if _record not in dispatch.SYMBOLIC_OP_HOOKS:
    dispatch.SYMBOLIC_OP_HOOKS.append(_record)
