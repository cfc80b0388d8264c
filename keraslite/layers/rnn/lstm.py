"""LSTMCell and LSTM (gates i, f, c, o in Keras' weight layout)."""

from keraslite import activations, backend, initializers, ops
from keraslite.layers.rnn.cell_base import (
    COMMON_ATTRIBUTES,
    RecurrentCell,
    cell_attributes,
    check_use_cudnn,
    dropped_sequences,
    flat_layer_config,
    fused_inner_loop,
)
from keraslite.layers.rnn.rnn import RNN
from keraslite.saving import serialize_keras_object


class LSTMCell(RecurrentCell):
    gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, kernel_constraint, recurrent_constraint,
                         bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = unit_forget_bias
        # recurrent dropout needs one mask per gate, which is Keras' implementation 1
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 4
        self.state_size = [self.units, self.units]

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def init(shape, dtype=None):
            # forget-gate bias starts at one so the cell remembers by default
            return ops.concatenate([base((units,), dtype=dtype),
                                    initializers.Ones()((units,), dtype=dtype),
                                    base((2 * units,), dtype=dtype)])

        return init

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask, rec_mask = self._step_masks(inputs, h_tm1, training)
        x = self._project(inputs, dp_mask, self._value(self.kernel), 4)
        r = self._project(h_tm1, rec_mask, self._value(self.recurrent_kernel), 4)
        z = [a + b for a, b in zip(x, r)]
        if self.bias is not None:
            z = [a + b for a, b in zip(z, ops.split(self._value(self.bias), 4))]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_tm1 + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = serialize_keras_object(self.recurrent_activation)
        config["unit_forget_bias"] = self.unit_forget_bias
        return config


@cell_attributes(*COMMON_ATTRIBUTES, "recurrent_activation", "unit_forget_bias",
                 "implementation")
class LSTM(RNN):
    _input_ndim = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            unit_forget_bias=unit_forget_bias, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="lstm_cell", seed=seed, implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        check_use_cudnn(use_cudnn)
        self.use_cudnn = use_cudnn

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not fused_inner_loop(self, mask, training):
            return super().inner_loop(sequences, initial_state, mask, training=training)
        cell = self.cell
        return backend.rnn.lstm(
            dropped_sequences(cell, sequences, training), initial_state[0], initial_state[1],
            mask, cell._value(cell.kernel), cell._value(cell.recurrent_kernel),
            None if cell.bias is None else cell._value(cell.bias), cell.activation,
            cell.recurrent_activation, return_sequences=self.return_sequences,
            go_backwards=self.go_backwards, unroll=self.unroll)

    def get_config(self):
        return flat_layer_config(self, super().get_config())
