"""Bridge layers of the jax backend: JaxLayer runs a pure jax function with its own parameters,
FlaxLayer a flax.linen module.

keraslite.layers exports the names in ``__all__`` when jax is the active backend. flax is
imported only when a FlaxLayer is made.
"""

import inspect

import jax
import jax.numpy as jnp
import numpy as np

from keraslite import backend
from keraslite.backend.variables import StatelessScope, current_scope
from keraslite.layers.layer import Layer
from keraslite.random import SeedGenerator, draw_seed
from keraslite.saving import serialization_lib
from keraslite.utils import tree
from keraslite_backends.jax.random import _key

__all__ = ["FlaxLayer", "JaxLayer"]

_CALL_ARGUMENTS = {"params", "state", "rng", "inputs", "training"}
_INIT_ARGUMENTS = {"rng", "inputs", "training"}


def _rng(seed):
    """The raw uint32 jax key (what jax.random.PRNGKey returns) for a keraslite seed tensor."""
    return jax.random.key_data(_key(seed))


def _argument_names(fn, fn_name, allowed):
    names = list(inspect.signature(fn).parameters)
    if "inputs" not in names:
        raise ValueError(f"Missing required argument in `{fn_name}`: `inputs`")
    for name in names:
        if name not in allowed:
            raise ValueError(f"Unsupported argument in `{fn_name}`: `{name}`, supported "
                             f"arguments are `{'`, `'.join(sorted(allowed))}`")
    return names


class JaxLayer(Layer):
    """A layer whose forward pass is a pure jax function.

    ``call_fn`` takes, by these names and in any order, ``inputs`` (required) and optionally
    ``params`` (trainable pytree), ``state`` (non-trainable pytree), ``rng`` (a jax key, None
    when not training) and ``training``. With ``state`` it returns ``(outputs, new_state)`` and
    the new state is assigned. ``params`` / ``state`` are given directly, or made by
    ``init_fn(rng, inputs, training)`` (any subset, ``inputs`` required) on the first call, from
    inputs of ones shaped like the real ones; with ``state``, init_fn returns ``(params, state)``.
    Array and scalar leaves become the layer's Variables; floats take the layer's dtype.
    """

    def __init__(self, call_fn, init_fn=None, params=None, state=None, seed=None,
                 native_serialization_platforms=None, **kwargs):
        super().__init__(**kwargs)
        self.call_fn = call_fn
        self.init_fn = init_fn
        self.native_serialization_platforms = native_serialization_platforms
        self.call_fn_arguments = _argument_names(call_fn, "call_fn", _CALL_ARGUMENTS)
        self.call_fn_has_params = "params" in self.call_fn_arguments
        self.call_fn_has_state = "state" in self.call_fn_arguments
        if init_fn is not None:
            self.init_fn_arguments = _argument_names(init_fn, "init_fn", _INIT_ARGUMENTS)
        if (init_fn is None and params is None and state is None
                and (self.call_fn_has_params or self.call_fn_has_state)):
            raise ValueError("`init_fn`, `params` and `state` cannot all be `None` when "
                             "`call_fn` takes a `params` or a `state` argument.")
        self.seed_generator = (SeedGenerator(seed) if "rng" in self.call_fn_arguments
                               else None)
        self.params = self._make_variables(params, trainable=True)
        self.state = self._make_variables(state, trainable=False)
        if params is not None or state is not None:
            self.built = True

    def _make_variables(self, values, trainable):
        """`values` with every array or scalar leaf replaced by a new Variable of the layer."""

        def make(value):
            if isinstance(value, (bool, int, float)):
                value = np.asarray(value)
            if not (isinstance(value, (np.ndarray, np.generic)) or backend.is_tensor(value)):
                return value
            dtype = backend.standardize_dtype(value.dtype)
            return self.add_weight(tuple(value.shape), initializer=jnp.asarray(value),
                                   dtype=None if backend.is_float(dtype) else dtype,
                                   trainable=trainable)

        return None if values is None else jax.tree_util.tree_map(make, values)

    def build(self, input_shape):
        if (self.params is None and self.state is None
                and (self.call_fn_has_params or self.call_fn_has_state)):
            inputs = tree.map_shape_structure(
                lambda shape: jnp.ones([1 if d is None else d for d in shape],
                                       dtype=self.compute_dtype), input_shape)
            values = {"rng": self._init_rng(), "inputs": inputs, "training": True}
            result = self.init_fn(*[values[name] for name in self.init_fn_arguments])
            params, state = result if self.call_fn_has_state else (result, None)
            self.params = self._make_variables(params, trainable=True)
            self.state = self._make_variables(state, trainable=False)
        self.built = True

    def _init_rng(self):
        return _rng(draw_seed(None))

    def _call_rng(self, training):
        return _rng(self.seed_generator.next()) if training else None

    def call(self, inputs, training=False):
        def value(leaf):
            return leaf.value if isinstance(leaf, backend.Variable) else leaf

        state = jax.tree_util.tree_map(value, self.state)
        values = {"params": lambda: jax.tree_util.tree_map(value, self.params),
                  "state": lambda: state, "rng": lambda: self._call_rng(training),
                  "inputs": lambda: inputs, "training": lambda: training}
        outputs = self.call_fn(*[values[name]() for name in self.call_fn_arguments])
        if not self.call_fn_has_state:
            return outputs
        outputs, new_state = outputs

        def assign(new, variable, old):
            if not isinstance(variable, backend.Variable):
                raise ValueError("Structure mismatch: the state returned by `call_fn` does not "
                                 "match the structure of the layer's state.")
            if new is old:  # state handed back unchanged needs no assignment
                return
            if isinstance(new, jax.core.Tracer) and current_scope() is None:
                return  # an abstract evaluation (jax.eval_shape) outside any step: no state
            variable.assign(new)

        jax.tree_util.tree_map(assign, new_state, self.state, state)
        return outputs

    def compute_output_spec(self, *args, **kwargs):
        with StatelessScope():  # tracing must not change the state
            return super().compute_output_spec(*args, **kwargs)

    def get_config(self):
        return {**super().get_config(),
                "call_fn": serialization_lib.serialize_keras_object(self.call_fn),
                "init_fn": serialization_lib.serialize_keras_object(self.init_fn),
                "native_serialization_platforms": self.native_serialization_platforms}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("call_fn", "init_fn"):
            config[key] = serialization_lib.deserialize_keras_object(config[key],
                                                                     kind="function")
        return super().from_config(config)


