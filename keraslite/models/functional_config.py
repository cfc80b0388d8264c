"""A functional graph to and from Keras 3's config: each layer's config with its `inbound_nodes`
(the call arguments, symbolic tensors written as `__keras_tensor__` records naming the layer,
node and output they come from), plus `input_layers` / `output_layers`.

Node indices count only the calls that belong to the model being saved. Keras gives a
Functional model a node of its own before its first call, so `input_layers` / `output_layers`
(but not node arguments) count one more for a nested Functional; we write and read them the
same way.
"""

import numpy as np

from keraslite.backend import KerasTensor, convert_to_numpy, convert_to_tensor, is_tensor
from keraslite.layers.input_layer import InputLayer
from keraslite.utils import tree

_TENSOR = "__keras_tensor__"


def _is_functional(layer):
    from keraslite.models.functional import Functional

    return isinstance(layer, Functional)


def _own_nodes(model):
    """{id(node): index among the layer's calls that are part of `model`}."""
    own = {id(n) for n in model._nodes}
    own.update(id(t._keras_history[0]._inbound_nodes[t._keras_history[1]]) for t in model.inputs)
    index = {}
    for layer in model.layers:
        kept = [n for n in layer._inbound_nodes if id(n) in own]
        index.update({id(n): i for i, n in enumerate(kept)})
    return index


def _tensor_ref(tensor, node_index, offset=0):
    layer, node, out = tensor._keras_history
    return [layer.name, node_index[id(layer._inbound_nodes[node])] + offset, out]


def _serialize_value(value, node_index):
    from keraslite.saving import serialize_keras_object

    if isinstance(value, KerasTensor):
        return {"class_name": _TENSOR, "config": {
            "shape": list(value.shape), "dtype": value.dtype,
            "keras_history": _tensor_ref(value, node_index)}}
    if isinstance(value, (list, tuple)):
        return [_serialize_value(v, node_index) for v in value]
    if isinstance(value, dict):
        return {k: _serialize_value(v, node_index) for k, v in value.items()}
    plain = _serialize_constant(value)
    return serialize_keras_object(value) if plain is value else plain


def _serialize_constant(value):
    """Keras' records of the constants an op call may hold (index keys, arrays, tensors);
    any other value is returned as is."""
    if value is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(value, slice):
        return {"class_name": "__slice__",
                "config": {"start": value.start, "stop": value.stop, "step": value.step}}
    if isinstance(value, bytes):
        return {"class_name": "__bytes__", "config": {"value": value.decode("utf-8")}}
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return {"class_name": "__numpy__",
                "config": {"value": value.tolist(), "dtype": str(value.dtype)}}
    if is_tensor(value):
        array = convert_to_numpy(value)
        return {"class_name": "__tensor__",
                "config": {"value": array.tolist(), "dtype": str(array.dtype)}}
    return value


def _deserialize_constant(value):
    """The constant a record of `_serialize_constant` (one of _CONSTANTS) stands for."""
    kind, inner = value.get("class_name"), value.get("config") or {}
    if kind == "__ellipsis__":
        return Ellipsis
    if kind == "__slice__":
        return slice(inner.get("start"), inner.get("stop"), inner.get("step"))
    if kind == "__bytes__":
        return inner["value"].encode("utf-8")
    if kind == "__numpy__":
        return np.asarray(inner["value"], dtype=inner.get("dtype"))
    if kind == "__tensor__":
        return convert_to_tensor(np.asarray(inner["value"], dtype=inner.get("dtype")))


_CONSTANTS = ("__ellipsis__", "__slice__", "__bytes__", "__numpy__", "__tensor__")


def _layer_config(layer, node_index):
    from keraslite.layers.op_layer import OpLayer
    from keraslite.saving import serialize_keras_object

    if isinstance(layer, OpLayer):
        config = layer.get_config()
        config["config"] = _serialize_value(config["config"], node_index)
    else:
        config = serialize_keras_object(layer)
    config["name"] = layer.name
    nodes = sorted((n for n in layer._inbound_nodes if id(n) in node_index),
                   key=lambda n: node_index[id(n)])
    config["inbound_nodes"] = [
        {"args": _serialize_value(n.call_args, node_index),
         "kwargs": _serialize_value(n.call_kwargs, node_index)}
        for n in nodes if not n.is_input]
    return config


def to_config(model):
    node_index = _own_nodes(model)

    def ref(t):
        return _tensor_ref(t, node_index, 1 if _is_functional(t._keras_history[0]) else 0)

    return {"name": model.name, "trainable": model.trainable,
            "layers": [_layer_config(layer, node_index) for layer in model.layers],
            "input_layers": tree.map_structure(ref, model._inputs_struct),
            "output_layers": tree.map_structure(ref, model._outputs_struct)}


# ------------------------------------------------------------------------------ loading


def _is_ref(value):
    return (isinstance(value, list) and len(value) in (3, 4) and isinstance(value[0], str)
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:3]))


