"""BackupAndRestore: lets an interrupted fit resume where its last backup left off."""

import json
import os
import shutil
import warnings

from keraslite.callbacks.callback import Callback
from keraslite.saving import saving_lib

WEIGHTS = "latest.weights.h5"
METADATA = "training_metadata.json"
PREVIOUS = ".bkp"
PENDING = ".tmp"


def _fsync(path):
    with open(path, "rb+") as f:  # "rb+": Windows refuses to fsync a read-only handle
        os.fsync(f.fileno())


def _link_or_copy(src, dst):
    # Committed files are only ever replaced by rename, never rewritten, so a hard link is a
    # safe (and free) copy; copy where the filesystem has no links.
    with saving_lib.atomic_write(dst) as tmp:
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)


def _read_metadata(path):
    with open(path, encoding="utf-8") as f:
        metadata = json.load(f)
    if not (isinstance(metadata, dict) and type(metadata.get("epoch")) is int):
        raise ValueError(f"{path} holds no training state: {metadata!r}")
    return metadata


class BackupAndRestore(Callback):
    """Backs up the training state into `backup_dir` and restores it when fit starts again.

    The files are Keras 3's: `latest.weights.h5` (what `model.save_weights` writes, optimizer
    state included) and `training_metadata.json` (`{"epoch": ..., "batch": ...}`, the epoch to
    resume from). A backup is taken after every epoch, or every `save_freq` batches when that
    is an int; a batch-level backup resumes at the start of the epoch it was taken in, with the
    weights it held then.

    Both files are written under temporary names first, so a crash mid-save leaves the last
    complete backup in place. With `double_checkpoint`, the previous pair is kept as "*.bkp"
    and used when the latest one cannot be read. With `delete_checkpoint`, the files are
    removed when fit finishes normally.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
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
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._weights_path = os.path.join(self.backup_dir, WEIGHTS)
        self._metadata_path = os.path.join(self.backup_dir, METADATA)
        self._current_epoch = 0
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0

    def _pairs(self, suffix):
        return self._weights_path + suffix, self._metadata_path + suffix

    # -- restoring ------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._settle_interrupted_save()
        pairs = [pair for pair in (self._pairs(""), self._pairs(PREVIOUS))
                 if any(map(os.path.exists, pair))]
        if pairs and not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, your model must be built "
                             "before you call `fit()`: call it on a batch of data first.")
        first_error = None
        for weights, metadata in pairs:
            try:
                state = self._restore(weights, metadata)
            except (OSError, ValueError) as e:  # CorruptFileError, JSON errors are ValueErrors
                first_error = first_error or e
                continue
            if first_error is not None:
                warnings.warn(f"The latest backup in {self.backup_dir} could not be read "
                              f"({first_error}); resumed from the previous one.", stacklevel=2)
                # Drop the unreadable pair, or the next double-checkpoint save would rotate
                # it into the ".bkp" slot over the good one.
                for path in self._pairs(""):
                    if os.path.exists(path):
                        os.remove(path)
            self._current_epoch = state["epoch"]
            self.model._initial_epoch = state["epoch"]
            return
        if first_error is not None:
            raise first_error

    def _settle_interrupted_save(self):
        pending_weights, pending_metadata = self._pairs(PENDING)
        if os.path.exists(pending_metadata) and not os.path.exists(pending_weights):
            # The save got past its commit point (the weights rename) but not the metadata
            # rename: finish it, or the new weights would pair with the old epoch.
            os.replace(pending_metadata, self._metadata_path)
        for path in (pending_weights, pending_metadata):
            if os.path.exists(path):  # a save that never committed
                os.remove(path)

    def _restore(self, weights_path, metadata_path):
        if not os.path.exists(weights_path) or not os.path.exists(metadata_path):
            raise ValueError(f"Incomplete backup: {weights_path} and {metadata_path} go "
                             "together.")
        model = self.model
        metadata = _read_metadata(metadata_path)
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and not optimizer.built:
            # Optimizers make their slots on the first step; they must exist to be filled.
            optimizer.build(model.trainable_variables)
        # read_weights, not load_weights: the ".bkp" name lacks the suffix load_weights wants
        saving_lib.read_weights(model, weights_path, False, weights_path)
        return metadata

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
            self._save(epoch=self._current_epoch, batch=batch)

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save(epoch=epoch + 1, batch=0)

    def _save(self, epoch, batch):
        # Write both files under pending names, then rename them into place: weights first
        # (the commit point), metadata second; _settle_interrupted_save finishes a save killed
        # between the two.
        pending_weights, pending_metadata = self._pairs(PENDING)
        os.makedirs(self.backup_dir, exist_ok=True)
        if os.path.exists(pending_metadata):  # left by a failed save: it would read as committed
            os.remove(pending_metadata)
        with saving_lib.atomic_write(pending_weights) as tmp:
            saving_lib.write_weights(self.model, tmp)
            _fsync(tmp)  # on disk before any rename publishes it
        with saving_lib.atomic_write(pending_metadata) as tmp:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"epoch": epoch, "batch": batch}, f)
                f.flush()
                os.fsync(f.fileno())
        if self.double_checkpoint and all(map(os.path.exists, self._pairs(""))):
            previous_weights, previous_metadata = self._pairs(PREVIOUS)
            # Drop the old metadata first: a crash before both copies land leaves no
            # half-updated previous pair that would read as valid.
            if os.path.exists(previous_metadata):
                os.remove(previous_metadata)
            _link_or_copy(self._weights_path, previous_weights)
            _link_or_copy(self._metadata_path, previous_metadata)
        os.replace(pending_weights, self._weights_path)
        os.replace(pending_metadata, self._metadata_path)

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        for suffix in ("", PREVIOUS, PENDING):
            for path in self._pairs(suffix):
                if os.path.exists(path):
                    os.remove(path)
        try:
            os.rmdir(self.backup_dir)  # only if nothing else lives there
        except OSError:
            pass
