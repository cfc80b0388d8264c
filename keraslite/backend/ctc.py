"""CTC prefix beam search in numpy, shared by every backend.

Beam search is a sequential, data-dependent loop over a few hundred prefixes: it runs on the
host, and each backend wraps it (directly, or as a host callback under its compiler). One
implementation means every backend returns the same paths, tie-breaks included.
"""

import numpy as np


def _log_softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return x - np.log(np.sum(np.exp(x), axis=-1, keepdims=True))


def _decode_one(logp, blank, beam_width, top_paths):
    """Best `top_paths` labellings of one (time, classes) log-probability matrix."""
    neg_inf = -np.inf
    # prefix -> [log p(prefix, ending in blank), log p(prefix, ending in a label)]
    beams = {(): [0.0, neg_inf]}
    labels = [c for c in range(logp.shape[1]) if c != blank]
    for step in logp:
        grown = {}

        def add(prefix, slot, value):
            entry = grown.setdefault(prefix, [neg_inf, neg_inf])
            entry[slot] = np.logaddexp(entry[slot], value)

        for prefix, (p_blank, p_label) in beams.items():
            total = np.logaddexp(p_blank, p_label)
            add(prefix, 0, total + step[blank])
            for c in labels:
                if prefix and prefix[-1] == c:
                    add(prefix + (c,), 1, p_blank + step[c])  # a blank separated the repeat
                    add(prefix, 1, p_label + step[c])  # the repeat collapses
                else:
                    add(prefix + (c,), 1, total + step[c])
        ranked = sorted(grown.items(), key=lambda kv: (-np.logaddexp(*kv[1]), kv[0]))
        beams = dict(ranked[:beam_width])
    ranked = sorted(beams.items(), key=lambda kv: (-np.logaddexp(*kv[1]), kv[0]))[:top_paths]
    return [(list(p), float(np.logaddexp(*s))) for p, s in ranked]


def beam_search_decode(inputs, sequence_lengths, beam_width, top_paths, mask_index):
    """numpy (paths int32 (top_paths, batch, time), log-probs (batch, top_paths)) of the contract's
    ctc_decode with strategy='beam_search'."""
    inputs = np.asarray(inputs)
    dtype = inputs.dtype if inputs.dtype.kind == "f" and inputs.dtype.itemsize >= 4 else np.float32
    logp = _log_softmax(inputs.astype(np.float64))
    batch, time, classes = logp.shape
    blank = classes - 1 if mask_index is None else int(mask_index)
    lengths = np.asarray(sequence_lengths).reshape(-1)
    paths = np.full((top_paths, batch, time), -1, np.int32)
    scores = np.full((batch, top_paths), -np.inf)
    for b in range(batch):
        best = _decode_one(logp[b, : int(lengths[b])], blank, int(beam_width), int(top_paths))
        for k, (path, score) in enumerate(best):
            paths[k, b, : len(path)] = path
            scores[b, k] = score
    return paths, scores.astype(dtype)
