"""SpectralNormalization: wraps a layer that has a `kernel` (or `embeddings`) and, in training,
divides that kernel by its largest singular value, estimated by power iteration with a
persistent vector `vector_u` (Miyato et al., 2018). The normalized kernel is assigned back to
the wrapped layer, so inference uses the kernel of the last training step."""

from keraslite import initializers, ops
from keraslite.layers.core.wrapper import Wrapper


class SpectralNormalization(Wrapper):
    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(f"SpectralNormalization '{self.name}': `power_iterations` must be "
                             f"greater than zero. Received power_iterations={power_iterations}")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self._input_channels = input_shape[-1]
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(f"SpectralNormalization '{self.name}': the wrapped layer "
                             f"'{self.layer.name}' ({type(self.layer).__name__}) has no "
                             "`kernel` nor `embeddings` weight to normalize (built for input "
                             f"shape {tuple(input_shape)}).")
        self.kernel = kernel
        # Keras tracks the wrapped kernel as this layer's own weight too: it comes first in
        # `weights` and is saved with this layer's variables
        self._own_variables.append(kernel)
        self.vector_u = self.add_weight(name="vector_u", shape=(1, kernel.shape[-1]),
                                        initializer=initializers.TruncatedNormal(stddev=0.02),
                                        trainable=False, dtype=kernel.dtype)
        self.built = True

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        channels = self._input_channels
        if not input_shape or (channels is not None and input_shape[-1] not in (None, channels)):
            raise ValueError(f"SpectralNormalization '{self.name}' was built for inputs with "
                             f"last dimension {channels}; received input shape {input_shape}.")

    def call(self, inputs, training=False):
        self._check_input(inputs.shape)
        if training:
            kernel = self.kernel.value
            vector_u, kernel = ops.cond(ops.all(ops.equal(kernel, 0)),
                                        lambda: (self.vector_u.value, kernel),
                                        self.normalized_weights)
            self.vector_u.assign(vector_u)
            self.kernel.assign(kernel)
        return ops.cast(self.layer(inputs), inputs.dtype)

    def normalized_weights(self):
        """(new vector_u, kernel / sigma) with sigma the estimated largest singular value."""
        shape = tuple(self.kernel.shape)
        weights = ops.reshape(self.kernel.value, (-1, shape[-1]))
        vector_u = self.vector_u.value
        for _ in range(self.power_iterations):
            vector_v = ops.normalize(ops.matmul(vector_u, ops.transpose(weights)), axis=None)
            vector_u = ops.normalize(ops.matmul(vector_v, weights), axis=None)
        vector_u, vector_v = ops.stop_gradient(vector_u), ops.stop_gradient(vector_v)
        sigma = ops.matmul(ops.matmul(vector_v, weights), ops.transpose(vector_u))
        kernel = ops.reshape(ops.divide(weights, sigma), shape)
        return ops.cast(vector_u, self.vector_u.dtype), ops.cast(kernel, self.kernel.dtype)

    def compute_output_spec(self, inputs, training=None):
        self._check_input(inputs.shape)
        return self.layer.compute_output_spec(inputs)

    def get_config(self):
        config = super().get_config()
        config["power_iterations"] = self.power_iterations
        return config
