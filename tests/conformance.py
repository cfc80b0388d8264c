"""Cross-backend conformance: every op case on torch, jax and tensorflow in one process.

Each backend's modules are imported directly (keraslite_backends.<name>.<group>), so the same
numpy inputs go through every framework. Output dtypes must be identical on every backend.
Prints one row per case: the largest absolute and
relative difference of each backend from the numpy reference and of each backend pair, and
exits non-zero when a difference exceeds the case's tolerance (pairs get twice the tolerance,
since each side may be off by one tolerance from the reference).

Usage: python tests/conformance.py [substring-filter]
"""

import importlib
import itertools
import pathlib
import sys
import warnings

import numpy as np

import keraslite  # noqa: E402, F401  (load the active backend before importing the others)

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import op_cases  # noqa: E402

BACKENDS = ("torch", "jax", "tensorflow")


def load(name, group):
    return importlib.import_module(f"keraslite_backends.{name}.{group}")


def leaves(x):
    if isinstance(x, (list, tuple)):
        return [leaf for v in x for leaf in leaves(v)]
    return [x]


def real_view(x):
    """Complex arrays compared as (..., 2) real arrays."""
    x = np.asarray(x)
    return np.stack([x.real, x.imag], axis=-1) if x.dtype.kind == "c" else x


def to_numpy(core, x):
    if isinstance(x, (list, tuple)):
        return type(x)(to_numpy(core, v) for v in x)
    if isinstance(x, (bool, int, float, np.ndarray, np.generic)):
        return np.asarray(x)
    return np.asarray(core.convert_to_numpy(x))


def to_backend(core, x):
    if isinstance(x, (list, tuple)):
        return type(x)(to_backend(core, v) for v in x)
    return core.convert_to_tensor(x) if isinstance(x, np.ndarray) else x


def run_case(case, name):
    core = load(name, "core")
    fn = getattr(load(name, case.group), case.op)
    args = case.make()
    if case.op != "convert_to_tensor":
        args = to_backend(core, args)
    kwargs = {k: to_backend(core, v) for k, v in case.kwargs.items()}
    out = to_numpy(core, fn(*args, **kwargs))
    return case.canon(out) if case.canon else out


def dtypes_of(out):
    return [str(np.asarray(x).dtype) for x in leaves(out)]


def reference(case):
    def f64(a):
        return a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a

    args = case.make()
    if case.ref_f64:
        args = [f64(a) if not isinstance(a, (list, tuple)) else type(a)(map(f64, a)) for a in args]
    kwargs = {k: f64(v) for k, v in case.kwargs.items()} if case.ref_f64 else case.kwargs
    out = case.ref(*args, **kwargs)
    return case.canon(out) if case.canon else out


def difference(a, b):
    """(max abs diff, max rel diff, ok-within-1x-tolerance-fn) of two output structures."""
    la, lb = leaves(a), leaves(b)
    if len(la) != len(lb):
        return None
    worst_abs = worst_rel = 0.0
    for x, y in zip(la, lb):
        x, y = real_view(x), real_view(y)
        if x.shape != y.shape:
            return None
        if x.size == 0:
            continue
        x64, y64 = x.astype(np.float64), y.astype(np.float64)
        both_nan = np.isnan(x64) & np.isnan(y64)
        same_inf = np.isinf(x64) & (x64 == y64)
        d = np.where(both_nan | same_inf, 0.0, np.abs(x64 - y64))
        worst_abs = max(worst_abs, float(np.nanmax(np.where(np.isnan(d), np.inf, d))))
        rel = d / np.maximum(np.abs(y64), 1e-12)
        worst_rel = max(worst_rel, float(np.max(np.where(d == 0, 0.0, rel))))
    return worst_abs, worst_rel


def within(diff, case, factor):
    if diff is None:
        return False
    abs_d, rel_d = diff
    return abs_d <= factor * case.atol or rel_d <= factor * case.rtol


def main(argv):
    pattern = argv[1] if len(argv) > 1 else ""
    warnings.filterwarnings("ignore")
    for name in BACKENDS:
        load(name, "core")
    cases = [c for c in op_cases.CASES if pattern in c.id and c.check_values]
    pairs = list(itertools.combinations(BACKENDS, 2))
    header = ["case"] + [f"{b} vs numpy" for b in BACKENDS] + [f"{a} vs {b}" for a, b in pairs]
    rows, failures = [], []
    for case in cases:
        outs, row = {}, [case.id]
        for name in BACKENDS:
            try:
                outs[name] = run_case(case, name)
            except Exception as e:  # report every failure in the table, then fail
                outs[name] = None
                failures.append(f"{case.id} on {name}: {type(e).__name__}: {e}")
        ref = reference(case)
        for name in BACKENDS:
            d = difference(outs[name], ref) if outs[name] is not None else None
            row.append(d)
            if outs[name] is not None and not within(d, case, 1):
                failures.append(f"{case.id}: {name} differs from numpy {d}")
        kinds = {name: dtypes_of(outs[name]) for name in BACKENDS if outs[name] is not None}
        if len({tuple(v) for v in kinds.values()}) > 1:
            failures.append(f"{case.id}: output dtypes differ {kinds}")
        for a, b in pairs:
            ok = outs[a] is not None and outs[b] is not None
            d = difference(outs[a], outs[b]) if ok else None
            row.append(d)
            if ok and not within(d, case, 2):
                failures.append(f"{case.id}: {a} vs {b} {d}")
        rows.append(row)

    def fmt(d):
        return "error" if d is None else f"{d[0]:.1e}/{d[1]:.1e}"

    widths = [max(len(header[0]), *(len(r[0]) for r in rows))] + [max(len(h), 15) for h in header[1:]]
    print("max abs / max rel difference")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for r in rows:
        print("  ".join([r[0].ljust(widths[0])] + [fmt(d).ljust(w) for d, w in zip(r[1:], widths[1:])]))
    worst = {}
    for j, h in enumerate(header[1:], start=1):
        vals = [r[j] for r in rows if r[j] is not None]
        worst[h] = max(vals, key=lambda d: d[0]) if vals else None
    print("\nworst per column:", {h: fmt(d) for h, d in worst.items()})
    print(f"\n{len(rows)} cases on {len(BACKENDS)} backends")
    if failures:
        print(f"\n{len(failures)} conformance failures:")
        print("\n".join(failures))
        return 1
    print("all within tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
