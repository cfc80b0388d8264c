"""Functional models: a graph of layer calls from Input tensors to output tensors."""

from keraslite.backend import KerasTensor
from keraslite.backend.masking import set_keras_mask
from keraslite.layers.input_layer import InputLayer
from keraslite.layers.layer import Layer
from keraslite.models.model import Model
from keraslite.utils import tree


def _history(tensor):
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        raise ValueError(f"{tensor!r} was not produced by a keraslite layer: functional model "
                         "inputs must come from keraslite.Input() and outputs from layer calls.")
    return history


def _node_of(tensor):
    layer, index, _ = _history(tensor)
    return layer._inbound_nodes[index]


def topological_nodes(inputs, outputs):
    """Nodes between inputs and outputs, each after the nodes it depends on."""
    input_ids = {id(t) for t in inputs}
    order, state = [], {}

    def visit(node):
        if state.get(id(node)) == "done":
            return
        if state.get(id(node)) == "active":
            raise ValueError("The functional graph has a cycle.")
        state[id(node)] = "active"
        for t in node.input_tensors:
            if id(t) not in input_ids:
                visit(_node_of(t))
        state[id(node)] = "done"
        order.append(node)

    for t in outputs:
        if id(t) not in input_ids:
            visit(_node_of(t))
    for node in order:
        if node.is_input and not any(id(t) in input_ids for t in node.output_tensors):
            raise ValueError(
                f"Graph disconnected: output depends on input '{node.layer.name}', which is not "
                f"among the model inputs {[t.name for t in inputs]}.")
    return order


class Functional(Model):
    _keras_module = "keras.src.models.functional"  # where Keras 3 looks the class up
    def __init__(self, inputs, outputs, name=None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        super().__init__(name=name, trainable=trainable, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        for t in self.inputs + self.outputs:
            if not isinstance(t, KerasTensor):
                raise ValueError(f"Functional model '{self.name}': inputs and outputs must be "
                                 f"KerasTensors, received {t!r}.")
        self._nodes = [n for n in topological_nodes(self.inputs, self.outputs) if not n.is_input]
        layers = [_history(t)[0] for t in self.inputs]
        for node in self._nodes:
            if node.layer not in layers:
                layers.append(node.layer)
        self._function_layers = layers
        self.built = True

    @property
    def layers(self):
        return list(self._function_layers)

    @property
    def input_names(self):
        return [_history(t)[0].name for t in self.inputs]

    @property
    def output_names(self):
        return [_history(t)[0].name for t in self.outputs]

    @property
    def input_shape(self):
        shapes = [t.shape for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [t.shape for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _flat_inputs(self, inputs):
        if isinstance(inputs, dict) and not isinstance(self._inputs_struct, dict):
            try:
                return [inputs[n] for n in self.input_names]
            except KeyError as e:
                raise ValueError(f"Model '{self.name}' expects inputs named {self.input_names}, "
                                 f"received keys {sorted(inputs)}.") from e
        if isinstance(self._inputs_struct, dict):
            if not isinstance(inputs, dict):
                raise ValueError(f"Model '{self.name}' expects a dict of inputs with keys "
                                 f"{sorted(self._inputs_struct)}.")
            return tree.flatten({k: inputs[k] for k in self._inputs_struct})
        flat = tree.flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != len(self.inputs):
            raise ValueError(f"Model '{self.name}' expects {len(self.inputs)} input(s), "
                             f"received {len(flat)}.")
        return flat

    def call(self, inputs, training=None, mask=None):
        flat = self._flat_inputs(inputs)
        masks = tree.flatten(mask) if mask is not None else [None] * len(flat)
        values, value_masks = {}, {}
        for t, v, m in zip(self.inputs, flat, masks):
            self._check_input(t, v)
            values[id(t)] = v
            value_masks[id(t)] = m
        for node in self._nodes:
            run_node(node, values, value_masks, training)
        out = [values[id(t)] for t in self.outputs]
        for t, value in zip(self.outputs, out):  # losses and metrics read the output masks
            if value_masks.get(id(t)) is not None:
                set_keras_mask(value, value_masks[id(t)])
        return tree.pack_sequence_as(self._outputs_struct, out)

    def _check_input(self, spec, value):
        shape = getattr(value, "shape", None)
        if shape is None:
            return
        passed = self.__dict__.setdefault("_passed_shapes", {})
        if shape == passed.get(id(spec)):  # a model sees the same batch shape step after step
            return
        shape = tuple(shape)
        want = spec.shape
        bad = len(shape) != len(want) or any(
            w is not None and s is not None and int(s) != w for s, w in zip(shape, want))
        if bad:
            raise ValueError(f"Input '{spec.name}' of model '{self.name}' is incompatible: "
                             f"expected shape {want}, received shape {shape}.")
        passed[id(spec)] = shape

    def compute_output_spec(self, inputs, training=None, mask=None):
        return Layer.compute_output_spec(self, inputs, training=training)

    def get_config(self):
        from keraslite.models import functional_config

        return functional_config.to_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.models import functional_config

        return functional_config.from_config(cls, config, custom_objects)


def run_node(node, values, masks, training):
    """Call node.layer on the values of its input tensors; store outputs and their masks."""
    def fetch(v):
        return values[id(v)] if isinstance(v, KerasTensor) else v

    layer = node.layer
    first = node.single_input
    if first is not None:  # one tensor in (the mask left to the model): kept short
        args, kwargs = [values[id(first)]], {}
        if node.call_kwargs:
            recorded = node.call_kwargs.get("training")
            if recorded is not None:
                kwargs["training"] = recorded
        in_mask = masks.get(id(first))
    else:
        first = node.call_args[0] if node.call_args else None
        args = tree.map_structure(fetch, node.call_args)
        kwargs = {k: tree.map_structure(fetch, v) for k, v in node.call_kwargs.items()}
        in_mask = None
        if first is not None:
            in_mask = tree.map_structure(
                lambda t: masks.get(id(t)) if isinstance(t, KerasTensor) else None, first)
            if not any(m is not None for m in tree.flatten(in_mask)):
                in_mask = None
    if layer._call_has_training and training is not None:
        # the model's mode wins over the mode recorded at graph construction, as in Keras
        kwargs["training"] = training
    if in_mask is not None and layer._call_has_mask and kwargs.get("mask") is None:
        kwargs["mask"] = in_mask
    outputs = layer(*args, **kwargs)
    out_mask = None
    if layer.supports_masking or type(layer).compute_mask is not Layer.compute_mask:
        out_mask = layer.compute_mask(args[0] if args else None, in_mask)
    if len(node.output_tensors) == 1 and not isinstance(outputs, (list, tuple, dict)):
        values[id(node.output_tensors[0])] = outputs
        masks[id(node.output_tensors[0])] = (
            out_mask[0] if isinstance(out_mask, (list, tuple)) else out_mask)
        return
    flat_out = tree.flatten(outputs)
    flat_masks = (tree.flatten(out_mask) if isinstance(out_mask, (list, tuple))
                  else [out_mask] * len(flat_out))
    for t, v, m in zip(node.output_tensors, flat_out, flat_masks):
        values[id(t)] = v
        masks[id(t)] = m


def is_input_layer(layer):
    return isinstance(layer, InputLayer)
