"""The convolution layers' shared parts: ConvCommon (window arguments, input checks, bias,
activation, config) and BaseConv, the N-D convolution of Conv1D, Conv2D and Conv3D.

Kernel layout is (*kernel_size, input_channels // groups, filters), as in Keras, so weights
move between the two unchanged. `ops.conv` infers the groups from that kernel shape.
"""

from keraslite import activations, constraints, initializers, ops, regularizers
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.core.lora import LoRAKernel
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class ConvCommon(Layer):
    """What every convolution layer shares. Each weight kind (a `prefix`: "kernel", "bias",
    "depthwise", "pointwise") has `<prefix>_initializer`, `_regularizer` and `_constraint`."""

    def __init__(self, rank, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, bias_initializer="zeros",
                 bias_regularizer=None, bias_constraint=None, activity_regularizer=None,
                 allow_causal=False, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.normalize_padding(padding, allow_causal=allow_causal)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self._weight_args("bias", bias_initializer, bias_regularizer, bias_constraint)

    def _weight_args(self, prefix, initializer, regularizer, constraint):
        setattr(self, f"{prefix}_initializer", initializers.get(initializer))
        setattr(self, f"{prefix}_regularizer", regularizers.get(regularizer))
        setattr(self, f"{prefix}_constraint", constraints.get(constraint))

    def _add_conv_weight(self, name, shape, prefix):
        return self.add_weight(name=name, shape=shape,
                               initializer=getattr(self, f"{prefix}_initializer"),
                               regularizer=getattr(self, f"{prefix}_regularizer"),
                               constraint=getattr(self, f"{prefix}_constraint"))

    def _check_positive(self, value, name):
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': `{name}` must be a positive "
                             f"int. Received {name}={value!r}.")

    def _check_strides_with_dilation(self):
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': strides > 1 cannot be "
                             f"combined with dilation_rate > 1. Received strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}.")

    def _layout(self):
        return conv_utils.layout(self.rank, self.data_format)

    def _check_input(self, input_shape):
        """The input's channels, after checking its rank (and channels, once built)."""
        input_shape = tuple(input_shape)
        conv_utils.check_rank(self, input_shape, self.rank + 2, layout=self._layout())
        channels = input_shape[conv_utils.channel_axis(self.data_format)]
        if self.built and channels != self.input_channels:
            raise ValueError(f"{type(self).__name__} '{self.name}' was built for "
                             f"{self.input_channels} input channels {self._layout()}; received "
                             f"input shape {input_shape}.")
        return channels

    def _build_channels(self, input_shape):
        """The known channel count a build needs; the output shape is checked too."""
        channels = self._check_input(input_shape)
        if channels is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs a known channel "
                             f"dimension; received input shape {tuple(input_shape)}.")
        self.compute_output_shape(input_shape)  # fails early when the window does not fit
        return channels

    def _build_bias(self, channels):
        self.bias = self._add_conv_weight("bias", (channels,), "bias") if self.use_bias else None

    def _finish(self, outputs):
        """Adds the bias and applies the activation."""
        if self.bias is not None:
            bias = ops.cast(self.bias, self.compute_dtype)
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (1, -1) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        return self.activation(outputs) if self.activation is not None else outputs

    def _conv_config(self, *prefixes):
        """Layer config plus the window arguments and the weight arguments of `prefixes`."""
        config = super().get_config()
        config.update({
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": serialize_keras_object(self.activation),
            "use_bias": self.use_bias,
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
        })
        for prefix in prefixes + ("bias",):
            for part in ("initializer", "regularizer", "constraint"):
                config[f"{prefix}_{part}"] = serialize_keras_object(
                    getattr(self, f"{prefix}_{part}"))
        return config


class BaseConv(LoRAKernel, ConvCommon):
    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         bias_constraint=bias_constraint,
                         activity_regularizer=activity_regularizer, allow_causal=rank == 1,
                         **kwargs)
        self.filters = filters
        self.groups = groups
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        self._check_positive(filters, "filters")
        self._check_positive(groups, "groups")
        if filters % groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': `filters` must be divisible "
                             f"by `groups`. Received filters={filters}, groups={groups}.")
        self._check_strides_with_dilation()

    def build(self, input_shape):
        channels = self._build_channels(input_shape)
        if channels % self.groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': the input channels must be "
                             f"divisible by groups={self.groups}; received input shape "
                             f"{tuple(input_shape)} ({channels} channels).")
        self.input_channels = channels
        self._kernel = self._add_conv_weight(
            "kernel", self.kernel_size + (channels // self.groups, self.filters), "kernel")
        self._build_bias(self.filters)
        self.built = True
        self._maybe_enable_lora()

    def _conv_inputs(self, inputs):
        """Hook for Conv1D's causal padding: (inputs, padding passed to ops.conv)."""
        return inputs, self.padding

    def call(self, inputs):
        self._check_input(inputs.shape)
        x, padding = self._conv_inputs(inputs)
        outputs = ops.conv(x, ops.cast(self.kernel, self.compute_dtype), strides=self.strides,
                           padding=padding, data_format=self.data_format,
                           dilation_rate=self.dilation_rate)
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return conv_utils.windowed_shape(self, input_shape, self.filters, self.kernel_size,
                                         self.strides, self.padding, self.dilation_rate)

    def get_config(self):
        config = self._conv_config("kernel")
        config.update({"filters": self.filters, "groups": self.groups})
        config.update(self._lora_config())
        return config
