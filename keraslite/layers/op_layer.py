"""Ops called on KerasTensors become graph nodes, so `ops.add(a, b)` works in functional models.

In a saved config an op node is written as Keras 3 writes its operation classes (module
`keras.src.ops.<group>`, class name the op's name in CamelCase): the call's keyword arguments
that hold no tensor (axis, keepdims...) go to the node's config, the rest stay call arguments.
"""

import re

from keraslite.backend import KerasTensor, contract, dispatch, loader
from keraslite.layers.layer import Layer, unique_name
from keraslite.layers.node import Node
from keraslite.utils import tree


def _group_of(op_name):
    for group, ops in contract.specs().items():
        if op_name in ops:
            return group
    return None


def _camel(name):
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _has_tensor(value):
    return any(isinstance(v, KerasTensor) for v in tree.flatten(value))


class OpLayer(Layer):
    """Wraps one contract op so a functional graph can replay it."""

    def __init__(self, op_name, fn=None, name=None, static_kwargs=None):
        super().__init__(name=name or unique_name(op_name), autocast=False)
        group = _group_of(op_name)
        if group is None or group in contract.private_names():
            raise ValueError(f"Unknown operation '{op_name}' (layer '{self.name}').")
        self.op_name, self.group = op_name, group
        self.fn = fn or getattr(dispatch.group_namespace(loader.active(), group), op_name)
        self.static_kwargs = dict(static_kwargs or {})
        self.built = True

    def call(self, *args, **kwargs):
        return self.fn(*args, **kwargs, **self.static_kwargs)

    def get_config(self):
        """The whole serialized form (Keras' operation record), not only the inner config."""
        return {"module": f"keras.src.ops.{self.group}", "class_name": _camel(self.op_name),
                "config": {"name": self.name, **self.static_kwargs},
                "registered_name": _camel(self.op_name)}

    @classmethod
    def from_keras_config(cls, config):
        """An operation record of a saved model (ours or Keras')."""
        class_name = config.get("class_name", "")
        op_name = re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()
        inner = dict(config.get("config") or {})
        return cls(op_name, name=inner.pop("name", None), static_kwargs=inner)


def _record(name, impl, args, kwargs, outputs):
    if not any(isinstance(v, KerasTensor) and hasattr(v, "_keras_history")
               for v in tree.flatten((list(args), kwargs))):
        return  # not part of a graph (plain shape inference)
    static = {k: v for k, v in kwargs.items() if not _has_tensor(v)}
    dynamic = {k: v for k, v in kwargs.items() if k not in static}
    Node(OpLayer(name, impl, static_kwargs=static), list(args), dynamic, outputs)


if _record not in dispatch.SYMBOLIC_OP_HOOKS:
    dispatch.SYMBOLIC_OP_HOOKS.append(_record)
