"""ConvLSTMCell and ConvLSTM, the base of ConvLSTM1D/2D/3D: an LSTM whose input and recurrent
transforms are convolutions, so its states are feature maps (batch, *spatial, filters).

Weights follow Keras: kernel (*kernel_size, channels, 4 * filters), recurrent_kernel
(*kernel_size, filters, 4 * filters) and bias (4 * filters,), gates in the order i, f, c, o.
The input convolution uses the layer's strides, padding and dilation; the recurrent one is a
stride-1 'same' convolution of the state.
"""

from keraslite import ops
from keraslite.layers.convolutional import conv_utils
from keraslite.layers.rnn.cell_base import COMMON_ATTRIBUTES, cell_attributes, flat_layer_config
from keraslite.layers.rnn.lstm import LSTMCell
from keraslite.layers.rnn.rnn import RNN


class ConvLSTMCell(LSTMCell):
    """One step of a ConvLSTM over a (batch, *spatial, channels) input (or channels first)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        if not isinstance(filters, int) or isinstance(filters, bool) or filters <= 0:
            raise ValueError(f"ConvLSTM{rank}D: `filters` must be a positive integer. "
                             f"Received: filters={filters!r}")
        super().__init__(
            filters, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, **kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = conv_utils.normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = conv_utils.normalize_tuple(strides, rank, "strides", allow_zero=True)
        self.padding = conv_utils.normalize_padding(padding)
        self.data_format = conv_utils.normalize_data_format(data_format)
        self.dilation_rate = conv_utils.normalize_tuple(dilation_rate, rank, "dilation_rate")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"ConvLSTM{rank}D: strides > 1 cannot be combined with "
                             f"dilation_rate > 1. Received strides={self.strides}, "
                             f"dilation_rate={self.dilation_rate}.")
        self.dropout_mask_count = 4  # one dropout mask per gate, as Keras
        self.state_size = [-1, -1]  # (h, c) feature maps; their shapes come from the input

    def build(self, input_shape):
        channel_axis = conv_utils.channel_axis(self.data_format)
        self.input_dim = input_shape[channel_axis]
        self.spatial_dims = conv_utils.spatial_dims(input_shape, self.data_format)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.input_dim, 4 * self.filters), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, 4 * self.filters), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=(4 * self.filters,), name="bias",
                                        initializer=self._bias_init(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def state_shape(self, input_shape):
        """The (batch, *spatial, filters) shape (or channels first) of h and c for a step input
        of `input_shape` (a spatial size <= 0 when the kernel does not fit)."""
        spatial = tuple(conv_utils.output_length(n, k, s, self.padding, d) for n, k, s, d in zip(
            conv_utils.spatial_dims(input_shape, self.data_format), self.kernel_size,
            self.strides, self.dilation_rate))
        if self.data_format == "channels_last":
            return (input_shape[0], *spatial, self.filters)
        return (input_shape[0], self.filters, *spatial)

    def get_initial_state(self, batch_size=None):
        if self.data_format == "channels_last":
            step_shape = (batch_size, *self.spatial_dims, self.input_dim)
        else:
            step_shape = (batch_size, self.input_dim, *self.spatial_dims)
        shape = self.state_shape(step_shape)
        return [ops.zeros(shape, dtype=self.compute_dtype) for _ in range(2)]

    def _gates(self, x, masks, kernel, **conv_args):
        """The four gate convolutions of x: one convolution split by gate, or one per gate with
        that gate's dropout mask."""
        if masks is None:
            out = ops.conv(x, kernel, data_format=self.data_format, **conv_args)
            return ops.split(out, 4, axis=conv_utils.channel_axis(self.data_format))
        return [ops.conv(x * m, k, data_format=self.data_format, **conv_args)
                for m, k in zip(masks, ops.split(kernel, 4, axis=-1))]

    def call(self, inputs, states, training=False):
        h_tm1, c_tm1 = states[0], states[1]
        dp_mask, rec_mask = self._step_masks(inputs, h_tm1, training)
        x = self._gates(inputs, dp_mask, self._value(self.kernel), strides=self.strides,
                        padding=self.padding, dilation_rate=self.dilation_rate)
        r = self._gates(h_tm1, rec_mask, self._value(self.recurrent_kernel), padding="same")
        z = [a + b for a, b in zip(x, r)]
        if self.bias is not None:
            shape = ((1,) * (self.rank + 1) + (self.filters,) if self.data_format == "channels_last"
                     else (1, self.filters) + (1,) * self.rank)
            z = [a + ops.reshape(b, shape) for a, b in zip(z, ops.split(self._value(self.bias), 4))]
        i = self.recurrent_activation(z[0])
        f = self.recurrent_activation(z[1])
        c = f * c_tm1 + i * self.activation(z[2])
        o = self.recurrent_activation(z[3])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self):
        config = super().get_config()
        del config["units"]
        config.update({"filters": self.filters, "kernel_size": self.kernel_size,
                       "strides": self.strides, "padding": self.padding,
                       "data_format": self.data_format, "dilation_rate": self.dilation_rate})
        return config


@cell_attributes(*(a for a in COMMON_ATTRIBUTES if a != "units"), "recurrent_activation",
                 "unit_forget_bias", "filters", "kernel_size", "strides", "padding",
                 "data_format", "dilation_rate")
class ConvLSTM(RNN):
    """The RNN loop over a ConvLSTMCell; ConvLSTM1D/2D/3D fix `rank`."""

    rank = None

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):
        cell = ConvLSTMCell(
            self.rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful,
                         activity_regularizer=activity_regularizer, **kwargs)
        self._input_ndim = self.rank + 3

    def _check_rank(self, shape):
        """Rank, then (once built) the step shape the weights and states were made for."""
        super()._check_rank(shape)
        if self.cell.built:
            cell = self.cell
            want = ((*cell.spatial_dims, cell.input_dim) if cell.data_format == "channels_last"
                    else (cell.input_dim, *cell.spatial_dims))
            if any(d is not None and d != w for d, w in zip(shape[2:], want)):
                raise ValueError(f"Layer '{self.name}' was built for sequences of shape "
                                 f"{(None, None, *want)}; received shape {tuple(shape)}.")

    def build(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        step_shape = (sequences_shape[0], *sequences_shape[2:])
        channels = step_shape[conv_utils.channel_axis(self.data_format)]
        if channels is None or None in conv_utils.spatial_dims(step_shape, self.data_format):
            raise ValueError(f"Layer '{self.name}' needs static spatial dimensions and a known "
                             f"channel dimension; received sequences of shape "
                             f"{tuple(sequences_shape)}.")
        self._state_shape(sequences_shape)  # fails early when the kernel does not fit
        super().build(sequences_shape, initial_state_shape)

    def _state_shape(self, sequences_shape):
        shape = self.cell.state_shape((sequences_shape[0], *sequences_shape[2:]))
        if any(d is not None and d <= 0 for d in shape[1:]):
            raise ValueError(f"Layer '{self.name}': the kernel {self.kernel_size} (dilation "
                             f"{self.dilation_rate}, padding '{self.padding}') is larger than "
                             f"the spatial dimensions of sequences of shape "
                             f"{tuple(sequences_shape)}; the states would be empty.")
        return shape

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        batch, steps = sequences_shape[0], sequences_shape[1]
        state_shape = self._state_shape(sequences_shape)
        output_shape = (batch, steps, *state_shape[1:]) if self.return_sequences else state_shape
        if self.return_state:
            return output_shape, state_shape, state_shape
        return output_shape

    def get_config(self):
        return flat_layer_config(self, super().get_config())
