"""Turning what users pass to fit/evaluate/predict into batches of (x, y, sample_weight).

Arrays (numpy, backend tensors, lists/dicts of them), Python generators, PyDataset, and the
framework pipelines tf.data.Dataset and torch DataLoader (recognised without importing their
framework) all become an iterator of numpy batches per epoch.
"""

import math

import numpy as np

from keraslite import backend
from keraslite.utils import tree
from keraslite.utils.py_dataset import PyDataset


def unpack_x_y_sample_weight(data):
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected as x, (x,), (x, y) or (x, y, sample_weight); received a "
                     f"tuple of length {len(data)}.")


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        return (x,) if not isinstance(x, (list, tuple)) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def _to_numpy(v):
    if v is None or isinstance(v, np.ndarray):
        return v
    if isinstance(v, (int, float, bool)):
        return np.asarray(v)
    if backend.is_tensor(v) or isinstance(v, backend.Variable):
        return np.asarray(backend.convert_to_numpy(v))
    if hasattr(v, "__array__"):  # tensors of another framework, pandas objects
        return np.asarray(v)
    return np.asarray(v)


def _framework_of(data):
    module = type(data).__module__ or ""
    if module.startswith("tensorflow") and hasattr(data, "as_numpy_iterator"):
        return "tf.data"
    if module.startswith("torch.utils.data"):
        return "torch"
    return None


class ArrayAdapter:
    """In-memory arrays: sliced into batches, optionally shuffled each epoch."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                 class_weight=None):
        self.data = tree.map_structure(_to_numpy, (x, y, sample_weight))
        lengths = {int(a.shape[0]) for a in tree.flatten(self.data) if _batched(a)}
        if len(lengths) > 1:
            raise ValueError(
                "Data cardinality is ambiguous: x, y and sample_weight must have the same number "
                f"of samples. Received sizes: {_sizes(self.data)}.")
        if not lengths:
            raise ValueError("Expected arrays with a leading batch dimension for x.")
        self.num_samples = lengths.pop()
        self.batch_size = batch_size or 32
        self.shuffle = shuffle
        if class_weight is not None:
            self.data = _apply_class_weight(self.data, class_weight)
        self.steps = steps if steps is not None else math.ceil(self.num_samples / self.batch_size)

    def epoch(self, rng=None):
        n, bs = self.num_samples, self.batch_size
        index = None  # in order: batches are slices (views), copied once when converted
        if self.shuffle == "batch" and rng is not None:
            starts = np.arange(0, n, bs)
            rng.shuffle(starts)
            index = np.concatenate([np.arange(s, min(s + bs, n)) for s in starts])
        elif self.shuffle and rng is not None:
            index = np.arange(n)
            rng.shuffle(index)
        if index is None and bs >= n and self.steps == 1:
            yield self.data  # one batch of everything: the arrays themselves, not slices
            return
        produced = 0
        while produced < self.steps:
            for start in range(0, n, bs):
                if produced >= self.steps:
                    return
                sel = slice(start, start + bs) if index is None else index[start:start + bs]
                yield tree.map_structure(lambda a, s=sel: a[s] if _batched(a) else a, self.data)
                produced += 1
            if self.steps <= math.ceil(n / bs):
                return


def _batched(a):
    return isinstance(a, np.ndarray) and a.ndim > 0


def _sizes(data):
    return [tuple(a.shape) for a in tree.flatten(data) if isinstance(a, np.ndarray)]


def _apply_class_weight(data, class_weight):
    x, y, sw = data
    if y is None or isinstance(y, (list, tuple, dict)):
        raise ValueError("class_weight is only supported for a single target array.")
    classes = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    classes = np.round(classes).astype(np.int64)
    weights = np.array([class_weight.get(int(c), 1.0) for c in classes], dtype="float32")
    sw = weights if sw is None else sw * weights
    return x, y, sw


class IteratorAdapter:
    """Generators, PyDataset, tf.data.Dataset, torch DataLoader: each yields whole batches."""

    def __init__(self, data, steps=None, class_weight=None):
        self.source = data
        self.kind = ("py_dataset" if isinstance(data, PyDataset)
                     else _framework_of(data) or "generator")
        self.class_weight = class_weight
        self.steps = steps
        if self.steps is None and self.kind == "py_dataset":
            self.steps = len(data)
        elif self.steps is None and hasattr(data, "__len__") and self.kind != "generator":
            try:
                self.steps = len(data)
            except TypeError:
                self.steps = None
        self._iterator = None

    def _fresh(self):
        if self.kind == "py_dataset":
            return (self.source[i] for i in range(len(self.source)))
        if self.kind == "tf.data":
            return self.source.as_numpy_iterator()
        if self.kind == "torch":
            return iter(self.source)
        if self._iterator is None:  # a generator is consumed once, across epochs
            self._iterator = iter(self.source)
        return self._iterator

    def epoch(self, rng=None):
        iterator = self._fresh()
        count = 0
        while self.steps is None or count < self.steps:
            try:
                batch = next(iterator)
            except StopIteration:
                if self.kind in ("generator",) or self.steps is None:
                    return
                iterator = self._fresh()  # datasets restart when steps exceed one pass
                continue
            x, y, sw = unpack_x_y_sample_weight(batch)
            data = tree.map_structure(_to_numpy, (x, y, sw))
            if self.class_weight is not None:
                data = _apply_class_weight(data, self.class_weight)
            yield data
            count += 1
        if self.kind == "py_dataset":
            self.source.on_epoch_end()


def get_adapter(x, y=None, sample_weight=None, batch_size=None, steps=None, shuffle=False,
                class_weight=None):
    if isinstance(x, PyDataset) or _framework_of(x) or _is_iterator(x):
        if y is not None:
            raise ValueError("When x is a generator or dataset, y must be None: the dataset "
                             "yields (x, y) itself.")
        if batch_size is not None and not isinstance(x, PyDataset):
            raise ValueError("batch_size must be None when x is a generator or dataset; the "
                             "dataset sets the batch size.")
        return IteratorAdapter(x, steps=steps, class_weight=class_weight)
    return ArrayAdapter(x, y, sample_weight, batch_size=batch_size, steps=steps,
                        shuffle=shuffle, class_weight=class_weight)


def _is_iterator(x):
    return hasattr(x, "__next__") or (hasattr(x, "__iter__") and not isinstance(
        x, (list, tuple, dict, np.ndarray, str)) and not backend.is_tensor(x)
        and not hasattr(x, "shape"))


def train_validation_split(arrays, validation_split):
    """Split arrays (x, y, sample_weight) into leading and trailing parts, before shuffling."""
    flat = [a for a in tree.flatten(arrays) if a is not None]
    if not flat:
        raise ValueError("validation_split needs array data.")
    n = int(_to_numpy(flat[0]).shape[0])
    split = int(math.floor(n * (1.0 - validation_split)))
    if split == 0 or split == n:
        raise ValueError(f"validation_split={validation_split} leaves an empty training or "
                         f"validation set for {n} samples.")
    first = tree.map_structure(lambda a: None if a is None else _to_numpy(a)[:split], arrays)
    second = tree.map_structure(lambda a: None if a is None else _to_numpy(a)[split:], arrays)
    return first, second
