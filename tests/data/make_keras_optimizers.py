"""Generate optimizer and learning-rate-schedule reference values from real Keras 3.

Run with Keras 3.15.1 on the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_optimizers.py

It writes keras_optimizers.json next to this file:
- "optimizers": one case per optimizer and option. A case names the class and its constructor
  arguments (schedules and inner optimizers as Keras configs), the variables (name, initial
  value) and the gradients of each step (null: no gradient). Keras' results: the variable values
  after each step, the values after finalize_variable_values(), `iterations` after each step,
  the optimizer's variables (name, shape, dtype kind) and get_config().
- "schedules": each schedule's config, Keras' serialize() output and its value at a few steps.
- "default_configs": get_config() of each optimizer built with its defaults (name left out).
- "names": the base of each optimizer's default name (Keras adds _1, _2, ... to repeats).

The tests only read the json; they never import keras.
"""

import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402
from keras import optimizers  # noqa: E402, TID251
from keras.src.utils import naming  # noqa: E402, TID251

HERE = pathlib.Path(__file__).resolve().parent
STEPS = 4
BASE_VARS = [("kernel", [4, 3]), ("bias", [3])]
MUON_VARS = BASE_VARS + [("wide", [2, 5]), ("token_embedding", [3, 2])]


def _sched(class_name, **config):
    return {"class_name": class_name, "config": config}


def _opt(class_name, **config):
    return {"class_name": class_name, "config": config}


