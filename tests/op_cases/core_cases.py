"""Op cases: core ops that take tensors."""
# ruff: noqa: F403, F405

from op_cases.base import *

# --------------------------------------------------------------------------------------------
# core ops that take tensors


def _cast_ref(x, dtype):
    return np.asarray(x).astype(dtype)


def _saturate_ref(x, dtype):
    x = np.asarray(x)
    if np.dtype(dtype).kind in "iu":
        info = np.iinfo(dtype)
        lo, hi = info.min, info.max
    elif dtype in ("float16", "float32", "float64"):
        info = np.finfo(dtype)
        lo, hi = info.min, info.max
    else:
        return x.astype(dtype)
    return np.clip(x, lo, hi).astype(dtype)


core_case("cast", lambda: (np.array([-2.7, -0.5, 0.0, 1.9, 3.5], "float32"), "int32"), _cast_ref,
          name="float_int_truncates", dtype="int32", ref_f64=False)
core_case("cast", lambda: (I((2, 3), -5, 5), "float32"), _cast_ref, name="int_float",
          dtype="float32")
core_case("cast", lambda: (np.array([0.0, 2.0, -0.1], "float32"), "bool"), _cast_ref,
          name="float_bool", dtype="bool")
core_case("cast", lambda: (B((2, 3)), "float32"), _cast_ref, name="bool_float", dtype="float32")
core_case("cast", lambda: (np.array([1.0, 2.5, 1000.0], "float32"), "float16"), _cast_ref,
          name="float16", dtype="float16", ref_f64=False, grad=False)
core_case("cast", lambda: (N((2, 3)), "float64"), _cast_ref, name="float64", dtype="float64",
          ref_f64=False, grad_args=(0,))
core_case("saturate_cast", lambda: (np.array([-5.0, 0.0, 12.3, 300.7], "float32"), "uint8"),
          _saturate_ref, dtype="uint8", ref_f64=False, name="uint8")
core_case("saturate_cast", lambda: (np.array([-300, -5, 100, 400], "int32"), "int8"),
          _saturate_ref, dtype="int8", name="int8")
core_case("saturate_cast", lambda: (N((2, 3)), "float32"), _saturate_ref, dtype="float32",
          name="float_float", ref_f64=False, grad=False)
core_case("saturate_cast", lambda: (N((2, 3), dtype="float64"), "float64"), _saturate_ref,
          dtype="float64", name="float64", ref_f64=False)
core_case("stop_gradient", lambda: (N((2, 3)),), lambda x: x.copy(), grad=False)


def _scatter_ref(indices, values, shape):
    out = np.zeros(shape, dtype=values.dtype)
    idx = np.asarray(indices)
    np.add.at(out, tuple(idx[..., i] for i in range(idx.shape[-1])), values)
    return out


def _scatter_update_ref(inputs, indices, updates, reduction=None):
    out = np.array(inputs, copy=True)
    idx = np.asarray(indices)
    key = tuple(idx[..., i] for i in range(idx.shape[-1]))
    if reduction is None:
        out[key] = updates
    else:
        {"add": np.add, "max": np.maximum, "min": np.minimum, "mul": np.multiply}[reduction].at(
            out, key, updates)
    return out


core_case("scatter", lambda: (np.array([[0, 1], [2, 0], [0, 1]], "int32"), N((3,)), (3, 2)),
          _scatter_ref, name="duplicates", grad_args=(1,))
core_case("scatter", lambda: (np.array([[1], [3]], "int32"), N((2, 3)), (4, 3)), _scatter_ref,
          name="rows", grad_args=(1,))
core_case("scatter_update", lambda: (N((3, 4)), np.array([[0, 1], [2, 3]], "int32"), N((2,), seed=1)),
          _scatter_update_ref, name="elements", grad_args=(0, 2))
core_case("scatter_update", lambda: (N((4, 2)), np.array([[1], [3]], "int32"), N((2, 2), seed=1)),
          _scatter_update_ref, name="rows", grad_args=(0, 2))
core_case("scatter_update", lambda: (N((3, 4)), np.array([[0, 1], [0, 1], [2, 2]], "int32"),
                                     N((3,), seed=1)),
          _scatter_update_ref, kwargs={"reduction": "add"}, name="add", grad_args=(0, 2))
core_case("scatter_update", lambda: (I((3,), 0, 5), np.array([[0], [2]], "int32"),
                                     np.array([7, 9], "int32")),
          _scatter_update_ref, name="int32", dtype="int32")


def _slice_ref(x, start, shape):
    return x[tuple(slice(s, s + n) for s, n in zip(start, shape))]


def _slice_update_ref(x, start, updates):
    out = np.array(x, copy=True)
    out[tuple(slice(s, s + n) for s, n in zip(start, updates.shape))] = updates
    return out


