"""Core ops: tensors and conversion, control flow, gradients, compilation and device placement.
"""
from keraslite.backend.contract.spec import op

PRIVATE = ('compute_output_spec', 'value_and_grad', 'grad', 'jit', 'jit_step', 'inference_scope',
           'device_scope')

@op("custom", grad=False)
def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """Native tensor from x (array, scalar, list, Variable, tensor). Python floats become floatx,
    Python ints int32, numpy arrays keep their dtype unless `dtype` is given.
    `sparse`/`ragged` must be None or False. The result may share memory with a numpy input
    (torch's does, as in Keras): no op writes into its inputs, and writing into the array
    afterwards is the caller's business."""

@op("custom", grad=False)
def convert_to_numpy(x):
    """A numpy array with the same values, dtype (bfloat16 via ml_dtypes) and shape."""

@op("custom", grad=False)
def is_tensor(x):
    """True for this backend's native tensor type (not numpy arrays, not Variables)."""

@op("custom", grad=False)
def shape(x):
    """Shape as a tuple of Python ints (None for a dimension unknown while tracing)."""

@op("custom", grad=False)
def dtype(x):
    """Standardized dtype name of x, e.g. 'float32'."""

@op("custom", grad=True)
def cast(x, dtype):
    """x converted to `dtype`; float->int truncates toward zero. Gradient flows between float
    dtypes."""

@op("custom", grad=True)
def saturate_cast(x, dtype):
    """Like cast, but values are clipped to the range of `dtype` first."""

@op("same", grad=False)
def stop_gradient(variable):
    """x, with no gradient flowing back through it."""

@op("custom", grad=True)
def cond(pred, true_fn, false_fn):
    """true_fn() if pred else false_fn(); both branches must return the same structure. Works under
    jit."""

@op("custom", grad=False)
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeat `loop_vars = body(*loop_vars)` while cond(*loop_vars), at most maximum_iterations
    times; returns loop_vars with the structure given (a tuple/list stays one, a single
    tensor stays single)."""

@op("custom", grad=False)
def fori_loop(lower, upper, body_fun, init_val):
    """val = body_fun(i, val) for i in range(lower, upper); returns val."""

@op("custom", grad=True)
def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """carry, y = f(carry, x) over the leading axis of xs (or `length` times with x=None); returns
    (final_carry, stacked ys)."""

@op("custom", grad=True)
def associative_scan(f, elems, reverse=False, axis=0):
    """Inclusive prefix scan of elems along `axis` with the associative binary f(a, b); elems may
    be a tensor or a nested structure of tensors sharing that axis (f takes and returns the same
    structure): out[i] = f(...f(f(x[0], x[1]), x[2])..., x[i]). reverse=True scans the flipped
    elems and flips the result back, so out[i] = x[n-1] . ... . x[i] with later elements on
    f's left. f is called on slices that keep the scanned axis, so it must be element-wise over
    it; backends may bracket the calls in any way (f must be associative). Output has the
    structure, shapes and dtypes of elems."""

@op("custom", grad=True)
def switch(index, branches, *operands):
    """branches[index](*operands), index clamped to the valid range."""

@op("custom", grad=True)
def map(f, xs):
    """Stack of f(x) over the leading axis of xs (any structure)."""

@op("custom", grad=True)
def vectorized_map(function, elements):
    """Stack of function(x) over the leading axis of elements, vectorized where the framework can."""

@op("custom", grad=True)
def custom_gradient(f):
    """Decorator: f returns (output, grad_fn); grad_fn(*upstream, variables=None)-style as Keras:
    called with the upstream gradient, returns input gradients."""

@op("custom", grad=True)
def scatter(indices, values, shape):
    """Zeros of `shape` with `values` added at `indices` (duplicates accumulate)."""

@op("custom", grad=True)
def scatter_update(inputs, indices, updates, reduction=None):
    """inputs with the entries at `indices` replaced by `updates` (reduction=None) or combined with
    them ('add','max','min','mul')."""

@op("same", grad=True)
def slice(inputs, start_indices, shape):
    """Sub-tensor starting at start_indices with the given static shape."""

@op("same", grad=True)
def slice_update(inputs, start_indices, updates):
    """inputs with the block at start_indices replaced by updates."""

@op("same", grad=True)
def unstack(x, num=None, axis=0):
    """List of tensors along `axis`."""

@op("custom", grad=False)
def device_scope(device_name):
    """Context manager placing new tensors on device_name ('cpu', 'gpu:0', ...); unknown device
    types raise ValueError."""

@op("custom", grad=False)
def compute_output_spec(fn, *args, **kwargs):
    """Run fn abstractly: args/kwargs may contain KerasTensor with fully known shapes; returns the
    same structure fn would with every tensor replaced by a KerasTensor(shape, dtype). No
    real compute on the data."""

@op("custom", grad=False)
def value_and_grad(fn, argnums=0, has_aux=False):
    """Return g(*args) -> (value, grads) for fn(*args) returning a scalar (or (scalar, aux) with
    has_aux, then ((value, aux), grads)). argnums: int or tuple of ints; grads mirror the
    structure of those args. Args are nested lists/tuples/dicts of tensors."""

@op("custom", grad=False)
def grad(fn, argnums=0, has_aux=False):
    """Like value_and_grad but returns only grads (or (grads, aux) with has_aux)."""

@op("custom", grad=False)
def jit(fn, jit_compile=None, donate_argnums=()):
    """Compiled version of fn (pure function of its tensor arguments). jit_compile=False returns fn
    unchanged; True asks for XLA where the framework has it; None is the backend default
    (jax.jit, tf.function, eager on torch). donate_argnums names arguments the caller will not
    use again, whose buffers the compiled function may reuse for its outputs (jax does; others
    may ignore it)."""

@op("custom", grad=False)
def jit_step(fn, jit_compile=None, donate=False):
    """Compiled state update: fn(state, data) -> (outputs, new_state), state a flat list of
    tensors, new_state aligned with it (None where a value is unchanged). The result takes and
    returns the same; the caller replaces its state with the non-None entries. A backend may
    keep the state resident between calls and update it in place: new_state may then hold the
    backend's own holders of every entry (tensorflow returns its tf.Variables, and passing them
    back costs nothing). donate=True: the caller gives up `state` and fn returns every entry
    (jax reuses the buffers). jit_compile as for jit."""

@op("custom", grad=False)
def inference_scope():
    """Context manager around steps that take no gradient themselves (test and predict run
    eagerly): the backend may stop recording for autodiff inside it (torch does, which saves
    its per-op bookkeeping). value_and_grad called inside it still differentiates."""
