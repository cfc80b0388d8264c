"""Generate the loss reference table from real Keras 3 (the reference peer).

Run with Keras 3.15.1 and the jax backend:

    KERAS_BACKEND=jax python tests/data/make_keras_losses.py

Keras' default jax setup (64-bit types off) computes every case: float64 inputs give float32
results, which is the dtype rule keraslite follows on every backend (keraslite.backend.dtypes).

It writes keras_losses.json next to this file:
- "cases": one per call of a loss, as a function or as a class instance, with its inputs
  (y_true, y_pred, optional sample_weight and mask, drawn from fixed numpy seeds), the
  constructor or function keyword arguments, Keras' output values, dtype and shape and, for
  classes, the instance's get_config().
- "public": every public name of keras.losses with its signature (parameters and defaults).
- "aliases": every name keras.losses.get / deserialize accepts, with the object it gives.
- "configs": get_config() and serialize() of every loss class built with its defaults.
- "bad_shapes": label/prediction shape pairs Keras cannot use, per loss.
- "op_dtypes": the output dtype of the keras.ops kernels some losses are built on, for float16,
  float32 and float64 inputs. A loss inherits its kernel's dtype, so the tests can tell a loss
  bug from a backend kernel that disagrees with Keras.

The test suite only reads the json file; it never imports keras.
"""

import inspect
import json
import os
import pathlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402, TID251  (the generator is the one file that runs real Keras)
import numpy as np  # noqa: E402
from keras.src.backend.common.masking import set_keras_mask  # noqa: E402, TID251
from keras.src.losses import ALL_OBJECTS_DICT  # noqa: E402, TID251

HERE = pathlib.Path(__file__).resolve().parent
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None]


def enc(a):
    a = np.asarray(a)
    if a.dtype in (np.float16, np.float32):  # shortest decimal that reads back to the same value
        data = [float(str(v)) for v in a.ravel()]
    else:
        data = a.ravel().tolist()
    return {"dtype": str(a.dtype), "shape": list(a.shape), "data": data}


def jsonable(x):
    if isinstance(x, tuple):
        return [jsonable(v) for v in x]
    if isinstance(x, list):
        return [jsonable(v) for v in x]
    if isinstance(x, dict):
        return {k: jsonable(v) for k, v in x.items()}
    return x


# ------------------------------------------------------------------------------------------
# inputs: kind -> (y_true, y_pred) in float64, cast to the case's dtype later


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _one_hot(labels, n):
    return np.eye(n)[labels]


