"""GRUCell and GRU (gates z, r, h in Keras' weight layout; reset_after=True by default)."""

from keraslite import activations, backend, ops
from keraslite.layers.rnn.cell_base import (
    COMMON_ATTRIBUTES,
    RecurrentCell,
    cell_attributes,
    check_use_cudnn,
    dropped_sequences,
    flat_layer_config,
    fused_inner_loop,
    nested_state,
)
from keraslite.layers.rnn.rnn import RNN
from keraslite.saving import serialize_keras_object


class GRUCell(RecurrentCell):
    gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):
        implementation = kwargs.pop("implementation", 2)
        super().__init__(units, activation, use_bias, kernel_initializer, recurrent_initializer,
                         bias_initializer, kernel_regularizer, recurrent_regularizer,
                         bias_regularizer, kernel_constraint, recurrent_constraint,
                         bias_constraint, dropout, recurrent_dropout, seed, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = reset_after
        self.implementation = 1 if self.recurrent_dropout != 0.0 else implementation
        if self.implementation == 1:
            self.dropout_mask_count = 3

    def _bias_shape(self):
        # reset_after keeps separate input and recurrent biases (cuDNN's layout)
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def call(self, inputs, states, training=False):
        h_tm1, nested = nested_state(states)
        dp_mask, rec_mask = self._step_masks(inputs, h_tm1, training)
        units = self.units
        rk = self._value(self.recurrent_kernel)
        x_z, x_r, x_h = self._project(inputs, dp_mask, self._value(self.kernel), 3)
        input_bias = recurrent_bias = None
        if self.bias is not None:
            bias = self._value(self.bias)
            input_bias, recurrent_bias = (bias[0], bias[1]) if self.reset_after else (bias, None)
            b_z, b_r, b_h = ops.split(input_bias, 3)
            x_z, x_r, x_h = x_z + b_z, x_r + b_r, x_h + b_h
        if self.reset_after:
            r_z, r_r, r_h = self._project(h_tm1, rec_mask, rk, 3)
            if recurrent_bias is not None:
                b_z, b_r, b_h = ops.split(recurrent_bias, 3)
                r_z, r_r, r_h = r_z + b_z, r_r + b_r, r_h + b_h
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            hh = self.activation(x_h + r * r_h)
        else:
            # the reset gate scales the state before its product with the candidate kernel
            r_z, r_r = self._project(h_tm1, None if rec_mask is None else rec_mask[:2],
                                     rk[:, :2 * units], 2)
            z = self.recurrent_activation(x_z + r_z)
            r = self.recurrent_activation(x_r + r_r)
            h_h = h_tm1 if rec_mask is None else h_tm1 * rec_mask[2]
            hh = self.activation(x_h + ops.matmul(r * h_h, rk[:, 2 * units:]))
        h = z * h_tm1 + (1 - z) * hh
        return h, ([h] if nested else h)

    def get_config(self):
        config = super().get_config()
        config["recurrent_activation"] = serialize_keras_object(self.recurrent_activation)
        config["reset_after"] = self.reset_after
        return config


@cell_attributes(*COMMON_ATTRIBUTES, "recurrent_activation", "reset_after", "implementation")
class GRU(RNN):
    _input_ndim = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True), name="gru_cell",
            seed=seed, implementation=kwargs.pop("implementation", 2))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        check_use_cudnn(use_cudnn)
        self.use_cudnn = use_cudnn

    def inner_loop(self, sequences, initial_state, mask, training=False):
        if not fused_inner_loop(self, mask, training):
            return super().inner_loop(sequences, initial_state, mask, training=training)
        cell = self.cell
        h0 = initial_state[0] if isinstance(initial_state, (list, tuple)) else initial_state
        return backend.rnn.gru(
            dropped_sequences(cell, sequences, training), h0, mask,
            cell._value(cell.kernel), cell._value(cell.recurrent_kernel),
            None if cell.bias is None else cell._value(cell.bias), cell.activation,
            cell.recurrent_activation, return_sequences=self.return_sequences,
            go_backwards=self.go_backwards, unroll=self.unroll, reset_after=cell.reset_after)

    def get_config(self):
        return flat_layer_config(self, super().get_config())
