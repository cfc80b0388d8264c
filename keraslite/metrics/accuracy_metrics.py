"""Accuracy metrics: the fraction of predictions matching the labels, under several encodings.

The functions return per-entry matches (floatx 0/1); the classes average them over samples.
"""

from keraslite import backend, ops
from keraslite.metrics.metrics_utils import shape_of, squeeze_or_expand_to_same_rank
from keraslite.metrics.reduction_metrics import MeanMetricWrapper


def _matches(a, b):
    return ops.cast(ops.equal(a, b), backend.floatx())


def _squeeze_last_if_same_rank(y_true, y_pred, need_unit_last=False):
    """Drop y_true's trailing axis when it has y_pred's rank (labels given as (..., 1))."""
    t_shape = shape_of(y_true)
    if len(t_shape) == len(shape_of(y_pred)) and (not need_unit_last or t_shape[-1] == 1):
        return ops.squeeze(y_true, -1), t_shape
    return y_true, None


def accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return _matches(y_true, y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = ops.cast(ops.greater(y_pred, ops.convert_to_tensor(threshold)), y_true.dtype)
    return _matches(y_true, y_pred)


def categorical_accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.argmax(ops.convert_to_tensor(y_true), axis=-1), y_pred.dtype)
    y_true, restore = _squeeze_last_if_same_rank(y_true, y_pred)
    matches = _matches(y_true, ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype))
    return matches if restore is None else ops.reshape(matches, restore)


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype)
    y_true, restore = _squeeze_last_if_same_rank(y_true, y_pred, need_unit_last=True)
    matches = _matches(y_true, ops.cast(ops.argmax(y_pred, axis=-1), y_true.dtype))
    if restore is not None:
        matches = ops.reshape(matches, restore)
    shape = shape_of(matches)
    if len(shape) > 1 and shape[-1] == 1:
        matches = ops.squeeze(matches, -1)
    return matches


def _clamp_k(k, y_pred):
    """k no larger than the number of classes (any larger k means "every class")."""
    classes = shape_of(y_pred)[-1]
    return k if classes is None else min(k, classes)


def _rows(y_true, y_pred):
    """Flatten to (rows,) labels and (rows, classes) scores; also the labels' original shape."""
    t_shape = shape_of(y_true)
    if len(shape_of(y_pred)) > 2:
        y_pred = ops.reshape(y_pred, (-1, shape_of(y_pred)[-1]))
    if len(t_shape) > 1:
        return ops.reshape(y_true, (-1,)), y_pred, t_shape
    return y_true, y_pred, None


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.argmax(ops.convert_to_tensor(y_true), axis=-1)
    y_true, y_pred, restore = _rows(y_true, y_pred)
    matches = ops.cast(ops.in_top_k(ops.cast(y_true, "int32"), y_pred, k=_clamp_k(k, y_pred)),
                       backend.floatx())
    return matches if restore is None else ops.reshape(matches, restore)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """With from_sorted_ids, y_pred holds class ids sorted by decreasing score."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), y_pred.dtype if from_sorted_ids else "int32")
    y_true, y_pred, restore = _rows(y_true, y_pred)
    if from_sorted_ids:
        matches = ops.any(ops.equal(ops.expand_dims(y_true, 1), y_pred[:, :k]), axis=1)
    else:
        matches = ops.in_top_k(y_true, y_pred, k=_clamp_k(k, y_pred))
    matches = ops.cast(matches, backend.floatx())
    return matches if restore is None else ops.reshape(matches, restore)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class BinaryAccuracy(MeanMetricWrapper):
    """How often (prediction > threshold) equals the binary label."""

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the prediction equals the argmax of the one-hot label."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of the prediction equals the integer label."""

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the k highest predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k
        self._direction = "up"

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the k highest predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids
        self._direction = "up"

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:  # only written when set, as Keras does
            config["from_sorted_ids"] = True
        return config
