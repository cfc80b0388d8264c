"""What SimpleRNNCell, LSTMCell and GRUCell share (arguments, weights, config), and the helpers
their layers share (attributes read through the cell, the flattened config)."""

import numbers

from keraslite import activations, constraints, initializers, ops, random, regularizers
from keraslite.layers.layer import Layer, in_dtype
from keraslite.layers.rnn.dropout_rnn_cell import DropoutRNNCell
from keraslite.saving import serialize_keras_object
from keraslite.utils import tree


class RecurrentCell(Layer, DropoutRNNCell):
    """A cell with kernel (input_dim, gates * units), recurrent_kernel (units, gates * units)
    and an optional bias. Subclasses set `gates` and write `call`."""

    gates = 1

    def __init__(self, units, activation, use_bias, kernel_initializer, recurrent_initializer,
                 bias_initializer, kernel_regularizer, recurrent_regularizer, bias_regularizer,
                 kernel_constraint, recurrent_constraint, bias_constraint, dropout,
                 recurrent_dropout, seed, **kwargs):
        if not isinstance(units, numbers.Integral) or isinstance(units, bool) or units <= 0:
            raise ValueError(f"{type(self).__name__}: `units` must be a positive integer. "
                             f"Received: units={units!r}")
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        # Keras clips the rates into [0, 1] rather than rejecting them
        self.dropout = min(1.0, max(0.0, dropout))
        self.recurrent_dropout = min(1.0, max(0.0, recurrent_dropout))
        self.seed = seed
        self.seed_generator = random.SeedGenerator(seed)
        self.state_size = self.units
        self.output_size = self.units

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"{type(self).__name__} '{self.name}' needs a known last input "
                             f"dimension; received input shape {tuple(input_shape)}.")
        width = self.gates * self.units
        self.kernel = self.add_weight(shape=(input_dim, width), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=(self.units, width),
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(shape=self._bias_shape(), name="bias",
                                        initializer=self._bias_init(),
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        self.built = True

    def _bias_shape(self):
        return (self.gates * self.units,)

    def _bias_init(self):
        return self.bias_initializer

    def _value(self, variable):
        return in_dtype(variable, self.compute_dtype)

    def _step_masks(self, inputs, h_tm1, training):
        """(input mask, recurrent mask) for this step; None where no dropout applies."""
        if not training:
            return None, None
        return self.get_dropout_mask(inputs), self.get_recurrent_dropout_mask(h_tm1)

    def _project(self, x, mask, kernel, parts):
        """x @ kernel split into `parts` gate blocks. A list of masks (one per gate) applies each
        to its own block; a single mask applies to x."""
        if isinstance(mask, list):
            return [ops.matmul(x * m, k) for m, k in zip(mask, ops.split(kernel, parts, axis=1))]
        if mask is not None:
            x = x * mask
        return ops.split(ops.matmul(x, kernel), parts, axis=-1)

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [ops.zeros((batch_size, d), dtype=self.compute_dtype) for d in sizes]

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units,
            "activation": serialize_keras_object(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_keras_object(self.kernel_initializer),
            "recurrent_initializer": serialize_keras_object(self.recurrent_initializer),
            "bias_initializer": serialize_keras_object(self.bias_initializer),
            "kernel_regularizer": serialize_keras_object(self.kernel_regularizer),
            "recurrent_regularizer": serialize_keras_object(self.recurrent_regularizer),
            "bias_regularizer": serialize_keras_object(self.bias_regularizer),
            "kernel_constraint": serialize_keras_object(self.kernel_constraint),
            "recurrent_constraint": serialize_keras_object(self.recurrent_constraint),
            "bias_constraint": serialize_keras_object(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        })
        return config


def nested_state(states):
    """The first state of a step's `states`, and whether they came as a list."""
    nested = tree.is_nested(states)
    return (states[0] if nested else states), nested


def cell_attributes(*names):
    """Class decorator: read-only layer attributes that read the cell's (layer.units...)."""

    def decorate(cls):
        for name in names:
            setattr(cls, name, property(lambda self, name=name: getattr(self.cell, name)))
        return cls

    return decorate


COMMON_ATTRIBUTES = (
    "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
    "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
)


def flat_layer_config(layer, base_config, drop=()):
    """A SimpleRNN/LSTM/GRU config: the RNN options plus the cell's arguments (no nested cell)."""
    config = dict(base_config)
    config.pop("cell", None)
    cell_config = layer.cell.get_config()
    for key in ("name", "trainable", "dtype", "batch_input_shape") + tuple(drop):
        cell_config.pop(key, None)
    config.update(cell_config)
    config["activity_regularizer"] = serialize_keras_object(layer.activity_regularizer)
    return config


def check_use_cudnn(use_cudnn):
    if use_cudnn not in ("auto", True, False):
        raise ValueError("`use_cudnn` must be one of 'auto', True or False. Received: "
                         f"use_cudnn={use_cudnn!r}")


def fused_inner_loop(layer, mask, training):
    """True when the whole-sequence backend op can run this call. The per-step loop is needed
    for recurrent dropout, per-gate input masks (implementation=1) and zeroed masked outputs
    (the fused ops keep the previous output)."""
    if layer.use_cudnn is False or (mask is not None and layer.zero_output_for_mask):
        return False
    cell = layer.cell
    if not training:
        return True
    return not (0 < cell.recurrent_dropout < 1
                or (0 < cell.dropout < 1 and getattr(cell, "dropout_mask_count", None)))


def dropped_sequences(cell, sequences, training):
    """The input dropout of the fused path: one mask for the whole sequence."""
    if not training or not 0 < cell.dropout < 1:
        return sequences
    return sequences * ops.expand_dims(cell.get_dropout_mask(sequences[:, 0]), 1)
