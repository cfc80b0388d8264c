"""GaussianDropout: multiplies the inputs by normal noise of mean 1 and standard deviation
sqrt(rate / (1 - rate)) in training."""

import math

from keraslite import ops, random
from keraslite.layers.layer import Layer


class GaussianDropout(Layer):
    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"GaussianDropout '{self.name}': `rate` must be in [0, 1]. "
                             f"Received rate={rate}")
        self.rate = rate
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            raise ValueError(f"GaussianDropout '{self.name}': rate=1 gives noise of infinite "
                             "standard deviation; use a rate below 1 in training.")
        noise = random.normal(ops.shape(inputs), mean=1.0,
                              stddev=math.sqrt(self.rate / (1.0 - self.rate)),
                              dtype=self.compute_dtype, seed=self.seed_generator)
        return ops.multiply(inputs, noise)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed})
        return config
