"""Generate the metric reference values from real Keras 3 (the reference peer).

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_metrics.py

It writes keras_metrics.json next to this file:
- "cases": one per metric configuration: the class and constructor arguments, the config
  Keras writes, the default name, the batches fed to update_state (numpy inputs from fixed
  seeds, some with sample weights), result() after each batch, result() after reset_state(),
  and result() after feeding the first batch again.
- "functions": the metric functions of keras.metrics on fixed inputs, with their outputs.
- "resolve": which accuracy metric / crossentropy loss Keras' compile() picks for
  "accuracy"/"acc"/"crossentropy" given target and prediction shapes.
- "names": the public names of keras.metrics and the string identifiers metrics.get accepts.

The test suite only reads the json file; it never imports keras.
"""

import json
import os
import pathlib

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
from keras.src.metrics import ALL_OBJECTS_DICT  # noqa: E402, TID251
from keras.src.trainers import compile_utils  # noqa: E402, TID251

HERE = pathlib.Path(__file__).resolve().parent
N = 8  # rows per batch


# -- inputs ------------------------------------------------------------------------------------

def enc(a):
    if a is None:
        return None
    a = np.asarray(a)
    return {"dtype": str(a.dtype), "data": a.tolist()}


def f32(a):
    return np.asarray(a, dtype="float32")


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return f32(e / e.sum(-1, keepdims=True))


def one_hot(ids, c):
    return f32(np.eye(c)[ids])


def weights(rng, shape):
    return f32(rng.uniform(0.2, 2.0, shape))


