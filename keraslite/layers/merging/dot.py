"""Dot: per-sample dot product of two tensors over one axis of each (cosine similarity with
normalize=True)."""

from keraslite import ops
from keraslite.layers.merging.base_merge import Merge


class Dot(Merge):
    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(axes, int):
            if not isinstance(axes, (list, tuple)):
                raise TypeError(f"Dot '{self.name}': `axes` must be an int or a list of two "
                                f"ints. Received axes={axes!r}")
            if len(axes) != 2:
                raise ValueError(f"Dot '{self.name}': `axes` must hold two ints. Received "
                                 f"axes={axes!r}")
            if not all(isinstance(a, int) for a in axes):
                raise ValueError(f"Dot '{self.name}': `axes` entries must be ints. Received "
                                 f"axes={axes!r}")
        self.axes = axes
        self.normalize = normalize

    def _pair_axes(self, rank1, rank2):
        axes = (self.axes, self.axes) if isinstance(self.axes, int) else tuple(self.axes)
        return axes[0] % rank1, axes[1] % rank2

    def _check_shapes(self, input_shape):
        shapes = self._check_list(input_shape)
        if len(shapes) != 2:
            raise ValueError(f"Dot '{self.name}' takes exactly 2 inputs; received input shapes "
                             f"{shapes}.")
        s1, s2 = shapes
        if len(s1) < 2 or len(s2) < 2:
            raise ValueError(f"Dot '{self.name}' needs inputs of rank >= 2 (batch first); "
                             f"received input shapes {shapes}.")
        a1, a2 = self._pair_axes(len(s1), len(s2))
        if a1 == 0 or a2 == 0:
            raise ValueError(f"Dot '{self.name}' cannot contract the batch axis; axes="
                             f"{self.axes} with input shapes {shapes}.")
        if s1[a1] is not None and s2[a2] is not None and s1[a1] != s2[a2]:
            raise ValueError(f"Dot '{self.name}': sizes differ on the contracted axes ({s1[a1]} "
                             f"on axis {a1} vs {s2[a2]} on axis {a2}); received input shapes "
                             f"{shapes}.")
        return s1, s2, a1, a2

    def build(self, input_shape):
        self._check_shapes(input_shape)
        self.built = True

    def _merge_function(self, inputs, masks):
        if len(inputs) != 2:
            raise ValueError(f"Dot '{self.name}' takes exactly 2 inputs; received "
                             f"{len(inputs)}.")
        x, y = inputs
        a1, a2 = self._pair_axes(len(x.shape), len(y.shape))
        if self.normalize:
            x = ops.normalize(x, axis=a1)
            y = ops.normalize(y, axis=a2)
        # (b, *xr, k) @ (b, k, *yr) as one batched matmul over flattened rest dims
        x = ops.moveaxis(x, a1, -1)
        y = ops.moveaxis(y, a2, 1)
        x_shape, y_shape = ops.shape(x), ops.shape(y)
        x_rest, y_rest = tuple(x_shape[1:-1]), tuple(y_shape[2:])
        out = ops.matmul(ops.reshape(x, (x_shape[0], -1, x_shape[-1])),
                         ops.reshape(y, (y_shape[0], y_shape[1], -1)))
        out_shape = (x_shape[0],) + x_rest + y_rest
        return ops.reshape(out, out_shape if len(out_shape) > 1 else out_shape + (1,))

    def compute_output_shape(self, input_shape):
        s1, s2, a1, a2 = self._check_shapes(input_shape)
        out = tuple(d for i, d in enumerate(s1) if i != a1) + \
            tuple(d for i, d in enumerate(s2) if i not in (0, a2))
        return out if len(out) > 1 else out + (1,)

    def compute_mask(self, inputs, previous_mask):
        return None  # the contracted axes are gone

    def get_config(self):
        config = super().get_config()
        config.update({"axes": self.axes, "normalize": self.normalize})
        return config


def dot(inputs, axes=-1, **kwargs):
    """Functional form of Dot: `dot([x1, x2], axes=-1)`."""
    return Dot(axes=axes, **kwargs)(inputs)
