"""BatchNormalization: normalize each feature of `axis` with batch moments (training) or with
moving averages of them (inference), then scale by gamma and shift by beta.

The moving statistics change only through Variable.assign, so a training step run inside a
StatelessScope (the trainer's jit) returns them as new state.
"""

from keraslite import backend, config, constraints, initializers, ops, regularizers
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object

_CLIP_KEYS = ("rmax", "rmin", "dmax")


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, renorm=False, renorm_clipping=None,
                 renorm_momentum=0.99, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)
        # on one device synchronized moments equal local ones; ops.moments takes the flag
        self.synchronized = synchronized
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.renorm = renorm
        if renorm:
            renorm_clipping = renorm_clipping or {}
            unknown = set(renorm_clipping) - set(_CLIP_KEYS)
            if unknown:
                raise ValueError(f"BatchNormalization '{self.name}': unknown `renorm_clipping` "
                                 f"keys {sorted(unknown)}; allowed keys are {list(_CLIP_KEYS)}.")
            rmax, rmin = renorm_clipping.get("rmax"), renorm_clipping.get("rmin")
            dmax = renorm_clipping.get("dmax")
            if rmax is not None and rmin is not None and rmax < rmin:
                raise ValueError(f"BatchNormalization '{self.name}': renorm_clipping needs "
                                 f"rmax >= rmin. Received rmax={rmax}, rmin={rmin}.")
            if dmax is not None and dmax < 0:
                raise ValueError(f"BatchNormalization '{self.name}': renorm_clipping needs "
                                 f"dmax >= 0. Received dmax={dmax}.")
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.gamma = self.beta = self.moving_mean = self.moving_variance = None

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"BatchNormalization '{self.name}': axis={self.axis} is out of "
                             f"range for input shape {input_shape}.")
        if self.built:
            if rank != self._rank or input_shape[self.axis] != self._features:
                expected = [None] * self._rank
                expected[self.axis] = self._features
                raise ValueError(f"BatchNormalization '{self.name}' was built for inputs of "
                                 f"shape {tuple(expected)}; received input shape "
                                 f"{input_shape}.")
        elif input_shape[self.axis] is None:
            raise ValueError(f"BatchNormalization '{self.name}' needs a known size on axis "
                             f"{self.axis}; received input shape {input_shape}.")

    def build(self, input_shape):
        self._check_input(input_shape)
        self._rank = len(input_shape)
        self._features = int(input_shape[self.axis])
        shape = (self._features,)
        if self.scale:
            self.gamma = self.add_weight(name="gamma", shape=shape,
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint, autocast=False)
        if self.center:
            self.beta = self.add_weight(name="beta", shape=shape,
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint, autocast=False)
        self.moving_mean = self.add_weight(name="moving_mean", shape=shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False, autocast=False)
        self.moving_variance = self.add_weight(name="moving_variance", shape=shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False, autocast=False)
        if self.renorm:
            def stddev_init(shape, dtype=None):
                return ops.sqrt(self.moving_variance_initializer(shape, dtype=dtype))

            self.moving_stddev = self.add_weight(name="moving_stddev", shape=shape,
                                                 initializer=stddev_init, trainable=False,
                                                 autocast=False)
            self.renorm_mean = self.add_weight(name="renorm_mean", shape=shape,
                                               initializer=self.moving_mean_initializer,
                                               trainable=False, autocast=False)
            self.renorm_stddev = self.add_weight(name="renorm_stddev", shape=shape,
                                                 initializer=stddev_init, trainable=False,
                                                 autocast=False)
        axis = self.axis % self._rank
        self._reduction_axes = tuple(i for i in range(self._rank) if i != axis)
        self.built = True

    def call(self, inputs, training=None, mask=None):
        self._check_input(inputs.shape)
        if mask is not None and len(mask.shape) != len(inputs.shape) - 1:
            raise ValueError(f"BatchNormalization '{self.name}': the mask must have one "
                             f"dimension less than the inputs; received mask shape "
                             f"{tuple(mask.shape)} for input shape {tuple(inputs.shape)}.")
        # half-precision inputs are normalized in float32 for stability
        dtype = backend.result_type(inputs.dtype, "float32")
        x = ops.cast(inputs, dtype)
        gamma = ops.cast(self.gamma, dtype) if self.scale else None
        beta = ops.cast(self.beta, dtype) if self.center else None
        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            if self.renorm:
                gamma, beta = self._renorm_transform(mean, variance, gamma, beta, dtype)
            else:
                self._update(self.moving_mean, mean, self.momentum)
                self._update(self.moving_variance, variance, self.momentum)
        else:
            mean = ops.cast(self.moving_mean, dtype)
            variance = ops.cast(self.moving_variance, dtype)
        outputs = ops.batch_normalization(x, mean, variance, axis=self.axis, offset=beta,
                                          scale=gamma, epsilon=self.epsilon)
        return ops.cast(outputs, self.compute_dtype)

    @staticmethod
    def _blend(old, new, momentum):
        return ops.add(ops.multiply(old, momentum), ops.multiply(new, 1.0 - momentum))

    def _update(self, variable, value, momentum):
        old = ops.cast(variable, value.dtype)
        return variable.assign(self._blend(old, value, momentum))

    def _moments(self, x, mask):
        if mask is None:
            return ops.moments(x, axes=self._reduction_axes, synchronized=self.synchronized)
        # mask covers every axis but the last: masked positions leave the batch statistics
        keep = ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), ops.shape(x))
        zeros = ops.zeros_like(x)
        count = ops.add(ops.sum(ops.cast(keep, x.dtype), self._reduction_axes, keepdims=True),
                        config.epsilon())
        mean = ops.divide(ops.sum(ops.where(keep, x, zeros), self._reduction_axes,
                                  keepdims=True), count)
        diff = ops.where(keep, ops.subtract(x, mean), zeros)
        variance = ops.divide(ops.sum(ops.square(diff), self._reduction_axes, keepdims=True),
                              count)
        shape = (self._features,)
        return ops.reshape(mean, shape), ops.reshape(variance, shape)

    def _renorm_transform(self, mean, variance, gamma, beta, dtype):
        """Batch renormalization: fold the clipped correction (r, d) into gamma and beta and
        update the renorm and moving statistics."""
        stddev = ops.sqrt(ops.add(variance, self.epsilon))
        renorm_mean = ops.cast(self.renorm_mean, dtype)
        renorm_stddev = ops.maximum(ops.cast(self.renorm_stddev, dtype),
                                    ops.sqrt(ops.cast(self.epsilon, dtype)))
        r = ops.divide(stddev, renorm_stddev)
        d = ops.divide(ops.subtract(mean, renorm_mean), renorm_stddev)
        clip = self.renorm_clipping
        if clip.get("rmin") is not None:
            r = ops.maximum(r, clip["rmin"])
        if clip.get("rmax") is not None:
            r = ops.minimum(r, clip["rmax"])
        if clip.get("dmax") is not None:
            d = ops.clip(d, -clip["dmax"], clip["dmax"])
        # r and d are treated as constants by the gradient
        r, d = ops.stop_gradient(r), ops.stop_gradient(d)
        if gamma is not None:
            new_gamma, new_beta = ops.multiply(r, gamma), ops.multiply(d, gamma)
        else:
            new_gamma, new_beta = r, d
        if beta is not None:
            new_beta = ops.add(new_beta, beta)

        self._update(self.renorm_mean, mean, self.renorm_momentum)
        self._update(self.renorm_stddev, stddev, self.renorm_momentum)
        self._update(self.moving_mean, mean, self.momentum)
        moving_stddev = self._blend(ops.cast(self.moving_stddev, dtype), stddev, self.momentum)
        self.moving_stddev.assign(moving_stddev)
        self.moving_variance.assign(
            ops.relu(ops.subtract(ops.square(moving_stddev), self.epsilon)))
        return new_gamma, new_beta

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": serialize_keras_object(self.beta_initializer),
            "gamma_initializer": serialize_keras_object(self.gamma_initializer),
            "moving_mean_initializer": serialize_keras_object(self.moving_mean_initializer),
            "moving_variance_initializer": serialize_keras_object(
                self.moving_variance_initializer),
            "beta_regularizer": serialize_keras_object(self.beta_regularizer),
            "gamma_regularizer": serialize_keras_object(self.gamma_regularizer),
            "beta_constraint": serialize_keras_object(self.beta_constraint),
            "gamma_constraint": serialize_keras_object(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        })
        return config
