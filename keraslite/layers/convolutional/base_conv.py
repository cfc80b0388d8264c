"""BaseConv: the N-D convolution shared by Conv1D, Conv2D and Conv3D.

Kernel layout is (*kernel_size, input_channels // groups, filters), as in Keras, so weights
move between the two unchanged. `ops.conv` infers the groups from that kernel shape.
"""

from keraslite import activations, constraints, initializers, ops, regularizers
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object


class BaseConv(Layer):
    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, lora_alpha=None,
                 **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        self.filters = filters
        self.groups = groups
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides")
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = conv_utils.normalize_padding(padding, allow_causal=rank == 1)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': `filters` must be a positive "
                             f"int. Received filters={filters!r}.")
        if not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"{type(self).__name__} '{self.name}': `groups` must be a positive "
                             f"int. Received groups={groups!r}.")
        if filters % groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': `filters` must be divisible "
                             f"by `groups`. Received filters={filters}, groups={groups}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{type(self).__name__} '{self.name}': strides > 1 cannot be "
                             f"combined with dilation_rate > 1. Received strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}.")

    def _layout(self):
        spatial = ", ".join(f"d{i + 1}" for i in range(self.rank))
        if self.data_format == "channels_last":
            return f"(batch, {spatial}, channels)"
        return f"(batch, channels, {spatial})"

    def _check_input(self, input_shape):
        input_shape = tuple(input_shape)
        conv_utils.check_rank(self, input_shape, self.rank + 2, layout=self._layout())
        channels = input_shape[conv_utils.channel_axis(self.data_format)]
        if self.built and channels != self.input_channels:
            raise ValueError(f"{type(self).__name__} '{self.name}' was built for "
                             f"{self.input_channels} input channels {self._layout()}; received "
                             f"input shape {input_shape}.")
        return channels

    def build(self, input_shape):
        channels = self._check_input(input_shape)
        if channels is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs a known channel "
                             f"dimension; received input shape {tuple(input_shape)}.")
        if channels % self.groups:
            raise ValueError(f"{type(self).__name__} '{self.name}': the input channels must be "
                             f"divisible by groups={self.groups}; received input shape "
                             f"{tuple(input_shape)} ({channels} channels).")
        self.compute_output_shape(input_shape)  # fails early when the window does not fit
        self.input_channels = channels
        self._kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels // self.groups, self.filters),
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True
        if self.lora_rank:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    @property
    def kernel(self):
        if not self.built:
            raise AttributeError(f"{type(self).__name__} '{self.name}' has no kernel before it "
                                 "is built.")
        if not self.lora_enabled:
            return self._kernel
        delta = ops.matmul(self.lora_kernel_a, self.lora_kernel_b)
        return ops.cast(ops.add(self._kernel, (self.lora_alpha / self.lora_rank) * delta),
                        self.compute_dtype)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform",
                    b_initializer="zeros"):
        """Freeze the kernel and learn a low-rank update lora_kernel_a @ lora_kernel_b."""
        if self.kernel_constraint:
            raise ValueError(f"{type(self).__name__} '{self.name}': LoRA cannot be combined with "
                             "a kernel constraint.")
        if not self.built:
            raise ValueError(f"{type(self).__name__} '{self.name}': build the layer before "
                             "enabling LoRA.")
        if self.lora_enabled:
            raise ValueError(f"{type(self).__name__} '{self.name}': LoRA is already enabled.")
        self.lora_kernel_a = self.add_weight(
            name="lora_kernel_a", shape=self._kernel.shape[:-1] + (rank,),
            initializer=initializers.get(a_initializer), dtype="float32",
            regularizer=self.kernel_regularizer)
        self.lora_kernel_b = self.add_weight(
            name="lora_kernel_b", shape=(rank, self.filters),
            initializer=initializers.get(b_initializer), dtype="float32",
            regularizer=self.kernel_regularizer)
        self._kernel.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank


    def _conv_inputs(self, inputs):
        """Hook for Conv1D's causal padding: (inputs, padding passed to ops.conv)."""
        return inputs, self.padding

    def call(self, inputs):
        self._check_input(inputs.shape)
        x, padding = self._conv_inputs(inputs)
        outputs = ops.conv(x, ops.cast(self.kernel, self.compute_dtype), strides=self.strides,
                           padding=padding, data_format=self.data_format,
                           dilation_rate=self.dilation_rate)
        if self.bias is not None:
            bias = ops.cast(self.bias, self.compute_dtype)
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (1, self.filters) + (1,) * self.rank)
            outputs = ops.add(outputs, bias)
        return self.activation(outputs) if self.activation is not None else outputs

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return conv_utils.windowed_shape(self, input_shape, self.filters, self.kernel_size,
                                         self.strides, self.padding, self.dilation_rate)

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "groups": self.groups,
            "activation": serialize_keras_object(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "activity_regularizer": serialize_keras_object(self.activity_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
        })
        if self.lora_rank:
            config["lora_rank"] = self.lora_rank
            config["lora_alpha"] = self.lora_alpha
        return config
