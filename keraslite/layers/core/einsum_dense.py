"""EinsumDense: y = activation(einsum(equation, x, kernel) + bias) for any input and kernel ranks.

The equation names the input, kernel and output axes, e.g. "abc,cde->abde" projects the last
axis of a (batch, steps, features) input to (heads, head_dim). "..." stands for leading
("...b,bc->...c") or trailing ("ab...,bc->ac...") input axes copied to the output. The kernel
takes each of its axes' sizes from the output shape or, for contracted axes, from the input.
"""

import re

from keraslite import activations, constraints, initializers, ops, regularizers
from keraslite.initializers import VarianceScaling
from keraslite.layers.core.lora import LoRAKernel
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object

_FORMS = (  # (pattern over the equation with "..." written as "0", where the ellipsis is)
    ("([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)", None),
    ("0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)", "left"),
    ("([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0", "right"),
)


def analyze_equation(equation, bias_axes, input_shape, output_shape):
    """(kernel_shape, bias_shape or None, full output shape, kernel input axes, kernel output
    axes) for `equation` on inputs of `input_shape`; `output_shape` gives the output sizes
    after the batch axis, ellipsis axes excluded."""
    for pattern, elided_side in _FORMS:
        match = re.fullmatch(pattern, equation.replace("...", "0"))
        if match:
            break
    else:
        raise ValueError(f"Invalid einsum equation '{equation}'. Equations must be in the form "
                         "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]....")
    in_spec, kernel_spec, out_spec = match.groups()
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(in_spec)
    if elided < 0 or (elided_side is None and elided):
        raise ValueError(f"the input spec '{in_spec}' needs inputs of rank {len(in_spec)}"
                         f"{' or more' if elided_side else ''}; received rank {len(input_shape)}.")
    partial = [output_shape] if isinstance(output_shape, int) else list(output_shape)

    # the full output shape, and where each input / output letter sits in its shape
    if elided_side == "left":
        full_output = [*input_shape[:max(elided, 1)], *partial]
        in_pos = {c: elided + i for i, c in enumerate(in_spec)}
        out_pos = {c: elided + i for i, c in enumerate(out_spec)}
    else:
        trailing = input_shape[len(input_shape) - elided:] if elided > 0 else ()
        full_output = [input_shape[0], *partial, *trailing]
        in_pos = {c: i for i, c in enumerate(in_spec)}
        out_pos = {c: i for i, c in enumerate(out_spec)}

    for c in in_spec:
        if c in out_pos:
            want = full_output[out_pos[c]]
            if want is not None and want != input_shape[in_pos[c]]:
                raise ValueError(f"Input shape and output shape do not match at shared dimension "
                                 f"'{c}'. Input shape is {input_shape[in_pos[c]]}, and output "
                                 f"shape is {want}.")
    for c in out_spec:
        if c not in in_spec and c not in kernel_spec:
            raise ValueError(f"Dimension '{c}' was specified in the output '{out_spec}' but has "
                             f"no corresponding dim in the input spec '{in_spec}' or weight "
                             f"spec '{kernel_spec}'")

    kernel_shape, input_axes, output_axes = [], [], []
    for i, c in enumerate(kernel_spec):
        if c in out_pos:
            kernel_shape.append(full_output[out_pos[c]])
            output_axes.append(i)
        elif c in in_pos:
            kernel_shape.append(input_shape[in_pos[c]])
            input_axes.append(i)
        else:
            raise ValueError(f"Weight dimension '{c}' did not have a match in either the input "
                             f"spec '{in_spec}' or the output spec '{out_spec}'. For this layer, "
                             "the weight must be fully specified.")

    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(f"Bias dimension '{c}' was requested, but is not part of the "
                                 f"output spec '{out_spec}'")
        # the bias spans the output axes from the first biased one on (1 where not biased), and
        # broadcasts over trailing ellipsis axes
        first = min(out_spec.index(c) for c in bias_axes)
        bias_shape = [full_output[out_pos[c]] if c in bias_axes else 1 for c in out_spec[first:]]
        if elided_side == "right":
            bias_shape += [1] * elided
    return kernel_shape, bias_shape, full_output, input_axes, output_axes


class EinsumDense(LoRAKernel, Layer):
    def __init__(self, equation, output_shape, activation=None, bias_axes=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None,
                 gptq_unpacked_column_size=None, quantization_config=None, **kwargs):
        super().__init__(**kwargs)
        if quantization_config is not None:
            raise ValueError(f"EinsumDense '{self.name}': quantization is not supported by "
                             "keraslite; pass quantization_config=None.")
        self.equation = equation
        self.partial_output_shape = ((output_shape,) if isinstance(output_shape, int)
                                     else tuple(output_shape))
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self.gptq_unpacked_column_size = gptq_unpacked_column_size
        self.quantization_config = None

    def _analyze(self, input_shape):
        try:
            return analyze_equation(self.equation, self.bias_axes, input_shape,
                                    self.partial_output_shape)
        except ValueError as e:
            raise ValueError(f"EinsumDense '{self.name}' (equation '{self.equation}', input "
                             f"shape {tuple(input_shape)}): {e}") from None

    def build(self, input_shape):
        input_shape = tuple(input_shape)
        kernel_shape, bias_shape, _, input_axes, output_axes = self._analyze(input_shape)
        if any(d is None for d in kernel_shape):
            raise ValueError(f"EinsumDense '{self.name}' cannot size its kernel {kernel_shape} "
                             f"from input shape {input_shape} and output_shape "
                             f"{self.partial_output_shape}: give every kernel axis a known size.")
        self._input_rank = len(input_shape)
        initializer = self.kernel_initializer
        if isinstance(initializer, VarianceScaling) and (initializer.input_axes is None
                                                         or initializer.output_axes is None):
            # fans counted over the axes the equation contracts and produces, as Keras does
            config = dict(initializer.get_config(), seed=initializer.seed,
                          input_axes=input_axes, output_axes=output_axes)
            initializer = type(initializer).from_config(config)
        self._kernel = self.add_weight(name="kernel", shape=kernel_shape, initializer=initializer,
                                       regularizer=self.kernel_regularizer,
                                       constraint=self.kernel_constraint)
        self.bias = None
        if bias_shape is not None:
            self.bias = self.add_weight(name="bias", shape=bias_shape,
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True
        self._maybe_enable_lora()

    def _check_input(self, shape):
        if len(shape) == self._input_rank:
            kernel_shape = self._analyze(shape)[0]
            if all(d is None or d == k for d, k in zip(kernel_shape, self._kernel.shape)):
                return
        raise ValueError(f"EinsumDense '{self.name}' was built for a kernel of shape "
                         f"{tuple(self._kernel.shape)} (equation '{self.equation}', inputs of "
                         f"rank {self._input_rank}); received input shape {shape}.")

    def call(self, inputs, training=None):
        self._check_input(tuple(inputs.shape))
        x = ops.einsum(self.equation, inputs, ops.cast(self.kernel, self.compute_dtype))
        if self.bias is not None:
            x = ops.add(x, ops.cast(self.bias, self.compute_dtype))
        return self.activation(x) if self.activation is not None else x

    def compute_output_shape(self, input_shape):
        return tuple(self._analyze(input_shape)[2])

    def get_config(self):
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": serialize_keras_object(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "quantization_config": None,
        })
        config.update(self._lora_config())
        if self.gptq_unpacked_column_size:
            config["gptq_unpacked_column_size"] = self.gptq_unpacked_column_size
        return config
