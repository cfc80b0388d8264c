"""MultiOptimizer: different optimizers for different variables."""

import re
from collections.abc import MutableMapping

from keraslite.backend.variables import no_scope
from keraslite.optimizers.loss_scale_optimizer import LossScaleOptimizer
from keraslite.optimizers.optimizer import Optimizer
from keraslite.saving import serialization_lib


class OptimizerMap(MutableMapping):
    """Maps variable paths to optimizers. A key is an exact path or a regex matched against the
    whole path (`re.fullmatch`); unmatched paths get `default_optimizer`."""

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("default_optimizer must be a Keras Optimizer instance. "
                            f"Received: {default_optimizer}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = {}
        for key, optimizer in (optimizer_map or {}).items():
            self[key] = optimizer

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matches = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matches) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        return self._optimizer_map[matches[0]] if matches else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(
                f"'{key}' already exists in the OptimizerMap with value "
                f"{self._optimizer_map[key]}. Please make sure to not use duplicated keys.")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: "
                             f"{optimizer}")
        if isinstance(optimizer, (LossScaleOptimizer, MultiOptimizer)):
            raise ValueError(f"optimizer cannot be {type(optimizer).__name__}.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[getattr(variable, "path", variable.name)]

    def get_config(self):
        return {
            "default_optimizer": serialization_lib.serialize_keras_object(
                self._default_optimizer),
            "optimizer_map": {k: serialization_lib.serialize_keras_object(v)
                              for k, v in self._optimizer_map.items()},
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.optimizers import registry

        default = registry.deserialize(config["default_optimizer"], custom_objects=custom_objects)
        mapping = {k: registry.deserialize(v, custom_objects=custom_objects)
                   for k, v in (config.get("optimizer_map") or {}).items()}
        return cls(default, mapping)


class MultiOptimizer(Optimizer):
    """Applies each variable's gradient with the optimizer `optimizer_map(variable)` gives (an
    OptimizerMap, or any callable from variable to optimizer). Each inner optimizer keeps its own
    state, learning rate and iteration count."""

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner_optimizers = []
        candidates = list(optimizer_map.values()) if hasattr(optimizer_map, "values") else []
        default = getattr(optimizer_map, "default_optimizer", None)
        if default is not None:
            candidates.append(default)
        for opt in candidates:
            self._add_inner(opt)

    def _add_inner(self, opt):
        if not any(opt is o for o in self._inner_optimizers):
            opt.loss_scale_factor = self.loss_scale_factor
            self._inner_optimizers.append(opt)

    def _index_of(self, opt):
        return next(i for i, o in enumerate(self._inner_optimizers) if o is opt)

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._var_to_optimizer_idx = {}
        for var in var_list:
            opt = self._optimizer_map(var)
            if not isinstance(opt, Optimizer):
                raise ValueError(f"Optimizer for variable {var} is not an Optimizer instance.")
            if isinstance(opt, (LossScaleOptimizer, MultiOptimizer)):
                raise ValueError(f"{type(opt).__name__} cannot be used inside a "
                                 "MultiOptimizer.")
            self._add_inner(opt)
            self._var_to_optimizer_idx[self._var_key(var)] = self._index_of(opt)
        for i, opt in enumerate(self._inner_optimizers):
            owned = self._variables_of(i, var_list)
            if owned:
                opt.build(owned)
        super().build(var_list)

    def _variables_of(self, index, var_list):
        return [v for v in var_list if self._var_to_optimizer_idx[self._var_key(v)] == index]

    @property
    def optimizers(self):
        return self._inner_optimizers

    @property
    def variables(self):
        out = self._variables[:]
        for opt in self._inner_optimizers:
            out.extend(opt.variables)
        return out

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the "
                             "learning rate on the individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the learning "
                             "rate on the individual sub-optimizers instead.")

    @property
    def loss_scale_factor(self):
        return getattr(self, "_loss_scale_factor", None)

    @loss_scale_factor.setter
    def loss_scale_factor(self, value):
        self._loss_scale_factor = value
        for opt in getattr(self, "_inner_optimizers", ()):
            opt.loss_scale_factor = value

    @property
    def iterations(self):
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            with no_scope():  # state is created from real values, never traced ones
                self.build(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError("Gradients must match trainable variables one-to-one. Received "
                             f"{len(grads)} gradients and {len(trainable_variables)} variables.")
        self._check_variables_are_known(trainable_variables)
        groups = [([], []) for _ in self._inner_optimizers]
        for grad, var in zip(grads, trainable_variables):
            sub_grads, sub_vars = groups[self._var_to_optimizer_idx[self._var_key(var)]]
            sub_grads.append(grad)
            sub_vars.append(var)
        for opt, (sub_grads, sub_vars) in zip(self._inner_optimizers, groups):
            if sub_grads:
                opt.apply(sub_grads, sub_vars)
        self._iterations.assign_add(1)

    def finalize_variable_values(self, var_list):
        var_list = list(var_list)
        for i, opt in enumerate(self._inner_optimizers):
            owned = self._variables_of(i, var_list)
            if owned:
                opt.finalize_variable_values(owned)

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        super().set_weights(weights)

    def get_config(self):
        return {
            "optimizer_map": serialization_lib.serialize_keras_object(self._optimizer_map),
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.optimizers import registry

        config = dict(config)
        spec = config["optimizer_map"]
        if isinstance(spec, dict) and spec.get("class_name") == "OptimizerMap":
            config["optimizer_map"] = OptimizerMap.from_config(spec["config"], custom_objects)
        else:  # a registered selector function
            config["optimizer_map"] = registry.deserialize(spec, custom_objects=custom_objects)
        return cls(**config)