def _own_node_first(layer, legacy):
    """Whether Keras numbered this nested model's calls from 1 (its own node being 0): Keras 3
    does for Functional models, Keras 2 for Sequential ones too (a Functional subclass there)."""
    from keraslite.models.sequential import Sequential

    return _is_functional(layer) or (legacy and isinstance(layer, Sequential))


def _from_legacy_node(node, layers):
    """A Keras 2 node (a list of [layer name, node index, tensor index, call kwargs]) in
    Keras 3's form; Keras 2 numbers nested models' calls from 1 in node arguments too."""
    tensors = []
    for name, index, out, *rest in node:
        if name in layers and _own_node_first(layers[name], True):
            index -= 1
        tensors.append({"class_name": _TENSOR, "config": {"keras_history": [name, index, out]}})
    kwargs = dict(node[0][3]) if node and len(node[0]) > 3 and node[0][3] else {}
    return {"args": [tensors[0]] if len(tensors) == 1 else [tensors], "kwargs": kwargs}


def _resolve(value, tensor=None):
    """`value` with Keras' constant records made values again and, when `tensor` is given,
    each tensor record replaced by `tensor(record)`."""
    if isinstance(value, dict):
        kind = value.get("class_name")
        if kind == _TENSOR and tensor is not None:
            return tensor(value)
        if kind in _CONSTANTS:
            return _deserialize_constant(value)
        return {k: _resolve(v, tensor) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, tensor) for v in value]
    return value


def _make_layer(config, custom_objects):
    from keraslite.layers import deserialize
    from keraslite.layers.op_layer import OpLayer

    if (config.get("module") or "").startswith(("keras.src.ops", "keras.ops")):
        config = {**config, "config": _resolve(config.get("config") or {})}
        return OpLayer.from_keras_config(config)
    return deserialize(config, custom_objects=custom_objects)


def from_config(cls, config, custom_objects=None):
    """Rebuild the graph: create every layer, then replay the recorded calls in an order where
    each call's inputs exist (a shared layer's later calls may wait for other layers)."""
    layers, pending = {}, []
    for layer_config in config["layers"]:
        name = layer_config.get("name") or (layer_config.get("config") or {}).get("name")
        if name in layers:
            raise ValueError(f"Model config names layer '{name}' twice.")
        layers[name] = _make_layer(layer_config, custom_objects)
        pending.append((name, list(layer_config.get("inbound_nodes") or [])))
    calls = {name: [] for name in layers}  # the outputs of each replayed call, in order
    legacy = any(isinstance(node, list) for _, nodes in pending for node in nodes)
    if legacy:  # Keras 2's format: nodes as lists of [layer, node, tensor, kwargs] entries
        pending = [(name, [_from_legacy_node(node, layers) for node in nodes])
                   for name, nodes in pending]

    def lookup(history):
        name, node, out = history
        if name not in layers:
            raise ValueError(f"Model config refers to unknown layer '{name}'.")
        if node >= len(calls[name]):
            return None
        return tree.flatten(calls[name][node])[out]

    def tensor(record):
        found = lookup(record["config"]["keras_history"])
        if found is None:
            raise LookupError
        return found

    for name, layer in layers.items():
        if isinstance(layer, InputLayer):
            calls[name].append(layer._input_tensor)
    while any(nodes for _, nodes in pending):
        progressed = False
        for name, nodes in pending:
            while nodes:
                try:
                    args = _resolve(nodes[0].get("args", []), tensor)
                    kwargs = _resolve(nodes[0].get("kwargs", {}), tensor)
                except LookupError:
                    break
                if not isinstance(args, list):
                    args = [args]
                calls[name].append(layers[name](*args, **kwargs))
                nodes.pop(0)
                progressed = True
        if not progressed:
            stuck = [n for n, nodes in pending if nodes]
            raise ValueError(f"Model config cannot be rebuilt: the calls of layers {stuck} "
                             "refer to outputs that never appear.")

    def output(ref):
        name, node, out = ref[:3]
        if name in layers and _own_node_first(layers[name], legacy):
            node -= 1  # Keras counts a Functional model's own node first
        found = lookup([name, node, out])
        if found is None:
            raise ValueError(f"Model config refers to call {node} of layer '{name}', which "
                             "does not exist.")
        return found

    def structure(refs):
        if _is_ref(refs):
            return output(refs)
        if isinstance(refs, dict):
            return {k: structure(v) for k, v in refs.items()}
        return [structure(v) for v in refs]

    inputs = structure(config["input_layers"])
    outputs = structure(config["output_layers"])
    if isinstance(inputs, list) and len(inputs) == 1 and _is_ref(config["input_layers"][0]):
        inputs = inputs[0]
    if isinstance(outputs, list) and len(outputs) == 1 and _is_ref(config["output_layers"][0]):
        outputs = outputs[0]
    return cls(inputs=inputs, outputs=outputs, name=config.get("name"),
               trainable=config.get("trainable", True))
