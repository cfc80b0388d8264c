"""Cross-backend layer conformance: every layer case recorded from real Keras 3.15.1 (by
tests/data/make_keras_layers_*.py) is run on torch, jax and tensorflow, each in its own process,
with the recorded weights and inputs. Prints, per layer class, the number of cases and the
largest difference of each backend from Keras and between backends; exits non-zero when one
exceeds the tolerance, when an output's shape or dtype differs from Keras', or when a case
raises. (The per-backend suites check the same cases one backend at a time, with gradients,
configs and errors; this table puts the backends side by side.)

The cases, each compared output by output:
- the layer_recorder files (keras_layers_{basic,conv,misc,core_more,attention}.json "cases"):
  one call, one output;
- keras_layers_rnn.json: "layers" (SimpleRNN, LSTM, GRU, RNN over cells and stacked cells,
  Bidirectional, TimeDistributed; masks, initial states, every output of return_state),
  "cells" (one step: the output and the new states) and "stateful" (two calls, reset_state(),
  a third call);
- keras_layers_attention.json "call_cases": the attention layers called with their keyword
  arguments (query/value/key, masks carried by the inputs or passed, attention_mask, causal
  masks, sliding windows; the output and, with return_attention_scores, the scores);
- keras_layers_core_more.json "extra": ConvLSTM2D with an initial state and return_state, a
  stateful ConvLSTM1D, ReversibleEmbedding's reverse call.
Recorded error cases, models and configs are checked by the per-backend suites only. What
cannot run here is in SKIPPED, printed with the table.

Usage: python tests/conformance_layers.py
"""

import itertools
import json
import os
import pathlib
import subprocess
import sys
import time
import traceback

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
DATA = HERE / "data"
BACKENDS = ("torch", "jax", "tensorflow")
# worker processes per backend, run in parallel: jax compiles every op and scan eagerly, so it
# takes ~10x torch's time; two halves keep both CI cores busy
SHARDS = {"jax": 2}
RECORDER_FILES = ("keras_layers_basic.json", "keras_layers_conv.json", "keras_layers_misc.json",
                  "keras_layers_core_more.json", "keras_layers_attention.json")
# per output: max |got - Keras| <= TOL * (1 + max |Keras|). Every case is within ~1e-6 today
# (the 4-step recurrences and ReversibleEmbedding's float16 reverse output included), so no
# class or dtype gets a looser one.
TOL = 1e-5

# recorded, but nothing this table can compare: class name -> why
SKIPPED = {
    "Lambda": "Keras recorded only get_config() and symbolic output shapes/dtypes (core_more "
              "extra['lambda']), no inputs or outputs; tests/test_layers_core_more.py checks "
              "them on each backend",
    "Wrapper": "an abstract base (the call is a subclass's); Keras recorded only its config "
               "(core_more extra['wrapper_config']), checked by tests/test_layers_core_more.py",
}


def load(filename):
    return json.loads((DATA / filename).read_text())


def arr(e):
    return np.asarray(e["data"], dtype=e["dtype"]).reshape(e["shape"])


def records():
    """[(key, class name, kind, case, Keras' outputs as encoded arrays)] for every case the
    table runs: the same list in the main process (for Keras' values) and in the workers."""
    out = []
    for filename in RECORDER_FILES:
        for case in load(filename)["cases"]:
            out.append((f"{filename}:{case['id']}", case["class_name"], "recorder", case,
                        [case["output"]]))
    rnn = load("keras_layers_rnn.json")
    for case in rnn["layers"]:
        out.append((f"rnn:{case['name']}", case["spec"]["class"], "rnn_layer", case,
                    case["outputs"]))
    for case in rnn["cells"]:
        out.append((f"rnn.cells:{case['name']}", case["spec"]["class"], "rnn_cell", case,
                    case["outputs"]))
    for case in rnn["stateful"]:
        out.append((f"rnn.stateful:{case['name']}", case["spec"]["class"], "rnn_stateful", case,
                    [o for call in case["outputs"] for o in call]))
    for case in load("keras_layers_attention.json")["call_cases"]:
        want = [case["output"]] + ([case["scores"]] if case["scores"] is not None else [])
        out.append((f"attention.calls:{case['id']}", case["class_name"], "attention_call", case,
                    want))
    extra = load("keras_layers_core_more.json")["extra"]
    out.append(("core_more.extra:conv_lstm_states", "ConvLSTM2D", "conv_lstm_states",
                extra["conv_lstm_states"], extra["conv_lstm_states"]["outputs"]))
    out.append(("core_more.extra:conv_lstm_stateful", "ConvLSTM1D", "conv_lstm_stateful",
                extra["conv_lstm_stateful"], extra["conv_lstm_stateful"]["outputs"]))
    for case in extra["reverse"]:
        out.append((f"core_more.extra:reverse_{case['id']}", "ReversibleEmbedding", "reverse",
                    case, [case["output"]]))
    return out


