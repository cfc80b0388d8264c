"""The Layer base class: state (weights), build on first input, call, masks and config.

A layer owns Variables (created in ``build`` through ``add_weight``) and sublayers (found by
walking its attributes, so lists and dicts of layers are tracked too). Calling it on
KerasTensors records a Node in the functional graph and returns KerasTensors; calling it on
real tensors builds it from the input shapes if needed and runs ``call``.
"""

import inspect
import re
import threading

import numpy as np

from keraslite import backend, dtype_policies, ops
from keraslite.backend import KerasTensor
from keraslite.backend.masking import get_keras_mask, set_keras_mask
from keraslite.backend.variables import Variable
from keraslite.layers.input_spec import assert_input_compatibility
from keraslite.random import SeedGenerator
from keraslite.utils import tree

_names = threading.local()
_LOSS_STATE = {"pending": False}  # has any layer called add_loss since the last clear?
_context = threading.local()


def _snake(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix):
    counts = getattr(_names, "counts", None)
    if counts is None:
        counts = _names.counts = {}
    n = counts.get(prefix, 0)
    counts[prefix] = n + 1
    return prefix if n == 0 else f"{prefix}_{n}"


def reset_uids():
    _names.counts = {}


class CallContext:
    """State shared by the nested layer calls of one outermost call (the training flag)."""

    def __init__(self, entry_layer, training=None):
        self.entry_layer = entry_layer
        self.training = training


def current_call_context():
    return getattr(_context, "value", None)


def _set_context(ctx):
    _context.value = ctx


def _shape_of(x):
    if isinstance(x, (KerasTensor, Variable)):
        return tuple(x.shape)
    if isinstance(x, np.ndarray):
        return x.shape
    if backend.is_tensor(x):
        return tuple(backend.core.shape(x))
    return None


def _is_plain(x):
    """Not a container: one tensor, array, KerasTensor or scalar."""
    return not isinstance(x, (list, tuple, dict))


def in_dtype(x, dtype):
    """x (a variable or a tensor) as a tensor of `dtype`: layers read their weights through
    this, and a value that already has the dtype costs no cast op."""
    if isinstance(x, Variable):
        if x.dtype == dtype:
            return x.value
    elif backend.is_tensor(x) and backend.standardize_dtype(x.dtype) == dtype:
        return x
    return ops.cast(x, dtype)


_AUTOCASTS = {}


def _needs_autocast(dtype, want):
    """Whether a float input of this (framework) dtype is cast to the compute dtype `want`;
    remembered per pair, as every layer call asks."""
    key = (dtype, want)
    found = _AUTOCASTS.get(key)
    if found is None:
        name = backend.standardize_dtype(dtype)
        found = _AUTOCASTS[key] = name != want and backend.is_float(name)
    return found


def _is_tensor_like(x):
    return isinstance(x, (KerasTensor, np.ndarray)) or backend.is_tensor(x)


