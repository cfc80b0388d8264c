"""Bridge layers of the tensorflow backend: TFSMLayer runs a TensorFlow SavedModel as a layer.

keraslite.layers exports the names in ``__all__`` when tensorflow is the active backend.
"""

import tensorflow as tf

from keraslite.backend import KerasTensor
from keraslite.layers.layer import Layer
from keraslite.saving import serialization_lib
from keraslite_backends.tensorflow.core import dtype_of

__all__ = ["TFSMLayer"]

_FUNCTIONS = (tf.types.experimental.GenericFunction, tf.types.experimental.ConcreteFunction)


class TFSMLayer(Layer):
    """A TensorFlow SavedModel (``tf.saved_model.load``) as a keraslite layer.

    ``call_endpoint`` names a signature or a tf.function attribute of the loaded object, run
    for inference; ``call_training_endpoint`` (optional) is run instead when ``training=True``.
    The variables those endpoints use become the layer's weights (trainable ones first), held
    in keraslite Variables: ``call`` writes the Variables' current values into the SavedModel's
    variables before running the endpoint and differentiates through them, so ``fit()`` and the
    optimizers train them. Variables a training endpoint changes (statistics) are assigned back.

    Loading a SavedModel registers graph code from the file: ``from_config`` refuses it in safe
    mode, as Keras does.
    """

    def __init__(self, filepath, call_endpoint="serve", call_training_endpoint=None,
                 trainable=True, name=None, dtype=None):
        # the endpoint's signature fixes its input dtypes: no casting to the compute dtype
        super().__init__(trainable=trainable, name=name, dtype=dtype, autocast=False)
        self.filepath = filepath
        self.call_endpoint = call_endpoint
        self.call_training_endpoint = call_training_endpoint
        self._reloaded_obj = tf.saved_model.load(filepath)
        self.call_endpoint_fn = self._endpoint(call_endpoint, "call_endpoint")
        self.call_training_endpoint_fn = (
            None if call_training_endpoint is None
            else self._endpoint(call_training_endpoint, "call_training_endpoint"))

        tf_variables = {}  # id -> tf.Variable, every variable any endpoint uses
        for fn in (self.call_endpoint_fn, self.call_training_endpoint_fn):
            for concrete in _concrete_functions(fn):
                for v in concrete.variables:
                    tf_variables.setdefault(id(v), v)
        ordered = sorted(tf_variables.values(), key=lambda v: not v.trainable)  # stable
        self._tf_variables = ordered
        self._variables = [
            self.add_weight(tuple(v.shape), initializer=tf.identity(v), dtype=dtype_of(v),
                            trainable=v.trainable, name=_variable_name(v))
            for v in ordered]
        self.built = True

    def _endpoint(self, endpoint, argument):
        obj = self._reloaded_obj
        if endpoint in obj.signatures:
            return obj.signatures[endpoint]
        fn = getattr(obj, endpoint, None)
        if isinstance(fn, _FUNCTIONS):
            return fn
        functions = [n for n in dir(obj) if not n.startswith("_")
                     and isinstance(getattr(obj, n, None), _FUNCTIONS)]
        raise ValueError(
            f"TFSMLayer: the endpoint {endpoint!r} ({argument}) is neither a signature nor a "
            f"tf.function of the SavedModel at {self.filepath!r}. Available endpoints: "
            f"signatures {sorted(obj.signatures)}, functions {functions}.")

    def call(self, inputs, training=False, **kwargs):
        use_training = bool(training) and self.call_training_endpoint_fn is not None
        fn = self.call_training_endpoint_fn if use_training else self.call_endpoint_fn
        outputs = self._run(fn, inputs, kwargs)
        if use_training:  # state the training endpoint changed becomes an assignment
            for variable, tf_variable in zip(self._variables, self._tf_variables):
                if not tf_variable.trainable:
                    variable.assign(tf_variable.read_value())
        return outputs

    def _run(self, fn, inputs, kwargs):
        """fn(inputs, **kwargs) on the Variables' current values, differentiable in them (inside
        a training step those are the step's tensors, not the SavedModel's variables)."""
        flat_inputs = tf.nest.flatten(inputs)
        values = [v.value for v in self._variables]
        n_in = len(flat_inputs)

        @tf.custom_gradient
        def run(*tensors):
            for tf_variable, value in zip(self._tf_variables, tensors[n_in:]):
                tf_variable.assign(value)
            x = tf.nest.pack_sequence_as(inputs, list(tensors[:n_in]))
            with tf.GradientTape(watch_accessed_variables=False) as tape:
                tape.watch([t for t in tensors[:n_in] if _differentiable(t)])
                tape.watch([v for v in self._tf_variables if _differentiable(v)])
                outputs = fn(x, **kwargs)
            flat_outputs = tf.nest.flatten(outputs)

            def grad(*dys, variables=None):
                # gradients for the values go through the SavedModel variables they were
                # written to; the variables themselves get none (no tape watches them)
                sources = list(tensors[:n_in]) + self._tf_variables
                wanted = [i for i, s in enumerate(sources) if _differentiable(s)]
                dys = [tf.zeros_like(o) if d is None else d for o, d in zip(flat_outputs, dys)]
                found = tape.gradient(flat_outputs, [sources[i] for i in wanted],
                                      output_gradients=dys,
                                      unconnected_gradients=tf.UnconnectedGradients.ZERO)
                grads = [None] * len(sources)
                for i, g in zip(wanted, found):
                    grads[i] = g
                return grads, [None] * len(variables or ())

            return outputs, grad

        return run(*flat_inputs, *values)

    def compute_output_spec(self, inputs, training=False, **kwargs):
        # from the endpoint's declared outputs: tracing would write to the SavedModel variables
        use_training = bool(training) and self.call_training_endpoint_fn is not None
        fn = self.call_training_endpoint_fn if use_training else self.call_endpoint_fn
        if not isinstance(fn, tf.types.experimental.ConcreteFunction):
            specs = tf.nest.map_structure(
                lambda t: tf.TensorSpec(t.shape, t.dtype) if isinstance(t, KerasTensor) else t,
                inputs)
            fn = fn.get_concrete_function(specs, **kwargs)
        return tf.nest.map_structure(
            lambda s: KerasTensor(s.shape.as_list(), dtype_of(s)), fn.structured_outputs)

    def get_config(self):
        return {**super().get_config(), "filepath": self.filepath,
                "call_endpoint": self.call_endpoint,
                "call_training_endpoint": self.call_training_endpoint}

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        safe = serialization_lib.in_safe_mode() if safe_mode is None else safe_mode
        if safe is not False:
            raise ValueError(
                "TFSMLayer's config points at a TensorFlow SavedModel, whose graph code would "
                "be loaded and run; safe mode forbids it. If you trust the source, pass "
                "`safe_mode=False` to the loading function or call "
                "`keraslite.config.enable_unsafe_deserialization()`.")
        return super().from_config(config)


def _concrete_functions(fn):
    if fn is None:
        return []
    if isinstance(fn, tf.types.experimental.ConcreteFunction):
        return [fn]
    return list(fn.concrete_functions)  # a restored tf.function: every traced signature


def _variable_name(v):
    return v.name.split(":")[0].replace("/", "_")  # keraslite names hold no '/'


def _differentiable(t):
    return t.dtype.is_floating or t.dtype.is_complex
