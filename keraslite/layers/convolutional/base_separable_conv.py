"""BaseSeparableConv: the separable convolution of SeparableConv1D and SeparableConv2D: a
depthwise convolution (kernel (*kernel_size, input_channels, depth_multiplier)) followed by a
pointwise one (kernel (1, ..., 1, input_channels * depth_multiplier, filters)), as in Keras.
"""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.convolutional.base_conv import ConvCommon


class BaseSeparableConv(ConvCommon):
    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, pointwise_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None,
                 pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         bias_constraint=bias_constraint,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.filters = filters
        self._weight_args("depthwise", depthwise_initializer, depthwise_regularizer,
                          depthwise_constraint)
        self._weight_args("pointwise", pointwise_initializer, pointwise_regularizer,
                          pointwise_constraint)
        self._check_positive(depth_multiplier, "depth_multiplier")
        self._check_positive(filters, "filters")

    def build(self, input_shape):
        channels = self._build_channels(input_shape)
        self.input_channels = channels
        self.depthwise_kernel = self._add_conv_weight(
            "depthwise_kernel", self.kernel_size + (channels, self.depth_multiplier),
            "depthwise")
        self.pointwise_kernel = self._add_conv_weight(
            "pointwise_kernel", (1,) * self.rank + (channels * self.depth_multiplier,
                                                    self.filters), "pointwise")
        self._build_bias(self.filters)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        outputs = ops.separable_conv(
            inputs, ops.cast(self.depthwise_kernel, self.compute_dtype),
            ops.cast(self.pointwise_kernel, self.compute_dtype), strides=self.strides,
            padding=self.padding, data_format=self.data_format,
            dilation_rate=self.dilation_rate)
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        self._check_input(input_shape)
        return conv_utils.windowed_shape(self, input_shape, self.filters, self.kernel_size,
                                         self.strides, self.padding, self.dilation_rate)

    def get_config(self):
        config = self._conv_config("depthwise", "pointwise")
        config.update({"depth_multiplier": self.depth_multiplier, "filters": self.filters})
        return config
