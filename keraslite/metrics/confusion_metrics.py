"""Metrics built on confusion-matrix counts at one or more thresholds: the four counts,
precision, recall, AUC and the "X at fixed Y" metrics."""

import numpy as np

from keraslite import backend, ops
from keraslite.metrics import metrics_utils as mu
from keraslite.metrics.metric import Metric


def _zeros_state(metric, shape, *names):
    return [metric.add_variable(shape=shape, initializer="zeros", name=n) for n in names]


class _ConfusionMatrixConditionCount(Metric):
    """Weighted count of one confusion-matrix cell ("tp", "fp", "tn" or "fn") per threshold."""

    _cell = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=0.5)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(
            self.thresholds)
        self.accumulator = self.add_variable(shape=(len(self.thresholds),),
                                             initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        mu.update_confusion_matrix_variables(
            {self._cell: self.accumulator}, y_true, y_pred, self.thresholds,
            sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self):
        return self.accumulator[0] if len(self.thresholds) == 1 else self.accumulator.value

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class FalsePositives(_ConfusionMatrixConditionCount):
    _cell = mu.FALSE_POSITIVES


class FalseNegatives(_ConfusionMatrixConditionCount):
    _cell = mu.FALSE_NEGATIVES


class TrueNegatives(_ConfusionMatrixConditionCount):
    _cell = mu.TRUE_NEGATIVES


class TruePositives(_ConfusionMatrixConditionCount):
    _cell = mu.TRUE_POSITIVES


class _PrecisionRecallBase(Metric):
    """tp and one other count per threshold; top_k keeps only each row's k best scores and
    class_id looks at a single class."""

    _other = None  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        # With top_k and no thresholds, every kept entry counts as a positive prediction.
        default = 0.5 if top_k is None else mu.NEG_INF
        self.thresholds = mu.parse_init_thresholds(thresholds, default_threshold=default)
        self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(
            self.thresholds)
        other = "false_positives" if self._other == mu.FALSE_POSITIVES else "false_negatives"
        self.true_positives, other_var = _zeros_state(self, (len(self.thresholds),),
                                                      "true_positives", other)
        setattr(self, other, other_var)

    def _counts(self):
        return {mu.TRUE_POSITIVES: self.true_positives, self._other: self._other_variable()}

    def update_state(self, y_true, y_pred, sample_weight=None):
        mu.update_confusion_matrix_variables(
            self._counts(), y_true, y_pred, self.thresholds, top_k=self.top_k,
            class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def result(self):
        tp = self.true_positives.value
        out = ops.divide_no_nan(tp, tp + self._other_variable().value)
        return out[0] if len(self.thresholds) == 1 else out

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds,
                "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecallBase):
    """tp / (tp + fp): the fraction of positive predictions that are right."""

    _other = mu.FALSE_POSITIVES

    def _other_variable(self):
        return self.false_positives


class Recall(_PrecisionRecallBase):
    """tp / (tp + fn): the fraction of positive labels that are found."""

    _other = mu.FALSE_NEGATIVES

    def _other_variable(self):
        return self.false_negatives


def _rate(num, other):
    return ops.divide_no_nan(num, num + other)


class SensitivitySpecificityBase(Metric):
    """The four counts at num_thresholds evenly spaced thresholds in [0, 1]; subclasses report
    the best of one rate among thresholds where another rate reaches `value`."""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. "
                             f"Received: num_thresholds={num_thresholds}")
        self.value = value
        self.class_id = class_id
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        (self.true_positives, self.false_positives, self.true_negatives,
         self.false_negatives) = _zeros_state(self, (len(self.thresholds),), "true_positives",
                                              "false_positives", "true_negatives",
                                              "false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self.thresholds, class_id=self.class_id, sample_weight=sample_weight,
            thresholds_distributed_evenly=self._thresholds_distributed_evenly)

    def _rates(self):
        tp, fp = self.true_positives.value, self.false_positives.value
        tn, fn = self.true_negatives.value, self.false_negatives.value
        return {"sensitivity": _rate(tp, fn), "specificity": _rate(tn, fp),
                "precision": _rate(tp, fp)}

    def _best(self, constrained, dependent):
        """max of `dependent` over thresholds where `constrained` >= value (0 if none)."""
        feasible = ops.greater_equal(constrained, self.value)
        return ops.max(ops.where(feasible, dependent, ops.zeros_like(dependent)))

    def get_config(self):
        return {**super().get_config(), "class_id": self.class_id}


def _check_unit(arg, value):
    if value < 0 or value > 1:
        raise ValueError(f"Argument `{arg}` must be in the range [0, 1]. Received: "
                         f"{arg}={value}")


class SensitivityAtSpecificity(SensitivitySpecificityBase):
    """Best sensitivity (recall) where specificity >= the given value."""

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("specificity", specificity)
        self.specificity = specificity
        self.num_thresholds = num_thresholds
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._best(r["specificity"], r["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "specificity": self.specificity}


class SpecificityAtSensitivity(SensitivitySpecificityBase):
    """Best specificity where sensitivity (recall) >= the given value."""

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("sensitivity", sensitivity)
        self.sensitivity = sensitivity
        self.num_thresholds = num_thresholds
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._best(r["sensitivity"], r["specificity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "sensitivity": self.sensitivity}


class PrecisionAtRecall(SensitivitySpecificityBase):
    """Best precision where recall >= the given value."""

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("recall", recall)
        self.recall = recall
        self.num_thresholds = num_thresholds
        super().__init__(value=recall, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._best(r["sensitivity"], r["precision"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "recall": self.recall}


class RecallAtPrecision(SensitivitySpecificityBase):
    """Best recall where precision >= the given value."""

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        _check_unit("precision", precision)
        self.precision = precision
        self.num_thresholds = num_thresholds
        super().__init__(value=precision, num_thresholds=num_thresholds, class_id=class_id,
                         name=name, dtype=dtype)

    def result(self):
        r = self._rates()
        return self._best(r["precision"], r["sensitivity"])

    def get_config(self):
        return {**super().get_config(), "num_thresholds": self.num_thresholds,
                "precision": self.precision}


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "majoring", "minoring")


def _curve_name(curve):
    key = getattr(curve, "value", curve)  # also accepts Keras' AUCCurve enum members
    if isinstance(key, str) and key in ("ROC", "roc", "PR", "pr", "PRGAIN", "prgain"):
        return _CURVES[key.lower()]
    raise ValueError(f'Invalid AUC curve value: "{curve}". Expected values are '
                     f'["PR", "ROC", "PRGAIN"]')


def _summation_name(method):
    key = getattr(method, "value", method)
    if isinstance(key, str) and key.lower() in _SUMMATIONS and key in (key.lower(),
                                                                       key.capitalize()):
        return key.lower()
    raise ValueError(f'Invalid AUC summation method value: "{method}". Expected values are '
                     f'["interpolation", "majoring", "minoring"]')


class AUC(Metric):
    """Area under the ROC, PR or PR-gain curve, approximated by a Riemann sum over
    num_thresholds thresholds (or the given ones, with -eps and 1+eps added at the ends)."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self._direction = "up"
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            thresholds = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = mu.is_evenly_distributed_thresholds(
                [0.0] + thresholds + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            thresholds = [(i + 1) * 1.0 / (num_thresholds - 1)
                          for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        # The end points sit just outside [0, 1] so that 0 and 1 predictions are counted.
        eps = backend.epsilon()
        self._thresholds = np.array([0.0 - eps] + thresholds + [1.0 + eps])
        self.curve = _curve_name(curve)
        self.summation_method = _summation_name(summation_method)
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else ops.convert_to_tensor(label_weights, dtype=self.dtype))
        self._label_weights_list = (None if label_weights is None
                                    else [float(w) for w in np.asarray(label_weights).ravel()])
        self._from_logits = from_logits
        self.built = False
        if multi_label:
            if num_labels:
                self.build(None, (None, num_labels))
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self.build(None, None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def build(self, y_true_shape=None, y_pred_shape=None):
        if self.built:  # state exists already (e.g. built by the trainer)
            return
        if self.multi_label:
            if y_pred_shape is None or len(y_pred_shape) != 2:
                rank = None if y_pred_shape is None else len(y_pred_shape)
                raise ValueError(f"`y_pred` must have rank 2 when `multi_label=True`. Found "
                                 f"rank {rank}. Full shape received for `y_pred`: "
                                 f"{y_pred_shape}")
            self._num_labels = y_pred_shape[1]
            shape = (self.num_thresholds, self._num_labels)
        else:
            shape = (self.num_thresholds,)
        self._build_input_shape = y_pred_shape
        (self.true_positives, self.false_positives, self.true_negatives,
         self.false_negatives) = _zeros_state(self, shape, "true_positives", "false_positives",
                                              "true_negatives", "false_negatives")
        self.built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.convert_to_tensor(y_pred)
        if not self.built:
            self.build(None, tuple(ops.shape(y_pred)))
        if self._from_logits:
            y_pred = ops.sigmoid(y_pred)
        mu.update_confusion_matrix_variables(
            {mu.TRUE_POSITIVES: self.true_positives, mu.TRUE_NEGATIVES: self.true_negatives,
             mu.FALSE_POSITIVES: self.false_positives, mu.FALSE_NEGATIVES: self.false_negatives},
            y_true, y_pred, self._thresholds.tolist(),
            thresholds_distributed_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight, multi_label=self.multi_label,
            # Per-label weights of multi-label AUC weight the per-label areas in result().
            label_weights=None if self.multi_label else self.label_weights)

    def _average(self, per_threshold):
        if not self.multi_label:
            return ops.sum(per_threshold)
        by_label = ops.sum(per_threshold, axis=0)
        if self.label_weights is None:
            return ops.mean(by_label)
        return ops.divide_no_nan(ops.sum(by_label * self.label_weights),
                                 ops.sum(self.label_weights))

    def interpolate_pr_auc(self):
        """PR AUC with precision interpolated between thresholds (Davis & Goadrich 2006):
        between two thresholds tp grows linearly in p = tp + fp, which integrates in closed
        form."""
        tp, fp, fn = (v.value for v in (self.true_positives, self.false_positives,
                                        self.false_negatives))
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = ops.divide_no_nan(dtp, ops.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both_positive = ops.logical_and(p[:-1] > 0, p[1:] > 0)
        p_ratio = ops.where(both_positive, ops.divide_no_nan(p[:-1], ops.maximum(p[1:], 0)),
                            ops.ones_like(p[1:]))
        increments = ops.divide_no_nan(slope * (dtp + intercept * ops.log(p_ratio)),
                                       ops.maximum(tp[1:] + fn[1:], 0))
        return self._average(increments)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = (v.value for v in (self.true_positives, self.false_positives,
                                            self.true_negatives, self.false_negatives))
        recall = _rate(tp, fn)
        if self.curve == "ROC":
            x, y = _rate(fp, tn), recall
        elif self.curve == "PR":
            x, y = recall, _rate(tp, fp)
        else:  # PR-gain: gains relative to a classifier that always predicts positive
            scale = ops.divide_no_nan(tp + fn, tn + fp)
            no_tp = ops.equal(tp, 0.0)
            recall_gain = ops.where(no_tp, ops.zeros_like(tp),
                                    1.0 - scale * ops.divide_no_nan(fn, tp))
            precision_gain = ops.where(no_tp, ops.ones_like(tp),
                                       1.0 - scale * ops.divide_no_nan(fp, tp))
            x, y = ops.maximum(recall_gain, 0.0), precision_gain
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = ops.minimum(y[:-1], y[1:])
        else:
            heights = ops.maximum(y[:-1], y[1:])
        return self._average((x[:-1] - x[1:]) * heights)

    def reset_state(self):
        if self.built:
            super().reset_state()

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": self._label_weights_list, "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = [float(t) for t in self._thresholds[1:-1]]
        return config
