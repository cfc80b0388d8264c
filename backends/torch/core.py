"""Core ops of the torch backend: conversion, control flow, gradients, devices.

Also holds the small helpers the other modules share (dtype mapping, conversion of pairs).
"""

import builtins
import contextlib
import functools

import numpy as np
import optree
import torch

from keraslite import config
from keraslite.backend import dtypes
from keraslite.backend.keras_tensor import KerasTensor
from keraslite.backend.variables import Variable

try:  # bfloat16 numpy arrays; keraslite depends on ml_dtypes, but stay usable without it
    import ml_dtypes
except ImportError:  # pragma: no cover
    ml_dtypes = None

# ---------------------------------------------------------------------------------------------
# dtypes and devices

_TORCH_DTYPES = {
    "float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
    "float64": torch.float64, "uint8": torch.uint8, "uint16": torch.uint16,
    "uint32": torch.uint32, "uint64": torch.uint64, "int8": torch.int8, "int16": torch.int16,
    "int32": torch.int32, "int64": torch.int64, "bool": torch.bool,
    "complex64": torch.complex64, "complex128": torch.complex128,
}
_FROM_TORCH = {v: k for k, v in _TORCH_DTYPES.items()}

# Stack of devices set by device_scope; "meta" is pushed by compute_output_spec.
_DEVICES = []


def to_torch_dtype(dtype):
    if isinstance(dtype, torch.dtype):
        return dtype
    found = _TORCH_DTYPES.get(dtype) if isinstance(dtype, str) else None
    return found if found is not None else _TORCH_DTYPES[dtypes.standardize_dtype(dtype)]


def dtype_name(dtype):
    """Standardized name of a torch dtype (or anything standardize_dtype takes)."""
    if isinstance(dtype, torch.dtype):
        return _FROM_TORCH[dtype]
    return dtypes.standardize_dtype(dtype)


_CPU = torch.device("cpu")


def default_device():
    return _DEVICES[-1] if _DEVICES else _CPU


def _is_python_scalar(x):
    return isinstance(x, (bool, int, float, complex)) and not isinstance(x, np.generic)


def _infer_list_dtype(x):
    """Keras-like dtype of a nested Python list: bools, ints -> int32, floats -> floatx."""
    leaves = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for e in v:
                walk(e)
        else:
            leaves.append(v)

    walk(x)
    if not leaves:
        return config.floatx()
    return dtypes.result_type(*leaves)


def _numpy_to_torch(x):
    x = np.asarray(x)
    if ml_dtypes is not None and x.dtype == ml_dtypes.bfloat16:
        raw = torch.from_numpy(np.ascontiguousarray(x).view(np.int16).copy())
        return raw.view(torch.bfloat16)
    if x.dtype.kind in "US" or x.dtype == object:
        raise ValueError(f"Cannot convert an array of dtype {x.dtype} to a torch tensor.")
    if x.flags.writeable and x.flags.c_contiguous and x.dtype.isnative:
        return torch.from_numpy(x)  # shares the memory, as Keras' torch backend does
    return torch.from_numpy(np.array(x, copy=True, order="C"))


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    if type(x) is torch.Tensor and dtype is None and not sparse and not ragged:
        return x  # the hot case: already a tensor, nothing asked
    if sparse:
        raise ValueError("The torch backend does not support sparse tensors.")
    if ragged:
        raise ValueError("The torch backend does not support ragged tensors.")
    if isinstance(x, Variable):
        x = x.value
    want = None if dtype is None else to_torch_dtype(dtype)
    device = default_device()
    if isinstance(x, torch.Tensor):
        out = x
    elif _is_python_scalar(x):
        kind = dtypes.result_type(x) if not isinstance(x, bool) else "bool"
        out = torch.tensor(x, dtype=want or to_torch_dtype(kind), device=device)
    elif isinstance(x, (list, tuple)):
        out = _convert_sequence(x, want, device)
    elif isinstance(x, KerasTensor):
        raise ValueError(f"A symbolic KerasTensor cannot be converted to a torch tensor: {x}")
    else:
        out = _numpy_to_torch(x).to(device)
    if want is not None and out.dtype != want:
        out = out.to(want)
    return out


