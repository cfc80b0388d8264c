"""clone_model: the same architecture with new layers (and so new, freshly initialized weights),
by replaying a Functional model's graph or a Sequential model's stack with cloned layers."""

from keraslite.backend import KerasTensor
from keraslite.layers.input_layer import Input, InputLayer
from keraslite.layers.op_layer import OpLayer
from keraslite.utils import tree


def _default_clone(layer):
    return layer.__class__.from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None,
                recursive=False, **kwargs):
    from keraslite.models.functional import Functional
    from keraslite.models.sequential import Sequential

    if kwargs:
        raise ValueError(f"clone_model: unknown arguments {sorted(kwargs)}.")
    clone_function = clone_function or _default_clone

    def clone_layer(layer):
        if isinstance(layer, OpLayer):
            return OpLayer(layer.op_name, static_kwargs=layer.static_kwargs)
        if recursive and isinstance(layer, (Functional, Sequential)):
            return clone_model(layer, clone_function=clone_function,
                               call_function=call_function, recursive=True)
        return clone_function(layer)

    if isinstance(model, Sequential):
        return _clone_sequential(model, input_tensors, clone_layer)
    if isinstance(model, Functional):
        return _clone_functional(model, input_tensors, clone_layer, call_function)
    if input_tensors is not None or clone_function is not _default_clone:
        raise ValueError(f"clone_model: model '{model.name}' is a subclassed model, which can "
                         "only be cloned from its config (no input_tensors, no clone_function).")
    return model.__class__.from_config(model.get_config())


def _clone_sequential(model, input_tensors, clone_layer):
    from keraslite.models.sequential import Sequential

    layers = [clone_layer(layer) for layer in model.layers]
    if input_tensors is not None:
        first = tree.flatten(input_tensors)
        if len(first) != 1:
            raise ValueError(f"clone_model: Sequential model '{model.name}' takes one input "
                             f"tensor, received {len(first)}.")
        return Sequential([first[0], *layers], name=model.name, trainable=model.trainable)
    if model._stack and isinstance(model._stack[0], InputLayer):
        spec = model._stack[0]
        layers.insert(0, Input(batch_shape=spec._batch_shape, dtype=spec._dtype_name,
                               name=spec.name))
    return Sequential(layers, name=model.name, trainable=model.trainable)


def _clone_functional(model, input_tensors, clone_layer, call_function):
    from keraslite.models.functional import Functional

    if input_tensors is None:
        new_inputs = [Input(batch_shape=t.shape, dtype=t.dtype, name=t._keras_history[0].name)
                      for t in model.inputs]
    else:
        new_inputs = tree.flatten(input_tensors)
        if len(new_inputs) != len(model.inputs):
            raise ValueError(f"clone_model: model '{model.name}' has {len(model.inputs)} "
                             f"inputs, received {len(new_inputs)} input tensors.")
    mapped = {id(old): new for old, new in zip(model.inputs, new_inputs)}
    clones = {}

    def swap(value):
        return mapped[id(value)] if isinstance(value, KerasTensor) else value

    for node in model._nodes:
        layer = node.layer
        if id(layer) not in clones:
            clones[id(layer)] = clone_layer(layer)
        new_layer = clones[id(layer)]
        args = tree.map_structure(swap, node.call_args)
        kwargs = {k: tree.map_structure(swap, v) for k, v in node.call_kwargs.items()}
        outputs = (call_function(new_layer, *args, **kwargs) if call_function
                   else new_layer(*args, **kwargs))
        for old, new in zip(node.output_tensors, tree.flatten(outputs)):
            mapped[id(old)] = new
    inputs = tree.pack_sequence_as(model._inputs_struct, new_inputs) \
        if not isinstance(model._inputs_struct, KerasTensor) else new_inputs[0]
    outputs = tree.map_structure(lambda t: mapped[id(t)], model._outputs_struct)
    return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