def make_inputs(kind, seed):
    rng = np.random.default_rng(seed)
    if kind == "reg":
        return rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    if kind == "reg_col":  # labels (batch,) against predictions (batch, 1)
        return rng.normal(size=(4,)), rng.normal(size=(4, 1))
    if kind == "reg_seq":
        return rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    if kind == "mape":
        t = rng.normal(size=(4, 3))
        t[0, 0] = 0.0  # a zero label exercises the epsilon floor
        return t, rng.normal(size=(4, 3))
    if kind == "pos":
        return rng.uniform(0, 3, size=(4, 3)), rng.uniform(0.1, 3, size=(4, 3))
    if kind == "prob_bin":
        return rng.integers(0, 2, size=(4, 3)).astype(float), rng.uniform(0.02, 0.98, (4, 3))
    if kind == "prob_bin_seq":
        return (rng.integers(0, 2, size=(2, 3, 4)).astype(float),
                rng.uniform(0.02, 0.98, (2, 3, 4)))
    if kind == "logit_bin":
        return rng.integers(0, 2, size=(4, 3)).astype(float), 2 * rng.normal(size=(4, 3))
    if kind == "hinge_pm":
        return rng.choice([-1.0, 1.0], size=(4, 3)), rng.normal(size=(4, 3))
    if kind == "hinge_01":
        return rng.integers(0, 2, size=(4, 3)).astype(float), rng.normal(size=(4, 3))
    if kind == "onehot":
        return _one_hot(rng.integers(0, 5, 4), 5), _softmax(rng.normal(size=(4, 5)))
    if kind == "onehot_logits":
        return _one_hot(rng.integers(0, 5, 4), 5), 2 * rng.normal(size=(4, 5))
    if kind == "onehot_t":  # classes on axis 0
        return _one_hot(rng.integers(0, 5, 4), 5).T, _softmax(rng.normal(size=(5, 4)), axis=0)
    if kind == "onehot_seq":
        return _one_hot(rng.integers(0, 4, (2, 3)), 4), _softmax(rng.normal(size=(2, 3, 4)))
    if kind == "dist":
        return _softmax(rng.normal(size=(4, 5))), _softmax(rng.normal(size=(4, 5)))
    if kind == "sparse":
        return rng.integers(0, 5, 4).astype("int32"), _softmax(rng.normal(size=(4, 5)))
    if kind == "sparse_col":
        return rng.integers(0, 5, (4, 1)).astype("int32"), _softmax(rng.normal(size=(4, 5)))
    if kind == "sparse_logits":
        return rng.integers(0, 5, 4).astype("int32"), 2 * rng.normal(size=(4, 5))
    if kind == "sparse_seq":
        return rng.integers(0, 4, (2, 3)).astype("int32"), _softmax(rng.normal(size=(2, 3, 4)))
    if kind == "sparse_seq_ignore":  # label -1 marks positions to ignore
        t = rng.integers(0, 4, (2, 3)).astype("int32")
        t[0, 1] = t[1, 2] = -1
        return t, _softmax(rng.normal(size=(2, 3, 4)))
    if kind == "seg":
        return rng.integers(0, 2, size=(2, 4, 3)).astype(float), rng.uniform(0, 1, (2, 4, 3))
    if kind == "ctc":
        t = np.array([[1, 3, 2, 0], [4, 4, 0, 0], [2, 1, 3, 1]], dtype="int32")
        return t, rng.normal(size=(3, 9, 5))
    if kind == "circle":
        e = rng.normal(size=(6, 4))
        return (np.array([0, 1, 0, 2, 1, 0], dtype="int32"),
                e / np.linalg.norm(e, axis=1, keepdims=True))
    raise KeyError(kind)


# loss function -> (class, [(input kind, kwargs), ...]); the first entry is the base case
LOSSES = {
    "mean_squared_error": ("MeanSquaredError", [("reg", {}), ("reg_col", {})]),
    "mean_absolute_error": ("MeanAbsoluteError", [("reg", {}), ("reg_col", {})]),
    "mean_absolute_percentage_error": ("MeanAbsolutePercentageError", [("mape", {})]),
    "mean_squared_logarithmic_error": ("MeanSquaredLogarithmicError", [("pos", {})]),
    "cosine_similarity": ("CosineSimilarity", [("reg", {}), ("reg", {"axis": 0})]),
    "huber": ("Huber", [("reg", {}), ("reg", {"delta": 0.5})]),
    "log_cosh": ("LogCosh", [("reg", {})]),
    "hinge": ("Hinge", [("hinge_pm", {}), ("hinge_01", {})]),
    "squared_hinge": ("SquaredHinge", [("hinge_pm", {}), ("hinge_01", {})]),
    "categorical_hinge": ("CategoricalHinge", [("onehot_logits", {})]),
    "kl_divergence": ("KLDivergence", [("dist", {})]),
    "poisson": ("Poisson", [("pos", {})]),
    "binary_crossentropy": ("BinaryCrossentropy", [
        ("prob_bin", {}), ("prob_bin", {"label_smoothing": 0.2}), ("prob_bin", {"axis": 0}),
        ("logit_bin", {"from_logits": True}),
        ("logit_bin", {"from_logits": True, "label_smoothing": 0.1})]),
    "binary_focal_crossentropy": ("BinaryFocalCrossentropy", [
        ("prob_bin", {}),
        ("prob_bin", {"apply_class_balancing": True, "alpha": 0.4, "gamma": 1.5}),
        ("prob_bin", {"label_smoothing": 0.1}), ("logit_bin", {"from_logits": True}),
        ("logit_bin", {"from_logits": True, "apply_class_balancing": True})]),
    "categorical_crossentropy": ("CategoricalCrossentropy", [
        ("onehot", {}), ("onehot", {"label_smoothing": 0.1}),
        ("onehot_logits", {"from_logits": True}),
        ("onehot_logits", {"from_logits": True, "label_smoothing": 0.2}),
        ("onehot_t", {"axis": 0})]),
    "categorical_focal_crossentropy": ("CategoricalFocalCrossentropy", [
        ("onehot", {}), ("onehot", {"alpha": 0.5, "gamma": 1.0}),
        ("onehot", {"label_smoothing": 0.1}), ("onehot_logits", {"from_logits": True}),
        ("onehot_t", {"axis": 0})]),
    "sparse_categorical_crossentropy": ("SparseCategoricalCrossentropy", [
        ("sparse", {}), ("sparse_col", {}), ("sparse_logits", {"from_logits": True}),
        ("sparse_seq", {}), ("sparse_seq_ignore", {"ignore_class": -1})]),
    "categorical_generalized_cross_entropy": ("CategoricalGeneralizedCrossEntropy", [
        ("sparse", {"q": 0.5}), ("sparse", {"q": 0.3})]),
    "ctc": ("CTC", [("ctc", {})]),
    "dice": ("Dice", [("seg", {}), ("seg", {"axis": (1, 2)})]),
    "tversky": ("Tversky", [("seg", {}), ("seg", {"alpha": 0.7, "beta": 0.3}),
                            ("seg", {"axis": (1, 2)})]),
    "circle": ("Circle", [("circle", {}), ("circle", {"gamma": 32.0, "margin": 0.25}),
                          ("circle", {"remove_diagonal": False})]),
}
# losses whose per-sample values follow the input's float dtype, so float16 and float64
# inputs are worth a case (ctc and circle stay float32: their kernels and -inf masking)
MULTI_DTYPE = set(LOSSES) - {"ctc", "circle"}
INT_LABELS = {"sparse", "sparse_col", "sparse_logits", "sparse_seq", "sparse_seq_ignore", "ctc",
              "circle"}


