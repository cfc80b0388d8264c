"""Shared pieces of the metrics: rank matching, thresholds and confusion-matrix counting."""

import numpy as np

from keraslite import backend, ops

# Score given to entries outside the top k, so that no threshold counts them as positive.
NEG_INF = -1e10

TRUE_POSITIVES = "tp"
FALSE_POSITIVES = "fp"
TRUE_NEGATIVES = "tn"
FALSE_NEGATIVES = "fn"
CONFUSION_KEYS = (TRUE_POSITIVES, FALSE_POSITIVES, TRUE_NEGATIVES, FALSE_NEGATIVES)


def shape_of(x):
    return tuple(ops.shape(x))


def same_rank_shapes(s1, s2, expand_rank_1=True):
    """Shapes after ``squeeze_or_expand_to_same_rank`` (static: build needs it before data)."""
    s1, s2 = tuple(s1), tuple(s2)
    if len(s1) == len(s2) + 1 and s1[-1] == 1:
        if len(s2) == 1 and expand_rank_1:
            s2 = s2 + (1,)
        else:
            s1 = s1[:-1]
    elif len(s2) == len(s1) + 1 and s2[-1] == 1:
        if len(s1) == 1 and expand_rank_1:
            s1 = s1 + (1,)
        else:
            s2 = s2[:-1]
    return s1, s2


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks equal when they differ by one trailing axis of size 1 (Keras' rule: a rank-1
    partner is expanded rather than the other squeezed, unless expand_rank_1 is False)."""
    s1, s2 = shape_of(x1), shape_of(x2)
    t1, t2 = same_rank_shapes(s1, s2, expand_rank_1)
    if len(t1) != len(s1):
        x1 = ops.expand_dims(x1, -1) if len(t1) > len(s1) else ops.squeeze(x1, -1)
    if len(t2) != len(s2):
        x2 = ops.expand_dims(x2, -1) if len(t2) > len(s2) else ops.squeeze(x2, -1)
    return x1, x2


def to_list(x):
    return list(x) if isinstance(x, (list, tuple, np.ndarray)) else [x]


def parse_init_thresholds(thresholds, default_threshold=0.5):
    if thresholds is not None:
        bad = [t for t in to_list(thresholds) if t is None or t < 0 or t > 1]
        if bad:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {bad}")
        return to_list(thresholds)
    return [default_threshold]


def is_evenly_distributed_thresholds(thresholds):
    """True for thresholds i / (n - 1), i = 0..n-1 with n >= 3: those can be counted by
    bucketing each prediction once instead of comparing it with every threshold."""
    n = len(thresholds)
    if n < 3:
        return False
    even = np.arange(n, dtype=np.float32) / (n - 1)
    return bool(np.allclose(np.asarray(thresholds, dtype=np.float64), even,
                            atol=backend.epsilon()))


def filter_top_k(x, k):
    """x where an entry is among the k largest of its row, NEG_INF elsewhere."""
    _, idx = ops.top_k(x, k)
    in_top = ops.sum(ops.one_hot(idx, shape_of(x)[-1], dtype=x.dtype), axis=-2)
    return x * in_top + NEG_INF * (1 - in_top)


def _reverse_cumsum(x):
    return ops.flip(ops.cumsum(ops.flip(x, axis=0), axis=0), axis=0)


def _bucket_counts(variables, y_true, y_pred, num_thresholds, weights, multi_label,
                   with_epsilon):
    """Counts for thresholds i / (T - 1): a prediction p exceeds thresholds 0..b with
    b = ceil(p * (T - 1)) - 1, so summing weights per bucket b and taking a reverse cumulative
    sum gives the positives above every threshold in one pass."""
    t = num_thresholds
    y_pred = ops.clip(y_pred, 0.0, 1.0)
    bucket = ops.ceil(y_pred * ops.cast(t - 1, y_pred.dtype)) - 1
    if with_epsilon:
        bucket = ops.relu(bucket)  # the first threshold is below 0: every prediction passes it
    bucket = ops.cast(bucket, "int32")
    true_w = y_true * weights
    false_w = (1.0 - y_true) * weights
    # Bucket -1 (p == 0 with a threshold at exactly 0) passes no threshold: it joins the totals
    # (so it counts as a negative prediction) but no bucket.
    passes = bucket >= 0
    bucket = ops.maximum(bucket, 0)
    if multi_label:
        num_labels = shape_of(y_pred)[-1]
        ids = ops.reshape(bucket + ops.arange(num_labels, dtype="int32") * t, [-1])

        def count(w):
            sums = ops.segment_sum(ops.reshape(w, [-1]), ids, num_segments=t * num_labels)
            return ops.transpose(ops.reshape(sums, (num_labels, t)))

        totals_axis = 0
    else:
        ids = ops.reshape(bucket, [-1])

        def count(w):
            return ops.segment_sum(ops.reshape(w, [-1]), ids, num_segments=t)

        totals_axis = None
    tp = _reverse_cumsum(count(ops.where(passes, true_w, ops.zeros_like(true_w))))
    fp = _reverse_cumsum(count(ops.where(passes, false_w, ops.zeros_like(false_w))))
    counts = {TRUE_POSITIVES: tp, FALSE_POSITIVES: fp}
    if TRUE_NEGATIVES in variables:
        counts[TRUE_NEGATIVES] = ops.sum(false_w, axis=totals_axis) - fp
    if FALSE_NEGATIVES in variables:
        counts[FALSE_NEGATIVES] = ops.sum(true_w, axis=totals_axis) - tp
    return counts


def _compare_counts(variables, y_true, y_pred, thresholds, weights, multi_label):
    """Counts for arbitrary thresholds: compare every prediction with every threshold."""
    if not multi_label:
        y_true, y_pred, weights = (ops.reshape(a, [-1]) for a in (y_true, y_pred, weights))
    thr = ops.reshape(thresholds, (-1,) + (1,) * len(shape_of(y_pred)))
    pred_pos = ops.greater(ops.expand_dims(y_pred, 0), thr)
    label_pos = ops.expand_dims(ops.cast(y_true, "bool"), 0)
    zero = ops.zeros_like(weights)

    def count(label, pred):
        return ops.sum(ops.where(ops.logical_and(label, pred), weights, zero), axis=1)

    pred_neg, label_neg = ops.logical_not(pred_pos), ops.logical_not(label_pos)
    cases = {TRUE_POSITIVES: (label_pos, pred_pos), FALSE_POSITIVES: (label_neg, pred_pos),
             TRUE_NEGATIVES: (label_neg, pred_neg), FALSE_NEGATIVES: (label_pos, pred_neg)}
    return {key: count(*cases[key]) for key in variables}


def update_confusion_matrix_variables(variables, y_true, y_pred, thresholds, top_k=None,
                                      class_id=None, sample_weight=None, multi_label=False,
                                      label_weights=None, thresholds_distributed_evenly=False):
    """Add the (weighted) true/false positive/negative counts at each threshold to the
    variables given as {"tp"|"fp"|"tn"|"fn": Variable}.

    Predictions count as positive when strictly above a threshold. Without multi_label all
    entries are pooled; with it, counts are kept per label (last axis).
    """
    if multi_label and label_weights is not None:
        raise ValueError("`label_weights` must be applied outside "
                         "update_confusion_matrix_variables when `multi_label` is True.")
    invalid = [k for k in variables if k not in CONFUSION_KEYS]
    if not variables or invalid:
        raise ValueError(f"Invalid confusion matrix keys {invalid or list(variables)}: expected "
                         f"some of {list(CONFUSION_KEYS)}.")
    dtype = next(iter(variables.values())).dtype
    thresholds = to_list(thresholds)
    with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
    num_thresholds = len(thresholds)

    y_true = ops.cast(ops.convert_to_tensor(y_true), dtype)
    y_pred = ops.cast(ops.convert_to_tensor(y_pred), dtype)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = ops.expand_dims(ops.cast(ops.convert_to_tensor(sample_weight), dtype), -1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight,
                                                          expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if len(shape_of(y_pred)) == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {shape_of(y_pred)}")
        y_true = y_true[..., class_id:class_id + 1]  # keep the axis, to match sample_weight
        y_pred = y_pred[..., class_id:class_id + 1]

    weights = ops.ones_like(y_pred)
    if sample_weight is not None:
        weights = weights * ops.broadcast_to(sample_weight, shape_of(y_pred))
    if label_weights is not None:
        label_weights = ops.cast(ops.convert_to_tensor(label_weights), dtype)
        weights = weights * ops.broadcast_to(label_weights, shape_of(y_pred))

    if thresholds_distributed_evenly:
        y_true = ops.cast(ops.cast(y_true, "bool"), dtype)
        counts = _bucket_counts(variables, y_true, y_pred, num_thresholds, weights,
                                multi_label, with_epsilon)
    else:
        thr = ops.convert_to_tensor(thresholds, dtype=dtype)
        counts = _compare_counts(variables, y_true, y_pred, thr, weights, multi_label)
    for key, var in variables.items():
        var.assign(var + ops.cast(counts[key], var.dtype))


def confusion_matrix(labels, predictions, num_classes, weights=None, dtype="int32"):
    """(num_classes, num_classes) matrix: [i, j] sums the weights of label i predicted as j."""
    labels = ops.cast(ops.convert_to_tensor(labels), dtype)
    predictions = ops.cast(ops.convert_to_tensor(predictions), dtype)
    labels, predictions = squeeze_or_expand_to_same_rank(labels, predictions)
    indices = ops.cast(ops.stack([labels, predictions], axis=1), "int32")
    values = ops.ones_like(predictions) if weights is None else ops.cast(weights, dtype)
    return ops.scatter(indices, values, (int(num_classes), int(num_classes)))
