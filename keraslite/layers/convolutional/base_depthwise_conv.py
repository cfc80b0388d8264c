"""BaseDepthwiseConv: the depthwise convolution of DepthwiseConv1D and DepthwiseConv2D.

Each input channel is convolved with its own `depth_multiplier` filters; the kernel layout is
(*kernel_size, input_channels, depth_multiplier), as in Keras, and output channel
c * depth_multiplier + m comes from input channel c and filter m.
"""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.convolutional.base_conv import ConvCommon


class BaseDepthwiseConv(ConvCommon):
    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid",
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(rank, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         bias_constraint=bias_constraint,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self._weight_args("depthwise", depthwise_initializer, depthwise_regularizer,
                          depthwise_constraint)
        self._check_positive(depth_multiplier, "depth_multiplier")

    def build(self, input_shape):
        channels = self._build_channels(input_shape)
        self.input_channels = channels
        self.kernel = self._add_conv_weight(
            "kernel", self.kernel_size + (channels, self.depth_multiplier), "depthwise")
        self._build_bias(channels * self.depth_multiplier)
        self.built = True

    def call(self, inputs):
        self._check_input(inputs.shape)
        outputs = ops.depthwise_conv(inputs, ops.cast(self.kernel, self.compute_dtype),
                                     strides=self.strides, padding=self.padding,
                                     data_format=self.data_format,
                                     dilation_rate=self.dilation_rate)
        return self._finish(outputs)

    def compute_output_shape(self, input_shape):
        channels = self._check_input(input_shape)
        channels = None if channels is None else channels * self.depth_multiplier
        return conv_utils.windowed_shape(self, input_shape, channels, self.kernel_size,
                                         self.strides, self.padding, self.dilation_rate)

    def get_config(self):
        config = self._conv_config("depthwise")
        config["depth_multiplier"] = self.depth_multiplier
        return config