def _convert_sequence(x, want, device):
    flat = optree.tree_leaves(list(x))
    if builtins.any(isinstance(v, (torch.Tensor, Variable, np.ndarray, np.generic)) for v in flat):
        # Lists holding tensors: stack the converted elements at a common dtype.
        parts = [convert_to_tensor(v) if not isinstance(v, (list, tuple))
                 else _convert_sequence(v, None, device) for v in x]
        common = want or to_torch_dtype(dtypes.result_type(*[dtype_name(p.dtype) for p in parts]))
        if not parts:
            return torch.zeros((0,), dtype=common, device=device)
        return torch.stack([p.to(device=device, dtype=common) for p in parts])
    kind = want or to_torch_dtype(_infer_list_dtype(x))
    return torch.tensor(x, dtype=kind, device=device)


def convert_to_numpy(x):
    if isinstance(x, Variable):
        x = x.value
    if not isinstance(x, torch.Tensor):
        return np.asarray(x)
    x = x.detach().cpu()
    # Always a copy (as Keras): optimizers update weights in place, and arrays handed out
    # earlier (get_weights, callbacks' best weights) must not change with them.
    if x.dtype == torch.bfloat16:
        if ml_dtypes is None:
            return x.float().numpy()
        return x.view(torch.int16).numpy().view(ml_dtypes.bfloat16).copy()
    return np.array(x.resolve_conj().resolve_neg().numpy())


def is_tensor(x):
    return isinstance(x, torch.Tensor)


def shape(x):
    if isinstance(x, (KerasTensor, Variable)):
        return tuple(x.shape)
    if isinstance(x, torch.Tensor):
        return tuple(int(d) for d in x.shape)
    return tuple(np.shape(x))


def dtype(x):
    if isinstance(x, (KerasTensor, Variable)):
        return dtypes.standardize_dtype(x.dtype)
    if isinstance(x, torch.Tensor):
        return dtype_name(x.dtype)
    return dtypes.standardize_dtype(convert_to_tensor(x).dtype)


def cast(x, dtype):
    x = convert_to_tensor(x)
    want = to_torch_dtype(dtype)
    return x if x.dtype == want else x.to(want)


def saturate_cast(x, dtype):
    x = convert_to_tensor(x)
    name = dtypes.standardize_dtype(dtype)
    src = dtype_name(x.dtype)
    if name == "bool" or src == "bool" or dtypes.is_complex(name):
        return cast(x, name)
    info = _dtype_range(name)
    if dtypes.is_float(src):
        lo, hi = info
        # clamp in float64 so that int bounds are exact enough, then the cast cannot overflow
        x = torch.clamp(x.to(torch.float64) if not dtypes.is_float(name) else x, lo, hi)
        if dtypes.is_int(name) and float(hi) > hi:
            # float64 rounds 2**63 - 1 up to 2**63, which would overflow; stay one ulp below
            top = float(np.nextafter(float(hi), 0))
            x = torch.clamp(x, max=top)
        return x.to(to_torch_dtype(name))
    lo, hi = info
    src_lo, src_hi = _dtype_range(src)
    lo, hi = builtins.max(lo, src_lo), builtins.min(hi, src_hi)
    if dtypes.is_float(name):
        return x.to(to_torch_dtype(name))
    wide = x.to(torch.int64) if src != "uint64" else x
    return torch.clamp(wide, int(lo), int(hi)).to(to_torch_dtype(name))


def _dtype_range(name):
    if dtypes.is_float(name):
        f = torch.finfo(to_torch_dtype(name))
        return float(f.min), float(f.max)
    i = np.iinfo(name)
    return int(i.min), int(i.max)


