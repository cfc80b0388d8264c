"""StackedRNNCells: several cells run as one, each feeding its output to the next."""

from keraslite import ops
from keraslite.layers.layer import Layer
from keraslite.saving import serialize_keras_object
from keraslite.utils import tree


def cell_output_size(cell):
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    return cell.state_size[0] if isinstance(cell.state_size, (list, tuple)) else cell.state_size


class StackedRNNCells(Layer):
    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if not hasattr(cell, "call"):
                raise ValueError(f"StackedRNNCells: every cell needs a `call` method. Received: "
                                 f"{cell!r}")
            if not hasattr(cell, "state_size"):
                raise ValueError(f"StackedRNNCells: every cell needs a `state_size` attribute. "
                                 f"Received: {cell!r}")
        self.cells = list(cells)

    @property
    def state_size(self):
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        return cell_output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        states = []
        for cell in self.cells:
            if hasattr(cell, "get_initial_state"):
                states.append(cell.get_initial_state(batch_size=batch_size))
            elif isinstance(cell.state_size, int):
                states.append(ops.zeros((batch_size, cell.state_size), dtype=self.compute_dtype))
            else:
                states.append([ops.zeros((batch_size, d), dtype=self.compute_dtype)
                               for d in cell.state_size])
        return states

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            as_list = tree.is_nested(cell_states)
            cell_states = list(cell_states) if as_list else [cell_states]
            cell_kwargs = dict(kwargs)
            if isinstance(cell, Layer) and cell._call_has_training:
                cell_kwargs["training"] = training
            run = cell if callable(cell) else cell.call
            inputs, cell_states = run(inputs, cell_states, **cell_kwargs)
            # hand each cell's states back in the form they came in
            if not as_list and tree.is_nested(cell_states) and len(cell_states) == 1:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        if len(new_states) == 1:
            new_states = new_states[0]
        return inputs, new_states

    def build(self, input_shape):
        batch = tree.flatten(input_shape)[0]
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell.build(input_shape)
                cell.built = True
            input_shape = (batch, cell_output_size(cell))
        self.built = True

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialize_keras_object(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from keraslite.layers.rnn import deserialize_layer

        config = dict(config)
        cells = [deserialize_layer(c, custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)