# ------------------------------------------------------------------------------------ worker


def worker(shard, shards):
    """Runs every shards-th record from `shard` on this process' backend (KERASLITE_BACKEND);
    prints {key: [[shape, dtype, values] per output] or the error} as one json line."""
    sys.path.insert(0, str(HERE))
    import layer_checks as lc

    from keraslite import backend, layers, ops
    from keraslite.backend.masking import set_keras_mask
    from keraslite.utils import tree

    def tensor(e):
        return ops.convert_to_tensor(arr(e))

    def tensors(x):  # an encoded array or a nested list of them
        return [tensors(v) for v in x] if isinstance(x, list) else tensor(x)

    def built(layer, build, weights):
        build(layer)
        layer.set_weights([arr(w) for w in weights])
        return layer

    # recurrent layers are built with build(shape), not a first call: on jax each call of a
    # recurrent layer compiles its scan anew, and that compilation is most of the table's time

    def recorder(case):
        # a wrapped layer (SpectralNormalization's) is recorded as its config
        case["kwargs"] = {k: layers.deserialize(v) if isinstance(v, dict) and "class_name" in v
                          else v for k, v in case["kwargs"].items()}
        layer = lc.make_layer(case)
        _, call_in = lc.case_inputs(case)
        return [layer(call_in, **lc.call_kwargs(case))]

    def rnn_layer(case):
        x = tensor(case["input"])
        kwargs = {}
        if case["mask"] is not None:
            kwargs["mask"] = tensor(case["mask"])
        if case["initial_state"] is not None:
            kwargs["initial_state"] = tensors(case["initial_state"])
        layer = built(lc.build_spec(case["spec"]), lambda lay: lay.build(tuple(x.shape)),
                      case["weights"])
        return tree.flatten(layer(x, **kwargs))

    def rnn_cell(case):
        x, states = tensor(case["input"]), tensors(case["states"])
        cell = built(lc.build_spec(case["spec"]), lambda c: c(x, states), case["weights"])
        return tree.flatten(cell(x, states))

    def rnn_stateful(case):
        xs = [tensor(x) for x in case["inputs"]]
        layer = built(lc.build_spec(case["spec"]), lambda lay: lay.build(tuple(xs[0].shape)),
                      case["weights"])
        layer.reset_state()
        outs = [layer(xs[0]), layer(xs[1])]
        layer.reset_state()
        outs.append(layer(xs[0]))
        return tree.flatten(outs)

    def attention_call(case):
        def call(layer):
            named = {n: tensor(e) for n, e in case["inputs"].items()}
            for n, same in case["same_as"].items():  # self-attention: the same tensor
                named[n] = named[same]
            kwargs = dict(case["call_kwargs"])
            kwargs.update({k: tensor(m) for k, m in case["mask_args"].items()})
            if case["attention_mask"] is not None:
                kwargs["attention_mask"] = tensor(case["attention_mask"])
            masks = {n: tensor(m) for n, m in case["masks"].items()}
            if case["list_input"]:  # Attention, AdditiveAttention: layer([q, v(, k)], mask=)
                if masks:
                    kwargs["mask"] = [masks.get(n) for n in case["names"]]
                return layer([named[n] for n in case["names"]], **kwargs)
            for n, m in masks.items():  # as an Embedding(mask_zero=True) output carries it
                set_keras_mask(named[n], m)
            return layer(*[named[n] for n in case["names"]], **kwargs)

        layer = built(getattr(layers, case["class_name"])(**case["kwargs"]), call,
                      [w["value"] for w in case["weights"]])
        return tree.flatten(call(layer))

    def conv_lstm_states(case):
        x, state = tensor(case["input"]), tensors(case["initial_state"])
        layer = built(layers.ConvLSTM2D(**case["kwargs"]), lambda lay: lay.build(tuple(x.shape)),
                      case["weights"])
        return tree.flatten(layer(x, initial_state=state))

    def conv_lstm_stateful(case):
        xs = [tensor(x) for x in case["inputs"]]
        layer = built(layers.ConvLSTM1D(**case["kwargs"]),
                      lambda lay: lay.build(tuple(xs[0].shape)), case["weights"])
        layer.reset_state()
        outs = [layer(xs[0]), layer(xs[1])]
        layer.reset_state()
        outs.append(layer(xs[1]))
        return outs

    def reverse(case):
        layer = built(layers.ReversibleEmbedding(**case["kwargs"]),
                      lambda lay: lay(np.zeros((1, 2), "int32")), case["weights"])
        return [layer(tensor(case["input"]), reverse=True)]

    runners = {fn.__name__: fn for fn in (recorder, rnn_layer, rnn_cell, rnn_stateful,
                                          attention_call, conv_lstm_states, conv_lstm_stateful,
                                          reverse)}
    out = {}
    for key, _, kind, case, _ in records()[shard::shards]:
        try:
            out[key] = [[list(o.shape), backend.standardize_dtype(o.dtype),
                         lc.to_np(o).astype("float64").ravel().tolist()]
                        for o in runners[kind](case)]
        except Exception as e:  # noqa: BLE001  (reported, and it fails the run)
            where = traceback.extract_tb(e.__traceback__)[-1]
            out[key] = (f"{type(e).__name__}: {e} "
                        f"({pathlib.Path(where.filename).name}:{where.lineno})")
    print(json.dumps(out))