# (id, class name, kwargs, options). Options: vars, grad_scale, none_grads (variable names
# without a gradient), nonfinite (step, var name) to put an inf in, exclude_wd (var_names).
CASES = [
    ("sgd", "SGD", {}, {}),
    ("sgd_lr", "SGD", {"learning_rate": 0.1}, {}),
    ("sgd_momentum", "SGD", {"learning_rate": 0.1, "momentum": 0.9}, {}),
    ("sgd_nesterov", "SGD", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}, {}),
    ("sgd_weight_decay", "SGD", {"learning_rate": 0.1, "weight_decay": 0.05}, {}),
    ("sgd_weight_decay_exclude", "SGD", {"learning_rate": 0.1, "weight_decay": 0.05},
     {"exclude_wd": ["bias"]}),
    ("sgd_clipnorm", "SGD", {"learning_rate": 0.1, "clipnorm": 0.5}, {"grad_scale": 3.0}),
    ("sgd_clipvalue", "SGD", {"learning_rate": 0.1, "clipvalue": 0.4}, {}),
    ("sgd_global_clipnorm", "SGD", {"learning_rate": 0.1, "global_clipnorm": 1.0},
     {"grad_scale": 3.0}),
    ("sgd_loss_scale_factor", "SGD", {"learning_rate": 0.1, "loss_scale_factor": 4.0}, {}),
    ("sgd_ema", "SGD", {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.5}, {}),
    ("sgd_accumulation", "SGD", {"learning_rate": 0.1, "momentum": 0.5,
                                 "gradient_accumulation_steps": 2}, {}),
    ("sgd_none_grad", "SGD", {"learning_rate": 0.1, "momentum": 0.9}, {"none_grads": ["bias"]}),
    ("sgd_cosine_warmup", "SGD",
     {"learning_rate": _sched("CosineDecay", initial_learning_rate=0.0, decay_steps=3,
                              warmup_target=0.2, warmup_steps=2)}, {}),
    ("adam", "Adam", {}, {}),
    ("adam_lr", "Adam", {"learning_rate": 0.1}, {}),
    ("adam_amsgrad", "Adam", {"learning_rate": 0.1, "amsgrad": True}, {}),
    ("adam_betas", "Adam", {"learning_rate": 0.05, "beta_1": 0.5, "beta_2": 0.8,
                            "epsilon": 1e-3}, {}),
    ("adam_weight_decay", "Adam", {"learning_rate": 0.1, "weight_decay": 0.1}, {}),
    ("adam_clipnorm", "Adam", {"learning_rate": 0.1, "clipnorm": 0.5}, {"grad_scale": 3.0}),
    ("adam_ema_overwrite", "Adam", {"learning_rate": 0.1, "use_ema": True, "ema_momentum": 0.7,
                                    "ema_overwrite_frequency": 2}, {}),
    ("adam_ema", "Adam", {"learning_rate": 0.1, "use_ema": True}, {}),
    ("adam_accumulation", "Adam", {"learning_rate": 0.1, "gradient_accumulation_steps": 2}, {}),
    ("adam_accumulation_ema", "Adam", {"learning_rate": 0.1, "gradient_accumulation_steps": 2,
                                       "use_ema": True, "ema_momentum": 0.5}, {}),
    ("adam_exponential_decay", "Adam",
     {"learning_rate": _sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=2,
                              decay_rate=0.5)}, {}),
    ("adam_none_grad", "Adam", {"learning_rate": 0.1}, {"none_grads": ["kernel"]}),
    ("adamw", "AdamW", {}, {}),
    ("adamw_lr", "AdamW", {"learning_rate": 0.1, "weight_decay": 0.2}, {}),
    ("adamw_amsgrad", "AdamW", {"learning_rate": 0.1, "amsgrad": True}, {}),
    ("rmsprop", "RMSprop", {}, {}),
    ("rmsprop_lr", "RMSprop", {"learning_rate": 0.1}, {}),
    ("rmsprop_momentum", "RMSprop", {"learning_rate": 0.1, "momentum": 0.9}, {}),
    ("rmsprop_centered", "RMSprop", {"learning_rate": 0.1, "centered": True}, {}),
    ("rmsprop_centered_momentum", "RMSprop",
     {"learning_rate": 0.1, "centered": True, "momentum": 0.5, "rho": 0.8}, {}),
    ("adagrad", "Adagrad", {}, {}),
    ("adagrad_lr", "Adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.5}, {}),
    ("adadelta", "Adadelta", {}, {}),
    ("adadelta_lr", "Adadelta", {"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-3}, {}),
    ("adamax", "Adamax", {}, {}),
    ("adamax_lr", "Adamax", {"learning_rate": 0.1, "beta_2": 0.9}, {}),
    ("nadam", "Nadam", {}, {}),
    ("nadam_lr", "Nadam", {"learning_rate": 0.1}, {}),
    ("ftrl", "Ftrl", {}, {}),
    ("ftrl_lr", "Ftrl", {"learning_rate": 0.1}, {}),
    ("ftrl_regularized", "Ftrl",
     {"learning_rate": 0.1, "learning_rate_power": -0.3, "initial_accumulator_value": 0.2,
      "l1_regularization_strength": 0.01, "l2_regularization_strength": 0.02,
      "l2_shrinkage_regularization_strength": 0.03, "beta": 0.5}, {}),
    ("lion", "Lion", {}, {}),
    ("lion_lr", "Lion", {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.9}, {}),
    ("lamb", "Lamb", {}, {}),
    ("lamb_lr", "Lamb", {"learning_rate": 0.1}, {}),
    ("adafactor", "Adafactor", {}, {}),
    ("adafactor_lr", "Adafactor", {"learning_rate": 0.1, "relative_step": False,
                                   "clip_threshold": 0.5}, {}),
    ("muon", "Muon", {}, {"vars": MUON_VARS}),
    ("muon_lr", "Muon", {"learning_rate": 0.1, "weight_decay": 0.1, "adam_weight_decay": 0.05},
     {"vars": MUON_VARS}),
    ("muon_options", "Muon",
     {"learning_rate": 0.1, "nesterov": False, "rms_rate": None, "ns_steps": 3,
      "adam_lr_ratio": 0.5, "exclude_embeddings": False, "exclude_layers": ["wid"]},
     {"vars": MUON_VARS}),
    ("schedule_free_adamw", "ScheduleFreeAdamW", {}, {}),
    ("schedule_free_adamw_warmup", "ScheduleFreeAdamW",
     {"learning_rate": 0.1, "warmup_steps": 3, "weight_decay": 0.1}, {}),
    ("loss_scale_sgd", "LossScaleOptimizer",
     {"inner_optimizer": _opt("SGD", learning_rate=0.5, momentum=0.9), "initial_scale": 4.0,
      "dynamic_growth_steps": 2}, {"nonfinite": [2, "bias"]}),
    ("loss_scale_adam", "LossScaleOptimizer",
     {"inner_optimizer": _opt("Adam", learning_rate=0.1), "initial_scale": 2.0,
      "dynamic_growth_steps": 1}, {"nonfinite": [1, "kernel"]}),
    ("multi_optimizer", "MultiOptimizer",
     {"default_optimizer": _opt("SGD", learning_rate=0.1, momentum=0.9),
      "optimizer_map": {"ker.*": _opt("Adam", learning_rate=0.1)}}, {}),
]

SCHEDULES = [
    _sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5),
    _sched("ExponentialDecay", initial_learning_rate=0.1, decay_steps=3, decay_rate=0.5,
           staircase=True),
    _sched("PiecewiseConstantDecay", boundaries=[2, 5, 9], values=[1.0, 0.5, 0.25, 0.1]),
    _sched("PiecewiseConstantDecay", boundaries=[4], values=[0.3, 0.03]),
    _sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=6),
    _sched("PolynomialDecay", initial_learning_rate=0.1, decay_steps=6, end_learning_rate=0.01,
           power=0.5, cycle=True),
    _sched("InverseTimeDecay", initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5),
    _sched("InverseTimeDecay", initial_learning_rate=0.1, decay_steps=4, decay_rate=0.5,
           staircase=True),
    _sched("CosineDecay", initial_learning_rate=0.1, decay_steps=10),
    _sched("CosineDecay", initial_learning_rate=0.1, decay_steps=10, alpha=0.1),
    _sched("CosineDecay", initial_learning_rate=0.0, decay_steps=10, warmup_target=0.2,
           warmup_steps=4),
    _sched("CosineDecay", initial_learning_rate=0.05, decay_steps=6, alpha=0.2,
           warmup_target=0.1, warmup_steps=3),
    _sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=3),
    _sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=4, t_mul=1.0,
           m_mul=0.5, alpha=0.1),
    _sched("CosineDecayRestarts", initial_learning_rate=0.1, first_decay_steps=2, t_mul=3.0,
           m_mul=0.8),
]
SCHEDULE_STEPS = [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 13, 20, 37, 100]