def stop_gradient(variable):
    return convert_to_tensor(variable).detach()


# ---------------------------------------------------------------------------------------------
# control flow


def _as_python_bool(pred):
    if isinstance(pred, (torch.Tensor, Variable)):
        return bool(convert_to_tensor(pred).reshape(()).item())
    return bool(pred)


def cond(pred, true_fn, false_fn):
    return true_fn() if _as_python_bool(pred) else false_fn()


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    is_seq = isinstance(loop_vars, (list, tuple))
    seq_type = type(loop_vars) if is_seq else tuple
    state = tuple(loop_vars) if is_seq else (loop_vars,)
    steps = 0
    while maximum_iterations is None or steps < int(maximum_iterations):
        if not _as_python_bool(cond(*state)):
            break
        out = body(*state)
        state = tuple(out) if isinstance(out, (list, tuple)) else (out,)
        steps += 1
    if not is_seq:
        return state[0]
    return list(state) if seq_type is list else state


def fori_loop(lower, upper, body_fun, init_val):
    val = init_val
    for i in range(_as_int(lower), _as_int(upper)):
        val = body_fun(i, val)
    return val


def _as_int(x):
    if isinstance(x, (torch.Tensor, Variable)):
        return int(convert_to_tensor(x).item())
    return int(x)


def _tree_leaves(tree):
    return optree.tree_leaves(tree, none_is_leaf=False)


def _stack_trees(trees):
    """Stack a list of equal-structure trees leaf by leaf along a new leading axis."""
    if not trees:
        return None
    leaves0, treedef = optree.tree_flatten(trees[0], none_is_leaf=False)
    columns = [optree.tree_leaves(t, none_is_leaf=False) for t in trees]
    stacked = [torch.stack([convert_to_tensor(c[i]) for c in columns]) for i in range(len(leaves0))]
    return optree.tree_unflatten(treedef, stacked)


def _leading_size(tree):
    leaves = _tree_leaves(tree)
    if not leaves:
        raise ValueError("Cannot infer the number of steps from an empty structure.")
    return int(convert_to_tensor(leaves[0]).shape[0])


def _index_tree(tree, i):
    return optree.tree_map(lambda v: convert_to_tensor(v)[i], tree, none_is_leaf=False)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None and length is None:
        raise ValueError("scan needs `xs` or `length`.")
    n = _leading_size(xs) if xs is not None else int(length)
    if xs is not None and length is not None and int(length) != n:
        raise ValueError(f"scan: length={length} does not match the leading axis {n} of xs.")
    carry = init
    ys = [None] * n
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = _index_tree(xs, i) if xs is not None else None
        carry, y = f(carry, x)
        ys[i] = y
    if n == 0 or ys[0] is None:
        return carry, None
    return carry, _stack_trees(ys)


