"""ProgbarLogger: prints the progress bar and metrics during fit, evaluate and predict."""

from keraslite.callbacks.callback import Callback
from keraslite.utils.progbar import Progbar


class ProgbarLogger(Callback):
    """Draws one Progbar per epoch (or per evaluate/predict call).

    Reads `verbose`, `epochs` and `steps` from the loop's params. Validation run inside fit
    is silent: its results appear on the epoch's line as `val_*` values.
    """

    def __init__(self):
        super().__init__()
        self.progbar = None
        self.seen = 0
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_train_end(self, logs=None):
        self._called_in_fit = False

    def on_epoch_begin(self, epoch, logs=None):
        self._new_bar()
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}", flush=True)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(logs)

    def on_train_batch_end(self, batch, logs=None):
        self._step(batch, logs)

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._new_bar()

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._step(batch, logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finish(logs)

    def on_predict_begin(self, logs=None):
        self._new_bar()

    def on_predict_batch_end(self, batch, logs=None):
        self._step(batch, None)  # the logs hold prediction arrays, not metrics

    def on_predict_end(self, logs=None):
        self._finish(None)

    def _new_bar(self):
        self.seen = 0
        # The trainer's logs are already running means, so the bar shows them as given.
        self.progbar = Progbar(self.target, verbose=self.verbose, unit_name="step",
                               stateful_metrics=())

    def _step(self, batch, logs):
        if self.progbar is None:
            self._new_bar()
        self.seen = batch + 1
        logs = logs or {}
        self.progbar.stateful_metrics.update(logs)
        if self.verbose == 1:
            self.progbar.update(self.seen, list(logs.items()), finalize=False)

    def _finish(self, logs):
        if self.progbar is None:
            self._new_bar()
        if self.target is None:
            # A dataset of unknown length: the steps seen this time are the total, and
            # later epochs reuse it.
            self.target = self.progbar.target = self.seen
        logs = logs or {}
        self.progbar.stateful_metrics.update(logs)
        self.progbar.update(self.progbar.target, list(logs.items()), finalize=True)
