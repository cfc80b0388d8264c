"""Optimizers against real Keras 3.15.1 (tests/data/keras_optimizers.json, made by
tests/data/make_keras_optimizers.py): variable values after each step, `iterations`, EMA
finalization, the optimizer's variables and get_config(); plus config round-trips, lookup by
name and error messages.

Each reference case runs twice: eagerly (`optimizer.apply`), and as a pure function of the state
under keraslite.backend.jit, the way the trainer runs it (values in a StatelessScope).
"""

import json
import pathlib
import re
import warnings

import numpy as np
import pytest

from keraslite import backend, ops, optimizers
from keraslite.backend.variables import StatelessScope
from keraslite.optimizers import schedules

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_optimizers.json").read_text())
CASES = {case["id"]: case for case in DATA["optimizers"]}
RTOL, ATOL = 1e-5, 1e-6
# Every class of keras.optimizers with an update rule; each must have reference cases.
ALL_CLASSES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam",
               "Ftrl", "Lion", "Lamb", "Adafactor", "Muon", "ScheduleFreeAdamW",
               "LossScaleOptimizer", "MultiOptimizer"]


def make_optimizer(class_name, kwargs):
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("learning_rate"), dict):
        kwargs["learning_rate"] = schedules.deserialize(kwargs["learning_rate"])
    if class_name == "LossScaleOptimizer":
        kwargs["inner_optimizer"] = optimizers.deserialize(kwargs["inner_optimizer"])
    if class_name == "MultiOptimizer":
        default = optimizers.deserialize(kwargs["default_optimizer"])
        mapping = {k: optimizers.deserialize(v) for k, v in kwargs["optimizer_map"].items()}
        return optimizers.MultiOptimizer(optimizers.OptimizerMap(default, mapping))
    return getattr(optimizers, class_name)(**kwargs)


def setup_case(case):
    variables = [backend.Variable(np.asarray(v["value"], "float32"), name=v["name"])
                 for v in case["vars"]]
    opt = make_optimizer(case["class_name"], case["kwargs"])
    if case["exclude_wd"]:
        opt.exclude_from_weight_decay(var_names=case["exclude_wd"])
    grads = [[None if g is None else np.asarray(g, "float32") for g in row]
             for row in case["grads"]]
    return variables, opt, grads


def tensors(row):
    return [None if g is None else ops.convert_to_tensor(g) for g in row]


def run_eager(opt, variables, grads):
    for row in grads:
        opt.apply(tensors(row), variables)
        yield


def run_jit(opt, variables, grads):
    """The trainer's way: build first, then a jitted pure function of the state values."""
    opt.build(variables)
    opt_vars = opt.variables

    def step(var_values, opt_values, grad_values):
        mapping = list(zip(variables + opt_vars, list(var_values) + list(opt_values)))
        with StatelessScope(mapping) as scope:
            opt.apply(grad_values, variables)
        return ([scope.get_current_value(v) for v in variables],
                [scope.get_current_value(v) for v in opt_vars])

    jitted = backend.jit(step)
    for row in grads:
        new_vars, new_opt = jitted([v.value for v in variables], [v.value for v in opt_vars],
                                   tensors(row))
        for var, value in zip(variables + opt_vars, list(new_vars) + list(new_opt)):
            var.assign(value)
        assert len(opt.variables) == len(opt_vars), "apply created variables after build"
        yield


def run_strided(opt, variables, grads):
    """Matrix gradients as transposed views (not contiguous, as the gradient of a transposed
    weight is): fused kernels must not read them as raw memory."""
    for row in grads:
        opt.apply([None if g is None else ops.transpose(ops.convert_to_tensor(
            np.ascontiguousarray(g.T))) if g.ndim == 2 else ops.convert_to_tensor(g)
            for g in row], variables)
        yield


RUNNERS = [pytest.param(run_eager, id="eager"), pytest.param(run_jit, id="jit"),
           pytest.param(run_strided, id="strided")]


def close(actual, expected, what):
    np.testing.assert_allclose(np.asarray(actual, "float64"), np.asarray(expected, "float64"),
                               rtol=RTOL, atol=ATOL, err_msg=what)