class FlaxLayer(JaxLayer):
    """A flax.linen module as a layer: its "params" collection is trainable, every other
    collection (batch statistics...) is state, updated by training calls.

    `method` is the module method to run (default ``__call__``); `variables` the module's
    variables (as ``module.init`` returns them), else they are initialized on the first call.
    The method receives ``training`` when it takes that argument; rngs are ``params`` and
    ``dropout`` at init, ``dropout`` in training calls.
    """

    def __init__(self, module, method=None, variables=None, **kwargs):
        try:
            from flax import linen
        except ImportError:
            raise ImportError("FlaxLayer needs the flax package, which is not installed: "
                              "pip install flax") from None
        self.module = module
        self.method = method
        mutable = linen.DenyList(["params"])
        takes_training = "training" in inspect.signature(method or module.__call__).parameters

        def call_fn(params, state, rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return self.module.apply({**(params or {}), **(state or {})}, inputs, rngs=rng,
                                     method=self.method, mutable=mutable, **extra)

        def init_fn(rng, inputs, training):
            extra = {"training": training} if takes_training else {}
            return _split_variables(self.module.init(rng, inputs, method=self.method, **extra))

        params, state = _split_variables(variables) if variables is not None else (None, None)
        super().__init__(call_fn=call_fn, init_fn=init_fn, params=params, state=state,
                         **kwargs)

    def _init_rng(self):
        return {"params": _rng(draw_seed(None)), "dropout": _rng(draw_seed(None))}

    def _call_rng(self, training):
        return {"dropout": _rng(self.seed_generator.next())} if training else {}

    def get_config(self):
        method = self.method
        if getattr(method, "__self__", None) is self.module:
            method = method.__name__  # a method of the module is saved by name
        config = {**super().get_config(),
                  "module": serialization_lib.serialize_keras_object(self.module),
                  "method": serialization_lib.serialize_keras_object(method)}
        del config["call_fn"], config["init_fn"]  # both come from the module
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        module = serialization_lib.deserialize_keras_object(config["module"], kind="module")
        method = config.get("method")
        if isinstance(method, str):
            method = getattr(module, method)
        elif method is not None:
            method = serialization_lib.deserialize_keras_object(method, kind="function")
        config.update(module=module, method=method)
        return super(JaxLayer, cls).from_config(config)  # Layer's: the call_fn keys are absent


def _split_variables(variables):
    """flax variables -> (params, state): {"params": ...} and the other collections."""
    variables = dict(variables)
    params = {"params": variables.pop("params")} if "params" in variables else {}
    return params, variables
