"""The Optimizer base class: Keras 3's optimizer API as one backend-independent implementation.

An optimizer keeps its state in keraslite Variables created by `build(var_list)`, and `apply`
changes state only through `Variable.assign`. Inside a `StatelessScope` that makes `apply` a pure
function from old state tensors to new ones, so the trainer can run it under
`keraslite.backend.jit` on every backend. For the same reason nothing here branches in Python on
a tensor's value: steps that Keras guards with a conditional (gradient accumulation, EMA
overwrite, loss-scale skips) compute the update and keep either the new or the old values with
`ops.where`.

Subclasses override `build` (create slots with `add_variable_from_reference` /
`add_optimizer_variables`), `update_step(gradient, variable, learning_rate)` and `get_config`.
"""

import collections
import re
import warnings

import numpy as np

from keraslite import backend, config, ops
from keraslite.backend.variables import StatelessScope, keep_state, no_scope
from keraslite.optimizers.schedules import learning_rate_schedule
from keraslite.saving import serialization_lib

_name_counts = collections.Counter()


def _snake_case(name):
    """'RMSprop' -> 'rm_sprop', 'AdamW' -> 'adam_w': the spelling of Keras' default names."""
    out = []
    for i, ch in enumerate(name):
        if i and ch.isupper():
            prev, nxt = name[i - 1], name[i + 1] if i + 1 < len(name) else ""
            if prev.islower() or prev.isdigit() or (prev.isupper() and nxt.islower()):
                out.append("_")
        out.append(ch.lower())
    return "".join(out)


def _auto_name(class_name):
    """'adam' for the first Adam, then 'adam_1', 'adam_2', ... as Keras does."""
    base = _snake_case(class_name)
    count = _name_counts[base]
    _name_counts[base] += 1
    return base if count == 0 else f"{base}_{count}"


def _initializer_fn(initializer):
    """An `(shape, dtype) -> tensor` function for a name, a number or a callable initializer."""
    if callable(initializer):
        return initializer
    if isinstance(initializer, str):
        if initializer == "zeros":
            return lambda shape, dtype=None: ops.zeros(shape, dtype=dtype)
        if initializer == "ones":
            return lambda shape, dtype=None: ops.ones(shape, dtype=dtype)
        # Other names need the initializers package (imported only when asked for).
        from keraslite import initializers

        return initializers.get(initializer)
    if isinstance(initializer, (int, float, bool)):
        return lambda shape, dtype=None: ops.full(shape, initializer, dtype=dtype)
    raise ValueError(f"Could not interpret initializer: {initializer!r}")


