"""keraslite.metrics against real Keras 3 (tests/data/keras_metrics.json, made by
tests/data/make_keras_metrics.py): results after several updates, reset, configs, names,
compile-time resolution; and every metric again as a pure function under backend.jit."""

import json
import pathlib
import re
import warnings

import numpy as np
import pytest

from keraslite import backend, metrics, ops
from keraslite.metrics import metric as metric_module
from keraslite.metrics import registry, resolve
from keraslite.metrics.metric import Metric

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_metrics.json").read_text())
CASES = {c["id"]: c for c in DATA["cases"]}
FUNCTIONS = {f["id"]: f for f in DATA["functions"]}
FN = "__function__"

# float32 arithmetic, summed in different orders by each framework.
RTOL, ATOL = 2e-5, 2e-6

# Config keys keraslite writes on purpose although Keras 3.15 does not (see the class).
EXTRA_CONFIG_KEYS = {"CosineSimilarity": {"axis"}}


def decode(a):
    if a is None:
        return None
    return np.asarray(a["data"], dtype=a["dtype"])


def batches(case):
    return [([decode(a) for a in b["args"]], decode(b["sample_weight"]))
            for b in case["batches"]]


def make(case):
    kwargs = {k: getattr(metrics, v[FN]) if isinstance(v, dict) and FN in v else v
              for k, v in case["kwargs"].items()}
    return getattr(metrics, case["class"])(**kwargs)


def check(actual, expected, what):
    actual = np.asarray(backend.convert_to_numpy(actual), dtype="float64")
    np.testing.assert_allclose(actual, np.asarray(expected, dtype="float64"), rtol=RTOL,
                               atol=ATOL, equal_nan=True, err_msg=what)


def quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. IoU's float-weights warning, as Keras gives
        return fn(*args, **kwargs)


def strip_uid(name):
    return re.sub(r"_\d+$", "", name)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_metric_matches_keras(case_id):
    case = CASES[case_id]
    m = make(case)
    data = batches(case)
    for i, (args, sw) in enumerate(data):
        quiet(m.update_state, *args, sample_weight=sw)
        check(m.result(), case["results"][i], f"{case_id}: result after batch {i}")
    assert len(m.variables) == case["num_variables"]
    m.reset_state()
    check(m.result(), case["reset_result"], f"{case_id}: result after reset_state")
    args, sw = data[0]
    out = quiet(m, *args, sample_weight=sw)  # __call__: update, then result
    check(out, case["after_reset"], f"{case_id}: __call__ after reset_state")


def _stateless_run(m, data, jit):
    """Feed the batches through stateless_update_state/stateless_result (compiled when jit)."""
    def step_weighted(state, args, sw):
        state = m.stateless_update_state(state, *args, sample_weight=sw)
        return state, m.stateless_result(state)

    def step_plain(state, args):
        state = m.stateless_update_state(state, *args)
        return state, m.stateless_result(state)

    if jit:
        step_weighted, step_plain = backend.jit(step_weighted), backend.jit(step_plain)
    state = [v.value for v in m.variables]
    results = []
    for args, sw in data:
        args = [ops.convert_to_tensor(a) for a in args]
        if sw is None:
            state, res = quiet(step_plain, state, args)
        else:
            state, res = quiet(step_weighted, state, args, ops.convert_to_tensor(sw))
        results.append(res)
    return state, results


