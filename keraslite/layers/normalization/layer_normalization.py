"""LayerNormalization: normalize each sample over `axis` (one int or several), then scale by
gamma and shift by beta. Statistics are per sample, so training and inference agree.
"""

import warnings

from keraslite import backend, constraints, initializers, ops, regularizers
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None,
                 beta_constraint=None, gamma_constraint=None, **kwargs):
        # Keras takes rms_scaling through **kwargs (deprecated), so the signature matches
        rms_scaling = kwargs.pop("rms_scaling", False)
        if rms_scaling:
            warnings.warn("LayerNormalization(rms_scaling=True) is deprecated: it divides by the "
                          "standard deviation, not the root mean square. Use RMSNormalization "
                          "for RMS normalization.", stacklevel=2)
        super().__init__(**kwargs)
        if isinstance(axis, (list, tuple)):
            self.axis = list(axis)
        elif isinstance(axis, int) and not isinstance(axis, bool):
            self.axis = axis
        else:
            raise TypeError(f"LayerNormalization '{self.name}': `axis` must be an int or a "
                            f"list/tuple of ints. Received axis={axis!r}")
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False  # statistics are computed in at least float32 by the op

    def _axes(self):
        return list(self.axis) if isinstance(self.axis, list) else [self.axis]

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        for a in self._axes():
            if not -rank <= a < rank:
                raise ValueError(f"LayerNormalization '{self.name}': axis {a} is out of range "
                                 f"for input shape {input_shape} (axis={self.axis}).")
        sizes = tuple(input_shape[a] for a in self._axes())
        if self.built and (rank != self._rank or sizes != self._param_shape):
            raise ValueError(f"LayerNormalization '{self.name}' was built for size "
                             f"{self._param_shape} on axis {self.axis} of rank-{self._rank} "
                             f"inputs; received input shape {input_shape}.")
        if not self.built and any(s is None for s in sizes):
            raise ValueError(f"LayerNormalization '{self.name}' needs known sizes on axis "
                             f"{self.axis}; received input shape {input_shape}.")
        return sizes

    def build(self, input_shape):
        if isinstance(self.axis, list):
            self.axis = sorted(self.axis)
        sizes = self._check_input(input_shape)
        self._rank = len(input_shape)
        self._param_shape = sizes
        if not isinstance(self.axis, list):
            self.axis = [self.axis]  # as Keras does once built (shows in get_config)
        self.gamma = self.beta = None
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(name="gamma", shape=sizes,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(name="beta", shape=sizes,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        if self.rms_scaling:
            outputs = self._variance_scaling(inputs)
        else:
            outputs = ops.layer_normalization(inputs, self.gamma, self.beta, self.axis,
                                              self.epsilon)
        return ops.cast(outputs, self.compute_dtype)

    def _variance_scaling(self, inputs):
        """Keras' rms_scaling: x / sqrt(var(x) + epsilon) * gamma (no centering, no beta).
        Written with plain ops because backends disagree on the op's rms_scaling flag."""
        dtype = backend.result_type(inputs.dtype, "float32")
        x = ops.cast(inputs, dtype)
        variance = ops.var(x, axis=self.axis, keepdims=True)
        outputs = ops.multiply(x, ops.rsqrt(ops.add(variance, self.epsilon)))
        if self.gamma is not None:
            rank = len(inputs.shape)
            shape = [1] * rank
            for a, size in zip(self.axis, self._param_shape):
                shape[a % rank] = size
            outputs = ops.multiply(outputs, ops.reshape(ops.cast(self.gamma, dtype), shape))
        return outputs

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": serialize_keras_object(self.beta_initializer),
            "gamma_initializer": serialize_keras_object(self.gamma_initializer),
            "beta_regularizer": serialize_keras_object(self.beta_regularizer),
            "gamma_regularizer": serialize_keras_object(self.gamma_regularizer),
            "beta_constraint": serialize_keras_object(self.beta_constraint),
            "gamma_constraint": serialize_keras_object(self.gamma_constraint),
        })
        return config
