"""Keras 3's built-in losses: each as a function returning per-sample values, and as a Loss
class that adds weighting and reduction. Names, signatures, defaults and config keys are
Keras'; so are the numerics (clipping, epsilon placement, dtype of intermediate constants),
so results agree with Keras to rounding.
"""

import inspect
import warnings

from keraslite import config, ops
from keraslite.losses.loss import (
    Loss,
    LossFunctionWrapper,
    dtype_name,
    set_keras_mask,
    squeeze_or_expand_to_same_rank,
    static_shape,
)
from keraslite.saving import deserialize_keras_object, serialize_keras_object

# ------------------------------------------------------------------------------------------
# shared checks and conversions


def _shape_error(loss, y_true, y_pred, rule):
    return ValueError(f"Loss `{loss}`: y_true of shape {static_shape(y_true)} does not fit "
                      f"y_pred of shape {static_shape(y_pred)}: {rule}.")


def _dim_fits(a, b):
    return a is None or b is None or a == b


def _check_broadcastable(loss, y_true, y_pred):
    for a, b in zip(reversed(static_shape(y_true)), reversed(static_shape(y_pred))):
        if not (_dim_fits(a, b) or a == 1 or b == 1):
            raise _shape_error(loss, y_true, y_pred, "the shapes must broadcast together")


def _check_same_shape(loss, y_true, y_pred):
    st, sp = static_shape(y_true), static_shape(y_pred)
    if len(st) != len(sp) or not all(map(_dim_fits, st, sp)):
        raise _shape_error(loss, y_true, y_pred, "the shapes must be equal")


def _tensors(y_true, y_pred):
    """y_pred as a tensor and y_true in its dtype: losses compute in the prediction's dtype."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true, dtype=dtype_name(y_pred))
    return y_true, y_pred


def _aligned(loss, y_true, y_pred):
    """Tensors of equal rank (a trailing size-1 axis dropped or added) that broadcast."""
    y_true, y_pred = _tensors(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    _check_broadcastable(loss, y_true, y_pred)
    return y_true, y_pred


def _eps(dtype):
    return ops.convert_to_tensor(config.epsilon(), dtype=dtype)


def _check_axis(axis):
    if isinstance(axis, bool):  # bool is an int subclass: refuse it rather than use axis 0/1
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def _warn_one_class(loss, y_pred):
    shape = static_shape(y_pred)
    if shape and shape[-1] == 1:
        warnings.warn(f"{loss}: y_pred has shape {shape}, a single class. Categorical "
                      f"losses need num_classes > 1; use binary_crossentropy for two classes.",
                      SyntaxWarning, stacklevel=3)


def _smooth_categorical(y_true, label_smoothing, dtype):
    # Keras counts the classes on y_true's last axis whatever `axis` is
    num_classes = ops.cast(static_shape(y_true)[-1], dtype)
    return ops.add(ops.multiply(y_true, 1.0 - label_smoothing),
                   ops.divide(label_smoothing, num_classes))


def _smooth_binary(y_true, label_smoothing):
    return ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)


# ------------------------------------------------------------------------------------------
# regression


def mean_squared_error(y_true, y_pred):
    """mean((y_true - y_pred)^2) over the last axis."""
    y_true, y_pred = _aligned("mean_squared_error", y_true, y_pred)
    return ops.mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_true - y_pred|) over the last axis."""
    y_true, y_pred = _aligned("mean_absolute_error", y_true, y_pred)
    return ops.mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon)) over the last axis."""
    y_true, y_pred = _aligned("mean_absolute_percentage_error", y_true, y_pred)
    scale = ops.maximum(ops.abs(y_true), _eps(dtype_name(y_pred)))
    diff = ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale))
    return ops.multiply(100.0, ops.mean(diff, axis=-1))


def mean_squared_logarithmic_error(y_true, y_pred):
    """mean((log(1 + y_pred) - log(1 + y_true))^2) over the last axis, inputs floored at epsilon."""
    y_true, y_pred = _aligned("mean_squared_logarithmic_error", y_true, y_pred)
    eps = config.epsilon()  # a Python float: weakly typed, float16 inputs stay float16
    log_pred = ops.log(ops.add(ops.maximum(y_pred, eps), 1.0))
    log_true = ops.log(ops.add(ops.maximum(y_true, eps), 1.0))
    return ops.mean(ops.square(ops.subtract(log_pred, log_true)), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis`: -1 for aligned vectors, 0 for orthogonal."""
    y_true, y_pred = _aligned("cosine_similarity", y_true, y_pred)
    y_true = ops.normalize(y_true, axis=axis)
    y_pred = ops.normalize(y_pred, axis=axis)
    return ops.negative(ops.sum(ops.multiply(y_true, y_pred), axis=axis))


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for errors up to `delta`, linear beyond; mean over the last axis."""
    y_true, y_pred = _aligned("huber", y_true, y_pred)
    dtype = dtype_name(y_pred)
    delta = ops.convert_to_tensor(delta, dtype=dtype)
    half = ops.convert_to_tensor(0.5, dtype=dtype)
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(half, ops.square(error))
    linear = ops.subtract(ops.multiply(delta, abs_error), ops.multiply(half, ops.square(delta)))
    return ops.mean(ops.where(ops.less_equal(abs_error, delta), quadratic, linear), axis=-1)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) over the last axis."""
    y_true, y_pred = _aligned("log_cosh", y_true, y_pred)
    # log(2) is computed in floatx then cast, as Keras does (visible in float64)
    log2 = ops.cast(ops.log(ops.convert_to_tensor(2.0)), dtype_name(y_pred))
    x = ops.subtract(y_pred, y_true)
    # log(cosh(x)) = x + softplus(-2x) - log(2), which cannot overflow
    value = ops.subtract(ops.add(x, ops.softplus(ops.multiply(x, -2.0))), log2)
    return ops.mean(value, axis=-1)


