"""The Loss base class, LossFunctionWrapper, and the weighting/masking/reduction they share.

A loss instance computes per-sample values with `call`, then `__call__` applies sample weights
and masks and reduces the result; these helpers keep Keras 3's semantics (including how a mask
rescales "sum_over_batch_size" so the mean is taken over valid entries only).
"""

import re

from keraslite import backend, config, ops
from keraslite.backend.masking import get_keras_mask, set_keras_mask  # noqa: F401 (re-exported)
from keraslite.saving.serialization_lib import serialize_nested_object

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)

# ------------------------------------------------------------------------------------------
# naming: an unnamed loss is called after its class in snake case, numbered after the first.

_name_counts = {}


def _snake_case(name):
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _auto_name(class_name):
    base = _snake_case(class_name)
    count = _name_counts.get(base, 0)
    _name_counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _compute_dtype(dtype):
    if dtype is None:
        return config.floatx()
    policy_dtype = getattr(dtype, "compute_dtype", None)  # a dtype-policy-like object
    if policy_dtype is not None:
        return backend.standardize_dtype(policy_dtype)
    if isinstance(dtype, str) and dtype.startswith("mixed_"):
        return backend.standardize_dtype(dtype[len("mixed_"):])
    return backend.standardize_dtype(dtype)


def static_shape(x):
    """Shape as a tuple of ints (None where unknown), for tensors and KerasTensors alike."""
    return tuple(x.shape)


def dtype_name(x):
    return backend.standardize_dtype(x.dtype)


# ------------------------------------------------------------------------------------------
# weighting and reduction


def standardize_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                         f"{REDUCTIONS}. Received: reduction={reduction!r}")
    return reduction


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks equal when they differ by one and the longer one ends in a size-1 axis."""
    s1, s2 = static_shape(x1), static_shape(x2)
    if len(s1) == len(s2) + 1 and s1[-1] == 1:
        if len(s2) == 1 and expand_rank_1:
            x2 = ops.expand_dims(x2, -1)
        else:
            x1 = ops.squeeze(x1, -1)
    elif len(s2) == len(s1) + 1 and s2[-1] == 1:
        if len(s1) == 1 and expand_rank_1:
            x1 = ops.expand_dims(x1, -1)
        else:
            x2 = ops.squeeze(x2, -1)
    return x1, x2


def _count(x, dtype):
    """Number of elements of x as a scalar of `dtype` (a tensor even when shapes are dynamic)."""
    shape = static_shape(x)
    if all(d is not None for d in shape):
        n = 1
        for d in shape:
            n *= d
        return ops.cast(ops.convert_to_tensor(n, dtype="int32"), dtype)
    return ops.cast(ops.size(x), dtype)


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    shape = tuple(static_shape(values))
    if reduction in (None, "none") or shape == () or shape == (0,):
        return values
    if (reduction != "sum" and (reduction != "mean_with_sample_weight" or sample_weight is None)
            and None not in shape and 0 not in shape):
        return ops.mean(values)  # static, non-empty size: the sum over the count, in one op
    loss = ops.sum(values)
    if reduction == "sum":
        return loss
    dtype = dtype_name(loss)
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = ops.cast(ops.sum(sample_weight), dtype)
    else:
        divisor = _count(values, dtype)
    # divide_no_nan: an empty or fully masked batch gives 0, not NaN
    return ops.divide_no_nan(loss, divisor)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Fold a mask into the sample weights.

    For the averaging reductions the valid entries are scaled by total / valid, so that dividing
    by the full element count afterwards averages over the valid entries only.
    """
    if mask is None:
        return sample_weight
    if reduction in ("mean", "sum_over_batch_size"):
        total = _count(mask, dtype)
        valid = ops.sum(ops.cast(mask, dtype))
        scale = ops.divide_no_nan(total, valid)
        mask = ops.where(ops.cast(mask, "bool"), scale, ops.zeros((), dtype=dtype))
    else:
        mask = ops.cast(mask, dtype)
    if sample_weight is None:
        return mask
    sample_weight = ops.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return ops.multiply(sample_weight, mask)


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    reduction = standardize_reduction(reduction)
    values = ops.convert_to_tensor(values, dtype=dtype)
    dtype = dtype_name(values)
    if sample_weight is not None:
        sample_weight = ops.convert_to_tensor(sample_weight, dtype=dtype)
    if mask is not None:
        mask = ops.convert_to_tensor(mask, dtype=dtype)
    sample_weight = apply_mask(sample_weight, mask, dtype, reduction)
    if sample_weight is not None:
        sample_weight = ops.cast(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = ops.multiply(values, sample_weight)
    return reduce_values(values, sample_weight, reduction)


# ------------------------------------------------------------------------------------------


class Loss:
    """Base class of losses: subclasses implement `call(y_true, y_pred)` returning per-sample
    values; calling the instance weights, masks and reduces them.

    reduction: "sum_over_batch_size" (default) and "mean" divide the sum by the number of
    elements, "sum" sums, "mean_with_sample_weight" divides by the sum of the weights, "none"
    or None return the weighted values unreduced. dtype: the computation dtype (default floatx).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or _auto_name(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = _compute_dtype(dtype)
        self._given_dtype = dtype

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        # the caller's mask rides on y_pred and is lost by conversion: read it first
        in_mask = get_keras_mask(y_pred)
        y_pred = ops.convert_to_tensor(y_pred, dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        losses = self.call(y_true, y_pred)
        out_mask = get_keras_mask(losses)  # e.g. ignored classes
        if in_mask is not None and out_mask is not None:
            mask = ops.logical_and(ops.cast(in_mask, "bool"), ops.cast(out_mask, "bool"))
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=mask,
                                      reduction=self.reduction, dtype=self.dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred).")

    def get_config(self):
        config = {"name": self.name, "reduction": self.reduction}
        if self._given_dtype is not None:  # Keras 3.15 leaves it out; a reload would reset it
            config["dtype"] = self._given_dtype
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _obj_type(self):
        return "Loss"


class LossFunctionWrapper(Loss):
    """A Loss calling `fn(y_true, y_pred, **kwargs)` after aligning the two ranks."""

    # not in Keras 3's public keras.losses: Keras finds it only under its defining module
    _keras_module = "keras.src.losses.losses"

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialize_nested_object(self.fn)
        config.update(serialize_nested_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from keraslite.losses import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"
