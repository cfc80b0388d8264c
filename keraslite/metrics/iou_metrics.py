"""Intersection-over-union metrics, computed from an accumulated confusion matrix.

IoU of a class = tp / (tp + fp + fn); the metrics average it over target classes that occur.
"""

import warnings

from keraslite import backend, ops
from keraslite.metrics.metric import Metric
from keraslite.metrics.metrics_utils import confusion_matrix, shape_of


class _IoUBase(Metric):
    """Accumulates the (num_classes, num_classes) confusion matrix, in an integer dtype by
    default (float sample weights are then truncated)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int32")
        self._direction = "up"
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(shape=(num_classes, num_classes), initializer="zeros",
                                          dtype=self.dtype, name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.cast(ops.convert_to_tensor(y_true), self.dtype), (-1,))
        y_pred = ops.reshape(ops.cast(ops.convert_to_tensor(y_pred), self.dtype), (-1,))
        if sample_weight is None:
            sample_weight = 1
        else:
            sample_weight = ops.convert_to_tensor(sample_weight)
            if backend.is_float(ops.dtype(sample_weight)) and backend.is_int(self.dtype):
                warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                              "result in an incorrect weight due to type casting. Consider "
                              "using integer weights.", stacklevel=2)
        sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), self.dtype)
        if len(shape_of(sample_weight)) > 1:
            sample_weight = ops.reshape(sample_weight, (-1,))
        sample_weight = ops.broadcast_to(sample_weight, shape_of(y_true))

        # Entries outside [0, num_classes) or labelled ignore_class add nothing.
        n = self.num_classes
        keep = ops.logical_and(ops.logical_and(y_true >= 0, y_true < n),
                               ops.logical_and(y_pred >= 0, y_pred < n))
        if self.ignore_class is not None:
            keep = ops.logical_and(keep, ops.not_equal(y_true, self.ignore_class))
        zero = ops.zeros_like(y_true)
        y_true = ops.where(keep, y_true, zero)
        y_pred = ops.where(keep, y_pred, zero)
        sample_weight = ops.where(keep, sample_weight, ops.zeros_like(sample_weight))
        current = confusion_matrix(y_true, y_pred, n, weights=sample_weight, dtype=self.dtype)
        self.total_cm.assign(self.total_cm + current)


class IoU(_IoUBase):
    """Mean IoU over target_class_ids (classes that never occur are left out of the mean)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
                         dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which "
                             f"is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = ops.cast(self.total_cm, self.dtype)
        predicted = ops.sum(cm, axis=0)
        actual = ops.sum(cm, axis=1)
        tp = ops.diag(cm)
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        union = ops.cast(ops.take(predicted + actual - tp, ids), "float32")
        tp = ops.cast(ops.take(tp, ids), "float32")
        valid = ops.greater(union, 1e-9)
        iou = ops.where(valid, tp / (union + backend.epsilon()), ops.zeros_like(tp))
        num_valid = ops.sum(ops.cast(valid, "float32"))
        return ops.sum(iou, axis=self.axis) / (num_valid + backend.epsilon())

    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes,
                "target_class_ids": self.target_class_ids, "ignore_class": self.ignore_class,
                "sparse_y_true": self.sparse_y_true, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


class BinaryIoU(IoU):
    """IoU of binary labels, predictions >= threshold counting as class 1."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name,
                         dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        y_pred = ops.cast(ops.convert_to_tensor(y_pred), "float32")
        y_pred = ops.cast(y_pred >= self.threshold, self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self.dtype}


class MeanIoU(IoU):
    """IoU averaged over all classes."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """IoU with one-hot labels (and, unless sparse_y_pred, per-class scores)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self.dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """Mean IoU with one-hot labels (and, unless sparse_y_pred, per-class scores)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self.dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}