def associative_scan(f, elems, reverse=False, axis=0):
    leaves, treedef = optree.tree_flatten(elems, none_is_leaf=False)
    if not leaves:
        raise ValueError("associative_scan needs at least one tensor in `elems`.")
    leaves = [convert_to_tensor(v) for v in leaves]
    ndim = leaves[0].ndim
    if not -ndim <= int(axis) < ndim:
        raise ValueError(f"axis {axis} is out of range for a rank {ndim} input.")
    axis = int(axis) % ndim
    n = int(leaves[0].shape[axis])
    for v in leaves:
        if v.ndim <= axis or int(v.shape[axis]) != n:
            raise ValueError("Every tensor in `elems` needs the same size along `axis`; got "
                             f"shapes {[tuple(t.shape) for t in leaves]}.")
    if reverse:
        leaves = [torch.flip(v, (axis,)) for v in leaves]

    def combine(a, b):
        out = f(optree.tree_unflatten(treedef, a), optree.tree_unflatten(treedef, b))
        out = optree.tree_leaves(out, none_is_leaf=False)
        if len(out) != len(a):
            raise ValueError("associative_scan: f must return the structure of its inputs.")
        return [convert_to_tensor(v) for v in out]

    def take(vs, start, stop=None, step=1):
        return [v.narrow(axis, 0, 0) if start >= v.shape[axis] else
                v[(builtins.slice(None),) * axis + (builtins.slice(start, stop, step),)]
                for v in vs]

    def interleave(even, odd):
        """even[0], odd[0], even[1], odd[1], ... along axis (len(even) is len(odd) or one more)."""
        out = []
        for e, o in zip(even, odd):
            m = o.shape[axis]
            if e.shape[axis] > m:  # pad odd with one slot, interleave, drop it again
                o = torch.cat([o, e.narrow(axis, e.shape[axis] - 1, 1)], dim=axis)
            both = torch.stack([e, o], dim=axis + 1)
            shp = list(e.shape)
            shp[axis] = e.shape[axis] + o.shape[axis]
            out.append(both.reshape(shp).narrow(axis, 0, e.shape[axis] + m))
        return out

    def scan_(vs):
        # Recursive doubling (as jax.lax.associative_scan): combine neighbour pairs, scan the
        # half-length result, then fix up the even positions; f runs 2 * log2(n) times.
        size = vs[0].shape[axis]
        if size < 2:
            return vs
        reduced = combine(take(vs, 0, -1, 2), take(vs, 1, None, 2))
        odd = scan_(reduced)
        rest = take(vs, 2, None, 2)
        if rest[0].shape[axis] == 0:
            even = take(vs, 0, 1)
        else:
            prev = take(odd, 0, -1) if size % 2 == 0 else odd
            even = [torch.cat([v0, r], dim=axis)
                    for v0, r in zip(take(vs, 0, 1), combine(prev, rest))]
        return interleave(even, odd)

    out = scan_(leaves)
    if reverse:
        out = [torch.flip(v, (axis,)) for v in out]
    return optree.tree_unflatten(treedef, out)


def switch(index, branches, *operands):
    i = builtins.min(builtins.max(_as_int(index), 0), len(branches) - 1)
    return branches[i](*operands)


def map(f, xs):
    n = _leading_size(xs)
    outs = [f(_index_tree(xs, i)) for i in range(n)]
    return _stack_trees(outs)


def vectorized_map(function, elements):
    elements = optree.tree_map(convert_to_tensor, elements, none_is_leaf=False)
    try:
        return torch.vmap(function)(elements)
    except Exception:  # data-dependent control flow etc.: fall back to a Python loop
        return map(function, elements)


class _CustomGradient(torch.autograd.Function):
    """Runs f on the flat inputs; backward calls the grad_fn that f returned."""

    @staticmethod
    def forward(ctx, f, treedef, holder, *flat):
        args, kwargs = optree.tree_unflatten(treedef, list(flat))
        output, grad_fn = f(*args, **kwargs)
        out_leaves, out_def = optree.tree_flatten(output, none_is_leaf=False)
        holder.append(out_def)  # the caller rebuilds the output structure from it
        ctx.grad_fn = grad_fn
        ctx.tensor_mask = [isinstance(v, torch.Tensor) for v in flat]
        return tuple(convert_to_tensor(v) for v in out_leaves)

    @staticmethod
    def backward(ctx, *upstream):
        grads = ctx.grad_fn(*upstream)
        grads = list(grads) if isinstance(grads, (list, tuple)) else [grads]
        it = iter(grads)
        out = []
        for is_tensor_input in ctx.tensor_mask:
            g = next(it, None) if is_tensor_input else None
            out.append(None if g is None else convert_to_tensor(g))
        return (None, None, None, *out)


def custom_gradient(f):
    def wrapper(*args, **kwargs):
        flat, treedef = optree.tree_flatten((args, kwargs), none_is_leaf=True)
        flat = [convert_to_tensor(v) if isinstance(v, Variable) else v for v in flat]
        holder = []
        outs = _CustomGradient.apply(f, treedef, holder, *flat)
        return optree.tree_unflatten(holder[0], list(outs))

    return wrapper