def data(kind, rng):
    """(update_state positional args, sample_weight) for one batch of a kind of problem."""
    c = 4
    if kind == "values_1d":
        return [f32(rng.normal(size=N))], weights(rng, N)
    if kind == "values_2d":
        return [f32(rng.normal(size=(N, 3)))], weights(rng, N)
    if kind == "values_2d_w2d":
        return [f32(rng.normal(size=(N, 3)))], weights(rng, (N, 3))
    if kind == "values_3d_wcol":
        return [f32(rng.normal(size=(N, 3, 2)))], weights(rng, (N, 1))
    if kind == "same_ints":
        t = rng.integers(0, 3, (N, 1)).astype("int32")
        p = np.where(rng.uniform(size=(N, 1)) < 0.6, t, rng.integers(0, 3, (N, 1)))
        return [t, p.astype("int32")], weights(rng, N)
    if kind == "binary":
        t = rng.integers(0, 2, (N, 1)).astype("float32")
        return [t, f32(rng.uniform(size=(N, 1)))], weights(rng, N)
    if kind == "binary_flat":
        t = rng.integers(0, 2, N).astype("int32")
        p = f32(rng.uniform(size=N))
        p[:3] = [0.0, 0.5, 1.0]  # threshold boundaries
        return [t, p], weights(rng, N)
    if kind == "binary_logits":
        t = rng.integers(0, 2, (N, 1)).astype("float32")
        return [t, f32(rng.normal(scale=2.0, size=(N, 1)))], weights(rng, N)
    if kind == "multilabel":
        t = rng.integers(0, 2, (N, c)).astype("float32")
        p = f32(rng.uniform(size=(N, c)))
        p[0, :2] = [0.0, 1.0]
        return [t, p], weights(rng, N)
    if kind == "multilabel_logits":
        t = rng.integers(0, 2, (N, c)).astype("float32")
        return [t, f32(rng.normal(scale=2.0, size=(N, c)))], weights(rng, N)
    if kind == "categorical":
        return [one_hot(rng.integers(0, c, N), c), softmax(rng.normal(size=(N, c)))], \
            weights(rng, N)
    if kind == "categorical_logits":
        return [one_hot(rng.integers(0, c, N), c), f32(rng.normal(scale=2, size=(N, c)))], \
            weights(rng, N)
    if kind == "categorical_seq":
        ids = rng.integers(0, c, (N, 3))
        return [one_hot(ids, c), softmax(rng.normal(size=(N, 3, c)))], weights(rng, (N, 3))
    if kind == "sparse":
        return [rng.integers(0, c, N).astype("int32"), softmax(rng.normal(size=(N, c)))], \
            weights(rng, N)
    if kind == "sparse_col":
        return [rng.integers(0, c, (N, 1)).astype("int32"), softmax(rng.normal(size=(N, c)))], \
            weights(rng, N)
    if kind == "sparse_logits":
        return [rng.integers(0, c, N).astype("int32"), f32(rng.normal(scale=2, size=(N, c)))], \
            weights(rng, N)
    if kind == "sparse_seq":
        return [rng.integers(0, c, (N, 3)).astype("int32"),
                softmax(rng.normal(size=(N, 3, c)))], weights(rng, (N, 3))
    if kind == "sorted_ids":
        probs = rng.uniform(size=(N, c))
        ids = np.argsort(-probs, axis=-1).astype("int32")
        return [rng.integers(0, c, N).astype("int32"), ids], weights(rng, N)
    if kind == "regression":
        return [f32(rng.normal(size=(N, 3))), f32(rng.normal(size=(N, 3)))], weights(rng, N)
    if kind == "regression_pos":
        return [f32(rng.uniform(0.1, 3, (N, 3))), f32(rng.uniform(0.1, 3, (N, 3)))], \
            weights(rng, N)
    if kind == "regression_flat":
        return [f32(rng.normal(size=N)), f32(rng.normal(size=(N, 1)))], weights(rng, N)
    if kind == "regression_wide":
        return [f32(rng.normal(size=(N, 6))), f32(rng.normal(size=(N, 6)))], weights(rng, N)
    if kind == "distributions":
        return [softmax(rng.normal(size=(N, c))), softmax(rng.normal(size=(N, c)))], \
            weights(rng, N)
    if kind == "signed":
        t = rng.choice([-1.0, 1.0], (N, c)).astype("float32")
        return [t, f32(rng.normal(size=(N, c)))], weights(rng, N)
    if kind == "zero_one_scores":
        t = rng.integers(0, 2, (N, c)).astype("float32")
        return [t, f32(rng.normal(size=(N, c)))], weights(rng, N)
    if kind == "segmentation":
        t = rng.integers(-1, 4, (N, 5)).astype("int32")  # -1 is out of range: ignored
        p = rng.integers(0, 3, (N, 5)).astype("int32")
        return [t, p], rng.integers(0, 3, N).astype("int32")[:, None] * np.ones((1, 5), "int32")
    if kind == "segmentation_float_w":
        t = rng.integers(0, 3, N * 2).astype("int32")
        p = rng.integers(0, 3, N * 2).astype("int32")
        return [t, p], weights(rng, N * 2)
    if kind == "binary_seg":
        t = rng.integers(0, 2, (N, 3)).astype("int32")
        return [t, f32(rng.uniform(size=(N, 3)))], rng.integers(0, 3, (N, 3)).astype("int32")
    if kind == "onehot_seg":
        return [one_hot(rng.integers(0, 3, N), 3), softmax(rng.normal(size=(N, 3)))], \
            rng.integers(0, 3, N).astype("int32")
    if kind == "onehot_sparse_pred":
        return [one_hot(rng.integers(0, 3, N), 3), rng.integers(0, 3, N).astype("int32")], \
            rng.integers(0, 3, N).astype("int32")
    raise ValueError(kind)


FN = "__function__"
WEIGHTED = (True, False, True)  # which of the three batches carry sample weights
UNWEIGHTED = (False, False, False)  # per-sample weights do not fit values reduced over axis 0