def cast_inputs(kind, y_true, y_pred, dtype):
    y_true = y_true if kind in INT_LABELS else y_true.astype(dtype)
    return y_true, y_pred.astype(dtype)


# ------------------------------------------------------------------------------------------

CASES = []


def run_case(case_id, form, fn_name, kwargs, y_true, y_pred, sample_weight=None, mask=None,
             call_kwargs=None):
    """Run one call in Keras and record it (inputs as numpy arrays)."""
    cls_name = LOSSES[fn_name][0] if fn_name in LOSSES else fn_name
    yp = jnp.asarray(y_pred)
    if mask is not None:
        set_keras_mask(yp, jnp.asarray(mask))
    case = {"id": case_id, "form": form, "y_true": enc(y_true), "y_pred": enc(y_pred)}
    if form == "fn":
        case["name"] = fn_name
        extra = {k: jnp.asarray(v) for k, v in (call_kwargs or {}).items()}
        out = getattr(keras.losses, fn_name)(jnp.asarray(y_true), yp, **kwargs, **extra)
        if call_kwargs:
            case["array_kwargs"] = {k: enc(v) for k, v in call_kwargs.items()}
    else:
        case["name"] = cls_name
        loss = getattr(keras.losses, cls_name)(**kwargs)
        sw = None if sample_weight is None else jnp.asarray(sample_weight)
        out = loss(jnp.asarray(y_true), yp, sample_weight=sw)
        case["config"] = jsonable(loss.get_config())
    case["kwargs"] = jsonable(kwargs)
    if sample_weight is not None:
        case["sample_weight"] = enc(sample_weight)
    if mask is not None:
        case["mask"] = enc(mask)
    out = np.asarray(out)
    if np.isnan(out).any():
        raise RuntimeError(f"{case_id}: Keras gave NaN; pick other inputs")
    case["expected"] = enc(out)
    CASES.append(case)
    return out


def weights_for(seed, shape):
    return np.random.default_rng(1000 + seed).uniform(0.0, 2.0, size=shape)


