"""GroupNormalization: split the channels of `axis` into `groups` groups and normalize each
sample over every group (its channels and all other non-batch axes), then scale by gamma and
shift by beta per channel. groups=-1 is instance normalization (one group per channel)."""

from keraslite import backend, constraints, initializers, ops, regularizers
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class GroupNormalization(Layer):
    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0
                                                                       and groups != -1):
            raise ValueError(f"GroupNormalization '{self.name}': `groups` must be a positive "
                             f"int, or -1 for instance normalization. Received groups={groups!r}")
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False  # statistics are computed in at least float32

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"GroupNormalization '{self.name}': axis={self.axis} is out of "
                             f"range for input shape {input_shape}.")
        if self.built and (rank != self._rank or input_shape[self.axis] != self._channels):
            expected = [None] * self._rank
            expected[self.axis] = self._channels
            raise ValueError(f"GroupNormalization '{self.name}' was built for inputs of shape "
                             f"{tuple(expected)}; received input shape {input_shape}.")

    def build(self, input_shape):
        self._check_input(input_shape)
        channels = input_shape[self.axis]
        if channels is None:
            raise ValueError(f"GroupNormalization '{self.name}' needs a known size on axis "
                             f"{self.axis}; received input shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = channels
        if channels < self.groups or channels % self.groups:
            raise ValueError(f"GroupNormalization '{self.name}': the {channels} channels on "
                             f"axis {self.axis} do not split into groups={self.groups} equal "
                             f"groups (input shape {tuple(input_shape)}).")
        self._rank, self._channels = len(input_shape), channels
        self.gamma = self.beta = None
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=(channels,),
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=(channels,),
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        axis = self.axis % self._rank
        per_group = self._channels // self.groups
        # (..., channels, ...) -> (..., groups, channels per group, ...)
        shape = list(ops.shape(inputs))
        grouped_shape = shape[:axis] + [self.groups, per_group] + shape[axis + 1:]
        dtype = backend.result_type(inputs.dtype, "float32")
        x = ops.cast(ops.reshape(inputs, grouped_shape), dtype)
        reduce_axes = [i for i in range(1, len(grouped_shape)) if i != axis]
        mean, variance = ops.moments(x, axes=reduce_axes, keepdims=True)
        # fold gamma and beta into one multiply-add per element
        param_shape = [1] * len(grouped_shape)
        param_shape[axis:axis + 2] = [self.groups, per_group]
        inv = ops.rsqrt(ops.add(variance, self.epsilon))
        if self.scale:
            inv = ops.multiply(inv, ops.reshape(ops.cast(self.gamma, dtype), param_shape))
        shift = ops.negative(ops.multiply(mean, inv))
        if self.center:
            shift = ops.add(shift, ops.reshape(ops.cast(self.beta, dtype), param_shape))
        outputs = ops.add(ops.multiply(x, inv), shift)
        return ops.cast(ops.reshape(outputs, shape), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize_keras_object(self.beta_initializer),
            "gamma_initializer": serialize_keras_object(self.gamma_initializer),
            "beta_regularizer": serialize_keras_object(self.beta_regularizer),
            "gamma_regularizer": serialize_keras_object(self.gamma_regularizer),
            "beta_constraint": serialize_keras_object(self.beta_constraint),
            "gamma_constraint": serialize_keras_object(self.gamma_constraint),
        })
        return config