class Layer:
    """Base class of every layer (and, through Model, of every model)."""

    input_spec = None  # an InputSpec (or a list of them) checked against the first argument

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)  # Keras 2 argument, ignored as Keras 3 does
        if kwargs:
            raise TypeError(f"{type(self).__name__}: unrecognized keyword arguments "
                            f"{sorted(kwargs)}.")
        if input_shape is None and input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is None and input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._batch_input_shape = tuple(batch_input_shape) if batch_input_shape else None
        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Layer name must be a string without '/'. Received: {name!r}")
        self.name = name or unique_name(_snake(type(self).__name__))
        self._trainable = bool(trainable)
        self.dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        from keraslite import regularizers

        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self.supports_masking = False
        self._own_variables = []
        self._regularized = []  # (variable, regularizer)
        self._call_losses = []
        self._inbound_nodes = []
        self._call_params = inspect.signature(self.call).parameters
        self._call_has_training = "training" in self._call_params
        self._call_has_mask = "mask" in self._call_params
        self._build_overridden = type(self).build is not Layer.build

    # -------------------------------------------------------------------------- attributes

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)
        for layer in self._flatten_layers(include_self=False):
            layer._trainable = bool(value)

    @property
    def dtype(self):
        """The variable dtype (Keras: `layer.dtype`)."""
        return self.dtype_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self.dtype_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self.dtype_policy.variable_dtype

    @property
    def input_dtype(self):
        return self.compute_dtype

    def _direct_children(self):
        """Sublayers and seed generators held in attributes, in assignment order."""
        out = []

        def visit(value, depth=0):
            if isinstance(value, (Layer, SeedGenerator)):
                out.append(value)
            elif depth < 3 and isinstance(value, (list, tuple)):
                for v in value:
                    visit(v, depth + 1)
            elif depth < 3 and isinstance(value, dict):
                for v in value.values():
                    visit(v, depth + 1)

        for key, value in vars(self).items():
            if key not in ("_inbound_nodes", "_call_params") and not key.startswith("_keras_"):
                visit(value)
        return out

    def _flatten_layers(self, include_self=True, recursive=True):
        seen, out = set(), []

        def walk(layer):
            for child in layer._direct_children():
                if isinstance(child, Layer) and id(child) not in seen:
                    seen.add(id(child))
                    out.append(child)
                    if recursive:
                        walk(child)

        if include_self:
            seen.add(id(self))
            out.append(self)
        walk(self)
        return out

    @property
    def _layers(self):
        return [c for c in self._direct_children() if isinstance(c, Layer)]

    def _seed_generators(self):
        return [c for c in self._direct_children() if isinstance(c, SeedGenerator)]

    # -------------------------------------------------------------------------- weights

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        from keraslite import constraints, initializers, regularizers

        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = backend.standardize_dtype(dtype or self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if backend.is_float(dtype) else "zeros"
        initializer = initializers.get(initializer)
        variable = Variable(initializer, shape=shape, dtype=dtype, trainable=trainable,
                            autocast=autocast, aggregation=aggregation,
                            name=name or f"variable_{len(self._own_variables)}")
        variable.path = f"{self.name}/{variable.name}"
        variable.constraint = constraints.get(constraint)
        variable.regularizer = regularizers.get(regularizer)
        variable.overwrite_with_gradient = overwrite_with_gradient
        variable._created_trainable = variable.trainable
        if variable.regularizer is not None:
            self._regularized.append((variable, variable.regularizer))
        self._own_variables.append(variable)
        return variable

    def _own_weights(self):
        # Keras' order: trainable-at-creation first, each group in creation order; freezing a
        # variable later does not move it
        made_trainable = [v for v in self._own_variables if v._created_trainable]
        return made_trainable + [v for v in self._own_variables if not v._created_trainable]

    def _own_trainable(self):
        return [v for v in self._own_weights() if v.trainable]

    def _own_non_trainable(self):
        return [v for v in self._own_weights() if not v.trainable]

    @property
    def weights(self):
        out = self._own_weights()
        for layer in self._layers:
            out.extend(layer.weights)
        return _dedupe(out)

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        out = self._own_trainable()
        for layer in self._layers:
            out.extend(layer.trainable_weights)
        return _dedupe(out)

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        out = self._own_non_trainable()
        for layer in self._layers:
            out.extend(layer.non_trainable_weights)
        return _dedupe(out)

    @property
    def variables(self):
        """Weights plus other state (random seed states): everything a step may change."""
        return _dedupe(self.weights + self._state_variables())

    def _state_variables(self):
        out = [g.state for g in self._seed_generators()]
        for layer in self._layers:
            out.extend(layer._state_variables())
        return out

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return _dedupe(self.non_trainable_weights + self._state_variables())

    def get_weights(self):
        return [np.asarray(v.numpy()) for v in self.weights]

    def set_weights(self, weights):
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(f"Layer '{self.name}' expects {len(own)} weight arrays, "
                             f"received {len(weights)}.")
        for v, w in zip(own, weights):
            w = np.asarray(w)
            if tuple(w.shape) != tuple(v.shape):
                raise ValueError(f"Layer '{self.name}': weight '{v.path}' has shape "
                                 f"{tuple(v.shape)}, received an array of shape {w.shape}.")
            v.assign(w)

    def count_params(self):
        if not self.built:
            raise ValueError(f"Layer '{self.name}' is not built yet: call it on data or build() "
                             "it before counting its parameters.")
        return int(sum(np.prod(v.shape, dtype=np.int64) for v in self.weights))

    # -------------------------------------------------------------------------- losses

    def add_loss(self, loss):
        self._call_losses.append(loss)
        _LOSS_STATE["pending"] = True

    @property
    def losses(self):
        """Losses added during the last call plus the weight regularization penalties."""
        return collect_losses(self._flatten_layers())

    def _clear_losses(self):
        # runs at every outermost call (the training step): skip the layer walk when no layer
        # has added a loss since the last clear
        if not _LOSS_STATE["pending"]:
            return
        for layer in self._flatten_layers():
            layer._call_losses = []
        _LOSS_STATE["pending"] = False

    # -------------------------------------------------------------------------- build / call

    def build(self, input_shape=None):
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement call().")

    def _build_from_args(self, args, kwargs):
        """Build with shapes of the call arguments (Keras maps `<arg>_shape` build params)."""
        if self.built:
            return
        if not self._build_overridden:
            self.built = True
            return
        params = [p for p in inspect.signature(self.build).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        shapes = lambda v: tree.map_structure(_shape_of, v)  # noqa: E731
        if len(params) <= 1:
            self._build_input_shape = shapes(args[0]) if args else None
            self.build(self._build_input_shape)
        else:
            bound = inspect.signature(self.call).bind_partial(*args, **kwargs).arguments
            build_kwargs = {}
            for p in params:
                arg = p.name[:-len("_shape")] if p.name.endswith("_shape") else p.name
                if arg in bound:
                    build_kwargs[p.name] = shapes(bound[arg])
            self.build(**build_kwargs)
        self.built = True

    def __call__(self, *args, **kwargs):
        args = list(args)
        if len(args) == 1 and not kwargs.keys() - {"training", "mask"} and _is_plain(args[0]):
            # the common case, one tensor in: skip the structure walks below
            if isinstance(args[0], np.ndarray):
                args[0] = ops.convert_to_tensor(args[0])
            if isinstance(args[0], KerasTensor) or isinstance(kwargs.get("mask"), KerasTensor):
                return self._symbolic_call(args, kwargs)
            return self._eager_call(args, kwargs)
        if args:  # numpy inputs become tensors, as Keras does for the first argument
            args[0] = tree.map_structure(
                lambda v: ops.convert_to_tensor(v) if isinstance(v, np.ndarray) else v, args[0])
        flat = tree.flatten((args, kwargs))
        if any(isinstance(v, KerasTensor) for v in flat):
            return self._symbolic_call(args, kwargs)
        return self._eager_call(args, kwargs)

    def _resolve_training(self, kwargs, ctx):
        if not self._call_has_training:
            kwargs.pop("training", None)
            return ctx.training if ctx else None
        training = kwargs.get("training")
        if training is None and ctx is not None:
            training = ctx.training
        if training is None:
            default = self._call_params["training"].default
            training = None if default is inspect.Parameter.empty else default
        kwargs["training"] = training
        return training

    def _input_mask(self, args, kwargs, propagates):
        """The mask of the call: the `mask` argument, else the masks the inputs carry (passed
        on as `mask` when call() takes one)."""
        mask = kwargs.get("mask")
        if mask is None and args and (self._call_has_mask or propagates):
            if _is_plain(args[0]):
                masks = get_keras_mask(args[0])
            else:
                masks = tree.map_structure(get_keras_mask, args[0])
                if all(m is None for m in tree.flatten(masks)):
                    masks = None
            if masks is not None:
                mask = masks
                if self._call_has_mask:
                    kwargs["mask"] = mask
        return mask

    def _propagates_mask(self):
        return self.supports_masking or type(self).compute_mask is not Layer.compute_mask

    def _autocast_inputs(self, args):
        if not self.autocast or not args:
            return args
        want = self.compute_dtype

        def cast(v):
            if backend.is_tensor(v) and _needs_autocast(v.dtype, want):
                return ops.cast(v, want)
            return v

        args[0] = cast(args[0]) if _is_plain(args[0]) else tree.map_structure(cast, args[0])
        return args

    def _eager_call(self, args, kwargs):
        outer = current_call_context()
        ctx = outer or CallContext(self)
        training = self._resolve_training(kwargs, outer)
        if outer is None:
            ctx.training = training
            self._clear_losses()
        propagates = self._propagates_mask()
        in_mask = self._input_mask(args, kwargs, propagates)
        if not self.built:
            self._check_input_spec(args)
            self._build_from_args(args, kwargs)
        if self.input_spec is not None and args:
            self._assert_input_spec(args[0])
        args = self._autocast_inputs(args)
        if outer is None:
            _set_context(ctx)
            try:
                outputs = self.call(*args, **kwargs)
            finally:
                _set_context(None)
        else:  # nested: the context is already the outer call's
            outputs = self.call(*args, **kwargs)
        if self.activity_regularizer is not None:
            for out in tree.flatten(outputs):
                self.add_loss(ops.divide(self.activity_regularizer(out),
                                         ops.cast(ops.shape(out)[0], out.dtype)))
        if propagates:
            mask = self.compute_mask(args[0] if args else None, in_mask)
            if mask is not None:
                for out, m in zip(tree.flatten(outputs), _broadcast_masks(mask, outputs)):
                    set_keras_mask(out, m)
        return outputs

    def _assert_input_spec(self, x):
        """The input_spec check, skipped for a tensor of the shape and dtype that last passed
        it (a layer sees the same batch shape step after step)."""
        key = (self.input_spec, x.shape, x.dtype) if backend.is_tensor(x) else None
        if key is None or key != getattr(self, "_spec_passed", None):
            assert_input_compatibility(self.input_spec, x, self.name)
            self._spec_passed = key

    def _check_input_spec(self, args):
        """Catch rank mismatches against a declared input shape before building."""
        if self._batch_input_shape is None or not args or isinstance(args[0], (list, tuple, dict)):
            return
        shape = _shape_of(args[0])
        want = self._batch_input_shape
        if shape is not None and len(shape) != len(want):
            raise ValueError(f"Input to layer '{self.name}' has shape {tuple(shape)}, but the "
                             f"layer expects shape {want} (rank {len(want)}).")

    def _symbolic_call(self, args, kwargs):
        from keraslite.layers.node import Node

        outer = current_call_context()
        self._resolve_training(kwargs, outer)
        self._fill_symbolic_mask(args, kwargs)
        if not self.built:
            self._check_input_spec(args)
            self._build_from_args(args, kwargs)
        if self.input_spec is not None and args:
            assert_input_compatibility(self.input_spec, args[0], self.name)
        outputs = self.compute_output_spec(*args, **kwargs)
        outputs = tree.map_structure(
            lambda o: KerasTensor(o.shape, o.dtype) if isinstance(o, KerasTensor) else o, outputs)
        Node(self, args, kwargs, outputs)
        return outputs

    def _fill_symbolic_mask(self, args, kwargs):
        # masks of symbolic inputs are computed when the graph runs; nothing to do here
        kwargs.pop("mask", None) if kwargs.get("mask") is None else None

    def compute_output_spec(self, *args, **kwargs):
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = tree.map_structure(_shape_of, args[0]) if args else None
            out_shapes = self.compute_output_shape(shapes)
            dtype = self.compute_dtype
            return tree.map_shape_structure(lambda s: KerasTensor(s, dtype), out_shapes)
        from keraslite.backend import dispatch

        # unknown dimensions are filled with probe sizes by the dispatcher
        return dispatch.symbolic_call(backend.compute_output_spec, self._traced_call, args,
                                      dict(kwargs))

    def _traced_call(self, *args, **kwargs):
        outer = current_call_context()
        _set_context(outer or CallContext(self, kwargs.get("training")))
        try:
            args = self._autocast_inputs(list(args))
            return self.call(*args, **kwargs)
        finally:
            _set_context(outer)

    def compute_output_shape(self, *args, **kwargs):
        raise NotImplementedError(
            f"Layer {type(self).__name__} does not define compute_output_shape(); its output "
            "shape is inferred by tracing call() instead.")

    def compute_mask(self, inputs, previous_mask):
        return previous_mask if self.supports_masking else None

    # -------------------------------------------------------------------------- config

    def get_config(self):
        from keraslite.saving import serialize_keras_object

        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": serialize_keras_object(self.dtype_policy)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        return config

    def get_build_config(self):
        """The input shape build() was called with, for rebuilding a loaded layer (None when
        the layer was built another way)."""
        shape = getattr(self, "_build_input_shape", None)
        if shape is None:
            return None
        return {"input_shape": tree.map_shape_structure(list, shape)}

    def build_from_config(self, config):
        if config and config.get("input_shape") is not None and not self.built:
            shape = config["input_shape"]
            self.build(tuple(shape) if tree.is_shape(shape) else shape)
            self._build_input_shape = shape
            self.built = True

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = dtype_policies.get(config["dtype"])
        return cls(**config)

    # -------------------------------------------------------------------------- misc

    @property
    def input(self):
        return self._node_attr("input_tensors")

    @property
    def output(self):
        return self._node_attr("output_tensors")

    def _node_attr(self, attr):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer '{self.name}' has never been called on a symbolic "
                                 "input, so it has no defined input/output.")
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if len(value) == 1 else value

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def save_own_variables(self, store):
        """Write this layer's own variables (not its sublayers') as store["0"], store["1"]..."""
        for i, variable in enumerate(self._own_weights()):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Assign store["0"], store["1"]... to this layer's own variables, all or none."""
        variables = self._own_weights()
        if len(store.keys()) != len(variables):
            raise ValueError(f"Layer '{self.name}' expects {len(variables)} variables "
                             f"{[v.name for v in variables]}, received {len(store.keys())}.")
        values = [store[str(i)] for i in range(len(variables))]
        for v, value in zip(variables, values):  # check every shape before assigning any
            if tuple(np.shape(value)) != tuple(v.shape):
                raise ValueError(f"Layer '{self.name}': variable '{v.name}' has shape "
                                 f"{tuple(v.shape)}, received shape {tuple(np.shape(value))}.")
        for v, value in zip(variables, values):
            v.assign(value)


def _dedupe(variables):
    seen, out = set(), []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out


def _broadcast_masks(mask, outputs):
    flat = tree.flatten(outputs)
    masks = tree.flatten(mask) if isinstance(mask, (list, tuple)) else [mask]
    if len(masks) == len(flat):
        return masks
    return [masks[0]] * len(flat)


def collect_losses(layers):
    """The call losses and regularization penalties of `layers` (the trainer passes the layer
    list it flattened once per compiled step)."""
    out = []
    for layer in layers:
        out.extend(layer._call_losses)
        for variable, regularizer in layer._regularized:
            out.append(regularizer(variable.value))
    return out