# ---------------------------------------------------------------------------------------------
# scatter / slicing


def _flat_index(indices, shape_):
    """Row-major linear index into the first k dims of shape_ for (N, k) indices."""
    k = indices.shape[-1]
    strides = []
    acc = 1
    for d in reversed(shape_[:k]):
        strides.append(acc)
        acc *= d
    strides = torch.tensor(list(reversed(strides)), dtype=torch.int64, device=indices.device)
    idx = indices.to(torch.int64)
    idx = torch.where(idx < 0, idx + torch.tensor(shape_[:k], device=idx.device), idx)
    return (idx * strides).sum(-1), acc


def scatter(indices, values, shape):
    values = convert_to_tensor(values)
    zeros = torch.zeros(tuple(int(d) for d in shape), dtype=values.dtype, device=values.device)
    return scatter_update(zeros, indices, values, reduction="add")


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = convert_to_tensor(inputs)
    indices = convert_to_tensor(indices).to(inputs.device)
    updates = convert_to_tensor(updates, dtype=inputs.dtype).to(inputs.device)
    shp = tuple(inputs.shape)
    k = indices.shape[-1]
    lin, rows = _flat_index(indices.reshape(-1, k), shp)
    rest = shp[k:]
    flat = inputs.reshape((rows, *rest)).clone()
    upd = updates.reshape((-1, *rest))
    if reduction is None:
        flat[lin] = upd
    elif reduction == "add":
        flat = flat.index_add(0, lin, upd)
    elif reduction in ("max", "min", "mul"):
        how = {"max": "amax", "min": "amin", "mul": "prod"}[reduction]
        idx = lin.reshape((-1,) + (1,) * len(rest)).expand(upd.shape)
        flat = flat.scatter_reduce(0, idx, upd, reduce=how, include_self=True)
    else:
        raise ValueError(f"Unknown reduction {reduction!r}; use None, 'add', 'max', 'min', 'mul'.")
    return flat.reshape(shp)


def _starts(start_indices, full_shape, sizes):
    """Start indices as ints, clamped so the block fits (like jax.lax.dynamic_slice)."""
    if isinstance(start_indices, (torch.Tensor, Variable, np.ndarray)):
        start_indices = convert_to_numpy(start_indices).tolist()
    out = []
    for s, d, n in zip(start_indices, full_shape, sizes):
        s = _as_int(s)
        out.append(builtins.min(builtins.max(s, 0), builtins.max(d - n, 0)))
    return out


def slice(inputs, start_indices, shape):
    inputs = convert_to_tensor(inputs)
    sizes = [int(d) for d in shape]
    sizes = [inputs.shape[i] if d == -1 else d for i, d in enumerate(sizes)]
    starts = _starts(start_indices, inputs.shape, sizes)
    key = tuple(builtins.slice(s, s + n) for s, n in zip(starts, sizes))
    return inputs[key]


def slice_update(inputs, start_indices, updates):
    inputs = convert_to_tensor(inputs)
    updates = convert_to_tensor(updates, dtype=inputs.dtype).to(inputs.device)
    starts = _starts(start_indices, inputs.shape, updates.shape)
    key = tuple(builtins.slice(s, s + n) for s, n in zip(starts, updates.shape))
    out = inputs.clone()
    out[key] = updates
    return out


def unstack(x, num=None, axis=0):
    x = convert_to_tensor(x)
    if num is not None and x.shape[axis] != num:
        raise ValueError(f"unstack: num={num} but axis {axis} has size {x.shape[axis]}.")
    return list(torch.unbind(x, axis))


# ---------------------------------------------------------------------------------------------
# devices


