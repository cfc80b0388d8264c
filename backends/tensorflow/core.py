"""Core ops on TensorFlow: conversion, control flow, gradients, compilation, devices."""

import builtins
import contextlib

import numpy as np
import optree
import tensorflow as tf

from keraslite import config
from keraslite.backend import dtypes
from keraslite.backend.keras_tensor import KerasTensor
from keraslite.backend.variables import Variable

_PY_SCALARS = (bool, int, float, complex)


# ---------------------------------------------------------------------------------------------
# Helpers shared by the other modules of this backend.


def dtype_of(x):
    """Something dtypes.result_type accepts for x: Python scalars stay (weak), else the dtype."""
    if isinstance(x, _PY_SCALARS) and not hasattr(x, "dtype"):
        return x
    if isinstance(x, (Variable, KerasTensor)) or hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    return dtypes.standardize_dtype(convert_to_tensor(x).dtype)


def is_float_dtype(dtype):
    return dtypes.standardize_dtype(dtype) in dtypes.FLOAT_TYPES


def is_int_dtype(dtype):
    return dtypes.standardize_dtype(dtype) in dtypes.INT_TYPES


def to_float(x):
    """x as a tensor; ints and bools become floatx, floats (and complex) stay."""
    x = convert_to_tensor(x)
    d = dtypes.standardize_dtype(x.dtype)
    if d in dtypes.FLOAT_TYPES or d in dtypes.COMPLEX_TYPES:
        return x
    return tf.cast(x, config.floatx())


def tensors_as(dtype, *xs):
    """Convert each x to a tensor of `dtype`."""
    return [convert_to_tensor(x, dtype=dtype) for x in xs]


def static_shape(x):
    """Shape as a list: Python ints where known, scalar tensors elsewhere."""
    static = x.shape.as_list()
    if builtins.all(d is not None for d in static):
        return static
    dynamic = tf.shape(x)
    return [d if d is not None else dynamic[i] for i, d in enumerate(static)]


def canonical_axis(axis, ndim):
    if axis < -ndim or axis >= builtins.max(ndim, 1):
        raise ValueError(f"axis {axis} is out of bounds for a tensor of rank {ndim}")
    return axis % ndim if ndim else 0


# ---------------------------------------------------------------------------------------------
# Tensors and conversion.


def _pack(obj, dtype):
    if isinstance(obj, (list, tuple)):
        return tf.stack([_pack(o, dtype) for o in obj])
    return convert_to_tensor(obj, dtype=dtype)


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if sparse:
        raise ValueError("The tensorflow backend of keraslite does not support sparse tensors.")
    if ragged:
        raise ValueError("The tensorflow backend of keraslite does not support ragged tensors.")
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, KerasTensor):
        raise ValueError(f"A symbolic KerasTensor cannot become a tensor: {x}")
    if tf.is_tensor(x):
        if isinstance(x, tf.Variable):
            x = tf.convert_to_tensor(x)
        if dtype is not None and dtypes.standardize_dtype(x.dtype) != dtype:
            x = tf.cast(x, dtype)
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        t = tf.convert_to_tensor(x)
        return t if dtype is None else tf.cast(t, dtype)
    if isinstance(x, _PY_SCALARS):
        if dtype is None:
            if isinstance(x, bool):
                dtype = "bool"
            elif isinstance(x, int):
                dtype = "int32"
            elif isinstance(x, float):
                dtype = config.floatx()
            else:
                dtype = "complex64"
        if isinstance(x, bool) and dtype != "bool":
            return tf.cast(tf.constant(x), dtype)  # tf.constant(True, "int8") is an error
        if isinstance(x, bool) or dtype != "bool":
            return tf.constant(x, dtype=dtype)
        return tf.constant(builtins.bool(x), dtype="bool")
    if isinstance(x, (list, tuple)):
        leaves = optree.tree_leaves(x)
        if dtype is None:
            kinds = [dtype_of(v) for v in leaves]
            dtype = dtypes.result_type(*kinds) if kinds else config.floatx()
        if builtins.any(tf.is_tensor(v) or isinstance(v, Variable) for v in leaves):
            return _pack(x, dtype)
        return tf.constant(np.asarray(x, dtype=np.dtype(_np_dtype(dtype))), dtype=dtype)
    t = tf.convert_to_tensor(x)
    return t if dtype is None else tf.cast(t, dtype)


