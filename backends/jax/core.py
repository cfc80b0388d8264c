"""Core ops on jax: conversion, control flow, gradients, compilation and devices."""

import builtins
import contextlib
import functools

import jax
import jax.numpy as jnp
import numpy as np
import optree
from jax import lax

from keraslite import config
from keraslite.backend import dtypes
from keraslite.backend.keras_tensor import KerasTensor
from keraslite.backend.variables import Variable

_PY_SCALARS = (bool, int, float, complex)


# --------------------------------------------------------------------------- conversion


def _infer_dtype(x):
    """Keras' default dtype for a non-tensor value (Python scalar, list, numpy)."""
    if isinstance(x, (np.ndarray, np.generic)):
        return dtypes.standardize_dtype(x.dtype)
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int32"
    if isinstance(x, float):
        return config.floatx()
    if isinstance(x, complex):
        return "complex64"
    if isinstance(x, (list, tuple)):
        leaves = optree.tree_leaves(x, is_leaf=lambda v: not isinstance(v, (list, tuple)))
        if not leaves:
            return config.floatx()
        kinds = []
        for leaf in leaves:
            if isinstance(leaf, Variable):
                kinds.append(leaf.dtype)
            elif isinstance(leaf, _PY_SCALARS) or hasattr(leaf, "dtype"):
                kinds.append(leaf)
            else:
                kinds.append(_infer_dtype(np.asarray(leaf)))
        return dtypes.result_type(*kinds)
    if hasattr(x, "dtype"):
        return dtypes.standardize_dtype(x.dtype)
    return dtypes.standardize_dtype(np.asarray(x).dtype)


def _unwrap_variables(x):
    if isinstance(x, Variable):
        return x.value
    if isinstance(x, (list, tuple)):
        return [_unwrap_variables(v) for v in x]
    return x


# numpy dtypes jax keeps as they are: such arrays go straight to the device (a batch of data
# on every step), without jnp.asarray's slower path
_DEVICE_PUT_DTYPES = frozenset(np.dtype(d) for d in (
    "float32", "float16", "int32", "int16", "int8", "uint8", "bool"))


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if type(x) is np.ndarray and dtype is None and x.dtype in _DEVICE_PUT_DTYPES:
        return jax.device_put(x)
    if sparse:
        raise ValueError("The jax backend of keraslite does not support sparse tensors.")
    if ragged:
        raise ValueError("The jax backend of keraslite does not support ragged tensors.")
    if isinstance(x, KerasTensor):
        raise ValueError(f"A symbolic KerasTensor cannot be converted to a tensor: {x}")
    if dtype is not None:
        dtype = dtypes.standardize_dtype(dtype)
    if isinstance(x, Variable):
        x = x.value
    if isinstance(x, jax.Array):
        if dtype is None or dtypes.standardize_dtype(x.dtype) == dtype:
            return x
        return x.astype(dtype)
    if dtype is None:
        dtype = _infer_dtype(x)
    if dtype == "string":
        raise ValueError("String tensors are not supported by the jax backend of keraslite.")
    if isinstance(x, (list, tuple)):
        x = _unwrap_variables(x)
    return jnp.asarray(x, dtype=dtype)


def convert_to_numpy(x):
    if isinstance(x, Variable):
        x = x.value
    # A copy, never a view of the buffer: the trainer donates state buffers to the next step,
    # and arrays handed out earlier (get_weights, best weights) must outlive them.
    return np.array(x)


def is_tensor(x):
    return isinstance(x, jax.Array)


def shape(x):
    if isinstance(x, (KerasTensor, Variable)):
        return tuple(x.shape)
    if not hasattr(x, "shape"):
        x = convert_to_tensor(x)
    return tuple(x.shape)


def dtype(x):
    if isinstance(x, (KerasTensor, Variable)):
        return dtypes.standardize_dtype(x.dtype)
    if not hasattr(x, "dtype"):
        x = convert_to_tensor(x)
    return dtypes.standardize_dtype(x.dtype)


