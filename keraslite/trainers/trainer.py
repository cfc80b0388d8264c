"""compile / fit / evaluate / predict, written once for every backend.

A step is a pure function of the model's state: ``step(state_values, batch) -> (logs,
new_state_values)``. It enters a StatelessScope holding the values, runs the (overridable,
stateful-looking) ``train_step`` / ``test_step``, and reads back every variable the step
assigned. That function is compiled with ``keraslite.backend.core.jit_step`` (jax.jit, a
tf.function over resident tf.Variables, eager or torch.compile) and its outputs are written
back into the Variables after each step.
"""

import numpy as np

from keraslite import backend, ops
from keraslite.backend.variables import StatelessScope
from keraslite.layers.layer import collect_losses
from keraslite.trainers import data_adapters
from keraslite.trainers.compile_utils import CompileLoss, CompileMetrics
from keraslite.trainers.gradients import compute_gradients
from keraslite.utils import tree


def _convert(data):
    """numpy arrays in a batch -> backend tensors (anything else is kept)."""
    return tree.map_structure(
        lambda v: backend.convert_to_tensor(v) if isinstance(v, np.ndarray) else v, data)


def _pack(batch):
    """(x, y, sample_weight) packed as Keras passes `data` to train_step: (x,), (x, y) or
    (x, y, sample_weight)."""
    if isinstance(batch, tuple) and len(batch) == 3:
        x, y, sw = batch
        return (x,) if y is None and sw is None else (x, y) if sw is None else (x, y, sw)
    return batch


def _float_logs(logs, order=()):
    """Logs as Python floats, in metric order (compiled steps may return dicts key-sorted)."""
    out = {}
    keys = [k for k in order if k in logs] + [k for k in logs if k not in order]
    for k in keys:
        v = logs[k]
        v = np.asarray(backend.convert_to_numpy(v)) if not isinstance(v, (int, float)) else v
        out[k] = float(v) if np.ndim(v) == 0 else v
    return out


