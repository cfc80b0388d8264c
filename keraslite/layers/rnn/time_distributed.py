"""TimeDistributed: applies one layer (one set of weights) to every time step of its input."""

from keraslite import ops
from keraslite.backend import KerasTensor
from keraslite.layers.core.wrapper import Wrapper


class TimeDistributed(Wrapper):
    def __init__(self, layer, **kwargs):
        super().__init__(layer, **kwargs)
        self.supports_masking = True

    def _step_shape(self, input_shape):
        if not isinstance(input_shape, (tuple, list)) or len(input_shape) < 3:
            raise ValueError(f"Layer '{self.name}' (TimeDistributed) needs inputs of rank >= 3 "
                             f"(batch, time, ...); received input shape {input_shape}.")
        return (input_shape[0], *input_shape[2:])

    def build(self, input_shape):
        step_shape = self._step_shape(tuple(input_shape))
        if not self.layer.built:
            self.layer.build(step_shape)
            self.layer.built = True
        self.built = True

    def compute_output_shape(self, input_shape):
        step_shape = self._step_shape(tuple(input_shape))
        spec = self.layer.compute_output_spec(KerasTensor(step_shape, self.compute_dtype))
        step_out = tuple(spec.shape)
        return (step_out[0], input_shape[1], *step_out[1:])

    def call(self, inputs, training=None, mask=None):
        shape = tuple(inputs.shape)
        self._step_shape(shape)
        if mask is not None:
            if len(mask.shape) < 2:
                raise ValueError(f"Layer '{self.name}': the mask must be at least 2-D (batch, "
                                 f"time); received mask shape {tuple(mask.shape)}.")
            for axis in (0, 1):
                m, i = mask.shape[axis], shape[axis]
                if m is not None and i is not None and m != i:
                    raise ValueError(
                        f"Layer '{self.name}': mask shape {tuple(mask.shape)} does not match the "
                        f"(batch, time) of the input shape {shape}.")

        def step(x_t, mask_t):
            kwargs = {}
            if self.layer._call_has_mask and mask_t is not None:
                kwargs["mask"] = mask_t
            if self.layer._call_has_training:
                kwargs["training"] = training
            return self.layer(x_t, **kwargs)

        if shape[1] is not None:
            # one call per step, as Keras does (batch statistics stay per time step)
            outputs = [step(inputs[:, t], None if mask is None else mask[:, t])
                       for t in range(shape[1])]
            return ops.stack(outputs, axis=1)
        # unknown number of steps: fold time into the batch for one call
        dyn = ops.shape(inputs)
        merged = ops.reshape(inputs, (-1, *shape[2:]))
        merged_mask = None if mask is None else ops.reshape(mask, (-1, *tuple(mask.shape)[2:]))
        out = step(merged, merged_mask)
        return ops.reshape(out, (dyn[0], dyn[1], *tuple(out.shape)[1:]))
