"""The Metric base class: state held in Variables, updated only through ``assign``.

Because state changes only by ``assign``, the same update code runs eagerly (the variables
change) and inside a ``StatelessScope`` (the scope collects the new values): the trainer runs
metrics the second way, under ``keraslite.backend.jit``.
"""

import collections
import re

from keraslite import backend, ops
from keraslite.backend.variables import StatelessScope, Variable, no_scope

_name_uids = collections.defaultdict(int)
_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


def to_snake_case(name):
    """'MeanIoU' -> 'mean_io_u', 'AUC' -> 'auc' (Keras' spelling of class names as keys)."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def unique_name(base):
    """base the first time, then base_1, base_2... (as Keras names unnamed objects)."""
    count = _name_uids[base]
    _name_uids[base] += 1
    return base if count == 0 else f"{base}_{count}"


def compute_dtype(dtype):
    """The dtype a metric computes in: a dtype name, a mixed policy name or a policy object."""
    if dtype is None:
        return backend.floatx()
    if isinstance(dtype, str) and dtype in _MIXED:
        return _MIXED[dtype]
    if hasattr(dtype, "compute_dtype"):
        return backend.standardize_dtype(dtype.compute_dtype)
    return backend.standardize_dtype(dtype)


def _initial_value(initializer, shape, dtype):
    if initializer is None or initializer in ("zeros", "Zeros"):
        return ops.zeros(shape, dtype=dtype)
    if initializer in ("ones", "Ones"):
        return ops.ones(shape, dtype=dtype)
    if isinstance(initializer, str):
        try:  # other names: keraslite.initializers, imported late (it is optional here)
            from keraslite import initializers
        except ImportError:
            raise ValueError(f"Unknown initializer {initializer!r}: use 'zeros', 'ones' or a "
                             f"callable(shape, dtype).") from None
        initializer = initializers.get(initializer)
    if callable(initializer):
        return initializer(tuple(shape), dtype=dtype)
    return ops.broadcast_to(ops.cast(initializer, dtype), shape)


class Metric:
    """Base class of metrics: subclasses create state with ``add_variable`` and implement
    ``update_state`` and ``result``.

    Metrics whose state shape depends on the data override ``build(y_true_shape, y_pred_shape)``
    and set ``self.built = False`` in ``__init__``; ``update_state`` builds them on first use, and
    a trainer calls ``build`` itself before compiling the update.
    """

    def __init__(self, dtype=None, name=None):
        self._variables = []
        self._metrics = []
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._dtype = compute_dtype(dtype)
        self.built = True

    def __setattr__(self, key, value):
        # Variables and sub-metrics stored as attributes become part of `variables`.
        if not key.startswith("_") and "_variables" in self.__dict__:
            for item in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(item, Variable) and not any(v is item for v in self._variables):
                    self._variables.append(item)
                elif isinstance(item, Metric) and not any(m is item for m in self._metrics):
                    self._metrics.append(item)
        super().__setattr__(key, value)

    def _check_super_called(self):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before creating "
                f"variables or being used.")

    @property
    def dtype(self):
        return self._dtype

    @property
    def variables(self):
        out = list(self._variables)
        for metric in self._metrics:
            out.extend(metric.variables)
        return out

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        self._check_super_called()
        dtype = backend.standardize_dtype(dtype)
        with no_scope():  # real state, even when first used inside a stateless step
            value = _initial_value(initializer, tuple(shape), dtype)
            variable = Variable(value, shape=tuple(shape), dtype=dtype, trainable=False,
                                aggregation=aggregation, synchronization="on_read", name=name)
        variable.path = f"{self.name.replace('/', '>')}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    def build(self, y_true_shape=None, y_pred_shape=None):
        """Create data-dependent state; shapes are tuples (None for unknown dims). A built
        metric ignores further calls."""
        self.built = True

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} must implement update_state().")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__} must implement result().")

    def reset_state(self):
        for v in self.variables:
            v.assign(ops.zeros(v.shape, dtype=v.dtype))

    def __call__(self, *args, **kwargs):
        self._check_super_called()
        self.update_state(*args, **kwargs)
        return self.result()

    # -- pure-function forms, for compiled training steps ------------------------------------

    def _mapping(self, metric_variables):
        if not self.built:
            # Building creates variables, which a stateless (compiled) call must not do.
            raise ValueError(f"{type(self).__name__} '{self.name}' is not built: call "
                             f"build(y_true_shape, y_pred_shape) before its stateless methods.")
        variables = self.variables
        if len(metric_variables) != len(variables):
            raise ValueError(
                f"Argument `metric_variables` must hold one tensor per variable of "
                f"{type(self).__name__}().variables: expected {len(variables)}, received "
                f"{len(metric_variables)}.")
        return list(zip(variables, metric_variables))

    def _collect(self, scope, fallback):
        out = []
        for v, old in zip(self.variables, fallback):
            new = scope.get_current_value(v)
            out.append(old if new is None else new)
        return out

    def stateless_update_state(self, metric_variables, *args, **kwargs):
        """New variable values after ``update_state(*args)``, starting from metric_variables."""
        mapping = self._mapping(metric_variables)
        with StatelessScope(state_mapping=mapping) as scope:
            self.update_state(*args, **kwargs)
        return self._collect(scope, list(metric_variables))

    def stateless_result(self, metric_variables):
        with StatelessScope(state_mapping=self._mapping(metric_variables)):
            return self.result()

    def stateless_reset_state(self):
        with StatelessScope() as scope:
            self.reset_state()
        return self._collect(scope, [v.value for v in self.variables])

    # -- serialization -------------------------------------------------------------------------

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__
