"""compile()-time resolution of generic metric and loss names, following Keras 3.

"accuracy"/"acc" (metrics) and "crossentropy"/"ce" (losses) pick the binary, sparse
categorical or categorical variant from the shapes of one output's targets and predictions:

- binary when predictions have one entry per sample (last dimension 1);
- sparse categorical when targets have a lower rank than predictions, or one entry per sample
  while predictions have several;
- categorical otherwise.

Keras 3 decides from the shapes alone; the loss is only consulted when a shape is unknown.
"""

from keraslite.metrics.accuracy_metrics import (
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
)
from keraslite.metrics.metric import Metric
from keraslite.metrics.reduction_metrics import MeanMetricWrapper
from keraslite.metrics.registry import get

ACCURACY_NAMES = ("accuracy", "acc")
CROSSENTROPY_NAMES = ("crossentropy", "ce")


def _loss_name(loss):
    name = loss if isinstance(loss, str) else getattr(loss, "__name__", type(loss).__name__)
    return name.lower().replace("_", "")


def classify_targets(y_true_shape, y_pred_shape, loss=None):
    """'binary', 'sparse_categorical' or 'categorical' for these target/prediction shapes."""
    if y_true_shape is not None and y_pred_shape is not None:
        y_true_shape, y_pred_shape = tuple(y_true_shape), tuple(y_pred_shape)
        pred_last = y_pred_shape[-1] if y_pred_shape else None
        true_last = y_true_shape[-1] if y_true_shape else None
        if pred_last == 1:
            return "binary"
        several = pred_last is not None and pred_last > 1
        if len(y_true_shape) < len(y_pred_shape) or (true_last == 1 and several):
            return "sparse_categorical"
        return "categorical"
    # Shapes unknown: fall back on the loss, as Keras 2 did.
    name = _loss_name(loss) if loss is not None else ""
    if name in ("binarycrossentropy", "bce", "binaryfocalcrossentropy"):
        return "binary"
    if name == "sparsecategoricalcrossentropy":
        return "sparse_categorical"
    return "categorical"


_ACCURACY = {"binary": BinaryAccuracy, "sparse_categorical": SparseCategoricalAccuracy,
             "categorical": CategoricalAccuracy}


def resolve_accuracy(name, loss=None, y_true_shape=None, y_pred_shape=None):
    """The accuracy metric 'accuracy'/'acc' stands for, named `name` (as Keras logs it)."""
    if str(name).lower() not in ACCURACY_NAMES:
        raise ValueError(f"resolve_accuracy expects one of {ACCURACY_NAMES}; received {name!r}")
    return _ACCURACY[classify_targets(y_true_shape, y_pred_shape, loss)](name=str(name))


def resolve_crossentropy(name, y_true_shape=None, y_pred_shape=None):
    """Name of the loss function 'crossentropy'/'ce' stands for."""
    if str(name).lower() not in CROSSENTROPY_NAMES:
        raise ValueError(
            f"resolve_crossentropy expects one of {CROSSENTROPY_NAMES}; received {name!r}")
    return f"{classify_targets(y_true_shape, y_pred_shape)}_crossentropy"


def get_metric(identifier, y_true_shape=None, y_pred_shape=None, loss=None):
    """A Metric for one compile() metric entry: accuracy names resolved, strings looked up,
    functions wrapped in MeanMetricWrapper; named after the string when one was given."""
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, str) and identifier.lower() in ACCURACY_NAMES:
        metric = resolve_accuracy(identifier, loss, y_true_shape, y_pred_shape)
    else:
        metric = get(identifier)
    if isinstance(identifier, str):
        name = identifier
    elif isinstance(metric, Metric):
        name = metric.name
    else:
        name = getattr(metric, "__name__", type(metric).__name__)
    if not isinstance(metric, Metric):
        metric = MeanMetricWrapper(metric)
    metric.name = name
    return metric