def _parse_device(device_name):
    if isinstance(device_name, torch.device):
        return device_name
    name = str(device_name).lower()
    if name.startswith("/"):
        name = name.lstrip("/")
    if name.startswith("device:"):
        name = name[len("device:"):]
    kind, _, idx = name.partition(":")
    kind = {"gpu": "cuda"}.get(kind, kind)
    if kind not in ("cpu", "cuda", "mps", "meta", "xpu"):
        raise ValueError(f"Unknown device {device_name!r}; expected 'cpu', 'gpu:N' or 'cuda:N'.")
    return torch.device(f"{kind}:{idx}" if idx else kind)


@contextlib.contextmanager
def device_scope(device_name):
    dev = _parse_device(device_name)
    _DEVICES.append(dev)
    try:
        yield
    finally:
        _DEVICES.pop()


# ---------------------------------------------------------------------------------------------
# abstract evaluation, gradients, compilation


def _to_spec(x):
    if isinstance(x, torch.Tensor):
        return KerasTensor(tuple(x.shape), dtype_name(x.dtype))
    return x


def compute_output_spec(fn, *args, **kwargs):
    def placeholders(make):
        def conv(x):
            if isinstance(x, KerasTensor):
                if None in x.shape:
                    raise ValueError(f"compute_output_spec needs fully known shapes: {x}")
                return make(x.shape, to_torch_dtype(x.dtype))
            return x

        return optree.tree_map(conv, (args, kwargs), none_is_leaf=True)

    try:
        _DEVICES.append(torch.device("meta"))
        try:
            a, k = placeholders(lambda s, d: torch.empty(s, dtype=d, device="meta"))
            with torch.no_grad():
                out = fn(*a, **k)
        finally:
            _DEVICES.pop()
    except Exception:
        # Some ops need data (e.g. .item()); run them on small real zeros instead.
        a, k = placeholders(lambda s, d: torch.zeros(s, dtype=d))
        with torch.no_grad():
            out = fn(*a, **k)
    return optree.tree_map(_to_spec, out, none_is_leaf=True)


def _argnums_tuple(argnums):
    return (argnums,) if isinstance(argnums, int) else tuple(argnums)


def value_and_grad(fn, argnums=0, has_aux=False):
    def wrapped(*args, **kwargs):
        args = list(args)
        nums = _argnums_tuple(argnums)
        defs, sources = {}, []
        for i in nums:
            leaves, treedef = optree.tree_flatten(args[i], none_is_leaf=False)
            new = []
            for leaf in leaves:
                t = convert_to_tensor(leaf)
                if t.is_floating_point() or t.is_complex():
                    t = t.detach().requires_grad_(True)
                new.append(t)
            defs[i] = (treedef, new)
            args[i] = optree.tree_unflatten(treedef, new)
        with torch.enable_grad():
            out = fn(*args, **kwargs)
        value, aux = (out[0], out[1]) if has_aux else (out, None)
        value = convert_to_tensor(value)
        for i in nums:
            sources.extend(t for t in defs[i][1] if t.requires_grad)
        if sources and value.requires_grad:
            got = torch.autograd.grad(value, sources, allow_unused=True)
        else:
            got = [None] * len(sources)
        got = iter(got)
        grads = []
        for i in nums:
            treedef, leaves = defs[i]
            g_leaves = []
            for t in leaves:
                if t.requires_grad:
                    g = next(got)  # autograd.grad's results are already outside the graph
                    g_leaves.append(torch.zeros_like(t) if g is None else g)
                else:
                    g_leaves.append(None)
            grads.append(optree.tree_unflatten(treedef, g_leaves))
        grads = grads[0] if isinstance(argnums, int) else tuple(grads)
        detach = lambda v: v.detach() if isinstance(v, torch.Tensor) else v  # noqa: E731
        value = value.detach()
        if has_aux:
            return (value, optree.tree_map(detach, aux, none_is_leaf=True)), grads
        return value, grads

    return wrapped


