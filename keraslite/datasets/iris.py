"""The Iris flowers: 150 samples, 4 measurements (cm), 3 species. Shipped with keraslite."""

import pathlib

import numpy as np

SPECIES = ("setosa", "versicolor", "virginica")
_PATH = pathlib.Path(__file__).parent / "data" / "iris.csv"


def load_data(test_split=0.2, seed=113):
    """((x_train, y_train), (x_test, y_test)): float32 features (n, 4) and int64 labels 0..2,
    shuffled with `seed` before splitting off the last `test_split` fraction."""
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), received {test_split}.")
    raw = np.genfromtxt(_PATH, delimiter=",", skip_header=2, dtype=str)
    x = raw[:, :4].astype("float32")
    y = np.array([SPECIES.index(s) for s in raw[:, 4]], dtype="int64")
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(round(len(x) * (1 - test_split)))
    return (x[:split], y[:split]), (x[split:], y[split:])
