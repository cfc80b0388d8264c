"""BaseCropping: removes (before, after) entries from each spatial dim; the base of
Cropping1D, Cropping2D and Cropping3D."""

from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer


class BaseCropping(Layer):
    def __init__(self, rank, cropping, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = conv_utils.normalize_data_format(data_format)
        if rank == 1:  # Keras keeps Cropping1D's cropping as one (before, after) pair
            self.cropping = conv_utils.normalize_tuple(cropping, 2, "cropping", allow_zero=True)
            self._pairs = (self.cropping,)
        else:
            self.cropping = self._pairs = conv_utils.normalize_pairs(cropping, rank, "cropping")

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        self.compute_output_shape(inputs.shape)
        index = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(conv_utils.spatial_axes(self.rank, self.data_format),
                                         self._pairs):
            index[axis] = slice(before, -after if after else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        conv_utils.check_rank(self, input_shape, self.rank + 2,
                              layout=conv_utils.layout(self.rank, self.data_format))
        output_shape = list(input_shape)
        for axis, pair in zip(conv_utils.spatial_axes(self.rank, self.data_format), self._pairs):
            if input_shape[axis] is None:
                continue
            output_shape[axis] = input_shape[axis] - sum(pair)
            if output_shape[axis] <= 0:
                raise ValueError(f"{type(self).__name__} '{self.name}': cropping {self.cropping} "
                                 f"removes all of axis {axis} of the input shape {input_shape}; "
                                 "each spatial dim must be larger than its total cropping.")
        return tuple(output_shape)

    def get_config(self):
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