@pytest.mark.parametrize("jit", [True, False], ids=["jit", "eager"])
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_metric_as_pure_function_matches_keras(case_id, jit):
    case = CASES[case_id]
    m = make(case)
    data = batches(case)
    if not m.built:  # what a trainer does before compiling the step
        m.build(tuple(np.shape(data[0][0][0])), tuple(np.shape(data[0][0][-1])))
    before = [backend.convert_to_numpy(v.value) for v in m.variables]
    state, results = _stateless_run(m, data, jit)
    for i, res in enumerate(results):
        check(res, case["results"][i], f"{case_id}: stateless result after batch {i}")
    # The metric's own variables were never written.
    for v, old in zip(m.variables, before):
        np.testing.assert_array_equal(backend.convert_to_numpy(v.value), old)
    assert len(state) == len(m.variables)
    zeros = m.stateless_reset_state()
    check(m.stateless_result(zeros), case["reset_result"], f"{case_id}: stateless reset")


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_config_matches_keras(case_id):
    case = CASES[case_id]
    m = make(case)
    ours, theirs = m.get_config(), dict(case["config"])
    extra = EXTRA_CONFIG_KEYS.get(case["class"], set())
    assert set(ours) - extra == set(theirs), (sorted(ours), sorted(theirs))
    if "name" not in case["kwargs"]:
        assert strip_uid(ours["name"]) == strip_uid(theirs["name"])
        assert strip_uid(m.name) == case["name"]
    else:
        assert ours["name"] == theirs["name"] == m.name
    for key in set(theirs) - {"name"}:
        if key == "fn":  # a function, in Keras' dict form (Keras 3 calls a bare name)
            assert ours["fn"] == theirs["fn"]
        elif key == "label_weights" and theirs[key] is not None:
            np.testing.assert_allclose(ours[key], theirs[key])
        else:
            assert ours[key] == theirs[key], key
    json.dumps(ours)  # configs must be plain JSON


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_config_round_trip(case_id):
    case = CASES[case_id]
    m = make(case)
    config = m.get_config()
    again = type(m).from_config(config)
    assert again.get_config() == config
    restored = metrics.deserialize(json.loads(json.dumps(metrics.serialize(m))))
    assert type(restored) is type(m) and restored.get_config() == config
    assert type(metrics.get(metrics.serialize(m))) is type(m)
    # A metric rebuilt from its config computes what Keras computed.
    args, sw = batches(case)[0]
    quiet(restored.update_state, *args, sample_weight=sw)
    check(restored.result(), case["results"][0], f"{case_id}: restored metric")


@pytest.mark.parametrize("fn_id", sorted(FUNCTIONS))
def test_function_matches_keras(fn_id):
    case = FUNCTIONS[fn_id]
    fn = getattr(metrics, case["fn"])
    args = [decode(a) for a in case["args"]]
    out = fn(*args, **case["kwargs"])
    assert tuple(ops.shape(out)) == tuple(case["shape"])
    check(out, case["result"], fn_id)
    compiled = backend.jit(lambda *a: fn(*a, **case["kwargs"]))
    check(compiled(*[ops.convert_to_tensor(a) for a in args]), case["result"], f"{fn_id} (jit)")


def test_public_names_match_keras():
    missing = [n for n in DATA["names"]["public"] if not hasattr(metrics, n)]
    assert missing == []
    assert set(DATA["names"]["public"]) <= set(metrics.__all__)
    assert sorted(registry.ALL_OBJECTS_DICT) == DATA["names"]["get_identifiers"]
    # As in Keras, the loss functions keras.metrics exports are the losses themselves.
    from keraslite import losses

    shared = [n for n in DATA["names"]["public"] if n.islower() and hasattr(losses, n)
              and n not in ("get", "serialize", "deserialize")]
    assert len(shared) >= 15
    assert all(getattr(metrics, n) is getattr(losses, n) for n in shared)


# Classes whose constructor has required arguments: get() cannot build them (nor can Keras').
NEED_ARGUMENTS = {"MeanMetricWrapper", "IoU", "MeanIoU", "OneHotIoU", "OneHotMeanIoU",
                  "PrecisionAtRecall", "RecallAtPrecision", "SensitivityAtSpecificity",
                  "SpecificityAtSensitivity"}


@pytest.mark.parametrize("identifier", DATA["names"]["get_identifiers"])
def test_get_by_name(identifier):
    cls = registry.ALL_OBJECTS_DICT[identifier]
    assert identifier in (cls.__name__, metric_module.to_snake_case(cls.__name__)) or (
        identifier.lower() in ("bce", "mse", "mae", "mape", "msle"))
    if cls.__name__ in NEED_ARGUMENTS:
        with pytest.raises(TypeError):
            metrics.get(identifier)
    else:
        assert type(metrics.get(identifier)) is cls


