"""Every op of the contract against its numpy reference, on the active backend.

The cases live in the op_cases package (one module per contract group). For each case: the values (test_values), the output dtype per
the contract's dtype rule (test_dtype), numpy inputs accepted as-is (test_numpy_arguments) and,
for differentiable ops, the gradient of sum(op(x) * w), computed by a jit-compiled
keraslite.backend.value_and_grad, against central finite differences of the numpy reference
in float64 (test_grad).
"""

import numpy as np
import op_cases
import pytest

from keraslite import backend, config, ops
from keraslite.backend import contract

SPECS = contract.specs()
PRIVATE = contract.private_names()
CASES = op_cases.CASES
CHECKED_GROUPS = ("numpy", "nn", "math", "linalg", "image")


# ------------------------------------------------------------------------------------------
# helpers


def _map(fn, x):
    if isinstance(x, (list, tuple)):
        return type(x)(_map(fn, v) for v in x)
    return fn(x)


def _leaves(x):
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in _leaves(v)]
    return [x]


def _is_float_array(a):
    return isinstance(a, np.ndarray) and a.dtype.kind == "f"


def _has_float(a):
    return any(_is_float_array(v) for v in _leaves(a))


def _f64(a):
    return a.astype(np.float64) if _is_float_array(a) else a


def _tensor(a):
    return ops.convert_to_tensor(a) if isinstance(a, np.ndarray) else a


def _numpy(x):
    if isinstance(x, list):
        return [_numpy(v) for v in x]
    if isinstance(x, tuple):  # also namedtuples such as jax's SVDResult
        return tuple(_numpy(v) for v in x)
    if isinstance(x, (bool, int, float, np.ndarray, np.generic)):
        return np.asarray(x)
    return np.asarray(ops.convert_to_numpy(x))


def op_fn(case):
    if case.op in PRIVATE:  # fused kernels the frontend calls through keraslite.backend
        return getattr(getattr(backend, case.group), case.op)
    if case.group == "image":
        return getattr(ops.image, case.op)
    if case.group == "linalg":
        return getattr(ops.linalg, case.op)
    return getattr(ops, case.op)


def call(case, args, kwargs=None, convert=True):
    kwargs = case.kwargs if kwargs is None else kwargs
    if convert and case.op != "convert_to_tensor":
        args = _map(_tensor, args)
        kwargs = {k: _map(_tensor, v) for k, v in kwargs.items()}
    return op_fn(case)(*args, **kwargs)


def reference(case, args):
    ref_args = _map(_f64, args) if case.ref_f64 else args
    kwargs = {k: _map(_f64, v) for k, v in case.kwargs.items()} if case.ref_f64 else case.kwargs
    return case.ref(*ref_args, **kwargs)


def assert_close(actual, expected, rtol, atol, check_values=True, path="out"):
    if isinstance(expected, (list, tuple)):
        assert isinstance(actual, (list, tuple)), f"{path}: expected a sequence, got {type(actual)}"
        assert len(actual) == len(expected), f"{path}: {len(actual)} outputs != {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_close(a, e, rtol, atol, check_values, f"{path}[{i}]")
        return
    a, e = np.asarray(actual), np.asarray(expected)
    assert a.shape == e.shape, f"{path}: shape {a.shape} != expected {e.shape}"
    if a.dtype.kind == "c" or e.dtype.kind == "c":  # compare real and imaginary parts
        a, e = np.stack([a.real, a.imag], -1), np.stack([e.real, e.imag], -1)
    if not check_values:
        return
    if e.dtype.kind in "biu" and a.dtype.kind in "biu":
        np.testing.assert_array_equal(a, e, err_msg=path)
    else:
        np.testing.assert_allclose(a.astype(np.float64), e.astype(np.float64), rtol=rtol,
                                   atol=atol, equal_nan=True, err_msg=path)


def _canon(case, out):
    return case.canon(out) if case.canon is not None else out


# ------------------------------------------------------------------------------------------
# coverage of the contract


