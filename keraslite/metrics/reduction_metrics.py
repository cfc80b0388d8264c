"""Metrics that accumulate values: Sum, Mean, and MeanMetricWrapper (the mean of fn(y_true,
y_pred) over samples)."""

from keraslite import ops
from keraslite.losses.loss import apply_mask, get_keras_mask
from keraslite.metrics.metric import Metric
from keraslite.metrics.metrics_utils import shape_of, squeeze_or_expand_to_same_rank
from keraslite.saving import serialization_lib


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """(per-sample values, per-sample weights): values are weighted, then reduced with reduce_fn
    over the axes past the weights' rank, and finally over all but the first axis."""
    mask = get_keras_mask(values)
    values = ops.cast(ops.convert_to_tensor(values), dtype)
    if sample_weight is not None:
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), dtype)
        sample_weight = apply_mask(sample_weight, mask, dtype, reduction="sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        w_ndim, v_ndim = len(shape_of(sample_weight)), len(shape_of(values))
        if v_ndim > w_ndim:
            values = reduce_fn(values, axis=tuple(range(w_ndim, v_ndim)))
        # Broadcasting first makes the weight sum count every value the weight applies to.
        sample_weight = ops.broadcast_to(sample_weight, shape_of(values))
        values = values * sample_weight
        if w_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, w_ndim)))
    v_ndim = len(shape_of(values))
    if v_ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, v_ndim)))
    return values, sample_weight


class Sum(Metric):
    """Weighted sum of the values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, ops.sum, self.dtype)
        self.total.assign_add(ops.sum(values))

    def result(self):
        return ops.cast(self.total, self.dtype)


class Mean(Metric):
    """Weighted mean of the values seen (per sample: extra axes are averaged first)."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", dtype=self.dtype,
                                       name="count")

    def update_state(self, values, sample_weight=None):
        if (type(sample_weight) in (int, float) and getattr(values, "shape", None) == ()
                and get_keras_mask(values) is None):
            # one scalar with a Python weight (the trainer's loss tracker, every step)
            self.total.assign_add(ops.multiply(ops.cast(values, self.dtype), sample_weight))
            self.count.assign_add(sample_weight)
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, ops.mean,
                                                            self.dtype)
        self.total.assign_add(ops.sum(values))
        if sample_weight is not None:
            count = ops.sum(sample_weight)
        else:
            shape = shape_of(values)
            count = shape[0] if shape else 1
        self.count.assign_add(ops.cast(count, self.dtype))

    def result(self):
        return ops.divide_no_nan(self.total, ops.cast(self.count, self.dtype))


def _registry():
    from keraslite.metrics import registry  # late: registry imports every metric module

    return registry


class MeanMetricWrapper(Mean):
    """Mean of ``fn(y_true, y_pred, **kwargs)`` over the samples seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if any(fn is f for f in _registry().LOSS_FUNCTIONS):
            self._direction = "down"  # a loss: smaller is better

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_keras_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        sample_weight = apply_mask(sample_weight, mask, self.dtype, reduction="sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {**super().get_config(),
                  "fn": serialization_lib.serialize_nested_object(self._fn)}
        config.update(serialization_lib.serialize_nested_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = serialization_lib.deserialize_keras_object(
                config["fn"], module_objects=_registry().METRIC_FUNCTIONS, kind="metric function")
        return cls(**config)