def test_get_other_identifiers():
    assert metrics.get(None) is None
    mse = metrics.MeanSquaredError()
    assert metrics.get(mse) is mse
    assert isinstance(metrics.get(metrics.AUC), metrics.AUC)
    assert metrics.get(metrics.huber) is metrics.huber
    got = metrics.get({"class_name": "CategoricalCrossentropy", "config": {"from_logits": True}})
    assert isinstance(got, metrics.CategoricalCrossentropy) and got.from_logits
    assert metrics.get("mse").name == "mean_squared_error"
    assert isinstance(metrics.get("bce"), metrics.BinaryCrossentropy)


def test_unknown_names_list_the_valid_choices():
    with pytest.raises(ValueError, match=r"Could not interpret metric identifier: 'nosuch'"
                                         r"\. Valid choices: .*\bauc\b.*\bmse\b"):
        metrics.get("nosuch")
    with pytest.raises(ValueError, match=r"Unknown metric: 'NoSuch'\. Valid choices: .*AUC"):
        metrics.deserialize({"class_name": "NoSuch", "config": {}})
    with pytest.raises(ValueError, match="Unknown metric: 'nosuch'"):
        metrics.deserialize("nosuch")
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get(42)


def test_functions_serialize_by_name():
    assert metrics.serialize(metrics.mean_squared_error) == "mean_squared_error"
    fn_config = {"module": "builtins", "class_name": "function", "config": "huber",
                 "registered_name": "function"}  # as Keras writes it
    assert metrics.deserialize(fn_config) is metrics.huber
    wrapper = metrics.MeanMetricWrapper.from_config(
        {"name": "h", "dtype": "float32", "fn": fn_config, "delta": 2.0})
    assert wrapper.get_config() == {"name": "h", "dtype": "float32", "fn": fn_config,
                                    "delta": 2.0}
    assert metrics.MeanMetricWrapper(metrics.mean_absolute_error)._direction == "down"


@pytest.mark.parametrize("row", DATA["resolve"], ids=lambda r: f"{r['y_true_shape']}-"
                                                               f"{r['y_pred_shape']}")
def test_resolve_matches_keras(row):
    t, p = tuple(row["y_true_shape"]), tuple(row["y_pred_shape"])
    for name in ("accuracy", "acc", "ACC"):
        m = metrics.resolve_accuracy(name, None, t, p)
        assert (type(m).__name__, m.name) == (row[name]["class"], row[name]["name"])
        m = resolve.get_metric(name, t, p)
        assert (type(m).__name__, m.name) == (row[name]["class"], row[name]["name"])
    assert metrics.resolve_crossentropy("crossentropy", t, p) == row["crossentropy"]
    assert metrics.resolve_crossentropy("ce", t, p) == row["crossentropy"]


def test_resolve_other_metrics_matches_keras():
    for ident, want in DATA["resolve_named"].items():
        m = resolve.get_metric(ident, (None, 3), (None, 3))
        assert (type(m).__name__, m.name) == (want["class"], want["name"])
    wrapped = resolve.get_metric(metrics.huber, (None, 3), (None, 3))
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "huber"
    with pytest.raises(ValueError, match="Expected metric, received `None`"):
        resolve.get_metric(None)


def test_resolve_without_shapes_falls_back_on_the_loss():
    assert isinstance(metrics.resolve_accuracy("acc", "binary_crossentropy"),
                      metrics.BinaryAccuracy)
    assert isinstance(metrics.resolve_accuracy("acc", metrics.sparse_categorical_crossentropy),
                      metrics.SparseCategoricalAccuracy)
    assert isinstance(metrics.resolve_accuracy("accuracy", "mse"), metrics.CategoricalAccuracy)
    with pytest.raises(ValueError, match="resolve_accuracy expects one of"):
        metrics.resolve_accuracy("mse", None, (None, 1), (None, 1))