def test_every_contract_op_has_a_case():
    have = {(c.group, c.op) for c in CASES}
    missing = [f"{g}.{name}" for g in CHECKED_GROUPS for name in SPECS[g]
               if (g, name) not in have and name not in op_cases.SKIPPED]
    missing += [f"core.{name}" for name in op_cases.CORE_TENSOR_OPS if ("core", name) not in have]
    assert not missing, f"contract ops without a test case: {missing}"


def test_case_names_are_contract_ops():
    unknown = [c.id for c in CASES if c.op not in SPECS[c.group]]
    assert not unknown


def _wants_grad(case):
    spec = SPECS[case.group][case.op]
    flag = spec.grad if case.grad is None else case.grad
    if not flag:
        return False
    args = case.make()
    pos = case.grad_args if case.grad_args is not None else range(len(args))
    if not any(_has_float(args[p]) for p in pos):
        return False
    out = _leaves(reference(case, args))
    return any(np.asarray(o).dtype.kind == "f" for o in out)


GRAD_CASES = [c for c in CASES if _wants_grad(c)]


def test_every_differentiable_op_has_a_grad_case():
    have = {(c.group, c.op) for c in GRAD_CASES}
    missing = [f"{g}.{name}" for g in CHECKED_GROUPS + ("core",) for name, spec in SPECS[g].items()
               if spec.grad and (g, name) not in have and name not in op_cases.GRAD_SKIPPED
               and name not in op_cases.SKIPPED and (g != "core" or name in op_cases.CORE_TENSOR_OPS)]
    assert not missing, f"differentiable ops without a gradient check: {missing}"


# ------------------------------------------------------------------------------------------
# values and dtypes


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_values(case):
    args = case.make()
    out = _numpy(call(case, args))
    expected = reference(case, args)
    assert_close(_canon(case, out), _canon(case, expected), case.rtol, case.atol,
                 case.check_values)


def _dtype_name(x):
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "pyint"
    return backend.standardize_dtype(x.dtype)


def expected_dtypes(case, args):
    """Output dtype(s) the contract prescribes for these inputs."""
    if case.dtype is not None:
        return case.dtype
    rule = SPECS[case.group][case.op].rule
    leaves = [a for a in _leaves(args) if isinstance(a, (np.ndarray, bool, int, float))]
    first = args[0]
    if rule == "unary_float":
        return first.dtype.name if first.dtype.kind == "f" else config.floatx()
    if rule == "same":
        return first.dtype.name
    if rule == "promote":
        return backend.result_type(*leaves)
    if rule == "promote_float":
        return backend.result_type(*leaves, float)
    if rule == "bool":
        return "bool"
    # custom: what the reference returns, with floats following the float inputs
    float_in = [a.dtype.name for a in leaves if _is_float_array(a)]
    out = []
    for o in _leaves(reference(case, args)):
        kind = np.asarray(o).dtype.kind
        if isinstance(o, (int, np.integer)) and not isinstance(o, np.ndarray):
            out.append("pyint")
        elif kind == "b":
            out.append("bool")
        elif kind in "iu":
            name = np.asarray(o).dtype.name
            out.append({"int64": "int32", "uint64": "uint32"}.get(name, name))
        else:
            out.append(backend.result_type(*float_in) if float_in else config.floatx())
    return out[0] if len(out) == 1 and not isinstance(reference(case, args), (list, tuple)) else tuple(out)


@pytest.mark.parametrize("case", [c for c in CASES if c.dtype != "skip"], ids=lambda c: c.id)
def test_dtype(case):
    args = case.make()
    out = call(case, args)
    want = expected_dtypes(case, args)
    if isinstance(out, (list, tuple)):
        got = tuple(_dtype_name(o) for o in out)
        if isinstance(want, str):
            want = (want,) * len(got)
        assert got == tuple(want)
    else:
        assert _dtype_name(out) == want


_FIRST_PER_OP = list({(c.group, c.op): c for c in reversed(CASES)}.values())[::-1]


