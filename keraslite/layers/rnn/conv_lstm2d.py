"""ConvLSTM2D: a ConvLSTM over sequences of 2-D feature maps, shaped
(batch, time, rows, cols, channels) or, channels_first, with the channels before the spatial dims."""

from keraslite.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM2D(ConvLSTM):
    rank = 2
