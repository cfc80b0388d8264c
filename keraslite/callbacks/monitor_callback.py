"""MonitorCallback: shared base of the callbacks that watch one logged quantity."""

import warnings

import numpy as np

from keraslite.callbacks.callback import Callback

# Name fragments telling which way a quantity should move when `mode="auto"` and no metric
# object states it; lower-is-better fragments are checked first.
_LOWER_IS_BETTER = ("loss", "error", "crossentropy", "mse", "mae", "mape", "msle", "hinge",
                    "divergence", "poisson", "logcosh")
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "fbeta", "iou", "r2",
                     "top_k", "true_positives", "true_negatives")


class MonitorCallback(Callback):
    """Resolves `mode` to a comparison and tells whether a value improves on a reference.

    With `mode="auto"` the direction comes from the model's metric objects (their
    `_direction`, "up" or "down"), else from the quantity's name; if neither tells, an
    error is raised, or `auto_fallback` ("min"/"max") is used when given.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0,
                 auto_fallback=None):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          "mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None
        self._auto_fallback = auto_fallback

    def _set_monitor_op(self):
        # Called lazily: a model's metrics exist only once it has been compiled and built.
        lower = self._lower_is_better()
        self.monitor_op = np.less if lower else np.greater
        # A signed delta lets one comparison serve both directions: `value - delta` must
        # still beat the reference.
        self.min_delta = -abs(self.min_delta) if lower else abs(self.min_delta)

    def _lower_is_better(self):
        if self.mode != "auto":
            return self.mode == "min"
        name = self.monitor.removeprefix("val_")
        for metric in self._model_metrics():
            if getattr(metric, "name", None) == name and hasattr(metric, "_direction"):
                return metric._direction != "up"
        lowered = name.lower()
        if any(part in lowered for part in _LOWER_IS_BETTER):
            return True
        if any(part in lowered for part in _HIGHER_IS_BETTER):
            return False
        if self._auto_fallback is not None:
            return self._auto_fallback == "min"
        raise ValueError(
            f"{type(self).__name__} callback received monitor={self.monitor}, but cannot "
            "tell whether that quantity should be maximized or minimized. Pass mode='max' "
            "to use the highest value, or mode='min' to use the lowest.")

    def _model_metrics(self):
        found = []
        for metric in getattr(self._model, "metrics", None) or ():
            inner = getattr(metric, "metrics", None)  # containers of compiled metrics
            found.extend(inner if isinstance(inner, (list, tuple)) else [metric])
        return found

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))
