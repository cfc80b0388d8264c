"""Learning-rate schedules against real Keras 3.15.1 (tests/data/keras_optimizers.json): values
at several steps (eager, on a tensor, on an int64 Variable like `optimizer.iterations`, and
under keraslite.backend.jit), serialize() output, config round-trips and errors."""

import json
import pathlib

import numpy as np
import pytest

from keraslite import backend, ops, optimizers
from keraslite.optimizers import schedules
from keraslite.saving import register_keras_serializable

DATA = json.loads((pathlib.Path(__file__).parent / "data" / "keras_optimizers.json").read_text())
SCHEDULES = DATA["schedules"]
IDS = [f"{i}-{s['spec']['class_name']}" for i, s in enumerate(SCHEDULES)]
ALL = ["CosineDecay", "CosineDecayRestarts", "ExponentialDecay", "InverseTimeDecay",
       "PiecewiseConstantDecay", "PolynomialDecay"]


def close(actual, expected, what=""):
    np.testing.assert_allclose(np.asarray(actual, "float64"), np.asarray(expected, "float64"),
                               rtol=1e-5, atol=1e-7, err_msg=what)


def value(x):
    return float(np.asarray(ops.convert_to_numpy(x)))


def test_every_keras_schedule_has_reference_cases():
    assert {s["spec"]["class_name"] for s in SCHEDULES} == set(ALL)


@pytest.mark.parametrize("case", SCHEDULES, ids=IDS)
def test_values_match_keras(case):
    sched = schedules.deserialize(case["spec"])
    step_var = backend.Variable(0, dtype="int64", trainable=False, name="iteration")
    jitted = backend.jit(lambda s: sched(s))
    for step, expected in zip(case["steps"], case["values"]):
        what = f"{case['spec']} at step {step}"
        close(value(sched(step)), expected, what + " (python int)")
        close(value(sched(ops.convert_to_tensor(step, dtype="int32"))), expected, what)
        step_var.assign(step)
        close(value(sched(step_var)), expected, what + " (int64 Variable)")
        close(value(jitted(ops.convert_to_tensor(step, dtype="int64"))), expected,
              what + " (jit)")


@pytest.mark.parametrize("case", SCHEDULES, ids=IDS)
def test_output_is_a_float32_scalar(case):
    out = schedules.deserialize(case["spec"])(3)
    assert tuple(ops.shape(out)) == ()
    assert backend.standardize_dtype(out.dtype) == "float32"


@pytest.mark.parametrize("case", SCHEDULES, ids=IDS)
def test_serialize_matches_keras_and_round_trips(case):
    sched = schedules.deserialize(case["spec"])
    out = schedules.serialize(sched)
    assert out == case["serialized"]
    again = schedules.deserialize(json.loads(json.dumps(out)))
    assert type(again) is type(sched) and again.get_config() == sched.get_config()
    assert type(sched).from_config(sched.get_config()).get_config() == sched.get_config()


def test_schedule_drives_optimizer_under_jit():
    # The optimizer evaluates the schedule at its (traced) iteration count.
    var = backend.Variable(np.zeros(1, "float32"), name="w")
    sched = schedules.PiecewiseConstantDecay([1], [1.0, 0.5])
    opt = optimizers.SGD(learning_rate=sched)
    opt.build([var])
    step = backend.jit(opt.stateless_apply)
    values, opt_values = [var.value], [v.value for v in opt.variables]
    for _ in range(3):
        values, opt_values = step(opt_values, [ops.ones((1,))], values)
    # steps 0 and 1 use 1.0, step 2 uses 0.5
    close(ops.convert_to_numpy(values[0]), [-2.5])


def test_custom_schedule():
    @register_keras_serializable(package="test_schedules")
    class Halving(schedules.LearningRateSchedule):
        def __init__(self, start):
            self.start = start

        def __call__(self, step):
            return ops.divide(self.start, ops.power(2.0, ops.cast(step, "float32")))

        def get_config(self):
            return {"start": self.start}

    out = schedules.serialize(Halving(0.8))
    assert out["registered_name"] == "test_schedules>Halving"
    again = schedules.deserialize(out)
    close(value(again(3)), 0.1)
    opt = optimizers.Adam.from_config(optimizers.Adam(learning_rate=Halving(0.8)).get_config())
    assert isinstance(opt._learning_rate, Halving)


def test_errors():
    with pytest.raises(ValueError, match="decay_steps` must be > 0"):
        schedules.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(ValueError, match="first_decay_steps` must be > 0"):
        schedules.CosineDecayRestarts(0.1, -1)
    with pytest.raises(ValueError, match="1 less than the length of values"):
        schedules.PiecewiseConstantDecay([1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="CosineDecayy"):
        schedules.deserialize({"class_name": "CosineDecayy", "config": {}})
    base = schedules.LearningRateSchedule()
    with pytest.raises(NotImplementedError, match="__call__"):
        base(1)
    with pytest.raises(NotImplementedError, match="get_config"):
        base.get_config()
