"""Conv1D: 1-D convolution over (batch, steps, channels); padding may also be 'causal'."""

from keraslite import ops
from keraslite.layers.convolutional.base_conv import BaseConv


class Conv1D(BaseConv):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)

    def _conv_inputs(self, inputs):
        if self.padding != "causal":
            return inputs, self.padding
        # left-pad so step t only sees steps <= t, then run a 'valid' convolution
        left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
        steps = [left, 0]
        pad = [[0, 0], steps, [0, 0]] if self.data_format == "channels_last" else \
            [[0, 0], [0, 0], steps]
        return ops.pad(inputs, pad), "valid"
