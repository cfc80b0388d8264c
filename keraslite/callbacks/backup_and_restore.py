"""BackupAndRestore: lets an interrupted fit resume where its last backup left off."""

import json
import os
import zipfile

import numpy as np

from keraslite.callbacks.callback import Callback

_FILE = "latest.backup.npz"


def _dtype(name):
    try:
        return np.dtype(name)
    except TypeError:  # bfloat16, float8...: numpy knows them once ml_dtypes names them
        import ml_dtypes

        return np.dtype(getattr(ml_dtypes, name))


def _pack(prefix, values, arrays, dtypes):
    for i, value in enumerate(values):
        value = np.asarray(value)
        key = f"{prefix}{i}"
        if value.dtype.kind == "V":
            # npz cannot describe extension dtypes: store the raw bits and the dtype's name.
            dtypes[key] = value.dtype.name
            value = value.view(f"u{value.dtype.itemsize}")
        arrays[key] = value


def _unpack(prefix, count, archive, dtypes):
    values = []
    for i in range(count):
        key = f"{prefix}{i}"
        value = archive[key]
        if key in dtypes:
            value = value.view(_dtype(dtypes[key]))
        values.append(value)
    return values


class BackupAndRestore(Callback):
    """Backs up the training state into `backup_dir` and restores it when fit starts again.

    The state is the model's weights, the optimizer's variables and the epoch to resume
    from; it is written after every epoch, or every `save_freq` batches when that is an
    int. Each backup is written to a temporary file and then renamed over the previous one,
    so a crash mid-write leaves the last complete backup in place. With
    `double_checkpoint`, the previous backup is also kept (as "*.bkp") and used if the
    latest one cannot be read. With `delete_checkpoint`, the backup is removed when fit
    finishes normally.

    A batch-level backup resumes at the start of the epoch it was taken in, with the
    weights it held then.
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True,
                 double_checkpoint=False):
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        if save_freq != "epoch" and (isinstance(save_freq, bool)
                                     or not isinstance(save_freq, int)):
            raise ValueError("Invalid value for argument `save_freq`. Received: "
                             f"save_freq={save_freq}. Expected either 'epoch' or an integer "
                             "value.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self.double_checkpoint = double_checkpoint
        self._backup_path = os.path.join(self.backup_dir, _FILE)
        self._prev_backup_path = self._backup_path + ".bkp"
        self._tmp_path = self._backup_path + ".tmp"
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0

    # -- restoring ------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        state = self._read_latest()
        if state is None:
            return
        weights, optimizer_values, metadata = state
        model = self.model
        if not getattr(model, "built", True):
            raise ValueError("To use the BackupAndRestore callback, your model must be built "
                             "before you call `fit()`.")
        model.set_weights(weights)
        if optimizer_values:
            self._restore_optimizer(model, optimizer_values)
        self._current_epoch = metadata["epoch"]
        model._initial_epoch = metadata["epoch"]

    def _read_latest(self):
        if os.path.exists(self._backup_path):
            try:
                return self._read(self._backup_path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                if not os.path.exists(self._prev_backup_path):
                    raise
        # Either the latest backup is unreadable or a crash came between the two renames.
        if os.path.exists(self._prev_backup_path):
            return self._read(self._prev_backup_path)
        return None

    @staticmethod
    def _read(path):
        with np.load(path, allow_pickle=False) as archive:
            metadata = json.loads(str(archive["metadata"]))
            dtypes = metadata.get("dtypes", {})
            weights = _unpack("weight_", metadata["num_weights"], archive, dtypes)
            optimizer = _unpack("optimizer_", metadata["num_optimizer_variables"], archive,
                                dtypes)
        return weights, optimizer, metadata

    @staticmethod
    def _restore_optimizer(model, values):
        optimizer = model.optimizer
        variables = list(optimizer.variables)
        if (len(variables) != len(values) and getattr(optimizer, "built", True) is False
                and hasattr(model, "trainable_variables")):
            # Optimizers make their slots lazily, on the first step; make them now so they
            # can be filled.
            optimizer.build(model.trainable_variables)
            variables = list(optimizer.variables)
        if len(variables) != len(values):
            raise ValueError(f"The backup holds {len(values)} optimizer variables but the "
                             f"model's optimizer has {len(variables)}: it was made with a "
                             "different optimizer or model.")
        for variable, value in zip(variables, values):
            variable.assign(value)

    # -- saving ---------------------------------------------------------------------------

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        if batch <= self._last_batch_seen:  # batch indices restart each epoch
            self._batches_seen_since_last_saving += batch + 1
        else:
            self._batches_seen_since_last_saving += batch - self._last_batch_seen
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._write(epoch=self._current_epoch, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._write(epoch=epoch + 1, batch=0)

    def _write(self, epoch, batch):
        model = self.model
        optimizer = getattr(model, "optimizer", None)
        optimizer_values = [v.numpy() for v in optimizer.variables] if optimizer else []
        arrays, dtypes = {}, {}
        weights = model.get_weights()
        _pack("weight_", weights, arrays, dtypes)
        _pack("optimizer_", optimizer_values, arrays, dtypes)
        metadata = {"epoch": epoch, "batch": batch, "num_weights": len(weights),
                    "num_optimizer_variables": len(optimizer_values), "dtypes": dtypes}
        arrays["metadata"] = np.array(json.dumps(metadata))

        os.makedirs(self.backup_dir, exist_ok=True)
        with open(self._tmp_path, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())  # the bytes must be on disk before the rename publishes them
        if self.double_checkpoint and os.path.exists(self._backup_path):
            os.replace(self._backup_path, self._prev_backup_path)
        os.replace(self._tmp_path, self._backup_path)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        for path in (self._backup_path, self._prev_backup_path, self._tmp_path):
            if os.path.exists(path):
                os.remove(path)
        try:
            os.rmdir(self.backup_dir)  # only if nothing else lives there
        except OSError:
            pass