class Trainer:
    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.stop_training = False
        self.history = None
        self._initial_epoch = None
        self._step_cache = {}
        self.run_eagerly = False
        self.jit_compile = "auto"
        self.steps_per_execution = 1
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_tracker = None

    # ---------------------------------------------------------------------------- compile

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        from keraslite import metrics as metrics_module
        from keraslite import optimizers

        self.optimizer = optimizers.get(optimizer)
        self._compile_loss = CompileLoss(loss, loss_weights) if loss is not None else None
        self._compile_metrics = CompileMetrics(metrics, weighted_metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self.run_eagerly = bool(run_eagerly)
        if jit_compile not in ("auto", True, False, None):
            raise ValueError(f"jit_compile must be 'auto', True or False; received {jit_compile!r}")
        self.jit_compile = jit_compile
        if int(steps_per_execution) < 1:
            raise ValueError("steps_per_execution must be a positive integer; received "
                             f"{steps_per_execution!r}")
        self.steps_per_execution = int(steps_per_execution)
        self.compiled = True
        self._step_cache = {}
        self.loss = loss
        self._compile_args = {"loss": loss, "loss_weights": loss_weights, "metrics": metrics,
                              "weighted_metrics": weighted_metrics}

    def get_compile_config(self):
        """compile()'s arguments as Keras 3 saves them (empty when not compiled)."""
        from keraslite.optimizers import serialize as serialize_optimizer
        from keraslite.saving.serialization_lib import serialize_nested_object

        if not getattr(self, "compiled", False):
            return {}
        config = {"optimizer": serialize_optimizer(self.optimizer)}
        config.update(serialize_nested_object(self._compile_args))
        config.update(run_eagerly=self.run_eagerly, steps_per_execution=self.steps_per_execution,
                      jit_compile=self.jit_compile)
        return config

    def compile_from_config(self, config):
        """compile() from get_compile_config()'s output, then create the optimizer's state so
        that a saved state can be loaded into it."""
        from keraslite import losses, metrics, optimizers

        if not config:
            return
        config = dict(config)
        optimizer = config.pop("optimizer", "rmsprop")
        optimizer = optimizers.deserialize(optimizer) if isinstance(optimizer, dict) else optimizer
        config["loss"] = _revive(config.get("loss"), losses.deserialize)
        for key in ("metrics", "weighted_metrics"):
            config[key] = _revive(config.get(key), metrics.deserialize)
        # Keras stores the value "auto" resolved to on the saving backend (true on jax and
        # tensorflow), which is no choice of the user's: let this backend decide again
        if config.get("jit_compile") is True:
            config["jit_compile"] = "auto"
        self.compile(optimizer=optimizer, **config)
        if self.built:
            self.optimizer.build(self.trainable_variables)

    @property
    def metrics(self):
        context = getattr(self, "_step_context", None)
        if context is not None:  # a step in progress: the list its compilation found
            return context.metrics
        out = []
        if getattr(self, "_loss_tracker", None) is not None:
            out.append(self._loss_tracker)
        if getattr(self, "_compile_loss", None) is not None and self._compile_loss.built:
            out.extend(self._compile_loss.metrics)
        if getattr(self, "_compile_metrics", None) is not None:
            out.extend(self._compile_metrics.metrics)
        return out + self._tracked_metrics(out)

    def _tracked_metrics(self, known):
        """Metrics a subclass keeps as attributes (Keras tracks them too)."""
        from keraslite.metrics import Metric

        seen = {id(m) for m in known}
        found = []
        for value in vars(self).values():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                if isinstance(item, Metric) and id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
        return found

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def _metrics_variables(self):
        return [v for m in self.metrics for v in m.variables]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    # ---------------------------------------------------------------------------- steps

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """Compiled loss plus the model's own losses (regularizers, add_loss)."""
        total = None
        if self._compile_loss is not None:
            total = self._compile_loss(y, y_pred, sample_weight)
        context = getattr(self, "_step_context", None)
        extras = collect_losses(context.layers) if context else self.losses
        for extra in extras:
            extra = ops.cast(extra, "float32") if total is None else ops.cast(extra, total.dtype)
            total = extra if total is None else ops.add(total, extra)
        if total is None:
            total = ops.convert_to_tensor(0.0)
        batch = ops.shape(tree.flatten(y_pred)[0])[0]
        # the tracker only reports the loss: it need not join the graph being differentiated
        self._loss_tracker.update_state(ops.stop_gradient(total), sample_weight=batch)
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._compile_metrics is not None and y is not None:
            self._compile_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        logs = {}
        for m in self.metrics:
            result = m.result()
            if isinstance(result, dict):
                logs.update(result)
            else:
                logs[m.name] = result
        return logs

    def train_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)

        def forward():
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight)
            return self.optimizer.scale_loss(loss) if hasattr(
                self.optimizer, "scale_loss") else loss, y_pred

        context = getattr(self, "_step_context", None)
        variables = context.trainable_variables if context else self.trainable_variables
        (_, y_pred), grads = compute_gradients(forward, variables, has_aux=True)
        self.optimizer.apply(grads, variables)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data):
        x, y, sample_weight = data_adapters.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = data_adapters.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    # ---------------------------------------------------------------------------- pure steps

    def _state(self, kind):
        if kind == "train":
            variables = (self.trainable_variables + self.non_trainable_variables
                         + list(self.optimizer.variables) + self._metrics_variables())
        elif kind == "test":
            variables = (self.trainable_variables + self.non_trainable_variables
                         + self._metrics_variables())
        else:
            variables = self.trainable_variables + self.non_trainable_variables
        seen, out = set(), []
        for v in variables:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    def _jit_setting(self):
        if self.run_eagerly or self.jit_compile is False:
            return False
        return True if self.jit_compile is True else None

    def _step_function(self, kind):
        if kind in self._step_cache:
            return self._step_cache[kind]
        variables = self._state(kind)
        method = {"train": self.train_step, "test": self.test_step,
                  "predict": self.predict_step}[kind]

        # Like Keras, a compiled step keeps the model's structure and trainable flags as they
        # were at its first call (compile() again after changing them); walking the layers
        # and metrics once here keeps those walks out of every step.
        context = _StepContext(self.trainable_variables, self._flatten_layers(), self.metrics)

        # A train step donates the state it is given: its results replace it, so fused
        # optimizer updates may write in place (torch) and jax may reuse the buffers. Test and
        # predict steps change little state, so they keep theirs and return only what changed.
        donate = kind == "train"

        def step(values, data):
            self._step_context = context
            try:
                with StatelessScope(list(zip(variables, values)), donate=donate) as scope:
                    # numpy batches become tensors here, inside the compiled function: jax
                    # and tf.function take numpy arguments faster than a conversion before
                    out = method(_convert(data))
            finally:
                self._step_context = None
            updated = {id(v) for v in scope.updated_variables()}
            new = [scope.get_current_value(v) if id(v) in updated else old
                   for v, old in zip(variables, values)]
            return out, new, updated

        def steps(values, batches):
            # steps_per_execution: several steps chained in one compiled call. Train and test
            # logs are running results, so the last step's are the ones to report.
            outs, changed = [], set()
            for data in batches:
                out, values, updated = step(values, data)
                outs.append(out)
                changed |= updated
            if not donate:
                values = [v if id(var) in changed else None for var, v in zip(variables, values)]
            return (outs if kind == "predict" else outs[-1]), values

        setting = self._jit_setting()
        # the backend may keep the state resident between calls and update it in place
        compiled = steps if setting is False else backend.core.jit_step(
            steps, jit_compile=setting, donate=donate)
        if compiled is steps and not donate:
            # Nothing is compiled (an eager backend) and nothing donated: a test or predict
            # step runs on the variables themselves, as the pure round trip would end anyway.
            def run_in_place(batches):
                self._step_context = context
                try:
                    with backend.core.inference_scope():
                        outs = [method(_convert(data)) for data in batches]
                finally:
                    self._step_context = None
                return outs if kind == "predict" else outs[-1]

            self._step_cache[kind] = run_in_place
            return run_in_place

        def run(batches):
            for v in variables:
                if v._shared:  # a tensor from outside: copy it before it may be overwritten
                    v._direct_assign(backend.numpy.copy(v.value))
            out, new = compiled([v.value for v in variables], batches)
            kept = [(v, value) for v, value in zip(variables, new) if value is not None]
            for v, value in kept:
                v._direct_assign(value)
            if len({id(value) for _, value in kept}) < len(kept):  # a tensor held twice
                for v in variables:
                    v._shared = True
            return out

        self._step_cache[kind] = run
        return run

    def _build_for(self, batch, kind):
        """Create every variable (model, optimizer, metrics) before a step is compiled."""
        x, y, _ = data_adapters.unpack_x_y_sample_weight(batch)
        if not self.built:
            self._build_model(_convert(x))
        if kind == "predict" or not self.compiled:
            return
        if self._compile_loss is not None and not self._compile_loss.built:
            self._compile_loss.build(self._output_names())
        if not self._compile_metrics.built:
            x, y = _convert(x), _convert(y)
            y_pred = backend.compute_output_spec(lambda v: self(v, training=False), x)
            self._compile_metrics.build(self._output_names(), y, y_pred)
            # metrics sized by the data (F1Score, R2Score...) create their variables now, not
            # inside the compiled step
            for group_true, group_pred, metrics in zip(
                    _listify(y, self._output_names()), _listify(y_pred, self._output_names()),
                    [u + w for u, w in zip(self._compile_metrics.unweighted,
                                           self._compile_metrics.weighted)]):
                for m in metrics:
                    if not getattr(m, "built", True) and group_true is not None:
                        m.build(tuple(group_true.shape), tuple(group_pred.shape))
        if kind == "train" and not getattr(self.optimizer, "built", False):
            self.optimizer.build(self.trainable_variables)

    def _build_model(self, x):
        # One eager forward pass creates every variable outside any compiled trace (variables
        # created while tracing would hold placeholders on some frameworks).
        self(x, training=False)
        self.built = True

    def _output_names(self):
        names = getattr(self, "output_names", None)
        if names:
            return list(names)
        outputs = getattr(self, "outputs", None)
        count = len(outputs) if outputs else 1
        return [f"output_{i}" for i in range(count)] if count > 1 else ["output"]

    def _check_compiled(self, what):
        if not self.compiled:
            raise RuntimeError(f"You must call compile() on model '{self.name}' before {what}.")

    # ---------------------------------------------------------------------------- fit

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        from keraslite import callbacks as callbacks_module

        self._check_compiled("fit()")
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = data_adapters.train_validation_split(
                (x, y, sample_weight), validation_split)
        adapter = data_adapters.get_adapter(x, y, sample_weight, batch_size=batch_size,
                                            steps=steps_per_epoch, shuffle=shuffle,
                                            class_weight=class_weight)
        val_adapter = None
        if validation_data is not None:
            vx, vy, vsw = data_adapters.unpack_x_y_sample_weight(validation_data)
            val_adapter = data_adapters.get_adapter(
                vx, vy, vsw, batch_size=validation_batch_size or batch_size,
                steps=validation_steps)
        verbose = 1 if verbose == "auto" else int(verbose)
        cbs = callbacks_module.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0,
                                            model=self, verbose=verbose, epochs=epochs,
                                            steps=adapter.steps)
        rng = np.random.default_rng(int(backend_seed()))
        self.stop_training = False
        self._initial_epoch = None
        cbs.on_train_begin()
        epoch = initial_epoch if self._initial_epoch is None else self._initial_epoch
        initial = epoch
        logs = {}
        log_order = None
        for epoch in range(initial, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            step_fn = None
            logs = {}
            for begin, end, batches in _executions(adapter.epoch(rng), self.steps_per_execution):
                if step_fn is None:
                    self._build_for(batches[0], "train")
                    step_fn = self._step_function("train")
                    log_order = self.metrics_names  # once: it walks the model's attributes
                cbs.on_train_batch_begin(begin)
                logs = _float_logs(step_fn(batches), log_order)
                cbs.on_train_batch_end(end, logs)
                if self.stop_training:
                    break
            if step_fn is None:
                raise ValueError("fit() received no data: the dataset or generator is empty.")
            epoch_logs = dict(logs)
            if val_adapter is not None and _should_validate(epoch, validation_freq):
                val_logs = self._evaluate_adapter(val_adapter, callback_list=cbs)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if self.optimizer is not None and epochs > 0:  # use_ema: keep the moving averages
            self.optimizer.finalize_variable_values(self.trainable_weights)
        cbs.on_train_end(logs)
        return self.history

    # ---------------------------------------------------------------------------- evaluate

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        self._check_compiled("evaluate()")
        adapter = data_adapters.get_adapter(x, y, sample_weight, batch_size=batch_size,
                                            steps=steps)
        verbose = 1 if verbose == "auto" else int(verbose)
        logs = self._evaluate_adapter(adapter, callbacks, verbose)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def _evaluate_adapter(self, adapter, callbacks=None, verbose=0, callback_list=None):
        from keraslite import callbacks as callbacks_module

        # inside fit, validation reports to fit's callbacks (their on_test_* hooks run)
        cbs = callback_list or callbacks_module.CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=adapter.steps)
        self.reset_metrics()
        cbs.on_test_begin()
        logs, step_fn = {}, None
        for begin, end, batches in _executions(adapter.epoch(), self.steps_per_execution):
            if step_fn is None:
                self._build_for(batches[0], "test")
                step_fn = self._step_function("test")
                log_order = self.metrics_names
            cbs.on_test_batch_begin(begin)
            logs = _float_logs(step_fn(batches), log_order)
            cbs.on_test_batch_end(end, logs)
        cbs.on_test_end(logs)
        return logs

    # ---------------------------------------------------------------------------- predict

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        from keraslite import callbacks as callbacks_module

        adapter = data_adapters.get_adapter(x, batch_size=batch_size, steps=steps)
        verbose = 1 if verbose == "auto" else int(verbose)
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1, steps=adapter.steps)
        cbs.on_predict_begin()
        outputs, step_fn = [], None
        spe = getattr(self, "steps_per_execution", 1)
        for begin, end, batches in _executions(adapter.epoch(), spe):
            if step_fn is None:
                self._build_for(batches[0], "predict")
                step_fn = self._step_function("predict")
            cbs.on_predict_batch_begin(begin)
            outs = step_fn(batches)
            for out in outs:
                outputs.append(tree.map_structure(
                    lambda t: np.asarray(backend.convert_to_numpy(t)), out))
            cbs.on_predict_batch_end(end, {"outputs": outs[-1]})
        cbs.on_predict_end()
        if not outputs:
            raise ValueError("predict() received no data.")
        if len(outputs) == 1:  # one batch: copy only arrays that are views of a tensor
            return tree.map_structure(lambda a: a if a.flags.writeable else a.copy(),
                                      outputs[0])
        return tree.map_structure(lambda *parts: np.concatenate(parts, axis=0), *outputs)

    # ---------------------------------------------------------------------------- on batch

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        self._check_compiled("train_on_batch()")
        adapter = data_adapters.ArrayAdapter(x, y, sample_weight, batch_size=None,
                                             class_weight=class_weight)
        adapter.batch_size = adapter.num_samples
        adapter.steps = 1
        batch = _pack(next(adapter.epoch()))
        self._build_for(batch, "train")
        logs = _float_logs(self._step_function("train")([batch]), self.metrics_names)
        return logs if return_dict else _as_list(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._check_compiled("test_on_batch()")
        batch = _pack(tree.map_structure(data_adapters._to_numpy, (x, y, sample_weight)))
        self._build_for(batch, "test")
        self.reset_metrics()
        logs = _float_logs(self._step_function("test")([batch]), self.metrics_names)
        return logs if return_dict else _as_list(logs)

    def predict_on_batch(self, x):
        batch = _pack(tree.map_structure(data_adapters._to_numpy, (x,)))
        self._build_for(batch, "predict")
        out = self._step_function("predict")([batch])[0]
        return tree.map_structure(lambda t: np.asarray(backend.convert_to_numpy(t)), out)


class _StepContext:
    """What a step reads of the model's structure, gathered once when the step is built."""

    def __init__(self, trainable_variables, layers, metrics):
        self.trainable_variables = trainable_variables
        self.layers = layers
        self.metrics = metrics


def _executions(batches, steps_per_execution):
    """(first step, last step, [packed batches]) groups of `steps_per_execution` batches: each
    group is one call of the compiled step, and callbacks see its first and last step."""
    group, begin = [], 0
    for step, batch in enumerate(batches):
        group.append(_pack(batch))
        if len(group) == steps_per_execution:
            yield begin, step, group
            group, begin = [], step + 1
    if group:
        yield begin, begin + len(group) - 1, group


def _listify(values, names):
    if isinstance(values, dict):
        return [values.get(n) for n in names]
    if isinstance(values, (list, tuple)):
        return list(values)
    return [values]


def _as_list(logs):
    values = list(logs.values())
    return values[0] if len(values) == 1 else values


def _should_validate(epoch, freq):
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in freq


def backend_seed():
    from keraslite.random import _global_rng

    return _global_rng().integers(0, 2**31 - 1)


def _revive(value, deserialize):
    """Config dicts inside compile()'s loss/metrics structures back to objects; names stay names
    (compile resolves them as it does for user-given names)."""
    if isinstance(value, dict) and "class_name" in value:
        return deserialize(value)
    if isinstance(value, dict):
        return {k: _revive(v, deserialize) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive(v, deserialize) for v in value]
    return value