# ------------------------------------------------------------------------------------ table


def run_workers():
    """{backend: {key: outputs or error}}, from every backend's worker processes at once."""
    procs = [(b, subprocess.Popen([sys.executable, __file__, "--worker", str(i), str(n)],
                                  env=dict(os.environ, KERASLITE_BACKEND=b),
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
             for b in BACKENDS for n in [SHARDS.get(b, 1)] for i in range(n)]
    got = {b: {} for b in BACKENDS}
    for b, proc in procs:
        stdout, stderr = proc.communicate()
        if proc.returncode:
            sys.exit(f"{b} worker failed:\n{stderr[-3000:]}")
        got[b].update(json.loads(stdout.strip().splitlines()[-1]))
    return got


def max_diff(a, b):
    return float(np.max(np.abs(a - b), initial=0.0))


def main():
    start = time.monotonic()
    recs = records()
    got = run_workers()
    rows, failures = {}, []
    for key, cls, _, case, want_enc in recs:
        want = [arr(e) for e in want_enc]
        values = {}
        for b in BACKENDS:
            outputs = got[b].get(key, "missing from the worker's output")
            if isinstance(outputs, str):
                failures.append(f"{key} on {b}: {outputs}")
            elif [(s, d) for s, d, _ in outputs] != [(list(w.shape), str(w.dtype)) for w in want]:
                failures.append(f"{key} on {b}: outputs (shape, dtype) "
                                f"{[(tuple(s), d) for s, d, _ in outputs]}, Keras "
                                f"{[(w.shape, str(w.dtype)) for w in want]}")
            else:
                values[b] = [np.asarray(v) for _, _, v in outputs]
        row = rows.setdefault(cls, {"cases": 0, **{b: 0.0 for b in BACKENDS}, "pairs": 0.0})
        row["cases"] += 1
        for b, vs in values.items():
            for i, (v, w) in enumerate(zip(vs, want)):
                w64 = w.astype("float64").ravel()
                diff = max_diff(v, w64)
                row[b] = max(row[b], diff)
                if diff > TOL * (1 + float(np.max(np.abs(w64), initial=0.0))):
                    failures.append(f"{key} on {b}: output {i}: max |diff| from Keras "
                                    f"{diff:.2e} (tolerance {TOL:.0e})")
        for a, b in itertools.combinations(values, 2):
            row["pairs"] = max([row["pairs"]] + [max_diff(va, vb) for va, vb
                                                 in zip(values[a], values[b])])

    print(f"{'layer':28s} {'cases':>5s} " + " ".join(f"{b:>11s}" for b in BACKENDS)
          + f" {'pairs':>10s}   (max |output - Keras|; max between backends)")
    for cls, row in sorted(rows.items()):
        print(f"{cls:28s} {row['cases']:5d} " + " ".join(f"{row[b]:11.2e}" for b in BACKENDS)
              + f" {row['pairs']:10.2e}")
    print(f"{len(rows)} layer classes, {sum(r['cases'] for r in rows.values())} cases, "
          f"{time.monotonic() - start:.0f} s")
    for cls, why in sorted(SKIPPED.items()):
        print(f"skipped {cls}: {why}")
    if failures:
        print("\n".join(failures))
        sys.exit(f"{len(failures)} layer case failures (beyond tolerance, wrong shape or dtype, "
                 "or raised)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
