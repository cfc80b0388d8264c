"""TensorBoard: writes training curves and weight histograms for TensorBoard.

Event files are written with tensorboardX (`pip install tensorboardX`), which needs no
TensorFlow, so this works on every backend.
"""

import itertools
import os
import time
import warnings

import numpy as np

from keraslite.callbacks.callback import Callback

# Event files are named by the second they are opened in; a writer reopened within the same
# second (e.g. evaluate right after fit) would overwrite the previous file without this.
_writer_ids = itertools.count()


def _summary_writer_class():
    try:
        from tensorboardX import SummaryWriter
    except ImportError as e:
        raise ImportError("The TensorBoard callback writes its event files with tensorboardX; "
                          "install it with `pip install tensorboardX`.") from e
    return SummaryWriter


def _scalar(value):
    """`value` as a float, or None when it is not a single number."""
    if isinstance(value, (str, bytes)) or np.ndim(value) != 0:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_image(weights):
    """A weight as a batch of grey NHWC images scaled to [0, 1], or None if it has no 2D view."""
    w = np.squeeze(np.asarray(weights, dtype="float64"))
    if w.ndim == 1:
        w = w[None, :, None]  # a bias: one row
    elif w.ndim == 2:
        w = (w.T if w.shape[0] > w.shape[1] else w)[None, :, :]  # a kernel, drawn wide
    elif w.ndim == 3:
        w = np.moveaxis(w, -1, 0)  # conv kernels: one image per output channel
    else:
        return None
    if w.ndim == 3:
        w = w[..., None]
    low, high = w.min(), w.max()
    # Min-max scaling shows the pattern whatever the weights' range.
    return (w - low) / (high - low) if high > low else np.zeros_like(w)


class TensorBoard(Callback):
    """Logs scalars (and optionally weight histograms and images) for TensorBoard.

    Epoch results go to `log_dir/train` and `log_dir/validation` as `epoch_<name>` at step
    `epoch`, with the learning rate added to the training ones; evaluations run during fit
    also log `evaluation_<name>_vs_iterations` against the optimizer's step count. With
    `update_freq="batch"` or an int N, every Nth training batch's logs are written as
    `batch_<name>` too. `histogram_freq` (in epochs) adds weight histograms, and
    `write_images` adds the weights as images. `write_steps_per_second` logs the training
    speed.

    Not supported here: `write_graph` (there is no framework-independent graph to write,
    so it does nothing), `profile_batch` and `embeddings_freq` (both warn and do nothing).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        self._writer_class = _summary_writer_class()  # fail at construction, not mid-fit
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (isinstance(update_freq, bool)
                                       or not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError("`update_freq` must be 'epoch', 'batch' or a positive integer. "
                             f"Received: update_freq={update_freq}")
        self.update_freq = update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        if profile_batch:
            warnings.warn("TensorBoard: `profile_batch` is not supported by keraslite and is "
                          "ignored.", stacklevel=2)
        if embeddings_freq:
            warnings.warn("TensorBoard: `embeddings_freq` is not supported by keraslite and "
                          "is ignored.", stacklevel=2)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        self._in_fit = False
        self._global_train_batch = 0
        self._epoch_batches = 0
        self._epoch_start = None
        self._batch_start = None

    # Writers are made on first use, so a fit without validation leaves no empty run behind.
    def _writer(self, which):
        if which not in self._writers:
            path = self._train_dir if which == "train" else self._val_dir
            suffix = f".{os.getpid()}.{next(_writer_ids)}"
            self._writers[which] = self._writer_class(logdir=path, filename_suffix=suffix)
        return self._writers[which]

    def _write_scalars(self, which, prefix, logs, step, suffix=""):
        for name, value in logs.items():
            value = _scalar(value)
            if value is not None:
                self._writer(which).add_scalar(f"{prefix}{name}{suffix}", value, step)

    def _close_writers(self):
        # Only closing guarantees the events are on disk: tensorboardX's flush does not
        # wait for its writer thread to drain the queue.
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch_batches = 0
        self._epoch_start = time.perf_counter()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._epoch_batches += 1
        self._batch_start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        step = self._global_train_batch
        if self.write_steps_per_second and self._batch_start is not None:
            elapsed = max(time.perf_counter() - self._batch_start, 1e-9)
            self._writer("train").add_scalar("batch_steps_per_second", 1.0 / elapsed, step)
        if isinstance(logs, dict):
            self._write_scalars("train", "batch_", logs, step)

    def on_test_end(self, logs=None):
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        if iterations is None or not logs:
            return
        step = int(np.asarray(iterations))
        self._write_scalars("validation", "evaluation_", logs, step, suffix="_vs_iterations")
        if not self._in_fit:
            self._close_writers()  # evaluate() alone: nothing else will close them

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[len("val_"):]: v for k, v in logs.items() if k.startswith("val_")}
        lr = getattr(getattr(self.model, "optimizer", None), "learning_rate", None)
        if lr is not None and _scalar(lr) is not None:
            train["learning_rate"] = _scalar(lr)
        if self.write_steps_per_second and self._epoch_start is not None:
            elapsed = max(time.perf_counter() - self._epoch_start, 1e-9)
            train["steps_per_second"] = self._epoch_batches / elapsed
        self._write_scalars("train", "epoch_", train, epoch)
        if val:
            self._write_scalars("validation", "epoch_", val, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        # Flush so TensorBoard shows each epoch soon after it ends.
        for writer in self._writers.values():
            writer.flush()

    def _weights(self):
        layers = getattr(self.model, "layers", None)
        if layers is None:
            for weight in getattr(self.model, "weights", ()):
                yield weight.path, weight
            return
        for layer in layers:
            for weight in getattr(layer, "weights", ()):
                path = getattr(weight, "path", None)
                if not path or "/" not in path:
                    path = f"{layer.name}/{weight.name}"
                yield path, weight

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for path, weight in self._weights():
            values = np.asarray(weight, dtype="float64")
            tag = path.replace(":", "_")
            writer.add_histogram(f"{tag}/histogram", values, epoch)
            if self.write_images:
                image = _as_image(values)
                if image is not None:
                    writer.add_images(f"{tag}/image", image, epoch, dataformats="NHWC")
