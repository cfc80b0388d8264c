"""Recurrent layers: cells, the RNN loop over time, SimpleRNN/LSTM/GRU, Bidirectional and
TimeDistributed."""

from keraslite.layers.rnn.bidirectional import Bidirectional
from keraslite.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from keraslite.layers.rnn.gru import GRU, GRUCell
from keraslite.layers.rnn.lstm import LSTM, LSTMCell
from keraslite.layers.rnn.rnn import RNN
from keraslite.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from keraslite.layers.rnn.stacked_rnn_cells import StackedRNNCells
from keraslite.layers.rnn.time_distributed import TimeDistributed

RNN_OBJECTS = {cls.__name__: cls for cls in (
    Bidirectional, GRU, GRUCell, LSTM, LSTMCell, RNN, SimpleRNN, SimpleRNNCell, StackedRNNCells,
    TimeDistributed)}


def deserialize_layer(config, custom_objects=None):
    """A layer from its serialized config. The recurrent classes are found here even before
    keraslite.layers exports them; custom_objects take precedence."""
    from keraslite import layers

    return layers.deserialize(config, custom_objects={**RNN_OBJECTS, **(custom_objects or {})})


__all__ = ["RNN_OBJECTS", "Bidirectional", "DropoutRNNCell", "GRU", "GRUCell", "LSTM", "LSTMCell",
           "RNN", "SimpleRNN", "SimpleRNNCell", "StackedRNNCells", "TimeDistributed",
           "deserialize_layer"]
