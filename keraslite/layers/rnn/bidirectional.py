"""Bidirectional: runs a recurrent layer forwards and a copy backwards, then merges them."""

from keraslite import ops
from keraslite.layers.layer import Layer
from keraslite.layers.rnn.rnn import check_input_rank
from keraslite.saving import serialize_keras_object

MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _clone(layer, **overrides):
    """A fresh layer of the same class and config (no weights shared)."""
    config = layer.get_config()
    config.update(overrides)
    return type(layer).from_config(config)


def _strip(name, prefix):
    return name[len(prefix):] if name.startswith(prefix) else name


class Bidirectional(Layer):
    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError("Bidirectional needs a keraslite Layer instance to wrap. Received: "
                             f"{layer!r}")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError("Bidirectional: `backward_layer` must be a Layer instance. "
                             f"Received: {backward_layer!r}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge_mode {merge_mode!r}; expected one of "
                             "'sum', 'mul', 'ave', 'concat' or None.")
        super().__init__(**kwargs)
        self.forward_layer = _clone(layer, name=f"forward_{_strip(layer.name, 'forward_')}")
        if backward_layer is None:
            backward_layer = _clone(layer, go_backwards=True,
                                    name=f"backward_{_strip(layer.name, 'backward_')}")
        self.backward_layer = backward_layer
        if hasattr(layer, "use_cudnn"):
            for sub in (self.forward_layer, self.backward_layer):
                if hasattr(sub, "use_cudnn"):
                    sub.use_cudnn = layer.use_cudnn
        self._check_directions()
        # merged outputs must not mix a padded step's stale output from one direction
        for sub in (self.forward_layer, self.backward_layer):
            if getattr(sub, "zero_output_for_mask", None) is not None:
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = list(weights) if weights else None
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    def _check_directions(self):
        fwd, bwd = self.forward_layer, self.backward_layer
        if fwd.go_backwards == bwd.go_backwards:
            raise ValueError("Bidirectional: the forward and backward layers must have different "
                             f"`go_backwards` values; both have go_backwards={fwd.go_backwards}.")
        for attr in ("stateful", "return_sequences", "return_state"):
            f, b = getattr(fwd, attr), getattr(bwd, attr)
            if f != b:
                raise ValueError(f"Bidirectional: the forward and backward layers must have the "
                                 f"same `{attr}`; got {f} (forward) and {b} (backward).")

    # ------------------------------------------------------------------------ build / shapes

    def build(self, sequences_shape, initial_state_shape=None):
        ndim = getattr(self.forward_layer, "_input_ndim", None)
        if ndim is not None:
            check_input_rank(self, sequences_shape, ndim=ndim)
        for sub in (self.forward_layer, self.backward_layer):
            if not sub.built:
                sub.build(sequences_shape)
                sub.built = True
        if self._initial_weights is not None:
            # Keras accepts `weights` (forward half, then backward half) but never applies them
            half = len(self._initial_weights) // 2
            self.forward_layer.set_weights(self._initial_weights[:half])
            self.backward_layer.set_weights(self._initial_weights[half:])
            self._initial_weights = None
        self.built = True

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shape = ()
        if self.return_state:
            output_shape, state_shape = output_shape[0], tuple(output_shape[1:])
        if self.merge_mode == "concat":
            # the backward layer may be a different layer with another output size
            backward_shape = self.backward_layer.compute_output_shape(sequences_shape)
            if self.return_state:
                backward_shape = backward_shape[0]
            last = (None if output_shape[-1] is None or backward_shape[-1] is None
                    else output_shape[-1] + backward_shape[-1])
            output_shape = tuple(output_shape[:-1]) + (last,)
        elif self.merge_mode is None:
            output_shape = [tuple(output_shape), tuple(output_shape)]
        if self.return_state:
            head = tuple(output_shape) if self.merge_mode is None else (output_shape,)
            return head + state_shape + state_shape
        return tuple(output_shape)

    def compute_mask(self, inputs, mask):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:
            n_states = len(self.forward_layer.state_size) + len(self.backward_layer.state_size)
            return masks + [None] * n_states
        return masks if self.merge_mode is None else output_mask

    # ------------------------------------------------------------------------ call

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if self.forward_layer._call_has_training:
            kwargs["training"] = training
        if self.forward_layer._call_has_mask:
            kwargs["mask"] = mask
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(sequences, initial_state=forward_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=backward_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        y = ops.cast(y, self.compute_dtype)
        y_rev = ops.cast(y_rev, self.compute_dtype)
        if self.return_sequences:
            # the backward layer emits its steps last-to-first; line them up with the forward
            y_rev = ops.flip(y_rev, axis=1)
        if self.merge_mode == "concat":
            output = ops.concatenate([y, y_rev], axis=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            return (output if self.merge_mode is None else (output,)) + states
        return output

    # ------------------------------------------------------------------------ states

    @property
    def states(self):
        fwd, bwd = self.forward_layer.states, self.backward_layer.states
        if fwd and bwd:
            return tuple(fwd) + tuple(bwd)
        return None

    def reset_state(self):
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' is not stateful: it has no state to "
                                 "reset.")
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        self.reset_state()

    # ------------------------------------------------------------------------ config

    def get_config(self):
        config = super().get_config()
        config.update({
            "merge_mode": self.merge_mode,
            "layer": serialize_keras_object(self.forward_layer),
            "backward_layer": serialize_keras_object(self.backward_layer),
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.layers.rnn import deserialize_layer

        config = dict(config)
        config["layer"] = deserialize_layer(config["layer"], custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_layer(backward, custom_objects)
        return cls(**config)