def _build(class_name, kwargs):
    kwargs = dict(kwargs)
    if isinstance(kwargs.get("learning_rate"), dict):
        kwargs["learning_rate"] = optimizers.schedules.deserialize(kwargs["learning_rate"])
    if class_name == "LossScaleOptimizer":
        kwargs["inner_optimizer"] = optimizers.deserialize(dict(kwargs["inner_optimizer"]))
    if class_name == "MultiOptimizer":
        default = optimizers.deserialize(dict(kwargs["default_optimizer"]))
        mapping = {k: optimizers.deserialize(dict(v)) for k, v in kwargs["optimizer_map"].items()}
        return optimizers.MultiOptimizer(optimizers.OptimizerMap(default, mapping))
    return getattr(optimizers, class_name)(**kwargs)


def _kind(dtype):
    dtype = str(dtype)
    return "int" if "int" in dtype else dtype


def run_case(case_id, class_name, kwargs, options, rng):
    specs = options.get("vars", BASE_VARS)
    init = [rng.uniform(-1, 1, size=shape).astype("float32") for _, shape in specs]
    scale = options.get("grad_scale", 1.0)
    none = set(options.get("none_grads", ()))
    grads = []
    for step in range(STEPS):
        row = []
        for (name, shape) in specs:
            g = (rng.uniform(-1, 1, size=shape) * scale).astype("float32")
            if options.get("nonfinite") == [step, name]:
                g.flat[1] = np.inf
            row.append(None if name in none else g)
        grads.append(row)

    variables = [keras.Variable(v, name=name) for v, (name, _) in zip(init, specs)]
    opt = _build(class_name, kwargs)
    if "exclude_wd" in options:
        opt.exclude_from_weight_decay(var_names=options["exclude_wd"])
    values, iterations, scales = [], [], []
    for row in grads:
        tensors = [None if g is None else keras.ops.convert_to_tensor(g) for g in row]
        if class_name == "LossScaleOptimizer":
            # Keras' stateful LossScaleOptimizer.apply cannot run eagerly on jax: use the
            # stateless path its jax trainer uses, then write the results back.
            if not opt.built:
                opt.build(variables)
            new_vars, new_opt = opt.stateless_apply([v.value for v in opt.variables], tensors,
                                                    [v.value for v in variables])
            for var, value in zip(variables + opt.variables, new_vars + new_opt):
                var.assign(value)
        else:
            opt.apply(tensors, variables)
        values.append([np.asarray(v.numpy()).tolist() for v in variables])
        iterations.append(int(np.asarray(opt.iterations)))
        if class_name == "LossScaleOptimizer":
            scales.append(float(np.asarray(opt.dynamic_scale)))
    opt_vars = [[v.name, list(v.shape), _kind(v.dtype)] for v in opt.variables]
    opt.finalize_variable_values(variables)
    case = {
        "id": case_id, "class_name": class_name, "kwargs": kwargs,
        "exclude_wd": options.get("exclude_wd"),
        "vars": [{"name": name, "value": v.tolist()} for (name, _), v in zip(specs, init)],
        "grads": [[None if g is None else g.tolist() for g in row] for row in grads],
        "values": values, "iterations": iterations,
        "finalized": [np.asarray(v.numpy()).tolist() for v in variables],
        "optimizer_variables": opt_vars,
        "config": opt.get_config(),
    }
    if scales:
        case["dynamic_scale"] = scales
    return case


def run_schedule(spec):
    sched = optimizers.schedules.deserialize(spec)
    return {
        "spec": spec,
        "serialized": optimizers.schedules.serialize(sched),
        "steps": SCHEDULE_STEPS,
        "values": [float(sched(keras.ops.convert_to_tensor(s, dtype="int32")))
                   for s in SCHEDULE_STEPS],
    }


def main():
    assert keras.__version__ == "3.15.1", keras.__version__
    rng = np.random.default_rng(1234)
    cases = [run_case(*c, rng) for c in CASES]
    # Keras names an optimizer after its class, made unique per session: keep the base name.
    names = {cls: naming.to_snake_case(cls) for cls in
             ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl",
              "Lion", "Lamb", "Adafactor", "Muon", "ScheduleFreeAdamW"]}
    out = {
        "keras_version": keras.__version__,
        "optimizers": cases,
        "schedules": [run_schedule(s) for s in SCHEDULES],
        "default_configs": {cls: {k: v for k, v in getattr(optimizers, cls)().get_config().items()
                                  if k != "name"} for cls in names},
        "names": names,
    }
    path = HERE / "keras_optimizers.json"
    path.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(cases)} optimizer cases, {len(SCHEDULES)} schedules)")


if __name__ == "__main__":
    main()
