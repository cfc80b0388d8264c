"""Regression metrics: squared, absolute, percentage and log errors, cosine similarity, log-cosh
and the R2 score. The error functions are keraslite.losses' (as keras.metrics exports them)."""

from keraslite import ops
from keraslite.losses.losses import (
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from keraslite.metrics.metric import Metric
from keraslite.metrics.metrics_utils import (
    same_rank_shapes,
    shape_of,
    squeeze_or_expand_to_same_rank,
)
from keraslite.metrics.reduction_metrics import Mean, MeanMetricWrapper

__all__ = [
    "CosineSimilarity", "LogCoshError", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "R2Score", "RootMeanSquaredError",
    "cosine_similarity", "huber", "log_cosh", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
]


def _prepare(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine of the angle between label and prediction along axis (1 = same direction)."""
    y_true, y_pred = _prepare(y_true, y_pred)
    return ops.sum(ops.normalize(y_true, axis=axis) * ops.normalize(y_pred, axis=axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(fn=mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanAbsolutePercentageError(MeanMetricWrapper):
    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class RootMeanSquaredError(Mean):
    """Square root of the weighted mean squared error (over every entry)."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(ops.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return ops.sqrt(super().result())


class CosineSimilarity(MeanMetricWrapper):
    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"

    def get_config(self):
        # Keras leaves `axis` out (so it is lost on reload); keeping it loads fine in Keras.
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


class LogCoshError(MeanMetricWrapper):
    def __init__(self, name="logcosh", dtype=None):
        super().__init__(log_cosh, name, dtype=dtype)
        self._direction = "down"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class R2Score(Metric):
    """Coefficient of determination, per output column then aggregated; num_regressors > 0
    gives the adjusted score. Inputs are (batch_size, output_dim)."""

    _AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if class_aggregation not in self._AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of "
                f"{self._AGGREGATIONS}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value "
                             f">= 0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self.built = False

    def build(self, y_true_shape, y_pred_shape):
        if self.built:  # state exists already (e.g. built by the trainer)
            return
        y_true_shape, y_pred_shape = same_rank_shapes(y_true_shape, y_pred_shape)
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                f"R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}.")
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                f"R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                f"fully defined (not None). Received input shapes: y_pred.shape={y_pred_shape} "
                f"and y_true.shape={y_true_shape}.")
        n = (y_pred_shape[-1],)
        self.squared_sum = self.add_variable(shape=n, initializer="zeros", name="squared_sum")
        self.sum = self.add_variable(shape=n, initializer="zeros", name="sum")
        self.total_mse = self.add_variable(shape=n, initializer="zeros", name="residual")
        self.count = self.add_variable(shape=n, initializer="zeros", name="count")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self.built:
            self.build(shape_of(y_true), shape_of(y_pred))
        sample_weight = ops.cast(ops.convert_to_tensor(1 if sample_weight is None
                                                       else sample_weight), self.dtype)
        if len(shape_of(sample_weight)) == 1:
            sample_weight = ops.expand_dims(sample_weight, 1)
        sample_weight = ops.broadcast_to(sample_weight, shape_of(y_true))
        weighted = y_true * sample_weight
        self.sum.assign(self.sum + ops.sum(weighted, axis=0))
        self.squared_sum.assign(self.squared_sum + ops.sum(y_true * weighted, axis=0))
        self.total_mse.assign(self.total_mse
                              + ops.sum(ops.square(y_true - y_pred) * sample_weight, axis=0))
        self.count.assign(self.count + ops.sum(sample_weight, axis=0))
        self.num_samples.assign(self.num_samples + ops.size(y_true))

    def result(self):
        total_sum, count = self.sum.value, self.count.value
        total = self.squared_sum.value - total_sum * (total_sum / count)
        raw = 1 - self.total_mse.value / total
        raw = ops.where(ops.isinf(raw), ops.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            score = ops.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = ops.sum(total * raw) / ops.sum(total)
        else:
            score = raw
        if self.num_regressors:
            # Adjusted only when n - 1 > p; otherwise (too few samples) Keras falls back to the
            # plain score. Chosen with `where` so that it also works on traced values.
            n = ops.cast(self.num_samples, "float32")
            p = float(self.num_regressors)
            adjusted = 1.0 - (1.0 - score) * (n - 1.0) / (n - p - 1.0)
            score = ops.where(n - 1.0 > p, adjusted, score)
        return score

    def get_config(self):
        return {**super().get_config(), "class_aggregation": self.class_aggregation,
                "num_regressors": self.num_regressors}
