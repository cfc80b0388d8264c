"""Merge: base class of the layers that combine a list of tensors element-wise.

Inputs must share the batch size; the other dims broadcast (an input of lower rank gets unit
axes after the batch axis). The output mask is the OR of the input masks (None if one is None).
"""

from keraslite import ops
from keraslite.layers.layer import Layer


def _is_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, int) for d in s)


class Merge(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self._reshape_required = False

    def _merge_function(self, inputs, masks):
        # abstract: each merge layer (Add, Concatenate, ...) defines how inputs combine
        raise NotImplementedError(f"{type(self).__name__} must define _merge_function().")

    def _check_list(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or not input_shape or \
                not all(_is_shape(s) for s in input_shape):
            raise ValueError(f"{type(self).__name__} '{self.name}' must be called on a list of "
                             f"tensors; received input shape {input_shape}.")
        return [tuple(s) for s in input_shape]

    def _broadcast_shape(self, shape1, shape2, all_shapes):
        """Broadcast two per-sample shapes, right-aligned, as the element-wise op will."""
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        out = list(shape1[:len(shape1) - len(shape2)])
        for a, b in zip(shape1[len(shape1) - len(shape2):], shape2):
            if a is None or b is None:
                out.append(None)
            elif a == 1 or b == 1 or a == b:
                out.append(b if a == 1 else a)
            else:
                raise ValueError(f"{type(self).__name__} '{self.name}': the inputs' shapes are "
                                 f"incompatible for an element-wise merge; received input "
                                 f"shapes {all_shapes}.")
        return tuple(out)

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        batch = {s[0] for s in shapes if s} - {None}
        if len(batch) > 1:
            raise ValueError(f"{type(self).__name__} '{self.name}' cannot merge tensors with "
                             f"different batch sizes; received input shapes {shapes}.")
        out = shapes[0][1:]
        for s in shapes[1:]:
            out = self._broadcast_shape(out, s[1:], shapes)
        return (batch.pop() if batch else None,) + out

    def build(self, input_shape):
        shapes = self._check_list(input_shape)
        self.compute_output_shape(shapes)
        self._reshape_required = len({len(s) for s in shapes}) > 1
        self.built = True

    def call(self, inputs, mask=None):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{type(self).__name__} '{self.name}' must be called on a list of "
                             f"tensors; received a single tensor of shape {tuple(inputs.shape)}.")
        inputs = list(inputs)
        masks = list(mask) if isinstance(mask, (list, tuple)) else [None] * len(inputs)
        if self._reshape_required:
            # lower-rank inputs get unit axes after the batch axis; their masks no longer fit
            rank = max(len(x.shape) for x in inputs)
            for i, x in enumerate(inputs):
                if len(x.shape) < rank:
                    for _ in range(rank - len(x.shape)):
                        x = ops.expand_dims(x, 1)
                    inputs[i], masks[i] = x, None
        return self._merge_function(inputs, masks)

    def compute_mask(self, inputs, previous_mask):
        if previous_mask is None:
            return None
        if not isinstance(previous_mask, (list, tuple)) or not isinstance(inputs, (list, tuple)):
            raise ValueError(f"{type(self).__name__} '{self.name}': inputs and masks must be "
                             "lists.")
        if len(previous_mask) != len(inputs):
            raise ValueError(f"{type(self).__name__} '{self.name}': got {len(inputs)} inputs "
                             f"but {len(previous_mask)} masks.")
        if any(m is None for m in previous_mask):
            return None
        out = previous_mask[0]
        for m in previous_mask[1:]:
            out = ops.logical_or(out, m)
        return out

    @staticmethod
    def _expand_mask(mask, x):
        """A (batch, steps) mask broadcast to x's shape (masks leave out the feature axis)."""
        return ops.broadcast_to(ops.expand_dims(ops.cast(mask, "bool"), -1), ops.shape(x))

    def _masked_reduce(self, op, inputs, masks):
        """Fold `op` over the inputs, letting a masked entry take the other operand's value so
        masked positions do not influence unmasked ones."""
        out, out_mask = None, None
        for x, m in zip(inputs, masks):
            if m is not None:
                m = self._expand_mask(m, x)
            if out is None:
                out, out_mask = x, m
                continue
            if m is not None:
                x = ops.where(m, x, out)
            if out_mask is not None:
                out = ops.where(out_mask, out, x)
            out_mask = ops.logical_or(out_mask, m) if (m is not None and
                                                       out_mask is not None) else None
            out = op(out, x)
        return out
