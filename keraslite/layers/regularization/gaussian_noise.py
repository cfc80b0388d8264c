"""GaussianNoise: adds zero-mean normal noise of standard deviation `stddev` in training."""

from keraslite import ops, random
from keraslite.layers.layer import Layer


class GaussianNoise(Layer):
    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise '{self.name}': `stddev` must be in [0, 1]. "
                             f"Received stddev={stddev}")
        self.stddev = stddev
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed) if stddev > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        noise = random.normal(ops.shape(inputs), stddev=self.stddev, dtype=self.compute_dtype,
                              seed=self.seed_generator)
        return ops.add(inputs, noise)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"stddev": self.stddev, "seed": self.seed})
        return config