class Optimizer:
    """Base class of every optimizer (see the module docstring for how to write one)."""

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. Received: "
                                 f"ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
                f"clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}")

        self.name = name if name is not None else _auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._iterations = self.add_variable((), initializer="zeros", dtype="int64",
                                             aggregation="only_first_replica", name="iteration")
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
                learning_rate):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError(
                    "Argument `learning_rate` should be float, or an instance of "
                    "LearningRateSchedule, or a callable (that takes in the current iteration "
                    "value and returns the corresponding learning rate value). Received instead: "
                    f"learning_rate={learning_rate}")
            self._learning_rate = self.add_variable(
                (), initializer=learning_rate, dtype=config.floatx(),
                aggregation="only_first_replica", name="learning_rate")

    # ------------------------------------------------------------------ state

    @property
    def iterations(self):
        """Optimizer steps taken; with gradient accumulation, the number of real updates."""
        if self.gradient_accumulation_steps:
            return ops.floor_divide(self._iterations, self.gradient_accumulation_steps)
        return self._iterations

    @property
    def variables(self):
        return self._variables[:]

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """Create and track a non-trainable optimizer variable (under the optimizer's path)."""
        if not hasattr(self, "_variables"):
            raise RuntimeError(f"In optimizer '{type(self).__name__}', call "
                               "`super().__init__()` before creating variables.")
        variable = backend.Variable(_initializer_fn(initializer), shape=tuple(shape),
                                    dtype=dtype or config.floatx(), trainable=False,
                                    aggregation=aggregation, name=name)
        variable.path = f"{self.name}/{variable.name}"
        self._variables.append(variable)
        return variable

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A slot shaped like `reference_variable`, named '<its path>_<name>'."""
        ref_name = getattr(reference_variable, "path", None) or str(reference_variable.name)
        ref_name = ref_name.replace("/", "_").replace(":", "_")
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype,
                                 name=f"{ref_name}_{name or 'var'}")

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable (None for variables overwritten with their gradient). With a
        list of names (and optionally of initializers), a tuple of such lists."""
        names = [name] if isinstance(name, str) else list(name)
        if isinstance(initializer, (list, tuple)):
            inits = list(initializer)
        else:
            inits = [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError("The number of provided names must match the number of provided "
                             f"initializers. Received name='{name}', initializer='{initializer}'")
        slots = tuple([] for _ in names)
        for variable in trainable_variables:
            skip = self._overwrite_variable_with_gradient(variable)
            for out, slot_name, init in zip(slots, names, inits):
                out.append(None if skip else self.add_variable_from_reference(
                    variable, name=slot_name, initializer=init))
        return slots[0] if isinstance(name, str) else slots

    def build(self, var_list):
        """Create the optimizer's state for `var_list` (before any jitted `apply`)."""
        var_list = list(var_list)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = [
                self.add_variable_from_reference(v, name="gradient_accumulator")
                for v in var_list]
        self._trainable_variables_indices = {self._var_key(v): i for i, v in enumerate(var_list)}
        self._trainable_variables = var_list[:]
        self.built = True

    def _var_key(self, variable):
        return id(variable)

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[self._var_key(variable)]

    def _overwrite_variable_with_gradient(self, variable):
        return getattr(variable, "overwrite_with_gradient", False)

    # Keras' hooks for writing state; kept so ported optimizers run unchanged.
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # ------------------------------------------------------------------ learning rate

    @property
    def learning_rate(self):
        return self._get_current_learning_rate()

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        old = self._learning_rate
        if isinstance(learning_rate, learning_rate_schedule.LearningRateSchedule) or callable(
                learning_rate):
            self._learning_rate = learning_rate
            if isinstance(old, backend.Variable):  # the variable is no longer state
                self._variables = [v for v in self._variables if v is not old]
            return
        if isinstance(old, learning_rate_schedule.LearningRateSchedule) or not isinstance(
                old, backend.Variable):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` (or a callable) as its "
                "`learning_rate` constructor argument, hence its learning rate is not settable. "
                "If you need the learning rate to be settable, you should instantiate the "
                "optimizer with a float `learning_rate` argument.")
        old.assign(learning_rate)

    def _get_current_learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            return lr(self._iterations)  # schedules see real steps, even when accumulating
        if isinstance(lr, backend.Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    # ------------------------------------------------------------------ applying gradients

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def apply_gradients(self, grads_and_vars):
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Update `trainable_variables` (default: those the optimizer was built with) from
        `grads`, one gradient per variable; a None gradient leaves its variable alone."""
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first.")
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    f"match `optimizer.variables` one-to-one. Received a list of {len(grads)} "
                    f"gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                with no_scope():  # state is created from real values, never traced ones
                    self.build(trainable_variables)
            self._check_variables_are_known(trainable_variables)

        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads, trainable_variables = self._overwrite_variables_directly_with_gradients(
            grads, trainable_variables)
        if grads:
            if self.loss_scale_factor is not None:
                grads = [ops.divide(g, self.loss_scale_factor) for g in grads]
            self._apply_update(grads, trainable_variables)
            for variable in trainable_variables:
                constraint = getattr(variable, "constraint", None)
                if constraint is not None:
                    variable.assign(constraint(variable))
        self._iterations.assign_add(1)

    def _check_variables_are_known(self, variables):
        for v in variables:
            if self._var_key(v) not in self._trainable_variables_indices:
                raise ValueError(
                    f"Unknown variable: {v}. This optimizer can only be called for the variables "
                    "it was originally built with. When working with a new set of variables, you "
                    "should recreate a new optimizer instance.")

    def _filter_empty_gradients(self, grads, variables):
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        if len(kept) < len(grads):
            missing = [getattr(v, "path", v.name) for g, v in zip(grads, variables) if g is None]
            warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                          "loss. If using `model.compile()`, did you forget to provide a `loss` "
                          "argument?", stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        """Variables flagged `overwrite_with_gradient` (e.g. float8 scales) take their gradient
        as their new value (the max over an accumulation window) and skip the update rule."""
        if not any(self._overwrite_variable_with_gradient(v) for v in variables):
            return grads, variables
        rest_g, rest_v = [], []
        for g, v in zip(grads, variables):
            if not self._overwrite_variable_with_gradient(v):
                rest_g.append(g)
                rest_v.append(v)
            elif self.gradient_accumulation_steps:
                is_update = self._is_accumulation_update_step()
                acc = self._accumulated_gradients[self._get_variable_index(v)]
                running_max = ops.maximum(g, acc.value)
                v.assign(ops.where(is_update, running_max, v.value))
                acc.assign(ops.where(is_update, ops.zeros_like(running_max), running_max))
            else:
                v.assign(g)
        return rest_g, rest_v

    def _apply_update(self, grads, trainable_variables):
        """Clip, decay and step (every call, or once per accumulation window), then the EMA."""
        if self.gradient_accumulation_steps:
            self._accumulate_and_update(grads, trainable_variables)
        else:
            self._clip_decay_and_update(grads, trainable_variables)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            if self.ema_overwrite_frequency:
                overwrite = ops.equal(
                    ops.mod(ops.add(self.iterations, 1), self.ema_overwrite_frequency), 0)
                for var, average in zip(self._trainable_variables,
                                        self._model_variables_moving_average):
                    if average is not None:
                        var.assign(ops.where(overwrite, average.value, var.value))

    def _clip_decay_and_update(self, grads, trainable_variables):
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(trainable_variables)
        self._update_variables(grads, trainable_variables, self.learning_rate)

    def _update_variables(self, grads, trainable_variables, learning_rate):
        """Run `update_step` for each variable (hook for optimizers with shared per-step state)."""
        for grad, var in zip(grads, trainable_variables):
            self.update_step(grad, var, learning_rate)

    def _is_accumulation_update_step(self):
        return ops.equal(ops.mod(ops.add(self._iterations.value, 1),
                                 self.gradient_accumulation_steps), 0)

    def _accumulate_and_update(self, grads, trainable_variables):
        """Add the gradients to the accumulators; on the last step of a window, update with
        their mean and reset them. The update is always computed (no value-dependent Python
        branch, so this traces) and only kept on update steps."""
        is_update = self._is_accumulation_update_step()
        steps = self.gradient_accumulation_steps
        accumulators = [self._accumulated_gradients[self._get_variable_index(v)]
                        for v in trainable_variables]
        totals = [ops.add(g, acc.value) for g, acc in zip(grads, accumulators)]
        accumulator_ids = {id(a) for a in self._accumulated_gradients}
        watched = list(trainable_variables) + [
            v for v in self.variables if id(v) not in accumulator_ids]
        before = [v.value for v in watched]
        with keep_state():  # `before` is read below
            self._clip_decay_and_update([ops.divide(t, steps) for t in totals],
                                        trainable_variables)
        for variable, old in zip(watched, before):
            new = variable.value
            if new is not old:  # identity, not value: skips state the update did not touch
                variable.assign(ops.where(is_update, new, old))
        for acc, total in zip(accumulators, totals):
            acc.assign(ops.where(is_update, ops.zeros_like(total), total))

    # ------------------------------------------------------------------ clipping and decay

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [self._clip_by_norm(g) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [ops.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _clip_by_norm(self, gradient):
        norm = ops.sqrt(ops.sum(ops.square(gradient), keepdims=True))
        return ops.divide(ops.multiply(gradient, self.clipnorm),
                          ops.maximum(norm, self.clipnorm))

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempt variables from weight decay: those in `var_list`, and those whose name
        contains (as a regex search) any string of `var_names`. Call before `build`."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the "
                             "optimizer is built.")
        self._exclude_from_weight_decay = {self._var_key(v) for v in var_list or ()}
        self._exclude_from_weight_decay_pattern = (
            re.compile("|".join(sorted(set(var_names)))) if var_names else None)
        self._exclude_from_weight_decay_cache = {}

    def _use_weight_decay(self, variable):
        cache = self.__dict__.setdefault("_exclude_from_weight_decay_cache", {})
        key = self._var_key(variable)
        if key not in cache:
            pattern = getattr(self, "_exclude_from_weight_decay_pattern", None)
            excluded = key in getattr(self, "_exclude_from_weight_decay", ()) or (
                pattern is not None and pattern.search(variable.name) is not None)
            cache[key] = not excluded
        return cache[key]

    def _apply_weight_decay(self, variables):
        """Decoupled decay: `variable -= variable * weight_decay * learning_rate`."""
        if self.weight_decay is None:
            return
        for variable in variables:
            if self._use_weight_decay(variable):
                lr = ops.cast(self.learning_rate, variable.dtype)
                wd = ops.cast(self.weight_decay, variable.dtype)
                value = variable.value
                variable.assign(ops.subtract(value, ops.multiply(ops.multiply(value, wd), lr)))

    # ------------------------------------------------------------------ EMA

    def _update_model_variables_moving_average(self, trainable_variables):
        # The first step copies the variables (momentum 0) so the average starts from them.
        not_first_step = ops.not_equal(self.iterations, 0)
        for var, average in zip(trainable_variables, self._model_variables_moving_average):
            if average is None:
                continue
            momentum = ops.multiply(ops.cast(not_first_step, var.dtype), self.ema_momentum)
            average.assign(ops.add(ops.multiply(momentum, average.value),
                                   ops.multiply(ops.subtract(1, momentum), var.value)))

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average
        if len(trainable_variables) != len(averages):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to override does "
                f"not match the length of model variables stored in the optimizer "
                f"({len(averages)}). Please check if the optimizer was called on your model.")
        for var, average in zip(trainable_variables, averages):
            if average is not None:
                var.assign(average.value)

    def finalize_variable_values(self, var_list):
        """End of training: with `use_ema`, set the variables to their moving averages."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(list(var_list))

    # ------------------------------------------------------------------ functional use

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply` as a pure function: returns (new trainable values, new optimizer values)."""
        if not self.built:
            raise ValueError(
                f"To call `stateless_apply`, {type(self).__name__} must be built (i.e. its "
                "variables must have been created). You can build it via "
                "`optimizer.build(trainable_variables)`.")
        opt_vars = self.variables
        if len(optimizer_variables) != len(opt_vars):
            raise ValueError(
                "Argument `optimizer_variables` must be a list of tensors corresponding 1:1 to "
                f"{type(self).__name__}().variables. Received list with length "
                f"{len(optimizer_variables)}, but expected {len(opt_vars)} variables.")
        if len(trainable_variables) != len(self._trainable_variables):
            raise ValueError(
                "Argument `trainable_variables` must be a list of tensors corresponding 1:1 to "
                "the trainable variables list that the optimizer was built with. Received "
                f"len(trainable_variables) == {len(trainable_variables)} whereas the optimizer "
                f"was built with {len(self._trainable_variables)} variables.")
        mapping = list(zip(self._trainable_variables, trainable_variables)) + list(
            zip(opt_vars, optimizer_variables))
        with StatelessScope(mapping) as scope:
            self.apply(grads)
        return ([scope.get_current_value(v) for v in self._trainable_variables],
                [scope.get_current_value(v) for v in opt_vars])

    def scale_loss(self, loss):
        """Multiply the loss by `loss_scale_factor` (gradients are divided back in `apply`)."""
        if self.loss_scale_factor is not None:
            return ops.multiply(loss, self.loss_scale_factor)
        return loss

    # ------------------------------------------------------------------ saving

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        for variable, weight in zip(self.variables, weights):
            if tuple(variable.shape) != tuple(np.shape(weight)):
                raise ValueError(
                    f"Optimizer variable {variable.path} has shape {tuple(variable.shape)} not "
                    f"compatible with provided weight shape {tuple(np.shape(weight))}.")
            variable.assign(weight)

    def save_own_variables(self, store):
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        variables = self.variables
        if len(store.keys()) != len(variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                   f"{len(variables)} variables whereas the saved optimizer has "
                   f"{len(store.keys())} variables. ")
            if not variables:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, variable in enumerate(variables):
            variable.assign(store[str(i)])

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, learning_rate_schedule.LearningRateSchedule):
            lr = learning_rate_schedule.serialize(lr)
        elif isinstance(lr, backend.Variable):
            lr = float(np.asarray(lr.numpy()))
        elif callable(lr):
            lr = serialization_lib.serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = learning_rate_schedule.deserialize(
                config["learning_rate"], custom_objects=custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def group_by_dtype(grads, variables):
    """[(dtype, grads cast to it, variables)] for fused updates, which take one dtype a call."""
    groups = {}
    for grad, variable in zip(grads, variables):
        dtype = variable.dtype
        if backend.standardize_dtype(grad.dtype) != dtype:
            grad = ops.cast(grad, dtype)
        group = groups.setdefault(dtype, ([], []))
        group[0].append(grad)
        group[1].append(variable)
    return [(dtype, g, v) for dtype, (g, v) in groups.items()]


def value_of(x):
    """The tensor behind a Variable (fused updates take tensors), anything else unchanged."""
    return x.value if isinstance(x, backend.Variable) else x


def assign_all(variable_lists, value_lists):
    for variables, values in zip(variable_lists, value_lists):
        for variable, value in zip(variables, values):
            variable._assign_unchecked(value)  # the backend kept each dtype and shape


def global_norm(values):
    """sqrt of the sum of squares of every element of every (non-None) tensor."""
    squares = [ops.sum(ops.square(v)) for v in values if v is not None]
    return ops.sqrt(ops.sum(ops.stack(squares)))


def clip_by_global_norm(values, clip_norm):
    """Scale all tensors by `clip_norm / max(global_norm, clip_norm)`."""
    norm = global_norm(values)
    scale = ops.divide(clip_norm, ops.maximum(norm, clip_norm))
    # A non-finite norm must poison the update (nan), not silently zero it.
    scale = ops.add(scale, ops.subtract(norm, norm))
    return [None if v is None else ops.multiply(v, scale) for v in values]
