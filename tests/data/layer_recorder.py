"""Records what a real Keras 3 layer does, for the make_keras_layers_*.py generators.

A case is (id, class name, kwargs, input specs, options); an error case is (id, class name,
kwargs, input shapes of successive calls, exception-type override). `write()` runs them all on
Keras and writes one json file that tests/layer_checks.py reads: outputs, output masks, weights,
gradients of sum(output * w) with respect to the float inputs and every weight, the moving
statistics after the call, get_config(), the symbolic output shape, constructor signatures,
aliases, and Keras' exception type and message for the bad inputs. Importing this module needs
Keras; the test suite never imports it.
"""

import inspect
import json
import os
import pathlib
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402, TID251  (the generators are the files that run real Keras)
import numpy as np  # noqa: E402
from keras.src.backend.common.masking import set_keras_mask  # noqa: E402, TID251

HERE = pathlib.Path(__file__).resolve().parent


def F(*shape):
    return ("float", list(shape))


def I(high, *shape):  # noqa: E743
    return ("int", list(shape), high)


def enc(a):
    a = np.asarray(a)
    if a.dtype in (np.float16, np.float32):  # shortest decimal that reads back to the same value
        data = [float(str(v)) for v in a.ravel()]
    else:
        data = a.ravel().tolist()
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def jsonable(x):
    if isinstance(x, (tuple, list)):
        return [jsonable(v) for v in x]
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    return x


def make_input(spec, rng):
    if spec[0] == "int":
        return rng.integers(0, spec[2], size=spec[1]).astype("int32")
    return rng.normal(size=spec[1]).astype("float32")


def make_mask(kind, shape, rng):
    if kind is None:
        return None
    # time axis: 1 for channels_last sequences, 2 for channels_first (kind "cf")
    steps = shape[2] if kind == "cf" else shape[1]
    mask = rng.random((shape[0], steps)) < 0.6
    mask[:, 0] = True  # every sample keeps a step, so masked means stay finite
    return mask


def weight_value(variable, rng):
    shape = tuple(variable.shape)
    if "variance" in variable.name or "stddev" in variable.name:
        return rng.uniform(0.5, 1.5, size=shape).astype("float32")
    return (rng.normal(size=shape) * 0.5).astype("float32")


