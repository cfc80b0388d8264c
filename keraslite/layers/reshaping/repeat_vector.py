"""RepeatVector: (batch, features) -> (batch, n, features)."""

from keraslite import ops
from keraslite.layers.layer import Layer


class RepeatVector(Layer):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"RepeatVector '{self.name}': `n` must be an int, received "
                            f"{type(n).__name__} ({n!r}).")
        if n <= 0:
            raise ValueError(f"RepeatVector '{self.name}': `n` must be positive. Received n={n}")
        self.n = n

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) != 2:
            raise ValueError(f"RepeatVector '{self.name}' expects inputs of rank 2 "
                             f"(batch, features); received input shape {input_shape}.")

    def build(self, input_shape):
        self._check_input(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        return ops.repeat(ops.expand_dims(inputs, 1), self.n, axis=1)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config
