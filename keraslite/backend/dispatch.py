"""Turn the active backend's implementations into callable namespaces.

``group_namespace`` gives the raw implementations (what the frontend calls on hot paths);
``public_op`` wraps one for keraslite.ops, adding symbolic inputs: when a KerasTensor is among
the arguments, the op's output shape and dtype are inferred by the backend's abstract
evaluation instead of computing anything.
"""

import functools
import types

import optree

from keraslite.backend import contract
from keraslite.backend.keras_tensor import KerasTensor

# Two distinct sizes stand in for unknown dimensions; output dimensions that differ between
# the two runs are unknown too.
_PROBE_SIZES = (83, 89)


# Called as hook(name, impl, args, kwargs, outputs) after an op ran on KerasTensors.
SYMBOLIC_OP_HOOKS = []


class MissingOpError(AttributeError):
    """The active backend does not implement a contract op."""


def _missing(group, name, backend_name):
    def op(*args, **kwargs):
        raise MissingOpError(
            f"The keraslite backend {backend_name!r} does not implement {group}.{name}."
        )

    op.__name__ = name
    return op


def group_namespace(loaded, group):
    """Namespace of the backend's implementations of one contract group."""
    mod = loaded.modules.get(group)
    ns = types.SimpleNamespace()
    for name in contract.stubs(group):
        impl = getattr(mod, name, None) if mod is not None else None
        setattr(ns, name, impl if callable(impl) else _missing(group, name, loaded.name))
    return ns


def _is_leaf_symbolic(x):
    return isinstance(x, KerasTensor)


def _has_symbolic(values):
    for a in values:
        if isinstance(a, KerasTensor):
            return True
        if isinstance(a, (list, tuple)):
            for b in a:
                if isinstance(b, KerasTensor):
                    return True
    return False


def any_symbolic(args, kwargs):
    """True when a KerasTensor is an argument or inside a list/tuple argument."""
    return _has_symbolic(args) or bool(kwargs) and _has_symbolic(kwargs.values())


def _with_sizes(tree, size):
    def fill(x):
        if isinstance(x, KerasTensor) and None in x.shape:
            shape = tuple(size if d is None else d for d in x.shape)
            return KerasTensor(shape, x.dtype, sparse=x.sparse, name=x.name)
        return x

    return optree.tree_map(fill, tree, none_is_leaf=True)


def symbolic_call(compute_output_spec, fn, args, kwargs):
    """Output KerasTensors of fn(*args, **kwargs), where args hold KerasTensors."""
    leaves = optree.tree_leaves((args, kwargs), none_is_leaf=True)
    if not any(isinstance(x, KerasTensor) and None in x.shape for x in leaves):
        return compute_output_spec(fn, *args, **kwargs)
    runs = []
    for size in _PROBE_SIZES:
        a, k = _with_sizes((args, kwargs), size)
        runs.append(compute_output_spec(fn, *a, **k))

    def merge(x, y):
        if not isinstance(x, KerasTensor):
            return x
        shape = tuple(d1 if d1 == d2 else None for d1, d2 in zip(x.shape, y.shape))
        return KerasTensor(shape, x.dtype, sparse=x.sparse)

    return optree.tree_map(merge, runs[0], runs[1], none_is_leaf=True)


def public_op(stub, impl, compute_output_spec):
    """keraslite.ops function: the contract's signature and doc, symbolic-aware."""

    @functools.wraps(stub)
    def op(*args, **kwargs):
        if any_symbolic(args, kwargs):
            outputs = symbolic_call(compute_output_spec, impl, args, kwargs)
            for hook in SYMBOLIC_OP_HOOKS:  # the functional API records the call as a node
                hook(stub.__name__, impl, args, kwargs, outputs)
            return outputs
        return impl(*args, **kwargs)

    del op.__contract__
    return op


def public_ops(loaded, groups):
    """{name: public op} for the given contract groups, skipping private core ops."""
    private = contract.private_names()
    cos = group_namespace(loaded, "core").compute_output_spec
    out = {}
    for group in groups:
        ns = group_namespace(loaded, group)
        for name, stub in contract.stubs(group).items():
            if name not in private:
                out[name] = public_op(stub, getattr(ns, name), cos)
    return out