def grad(fn, argnums=0, has_aux=False):
    vg = value_and_grad(fn, argnums=argnums, has_aux=has_aux)

    def wrapped(*args, **kwargs):
        (value, grads) = vg(*args, **kwargs)
        if has_aux:
            return grads, value[1]
        return grads

    return wrapped


def jit(fn, jit_compile=None, donate_argnums=()):
    if jit_compile is True:
        return torch.compile(fn)
    return fn


def jit_step(fn, jit_compile=None, donate=False):
    # a donated state is updated in place by the fused optimizer kernels (StatelessScope)
    return jit(fn, jit_compile)


def inference_scope():
    return torch.no_grad()  # value_and_grad re-enables recording for its own call


# ---------------------------------------------------------------------------------------------
# helpers shared by the other modules of this backend


def to_tensor_like(x, ref):
    """x as a tensor on ref's device (for scalars/arrays combined with ref)."""
    t = convert_to_tensor(x)
    if isinstance(ref, torch.Tensor) and t.device != ref.device:
        t = t.to(ref.device)
    return t


@functools.lru_cache(maxsize=1024)
def _weak_scalar(value, dtype, device):
    # Optimizer and loss code combine tensors with the same few constants on every step;
    # torch.tensor() costs more than the arithmetic. Ops never write into their inputs here.
    return torch.tensor(value, dtype=dtype, device=device)


# dtypes that Keras' promotion keeps when paired with themselves (64-bit types narrow)
_SELF_STABLE = {torch.float16, torch.bfloat16, torch.float32, torch.int8, torch.int16,
                torch.int32, torch.uint8, torch.uint16, torch.uint32, torch.bool,
                torch.complex64}
_WEAK_RESULTS = {}


def _weak_result(dtype, kind):
    """The torch dtype Keras' rules give a tensor of `dtype` with a weak Python `kind` scalar
    (int or float), remembered per floatx."""
    key = (dtype, kind, config.floatx())
    found = _WEAK_RESULTS.get(key)
    if found is None:
        found = _WEAK_RESULTS[key] = to_torch_dtype(dtypes.result_type(dtype_name(dtype), kind))
    return found


def _fast_promote(a, b):
    """[a, b] for the common pairs (same-dtype tensors, a tensor with a weak int or float
    scalar) without the general path's conversions, else None."""
    if isinstance(a, torch.Tensor):
        if isinstance(b, torch.Tensor):
            if a.dtype == b.dtype and a.dtype in _SELF_STABLE and a.device == b.device:
                return [a, b]
        elif type(b) is float or type(b) is int:
            want = _weak_result(a.dtype, type(b))
            return [a if a.dtype == want else a.to(want), _weak_scalar(b, want, a.device)]
    elif isinstance(b, torch.Tensor) and (type(a) is float or type(a) is int):
        want = _weak_result(b.dtype, type(a))
        return [_weak_scalar(a, want, b.device), b if b.dtype == want else b.to(want)]
    return None


def promote(*xs, dtype=None):
    """Convert all xs to tensors of result_type(xs) (Python scalars weak) on one device."""
    if dtype is None and len(xs) == 2:
        fast = _fast_promote(*xs)
        if fast is not None:
            return fast
    want = dtype or dtypes.result_type(*[_dtype_of(x) for x in xs])
    tensors = [x for x in xs if isinstance(x, torch.Tensor)]
    dev = tensors[0].device if tensors else default_device()
    out = [convert_to_tensor(x, dtype=want) for x in xs]
    return [t if t.device == dev else t.to(dev) for t in out]


def _dtype_of(x):
    """What result_type should see for x: Python scalars stay weak, the rest by dtype name."""
    if _is_python_scalar(x):
        return x
    if isinstance(x, torch.Tensor):
        return dtype_name(x.dtype)
    if isinstance(x, (Variable, KerasTensor)):
        return x.dtype
    if isinstance(x, (list, tuple)):
        return _infer_list_dtype(x)
    return dtypes.standardize_dtype(np.asarray(x).dtype)
