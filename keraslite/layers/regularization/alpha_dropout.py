"""AlphaDropout: in training, sets a `rate` fraction of inputs to SELU's negative saturation
value and applies the affine map that keeps the inputs' mean and variance (for SELU
self-normalizing networks)."""

from keraslite import ops, random
from keraslite.layers.layer import Layer

# SELU's constants: -scale * alpha is the value SELU tends to for large negative inputs
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


class AlphaDropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"AlphaDropout '{self.name}': `rate` must be in [0, 1]. "
                             f"Received rate={rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = ops.shape(inputs)
        if self.noise_shape is not None:  # None entries take the input's size
            shape = tuple(s if d is None else d for s, d in zip(shape, self.noise_shape))
        keep = ops.greater_equal(random.uniform(shape, seed=self.seed_generator), self.rate)
        keep = ops.cast(keep, inputs.dtype)
        dropped = -_SELU_ALPHA * _SELU_SCALE
        a = ((1 - self.rate) * (1 + self.rate * dropped**2)) ** -0.5
        b = -a * dropped * self.rate
        x = ops.add(ops.multiply(inputs, keep), ops.multiply(dropped, ops.subtract(1.0, keep)))
        return ops.add(ops.multiply(a, x), b)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config
