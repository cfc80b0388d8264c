"""PyDataset: a Python sequence of batches, as keras.utils.PyDataset."""


class PyDataset:
    """Subclass and define ``__len__`` (number of batches) and ``__getitem__(index)`` returning
    a batch ``x``, ``(x, y)`` or ``(x, y, sample_weight)``; ``on_epoch_end`` runs after each
    epoch. workers/use_multiprocessing/max_queue_size are accepted for compatibility; batches
    are read in order on the calling thread."""

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return self._workers

    @property
    def use_multiprocessing(self):
        return self._use_multiprocessing

    @property
    def max_queue_size(self):
        return self._max_queue_size

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__.")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__.")

    @property
    def num_batches(self):
        return len(self)

    def on_epoch_end(self):
        pass
