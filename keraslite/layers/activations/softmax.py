"""Softmax: exp(x) normalized over `axis` (an int or several axes); masked positions (the
`mask` argument, broadcastable to the inputs) get probability 0."""

from keraslite import activations, backend, ops
from keraslite.layers.layer import Layer


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def _check_mask(self, inputs, mask):
        in_shape, mask_shape = tuple(inputs.shape), tuple(mask.shape)
        fits = len(mask_shape) <= len(in_shape) and all(
            m is None or i is None or m in (1, i)
            for m, i in zip(reversed(mask_shape), reversed(in_shape)))
        if not fits:
            raise ValueError(f"Softmax '{self.name}': the mask must broadcast to the inputs "
                             "(each mask dimension 1 or equal to the input's, no extra "
                             f"dimensions). Received inputs shape {in_shape}, mask shape "
                             f"{mask_shape}.")

    def call(self, inputs, mask=None):
        if mask is not None:
            self._check_mask(inputs, mask)
            if backend.standardize_dtype(mask.dtype) != "bool":
                mask = ops.greater(mask, ops.cast(0.5, mask.dtype))
            # masked logits become a large negative number (representable in float16 too)
            fill = -3e4 if backend.standardize_dtype(inputs.dtype) == "float16" else -1e9
            inputs = ops.where(mask, inputs, ops.cast(fill, inputs.dtype))
        if isinstance(self.axis, (list, tuple)) and len(self.axis) > 1:
            outputs = ops.exp(ops.subtract(
                inputs, ops.logsumexp(inputs, axis=self.axis, keepdims=True)))
        else:
            axis = self.axis[0] if isinstance(self.axis, (list, tuple)) else self.axis
            outputs = activations.softmax(inputs, axis=axis)
        if mask is not None:
            # a fully masked slice would otherwise come out uniform
            outputs = ops.where(mask, outputs, ops.zeros_like(outputs))
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config
