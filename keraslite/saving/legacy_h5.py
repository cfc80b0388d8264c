"""Read-only support for the legacy HDF5 format of Keras 2 / tf.keras: whole models
(`model.save("m.h5")`: the config in the `model_config` attribute, weights under
`model_weights/<layer name>/`, listed by each group's `weight_names`) and weights files
(`model.save_weights("w.h5")`: the same groups at the root). Loading goes through the same
safe deserialization as `.keras` files: class names resolve only among keraslite's own and
registered objects, and a Lambda's bytecode is refused unless `safe_mode=False`.

A compiled model's optimizer state (the `optimizer_weights` group) is restored too: the step
count, and each slot matched to keraslite's by the model variable it belongs to and its kind.
"""

import json
import os
import warnings

import numpy as np

from keraslite.saving import saving_lib


def _open(filepath):
    import h5py

    try:
        return h5py.File(filepath, "r")
    except OSError as e:
        raise saving_lib.CorruptFileError(f"{filepath} is not a readable HDF5 file: {e}") \
            from None


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)


def _names(group, attr):
    return [_text(n) for n in group.attrs.get(attr, [])]


def _assign(layer, group, filepath, file_size):
    """Set the layer's weights (its sublayers' too, in order) from a legacy layer group."""
    names = _names(group, "weight_names")
    own = layer.weights
    if len(names) != len(own):
        raise ValueError(f"Layer '{layer.name}' has {len(own)} weights but {filepath} holds "
                         f"{len(names)} for it ({names}).")
    limit = saving_lib.read_limit(file_size)
    values = [saving_lib.read_dataset(group, name, limit, file_size) for name in names]
    for variable, name, value in zip(own, names, values):
        if tuple(value.shape) != tuple(variable.shape):
            raise ValueError(f"Layer '{layer.name}': weight '{name}' in {filepath} has shape "
                             f"{tuple(value.shape)}, the layer's '{variable.name}' has shape "
                             f"{tuple(variable.shape)}.")
    for variable, value in zip(own, values):
        variable.assign(value)


def _load_layers(model, root, filepath, file_size):
    stored = _names(root, "layer_names")
    layers = [layer for layer in model.layers if layer.weights]
    with_weights = [n for n in stored if _names(saving_lib._safe_get(root, n), "weight_names")]
    if [layer.name for layer in layers] != with_weights and len(layers) != len(with_weights):
        raise ValueError(f"{filepath} holds weights for {len(with_weights)} layers "
                         f"({with_weights}); the model has {len(layers)} layers with weights "
                         f"({[layer.name for layer in layers]}).")
    by_name = {layer.name: layer for layer in layers}
    # by name when the names match (a reloaded config), else in order (Keras 2's default)
    pairs = ([(by_name[n], n) for n in with_weights] if set(by_name) == set(with_weights)
             else list(zip(layers, with_weights)))
    for layer, name in pairs:
        _assign(layer, saving_lib._safe_get(root, name), filepath, file_size)


def _keras3_form(value):
    """Keras 2 config details Keras 3 dropped: RNN layers' `time_major` (only False was ever
    saved by Keras 2's default path; True has no Keras 3 equivalent), BatchNormalization's axis
    as a list, and tf.keras' "Custom>" prefix on its built-in optimizers' class names."""
    if isinstance(value, list):
        return [_keras3_form(v) for v in value]
    if not isinstance(value, dict):
        return value
    value = {k: _keras3_form(v) for k, v in value.items()}
    if isinstance(value.get("class_name"), str) and value["class_name"].startswith("Custom>"):
        value["class_name"] = value["class_name"][len("Custom>"):]
    inner = value.get("config")
    if (value.get("class_name") == "BatchNormalization" and isinstance(inner, dict)
            and isinstance(inner.get("axis"), list) and len(inner["axis"]) == 1):
        inner["axis"] = inner["axis"][0]  # Keras 2 saved the axis as a one-item list
    if isinstance(inner, dict) and "time_major" in inner:
        if inner.pop("time_major"):
            raise ValueError(f"Layer '{inner.get('name')}' was saved with time_major=True, "
                             "which Keras 3 and keraslite do not support.")
    return value


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    from keraslite.saving.object_registration import CustomObjectScope
    from keraslite.saving.serialization_lib import deserialize_keras_object

    filepath = os.fspath(filepath)
    file_size = os.path.getsize(filepath)
    with _open(filepath) as f:
        raw = f.attrs.get("model_config")
        if raw is None:
            raise ValueError(f"{filepath} holds no model config (a weights-only file?): build "
                             "the model, then call model.load_weights().")
        try:
            config = _keras3_form(json.loads(_text(raw)))
        except json.JSONDecodeError as e:
            raise saving_lib.CorruptFileError(f"{filepath}: invalid model_config: {e}") from None
        with CustomObjectScope(custom_objects or {}):
            model = deserialize_keras_object(config, module_objects=saving_lib._model_classes(),
                                             custom_objects=custom_objects, kind="model",
                                             safe_mode=safe_mode)
        if "model_weights" in f:
            _load_layers(model, saving_lib._safe_get(f, "model_weights"), filepath, file_size)
        training = f.attrs.get("training_config")
        if compile and training is not None:
            _compile(model, _keras3_form(json.loads(_text(training))))
            if "optimizer_weights" in f:
                _load_optimizer_state(model, saving_lib._safe_get(f, "optimizer_weights"),
                                      filepath, file_size)
    return model