def run_case(case_id, class_name, kwargs, specs, options):
    rng = np.random.default_rng(zlib.crc32(case_id.encode()))
    multi = isinstance(specs, list)
    specs_list = specs if multi else [specs]
    inputs = [make_input(s, rng) for s in specs_list]
    mask_kinds = options.get("masks", [None] * len(inputs))
    masks = [make_mask(k, x.shape, rng) for k, x in zip(mask_kinds, inputs)]
    has_mask = any(m is not None for m in masks)

    layer = getattr(keras.layers, class_name)(**kwargs)
    layer(inputs if multi else inputs[0])  # builds; inference mode, so no state changes
    weights = [weight_value(v, rng) for v in layer.weights]
    layer.set_weights(weights)

    call_kwargs = {}
    if "training" in options:
        call_kwargs["training"] = options["training"]
    if has_mask and not multi:
        call_kwargs["mask"] = jnp.asarray(masks[0])

    float_idx = [i for i, x in enumerate(inputs) if x.dtype.kind == "f"]
    t_vars, nt_vars = layer.trainable_variables, layer.non_trainable_variables

    def forward(float_inputs, t_vals, nt_vals):
        xs = [jnp.asarray(x) for x in inputs]
        for i, v in zip(float_idx, float_inputs):
            xs[i] = v
        if multi:
            for x, m in zip(xs, masks):
                if m is not None:
                    set_keras_mask(x, jnp.asarray(m))
        out, new_nt = layer.stateless_call(t_vals, nt_vals, xs if multi else xs[0],
                                           **call_kwargs)
        return out, new_nt

    out, new_nt = forward([jnp.asarray(inputs[i]) for i in float_idx],
                          [v.value for v in t_vars], [v.value for v in nt_vars])
    w = rng.normal(size=out.shape).astype("float32")

    def loss(float_inputs, t_vals, nt_vals):
        out, _ = forward(float_inputs, t_vals, nt_vals)
        return jnp.sum(out * w)

    # allow_int: a random layer's seed generator state is an int non-trainable variable
    g_in, g_t, g_nt = jax.grad(loss, argnums=(0, 1, 2), allow_int=True)(
        [jnp.asarray(inputs[i]) for i in float_idx],
        [v.value for v in t_vars], [v.value for v in nt_vars])
    by_path = {v.path: g for v, g in zip(t_vars, g_t)}
    by_path.update({v.path: g for v, g in zip(nt_vars, g_nt)})
    input_grads = [None] * len(inputs)
    for i, g in zip(float_idx, g_in):
        input_grads[i] = enc(g)

    # output mask, as Keras computes it for the next layer
    call_in = [jnp.asarray(x) for x in inputs]
    mask_arg = [None if m is None else jnp.asarray(m) for m in masks]
    out_mask = layer.compute_mask(call_in if multi else call_in[0],
                                  (mask_arg if multi else mask_arg[0]) if has_mask else None)

    # symbolic call with an unknown batch size, on a fresh layer
    fresh = getattr(keras.layers, class_name)(**kwargs)
    sym_in = [keras.Input(shape=x.shape[1:], dtype=str(x.dtype)) for x in inputs]
    sym_out = fresh(sym_in if multi else sym_in[0])

    config = layer.get_config()
    config.pop("name")
    return {
        "id": case_id,
        "class_name": class_name,
        "kwargs": jsonable(kwargs),
        "multi": multi,
        "inputs": [enc(x) for x in inputs],
        "masks": [None if m is None else enc(m) for m in masks],
        "training": options.get("training"),
        "weights": [{"name": v.name, "shape": list(v.shape), "trainable": v.trainable,
                     "value": enc(val)} for v, val in zip(layer.weights, weights)],
        "output": enc(out),
        "output_mask": None if out_mask is None else enc(out_mask),
        "symbolic_shape": list(sym_out.shape),
        "symbolic_dtype": str(sym_out.dtype),
        "config": jsonable(config),
        # weights only: a seed generator's state is the backend's own random stream
        "new_non_trainable": {v.name: enc(val) for v, val in zip(nt_vars, new_nt)
                              if any(v is w for w in layer.weights)},
        "w": enc(w),
        "input_grads": input_grads,
        "weight_grads": [enc(by_path[v.path]) for v in layer.weights],
    }


def signature(fn):
    out = []
    for p in inspect.signature(fn).parameters.values():
        if p.name == "self":
            continue
        default = None if p.default is inspect.Parameter.empty else jsonable(p.default)
        out.append({"name": p.name, "kind": p.kind.name,
                    "required": p.default is inspect.Parameter.empty, "default": default})
    return out


def run_error(case_id, class_name, kwargs, calls, override):
    entry = {"id": case_id, "class_name": class_name, "kwargs": jsonable(kwargs),
             "calls": jsonable(calls)}
    try:
        layer = getattr(keras.layers, class_name)(**kwargs)
        entry["stage"] = "call"
        entry["name"] = layer.name
        for shape in calls:
            if shape and isinstance(shape[0], tuple):
                layer([np.zeros(s, "float32") for s in shape])
            else:
                layer(np.zeros(shape, "float32"))
    except Exception as e:  # noqa: BLE001  (recording what Keras raises is the point)
        entry.setdefault("stage", "init")
        entry["keras_type"] = type(e).__name__
        entry["keras_message"] = str(e).split("\n")[0][:400]
        entry["expect"] = override or type(e).__name__
        return entry
    raise AssertionError(f"{case_id}: Keras raised nothing")


def write(filename, cases, errors, classes, functions=(), aliases=()):
    """Run every case on Keras and write tests/data/<filename>."""
    assert keras.__version__ == "3.15.1", keras.__version__
    cases = [run_case(*c) for c in cases]
    errors = [run_error(*e) for e in errors]
    signatures = {n: signature(getattr(keras.layers, n).__init__) for n in classes}
    signatures.update({n: signature(getattr(keras.layers, n)) for n in functions})
    aliases = {n: getattr(keras.layers, n).__name__ for n in aliases}
    out = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
           "signatures": signatures, "aliases": aliases, "cases": cases, "errors": errors}
    path = HERE / filename
    path.write_text(json.dumps(out, separators=(",", ":")) + "\n")
    print(f"wrote {path} ({len(cases)} cases, {len(errors)} error cases)")