def _np_dtype(dtype):
    if dtype == "bfloat16":
        import ml_dtypes

        return ml_dtypes.bfloat16
    return dtype


def convert_to_numpy(x):
    if isinstance(x, Variable):
        x = x.value
    if tf.is_tensor(x):
        return np.asarray(x.numpy())
    return np.asarray(x)


def is_tensor(x):
    return tf.is_tensor(x)


def shape(x):
    if isinstance(x, (KerasTensor, Variable)):
        return tuple(x.shape)
    if not tf.is_tensor(x):
        x = convert_to_tensor(x)
    if x.shape.rank is None:
        raise ValueError("The rank of this tensor is unknown.")
    return tuple(x.shape.as_list())


def dtype(x):
    if isinstance(x, (KerasTensor, Variable)) or hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    return dtypes.standardize_dtype(convert_to_tensor(x).dtype)


def cast(x, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    x = convert_to_tensor(x)
    if dtypes.standardize_dtype(x.dtype) == dtype:
        return x
    return tf.cast(x, dtype)


def _dtype_range(dtype):
    if dtype in dtypes.FLOAT_TYPES:
        import ml_dtypes

        info = ml_dtypes.finfo(_np_dtype(dtype))
    elif dtype in dtypes.INT_TYPES:
        info = np.iinfo(dtype)
    else:
        return None
    return float(info.min), float(info.max)


def saturate_cast(x, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    x = convert_to_tensor(x)
    in_dtype = dtypes.standardize_dtype(x.dtype)
    target = _dtype_range(dtype)
    if target is not None and in_dtype not in ("bool",):
        source = _dtype_range(in_dtype)
        lo, hi = target
        if source is not None:
            if source[0] < lo or source[1] > hi:
                if in_dtype in dtypes.FLOAT_TYPES:
                    # Clip in a float precise enough for the bounds (float64 for wide ints).
                    wide = dtype in ("int32", "int64", "uint32", "uint64")
                    work = "float64" if wide else in_dtype
                    xw = tf.cast(x, work)
                    if dtype in dtypes.INT_TYPES and float(np.array(hi, work)) > hi:
                        # hi rounds up in `work`: use the largest float below it instead.
                        hi = float(np.nextafter(np.array(hi, work), np.array(-np.inf, work)))
                    xw = tf.clip_by_value(xw, tf.constant(lo, work), tf.constant(hi, work))
                    return tf.cast(xw, dtype)
                # Integer source: clip in its own dtype to the part of the range both share.
                lo_c = tf.constant(int(builtins.max(lo, source[0])), dtype=in_dtype)
                hi_c = tf.constant(int(builtins.min(hi, source[1])), dtype=in_dtype)
                x = tf.clip_by_value(x, lo_c, hi_c)
    return tf.cast(x, dtype)


def stop_gradient(variable):
    return tf.stop_gradient(convert_to_tensor(variable))


# ---------------------------------------------------------------------------------------------
# Control flow.


def cond(pred, true_fn, false_fn):
    if isinstance(pred, (bool, np.bool_)):
        return true_fn() if pred else false_fn()
    pred = convert_to_tensor(pred)
    if pred.dtype != tf.bool:
        pred = tf.cast(pred, tf.bool)
    return tf.cond(tf.reshape(pred, []), true_fn, false_fn)


def _as_tensor_tree(tree):
    return optree.tree_map(convert_to_tensor, tree)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_seq = isinstance(loop_vars, (tuple, list))
    seq_type = type(loop_vars) if is_seq else None
    loop_vars = tuple(loop_vars) if is_seq else (loop_vars,)
    loop_vars = _as_tensor_tree(loop_vars)

    def _cond(*args):
        return tf.cast(convert_to_tensor(cond(*args)), tf.bool)

    def _body(*args):
        out = body(*args)
        if is_seq:
            out = tuple(out)
        else:
            out = (out,)
        # Keep each loop variable's dtype (bodies may produce weakly typed Python scalars).
        return tuple(
            optree.tree_map(lambda o, v: convert_to_tensor(o, dtype=v.dtype), o, v)
            for o, v in zip(out, loop_vars)
        )

    out = tf.while_loop(_cond, _body, loop_vars, maximum_iterations=maximum_iterations)
    out = tuple(out)
    if not is_seq:
        return out[0]
    return list(out) if seq_type is list else out


def fori_loop(lower, upper, body_fun, init_val):
    lower = convert_to_tensor(lower)
    upper = convert_to_tensor(upper, dtype=lower.dtype)

    def _cond(i, val):
        return i < upper

    def _body(i, val):
        return i + 1, body_fun(i, val)

    return while_loop(_cond, _body, (lower, init_val))[1]


def _leading_length(flat_xs):
    n = flat_xs[0].shape[0]
    return n if n is not None else tf.shape(flat_xs[0])[0]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`.")
    if xs is not None:
        flat_xs, xs_def = optree.tree_flatten(xs)
        flat_xs = [convert_to_tensor(x) for x in flat_xs]
        n = _leading_length(flat_xs) if length is None else length
    else:
        flat_xs, xs_def = [], None
        n = length
    init = _as_tensor_tree(init)
    flat_init, carry_def = optree.tree_flatten(init, none_is_leaf=False)

    def x_at(i):
        if xs_def is None:
            return None
        return optree.tree_unflatten(xs_def, [x[i] for x in flat_xs])

    def index(i):
        return (n - 1 - i) if reverse else i

    def step(carry_flat, i):
        carry, y = f(optree.tree_unflatten(carry_def, carry_flat), x_at(index(i)))
        new_flat = optree.tree_leaves(carry, none_is_leaf=False)
        new_flat = [convert_to_tensor(c, dtype=o.dtype) for c, o in zip(new_flat, carry_flat)]
        return new_flat, y

    if isinstance(n, int) and n == 0:
        x_spec = None
        if xs_def is not None:
            x_spec = optree.tree_unflatten(
                xs_def, [KerasTensor(x.shape[1:], x.dtype) for x in flat_xs]
            )
        spec = compute_output_spec(f, init, x_spec)
        ys = optree.tree_map(
            lambda s: tf.zeros((0,) + tuple(s.shape), s.dtype) if isinstance(s, KerasTensor) else s,
            spec[1], none_is_leaf=True,
        )
        return init, ys

    # Step 0 runs outside the loop to learn the structure and dtypes of y.
    carry_flat, y0 = step(flat_init, 0)
    y0 = _as_tensor_tree(y0)
    flat_y0, y_def = optree.tree_flatten(y0, none_is_leaf=False)

    if isinstance(n, int) and (unroll is True or (isinstance(unroll, int) and unroll >= n)):
        ys = [flat_y0]
        for i in range(1, n):
            carry_flat, y = step(carry_flat, i)
            ys.append(optree.tree_leaves(y, none_is_leaf=False))
        stacked = [tf.stack([y[j] for y in ys]) for j in range(len(flat_y0))]
    else:
        tas = [
            tf.TensorArray(y.dtype, size=n, element_shape=y.shape).write(index(0), y)
            for y in flat_y0
        ]

        def body(i, carry_flat, tas):
            carry_flat, y = step(list(carry_flat), i)
            y_flat = optree.tree_leaves(y, none_is_leaf=False)
            tas = [ta.write(index(i), tf.cast(v, ta.dtype)) for ta, v in zip(tas, y_flat)]
            return i + 1, carry_flat, tas

        _, carry_flat, tas = tf.while_loop(
            lambda i, c, t: i < n, body, (tf.constant(1), carry_flat, tas),
        )
        stacked = [ta.stack() for ta in tas]
    carry = optree.tree_unflatten(carry_def, list(carry_flat))
    return carry, optree.tree_unflatten(y_def, stacked)


def _interleave(a, b, axis):
    """Elements a0, b0, a1, b1, ... along axis (a has as many elements as b, or one more)."""
    na, nb = a.shape[axis], b.shape[axis]
    if na == nb + 1:
        # Pad b with a's last element (any value works: it is sliced off below).
        b = tf.concat([b, tf.gather(a, [na - 1], axis=axis)], axis=axis)
    stacked = tf.stack([a, b], axis=axis + 1)
    shape = static_shape(a)
    merged = tf.reshape(stacked, shape[:axis] + [2 * b.shape[axis]] + shape[axis + 1:])
    if na == nb + 1:
        merged = _slice_axis(merged, 0, na + nb, axis)
    return merged


def _every_other(x, start, stop, axis):
    """x[start:stop:2] along axis."""
    index = [builtins.slice(None)] * x.ndim
    index[axis] = builtins.slice(start, stop, 2)
    return x[tuple(index)]


def _slice_axis(x, start, stop, axis):
    index = [builtins.slice(None)] * x.ndim
    index[axis] = builtins.slice(start, stop)
    return x[tuple(index)]


def associative_scan(f, elems, reverse=False, axis=0):
    flat, treedef = optree.tree_flatten(elems, none_is_leaf=False)
    flat = [convert_to_tensor(e) for e in flat]
    if not flat:
        return elems
    ndim = flat[0].ndim
    if ndim == 0:
        raise ValueError("associative_scan needs elements of rank 1 or more.")
    axis = canonical_axis(axis, ndim)
    n = flat[0].shape[axis]
    if n is None:
        raise ValueError("associative_scan needs a static size along the scanned axis.")
    for e in flat:
        if e.ndim != ndim or e.shape[axis] != n:
            raise ValueError("associative_scan: every element must share the scanned axis.")
    if reverse:
        flat = [tf.reverse(e, [axis]) for e in flat]
    out_dtypes = [e.dtype for e in flat]

    def combine(a_flat, b_flat):
        out = f(optree.tree_unflatten(treedef, a_flat), optree.tree_unflatten(treedef, b_flat))
        out_flat = optree.tree_leaves(out, none_is_leaf=False)
        if len(out_flat) != len(a_flat):
            raise ValueError("associative_scan: f must return the structure of elems.")
        return [convert_to_tensor(o, dtype=d) for o, d in zip(out_flat, out_dtypes)]

    # Recursive doubling (as jax.lax.associative_scan): combine pairs, scan the half-size
    # sequence, then fill in the even positions; O(log n) calls of f.
    def _scan(es):
        size = es[0].shape[axis]
        if size < 2:
            return es
        reduced = combine([_every_other(e, 0, size - 1, axis) for e in es],
                          [_every_other(e, 1, None, axis) for e in es])
        odd = _scan(reduced)
        if size % 2 == 0:
            even = combine([_slice_axis(o, 0, -1, axis) for o in odd],
                           [_every_other(e, 2, None, axis) for e in es])
        else:
            even = combine(odd, [_every_other(e, 2, None, axis) for e in es])
        even = [tf.concat([_slice_axis(e, 0, 1, axis), r], axis=axis) for e, r in zip(es, even)]
        return [_interleave(e, o, axis) for e, o in zip(even, odd)]

    scanned = _scan(flat)
    if reverse:
        scanned = [tf.reverse(s, [axis]) for s in scanned]
    return optree.tree_unflatten(treedef, scanned)


def switch(index, branches, *operands):
    index = convert_to_tensor(index, dtype="int32")
    index = tf.clip_by_value(index, 0, len(branches) - 1)
    fns = [lambda b=b: _as_tensor_tree(b(*operands)) for b in branches]
    return tf.switch_case(index, fns)


def map(f, xs):
    xs = _as_tensor_tree(xs)
    _, ys = scan(lambda carry, x: (carry, f(x)), (), xs)
    return ys


def vectorized_map(function, elements):
    elements = _as_tensor_tree(elements)
    return tf.vectorized_map(function, elements)


def custom_gradient(f):
    tf_f = tf.custom_gradient(f)

    def wrapper(*args, **kwargs):
        args = [
            convert_to_tensor(a)
            if isinstance(a, (Variable, np.ndarray, np.generic) + _PY_SCALARS) else a
            for a in args
        ]
        return tf_f(*args, **kwargs)

    return wrapper


# ---------------------------------------------------------------------------------------------
# Scatter, slicing.


def scatter(indices, values, shape):
    indices = convert_to_tensor(indices)
    if not is_int_dtype(indices.dtype):
        indices = tf.cast(indices, "int32")
    values = convert_to_tensor(values)
    shape = convert_to_tensor(shape, dtype=indices.dtype)
    if values.dtype == tf.bool:
        out = tf.scatter_nd(indices, tf.cast(values, "int32"), shape)
        return tf.cast(out, tf.bool)
    return tf.scatter_nd(indices, values, shape)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices)
    if not is_int_dtype(indices.dtype):
        indices = tf.cast(indices, "int32")
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    if reduction is None:
        return tf.tensor_scatter_nd_update(inputs, indices, updates)
    if reduction == "add":
        return tf.tensor_scatter_nd_add(inputs, indices, updates)
    if reduction == "max":
        return tf.tensor_scatter_nd_max(inputs, indices, updates)
    if reduction == "min":
        return tf.tensor_scatter_nd_min(inputs, indices, updates)
    if reduction == "mul":
        k = indices.shape[-1]
        in_shape = tf.shape(inputs)
        outer = tf.reduce_prod(in_shape[:k])
        inner = in_shape[k:]
        strides = tf.math.cumprod(in_shape[:k], exclusive=True, reverse=True)
        linear = tf.reduce_sum(tf.cast(indices, in_shape.dtype) * strides, axis=-1)
        linear = tf.reshape(linear, [-1])
        flat_updates = tf.reshape(updates, tf.concat([[-1], inner], 0))
        factors = tf.math.unsorted_segment_prod(flat_updates, linear, outer)
        flat_inputs = tf.reshape(inputs, tf.concat([[outer], inner], 0))
        return tf.reshape(flat_inputs * factors, in_shape)
    raise ValueError(f"Unknown scatter_update reduction: {reduction!r}")


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    return tf.slice(inputs, start_indices, shape)


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype)
    start = tf.cast(convert_to_tensor(start_indices), "int32")
    rank = len(updates.shape)
    if rank == 0:
        return updates
    ranges = [tf.range(tf.shape(updates)[i]) for i in range(rank)]
    grid = tf.meshgrid(*ranges, indexing="ij")
    idx = tf.stack(grid, axis=-1) + tf.reshape(start, [1] * rank + [rank])
    return tf.tensor_scatter_nd_update(inputs, idx, updates)


def unstack(x, num=None, axis=0):
    return tf.unstack(convert_to_tensor(x), num=num, axis=axis)


# ---------------------------------------------------------------------------------------------
# Devices.

_DEVICE_TYPES = {"cpu": "CPU", "gpu": "GPU", "cuda": "GPU", "tpu": "TPU"}


def device_scope(device_name):
    if not isinstance(device_name, str):
        raise ValueError(f"Invalid device name: {device_name!r}")
    parts = device_name.lower().strip("/").split(":")
    if parts[0] == "device" and len(parts) > 1:
        parts = parts[1:]
    kind = _DEVICE_TYPES.get(parts[0])
    if kind is None:
        raise ValueError(
            f"Invalid device type {parts[0]!r} in {device_name!r}; expected cpu, gpu or tpu."
        )
    index = parts[1] if len(parts) > 1 and parts[1] else "0"
    return tf.device(f"/{kind}:{index}")


# ---------------------------------------------------------------------------------------------
# Abstract evaluation, gradients, compilation.


def compute_output_spec(fn, *args, **kwargs):
    leaves, treedef = optree.tree_flatten((args, kwargs), none_is_leaf=True)
    symbolic = [i for i, v in enumerate(leaves) if isinstance(v, KerasTensor)]
    specs = [tf.TensorSpec(leaves[i].shape, leaves[i].dtype) for i in symbolic]
    captured = {}

    def traced(*placeholders):
        filled = list(leaves)
        for i, p in zip(symbolic, placeholders):
            filled[i] = p
        a, k = optree.tree_unflatten(treedef, filled)
        out = fn(*a, **k)

        def spec(x):
            if isinstance(x, Variable):
                x = x.value
            if tf.is_tensor(x):
                if x.shape.rank is None:
                    raise ValueError("compute_output_spec: an output has unknown rank.")
                return KerasTensor(x.shape.as_list(), dtypes.standardize_dtype(x.dtype))
            return x

        captured["out"] = optree.tree_map(spec, out, none_is_leaf=True)
        return 0

    tf.function(traced, autograph=False).get_concrete_function(*specs)
    return captured["out"]


def _argnums_tuple(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def _value_and_grad_impl(fn, argnums, has_aux, args):
    nums = _argnums_tuple(argnums)
    args = list(args)
    flats, defs = [], []
    for i in nums:
        flat, d = optree.tree_flatten(args[i], none_is_leaf=False)
        flat = [convert_to_tensor(v) for v in flat]
        args[i] = optree.tree_unflatten(d, flat)
        flats.append(flat)
        defs.append(d)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        for flat in flats:
            for v in flat:
                if v.dtype.is_floating or v.dtype.is_complex:
                    tape.watch(v)
        out = fn(*args)
    value, aux = (out[0], out[1]) if has_aux else (out, None)
    sources = [v for flat in flats for v in flat]
    float_idx = [j for j, v in enumerate(sources) if v.dtype.is_floating or v.dtype.is_complex]
    grads = [tf.zeros_like(v) for v in sources]
    if float_idx:
        g = tape.gradient(
            value, [sources[j] for j in float_idx],
            unconnected_gradients=tf.UnconnectedGradients.ZERO,
        )
        for j, gj in zip(float_idx, g):
            grads[j] = tf.convert_to_tensor(gj)
    out_grads, pos = [], 0
    for flat, d in zip(flats, defs):
        out_grads.append(optree.tree_unflatten(d, grads[pos:pos + len(flat)]))
        pos += len(flat)
    result = out_grads[0] if isinstance(argnums, int) else tuple(out_grads)
    return value, aux, result


def value_and_grad(fn, argnums=0, has_aux=False):
    def wrapped(*args):
        value, aux, grads = _value_and_grad_impl(fn, argnums, has_aux, args)
        return ((value, aux), grads) if has_aux else (value, grads)

    return wrapped


def grad(fn, argnums=0, has_aux=False):
    def wrapped(*args):
        _, aux, grads = _value_and_grad_impl(fn, argnums, has_aux, args)
        return (grads, aux) if has_aux else grads

    return wrapped


def jit(fn, jit_compile=None, donate_argnums=()):
    if jit_compile is False:
        return fn
    return tf.function(fn, jit_compile=jit_compile)


def _slot(value):
    """The resident tf.Variable for a state value: the value itself when another compiled step
    made it (train, test and predict steps then share one copy of the weights), else a new
    one."""
    if getattr(value, "_keraslite_slot", False):
        return value
    slot = tf.Variable(value, trainable=False)
    slot._keraslite_slot = True
    return slot


def jit_step(fn, jit_compile=None, donate=False):
    """The state lives in tf.Variables between calls and the compiled step assigns them in
    place, as a hand-written tf.Variable loop does: only the data crosses the tf.function
    boundary (its per-argument cost dominates small steps). The variables are returned as the
    new state; a state value that is not one of them (set from outside) is copied in first."""
    if jit_compile is False:
        return fn
    slots = []

    def update(data):
        outputs, new = fn([s.read_value() for s in slots], data)
        for slot, value in zip(slots, new):
            if value is not None:
                slot.assign(value)
        return outputs

    compiled = None

    def call(state, data):
        nonlocal compiled
        if compiled is None or len(state) != len(slots):
            slots[:] = [_slot(v) for v in state]
            compiled = tf.function(update, jit_compile=jit_compile)  # traces the new slots
        else:
            for slot, value in zip(slots, state):
                if value is not slot:
                    slot.assign(value)
        return compiled(data), list(slots)

    return call


def inference_scope():
    return contextlib.nullcontext()  # nothing is recorded outside a GradientTape
