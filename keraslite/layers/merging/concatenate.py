"""Concatenate: joins a list of tensors along `axis`; the other dims must match."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Concatenate(Merge):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check_shapes(self, input_shape):
        shapes = self._check_list(input_shape)
        rank = len(shapes[0])
        if any(len(s) != rank for s in shapes) or not -rank <= self.axis < rank:
            raise ValueError(f"Concatenate '{self.name}' needs inputs of one rank with axis "
                             f"{self.axis} in range; received input shapes {shapes}.")
        axis = self.axis % rank
        for i in range(rank):
            sizes = {s[i] for s in shapes} - {None}
            if i != axis and len(sizes) > 1:
                raise ValueError(f"Concatenate '{self.name}' needs inputs whose shapes match "
                                 f"except on the concatenation axis {self.axis}; received "
                                 f"input shapes {shapes}.")
        return shapes, axis

    def build(self, input_shape):
        self._check_shapes(input_shape)
        self.built = True

    def _merge_function(self, inputs, masks):
        return ops.concatenate(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        shapes, axis = self._check_shapes(input_shape)
        out = list(shapes[0])
        for s in shapes[1:]:
            for i, d in enumerate(s):
                if i == axis:
                    out[i] = None if out[i] is None or d is None else out[i] + d
                elif out[i] is None:
                    out[i] = d
        return tuple(out)

    def compute_mask(self, inputs, previous_mask):
        if previous_mask is None:
            return None
        if not isinstance(previous_mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) \
                or len(previous_mask) != len(inputs):
            raise ValueError(f"Concatenate '{self.name}': inputs and masks must be lists of the "
                             "same length.")
        if all(m is None for m in previous_mask):
            return None
        full = []
        for x, m in zip(inputs, previous_mask):
            if m is None:  # unmasked input: every position is kept
                full.append(ops.ones_like(x, dtype="bool"))
            elif len(m.shape) < len(x.shape):
                full.append(ops.broadcast_to(ops.expand_dims(ops.cast(m, "bool"), -1),
                                             ops.shape(x)))
            else:
                full.append(ops.cast(m, "bool"))
        # a step is kept when any of its concatenated features is
        return ops.any(ops.concatenate(full, axis=self.axis), axis=-1)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of Concatenate: `concatenate([x1, x2], axis=-1)`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
