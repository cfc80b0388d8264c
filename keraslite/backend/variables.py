"""Variables: named, mutable holders of a native tensor, shared by every backend.

A Variable is not a tensor: ops accept it (backends unwrap ``.value`` in convert_to_tensor),
and the trainer reads ``.value`` and writes back with ``assign``. Keeping the holder in the
frontend lets a training step be a pure function of tensors on every framework.

A ``StatelessScope`` makes that possible: inside it, variables read the values the scope was
given and ``assign`` records the new value in the scope instead of changing the variable. The
trainer runs the model in one, so the whole step (forward, gradients, optimizer, metrics) is a
function from old state tensors to new ones, which every backend can differentiate and compile.
"""

import contextlib
import itertools
import threading

import numpy as np

from keraslite.backend import dtypes
from keraslite.backend.keras_tensor import install_operators

_uid = itertools.count()
_scopes = threading.local()


class StatelessScope:
    """Overrides variable values: reads see ``state_mapping``, writes are collected.

    ``state_mapping`` is a list of (Variable, tensor) pairs. After the block,
    ``get_current_value(v)`` gives a variable's latest value in the scope (or None when it was
    neither given nor assigned).
    """

    def __init__(self, state_mapping=None, donate=False):
        # donate: the caller gives up the tensors in state_mapping (the trainer does, as it
        # replaces them with the step's results), so fused updates may overwrite them.
        self.donate = donate
        self._values = {}
        self._updated = {}
        for var, value in state_mapping or ():
            if not isinstance(var, Variable):
                raise ValueError(f"StatelessScope: {var!r} is not a Variable.")
            self._values[id(var)] = value

    def get_current_value(self, variable):
        return self._values.get(id(variable))

    def add_update(self, variable, value):
        self._values[id(variable)] = value
        self._updated[id(variable)] = variable

    def updated_variables(self):
        """Variables assigned inside this scope, in first-assignment order."""
        return list(self._updated.values())

    def __enter__(self):
        stack = getattr(_scopes, "stack", None)
        if stack is None:
            stack = _scopes.stack = []
        stack.append(self)
        return self

    def __exit__(self, *exc):
        _scopes.stack.pop()
        return False


def current_scope():
    stack = getattr(_scopes, "stack", None)
    return stack[-1] if stack else None


def donated():
    """True when the innermost scope lets fused updates overwrite its state tensors."""
    scope = current_scope()
    return scope is not None and scope.donate


@contextlib.contextmanager
def keep_state():
    """Within the block, state tensors are not donated (code that still reads old values after
    an update, such as the loss-scale and accumulation rollbacks)."""
    scope = current_scope()
    if scope is None:
        yield
        return
    before, scope.donate = scope.donate, False
    try:
        yield
    finally:
        scope.donate = before


@contextlib.contextmanager
def no_scope():
    """Temporarily leave the stateless scopes (to create or read real state)."""
    stack = getattr(_scopes, "stack", None)
    _scopes.stack = []
    try:
        yield
    finally:
        _scopes.stack = stack


class Variable:
    def __init__(self, initializer, shape=None, dtype=None, trainable=True, autocast=True,
                 aggregation="none", synchronization="auto", name=None):
        from keraslite import backend

        if name is not None and (not isinstance(name, str) or "/" in name):
            raise ValueError(f"Argument `name` must be a string without '/'. Received: {name!r}")
        self.name = name or f"variable_{next(_uid)}"
        self.path = self.name
        self.trainable = bool(trainable)
        self.autocast = autocast
        self.aggregation = aggregation
        self.synchronization = synchronization
        if callable(initializer):
            if shape is None:
                raise ValueError(f"Variable '{self.name}': a callable initializer needs `shape`.")
            dtype = dtypes.standardize_dtype(dtype)
            value = initializer(tuple(shape), dtype=dtype)
        else:
            value = initializer
            if dtype is None:
                dtype = getattr(value, "dtype", None) or dtypes.result_type(value)
            dtype = dtypes.standardize_dtype(dtype)
        self._value = backend.core.cast(backend.core.convert_to_tensor(value), dtype)
        # The value may be a tensor someone else holds; the trainer copies it before it lets
        # fused updates write into it (see StatelessScope's donate).
        self._shared = True
        self._dtype = dtype
        self._shape = tuple(backend.core.shape(self._value))
        if shape is not None and tuple(shape) != self._shape:
            raise ValueError(
                f"Variable '{self.name}': initial value has shape {self._shape}, "
                f"expected {tuple(shape)}."
            )

    @property
    def value(self):
        # innermost scope first: nested scopes (a gradient inside a train step) see outer values
        stack = getattr(_scopes, "stack", None)
        if stack:
            for scope in reversed(stack):
                scoped = scope._values.get(id(self))
                if scoped is not None:
                    return scoped
        return self._value

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    @property
    def ndim(self):
        return len(self._shape)

    def assign(self, value):
        from keraslite import backend

        value = backend.core.cast(backend.core.convert_to_tensor(value), self._dtype)
        shape = tuple(backend.core.shape(value))
        if shape != self._shape:
            raise ValueError(
                f"Variable '{self.path}' has shape {self._shape}; cannot assign a value of "
                f"shape {shape}."
            )
        self._assign_unchecked(value)

    def _assign_unchecked(self, value):
        """assign() for a tensor known to have this variable's dtype and shape (fused
        optimizer results)."""
        scope = current_scope()
        if scope is not None:
            scope.add_update(self, value)
        else:
            self._value = value
            self._shared = True
        return value

    def assign_add(self, value):
        from keraslite import ops

        return self.assign(ops.add(self.value, value))

    def assign_sub(self, value):
        from keraslite import ops

        return self.assign(ops.subtract(self.value, value))

    def _direct_assign(self, value):
        """Replace the value without checks (the trainer writing back a step's new state, which
        it owns)."""
        self._value = value
        self._shared = False

    def numpy(self):
        from keraslite import backend

        return backend.core.convert_to_numpy(self.value)

    def __tf_tensor__(self, dtype=None, name=None):
        # TensorFlow's conversion protocol: lets `tf_tensor + variable` work inside tf.function
        from keraslite import backend

        return self.value if dtype is None else backend.core.cast(self.value, dtype)

    def __array__(self, dtype=None, copy=None):
        out = self.numpy()
        return out.astype(dtype) if dtype is not None else out

    def __repr__(self):
        return f"<Variable path={self.path}, shape={self._shape}, dtype={self._dtype}>"

    def __len__(self):
        return self._shape[0]

    def __float__(self):
        return float(np.asarray(self.numpy()))

    def __int__(self):
        return int(np.asarray(self.numpy()))


install_operators(Variable)
