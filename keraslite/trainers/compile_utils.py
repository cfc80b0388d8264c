"""What compile() was given, resolved against the model's outputs: losses and metrics.

Losses and metrics may be given once (applied to every output), as a list aligned with the
outputs, or as a dict keyed by output name. With several outputs, logs name the per-output
values `<output>_loss` and `<output>_<metric>`, as Keras does.
"""

from keraslite import ops
from keraslite.utils import tree


def _per_output(spec, names, what):
    """Spread a compile argument over the outputs: a list aligned with `names`."""
    if spec is None:
        return [None] * len(names)
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(names))
        if unknown:
            raise ValueError(f"compile: {what} has keys {unknown} that are not model outputs; "
                             f"the outputs are {names}.")
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)) and len(names) > 1:
        if len(spec) != len(names):
            raise ValueError(f"compile: {what} has {len(spec)} entries for {len(names)} model "
                             f"outputs {names}.")
        return list(spec)
    return [spec] * len(names)


def resolve_metric(identifier, y_true, y_pred):
    """A Metric for one compile() entry; 'accuracy' becomes binary, categorical or sparse
    categorical accuracy from the target and prediction shapes, as in Keras."""
    from keraslite.metrics.resolve import get_metric

    return get_metric(identifier, tuple(y_true.shape), tuple(y_pred.shape))


def _as_loss(obj):
    """Loss functions are wrapped so sample weights, masks and reduction apply (as in Keras)."""
    from keraslite.losses import Loss, LossFunctionWrapper

    if isinstance(obj, Loss):
        return obj
    return LossFunctionWrapper(obj, name=getattr(obj, "__name__", "loss"))


class CompileLoss:
    def __init__(self, loss, loss_weights=None):
        self.loss = loss
        self.loss_weights = loss_weights
        self.built = False

    def build(self, output_names):
        from keraslite import losses, metrics

        self.output_names = list(output_names)
        raw = _per_output(self.loss, self.output_names, "loss")
        self.losses = [_as_loss(losses.get(spec)) if spec is not None else None for spec in raw]
        if all(fn is None for fn in self.losses):
            raise ValueError("compile() was not given a loss, so the model cannot be trained.")
        weights = _per_output(self.loss_weights, self.output_names, "loss_weights")
        self.weights = [1.0 if w is None else float(w) for w in weights]
        multi = len(self.output_names) > 1
        self.trackers = [metrics.Mean(name=f"{n}_loss") if multi and fn is not None else None
                         for n, fn in zip(self.output_names, self.losses)]
        self.built = True

    @property
    def metrics(self):
        return [t for t in self.trackers if t is not None]

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_true = _align(y_true, self.output_names, "y")
        y_pred = _align(y_pred, self.output_names, "model output")
        weights = (_align(sample_weight, self.output_names, "sample_weight")
                   if isinstance(sample_weight, (list, tuple, dict)) else
                   [sample_weight] * len(self.output_names))
        total = None
        for fn, w, tracker, yt, yp, sw in zip(self.losses, self.weights, self.trackers, y_true,
                                              y_pred, weights):
            if fn is None or yt is None:
                continue
            value = fn(yt, yp, sample_weight=sw)
            value = ops.mean(value) if len(value.shape) else value
            if tracker is not None:
                tracker.update_state(value, sample_weight=ops.shape(yp)[0])
            value = ops.multiply(value, w) if w != 1.0 else value
            total = value if total is None else ops.add(total, value)
        return total


def _align(values, names, what):
    """Values as a list aligned with the output names."""
    if isinstance(values, dict):
        return [values.get(n) for n in names]
    if isinstance(values, (list, tuple)):
        if len(values) != len(names):
            raise ValueError(f"Expected {len(names)} {what} values for outputs {names}, "
                             f"received {len(values)}.")
        return list(values)
    if len(names) != 1:
        raise ValueError(f"The model has {len(names)} outputs {names}, but a single {what} was "
                         "given.")
    return [values]


class CompileMetrics:
    def __init__(self, metrics=None, weighted_metrics=None):
        self._metrics_spec = metrics
        self._weighted_spec = weighted_metrics
        self.built = False
        self.unweighted, self.weighted = [], []

    def build(self, output_names, y_true, y_pred):
        self.output_names = list(output_names)
        y_true = _align(y_true, self.output_names, "y")
        y_pred = _align(y_pred, self.output_names, "model output")
        multi = len(self.output_names) > 1
        self.unweighted = self._make(self._metrics_spec, y_true, y_pred, multi)
        self.weighted = self._make(self._weighted_spec, y_true, y_pred, multi)
        self.built = True

    def _make(self, spec, y_true, y_pred, multi):
        names = self.output_names
        if spec is None:
            return [[] for _ in names]
        if isinstance(spec, dict):
            per_output = _per_output(spec, names, "metrics")
        elif isinstance(spec, (list, tuple)) and multi and any(
                isinstance(s, (list, tuple, dict)) or s is None for s in spec):
            per_output = _per_output(list(spec), names, "metrics")  # one entry per output
        else:
            items = list(spec) if isinstance(spec, (list, tuple)) else [spec]
            per_output = [items] * len(names)  # the same metrics for every output
        out = []
        for name, items, yt, yp in zip(names, per_output, y_true, y_pred):
            items = [] if items is None else items if isinstance(items, (list, tuple)) else [items]
            made = []
            for item in items:
                metric = resolve_metric(item, yt, yp)
                if multi:
                    metric.name = f"{name}_{metric.name}"
                made.append(metric)
            out.append(made)
        return out

    @property
    def metrics(self):
        return [m for group in self.unweighted + self.weighted for m in group]

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = _align(y_true, self.output_names, "y")
        y_pred = _align(y_pred, self.output_names, "model output")
        weights = (_align(sample_weight, self.output_names, "sample_weight")
                   if isinstance(sample_weight, (list, tuple, dict)) else
                   [sample_weight] * len(self.output_names))
        for i, (yt, yp) in enumerate(zip(y_true, y_pred)):
            if yt is None:
                continue
            for metric in self.unweighted[i]:
                metric.update_state(yt, yp)
            for metric in self.weighted[i]:
                metric.update_state(yt, yp, sample_weight=weights[i])


def flat_outputs(y_pred):
    return tree.flatten(y_pred)
