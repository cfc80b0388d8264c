"""The backend contract: every op a backend implements, grouped as Keras groups them.

``specs()`` lists them; ``check_backend(package)`` compares a backend package against them.
"""

import importlib
import inspect

from keraslite.backend.contract.spec import GROUPS, OpSpec


def group_module(group):
    return importlib.import_module(f"keraslite.backend.contract.{group}")


def stubs(group):
    """{name: stub function} of one contract group, in file order."""
    mod = group_module(group)
    return {k: v for k, v in vars(mod).items() if hasattr(v, "__contract__")}


def specs():
    """{group: {name: OpSpec}} for the whole contract."""
    return {g: {k: v.__contract__ for k, v in stubs(g).items()} for g in GROUPS}


def private_names():
    """Contract ops that keraslite.ops does not re-export (they live in keraslite.backend)."""
    return set(group_module("core").PRIVATE) | set(group_module("nn").PRIVATE)


def _signature_problem(stub, impl):
    want = inspect.signature(stub).parameters
    try:
        have = inspect.signature(impl).parameters
    except (TypeError, ValueError):
        return None  # builtins without a signature are accepted as-is
    want_l = [(p.name, p.kind, p.default) for p in want.values()]
    have_l = [(p.name, p.kind, p.default) for p in have.values()]
    if want_l != have_l:
        return f"signature {inspect.signature(impl)} != contract {inspect.signature(stub)}"
    return None


def check_backend(modules):
    """Problems of a backend, as {group.op: reason}; empty when it meets the contract.

    ``modules`` maps group name to the backend's module (or None when the group is missing).
    """
    problems = {}
    for group in GROUPS:
        mod = modules.get(group)
        for name, stub in stubs(group).items():
            impl = getattr(mod, name, None) if mod is not None else None
            if impl is None or not callable(impl):
                problems[f"{group}.{name}"] = "missing"
                continue
            reason = _signature_problem(stub, impl)
            if reason:
                problems[f"{group}.{name}"] = reason
    return problems


__all__ = ["GROUPS", "OpSpec", "check_backend", "private_names", "specs", "stubs"]