core_case("slice", lambda: (N((3, 4, 2)), (1, 0, 1), (2, 3, 1)), _slice_ref)
core_case("slice", lambda: (N((5,)), np.array([2], "int32"), (3,)), _slice_ref, name="tensor_start")
core_case("slice_update", lambda: (N((3, 4)), (1, 2), N((2, 2), seed=1)), _slice_update_ref)
core_case("slice_update", lambda: (I((4,), 0, 5), (1,), np.array([7, 8], "int32")),
          _slice_update_ref, name="int32")
core_case("unstack", lambda: (N((3, 2)),), lambda x, num=None, axis=0: list(np.moveaxis(x, axis, 0)))
core_case("unstack", lambda: (N((2, 3, 2)),), lambda x, num=None, axis=0: list(np.moveaxis(x, axis, 0)),
          kwargs={"axis": 1, "num": 3}, name="axis1")
core_case("convert_to_tensor", lambda: (N((2, 3)),), lambda x: x.copy(), name="float32",
          ref_f64=False)
core_case("convert_to_tensor", lambda: (I((2, 3), -100, 100, dtype="int8"),), lambda x: x.copy(),
          name="int8", dtype="int8")
core_case("convert_to_tensor", lambda: (B((3,)),), lambda x: x.copy(), name="bool", dtype="bool")
core_case("convert_to_tensor", lambda: (N((3,), dtype="float16"),), lambda x: x.copy(),
          name="float16", dtype="float16", ref_f64=False, rtol=0, atol=0)
core_case("convert_to_tensor", lambda: (N((3,), dtype="float64"),), lambda x: x.copy(),
          name="float64", dtype="float64", ref_f64=False, rtol=0, atol=0)
core_case("convert_to_tensor", lambda: (I((3,), 0, 9, dtype="uint8"),), lambda x: x.copy(),
          name="uint8", dtype="uint8")
core_case("convert_to_tensor", lambda: (2.5,), lambda x: np.array(x, "float32"), name="pyfloat",
          dtype=FLOATX)
core_case("convert_to_tensor", lambda: (3,), lambda x: np.array(x, "int32"), name="pyint",
          dtype="int32")
core_case("convert_to_tensor", lambda: ([[1.0, 2.0], [3.0, 4.0]],), lambda x: np.array(x, "float32"),
          name="float_list", dtype=FLOATX)
core_case("convert_to_tensor", lambda: ([1, 2, 3],), lambda x: np.array(x, "int32"),
          name="int_list", dtype="int32")
core_case("convert_to_tensor", lambda: (I((3,), 0, 9),), lambda x, dtype: x.astype(dtype),
          kwargs={"dtype": "float32"}, name="dtype", dtype="float32")

# Every core op taking tensors above is also run through convert_to_numpy by the test harness;
# convert_to_numpy is the harness's own reader, so it is covered by every case.
def _associative_scan(f, elems, reverse=False, axis=0):
    """Sequential reference: out[i] = f(out[i - 1], x[i]) (f(out[i + 1], x[i]) when reversed)."""
    is_seq = isinstance(elems, (list, tuple))
    leaves = list(elems) if is_seq else [elems]
    n = leaves[0].shape[axis]

    def wrap(items):
        return type(elems)(items) if is_seq else items[0]

    def unwrap(tree):
        return list(tree) if is_seq else [tree]

    acc, outs = None, [None] * n
    for i in (range(n - 1, -1, -1) if reverse else range(n)):
        x = wrap([np.take(leaf, [i], axis=axis) for leaf in leaves])
        acc = x if acc is None else f(acc, x)
        outs[i] = unwrap(acc)
    return wrap([np.concatenate([o[k] for o in outs], axis=axis) for k in range(len(leaves))])


def _plus(a, b):
    return a + b


def _matmul(a, b):  # associative, not commutative: catches a wrong operand order
    return a @ b


def _sum_and_product(a, b):
    return [a[0] + b[0], a[1] * b[1]]


core_case("associative_scan", lambda: (_plus, N((2, 5))), _associative_scan, kwargs={"axis": 1},
          name="add_axis1")
core_case("associative_scan", lambda: (_matmul, N((7, 2, 2)) * 0.8), _associative_scan,
          name="matmul", rtol=1e-4)
core_case("associative_scan", lambda: (_matmul, N((6, 2, 2)) * 0.8), _associative_scan,
          kwargs={"reverse": True}, name="matmul_reverse", rtol=1e-4)
core_case("associative_scan", lambda: (_sum_and_product, [N((5, 2)), U((5, 2), 0.5, 1.5)]),
          _associative_scan, name="structure")
core_case("associative_scan", lambda: (_matmul, I((5, 2, 2), -2, 3)), _associative_scan,
          name="int32")