CASES = [
    # id, class, kwargs, data kind
    ("sum_1d", "Sum", {}, "values_1d"),
    ("sum_2d", "Sum", {}, "values_2d"),
    ("sum_w2d", "Sum", {}, "values_2d_w2d"),
    ("mean_1d", "Mean", {}, "values_1d"),
    ("mean_2d", "Mean", {}, "values_2d"),
    ("mean_w2d", "Mean", {}, "values_2d_w2d"),
    ("mean_3d", "Mean", {"name": "m3", "dtype": "float32"}, "values_3d_wcol"),
    ("wrapper_mse", "MeanMetricWrapper", {"fn": {FN: "mean_squared_error"}}, "regression"),
    ("wrapper_huber", "MeanMetricWrapper", {"fn": {FN: "huber"}, "name": "hub", "delta": 0.5},
     "regression"),
    ("accuracy", "Accuracy", {}, "same_ints"),
    ("binary_accuracy", "BinaryAccuracy", {}, "binary"),
    ("binary_accuracy_t", "BinaryAccuracy", {"threshold": 0.7}, "binary"),
    ("categorical_accuracy", "CategoricalAccuracy", {}, "categorical"),
    ("categorical_accuracy_seq", "CategoricalAccuracy", {}, "categorical_seq"),
    ("sparse_categorical_accuracy", "SparseCategoricalAccuracy", {}, "sparse"),
    ("sparse_categorical_accuracy_col", "SparseCategoricalAccuracy", {}, "sparse_col"),
    ("sparse_categorical_accuracy_seq", "SparseCategoricalAccuracy", {}, "sparse_seq"),
    ("top_k", "TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("top_k_default", "TopKCategoricalAccuracy", {}, "categorical"),
    ("sparse_top_k", "SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("sparse_top_k_seq", "SparseTopKCategoricalAccuracy", {"k": 2}, "sparse_seq"),
    ("sparse_top_k_sorted", "SparseTopKCategoricalAccuracy", {"k": 2, "from_sorted_ids": True},
     "sorted_ids"),
    ("kl_divergence", "KLDivergence", {}, "distributions"),
    ("poisson", "Poisson", {}, "regression_pos"),
    ("bce", "BinaryCrossentropy", {}, "binary"),
    ("bce_multilabel", "BinaryCrossentropy", {}, "multilabel"),
    ("bce_logits_ls", "BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.1},
     "binary_logits"),
    ("cce", "CategoricalCrossentropy", {}, "categorical"),
    ("cce_logits_ls", "CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.2},
     "categorical_logits"),
    ("scce", "SparseCategoricalCrossentropy", {}, "sparse"),
    ("scce_logits", "SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("scce_col", "SparseCategoricalCrossentropy", {}, "sparse_col"),
    ("scce_ignore", "SparseCategoricalCrossentropy", {"ignore_class": 0}, "sparse"),
    ("scce_seq", "SparseCategoricalCrossentropy", {}, "sparse_seq"),
    ("mse", "MeanSquaredError", {}, "regression"),
    ("mse_flat", "MeanSquaredError", {}, "regression_flat"),
    ("mae", "MeanAbsoluteError", {}, "regression"),
    ("mape", "MeanAbsolutePercentageError", {}, "regression_pos"),
    ("msle", "MeanSquaredLogarithmicError", {}, "regression_pos"),
    ("rmse", "RootMeanSquaredError", {}, "regression"),
    ("rmse_flat", "RootMeanSquaredError", {}, "regression_flat"),
    ("cosine", "CosineSimilarity", {}, "regression"),
    ("cosine_axis0", "CosineSimilarity", {"axis": 0}, "regression", UNWEIGHTED),
    ("logcosh", "LogCoshError", {}, "regression"),
    ("r2", "R2Score", {}, "regression"),
    ("r2_variance", "R2Score", {"class_aggregation": "variance_weighted_average"},
     "regression"),
    ("r2_none", "R2Score", {"class_aggregation": None}, "regression"),
    ("r2_adjusted", "R2Score", {"num_regressors": 2}, "regression"),
    ("r2_adjusted_fallback", "R2Score", {"num_regressors": 60}, "regression"),
    ("hinge_01", "Hinge", {}, "zero_one_scores"),
    ("hinge_signed", "Hinge", {}, "signed"),
    ("squared_hinge", "SquaredHinge", {}, "signed"),
    ("categorical_hinge", "CategoricalHinge", {}, "categorical_logits"),
    ("tp", "TruePositives", {}, "binary_flat"),
    ("fp", "FalsePositives", {"thresholds": [0.3, 0.5, 0.7]}, "binary_flat"),
    ("tn", "TrueNegatives", {"thresholds": [0.0, 0.5, 1.0]}, "binary_flat"),
    ("fn", "FalseNegatives", {}, "multilabel"),
    ("precision", "Precision", {}, "binary_flat"),
    ("precision_thresholds", "Precision", {"thresholds": [0.2, 0.6]}, "multilabel"),
    ("precision_even", "Precision", {"thresholds": [0.0, 0.25, 0.5, 0.75, 1.0]}, "multilabel"),
    ("precision_top_k", "Precision", {"top_k": 2}, "multilabel"),
    ("precision_class_id", "Precision", {"class_id": 1}, "multilabel"),
    ("precision_top_k_class", "Precision", {"top_k": 2, "class_id": 2, "thresholds": 0.3},
     "multilabel"),
    ("recall", "Recall", {}, "binary_flat"),
    ("recall_thresholds", "Recall", {"thresholds": [0.2, 0.6]}, "multilabel"),
    ("recall_top_k", "Recall", {"top_k": 1}, "multilabel"),
    ("recall_class_id", "Recall", {"class_id": 0}, "multilabel"),
    ("auc", "AUC", {}, "binary_flat"),
    ("auc_multilabel_pooled", "AUC", {"num_thresholds": 50}, "multilabel"),
    ("auc_pr", "AUC", {"curve": "PR"}, "binary_flat"),
    ("auc_pr_majoring", "AUC", {"curve": "PR", "summation_method": "majoring"}, "multilabel"),
    ("auc_roc_minoring", "AUC", {"summation_method": "minoring", "num_thresholds": 7},
     "multilabel"),
    ("auc_prgain", "AUC", {"curve": "PRGAIN"}, "multilabel"),
    ("auc_even_thresholds", "AUC", {"thresholds": [0.2, 0.4, 0.6, 0.8]}, "binary_flat"),
    ("auc_thresholds", "AUC", {"thresholds": [0.9, 0.1, 0.5], "curve": "PR"}, "multilabel"),
    ("auc_multi_label", "AUC", {"multi_label": True}, "multilabel"),
    ("auc_multi_label_pr", "AUC", {"multi_label": True, "num_labels": 4, "curve": "PR",
                                   "label_weights": [1.0, 2.0, 0.5, 0.0]}, "multilabel"),
    ("auc_multi_label_weights", "AUC", {"multi_label": True, "label_weights": [0.2, 1, 1, 3]},
     "multilabel"),
    ("auc_label_weights", "AUC", {"label_weights": [1.0, 0.5, 2.0, 1.0]}, "multilabel"),
    ("auc_logits", "AUC", {"from_logits": True, "num_thresholds": 20}, "multilabel_logits"),
    ("precision_at_recall", "PrecisionAtRecall", {"recall": 0.5}, "binary_flat"),
    ("precision_at_recall_class", "PrecisionAtRecall",
     {"recall": 0.8, "class_id": 1, "num_thresholds": 30}, "multilabel"),
    ("recall_at_precision", "RecallAtPrecision", {"precision": 0.6}, "multilabel"),
    ("sensitivity_at_specificity", "SensitivityAtSpecificity", {"specificity": 0.5},
     "binary_flat"),
    ("sensitivity_at_specificity_1", "SensitivityAtSpecificity",
     {"specificity": 0.3, "num_thresholds": 1}, "multilabel"),
    ("specificity_at_sensitivity", "SpecificityAtSensitivity", {"sensitivity": 0.7},
     "multilabel"),
    ("iou", "IoU", {"num_classes": 3, "target_class_ids": [0, 2]}, "segmentation"),
    ("iou_ignore", "IoU", {"num_classes": 3, "target_class_ids": [1, 2], "ignore_class": 1},
     "segmentation"),
    ("iou_float", "IoU", {"num_classes": 3, "target_class_ids": [0, 1, 2], "dtype": "float32"},
     "segmentation_float_w"),
    ("binary_iou", "BinaryIoU", {}, "binary_seg"),
    ("binary_iou_t", "BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "binary_seg"),
    ("mean_iou", "MeanIoU", {"num_classes": 3}, "segmentation"),
    ("mean_iou_dense_pred", "MeanIoU", {"num_classes": 3, "sparse_y_true": False,
                                        "sparse_y_pred": False}, "onehot_seg"),
    ("one_hot_iou", "OneHotIoU", {"num_classes": 3, "target_class_ids": [0, 1]}, "onehot_seg"),
    ("one_hot_iou_sparse_pred", "OneHotIoU",
     {"num_classes": 3, "target_class_ids": [2], "sparse_y_pred": True}, "onehot_sparse_pred"),
    ("one_hot_mean_iou", "OneHotMeanIoU", {"num_classes": 3}, "onehot_seg"),
    ("f1", "F1Score", {}, "multilabel"),
    ("f1_micro", "F1Score", {"average": "micro", "threshold": 0.5}, "multilabel"),
    ("f1_macro", "F1Score", {"average": "macro"}, "categorical"),
    ("f1_weighted", "F1Score", {"average": "weighted", "threshold": 0.4}, "multilabel"),
    ("fbeta", "FBetaScore", {"beta": 2.0}, "multilabel"),
    ("fbeta_macro", "FBetaScore", {"beta": 0.5, "average": "macro", "threshold": 0.6},
     "multilabel"),
    ("pearson", "PearsonCorrelation", {}, "regression_wide"),
    ("pearson_axis0", "PearsonCorrelation", {"axis": 0}, "regression_wide", UNWEIGHTED),
    ("concordance", "ConcordanceCorrelation", {}, "regression_wide"),
]

FUNCTIONS = [
    # id, function, kwargs, data kind
    ("binary_accuracy", "binary_accuracy", {}, "binary"),
    ("binary_accuracy_t", "binary_accuracy", {"threshold": 0.3}, "multilabel"),
    ("binary_crossentropy", "binary_crossentropy", {}, "multilabel"),
    ("binary_crossentropy_logits", "binary_crossentropy",
     {"from_logits": True, "label_smoothing": 0.2}, "multilabel_logits"),
    ("binary_focal", "binary_focal_crossentropy", {}, "multilabel"),
    ("binary_focal_balanced", "binary_focal_crossentropy",
     {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5, "from_logits": True,
      "label_smoothing": 0.1}, "multilabel_logits"),
    ("categorical_accuracy", "categorical_accuracy", {}, "categorical"),
    ("categorical_accuracy_seq", "categorical_accuracy", {}, "categorical_seq"),
    ("categorical_crossentropy", "categorical_crossentropy", {}, "categorical"),
    ("categorical_crossentropy_logits", "categorical_crossentropy",
     {"from_logits": True, "label_smoothing": 0.1}, "categorical_logits"),
    ("categorical_focal", "categorical_focal_crossentropy", {}, "categorical"),
    ("categorical_focal_logits", "categorical_focal_crossentropy",
     {"alpha": 0.5, "gamma": 3.0, "from_logits": True, "label_smoothing": 0.1},
     "categorical_logits"),
    ("categorical_hinge", "categorical_hinge", {}, "categorical_logits"),
    ("concordance_correlation", "concordance_correlation", {}, "regression_wide"),
    ("hinge", "hinge", {}, "zero_one_scores"),
    ("hinge_signed", "hinge", {}, "signed"),
    ("huber", "huber", {}, "regression"),
    ("huber_delta", "huber", {"delta": 0.3}, "regression"),
    ("kl_divergence", "kl_divergence", {}, "distributions"),
    ("log_cosh", "log_cosh", {}, "regression"),
    ("mean_absolute_error", "mean_absolute_error", {}, "regression"),
    ("mean_absolute_percentage_error", "mean_absolute_percentage_error", {}, "regression"),
    ("mean_squared_error", "mean_squared_error", {}, "regression_flat"),
    ("mean_squared_logarithmic_error", "mean_squared_logarithmic_error", {}, "regression_pos"),
    ("pearson_correlation", "pearson_correlation", {}, "regression_wide"),
    ("poisson", "poisson", {}, "regression_pos"),
    ("sparse_categorical_accuracy", "sparse_categorical_accuracy", {}, "sparse_col"),
    ("sparse_categorical_crossentropy", "sparse_categorical_crossentropy", {}, "sparse"),
    ("sparse_categorical_crossentropy_ignore", "sparse_categorical_crossentropy",
     {"ignore_class": 2, "from_logits": True}, "sparse_logits"),
    ("sparse_top_k", "sparse_top_k_categorical_accuracy", {"k": 2}, "sparse"),
    ("sparse_top_k_sorted", "sparse_top_k_categorical_accuracy",
     {"k": 1, "from_sorted_ids": True}, "sorted_ids"),
    ("squared_hinge", "squared_hinge", {}, "signed"),
    ("top_k", "top_k_categorical_accuracy", {"k": 3}, "categorical"),
]

RESOLVE_SHAPES = [
    ((None, 1), (None, 1)), ((None,), (None, 1)), ((None,), (None, 5)), ((None, 1), (None, 5)),
    ((None, 5), (None, 5)), ((None, 10, 1), (None, 10, 5)), ((None, 10), (None, 10, 5)),
    ((None, 10, 5), (None, 10, 5)), ((None, 3), (None, 3)), ((None, 2), (None, 1)),
]


# -- running Keras -------------------------------------------------------------------------------

def kwargs_for_keras(kwargs):
    return {k: getattr(keras.metrics, v[FN]) if isinstance(v, dict) and FN in v else v
            for k, v in kwargs.items()}


def jsonable(x):
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if x is None or isinstance(x, (bool, int, float, str)):
        return x
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    return np.asarray(x).tolist()


def tolist(x):
    return np.asarray(x).astype("float64").tolist()


def run_case(seed, case_id, cls_name, kwargs, kind, pattern=WEIGHTED):
    rng = np.random.default_rng(seed)
    batches = []
    for weighted in pattern:
        args, sw = data(kind, rng)
        batches.append((args, sw if weighted else None))
    keras.utils.clear_session()
    metric = getattr(keras.metrics, cls_name)(**kwargs_for_keras(kwargs))
    results = []
    for args, sw in batches:
        metric.update_state(*args, sample_weight=sw)
        results.append(tolist(metric.result()))
    metric.reset_state()
    reset = tolist(metric.result())
    metric.update_state(*batches[0][0], sample_weight=batches[0][1])
    again = tolist(metric.result())
    return {
        "id": case_id, "class": cls_name, "kwargs": kwargs, "kind": kind,
        "name": metric.name, "config": jsonable(metric.get_config()),
        "num_variables": len(metric.variables),
        "batches": [{"args": [enc(a) for a in args], "sample_weight": enc(sw)}
                    for args, sw in batches],
        "results": results, "reset_result": reset, "after_reset": again,
    }


def run_function(seed, case_id, fn_name, kwargs, kind):
    rng = np.random.default_rng(seed)
    args, _ = data(kind, rng)
    out = getattr(keras.metrics, fn_name)(*args, **kwargs)
    return {"id": case_id, "fn": fn_name, "kwargs": kwargs, "args": [enc(a) for a in args],
            "result": tolist(out), "shape": list(np.shape(out))}


def resolve_table():
    rows = []
    for t_shape, p_shape in RESOLVE_SHAPES:
        yt, yp = keras.KerasTensor(t_shape), keras.KerasTensor(p_shape)
        row = {"y_true_shape": list(t_shape), "y_pred_shape": list(p_shape)}
        for name in ("accuracy", "acc", "ACC"):
            m = compile_utils.get_metric(name, yt, yp)
            row[name] = {"class": type(m).__name__, "name": m.name}
        loss = compile_utils.get_loss("crossentropy", yt, yp)
        row["crossentropy"] = loss.fn.__name__
        rows.append(row)
    named = {}
    for ident in ("mse", "MAE", "auc", "categorical_crossentropy", "Precision"):
        m = compile_utils.get_metric(ident, keras.KerasTensor((None, 3)),
                                     keras.KerasTensor((None, 3)))
        named[ident] = {"class": type(m).__name__, "name": m.name}
    return rows, named


def main():
    cases = []
    for i, c in enumerate(CASES):
        try:
            cases.append(run_case(1000 + i, *c))
        except Exception:
            print("failed:", c[0])
            raise
    functions = [run_function(5000 + i, *f) for i, f in enumerate(FUNCTIONS)]
    resolve, named = resolve_table()
    out = {
        "keras_version": keras.__version__,
        "backend": keras.backend.backend(),
        "names": {"public": sorted(n for n in dir(keras.metrics) if not n.startswith("_")),
                  "get_identifiers": sorted(ALL_OBJECTS_DICT)},
        "cases": cases, "functions": functions, "resolve": resolve, "resolve_named": named,
    }
    path = HERE / "keras_metrics.json"
    path.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(cases)} metric cases, {len(functions)} functions)")


if __name__ == "__main__":
    main()