@pytest.mark.parametrize("make_bad, message", [
    (lambda: metrics.AUC(num_thresholds=1), r"`num_thresholds` must be an integer > 1"),
    (lambda: metrics.AUC(curve="XY"), r'Invalid AUC curve value: "XY"'),
    (lambda: metrics.AUC(summation_method="sideways"), r"Invalid AUC summation method"),
    (lambda: metrics.AUC(num_labels=3), r"`num_labels` is needed only when `multi_label`"),
    (lambda: metrics.Precision(thresholds=[0.5, 1.5]), r"Threshold values must be in \[0, 1\]"),
    (lambda: metrics.Recall(thresholds=-0.1), r"Threshold values must be in \[0, 1\]"),
    (lambda: metrics.PrecisionAtRecall(1.5), r"`recall` must be in the range \[0, 1\]"),
    (lambda: metrics.RecallAtPrecision(-1), r"`precision` must be in the range \[0, 1\]"),
    (lambda: metrics.SensitivityAtSpecificity(2), r"`specificity` must be in the range"),
    (lambda: metrics.SpecificityAtSensitivity(0.5, num_thresholds=0),
     r"`num_thresholds` must be an integer > 0"),
    (lambda: metrics.FBetaScore(beta=1), r"`beta` argument value. It should be a Python float"),
    (lambda: metrics.FBetaScore(beta=-1.0), r"It should be > 0"),
    (lambda: metrics.F1Score(average="mean"), r"Invalid `average` argument value"),
    (lambda: metrics.F1Score(threshold=1.5), r"0 < threshold <= 1"),
    (lambda: metrics.F1Score(threshold=1), r"`threshold` argument value. It should be a Python"),
    (lambda: metrics.R2Score(class_aggregation="max"), r"`class_aggregation`"),
    (lambda: metrics.R2Score(num_regressors=-1), r"Expected a value >= 0"),
    (lambda: metrics.IoU(3, [0, 3]), r"Target class id 3 is out of range, which is \[0, 3\)"),
    (lambda: metrics.categorical_crossentropy(np.eye(2), np.eye(2), axis=True),
     r"`axis` must be of type `int`"),
], ids=lambda x: x if isinstance(x, str) else "")
def test_argument_errors(make_bad, message):
    with pytest.raises(ValueError, match=message):
        make_bad()


def test_shape_errors():
    f1 = metrics.F1Score()
    with pytest.raises(ValueError, match=r"F1Score expects 2D inputs"):
        f1.update_state(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"R2Score expects 2D inputs"):
        metrics.R2Score().update_state(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match=r"`y_pred` must have rank 2 when `multi_label=True`"):
        metrics.AUC(multi_label=True).update_state(np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match=r"When class_id is provided, y_pred must be a 2D"):
        metrics.Precision(class_id=1).update_state(np.zeros(3), np.zeros(3))


def test_masks_on_predictions_weight_the_mean():
    from keraslite.losses.loss import set_keras_mask

    y_true = ops.convert_to_tensor(np.array([[1.0], [2.0], [3.0]], "float32"))
    y_pred = ops.convert_to_tensor(np.array([[1.0], [4.0], [0.0]], "float32"))
    set_keras_mask(y_pred, ops.convert_to_tensor(np.array([True, True, False])))
    m = metrics.MeanSquaredError()
    m.update_state(y_true, y_pred)
    check(m.result(), 2.0, "masked entry left out")  # (0 + 4) / 2
    m.update_state(y_true, y_pred, sample_weight=np.array([1.0, 3.0, 5.0], "float32"))
    check(m.result(), (4.0 + 12.0) / (2.0 + 4.0), "mask times sample weights")


def test_stateless_calls_check_the_state_length():
    m = metrics.Mean()
    with pytest.raises(ValueError, match=r"expected 2, received 1"):
        m.stateless_update_state([ops.zeros(())], np.ones(3))
    with pytest.raises(ValueError, match=r"expected 2, received 3"):
        m.stateless_result([ops.zeros(())] * 3)
    f1 = metrics.F1Score()
    with pytest.raises(ValueError, match=r"is not built: call build\(y_true_shape, y_pred_shape\)"):
        f1.stateless_update_state([], np.ones((2, 3)), np.ones((2, 3)))
    f1.build((None, 3), (None, 3))
    f1.build((None, 3), (None, 3))  # a trainer may build again: nothing new is made
    assert [tuple(v.shape) for v in f1.variables] == [(3,)] * 4
    auc = metrics.AUC()
    auc.build((None, 1), (None, 1))
    assert len(auc.variables) == 4


