"""The adaptive pooling layers' shared part: average or max pooling of rank 3/4/5 inputs to a
fixed spatial `output_size`, whatever the input's spatial size (the bins of
ops.adaptive_average_pool)."""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


def _output_size(cls, value, rank):
    """An int or `rank` ints -> a tuple of `rank` positive ints (Keras' error types)."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,) * rank
    elif isinstance(value, (tuple, list)) and len(value) != rank and rank == 1:
        raise ValueError(f"{cls.__name__}: `output_size` must have length 1. Received: "
                         f"output_size={value!r}")
    if not (isinstance(value, (tuple, list)) and len(value) == rank
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)):
        raise TypeError(f"{cls.__name__}: `output_size` must be an int or a tuple of {rank} "
                        f"ints. Received: output_size={value!r} (of type "
                        f"{type(value).__name__})")
    if any(v <= 0 for v in value):
        raise ValueError(f"{cls.__name__}: `output_size` values must be positive. Received: "
                         f"output_size={tuple(value)}")
    return tuple(value)


class BaseAdaptivePooling(Layer):
    """Subclasses set `rank` (spatial dims) and `pool_mode` ("average" or "max")."""

    rank = None
    pool_mode = None

    def __init__(self, output_size, data_format=None, **kwargs):
        output_size = _output_size(type(self), output_size, self.rank)
        super().__init__(**kwargs)
        self.output_size = output_size
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.built = True  # no weights; the rank is checked on every call

    def _check_input(self, input_shape):
        conv_utils.check_rank(self, input_shape, self.rank + 2,
                              layout=conv_utils.layout(self.rank, self.data_format))

    def call(self, inputs):
        self._check_input(inputs.shape)
        pool = ops.adaptive_max_pool if self.pool_mode == "max" else ops.adaptive_average_pool
        return pool(inputs, self.output_size, data_format=self.data_format)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        config = super().get_config()
        config.update({"output_size": self.output_size, "data_format": self.data_format})
        return config
