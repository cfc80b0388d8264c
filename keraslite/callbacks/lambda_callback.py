"""LambdaCallback: a callback built from plain functions."""

from keraslite.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Runs the given functions at the matching hooks.

    Epoch and batch hooks are called as `fn(epoch_or_batch, logs)`, the begin/end hooks of
    train, test and predict as `fn(logs)`. Any other hook (e.g. `on_test_batch_end`) may be
    passed as a keyword argument too.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for name, fn in hooks.items():
            if fn is None:
                continue
            if name.startswith("on_") and not callable(fn):
                raise TypeError(f"LambdaCallback: `{name}` must be callable, got {fn!r}")
            # An instance attribute shadows the no-op method of the base class.
            setattr(self, name, fn)