def without_names(config):
    """Configs minus every "name" (Keras numbers default names per session)."""
    if isinstance(config, dict):
        return {k: without_names(v) for k, v in config.items() if k != "name"}
    if isinstance(config, list):
        return [without_names(v) for v in config]
    return config


def var_kind(dtype):
    dtype = backend.standardize_dtype(dtype)
    return "int" if "int" in dtype else dtype


# ------------------------------------------------------------------------------------------
# against Keras


def test_every_keras_optimizer_has_reference_cases():
    covered = {case["class_name"] for case in DATA["optimizers"]}
    assert covered == set(ALL_CLASSES)
    assert DATA["keras_version"] == "3.15.1"


@pytest.mark.parametrize("run", RUNNERS)
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_matches_keras(case_id, run):
    case = CASES[case_id]
    variables, opt, grads = setup_case(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # None gradients warn, as in Keras
        for step, _ in enumerate(run(opt, variables, grads)):
            for var, expected in zip(variables, case["values"][step]):
                close(var.numpy(), expected, f"{case_id}: {var.name} after step {step + 1}")
            assert int(np.asarray(ops.convert_to_numpy(opt.iterations))) == \
                case["iterations"][step]
            if "dynamic_scale" in case:
                close(opt.dynamic_scale.numpy(), case["dynamic_scale"][step], "dynamic_scale")
    opt.finalize_variable_values(variables)
    for var, expected in zip(variables, case["finalized"]):
        close(var.numpy(), expected, f"{case_id}: {var.name} after finalize_variable_values")


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_variables_line_up_with_keras(case_id):
    # Same count, order, names, shapes and dtype kinds: optimizer weights are saved by position.
    case = CASES[case_id]
    variables, opt, _ = setup_case(case)
    opt.build(variables)
    got = [[v.name, list(v.shape), var_kind(v.dtype)] for v in opt.variables]
    # Keras' unnamed variables (Nadam's momentum product) are numbered per session.
    expected = [[re.sub(r"^variable_\d+$", "variable", name), shape, kind]
                for name, shape, kind in case["optimizer_variables"]]
    assert got == expected


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_config_matches_keras_and_round_trips(case_id):
    case = CASES[case_id]
    _, opt, _ = setup_case(case)
    config = opt.get_config()
    assert without_names(config) == without_names(case["config"])
    json.dumps(config)  # plain JSON
    again = type(opt).from_config(json.loads(json.dumps(config)))
    assert type(again) is type(opt)
    assert again.get_config() == config
    restored = optimizers.deserialize(optimizers.serialize(opt))
    assert type(restored) is type(opt) and restored.get_config() == config


@pytest.mark.parametrize("class_name", sorted(DATA["default_configs"]))
def test_defaults_match_keras(class_name):
    opt = getattr(optimizers, class_name)()
    config = opt.get_config()
    assert without_names(config) == DATA["default_configs"][class_name]
    base = DATA["names"][class_name]
    assert re.fullmatch(rf"{base}(_\d+)?", config["name"]), config["name"]


def test_default_names_are_numbered_per_class():
    first, second = optimizers.Lion(), optimizers.Lion()
    assert first.name != second.name
    assert optimizers.RMSprop(name="mine").name == "mine"


def test_stateless_apply_matches_keras():
    case = CASES["adam_amsgrad"]
    variables, opt, grads = setup_case(case)
    opt.build(variables)
    fn = backend.jit(opt.stateless_apply)
    var_values = [v.value for v in variables]
    opt_values = [v.value for v in opt.variables]
    for step, row in enumerate(grads):
        var_values, opt_values = fn(opt_values, tensors(row), var_values)
        for value, expected in zip(var_values, case["values"][step]):
            close(ops.convert_to_numpy(value), expected, f"stateless step {step + 1}")
    # stateless_apply leaves the real variables alone
    close(variables[0].numpy(), case["vars"][0]["value"], "untouched")


# ------------------------------------------------------------------------------------------
# lookup and serialization


@pytest.mark.parametrize("alias,class_name", [
    ("sgd", "SGD"), ("adam", "Adam"), ("adamw", "AdamW"), ("rmsprop", "RMSprop"),
    ("adagrad", "Adagrad"), ("adadelta", "Adadelta"), ("adamax", "Adamax"), ("nadam", "Nadam"),
    ("ftrl", "Ftrl"), ("lion", "Lion"), ("lamb", "Lamb"), ("adafactor", "Adafactor"),
    ("muon", "Muon"), ("schedulefreeadamw", "ScheduleFreeAdamW"), ("Adam", "Adam"),
    ("RMSprop", "RMSprop"),
])
def test_get_by_name(alias, class_name):
    opt = optimizers.get(alias)
    assert type(opt) is getattr(optimizers, class_name)


def test_get_passes_through_and_reads_configs():
    opt = optimizers.SGD(learning_rate=0.5)
    assert optimizers.get(opt) is opt
    assert optimizers.get(None) is None
    from_dict = optimizers.get({"class_name": "SGD", "config": {"momentum": 0.5}})
    assert isinstance(from_dict, optimizers.SGD) and from_dict.momentum == 0.5
    # A Keras-written config (module and registered_name included) loads as well.
    keras_config = {"module": "keras.optimizers", "class_name": "Adam",
                    "config": CASES["adam_lr"]["config"], "registered_name": None}
    adam = optimizers.deserialize(keras_config)
    assert isinstance(adam, optimizers.Adam)
    np.testing.assert_allclose(float(adam.learning_rate), 0.1, rtol=1e-7)


def test_unknown_name_lists_choices():
    with pytest.raises(ValueError, match="adamm") as info:
        optimizers.get("adamm")
    message = str(info.value)
    for name in ("adam", "sgd", "rmsprop", "adamw"):
        assert name in message
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(42)


def test_serialize_matches_keras_layout():
    out = optimizers.serialize(optimizers.Adam(learning_rate=0.1, name="a"))
    assert out["module"] == "keras.optimizers" and out["class_name"] == "Adam"
    assert out["registered_name"] is None
    assert without_names(out["config"]) == without_names(CASES["adam_lr"]["config"])


def test_schedule_learning_rate_round_trips():
    opt = optimizers.Adam(learning_rate=schedules.ExponentialDecay(0.1, 2, 0.5))
    config = opt.get_config()
    assert config["learning_rate"]["module"] == "keras.optimizers.schedules"
    again = optimizers.Adam.from_config(config)
    assert isinstance(again._learning_rate, schedules.ExponentialDecay)
    assert again._learning_rate.get_config() == opt._learning_rate.get_config()


# ------------------------------------------------------------------------------------------
# behaviour


def test_learning_rate_property_and_setter():
    opt = optimizers.SGD(learning_rate=0.1)
    assert opt.learning_rate is opt._learning_rate  # the variable itself, as in Keras
    opt.learning_rate = 0.25
    np.testing.assert_allclose(float(opt.learning_rate), 0.25)
    assert opt.get_config()["learning_rate"] == 0.25
    # Switching to a schedule drops the learning-rate variable from the state.
    opt.learning_rate = schedules.ExponentialDecay(1.0, 1, 0.5)
    assert [v.name for v in opt.variables] == ["iteration"]
    opt._iterations.assign(2)
    np.testing.assert_allclose(float(ops.convert_to_numpy(opt.learning_rate)), 0.25, rtol=1e-6)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.1


def test_callable_learning_rate():
    var = backend.Variable(np.ones(3, "float32"), name="w")
    opt = optimizers.SGD(learning_rate=lambda: 0.5)
    opt.apply([ops.ones((3,))], [var])
    close(var.numpy(), np.full(3, 0.5), "callable lr")


def test_apply_gradients_and_apply_without_variables():
    var = backend.Variable(np.ones(2, "float32"), name="w")
    opt = optimizers.SGD(learning_rate=1.0)
    it = opt.apply_gradients([(ops.ones((2,)), var)])
    assert int(it.numpy()) == 1
    opt.apply([ops.ones((2,))])  # built: the variables are known
    close(var.numpy(), [-1.0, -1.0], "apply(grads)")
    with pytest.raises(ValueError, match="one-to-one"):
        opt.apply([ops.ones((2,)), ops.ones((2,))])


def test_none_gradients_warn_and_all_none_raises():
    a = backend.Variable(np.ones(2, "float32"), name="a")
    b = backend.Variable(np.ones(2, "float32"), name="b")
    opt = optimizers.SGD(learning_rate=1.0)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b'\]"):
        opt.apply([ops.ones((2,)), None], [a, b])
    close(a.numpy(), [0.0, 0.0], "a updated")
    close(b.numpy(), [1.0, 1.0], "b untouched")
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        opt.apply([None, None], [a, b])


def test_unknown_variable_and_unbuilt_errors():
    a = backend.Variable(np.ones(2, "float32"), name="a")
    opt = optimizers.Adam()
    with pytest.raises(ValueError, match="must already be built"):
        opt.apply([ops.ones((2,))])
    with pytest.raises(ValueError, match="must be built"):
        opt.stateless_apply([], [ops.ones((2,))], [a.value])
    opt.build([a])
    other = backend.Variable(np.ones(2, "float32"), name="other")
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply([ops.ones((2,))], [other])
    with pytest.raises(ValueError, match="before the optimizer is built"):
        opt.exclude_from_weight_decay(var_names=["a"])


def test_exclude_from_weight_decay_by_variable():
    a = backend.Variable(np.ones(2, "float32"), name="a")
    b = backend.Variable(np.ones(2, "float32"), name="b")
    opt = optimizers.SGD(learning_rate=0.5, weight_decay=0.1)
    opt.exclude_from_weight_decay(var_list=[b])
    opt.apply([ops.zeros((2,)), ops.zeros((2,))], [a, b])
    close(a.numpy(), [0.95, 0.95], "decayed")
    close(b.numpy(), [1.0, 1.0], "excluded")


def test_scale_loss_and_loss_scale_optimizer_state():
    assert optimizers.SGD().scale_loss(3.0) == 3.0
    np.testing.assert_allclose(float(optimizers.SGD(loss_scale_factor=4.0).scale_loss(3.0)), 12.0)
    lso = optimizers.LossScaleOptimizer(optimizers.SGD(loss_scale_factor=8.0), initial_scale=4.0)
    assert lso.inner_optimizer.loss_scale_factor is None
    np.testing.assert_allclose(float(ops.convert_to_numpy(lso.scale_loss(2.0))), 8.0)
    var = backend.Variable(np.ones(2, "float32"), name="w")
    lso.build([var])
    assert [v.name for v in lso.variables][:4] == [
        "iteration", "learning_rate", "step_counter", "dynamic_scale"]
    lso.learning_rate = 0.5
    np.testing.assert_allclose(float(lso.inner_optimizer.learning_rate), 0.5)


def test_multi_optimizer_routing_and_errors():
    sgd, adam = optimizers.SGD(learning_rate=0.1), optimizers.Adam()
    mapping = optimizers.OptimizerMap(sgd, {"encoder/.*": adam})
    assert mapping["encoder/dense"] is adam and mapping["decoder"] is sgd
    with pytest.raises(ValueError, match="already exists"):
        mapping["encoder/.*"] = optimizers.Lion()
    with pytest.raises(ValueError, match="cannot be LossScaleOptimizer"):
        mapping["x"] = optimizers.LossScaleOptimizer(optimizers.SGD())
    with pytest.raises(TypeError, match="default_optimizer"):
        optimizers.OptimizerMap("sgd")
    multi = optimizers.MultiOptimizer(mapping)
    assert multi.optimizers == [adam, sgd]
    with pytest.raises(AttributeError, match="MultiOptimizer"):
        _ = multi.learning_rate
    with pytest.raises(AttributeError, match="MultiOptimizer"):
        multi.learning_rate = 0.1

    # A selector function works too.
    var = backend.Variable(np.ones(2, "float32"), name="w")
    picked = optimizers.SGD(learning_rate=1.0)
    multi = optimizers.MultiOptimizer(lambda v: picked)
    multi.apply([ops.ones((2,))], [var])
    close(var.numpy(), [0.0, 0.0], "selector")
    assert multi.optimizers == [picked] and int(multi.iterations.numpy()) == 1


def test_set_weights_save_and_load_own_variables():
    var = backend.Variable(np.ones((2, 2), "float32"), name="w")
    opt = optimizers.Adam(learning_rate=0.1)
    opt.apply([ops.ones((2, 2))], [var])
    store = {}
    opt.save_own_variables(store)
    other = optimizers.Adam(learning_rate=0.1)
    other.build([backend.Variable(np.ones((2, 2), "float32"), name="w")])
    other.load_own_variables(store)
    for a, b in zip(opt.variables, other.variables):
        close(b.numpy(), a.numpy(), a.name)
    with pytest.raises(ValueError, match="not compatible"):
        other.set_weights([np.zeros(3)] * len(other.variables))
    with pytest.warns(UserWarning, match="Skipping variable loading"):
        other.load_own_variables({"0": 0})


def test_gradient_accumulation_iterations():
    var = backend.Variable(np.zeros(2, "float32"), name="w")
    opt = optimizers.SGD(learning_rate=1.0, gradient_accumulation_steps=3)
    for g in (1.0, 2.0, 6.0):
        opt.apply([ops.full((2,), g)], [var])
    close(var.numpy(), [-3.0, -3.0], "mean of 3 gradients")
    assert int(ops.convert_to_numpy(opt.iterations)) == 1
    assert int(opt._iterations.numpy()) == 3
    close(opt._accumulated_gradients[0].numpy(), [0.0, 0.0], "accumulator reset")


@pytest.mark.parametrize("make,message", [
    (lambda: optimizers.AdamW(weight_decay=None), "`weight_decay` must be a float"),
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0), "Only one of"),
    (lambda: optimizers.SGD(learning_rate=1), "should be float"),
    (lambda: optimizers.SGD(momentum=2.0), "`momentum` must be a float"),
    (lambda: optimizers.Adam(use_ema=True, ema_momentum=1.5), "ema_momentum"),
    (lambda: optimizers.Adam(use_ema=True, ema_overwrite_frequency=0.5),
     "ema_overwrite_frequency"),
    (lambda: optimizers.Adam(gradient_accumulation_steps=1), "gradient_accumulation_steps"),
    (lambda: optimizers.Adam(foo=1), "not recognized"),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5), "learning_rate_power"),
    (lambda: optimizers.Ftrl(l1_regularization_strength=-1.0), "l1_regularization_strength"),
    (lambda: optimizers.Lion(beta_1=0.0), "beta_1"),
    (lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), clipnorm=1.0),
     "does not support `clipnorm`"),
    (lambda: optimizers.LossScaleOptimizer(optimizers.SGD(), dynamic=False), "dynamic=False"),
])
def test_argument_errors(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_decay_argument_is_ignored_with_a_warning():
    with pytest.warns(UserWarning, match="`decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


def test_lazy_build_inside_a_scope_reads_real_values():
    # Building from inside apply creates real state from the variables' real values, even when
    # apply runs in a StatelessScope that overrides them.
    var = backend.Variable(np.ones(2, "float32"), name="w")
    opt = optimizers.ScheduleFreeAdamW(learning_rate=0.1)
    with StatelessScope([(var, ops.full((2,), 5.0))]) as scope:
        opt.apply([ops.ones((2,))], [var])
    close(opt._momentums[0].numpy(), [1.0, 1.0], "z starts at the real weights")
    close(var.numpy(), [1.0, 1.0], "the real variable is untouched")
    assert scope.get_current_value(var) is not None


# ---------------------------------------------------------------------------------------------
# the fused updates of the `optimizers` contract group, against the per-variable rule in numpy


def _fused_inputs(seed, n_slots):
    rng = np.random.default_rng(seed)
    shapes = [(5, 3), (3,), (2, 2, 2)]
    draw = [[rng.standard_normal(s).astype("float32") for s in shapes]
            for _ in range(2 + n_slots)]
    draw[-1] = [np.abs(a) for a in draw[-1]]  # velocities are non-negative
    return draw


@pytest.mark.parametrize("donate", [False, True])
def test_fused_adam_update_matches_the_rule(donate):
    w, g, m, v = _fused_inputs(0, 2)
    lr, it, b1, b2, eps = 0.01, 4, 0.9, 0.999, 1e-7
    t = it + 1
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    want_m = [a + (c - a) * (1 - b1) for a, c in zip(m, g)]
    want_v = [a + (c * c - a) * (1 - b2) for a, c in zip(v, g)]
    want_w = [a - c * alpha / (np.sqrt(d) + eps) for a, c, d in zip(w, want_m, want_v)]
    tensors = [[ops.convert_to_tensor(a) for a in group] for group in (w, g, m, v)]
    kept = [[np.array(ops.convert_to_numpy(a)) for a in group] for group in tensors]
    new = backend.optimizers.adam_update(
        *tensors, ops.convert_to_tensor(np.float32(lr)), ops.convert_to_tensor(it, "int64"),
        b1, b2, eps, donate=donate)
    for got, want in zip(new, (want_w, want_m, want_v)):
        for a, b in zip(got, want):
            np.testing.assert_allclose(ops.convert_to_numpy(a), b, rtol=1e-6, atol=1e-7)
            assert backend.standardize_dtype(a.dtype) == "float32"
    if not donate:  # the inputs are untouched
        for group, before in zip(tensors, kept):
            for a, b in zip(group, before):
                np.testing.assert_array_equal(ops.convert_to_numpy(a), b)


@pytest.mark.parametrize("momentum,nesterov", [(0.0, False), (0.9, False), (0.9, True)])
@pytest.mark.parametrize("donate", [False, True])
def test_fused_sgd_update_matches_the_rule(momentum, nesterov, donate):
    w, g, m = _fused_inputs(1, 1)
    lr = 0.05
    if momentum:
        want_m = [a * momentum - c * lr for a, c in zip(m, g)]
        want_w = [a + (b * momentum - c * lr if nesterov else b)
                  for a, b, c in zip(w, want_m, g)]
    else:
        want_m, want_w = None, [a - c * lr for a, c in zip(w, g)]
    tensors = [[ops.convert_to_tensor(a) for a in group] for group in (w, g, m)]
    kept = [np.array(ops.convert_to_numpy(a)) for a in tensors[0]]
    new_w, new_m = backend.optimizers.sgd_update(
        tensors[0], tensors[1], tensors[2] if momentum else None,
        ops.convert_to_tensor(np.float32(lr)), momentum, nesterov, donate=donate)
    for a, b in zip(new_w, want_w):
        np.testing.assert_allclose(ops.convert_to_numpy(a), b, rtol=1e-6, atol=1e-7)
    if momentum:
        for a, b in zip(new_m, want_m):
            np.testing.assert_allclose(ops.convert_to_numpy(a), b, rtol=1e-6, atol=1e-7)
    else:
        assert new_m is None
    if not donate:
        for a, b in zip(tensors[0], kept):
            np.testing.assert_array_equal(ops.convert_to_numpy(a), b)


def test_trainer_does_not_write_into_arrays_or_tensors_it_was_given():
    """Fused updates write in place on torch; weights set from the user's tensors and arrays
    handed out by get_weights() must not change with them."""
    from keraslite import layers, models

    model = models.Sequential([layers.Input((3,)), layers.Dense(2)])
    kernel = ops.convert_to_tensor(np.ones((3, 2), "float32"))
    model.layers[0].kernel.assign(kernel)
    before = model.get_weights()
    snapshot = [w.copy() for w in before]
    model.compile(optimizer="adam", loss="mse")
    model.fit(np.ones((8, 3), "float32"), np.zeros((8, 2), "float32"), verbose=0, epochs=2)
    np.testing.assert_array_equal(ops.convert_to_numpy(kernel), np.ones((3, 2), "float32"))
    for a, b in zip(before, snapshot):
        np.testing.assert_array_equal(a, b)
    assert not np.allclose(model.get_weights()[0], 1.0)  # training did change the weights
