"""TerminateOnNaN: stops training as soon as a batch's loss is NaN or infinite."""

import math

from keraslite.callbacks.callback import Callback


class TerminateOnNaN(Callback):
    """Sets `model.stop_training` when a training batch reports a non-finite `loss`."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True
