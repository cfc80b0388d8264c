"""Nodes of the functional graph: one per call of a layer on symbolic tensors."""

from keraslite.backend import KerasTensor
from keraslite.utils import tree


class Node:
    """Records `outputs = layer(*call_args, **call_kwargs)` with KerasTensors in the arguments.

    Each output KerasTensor gets `_keras_history = (layer, node_index, tensor_index)`, which is
    how a Functional model walks back from its outputs to its inputs.
    """

    def __init__(self, layer, call_args, call_kwargs, outputs):
        self.layer = layer
        self.call_args = list(call_args)
        self.call_kwargs = dict(call_kwargs)
        self.outputs = outputs
        self.input_tensors = [v for v in tree.flatten((self.call_args, self.call_kwargs))
                              if isinstance(v, KerasTensor)]
        self.output_tensors = [v for v in tree.flatten(outputs) if isinstance(v, KerasTensor)]
        # the common call, one tensor in and at most a training flag: models run it directly
        first = self.call_args[0] if len(self.call_args) == 1 else None
        self.single_input = first if isinstance(first, KerasTensor) and all(
            k == "training" or (k == "mask" and v is None)
            for k, v in self.call_kwargs.items()) else None
        index = len(layer._inbound_nodes)
        layer._inbound_nodes.append(self)
        for i, t in enumerate(self.output_tensors):
            t._keras_history = (layer, index, i)

    @property
    def parent_nodes(self):
        out = []
        for t in self.input_tensors:
            history = getattr(t, "_keras_history", None)
            if history is not None:
                layer, index, _ = history
                out.append(layer._inbound_nodes[index])
        return out

    @property
    def is_input(self):
        return not self.input_tensors