def test_variables_are_named_non_trainable_state():
    m = metrics.Mean(name="loss_mean")
    assert [v.path for v in m.variables] == ["loss_mean/total", "loss_mean/count"]
    assert not any(v.trainable for v in m.variables)
    assert [v.aggregation for v in m.variables] == ["sum", "sum"]
    assert metrics.MeanIoU(3).dtype == "int32" and metrics.MeanIoU(3).variables[0].dtype == "int32"


def test_default_names_are_made_unique():
    first, second = metrics.AUC(), metrics.AUC()
    assert strip_uid(first.name) == strip_uid(second.name) == "auc"
    assert first.name != second.name
    assert metrics.Mean().name == metrics.Mean().name == "mean"  # explicit defaults are kept


def test_dtype_policies():
    assert metrics.Mean().dtype == "float32"
    assert metrics.Mean(dtype="mixed_float16").dtype == "float16"
    assert metrics.Mean(dtype="bfloat16").total.dtype == "bfloat16"

    class Policy:
        compute_dtype = "float16"

    assert metrics.Sum(dtype=Policy()).dtype == "float16"


class BinaryTruePositives(Metric):
    """A user metric written the way Keras documents it."""

    def __init__(self, name="binary_true_positives", **kwargs):
        super().__init__(name=name, **kwargs)
        self.true_positives = self.add_variable(shape=(), initializer="zeros",
                                                name="true_positives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        hits = ops.cast(ops.logical_and(ops.cast(y_true, "bool"), ops.cast(y_pred, "bool")),
                        self.dtype)
        if sample_weight is not None:
            hits = hits * ops.cast(sample_weight, self.dtype)
        self.true_positives.assign(self.true_positives + ops.sum(hits))

    def result(self):
        return self.true_positives.value


def test_user_metric_subclass():
    m = BinaryTruePositives()
    check(m([1, 1, 0, 1], [1, 0, 1, 1], sample_weight=[1.0, 1.0, 1.0, 0.5]), 1.5, "call")
    check(m([1], [1]), 2.5, "accumulates")
    state = m.stateless_update_state([ops.zeros(())], np.ones(2), np.ones(2))
    check(m.stateless_result(state), 2.0, "stateless")
    check(m.result(), 2.5, "stateless calls leave the metric alone")
    m.reset_state()
    check(m.result(), 0.0, "reset")
    assert m.get_config() == {"name": "binary_true_positives", "dtype": "float32"}


def test_sub_metrics_and_attribute_variables_are_tracked():
    class Pair(Metric):
        def __init__(self):
            super().__init__(name="pair")
            self.inner = metrics.Mean(name="inner")
            self.extra = self.add_weight(shape=(2,), initializer="ones", name="extra")

        def update_state(self, x):
            self.inner.update_state(x)

        def result(self):
            return self.inner.result()

    m = Pair()
    assert [v.path for v in m.variables] == ["pair/extra", "inner/total", "inner/count"]
    state = m.stateless_update_state([v.value for v in m.variables], np.array([2.0, 4.0]))
    check(m.stateless_result(state), 3.0, "nested stateless")
    check(state[0], [1.0, 1.0], "untouched variables keep their value")


def test_forgetting_super_init_is_reported():
    class Broken(Metric):
        def __init__(self):
            self.v = None

    with pytest.raises(RuntimeError, match=r"must call super\(\).__init__\(\)"):
        Broken().add_variable((), "zeros")


def test_abstract_methods_say_what_is_missing():
    with pytest.raises(NotImplementedError, match="must implement update_state"):
        Metric().update_state(1)
    with pytest.raises(NotImplementedError, match="must implement result"):
        Metric().result()