def cast(x, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    return convert_to_tensor(x, dtype)


def _dtype_range(dtype):
    if dtypes.is_int(dtype):
        info = np.iinfo(dtype)
    elif dtype == "bool":
        return 0, 1
    else:
        info = jnp.finfo(dtype)
    return info.min, info.max


def saturate_cast(x, dtype):
    dtype = dtypes.standardize_dtype(dtype)
    x = convert_to_tensor(x)
    in_dtype = dtypes.standardize_dtype(x.dtype)
    if in_dtype == "bool" or dtypes.is_complex(in_dtype):
        return cast(x, dtype)
    in_min, in_max = _dtype_range(in_dtype)
    out_min, out_max = _dtype_range(dtype)
    lo, hi = builtins.max(in_min, out_min), builtins.min(in_max, out_max)
    if dtypes.is_float(in_dtype) and dtypes.is_int(dtype):
        # The float nearest to an int bound may be just outside it; step inward.
        lo_f = np.asarray(lo, in_dtype)
        hi_f = np.asarray(hi, in_dtype)
        if float(hi_f) > hi:
            hi_f = np.nextafter(hi_f, np.asarray(0, in_dtype))
        if float(lo_f) < lo:
            lo_f = np.nextafter(lo_f, np.asarray(0, in_dtype))
        x = jnp.clip(x, lo_f, hi_f)
    else:
        x = jnp.clip(x, np.asarray(lo).astype(in_dtype), np.asarray(hi).astype(in_dtype))
    return x.astype(dtype)


def stop_gradient(variable):
    return lax.stop_gradient(convert_to_tensor(variable))


# --------------------------------------------------------------------------- control flow


def _scalars_to_tensors(tree):
    def conv(v):
        if isinstance(v, (Variable, np.ndarray, np.generic) + _PY_SCALARS):
            return convert_to_tensor(v)
        return v

    return jax.tree_util.tree_map(conv, tree)


def cond(pred, true_fn, false_fn):
    if isinstance(pred, Variable):
        pred = pred.value
    return lax.cond(pred, true_fn, false_fn)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_seq = isinstance(loop_vars, (tuple, list))
    as_list = isinstance(loop_vars, list)
    state = tuple(loop_vars) if is_seq else (loop_vars,)
    state = _scalars_to_tensors(state)
    dtypes_in = jax.tree_util.tree_map(lambda v: getattr(v, "dtype", None), state)

    def run_body(args):
        out = body(*args)
        out = tuple(out) if is_seq else (out,)
        return jax.tree_util.tree_map(
            lambda o, d: jnp.asarray(o, dtype=d) if d is not None else o, out, dtypes_in
        )

    if maximum_iterations is None:
        final = lax.while_loop(lambda args: cond(*args), run_body, state)
    else:

        def cond_fn(carry):
            args, i = carry
            return jnp.logical_and(cond(*args), i < maximum_iterations)

        def body_fn(carry):
            args, i = carry
            return run_body(args), i + 1

        final, _ = lax.while_loop(cond_fn, body_fn, (state, jnp.asarray(0, "int32")))
    if not is_seq:
        return final[0]
    return list(final) if as_list else final


def _static_int(v):
    if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
        return np.int32(v)
    return v


def fori_loop(lower, upper, body_fun, init_val):
    return lax.fori_loop(_static_int(lower), _static_int(upper), body_fun,
                         _scalars_to_tensors(init_val))


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if not isinstance(unroll, bool) and (not isinstance(unroll, int) or unroll < 1):
        raise ValueError(f"`unroll` must be a positive int or a bool. Received: {unroll}")
    return lax.scan(f, _scalars_to_tensors(init), xs=xs, length=length, reverse=reverse,
                    unroll=unroll)


def associative_scan(f, elems, reverse=False, axis=0):
    elems = jax.tree_util.tree_map(convert_to_tensor, elems)
    leaves = jax.tree_util.tree_leaves(elems)
    if not leaves:
        raise ValueError("associative_scan needs at least one tensor in `elems`.")
    ndim = leaves[0].ndim
    if not -ndim <= axis < ndim:
        raise ValueError(f"axis {axis} is out of range for a rank {ndim} input.")
    return lax.associative_scan(f, elems, reverse=bool(reverse), axis=axis % ndim)


def switch(index, branches, *operands):
    index = jnp.clip(convert_to_tensor(index, "int32"), 0, len(branches) - 1)
    return lax.switch(index, branches, *operands)


def map(f, xs):
    return lax.map(f, xs)


def vectorized_map(function, elements):
    return jax.vmap(function)(elements)


def custom_gradient(f):
    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        args = tuple(convert_to_tensor(a) if not isinstance(a, jax.Array) else a for a in args)

        def fun(*inner_args):
            out, grad_fn = f(*inner_args, **kwargs)

            def vjp(upstream):
                grads = grad_fn(upstream)
                if not isinstance(grads, (tuple, list)):
                    grads = (grads,)
                grads = tuple(grads)
                if len(grads) != len(inner_args):
                    raise ValueError(
                        f"The gradient function returned {len(grads)} gradients for "
                        f"{len(inner_args)} inputs."
                    )
                return tuple(
                    jnp.zeros_like(a) if g is None else jnp.asarray(g, dtype=a.dtype)
                    for g, a in zip(grads, inner_args)
                )

            return out, vjp

        return jax.custom_gradient(fun)(*args)

    return wrapper


# --------------------------------------------------------------------------- indexing


def _index_tuple(indices):
    indices = convert_to_tensor(indices)
    if not dtypes.is_int(indices.dtype):
        indices = indices.astype("int32")
    if indices.ndim == 0:
        indices = indices[None]
    return tuple(jnp.moveaxis(indices, -1, 0))


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    zeros = jnp.zeros(tuple(shape), values.dtype)
    return zeros.at[_index_tuple(indices)].add(values)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    ref = inputs.at[_index_tuple(indices)]
    if reduction is None:
        return ref.set(updates)
    ops = {"add": ref.add, "max": ref.max, "min": ref.min, "mul": ref.multiply}
    if reduction not in ops:
        raise ValueError(f"Unsupported reduction {reduction!r}; expected one of {list(ops)}.")
    return ops[reduction](updates)


def _start_list(start_indices, rank):
    if isinstance(start_indices, (list, tuple)):
        return [convert_to_tensor(s, "int32") if not isinstance(s, int) else s
                for s in start_indices]
    start = convert_to_tensor(start_indices)
    return [start[i] for i in range(rank)]


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    return lax.dynamic_slice(inputs, _start_list(start_indices, inputs.ndim), tuple(shape))


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, inputs.dtype)
    return lax.dynamic_update_slice(inputs, updates, _start_list(start_indices, inputs.ndim))


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    n = x.shape[axis]
    if num is not None and num != n:
        raise ValueError(f"Cannot unstack {n} entries along axis {axis} into num={num}.")
    return [lax.index_in_dim(x, i, axis, keepdims=False) for i in range(n)]


