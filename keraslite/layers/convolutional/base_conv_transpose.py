"""BaseConvTranspose: the N-D transposed convolution of Conv1DTranspose, Conv2DTranspose and
Conv3DTranspose.

Kernel layout is (*kernel_size, filters, input_channels), as in Keras (the layout of the
convolution this one transposes).
"""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.convolutional.base_conv import ConvCommon


class BaseConvTranspose(ConvCommon):
    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 output_padding=None, data_format=None, dilation_rate=1, activation=None,
                 use_bias=True, kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         bias_constraint=bias_constraint,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.filters = filters
        self._weight_args("kernel", kernel_initializer, kernel_regularizer, kernel_constraint)
        self._check_positive(filters, "filters")
        self.output_padding = None
        if output_padding is not None:
            self.output_padding = conv_utils.normalize_tuple(output_padding, rank,
                                                             "output_padding", allow_zero=True)
            if any(p >= s for p, s in zip(self.output_padding, self.strides)):
                raise ValueError(f"{type(self).__name__} '{self.name}': each `output_padding` "
                                 "value must be smaller than the matching `strides` value. "
                                 f"Received output_padding={self.output_padding}, "
                                 f"strides={self.strides}.")
        self._check_strides_with_dilation()

    def build(self, input_shape):
        channels = self._build_channels(input_shape)
        self.input_channels = channels
        self.kernel = self._add_conv_weight(
            "kernel", self.kernel_size + (self.filters, channels), "kernel")
        self._build_bias(self.filters)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        outputs = ops.conv_transpose(inputs, ops.cast(self.kernel, self.compute_dtype),
                                     strides=self.strides, padding=self.padding,
                                     output_padding=self.output_padding,
                                     data_format=self.data_format,
                                     dilation_rate=self.dilation_rate)
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        input_shape = tuple(input_shape)
        output_padding = self.output_padding or (None,) * self.rank
        spatial = tuple(
            conv_utils.transpose_output_length(n, k, s, self.padding, p, d)
            for n, k, s, p, d in zip(conv_utils.spatial_dims(input_shape, self.data_format),
                                     self.kernel_size, self.strides, output_padding,
                                     self.dilation_rate))
        if self.data_format == "channels_last":
            return (input_shape[0],) + spatial + (self.filters,)
        return (input_shape[0], self.filters) + spatial

    def get_config(self):
        config = self._conv_config("kernel")
        config.update({"filters": self.filters, "output_padding": self.output_padding})
        return config
