"""model.summary(): Keras' table of layers, output shapes and parameter counts (drawn by rich)."""

import io

import numpy as np
import rich.box
import rich.console
import rich.table


def _format_size(num_bytes):
    for unit in ("B", "KB", "MB", "GB"):
        if num_bytes < 1024 or unit == "GB":
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024


def _count(variables):
    return int(sum(np.prod(v.shape, dtype=np.int64) for v in variables))


def _bytes(variables):
    return int(sum(np.prod(v.shape, dtype=np.int64) * np.dtype(v.dtype).itemsize
                   if v.dtype != "bfloat16" else np.prod(v.shape, dtype=np.int64) * 2
                   for v in variables))


def _output_shape(layer):
    if not layer._inbound_nodes:
        return "?"
    outs = layer._inbound_nodes[-1].output_tensors
    shapes = [tuple(t.shape) for t in outs]
    return str(shapes[0]) if len(shapes) == 1 else str(shapes)


def _connections(layer):
    if not layer._inbound_nodes:
        return "-"
    parts = []
    for t in layer._inbound_nodes[-1].input_tensors:
        history = getattr(t, "_keras_history", None)
        if history is not None:
            parts.append(f"{history[0].name}[{history[1]}][{history[2]}]")
    return ", ".join(parts) or "-"


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    from keraslite.models.functional import Functional
    from keraslite.models.sequential import Sequential

    functional = isinstance(model, Functional)
    layers = model.layers
    if layer_range is not None:
        names = [layer.name for layer in layers]
        start, end = (names.index(layer_range[0]), names.index(layer_range[1]) + 1)
        layers = layers[start:end]
    headers = ["Layer (type)", "Output Shape", "Param #"]
    widths = [31, 22, 13]
    if functional:
        headers.append("Connected to")
        widths = [19, 17, 10, 17]
    if show_trainable:
        headers.append("Trainable")
        widths.append(9)
    if line_length:
        scale = line_length / (sum(widths) + 3 * len(widths) + 1)
        widths = [max(6, int(w * scale)) for w in widths]
    table = rich.table.Table(box=rich.box.HEAVY_HEAD, show_lines=True)
    for i, (h, w) in enumerate(zip(headers, widths)):
        table.add_column(h, width=w, justify="right" if i == 2 else "left", no_wrap=False)
    for layer in layers:
        params = (f"{layer.count_params():,}" if layer.built else "0 (unbuilt)")
        row = [f"{layer.name} ({type(layer).__name__})", _output_shape(layer), params]
        if functional:
            row.append(_connections(layer))
        if show_trainable:
            row.append("Y" if layer.trainable else "N")
        table.add_row(*row)

    out = io.StringIO()
    console = rich.console.Console(file=out, width=sum(widths) + 3 * len(widths) + 1,
                                   force_terminal=False, color_system=None, highlight=False)
    console.print(f'Model: "{model.name}"')
    console.print(table)
    weights = model.weights if (model.built or isinstance(model, Sequential)) else []
    trainable = model.trainable_weights if weights else []
    non_trainable = model.non_trainable_weights if weights else []
    console.print(f" Total params: {_count(weights):,} ({_format_size(_bytes(weights))})")
    console.print(f" Trainable params: {_count(trainable):,} ({_format_size(_bytes(trainable))})")
    console.print(f" Non-trainable params: {_count(non_trainable):,} "
                  f"({_format_size(_bytes(non_trainable))})")
    text = out.getvalue().rstrip("\n")
    (print_fn or print)(text)