# --------------------------------------------------------------------------- devices


@contextlib.contextmanager
def device_scope(device_name):
    if isinstance(device_name, jax.Device):
        device = device_name
    else:
        name = str(device_name).lower()
        kind, _, idx = name.partition(":")
        kind = {"cuda": "gpu"}.get(kind, kind)
        if kind not in ("cpu", "gpu", "tpu"):
            raise ValueError(
                f"Invalid device name {device_name!r}; expected 'cpu', 'gpu' or 'tpu'."
            )
        try:
            index = int(idx) if idx else 0
            device = jax.devices(kind)[index]
        except (RuntimeError, IndexError, ValueError) as e:
            raise ValueError(f"Device {device_name!r} is not available: {e}") from None
    with jax.default_device(device):
        yield


# --------------------------------------------------------------------------- tracing & grads


def _is_keras_tensor(x):
    return isinstance(x, KerasTensor)


def compute_output_spec(fn, *args, **kwargs):
    leaves, treedef = optree.tree_flatten(
        (args, kwargs), is_leaf=_is_keras_tensor, none_is_leaf=True
    )
    symbolic = [i for i, leaf in enumerate(leaves) if isinstance(leaf, KerasTensor)]

    def concrete_fn(*placeholders):
        filled = list(leaves)
        for i, p in zip(symbolic, placeholders):
            filled[i] = p
        a, k = optree.tree_unflatten(treedef, filled)
        return fn(*a, **k)

    specs = [jax.ShapeDtypeStruct(leaves[i].shape, leaves[i].dtype) for i in symbolic]
    out = jax.eval_shape(concrete_fn, *specs)

    def to_keras(x):
        if isinstance(x, jax.ShapeDtypeStruct):
            return KerasTensor(x.shape, dtypes.standardize_dtype(x.dtype))
        return x

    return jax.tree_util.tree_map(to_keras, out)


def value_and_grad(fn, argnums=0, has_aux=False):
    return jax.value_and_grad(fn, argnums=argnums, has_aux=has_aux)


def grad(fn, argnums=0, has_aux=False):
    return jax.grad(fn, argnums=argnums, has_aux=has_aux)


def jit(fn, jit_compile=None, donate_argnums=()):
    if jit_compile is False:
        return fn
    return jax.jit(fn, donate_argnums=donate_argnums)


def jit_step(fn, jit_compile=None, donate=False):
    return jit(fn, jit_compile, donate_argnums=(0,) if donate else ())  # XLA reuses buffers


def inference_scope():
    return contextlib.nullcontext()  # jax records nothing outside its transforms
