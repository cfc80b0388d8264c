"""PReLU: x for x >= 0, alpha * x below, with a learned alpha per input position (shared along
`shared_axes`)."""

from keraslite import constraints, initializers, ops, regularizers
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class PReLU(Layer):
    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif isinstance(shared_axes, (list, tuple)):
            self.shared_axes = list(shared_axes)
        else:
            self.shared_axes = [shared_axes]
        self.supports_masking = True

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        expected = self._expected_shape
        if len(input_shape) != len(expected) or any(
                e is not None and s is not None and s != e for s, e in zip(input_shape, expected)):
            raise ValueError(f"PReLU '{self.name}' was built for inputs of shape {expected}; "
                             f"received input shape {input_shape}.")

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        for axis in self.shared_axes or ():
            if not isinstance(axis, int) or not 1 <= axis < rank:
                raise ValueError(f"PReLU '{self.name}': `shared_axes` must hold axes in "
                                 f"[1, {rank - 1}] of the input shape {input_shape}. Received "
                                 f"shared_axes={self.shared_axes}")
        param_shape = [1 if i in (self.shared_axes or ()) else input_shape[i]
                       for i in range(1, rank)]
        if None in param_shape:
            raise ValueError(f"PReLU '{self.name}' needs known sizes on every axis that is not "
                             f"shared; received input shape {input_shape}.")
        self.alpha = self.add_weight(name="alpha", shape=param_shape,
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)
        # the shape later inputs must have: any size on the batch and shared axes
        shared = self.shared_axes or ()
        self._expected_shape = tuple(None if i == 0 or i in shared else size
                                     for i, size in enumerate(input_shape))
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        alpha = ops.cast(self.alpha, inputs.dtype)
        return ops.subtract(ops.relu(inputs), ops.multiply(alpha, ops.relu(ops.negative(inputs))))

    def compute_output_shape(self, input_shape):
        if self.built:
            self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({
            "alpha_initializer": serialize_keras_object(self.alpha_initializer),
            "alpha_regularizer": serialize_keras_object(self.alpha_regularizer),
            "alpha_constraint": serialize_keras_object(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        })
        return config