# ------------------------------------------------------------------------------------------
# hinge


def _hinge_labels(y_true):
    """{0, 1} labels become {-1, 1}; labels already signed are kept."""
    is_binary = ops.all(ops.logical_or(ops.equal(y_true, 0), ops.equal(y_true, 1)))
    return ops.where(is_binary, ops.subtract(ops.multiply(2.0, y_true), 1.0), y_true)


def _hinge_margin(loss, y_true, y_pred):
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable(loss, y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return ops.maximum(ops.subtract(1.0, ops.multiply(y_true, y_pred)), 0.0)


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis; {0, 1} labels map to {-1, 1}."""
    return ops.mean(_hinge_margin("hinge", y_true, y_pred), axis=-1)


def squared_hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)^2) over the last axis; {0, 1} labels map to {-1, 1}."""
    return ops.mean(ops.square(_hinge_margin("squared_hinge", y_true, y_pred)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """max(0, 1 + best wrong-class score - true-class score), for one-hot y_true."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("categorical_hinge", y_true, y_pred)
    pos = ops.sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), ops.zeros((), dtype_name(y_pred)))


# ------------------------------------------------------------------------------------------
# probabilistic


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) over the last axis, both clipped to [epsilon, 1]."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("kl_divergence", y_true, y_pred)
    eps = config.epsilon()
    y_true = ops.clip(y_true, eps, 1)
    y_pred = ops.clip(y_pred, eps, 1)
    return ops.sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """mean(y_pred - y_true * log(y_pred + epsilon)) over the last axis."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("poisson", y_true, y_pred)
    log_pred = ops.log(ops.add(y_pred, _eps(dtype_name(y_pred))))
    return ops.mean(ops.subtract(y_pred, ops.multiply(y_true, log_pred)), axis=-1)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy averaged over `axis`; label_smoothing pulls labels toward 0.5."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_same_shape("binary_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = _smooth_binary(y_true, label_smoothing)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    return ops.mean(bce, axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary crossentropy scaled by (1 - p_t)^gamma, optionally class-balanced by alpha."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_same_shape("binary_focal_crossentropy", y_true, y_pred)
    if label_smoothing:
        y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = ops.sigmoid(y_pred)
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=False)
    # p_t: the probability given to the true label; confident hits get little weight
    p_t = ops.add(ops.multiply(y_true, y_pred),
                  ops.multiply(ops.subtract(1, y_true), ops.subtract(1, y_pred)))
    focal = ops.multiply(ops.power(ops.subtract(1.0, p_t), gamma), bce)
    if apply_class_balancing:
        weight = ops.add(ops.multiply(y_true, alpha),
                         ops.multiply(ops.subtract(1, y_true), 1 - alpha))
        focal = ops.multiply(weight, focal)
    return ops.mean(focal, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Crossentropy of one-hot (or soft) y_true against class probabilities or logits."""
    _check_axis(axis)
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_same_shape("categorical_crossentropy", y_true, y_pred)
    _warn_one_class("categorical_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, label_smoothing, dtype_name(y_pred))
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    """Categorical crossentropy scaled per class by alpha * (1 - p)^gamma."""
    _check_axis(axis)
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("categorical_focal_crossentropy", y_true, y_pred)
    _warn_one_class("categorical_focal_crossentropy", y_pred)
    if label_smoothing:
        y_true = _smooth_categorical(y_true, label_smoothing, dtype_name(y_pred))
    if from_logits:
        y_pred = ops.softmax(y_pred, axis=axis)
    # renormalize so each sample's probabilities sum to 1, then keep log() finite
    probs = ops.divide(y_pred, ops.sum(y_pred, axis=axis, keepdims=True))
    eps = config.epsilon()
    probs = ops.clip(probs, eps, 1.0 - eps)
    cce = ops.multiply(ops.negative(y_true), ops.log(probs))
    weight = ops.multiply(ops.power(ops.subtract(1.0, probs), gamma), alpha)
    return ops.sum(ops.multiply(weight, cce), axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Crossentropy of integer labels; labels equal to `ignore_class` count as masked."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    pred_shape = static_shape(y_pred)
    if not pred_shape:
        raise _shape_error("sparse_categorical_crossentropy", y_true, y_pred,
                           "y_pred needs a class axis")
    class_axis = axis % len(pred_shape)
    if len(static_shape(y_true)) == len(pred_shape) and static_shape(y_true)[class_axis] == 1:
        y_true = ops.squeeze(y_true, axis=class_axis)
    expected = pred_shape[:class_axis] + pred_shape[class_axis + 1:]
    true_shape = static_shape(y_true)
    if len(true_shape) != len(expected) or not all(map(_dim_fits, true_shape, expected)):
        raise _shape_error("sparse_categorical_crossentropy", y_true, y_pred,
                           f"integer labels must have y_pred's shape without the class axis "
                           f"{axis}")
    valid = None
    if ignore_class is not None:
        valid = ops.not_equal(y_true, ops.cast(ignore_class, dtype_name(y_pred)))
        # give ignored entries a harmless label and prediction, then zero their loss
        y_true = ops.where(valid, y_true, 0)
        y_pred = ops.where(ops.expand_dims(valid, class_axis), y_pred, 0)
    res = ops.sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)
    if valid is not None:
        res = ops.where(valid, res, 0.0)
        set_keras_mask(res, valid)  # reductions average over the kept entries only
    return res


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """(1 - p_true^q) / q for integer labels: between crossentropy (q -> 0) and MAE (q = 1)."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    num_classes = static_shape(y_pred)[-1]
    one_hot = ops.one_hot(ops.cast(y_true, "int32"), num_classes)
    _check_broadcastable("categorical_generalized_cross_entropy", one_hot, y_pred)
    one_hot = ops.cast(one_hot, dtype_name(y_pred))
    p = ops.sum(ops.multiply(y_pred, one_hot), axis=-1)
    return ops.divide(ops.subtract(1, ops.power(p, q)), q)


# ------------------------------------------------------------------------------------------
# sequences, segmentation, similarity


def ctc(y_true, y_pred):
    """CTC loss of padded integer labels (0 = blank/padding) against logits over time."""
    y_true = ops.convert_to_tensor(y_true)
    y_pred = ops.convert_to_tensor(y_pred)
    st, sp = static_shape(y_true), static_shape(y_pred)
    if len(st) != 2 or len(sp) != 3 or not _dim_fits(st[0], sp[0]):
        raise _shape_error("ctc", y_true, y_pred, "expected integer labels (batch_size, "
                           "max_label_length) and logits (batch_size, time_steps, num_classes)")
    blank = 0
    input_length = ops.full((sp[0],), sp[1], dtype="int32")
    label_length = ops.cast(ops.sum(ops.cast(ops.not_equal(y_true, blank), "int32"), axis=-1),
                            "int32")
    return ops.ctc_loss(y_true, y_pred, label_length, input_length, mask_index=blank)


def dice(y_true, y_pred, axis=None):
    """1 - 2|y_true * y_pred| / (|y_true| + |y_pred|), summed over `axis` (all when None)."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("dice", y_true, y_pred)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    total = ops.add(ops.add(ops.sum(y_true, axis=axis), ops.sum(y_pred, axis=axis)),
                    config.epsilon())
    return ops.subtract(1, ops.divide(ops.multiply(2.0, intersection), total))


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """1 - TP / (TP + alpha FP + beta FN): Dice with weighted false positives/negatives."""
    y_true, y_pred = _tensors(y_true, y_pred)
    _check_broadcastable("tversky", y_true, y_pred)
    intersection = ops.sum(ops.multiply(y_true, y_pred), axis=axis)
    false_pos = ops.sum(ops.multiply(ops.subtract(1, y_pred), y_true), axis=axis)
    false_neg = ops.sum(ops.multiply(y_pred, ops.subtract(1, y_true)), axis=axis)
    denom = ops.add(ops.add(ops.add(intersection, ops.multiply(false_pos, alpha)),
                            ops.multiply(false_neg, beta)), config.epsilon())
    return ops.subtract(1, ops.divide(intersection, denom))


def _pos_neg_masks(query_labels, key_labels, remove_diagonal):
    query_labels = ops.reshape(query_labels, (-1, 1))
    key_labels = ops.reshape(key_labels, (-1, 1))
    positive = ops.equal(query_labels, ops.transpose(key_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:  # an embedding is not its own positive
        n, m = static_shape(query_labels)[0], static_shape(key_labels)[0]
        positive = ops.logical_and(positive, ops.logical_not(ops.eye(n, m, dtype="bool")))
    return positive, negative


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True, gamma=80,
           margin=0.4):
    """Circle loss of L2-normalized embeddings, pairs taken from equal/unequal labels."""
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(ops.convert_to_tensor(y_true), "int32")
    sp, st = static_shape(y_pred), static_shape(y_true)
    if len(sp) != 2 or len(st) not in (1, 2) or (len(st) == 2 and st[1] != 1) or not _dim_fits(
            st[0], sp[0]):
        raise _shape_error("circle", y_true, y_pred, "expected labels (batch_size,) and "
                           "L2-normalized embeddings (batch_size, dim)")
    ref_embeddings = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = y_true if ref_labels is None else ops.cast(ref_labels, "int32")

    # cosine distances of unit embeddings, floored at 0
    distances = ops.subtract(1, ops.matmul(y_pred, ops.transpose(ref_embeddings)))
    distances = ops.maximum(distances, 0.0)
    positive, negative = _pos_neg_masks(y_true, ref_labels, remove_diagonal)
    dtype = dtype_name(distances)
    pos_f, neg_f = ops.cast(positive, dtype), ops.cast(negative, dtype)

    # optima: positives at distance -margin, negatives at 1 + margin; decision margins
    # margin and 1 - margin. Weights are how far a pair is from its optimum.
    pos_weights = ops.maximum(ops.multiply(ops.add(margin, distances), pos_f), 0.0)
    neg_weights = ops.maximum(ops.multiply(ops.subtract(1 + margin, distances), neg_f), 0.0)
    pos_logits = ops.multiply(ops.multiply(-1 * gamma, pos_weights),
                              ops.subtract(margin, distances))
    neg_logits = ops.multiply(ops.multiply(gamma, neg_weights),
                              ops.subtract(1 - margin, distances))
    p_loss = ops.logsumexp(ops.where(positive, pos_logits, float("-inf")), axis=1)
    n_loss = ops.logsumexp(ops.where(negative, neg_logits, float("-inf")), axis=1)
    loss = ops.softplus(ops.add(p_loss, n_loss))
    set_keras_mask(loss, ops.greater(loss, 0))  # rows without pairs do not count in the mean
    return loss


# ------------------------------------------------------------------------------------------
# classes


class MeanSquaredError(LossFunctionWrapper):
    """`mean_squared_error` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsoluteError(LossFunctionWrapper):
    """`mean_absolute_error` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """`mean_absolute_percentage_error` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_percentage_error",
                 dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """`mean_squared_logarithmic_error` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_logarithmic_error",
                 dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CosineSimilarity(LossFunctionWrapper):
    """`cosine_similarity` as a Loss (weighted, masked and reduced)."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)
        self.axis = axis

    def get_config(self):
        # Keras 3.15 saves no axis here: written only when not the default, so a reload keeps
        # it and default configs stay Keras'
        return {**Loss.get_config(self), **({"axis": self.axis} if self.axis != -1 else {})}


class Huber(LossFunctionWrapper):
    """`huber` as a Loss (weighted, masked and reduced)."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)
        self.delta = delta

    def get_config(self):
        # Keras 3.15 saves no delta here: written only when not the default (see CosineSimilarity)
        return {**Loss.get_config(self), **({"delta": self.delta} if self.delta != 1.0 else {})}


class LogCosh(LossFunctionWrapper):
    """`log_cosh` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Hinge(LossFunctionWrapper):
    """`hinge` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class SquaredHinge(LossFunctionWrapper):
    """`squared_hinge` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class CategoricalHinge(LossFunctionWrapper):
    """`categorical_hinge` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge", dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class KLDivergence(LossFunctionWrapper):
    """`kl_divergence` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Poisson(LossFunctionWrapper):
    """`poisson` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class BinaryCrossentropy(LossFunctionWrapper):
    """`binary_crossentropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """`binary_focal_crossentropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis,
                "apply_class_balancing": self.apply_class_balancing, "alpha": self.alpha,
                "gamma": self.gamma}


class CategoricalCrossentropy(LossFunctionWrapper):
    """`categorical_crossentropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """`categorical_focal_crossentropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_focal_crossentropy",
                 dtype=None):
        super().__init__(categorical_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis,
                "alpha": self.alpha, "gamma": self.gamma}


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """`sparse_categorical_crossentropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        # Keras 3.15 saves no axis here: written only when not the default (see CosineSimilarity)
        return {**Loss.get_config(self), "from_logits": self.from_logits,
                "ignore_class": self.ignore_class,
                **({"axis": self.axis} if self.axis != -1 else {})}


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """`categorical_generalized_cross_entropy` as a Loss (weighted, masked and reduced)."""

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError(f"q must be in the interval (0, 1). Received: q={q}")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction,
                         dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        return {**Loss.get_config(self), "q": self.q}


class CTC(LossFunctionWrapper):
    """`ctc` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


class Dice(LossFunctionWrapper):
    """`dice` as a Loss (weighted, masked and reduced)."""

    def __init__(self, reduction="sum_over_batch_size", name="dice", axis=None, dtype=None):
        super().__init__(dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "axis": self.axis}


class Tversky(LossFunctionWrapper):
    """`tversky` as a Loss (weighted, masked and reduced)."""

    def __init__(self, alpha=0.5, beta=0.5, reduction="sum_over_batch_size", name="tversky",
                 axis=None, dtype=None):
        super().__init__(tversky, name=name, reduction=reduction, dtype=dtype, alpha=alpha,
                         beta=beta, axis=axis)
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        return {**Loss.get_config(self), "alpha": self.alpha, "beta": self.beta,
                "axis": self.axis}


class Circle(LossFunctionWrapper):
    """`circle` as a Loss (weighted, masked and reduced)."""

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        return {**Loss.get_config(self), "gamma": self.gamma, "margin": self.margin,
                "remove_diagonal": self.remove_diagonal}


# ------------------------------------------------------------------------------------------
# lookup and serialization

_OBJECTS = [
    Loss, LossFunctionWrapper,
    KLDivergence, Poisson, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
    CategoricalFocalCrossentropy, SparseCategoricalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCosh, Huber,
    Hinge, SquaredHinge, CategoricalHinge, Dice, Tversky, Circle, CTC,
    kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy,
    categorical_generalized_cross_entropy,
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
    mean_squared_logarithmic_error, cosine_similarity, log_cosh, huber,
    hinge, squared_hinge, categorical_hinge, dice, tversky, circle, ctc,
]
ALL_OBJECTS = {obj.__name__: obj for obj in _OBJECTS}
# Keras' short names, in both cases
for _short, _fn in (("bce", binary_crossentropy), ("kld", kl_divergence),
                    ("mae", mean_absolute_error), ("mse", mean_squared_error),
                    ("mape", mean_absolute_percentage_error),
                    ("msle", mean_squared_logarithmic_error)):
    ALL_OBJECTS[_short] = ALL_OBJECTS[_short.upper()] = _fn


def serialize(loss):
    """A loss function or Loss instance as a config (a name for built-in functions)."""
    return serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """A loss function or Loss instance from a name or config."""
    return deserialize_keras_object(name, module_objects=ALL_OBJECTS,
                                    custom_objects=custom_objects, kind="loss")


def get(identifier):
    """A loss from None, a name, a config dict, a Loss class or instance, or a function.

    Classes are instantiated with their defaults; functions are returned as they are.
    """
    if identifier is None:
        return None
    if isinstance(identifier, str):
        try:
            obj = deserialize(identifier)
        except ValueError as e:  # keep Keras' wording, then list what would have worked
            raise ValueError(f"Could not interpret loss identifier: {identifier!r}. {e}") from None
    elif isinstance(identifier, dict):
        obj = deserialize(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
    return obj
