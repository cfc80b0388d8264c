"""LearningRateScheduler: sets the learning rate from a function of the epoch."""

import inspect
import numbers

import numpy as np

from keraslite.callbacks.callback import Callback


def _takes_current_lr(schedule):
    """Whether `schedule` accepts (epoch, lr) rather than just (epoch)."""
    try:
        params = inspect.signature(schedule).parameters.values()
    except (TypeError, ValueError):  # builtins and C callables may have no signature
        return None
    positional = [p for p in params
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in params)


class LearningRateScheduler(Callback):
    """At each epoch start, sets the rate to `schedule(epoch, lr)` (or `schedule(epoch)`).

    `epoch` counts from 0 and `lr` is the current rate as a float. The rate is also added
    to each epoch's logs as `learning_rate`.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        takes_lr = _takes_current_lr(self.schedule)
        if takes_lr is None:  # no signature to read: try the two-argument form first
            try:
                lr = self.schedule(epoch, float(np.asarray(optimizer.learning_rate)))
            except TypeError:
                lr = self.schedule(epoch)
        elif takes_lr:
            lr = self.schedule(epoch, float(np.asarray(optimizer.learning_rate)))
        else:
            lr = self.schedule(epoch)
        if isinstance(lr, bool) or not isinstance(lr, (numbers.Real, np.floating)):
            raise ValueError("The output of the `schedule` function should be a float. "
                             f"Got: {lr}")
        optimizer.learning_rate = float(lr)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{float(lr)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(self.model.optimizer.learning_rate))
