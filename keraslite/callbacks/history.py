"""History: records every epoch's logs; fit returns it as `model.history`."""

from keraslite.callbacks.callback import Callback


class History(Callback):
    """`history` maps each log name to its list of per-epoch values; `epoch` lists the epochs."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for name, value in (logs or {}).items():
            self.history.setdefault(name, []).append(value)
        # Re-set after every epoch so the model points at this record even if fit is interrupted.
        self.model.history = self