def build_cases():
    seed = 0
    for fn_name, (cls_name, variants) in LOSSES.items():
        for v, (kind, kwargs) in enumerate(variants):
            seed += 1
            y_true, y_pred = cast_inputs(kind, *make_inputs(kind, seed), "float32")
            tag = f"{fn_name}[{kind}{','.join(f'{k}={kwargs[k]}' for k in kwargs)}]"
            per_sample = run_case(f"{tag}/fn/float32", "fn", fn_name, kwargs, y_true, y_pred)
            run_case(f"{tag}/cls", "cls", fn_name, kwargs, y_true, y_pred)
            # weights shaped like the per-sample values (a scalar loss: one per batch row)
            values_shape = per_sample.shape or y_true.shape[:1]
            sw = weights_for(seed, values_shape).astype("float32")
            run_case(f"{tag}/cls/sample_weight", "cls", fn_name, kwargs, y_true, y_pred, sw)
            if v:
                continue
            # base case: every reduction, with and without weights
            for red in REDUCTIONS:
                k = {**kwargs, "reduction": red}
                run_case(f"{tag}/cls/reduction={red}", "cls", fn_name, k, y_true, y_pred)
                run_case(f"{tag}/cls/reduction={red}/sample_weight", "cls", fn_name, k, y_true,
                         y_pred, sw)
            if kind not in ("ctc", "circle"):
                col = weights_for(seed, (values_shape[0], 1)).astype("float32")
                run_case(f"{tag}/cls/sample_weight_col", "cls", fn_name, kwargs, y_true, y_pred,
                         col)
                run_case(f"{tag}/cls/sample_weight_scalar", "cls", fn_name, kwargs, y_true,
                         y_pred, np.float32(0.7))
            run_case(f"{tag}/cls/name", "cls", fn_name, {**kwargs, "name": "my_loss"}, y_true,
                     y_pred)
            if fn_name not in MULTI_DTYPE:
                continue
            for dt in ("float16", "float64"):
                t, p = cast_inputs(kind, *make_inputs(kind, seed), dt)
                run_case(f"{tag}/fn/{dt}", "fn", fn_name, kwargs, t, p)
                # class on these inputs computes in floatx ...
                run_case(f"{tag}/cls/{dt}-inputs", "cls", fn_name, kwargs, t, p)
                # ... or in its own dtype
                run_case(f"{tag}/cls/dtype={dt}", "cls", fn_name, {**kwargs, "dtype": dt},
                         y_true, y_pred, sw)
    # circle against separate reference embeddings (function form only)
    y_true, y_pred = make_inputs("circle", 99)
    ref_l, ref_e = make_inputs("circle", 98)
    run_case("circle[ref]/fn/float32", "fn", "circle", {}, y_true, y_pred.astype("float32"),
             call_kwargs={"ref_labels": ref_l, "ref_embeddings": ref_e.astype("float32")})


def build_mask_cases():
    """A mask attached to y_pred, with every reduction, alone and with sample weights."""
    specs = [("mean_squared_error", "reg_seq", {}),
             ("binary_crossentropy", "prob_bin_seq", {}),
             ("categorical_crossentropy", "onehot_seq", {}),
             ("sparse_categorical_crossentropy", "sparse_seq", {}),
             ("sparse_categorical_crossentropy", "sparse_seq_ignore", {"ignore_class": -1})]
    mask = np.array([[True, True, False], [True, False, False]])
    for i, (fn_name, kind, kwargs) in enumerate(specs):
        y_true, y_pred = cast_inputs(kind, *make_inputs(kind, 500 + i), "float32")
        tag = f"{fn_name}[{kind}{','.join(f'{k}={kwargs[k]}' for k in kwargs)}]/mask"
        sws = {"": None,
               "/sample_weight": weights_for(i, (2, 3)).astype("float32"),
               "/sample_weight_col": weights_for(i, (2, 1)).astype("float32")}
        for red in REDUCTIONS:
            for sw_tag, sw in sws.items():
                run_case(f"{tag}/reduction={red}{sw_tag}", "cls", fn_name,
                         {**kwargs, "reduction": red}, y_true, y_pred, sw, mask=mask)
    # everything masked: the averaging reductions give 0, not NaN
    y_true, y_pred = cast_inputs("reg_seq", *make_inputs("reg_seq", 600), "float32")
    for red in ("sum_over_batch_size", "mean_with_sample_weight"):
        run_case(f"mean_squared_error/all_masked/reduction={red}", "cls", "mean_squared_error",
                 {"reduction": red}, y_true, y_pred, mask=np.zeros((2, 3), bool))


# ------------------------------------------------------------------------------------------


def _default(p):
    if p.default is inspect.Parameter.empty:
        return {"required": True}
    return {"default": jsonable(p.default)}