@pytest.mark.parametrize("case", _FIRST_PER_OP, ids=lambda c: c.id)
def test_numpy_arguments(case):
    """Ops take numpy arrays directly (no convert_to_tensor by the caller)."""
    args = case.make()
    out = _numpy(call(case, args, convert=False))
    assert_close(_canon(case, out), _canon(case, reference(case, args)), case.rtol, case.atol,
                 case.check_values)


# ------------------------------------------------------------------------------------------
# gradients


def _identity(v, xp):
    return v


def finite_differences(loss, values, eps=1e-6):
    """Central differences of loss(values) for every float leaf of values (modified in place)."""
    grads = []
    for leaf in _leaves(values):
        if not _is_float_array(leaf):
            grads.append(None)
            continue
        g = np.zeros(leaf.shape)
        for idx in np.ndindex(*leaf.shape):
            orig = leaf[idx]
            leaf[idx] = orig + eps
            plus = loss(values)
            leaf[idx] = orig - eps
            minus = loss(values)
            leaf[idx] = orig
            g[idx] = (plus - minus) / (2 * eps)
        grads.append(g)
    return grads


@pytest.mark.parametrize("case", GRAD_CASES, ids=lambda c: c.id)
def test_grad(case):
    args = list(_map(_f64, case.make()))
    kwargs = {k: _map(_f64, v) for k, v in case.kwargs.items()}
    pos = list(case.grad_args if case.grad_args is not None
               else [i for i, a in enumerate(args) if _has_float(a)])
    pre = case.grad_pre or _identity
    post = case.grad_post or _identity

    def assemble(diff):
        full = list(args)
        for p, v in zip(pos, diff):
            full[p] = v
        return tuple(full)

    ref_out = _leaves(post(case.ref(*pre(assemble([args[p] for p in pos]), np), **kwargs), np))
    float_out = [i for i, o in enumerate(ref_out) if np.asarray(o).dtype.kind == "f"]
    rng = np.random.default_rng(1234)
    ws = {i: rng.standard_normal(np.shape(ref_out[i])) for i in float_out}

    def np_loss(diff):
        out = _leaves(post(case.ref(*pre(assemble(diff), np), **kwargs), np))
        return float(sum(np.sum(np.asarray(out[i], np.float64) * ws[i]) for i in float_out))

    t_args = [_map(_tensor, a) for a in args]
    t_kwargs = {k: _map(_tensor, v) for k, v in kwargs.items()}

    def loss(*diff):
        full = list(t_args)
        for p, v in zip(pos, diff):
            full[p] = v
        out = _leaves(post(op_fn(case)(*pre(tuple(full), ops), **t_kwargs), ops))
        total = 0.0
        for i in float_out:
            w = ops.cast(ops.convert_to_tensor(ws[i]), backend.standardize_dtype(out[i].dtype))
            total = ops.add(total, ops.sum(ops.multiply(out[i], w)))
        return total

    diff_np = [_map(np.copy, args[p]) for p in pos]
    # Compiled: checks gradients under jit too, and is several times faster on jax.
    value_and_grad = backend.jit(backend.value_and_grad(loss, argnums=tuple(range(len(pos)))))
    value, grads = value_and_grad(*[t_args[p] for p in pos])
    expected_value = np_loss(diff_np)
    np.testing.assert_allclose(float(_numpy(value)), expected_value, rtol=1e-4,
                               atol=1e-4 * max(1.0, abs(expected_value)))

    fd = finite_differences(np_loss, diff_np)
    got = _leaves(_numpy(list(grads)))
    leaves = _leaves(diff_np)
    assert len(got) == len(leaves), f"{len(got)} gradients for {len(leaves)} inputs"
    for i, (g, e, x) in enumerate(zip(got, fd, leaves)):
        if e is None:
            continue
        assert g.shape == x.shape, f"grad[{i}] shape {g.shape} != input shape {x.shape}"
        scale = max(1.0, float(np.max(np.abs(e)))) if e.size else 1.0
        np.testing.assert_allclose(g.astype(np.float64), e, rtol=case.grad_rtol,
                                   atol=case.grad_atol * scale, err_msg=f"grad[{i}]")
