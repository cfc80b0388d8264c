"""ConvLSTM1D: a ConvLSTM over sequences of 1-D feature maps, shaped
(batch, time, steps, channels) or, channels_first, with the channels before the spatial dims."""

from keraslite.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM1D(ConvLSTM):
    rank = 1