def public_table():
    out = {}
    for name in dir(keras.losses):
        if name.startswith("_"):
            continue
        obj = getattr(keras.losses, name)
        target = obj.__init__ if inspect.isclass(obj) else obj
        params = [p for p in inspect.signature(target).parameters.values() if p.name != "self"]
        out[name] = {"kind": "class" if inspect.isclass(obj) else "function",
                     "params": [{"name": p.name, "kind": str(p.kind), **_default(p)}
                                for p in params]}
    return out


def alias_table():
    return {k: {"kind": "class" if inspect.isclass(v) else "function", "name": v.__name__}
            for k, v in ALL_OBJECTS_DICT.items()}


def config_table():
    out = {}
    for name in dir(keras.losses):
        obj = getattr(keras.losses, name)
        if inspect.isclass(obj) and name != "Loss":
            inst = obj()
            out[name] = {"config": jsonable(inst.get_config()),
                         "serialized": jsonable(keras.losses.serialize(inst))}
    return out


BAD_SHAPES = {  # loss function -> (y_true shape, y_pred shape) Keras cannot use
    "mean_squared_error": ((4, 3), (4, 5)),
    "mean_absolute_error": ((4, 3), (4, 5)),
    "mean_absolute_percentage_error": ((4, 3), (4, 5)),
    "mean_squared_logarithmic_error": ((4, 3), (4, 5)),
    "cosine_similarity": ((4, 3), (4, 5)),
    "huber": ((4, 3), (4, 5)),
    "log_cosh": ((4, 3), (4, 5)),
    "hinge": ((4, 3), (4, 5)),
    "squared_hinge": ((4, 3), (4, 5)),
    "categorical_hinge": ((4, 3), (4, 5)),
    "kl_divergence": ((4, 3), (4, 5)),
    "poisson": ((4, 3), (4, 5)),
    "binary_crossentropy": ((4, 3), (4, 5)),
    "binary_focal_crossentropy": ((4, 3), (4, 5)),
    "categorical_crossentropy": ((4, 3), (4, 5)),
    "categorical_focal_crossentropy": ((4, 3), (4, 5)),
    "sparse_categorical_crossentropy": ((3,), (4, 5)),
    "dice": ((4, 3), (4, 5)),
    "tversky": ((4, 3), (4, 5)),
    "ctc": ((4, 3, 2), (4, 6, 5)),
    "circle": ((3,), (4, 5)),
}


def bad_shape_table():
    out = {}
    for fn_name, (ts, ps) in BAD_SHAPES.items():
        int_labels = fn_name in ("sparse_categorical_crossentropy", "ctc", "circle")
        t = np.ones(ts, "int32") if int_labels else np.full(ts, 0.5, "float32")
        p = np.full(ps, 0.5, "float32")
        try:
            np.asarray(getattr(keras.losses, fn_name)(t, p))
            raise RuntimeError(f"Keras accepted the bad shapes of {fn_name}")
        except RuntimeError:
            raise
        except Exception as e:  # recorded for reference; keraslite answers with a ValueError
            out[fn_name] = {"y_true_shape": list(ts), "y_pred_shape": list(ps),
                            "keras_error": type(e).__name__}
    return out


def op_dtype_table():
    rng = np.random.default_rng(7)
    out = {}
    for dt in ("float16", "float32", "float64"):
        p = rng.uniform(0.1, 0.9, (4, 3)).astype(dt)
        t = (rng.uniform(size=(4, 3)) > 0.5).astype(dt)
        labels = np.array([0, 1, 2, 1], "int32")
        for from_logits in (False, True):
            calls = {"binary_crossentropy": (t, p), "categorical_crossentropy": (t, p),
                     "sparse_categorical_crossentropy": (labels, p)}
            for op, args in calls.items():
                res = getattr(keras.ops, op)(*args, from_logits=from_logits)
                out[f"{op}/{dt}/from_logits={from_logits}"] = str(np.asarray(res).dtype)
        out[f"normalize/{dt}"] = str(np.asarray(keras.ops.normalize(p)).dtype)
    return out


def main():
    build_cases()
    build_mask_cases()
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    data = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
            "floatx": keras.config.floatx(), "epsilon": keras.config.epsilon(),
            "cases": CASES, "public": public_table(), "aliases": alias_table(),
            "configs": config_table(), "bad_shapes": bad_shape_table(),
            "op_dtypes": op_dtype_table()}
    path = HERE / "keras_losses.json"
    path.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"wrote {len(CASES)} cases to {path}")


if __name__ == "__main__":
    main()
