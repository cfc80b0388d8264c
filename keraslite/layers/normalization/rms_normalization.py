"""RMSNormalization: divide each sample by its root mean square over `axis` (an int or several
axes), then multiply by a learned `scale`."""

from keraslite import ops
from keraslite.layers.layer import Layer


class RMSNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def _axes(self):
        return list(self.axis) if isinstance(self.axis, (list, tuple)) else [self.axis]

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        rank = len(input_shape)
        if any(not -rank <= a < rank for a in self._axes()):
            raise ValueError(f"RMSNormalization '{self.name}': axis={self.axis} is out of range "
                             f"for input shape {input_shape}.")
        sizes = tuple(input_shape[a] for a in self._axes())
        if self.built and sizes != tuple(self.scale.shape):
            raise ValueError(f"RMSNormalization '{self.name}' was built for size "
                             f"{tuple(self.scale.shape)} on axis {self.axis}; received input "
                             f"shape {input_shape}.")
        return sizes

    def build(self, input_shape):
        self.axis = sorted(self._axes())  # a list once built, as Keras (shows in get_config)
        sizes = self._check_input(input_shape)
        if None in sizes:
            raise ValueError(f"RMSNormalization '{self.name}' needs known sizes on axis "
                             f"{self.axis}; received input shape {tuple(input_shape)}.")
        self.scale = self.add_weight(name="scale", shape=sizes, initializer="ones")
        self.built = True

    def call(self, x):
        self._check_input(x.shape)
        return ops.rms_normalization(x, scale=self.scale, axis=self.axis, epsilon=self.epsilon)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"axis": self.axis, "epsilon": self.epsilon})
        return config
