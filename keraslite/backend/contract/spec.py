"""The `op` marker used by the contract modules.

Each contract module lists its ops as functions whose body is only a docstring: the signature
is the contract's signature, the docstring states the shape behaviour, and the decorator records
the dtype rule and whether the op is differentiable. Rules:

- ``unary_float``: float inputs keep their dtype; ints and bools compute in floatx.
- ``same``: output dtype equals the input dtype.
- ``promote``: ``result_type`` of the tensor inputs (Python scalars are weak types).
- ``promote_float``: ``result_type(*inputs, float)``: ints give floatx.
- ``bool``: output is bool.
- ``custom``: the docstring states the rule.

``grad=True`` means the op has a gradient with respect to its float inputs, which every backend
must provide (checked against numpy by the test suite).
"""

import dataclasses

GROUPS = ("core", "numpy", "nn", "math", "linalg", "image", "random", "rnn", "optimizers")
RULES = ("unary_float", "same", "promote", "promote_float", "bool", "custom")


@dataclasses.dataclass(frozen=True)
class OpSpec:
    name: str
    group: str
    rule: str
    grad: bool
    doc: str


def op(rule, grad):
    if rule not in RULES:
        raise ValueError(f"Unknown dtype rule {rule!r}")

    def mark(fn):
        group = fn.__module__.rsplit(".", 1)[-1]
        fn.__contract__ = OpSpec(fn.__name__, group, rule, grad, fn.__doc__ or "")
        return fn

    return mark
