"""ConvLSTM3D: a ConvLSTM over sequences of 3-D feature maps, shaped
(batch, time, depth, rows, cols, channels) or, channels_first, with the channels before the spatial dims."""

from keraslite.layers.rnn.conv_lstm import ConvLSTM


class ConvLSTM3D(ConvLSTM):
    rank = 3