def load_weights(model, filepath):
    """A legacy `.h5` weights file (Keras 2's `save_weights`) into a built model."""
    filepath = os.fspath(filepath)
    file_size = os.path.getsize(filepath)
    with _open(filepath) as f:
        root = f["model_weights"] if "model_weights" in f and "layer_names" not in f.attrs \
            else f
        _load_layers(model, root, filepath, file_size)


def _compile(model, training):
    """compile() from Keras 2's training_config: the optimizer's class and the arguments our
    class takes (Keras 2 adds some, like `decay`), the loss and metrics by name."""
    import inspect

    from keraslite import optimizers

    spec = training.get("optimizer_config") or {}
    optimizer = "rmsprop"
    if spec.get("class_name"):
        cls = optimizers.get(spec["class_name"]).__class__
        accepted = inspect.signature(cls.__init__).parameters
        optimizer = cls(**{k: v for k, v in (spec.get("config") or {}).items() if k in accepted})
    model.compile(optimizer=optimizer, loss=training.get("loss"),
                  metrics=training.get("metrics"), loss_weights=training.get("loss_weights"),
                  weighted_metrics=training.get("weighted_metrics"))


# tf.keras' slot names -> keraslite's (the others are the same: momentum, velocity,
# average_gradient, accumulator, linear, accumulated_grad, accumulated_delta_var). tf.keras'
# legacy optimizers (Keras 2 before 2.11) have names of their own: rms, mg, accum_*.
_SLOTS = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "u": "norm",
          "rms": "velocity", "mg": "average_gradient", "accum_grad": "accumulated_grad",
          "accum_var": "accumulated_delta_var"}


def _slot_entries(names):
    """(step count's weight name, {variable path: {slot: weight name}} in the file's order).

    tf.keras writes `iteration:0`, then `<optimizer>/<slot>/<variable>:0`, its slots either
    interleaved per variable (Adam: m, v) or grouped by kind (RMSprop); the legacy optimizers
    write `<optimizer>/iter:0`, then `<optimizer>/<variable>/<slot>:0`, and a few non-slot
    weights (Nadam's momentum_cache), which have no variable part.
    """
    step, slots = None, {}
    legacy = "iteration:0" not in names
    for name in names:
        parts = name.rsplit(":", 1)[0].split("/")
        if parts[-1] in ("iteration", "iter", "iterations"):
            step = name
        elif len(parts) >= 3:
            slot, variable = (parts[-1], "/".join(parts[1:-1])) if legacy else \
                (parts[1], "/".join(parts[2:]))
            slots.setdefault(variable, {})[slot] = name
    return step, slots


def _load_optimizer_state(model, group, filepath, file_size):
    """Set the optimizer's step count and slots from tf.keras' `optimizer_weights`. The file's
    variables are the model's trainable variables in order, as tf.keras built its optimizer
    with them; a state that does not fit the model is skipped with a warning (the model still
    loads, with a fresh optimizer), as Keras 2 did."""
    optimizer = model.optimizer
    names = _names(group, "weight_names")
    step, slots = _slot_entries(names)
    variables = model.trainable_variables
    optimizer.build(variables)
    # keraslite names a slot '<variable path>_<kind>' (add_variable_from_reference) and makes
    # them in the order of the variables; paths can repeat (two LSTMs' lstm_cell/kernel), so
    # the n-th variable of a path takes the n-th slot of that name
    by_name = {}
    for v in optimizer.variables:
        by_name.setdefault(v.name, []).append(v)
    limit = saving_lib.read_limit(file_size)

    def skip(reason):
        warnings.warn(f"{filepath}: the optimizer state is not restored ({reason}); "
                      "training starts from a fresh optimizer.", stacklevel=3)

    if step is None or len(slots) != len(variables):
        return skip(f"{len(slots)} variables with slots in the file, the model has "
                    f"{len(variables)} trainable variables")
    pairs = []
    for variable, (stored_path, stored) in zip(variables, slots.items()):
        if stored_path.rsplit("/", 1)[-1] != variable.name:  # kernel, bias, gamma...
            return skip(f"the file's variable '{stored_path}' is not the model's "
                        f"'{variable.path}'")
        prefix = (getattr(variable, "path", None) or variable.name).replace("/", "_")
        prefix = prefix.replace(":", "_")
        for slot, name in stored.items():
            kind = "norm" if slot == "v" and type(optimizer).__name__ == "Adamax" \
                else _SLOTS.get(slot, slot)
            candidates = by_name.get(f"{prefix}_{kind}")
            target = candidates.pop(0) if candidates else None
            value = saving_lib.read_dataset(group, name, limit, file_size)
            if target is None or tuple(target.shape) != tuple(value.shape):
                return skip(f"no slot of {type(optimizer).__name__} matches '{name}' "
                            f"{tuple(value.shape)}")
            pairs.append((target, value))
    iterations = int(np.asarray(saving_lib.read_dataset(group, step, limit, file_size)))
    for target, value in pairs:
        target.assign(value)
    optimizer.iterations.assign(iterations)
    u_product = getattr(optimizer, "_u_product", None)
    if u_product is not None:
        # Nadam's product of its momentum schedule over the steps taken: tf.keras keeps it
        # out of its saved weights (its own reload restarts it at 1), so it is rebuilt here
        mu = optimizer.beta_1 * (1 - 0.5 * 0.96 ** np.arange(1, iterations + 1))
        u_product.assign(np.prod(mu, dtype="float64").astype(u_product.dtype))
