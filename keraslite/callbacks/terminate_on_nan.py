"""TerminateOnNaN: stops training as soon as a batch's loss is NaN or infinite."""

import math

from keraslite.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Stops training when a training batch reports a non-finite `loss`: gracefully through
    `model.stop_training`, or, with `raise_error=True`, by raising RuntimeError at once (so other
    callbacks' on_train_end does not run, e.g. to keep a backup from being cleaned up)."""

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            if self.raise_error:
                raise RuntimeError(f"NaN or Inf loss encountered at batch {batch}. Loss value: "
                                   f"{loss}. Terminating training immediately.")
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
