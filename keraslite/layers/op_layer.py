"""Ops called on KerasTensors become graph nodes, so `ops.add(a, b)` works in functional models."""

from keraslite.backend import dispatch
from keraslite.layers.layer import Layer, unique_name
from keraslite.layers.node import Node
from keraslite.utils import tree


class OpLayer(Layer):
    """Wraps one keraslite.ops function so a functional graph can replay it."""

    def __init__(self, op_name, fn):
        super().__init__(name=unique_name(op_name), autocast=False)
        self.op_name = op_name
        self.fn = fn
        self.built = True

    def call(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def get_config(self):
        raise NotImplementedError(f"Operation '{self.op_name}' in a functional graph cannot be "
                                  "serialized yet.")


def _record(name, impl, args, kwargs, outputs):
    from keraslite.backend import KerasTensor

    if not any(isinstance(v, KerasTensor) and hasattr(v, "_keras_history")
               for v in tree.flatten((list(args), kwargs))):
        return  # not part of a graph (plain shape inference)
    Node(OpLayer(name, impl), list(args), dict(kwargs), outputs)


if _record not in dispatch.SYMBOLIC_OP_HOOKS:
    dispatch.SYMBOLIC_OP_HOOKS.append(_record)
