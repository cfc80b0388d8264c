"""Metric lookup by name, and metrics to and from configs (keras.metrics.get/serialize/
deserialize)."""

import inspect

from keraslite.metrics import accuracy_metrics as acc
from keraslite.metrics import confusion_metrics as conf
from keraslite.metrics import correlation_metrics as corr
from keraslite.metrics import f_score_metrics as fscore
from keraslite.metrics import hinge_metrics as hinge
from keraslite.metrics import iou_metrics as iou
from keraslite.metrics import probabilistic_metrics as prob
from keraslite.metrics import reduction_metrics as red
from keraslite.metrics import regression_metrics as reg
from keraslite.metrics.metric import Metric, to_snake_case
from keraslite.saving import serialization_lib

ALL_OBJECTS = (
    Metric, red.Mean, red.Sum, red.MeanMetricWrapper,
    reg.MeanSquaredError, reg.RootMeanSquaredError, reg.MeanAbsoluteError,
    reg.MeanAbsolutePercentageError, reg.MeanSquaredLogarithmicError, reg.CosineSimilarity,
    reg.LogCoshError, reg.R2Score,
    conf.AUC, conf.FalseNegatives, conf.FalsePositives, conf.Precision, conf.PrecisionAtRecall,
    conf.Recall, conf.RecallAtPrecision, conf.SensitivityAtSpecificity,
    conf.SpecificityAtSensitivity, conf.TrueNegatives, conf.TruePositives,
    corr.ConcordanceCorrelation, corr.PearsonCorrelation,
    hinge.Hinge, hinge.SquaredHinge, hinge.CategoricalHinge,
    prob.KLDivergence, prob.Poisson, prob.BinaryCrossentropy, prob.CategoricalCrossentropy,
    prob.SparseCategoricalCrossentropy,
    acc.Accuracy, acc.BinaryAccuracy, acc.CategoricalAccuracy, acc.SparseCategoricalAccuracy,
    acc.TopKCategoricalAccuracy, acc.SparseTopKCategoricalAccuracy,
    fscore.F1Score, fscore.FBetaScore,
    iou.IoU, iou.BinaryIoU, iou.MeanIoU, iou.OneHotIoU, iou.OneHotMeanIoU,
)

# Names `get` accepts: class names, their snake_case and Keras' short aliases.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in ALL_OBJECTS}
ALL_OBJECTS_DICT.update({to_snake_case(cls.__name__): cls for cls in ALL_OBJECTS})
ALL_OBJECTS_DICT.update({
    "bce": prob.BinaryCrossentropy, "BCE": prob.BinaryCrossentropy,
    "mse": reg.MeanSquaredError, "MSE": reg.MeanSquaredError,
    "mae": reg.MeanAbsoluteError, "MAE": reg.MeanAbsoluteError,
    "mape": reg.MeanAbsolutePercentageError, "MAPE": reg.MeanAbsolutePercentageError,
    "msle": reg.MeanSquaredLogarithmicError, "MSLE": reg.MeanSquaredLogarithmicError,
})

# The loss functions keras.metrics re-exports (a metric wrapping one should go down).
LOSS_FUNCTIONS = (
    prob.binary_crossentropy, prob.binary_focal_crossentropy, prob.categorical_crossentropy,
    prob.categorical_focal_crossentropy, prob.sparse_categorical_crossentropy,
    prob.kl_divergence, prob.poisson, hinge.hinge, hinge.squared_hinge, hinge.categorical_hinge,
    reg.mean_squared_error, reg.mean_absolute_error, reg.mean_absolute_percentage_error,
    reg.mean_squared_logarithmic_error, reg.log_cosh, reg.huber,
)
_SCORE_FUNCTIONS = (
    acc.binary_accuracy, acc.categorical_accuracy, acc.sparse_categorical_accuracy,
    acc.top_k_categorical_accuracy, acc.sparse_top_k_categorical_accuracy,
    corr.pearson_correlation, corr.concordance_correlation,
)
# Functions by name, for MeanMetricWrapper configs (plus the unexported helpers Keras' metric
# classes wrap, so that any wrapper config can be reloaded).
METRIC_FUNCTIONS = {fn.__name__: fn for fn in LOSS_FUNCTIONS + _SCORE_FUNCTIONS
                    + (acc.accuracy, reg.cosine_similarity)}


def serialize(metric):
    """Config dict of a Metric, or the name of a built-in metric function."""
    return serialization_lib.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """A Metric from its config; a name gives the class (or function) registered under it."""
    module_objects = ALL_OBJECTS_DICT
    if isinstance(config, dict) and config.get("class_name") == "function":
        module_objects = METRIC_FUNCTIONS
    return serialization_lib.deserialize_keras_object(
        config, module_objects=module_objects, custom_objects=custom_objects, kind="metric")


def get(identifier):
    """A metric from a name (an instance of the named class), a config dict, a Metric class
    (instantiated), a Metric or a callable (returned as is)."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = ALL_OBJECTS_DICT.get(identifier)
        if obj is None:
            choices = ", ".join(sorted(ALL_OBJECTS_DICT))
            raise ValueError(f"Could not interpret metric identifier: '{identifier}'. Valid "
                             f"choices: {choices}.")
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise ValueError(f"Could not interpret metric identifier: {identifier!r}")
    return obj
