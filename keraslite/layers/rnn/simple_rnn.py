"""SimpleRNNCell and SimpleRNN: h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + b)."""

from keraslite import ops
from keraslite.layers.rnn.cell_base import (
    COMMON_ATTRIBUTES,
    RecurrentCell,
    cell_attributes,
    flat_layer_config,
    nested_state,
)
from keraslite.layers.rnn.rnn import RNN


class SimpleRNNCell(RecurrentCell):
    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, kernel_constraint, recurrent_constraint,
                         bias_constraint, dropout, recurrent_dropout, seed, **kwargs)

    def call(self, sequence, states, training=False):
        h_tm1, nested = nested_state(states)
        dp_mask, rec_mask = self._step_masks(sequence, h_tm1, training)
        if dp_mask is not None:
            sequence = sequence * dp_mask
        h = ops.matmul(sequence, self._value(self.kernel))
        if self.bias is not None:
            h = h + self._value(self.bias)
        if rec_mask is not None:
            h_tm1 = h_tm1 * rec_mask
        output = h + ops.matmul(h_tm1, self._value(self.recurrent_kernel))
        if self.activation is not None:
            output = self.activation(output)
        return output, ([output] if nested else output)


@cell_attributes(*COMMON_ATTRIBUTES)
class SimpleRNN(RNN):
    _input_ndim = 3

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None, **kwargs):
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell")
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)

    def get_config(self):
        # Keras leaves `seed` out of SimpleRNN's config (its cell keeps it)
        return flat_layer_config(self, super().get_config(), drop=("seed",))
