"""SwapEMAWeights: evaluate (and optionally checkpoint) with the optimizer's moving averages."""

from keraslite.callbacks.callback import Callback


class SwapEMAWeights(Callback):
    """Puts the optimizer's exponential moving averages of the weights (`use_ema=True`) into
    the model while it evaluates or predicts, and the trained weights back afterwards.

    With `swap_on_epoch=True` the averages are also in the model from the end of each epoch to
    the start of the next, so callbacks listed after this one (ModelCheckpoint...) see them; at
    the end of the last epoch they stay, and become the final weights.
    """

    def __init__(self, swap_on_epoch=False):
        super().__init__()
        self.swap_on_epoch = swap_on_epoch
        self._ema_weights_in_model = False

    def _ema_optimizers(self):
        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)  # LossScaleOptimizer
        inner = getattr(optimizer, "optimizers", None) or [optimizer]  # MultiOptimizer's
        candidates = [o for o in inner if getattr(o, "use_ema", False)]
        if not candidates:
            raise ValueError("SwapEMAWeights needs an optimizer created with `use_ema=True` "
                             f"(for a MultiOptimizer, at least one inner optimizer). Received: "
                             f"{type(optimizer).__name__} with use_ema="
                             f"{getattr(optimizer, 'use_ema', False)}")
        for opt in candidates:
            if not hasattr(opt, "_model_variables_moving_average"):
                raise ValueError("SwapEMAWeights: the optimizer has no moving averages yet; "
                                 "they are created when training starts.")
        return candidates

    def _pairs(self):
        for opt in self._ema_optimizers():
            for variable, average in zip(opt._trainable_variables,
                                         opt._model_variables_moving_average):
                if average is not None:
                    yield variable, average

    def _swap_variables(self):
        for variable, average in self._pairs():
            trained = variable.value
            variable.assign(average.value)
            average.assign(trained)

    def _finalize_ema_values(self):
        # after the last epoch's swap the averages hold the trained weights; give them the
        # averages back, so that finalizing the optimizer keeps the averaged weights
        for variable, average in self._pairs():
            average.assign(variable.value)

    def _swap_in(self):
        if not self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = True

    def _swap_out(self):
        if self._ema_weights_in_model:
            self._swap_variables()
            self._ema_weights_in_model = False

    def on_epoch_begin(self, epoch, logs=None):
        if self.swap_on_epoch:
            self._swap_out()

    def on_epoch_end(self, epoch, logs=None):
        if self.swap_on_epoch and not self._ema_weights_in_model:
            self._swap_in()
            if epoch == self.params["epochs"] - 1:
                self._finalize_ema_values()

    def on_test_begin(self, logs=None):
        self._swap_in()

    def on_test_end(self, logs=None):
        self._swap_out()

    def on_predict_begin(self, logs=None):
        self._swap_in()

    def on_predict_end(self, logs=None):
        self._swap_out()
