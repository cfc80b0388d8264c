"""RNN: runs a cell (or a list of cells, stacked) over the time axis of its input."""

import numpy as np

from keraslite import backend, ops
from keraslite.layers.layer import Layer, in_dtype
from keraslite.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from keraslite.layers.rnn.stacked_rnn_cells import StackedRNNCells, cell_output_size
from keraslite.saving import serialize_keras_object
from keraslite.utils import tree


def check_input_rank(layer, shape, ndim=None, min_ndim=None):
    """ValueError naming the layer, the expected rank and the shape received."""
    rank = len(shape)
    if ndim is not None and rank != ndim:
        want = f"ndim={ndim}"
    elif min_ndim is not None and rank < min_ndim:
        want = f"min_ndim={min_ndim}"
    else:
        return
    raise ValueError(f"Input 0 of layer '{layer.name}' is incompatible with the layer: expected "
                     f"{want}, found ndim={rank}. Full shape received: {tuple(shape)}")


class RNN(Layer):
    # rank of the sequences: None accepts any rank >= 3 (cells may take images, ...)
    _input_ndim = None

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call"):
            raise ValueError(f"RNN: `cell` needs a `call` method. Received: cell={cell!r}")
        if not hasattr(cell, "state_size"):
            raise ValueError("RNN: the cell needs a `state_size` attribute (an integer, or a "
                             f"list of integers with one per state). Received: cell={cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None  # stateful: Variables (batch, size), created in build
        self._expected_batch_size = None
        state_size = cell.state_size
        if isinstance(state_size, int):
            self.state_size, self.single_state = [state_size], True
        elif isinstance(state_size, (list, tuple)):
            self.state_size, self.single_state = list(state_size), False
        else:
            raise ValueError("RNN: `state_size` must be an integer or a list/tuple of integers. "
                             f"Received: state_size={state_size!r}")

    # ------------------------------------------------------------------------ shapes / build

    def _check_rank(self, shape):
        if self._input_ndim is not None:
            check_input_rank(self, shape, ndim=self._input_ndim)
        else:
            check_input_rank(self, shape, min_ndim=3)

    def build(self, sequences_shape, initial_state_shape=None):
        self._check_rank(sequences_shape)
        step_shape = (sequences_shape[0],) + tuple(sequences_shape[2:])
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(step_shape)
            self.cell.built = True
        if self.stateful:
            if self.states is not None:
                self.reset_state()
            else:
                batch = sequences_shape[0]
                if batch is None:
                    raise ValueError(
                        f"Layer '{self.name}': with `stateful=True` the batch size must be "
                        "static (pass `batch_size` to Input). Received sequences of shape "
                        f"{tuple(sequences_shape)}.")
                self._create_state_variables(int(batch))
                self._expected_batch_size = int(batch)
        self.built = True

    def _create_state_variables(self, batch_size):
        # built from numpy zeros so that creating them never depends on a traced value
        def make(value):
            value = np.zeros(tuple(value.shape), dtype=self.variable_dtype)
            var = backend.Variable(value, trainable=False, dtype=self.variable_dtype,
                                   name="rnn_state")
            var.path = f"{self.name}/rnn_state"
            return var

        self.states = tree.map_structure(make, self.get_initial_state(batch_size))

    def _state_variables(self):
        # stateful states are carried by training steps like other non-trainable state
        own = tree.flatten(self.states) if self.states is not None else []
        return super()._state_variables() + own

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, length = sequences_shape[0], sequences_shape[1]
        states_shape = []
        for size in self.state_size:
            if isinstance(size, int):
                states_shape.append((batch, size))
            else:
                states_shape.append([(batch, s) for s in size])
        output_size = getattr(self.cell, "output_size", None)
        if output_size is None:
            output_size = self.state_size[0]
        if not isinstance(output_size, int):
            raise ValueError(f"RNN: the cell's `output_size` must be an integer. Received: "
                             f"{output_size!r}")
        output_shape = ((batch, length, output_size) if self.return_sequences
                        else (batch, output_size))
        if self.return_state:
            return (output_shape, *states_shape)
        return output_shape

    def compute_mask(self, inputs, mask):
        # one mask per time step, shared by every input; only sequences keep it
        mask = tree.flatten(mask)[0] if mask is not None else None
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [tree.map_structure(lambda _: None, s)
                                    for s in self.state_size]
        return output_mask

    # ------------------------------------------------------------------------ states

    def get_initial_state(self, batch_size):
        if hasattr(self.cell, "get_initial_state"):
            state = self.cell.get_initial_state(batch_size=batch_size)
        else:
            dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
            return [ops.zeros((batch_size, d), dtype=dtype) for d in self.state_size]
        return list(state) if tree.is_nested(state) else [state]

    def reset_state(self):
        if self.states is not None:
            for var in tree.flatten(self.states):
                var.assign(ops.zeros(var.shape, dtype=var.dtype))

    def reset_states(self):
        self.reset_state()

    # ------------------------------------------------------------------------ call

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """The generic loop: (last_output, outputs, states) from the cell applied step by step."""
        cell = self.cell
        cell_kwargs = {}
        if isinstance(cell, Layer) and cell._call_has_training:
            cell_kwargs["training"] = training
        run = cell if callable(cell) else cell.call

        def step(inputs, states):
            output, new_states = run(inputs, states, **cell_kwargs)
            return output, (new_states if tree.is_nested(new_states) else [new_states])

        return backend.rnn.rnn(step, sequences, initial_state, go_backwards=self.go_backwards,
                               mask=mask, unroll=self.unroll, input_length=sequences.shape[1],
                               zero_output_for_mask=self.zero_output_for_mask,
                               return_all_outputs=self.return_sequences)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        self._check_rank(tuple(sequences.shape))
        if self.unroll and sequences.shape[1] is None:
            raise ValueError(f"Layer '{self.name}': cannot unroll an RNN over an unknown number "
                             "of time steps; give the Input a fixed time dimension.")
        if initial_state is None:
            if self.stateful:
                initial_state = tree.map_structure(lambda v: v.value, self.states)
            else:
                initial_state = self.get_initial_state(ops.shape(sequences)[0])
        if self.stateful:
            batch = sequences.shape[0]
            if batch is not None and batch != self._expected_batch_size:
                raise ValueError(
                    f"Layer '{self.name}' is stateful with batch size "
                    f"{self._expected_batch_size}; received sequences of batch size {batch}.")
        if not tree.is_nested(initial_state):
            initial_state = [initial_state]
        dtype = getattr(self.cell, "compute_dtype", self.compute_dtype)
        initial_state = tree.map_structure(lambda s: in_dtype(s, dtype), list(initial_state))
        if mask is not None:
            mask = tree.flatten(mask)[0]

        if training:
            _draw_dropout_masks(self.cell, sequences[:, 0], initial_state)
        try:
            last_output, outputs, states = self.inner_loop(sequences, initial_state, mask,
                                                           training=training)
        finally:
            _clear_dropout_masks(self.cell)

        dtype = self.compute_dtype
        last_output, outputs = in_dtype(last_output, dtype), in_dtype(outputs, dtype)
        states = tree.map_structure(lambda s: in_dtype(s, dtype), states)
        if self.stateful:
            for var, value in zip(tree.flatten(self.states), tree.flatten(states)):
                var.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return (output, *states)
        return output

    # ------------------------------------------------------------------------ config

    def get_config(self):
        config = super().get_config()
        config.update({
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
            "cell": serialize_keras_object(self.cell),
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        if "cell" not in config:  # SimpleRNN / LSTM / GRU keep the cell's arguments flat
            return super().from_config(config)
        from keraslite.layers.rnn import deserialize_layer

        config = dict(config)
        cell = deserialize_layer(config.pop("cell"), custom_objects)
        return cls(cell, **config)


def _draw_dropout_masks(cell, step_input, states):
    """Draw every dropout mask before the loop (stacked cells: each with its own input size)."""
    if isinstance(cell, DropoutRNNCell):
        cell.get_dropout_mask(step_input)
        cell.get_recurrent_dropout_mask(tree.flatten(states)[0])
    elif isinstance(cell, StackedRNNCells):
        batch = ops.shape(step_input)[0]
        for sub, sub_states in zip(cell.cells, states):
            _draw_dropout_masks(sub, step_input, sub_states)
            step_input = ops.zeros((batch, cell_output_size(sub)), dtype=step_input.dtype)


def _clear_dropout_masks(cell):
    if isinstance(cell, DropoutRNNCell):
        cell.reset_dropout_mask()
        cell.reset_recurrent_dropout_mask()
    elif isinstance(cell, StackedRNNCells):
        for sub in cell.cells:
            _clear_dropout_masks(sub)
