"""Core functionality on the active backend: gradients, compilation, control flow, recurrence,
random sampling and symbolic shape inference, each against numpy or closed-form references.

Every control-flow and gradient test also runs under keraslite.backend.jit.
"""

import numpy as np
import pytest

import keraslite
from keraslite import backend, ops
from keraslite import random as krandom

RTOL, ATOL = 1e-5, 1e-5

MODES = [pytest.param(lambda f: f, id="eager"), pytest.param(backend.jit, id="jit")]


def np_(x):
    """Nested structure of backend tensors -> same structure of numpy arrays."""
    if isinstance(x, dict):
        return {k: np_(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return type(x)(np_(v) for v in x) if not hasattr(x, "_fields") else tuple(map(np_, x))
    if isinstance(x, (bool, int, float, np.ndarray, np.generic)):
        return np.asarray(x)
    return np.asarray(ops.convert_to_numpy(x))


def close(a, b, rtol=RTOL, atol=ATOL):
    np.testing.assert_allclose(np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64),
                               rtol=rtol, atol=atol)


def T(x):
    return ops.convert_to_tensor(np.asarray(x))


def rnd(*shape, seed=0, lo=-1.0, hi=1.0):
    return np.random.default_rng(seed).uniform(lo, hi, size=shape).astype("float32")


# ------------------------------------------------------------------------------------------
# value_and_grad and grad


@pytest.mark.parametrize("mode", MODES)
def test_value_and_grad_single_arg(mode):
    x, w = rnd(2, 3), rnd(2, 3, seed=1)

    def f(x):
        return ops.sum(ops.multiply(ops.square(x), w))

    value, g = mode(backend.value_and_grad(f))(T(x))
    close(np_(value), np.sum(x * x * w))
    close(np_(g), 2 * x * w)


@pytest.mark.parametrize("mode", MODES)
def test_value_and_grad_argnums(mode):
    x, y = rnd(3, seed=2), rnd(3, seed=3)

    def f(x, y):
        return ops.add(ops.sum(ops.multiply(x, y)), ops.sum(ops.power(y, 3)))

    value, (gx, gy) = mode(backend.value_and_grad(f, argnums=(0, 1)))(T(x), T(y))
    close(np_(value), np.sum(x * y) + np.sum(y ** 3))
    close(np_(gx), y)
    close(np_(gy), x + 3 * y ** 2)
    value, gy_only = mode(backend.value_and_grad(f, argnums=1))(T(x), T(y))
    close(np_(gy_only), x + 3 * y ** 2)
    g = mode(backend.grad(f, argnums=(1,)))(T(x), T(y))
    assert isinstance(g, (list, tuple)) and len(g) == 1
    close(np_(g[0]), x + 3 * y ** 2)


@pytest.mark.parametrize("mode", MODES)
def test_value_and_grad_has_aux(mode):
    x = rnd(4, seed=4)

    def f(x):
        loss = ops.sum(ops.exp(x))
        return loss, {"double": ops.multiply(x, 2.0), "n": ops.max(x)}

    (value, aux), g = mode(backend.value_and_grad(f, has_aux=True))(T(x))
    close(np_(value), np.sum(np.exp(x)))
    close(np_(aux["double"]), 2 * x)
    close(np_(aux["n"]), x.max())
    close(np_(g), np.exp(x))
    g2, aux2 = mode(backend.grad(f, has_aux=True))(T(x))
    close(np_(g2), np.exp(x))
    close(np_(aux2["double"]), 2 * x)


@pytest.mark.parametrize("mode", MODES)
def test_value_and_grad_nested_structures(mode):
    x = rnd(2, 3, seed=5)
    params = {"w": rnd(3, 2, seed=6), "b": [rnd(2, seed=7), rnd(2, 2, seed=8)]}

    def f(params, x):
        h = ops.add(ops.matmul(x, params["w"]), params["b"][0])
        return ops.add(ops.sum(ops.square(h)), ops.sum(ops.multiply(params["b"][1], 3.0)))

    tparams = {"w": T(params["w"]), "b": [T(params["b"][0]), T(params["b"][1])]}
    value, g = mode(backend.value_and_grad(f))(tparams, T(x))
    h = x @ params["w"] + params["b"][0]
    close(np_(value), np.sum(h ** 2) + 3 * np.sum(params["b"][1]))
    assert isinstance(g, dict) and set(g) == {"w", "b"}
    assert isinstance(g["b"], (list, tuple)) and len(g["b"]) == 2
    close(np_(g["w"]), x.T @ (2 * h))
    close(np_(g["b"][0]), np.sum(2 * h, axis=0))
    close(np_(g["b"][1]), np.full((2, 2), 3.0))


def test_value_and_grad_inside_inference_scope():
    # test and predict steps run in the backend's inference scope (torch: no_grad); a custom
    # step that differentiates there must still get gradients
    x = rnd(4, seed=3)
    with backend.core.inference_scope():
        value, g = backend.value_and_grad(lambda v: ops.sum(ops.square(v)))(T(x))
        y = ops.multiply(T(x), 2.0)
    close(np_(value), np.sum(x * x))
    close(np_(g), 2 * x)
    close(np_(y), 2 * x)


def test_grad_is_pure_and_ignores_variables():
    v = keraslite.Variable(np.ones(3, "float32"))
    x = rnd(3, seed=9)

    def f(x):
        return ops.sum(ops.multiply(x, v))  # v is a constant here

    g = backend.grad(f)(T(x))
    close(np_(g), np.ones(3))
    close(np_(v.value), np.ones(3))


def test_stop_gradient_blocks_gradient():
    x = rnd(3, seed=10)

    def f(x):
        return ops.sum(ops.add(ops.multiply(x, 2.0), ops.stop_gradient(ops.square(x))))

    close(np_(backend.grad(f)(T(x))), np.full(3, 2.0))


# ------------------------------------------------------------------------------------------
# jit


def test_jit_matches_eager_and_retraces_for_new_shapes():
    def f(x, y):
        return ops.add(ops.matmul(x, y), 1.0), ops.sum(x)

    jf = backend.jit(f)
    for shape in ((2, 3), (4, 3)):
        x, y = rnd(*shape, seed=11), rnd(3, 2, seed=12)
        out, s = jf(T(x), T(y))
        close(np_(out), x @ y + 1)
        close(np_(s), x.sum())


def test_jit_compile_false_returns_function():
    def f(x):
        return ops.add(x, 1)

    assert backend.jit(f, jit_compile=False) is f


def test_jit_of_value_and_grad():
    x = rnd(3, seed=13)
    vg = backend.jit(backend.value_and_grad(lambda x: ops.sum(ops.sin(x))))
    value, g = vg(T(x))
    close(np_(value), np.sin(x).sum())
    close(np_(g), np.cos(x))


# ------------------------------------------------------------------------------------------
# control flow


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["true", "false"])
def test_cond(mode, sign):
    x = rnd(3, seed=14, lo=0.1, hi=1.0) * sign

    def f(x):
        return ops.cond(ops.greater(ops.sum(x), 0.0),
                        lambda: (ops.square(x), ops.sum(x)),
                        lambda: (ops.multiply(x, 3.0), ops.max(x)))

    a, b = mode(f)(T(x))
    if sign > 0:
        close(np_(a), x ** 2)
        close(np_(b), x.sum())
    else:
        close(np_(a), 3 * x)
        close(np_(b), x.max())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["true", "false"])
def test_cond_grad(mode, sign):
    x = rnd(3, seed=15, lo=0.1, hi=1.0) * sign

    def f(x):
        return ops.cond(ops.greater(ops.sum(x), 0.0), lambda: ops.sum(ops.square(x)),
                        lambda: ops.sum(ops.multiply(x, 3.0)))

    g = mode(backend.grad(f))(T(x))
    close(np_(g), 2 * x if sign > 0 else np.full(3, 3.0))


@pytest.mark.parametrize("mode", MODES)
def test_while_loop_tuple(mode):
    def f(x):
        return ops.while_loop(lambda i, v: ops.less(i, 5),
                              lambda i, v: (ops.add(i, 1), ops.multiply(v, 2.0)),
                              (ops.convert_to_tensor(0), x))

    x = rnd(3, seed=16)
    i, v = mode(f)(T(x))
    assert int(np_(i)) == 5
    close(np_(v), x * 32)


@pytest.mark.parametrize("mode", MODES)
def test_while_loop_single_and_maximum_iterations(mode):
    def f(x):
        return ops.while_loop(lambda v: ops.less(ops.sum(v), 1000.0),
                              lambda v: ops.multiply(v, 2.0), x, maximum_iterations=3)

    x = np.ones(2, "float32")
    out = mode(f)(T(x))
    assert not isinstance(out, (list, tuple))
    close(np_(out), x * 8)

    def g(x):
        return ops.while_loop(lambda v: ops.less(ops.sum(v), 1000.0),
                              lambda v: ops.multiply(v, 2.0), x)

    close(np_(mode(g)(T(x))), x * 512)


@pytest.mark.parametrize("mode", MODES)
def test_while_loop_list(mode):
    def f(a, b):
        return ops.while_loop(lambda a, b: ops.less(ops.sum(a), 10.0),
                              lambda a, b: [ops.add(a, 1.0), ops.subtract(b, 1.0)], [a, b])

    out = mode(f)(T(np.zeros(2, "float32")), T(np.zeros(3, "float32")))
    assert isinstance(out, list) and len(out) == 2
    close(np_(out[0]), np.full(2, 5.0))
    close(np_(out[1]), np.full(3, -5.0))


@pytest.mark.parametrize("mode", MODES)
def test_fori_loop(mode):
    def f(x):
        return ops.fori_loop(1, 5, lambda i, v: ops.add(ops.multiply(v, 2.0), ops.cast(i, "float32")), x)

    x = rnd(3, seed=17)
    expected = x.copy()
    for i in range(1, 5):
        expected = expected * 2 + i
    close(np_(mode(f)(T(x))), expected)


def _scan_ref(init, xs, reverse=False):
    carry = init
    order = range(len(xs))[::-1] if reverse else range(len(xs))
    out = [None] * len(xs)
    for t in order:
        carry = carry + xs[t]
        out[t] = carry * 2.0
    return carry, np.stack(out) if out else np.zeros((0,))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
def test_scan(mode, reverse):
    init, xs = rnd(2, seed=18), rnd(4, 2, seed=19)

    def f(init, xs):
        def step(carry, x):
            new = ops.add(carry, x)
            return new, ops.multiply(new, 2.0)

        return ops.scan(step, init, xs, reverse=reverse)

    carry, ys = mode(f)(T(init), T(xs))
    ec, eys = _scan_ref(init, xs, reverse)
    close(np_(carry), ec)
    close(np_(ys), eys)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("reverse", [False, True], ids=["forward", "reverse"])
def test_associative_scan_matches_scan(mode, reverse):
    xs = rnd(9, 2, 2, seed=24) * 0.7

    def f(xs):
        return ops.associative_scan(ops.matmul, xs, reverse=reverse)

    expected, acc = [None] * 9, None
    for t in (range(8, -1, -1) if reverse else range(9)):
        acc = xs[t] if acc is None else acc @ xs[t]
        expected[t] = acc
    close(np_(mode(f)(T(xs))), np.stack(expected))


@pytest.mark.parametrize("mode", MODES)
def test_scan_length_without_xs(mode):
    def f(init):
        return ops.scan(lambda c, _: (ops.multiply(c, 2.0), ops.sum(c)), init, None, length=3)

    init = rnd(2, seed=20)
    carry, ys = mode(f)(T(init))
    close(np_(carry), init * 8)
    close(np_(ys), [init.sum(), 2 * init.sum(), 4 * init.sum()])


@pytest.mark.parametrize("mode", MODES)
def test_scan_grad(mode):
    init, xs, w = rnd(2, seed=21), rnd(3, 2, seed=22), rnd(3, 2, seed=23)

    def loss(xs):
        def step(c, x):
            c = ops.multiply(ops.add(c, x), 0.5)
            return c, ops.square(c)

        _, ys = ops.scan(step, T(init), xs)
        return ops.sum(ops.multiply(ys, w))

    # reference: c_t = (c_{t-1} + x_t)/2, y_t = c_t^2; dL/dx by reverse accumulation
    cs, c = [], init.astype(np.float64)
    for t in range(3):
        c = (c + xs[t]) / 2
        cs.append(c)
    g, dc = np.zeros_like(xs, dtype=np.float64), np.zeros(2)
    for t in reversed(range(3)):
        dc = dc + 2 * cs[t] * w[t]
        g[t] = dc / 2
        dc = dc / 2
    close(np_(mode(backend.grad(loss))(T(xs))), g, rtol=1e-4)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("index,expected", [(0, 0), (1, 1), (2, 2), (7, 2), (-3, 0)],
                         ids=["0", "1", "2", "clamped_high", "clamped_low"])
def test_switch(mode, index, expected):
    branches = [lambda x, y: ops.add(x, y), lambda x, y: ops.multiply(x, y),
                lambda x, y: ops.subtract(x, y)]
    x, y = rnd(3, seed=24), rnd(3, seed=25)

    def f(i, x, y):
        return ops.switch(i, branches, x, y)

    out = mode(f)(ops.convert_to_tensor(index), T(x), T(y))
    close(np_(out), [x + y, x * y, x - y][expected])


@pytest.mark.parametrize("mode", MODES)
def test_switch_grad(mode):
    branches = [lambda x: ops.sum(ops.square(x)), lambda x: ops.sum(ops.sin(x))]
    x = rnd(3, seed=26)
    g = mode(backend.grad(lambda x, i: ops.switch(i, branches, x)))(T(x), ops.convert_to_tensor(1))
    close(np_(g), np.cos(x))


@pytest.mark.parametrize("mode", MODES)
def test_map(mode):
    xs = rnd(4, 3, seed=27)
    out = mode(lambda xs: ops.map(lambda x: ops.add(ops.square(x), ops.sum(x)), xs))(T(xs))
    close(np_(out), xs ** 2 + xs.sum(axis=1, keepdims=True))


@pytest.mark.parametrize("mode", MODES)
def test_map_structure(mode):
    a, b = rnd(3, 2, seed=28), rnd(3, seed=29)

    def f(a, b):
        return ops.map(lambda t: {"s": ops.multiply(t[0], t[1]), "m": ops.max(t[0])}, (a, b))

    out = mode(f)(T(a), T(b))
    close(np_(out["s"]), a * b[:, None])
    close(np_(out["m"]), a.max(axis=1))


@pytest.mark.parametrize("mode", MODES)
def test_map_grad(mode):
    xs = rnd(3, 2, seed=30)
    g = mode(backend.grad(lambda xs: ops.sum(ops.map(lambda x: ops.multiply(ops.sum(x), x), xs))))(T(xs))
    # d/dx_ij sum_k s_i x_ik = x_ij + s_i * 1 ... summed: d/dx_ij (s_i * s_i) = 2 s_i
    close(np_(g), 2 * np.repeat(xs.sum(axis=1, keepdims=True), 2, axis=1))


@pytest.mark.parametrize("mode", MODES)
def test_vectorized_map(mode):
    xs = rnd(4, 3, seed=31)
    out = mode(lambda xs: ops.vectorized_map(lambda x: ops.multiply(ops.sum(x), x), xs))(T(xs))
    close(np_(out), xs.sum(axis=1, keepdims=True) * xs)
    g = mode(backend.grad(lambda xs: ops.sum(ops.vectorized_map(lambda x: ops.square(x), xs))))(T(xs))
    close(np_(g), 2 * xs)


@pytest.mark.parametrize("mode", MODES)
def test_vectorized_map_tuple(mode):
    a, b = rnd(3, 2, seed=32), rnd(3, 2, seed=33)
    out = mode(lambda a, b: ops.vectorized_map(lambda t: ops.add(t[0], ops.sum(t[1])), (a, b)))(T(a), T(b))
    close(np_(out), a + b.sum(axis=1, keepdims=True))


@ops.custom_gradient
def _clipped_square(x):
    """Value x**2; gradient replaced by 10 * upstream (clearly not the true one)."""

    def grad_fn(*args, upstream=None):
        if upstream is None:
            (upstream,) = args
        return ops.multiply(upstream, 10.0)

    return ops.square(x), grad_fn


@pytest.mark.parametrize("mode", MODES)
def test_custom_gradient(mode):
    x, w = rnd(3, seed=34), rnd(3, seed=35)
    out = mode(_clipped_square)(T(x))
    close(np_(out), x ** 2)
    value, g = mode(backend.value_and_grad(lambda x: ops.sum(ops.multiply(_clipped_square(x), w))))(T(x))
    close(np_(value), np.sum(x ** 2 * w))
    close(np_(g), 10 * w)


# ------------------------------------------------------------------------------------------
# recurrence: rnn, lstm, gru against numpy loops


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _loop(step, xs, states, mask=None, go_backwards=False, zero_output_for_mask=False):
    """Keras' time loop: returns (outputs in processing order, final states)."""
    t_steps = xs.shape[1]
    order = list(range(t_steps))[::-1] if go_backwards else list(range(t_steps))
    outs, prev = [], None
    for t in order:
        out, new_states = step(xs[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            prev_out = states[0] if prev is None else prev
            out = np.where(m, out, 0.0 if zero_output_for_mask else prev_out)
            new_states = [np.where(m, n, s) for n, s in zip(new_states, states)]
        states = new_states
        prev = out if not zero_output_for_mask else states[0]
        outs.append(out)
    return np.stack(outs, axis=1), states


B, TT, D, UNITS = 2, 5, 3, 4
MASK = np.array([[1, 1, 0, 0, 1], [1, 0, 1, 0, 1]], dtype=bool)  # first and last steps kept

RNN_CASES = [
    pytest.param(dict(), id="plain"),
    pytest.param(dict(go_backwards=True), id="backwards"),
    pytest.param(dict(mask=MASK), id="mask"),
    pytest.param(dict(mask=MASK, go_backwards=True), id="mask_backwards"),
    pytest.param(dict(mask=MASK, zero_output_for_mask=True), id="mask_zero_output"),
    pytest.param(dict(return_all_outputs=False), id="last_only"),
    pytest.param(dict(unroll=True, mask=MASK), id="unroll_mask"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", RNN_CASES)
def test_rnn(mode, kw):
    xs, h0 = rnd(B, TT, D, seed=40), rnd(B, UNITS, seed=41)
    w, u = rnd(D, UNITS, seed=42), rnd(UNITS, UNITS, seed=43)
    mask = kw.get("mask")
    return_all = kw.get("return_all_outputs", True)

    def step(x, states):
        h = ops.tanh(ops.add(ops.matmul(x, T(w)), ops.matmul(states[0], T(u))))
        return h, [h]

    def f(xs, h0, *m):
        bkw = dict(kw)
        if m:
            bkw["mask"] = m[0]
        return backend.rnn.rnn(step, xs, [h0], **bkw)

    args = (T(xs), T(h0)) + ((T(mask),) if mask is not None else ())
    last, outputs, states = mode(f)(*args)

    def np_step(x, states):
        h = np.tanh(x @ w + states[0] @ u)
        return h, [h]

    eo, es = _loop(np_step, xs, [h0], mask, kw.get("go_backwards", False),
                   kw.get("zero_output_for_mask", False))
    close(np_(last), eo[:, -1])
    close(np_(outputs), eo if return_all else eo[:, -1:])
    assert len(states) == 1
    close(np_(states[0]), es[0])


def _lstm_np(xs, h0, c0, k, rk, b, mask=None, go_backwards=False):
    def step(x, states):
        h, c = states
        z = x @ k + h @ rk + (b if b is not None else 0)
        i, f, cc, o = np.split(z, 4, axis=-1)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(cc)
        h = _sigmoid(o) * np.tanh(c)
        return h, [h, c]

    return _loop(step, xs, [h0, c0], mask, go_backwards)


LSTM_CASES = [
    pytest.param(dict(), id="plain"),
    pytest.param(dict(return_sequences=True), id="sequences"),
    pytest.param(dict(return_sequences=True, go_backwards=True), id="backwards"),
    pytest.param(dict(return_sequences=True, mask=MASK), id="mask"),
    pytest.param(dict(return_sequences=True, mask=MASK, go_backwards=True), id="mask_backwards"),
    pytest.param(dict(return_sequences=True, no_bias=True), id="no_bias"),
    pytest.param(dict(return_sequences=True, unroll=True), id="unroll"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", LSTM_CASES)
def test_lstm(mode, kw):
    kw = dict(kw)
    xs, h0, c0 = rnd(B, TT, D, seed=50), rnd(B, UNITS, seed=51), rnd(B, UNITS, seed=52)
    k, rk = rnd(D, 4 * UNITS, seed=53), rnd(UNITS, 4 * UNITS, seed=54)
    b = None if kw.pop("no_bias", False) else rnd(4 * UNITS, seed=55)
    mask = kw.pop("mask", None)

    def f(xs, h0, c0, *m):
        return backend.rnn.lstm(xs, h0, c0, m[0] if m else None, T(k), T(rk),
                                None if b is None else T(b), ops.tanh, ops.sigmoid, **kw)

    args = (T(xs), T(h0), T(c0)) + ((T(mask),) if mask is not None else ())
    last, outputs, states = mode(f)(*args)
    eo, (eh, ec) = _lstm_np(xs, h0, c0, k, rk, b, mask, kw.get("go_backwards", False))
    close(np_(last), eo[:, -1], rtol=1e-4, atol=1e-5)
    close(np_(outputs), eo if kw.get("return_sequences") else eo[:, -1:], rtol=1e-4, atol=1e-5)
    close(np_(states[0]), eh, rtol=1e-4, atol=1e-5)
    close(np_(states[1]), ec, rtol=1e-4, atol=1e-5)


def _gru_np(xs, h0, k, rk, b, reset_after, mask=None, go_backwards=False):
    u = h0.shape[-1]

    def step(x, states):
        h = states[0]
        if reset_after:
            bi, br = (b[0], b[1]) if b is not None else (0, 0)
            xz, xr, xh = np.split(x @ k + bi, 3, axis=-1)
            hz, hr, hh = np.split(h @ rk + br, 3, axis=-1)
            z, r = _sigmoid(xz + hz), _sigmoid(xr + hr)
            cand = np.tanh(xh + r * hh)
        else:
            xz, xr, xh = np.split(x @ k + (b if b is not None else 0), 3, axis=-1)
            z = _sigmoid(xz + h @ rk[:, :u])
            r = _sigmoid(xr + h @ rk[:, u:2 * u])
            cand = np.tanh(xh + (r * h) @ rk[:, 2 * u:])
        h = z * h + (1 - z) * cand
        return h, [h]

    return _loop(step, xs, [h0], mask, go_backwards)


GRU_CASES = [
    pytest.param(dict(), id="plain"),
    pytest.param(dict(return_sequences=True), id="sequences"),
    pytest.param(dict(return_sequences=True, reset_after=False), id="reset_before"),
    pytest.param(dict(return_sequences=True, go_backwards=True), id="backwards"),
    pytest.param(dict(return_sequences=True, mask=MASK), id="mask"),
    pytest.param(dict(return_sequences=True, mask=MASK, go_backwards=True), id="mask_backwards"),
    pytest.param(dict(return_sequences=True, unroll=True), id="unroll"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("kw", GRU_CASES)
def test_gru(mode, kw):
    kw = dict(kw)
    reset_after = kw.get("reset_after", True)
    xs, h0 = rnd(B, TT, D, seed=60), rnd(B, UNITS, seed=61)
    k, rk = rnd(D, 3 * UNITS, seed=62), rnd(UNITS, 3 * UNITS, seed=63)
    b = rnd(2, 3 * UNITS, seed=64) if reset_after else rnd(3 * UNITS, seed=64)
    mask = kw.pop("mask", None)

    def f(xs, h0, *m):
        return backend.rnn.gru(xs, h0, m[0] if m else None, T(k), T(rk), T(b), ops.tanh,
                               ops.sigmoid, **kw)

    args = (T(xs), T(h0)) + ((T(mask),) if mask is not None else ())
    last, outputs, states = mode(f)(*args)
    eo, (eh,) = _gru_np(xs, h0, k, rk, b, reset_after, mask, kw.get("go_backwards", False))
    close(np_(last), eo[:, -1], rtol=1e-4, atol=1e-5)
    close(np_(outputs), eo if kw.get("return_sequences") else eo[:, -1:], rtol=1e-4, atol=1e-5)
    close(np_(states[0]), eh, rtol=1e-4, atol=1e-5)


def test_rnn_grad_matches_finite_differences():
    xs, h0 = rnd(1, 3, 2, seed=70).astype("float64"), rnd(1, 2, seed=71).astype("float64")
    w, u = rnd(2, 2, seed=72).astype("float64"), rnd(2, 2, seed=73).astype("float64")
    wt = rnd(1, 3, 2, seed=74).astype("float64")

    def np_loss(w):
        def step(x, states):
            h = np.tanh(x @ w + states[0] @ u)
            return h, [h]

        outs, _ = _loop(step, xs, [h0])
        return np.sum(outs * wt)

    def loss(w):
        def step(x, states):
            h = ops.tanh(ops.add(ops.matmul(x, w), ops.matmul(states[0], T(u))))
            return h, [h]

        _, outs, _ = backend.rnn.rnn(step, T(xs), [T(h0)])
        return ops.sum(ops.multiply(ops.cast(outs, "float64"), T(wt)))

    g = np_(backend.grad(loss)(T(w)))
    fd = np.zeros_like(w)
    for idx in np.ndindex(*w.shape):
        wp, wm = w.copy(), w.copy()
        wp[idx] += 1e-6
        wm[idx] -= 1e-6
        fd[idx] = (np_loss(wp) - np_loss(wm)) / 2e-6
    close(g, fd, rtol=1e-4, atol=1e-5)


# ------------------------------------------------------------------------------------------
# random


SAMPLERS = {
    "normal": lambda seed, dtype=None: krandom.normal((2000,), dtype=dtype, seed=seed),
    "uniform": lambda seed, dtype=None: krandom.uniform((2000,), dtype=dtype, seed=seed),
    "truncated_normal": lambda seed, dtype=None: krandom.truncated_normal((2000,), dtype=dtype,
                                                                         seed=seed),
    "randint": lambda seed, dtype=None: krandom.randint((2000,), 0, 10, seed=seed),
    "gamma": lambda seed, dtype=None: krandom.gamma((2000,), 2.0, dtype=dtype, seed=seed),
    "beta": lambda seed, dtype=None: krandom.beta((2000,), 2.0, 3.0, dtype=dtype, seed=seed),
    "binomial": lambda seed, dtype=None: krandom.binomial((2000,), 10, 0.3, dtype=dtype, seed=seed),
    "categorical": lambda seed, dtype=None: krandom.categorical(
        np.log(np.array([[0.2, 0.5, 0.3]] * 4, "float32")), 500, seed=seed),
    "dropout": lambda seed, dtype=None: krandom.dropout(np.ones((2000,), "float32"), 0.3, seed=seed),
    "shuffle": lambda seed, dtype=None: krandom.shuffle(np.arange(2000, dtype="float32"), seed=seed),
}


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_random_same_seed_same_values(name):
    a, b = np_(SAMPLERS[name](7)), np_(SAMPLERS[name](7))
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", list(SAMPLERS))
def test_random_different_seed_different_values(name):
    a, b = np_(SAMPLERS[name](7)), np_(SAMPLERS[name](8))
    assert a.shape == b.shape
    assert np.mean(a != b) > 0.3


@pytest.mark.parametrize("name,dtype", [("normal", "float32"), ("uniform", "float32"),
                                        ("truncated_normal", "float32"), ("gamma", "float32"),
                                        ("beta", "float32"), ("binomial", "float32"),
                                        ("randint", "int32"), ("categorical", "int32"),
                                        ("dropout", "float32"), ("shuffle", "float32")])
def test_random_default_dtype(name, dtype):
    out = SAMPLERS[name](1)
    assert backend.standardize_dtype(out.dtype) == dtype


@pytest.mark.parametrize("name", ["normal", "uniform", "truncated_normal", "gamma", "beta"])
@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_random_dtype_argument(name, dtype):
    out = SAMPLERS[name](1, dtype)
    assert backend.standardize_dtype(out.dtype) == dtype


def test_random_moments():
    x = np_(krandom.normal((4000,), mean=2.0, stddev=3.0, seed=1))
    assert abs(x.mean() - 2.0) < 0.2 and abs(x.std() - 3.0) < 0.2
    u = np_(krandom.uniform((4000,), minval=-2.0, maxval=4.0, seed=2))
    assert u.min() >= -2.0 and u.max() < 4.0
    assert abs(u.mean() - 1.0) < 0.15 and abs(u.std() - 6 / np.sqrt(12)) < 0.1
    t = np_(krandom.truncated_normal((4000,), mean=1.0, stddev=2.0, seed=3))
    assert t.min() >= 1.0 - 4.0 - 1e-5 and t.max() <= 1.0 + 4.0 + 1e-5
    assert abs(t.mean() - 1.0) < 0.15 and abs(t.std() - 2.0 * 0.8796) < 0.15
    r = np_(krandom.randint((4000,), 3, 7, seed=4))
    assert set(np.unique(r)) == {3, 4, 5, 6}
    g = np_(krandom.gamma((4000,), 3.0, seed=5))
    assert abs(g.mean() - 3.0) < 0.2 and abs(g.var() - 3.0) < 0.5
    be = np_(krandom.beta((4000,), 2.0, 6.0, seed=6))
    assert be.min() >= 0 and be.max() <= 1 and abs(be.mean() - 0.25) < 0.02
    bi = np_(krandom.binomial((4000,), 10, 0.3, seed=7))
    assert abs(bi.mean() - 3.0) < 0.15 and np.all(bi == np.round(bi)) and bi.min() >= 0
    assert bi.max() <= 10


def test_random_categorical_frequencies():
    probs = np.array([0.1, 0.6, 0.3])
    logits = np.log(np.stack([probs, probs[::-1]])).astype("float32")
    s = np_(krandom.categorical(logits, 3000, seed=3))
    assert s.shape == (2, 3000)
    for row, p in zip(s, (probs, probs[::-1])):
        freq = np.bincount(row, minlength=3) / row.size
        np.testing.assert_allclose(freq, p, atol=0.04)


def test_dropout_keeps_expectation():
    x = rnd(20000, seed=8, lo=0.5, hi=1.5)
    y = np_(krandom.dropout(x, 0.25, seed=9))
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.02
    close(y[kept], x[kept] / 0.75)
    assert abs(y.mean() - x.mean()) < 0.02


def test_dropout_noise_shape_broadcasts():
    x = np.ones((50, 8), "float32")
    y = np_(krandom.dropout(x, 0.5, noise_shape=(1, 8), seed=10))
    assert np.all(y == y[:1])  # the same columns are dropped in every row
    assert set(np.unique(y)) <= {0.0, 2.0}


def test_shuffle_is_a_permutation_along_axis():
    x = np.arange(40, dtype="float32").reshape(10, 4)
    y = np_(krandom.shuffle(x, axis=0, seed=11))
    np.testing.assert_array_equal(np.sort(y[:, 0]), x[:, 0])
    np.testing.assert_array_equal(y - y[:, :1], x - x[:, :1])  # rows stay whole
    assert not np.array_equal(y, x)


def test_seed_generator():
    g1, g2 = krandom.SeedGenerator(42), krandom.SeedGenerator(42)
    a1, a2 = np_(krandom.normal((5,), seed=g1)), np_(krandom.normal((5,), seed=g1))
    b1 = np_(krandom.normal((5,), seed=g2))
    assert not np.array_equal(a1, a2)
    np.testing.assert_array_equal(a1, b1)


def test_backend_random_is_stateless_under_jit():
    seed = ops.convert_to_tensor(np.array([3, 5], "int32"))
    eager = np_(backend.random.normal((4,), 0.0, 1.0, "float32", seed))
    again = np_(backend.random.normal((4,), 0.0, 1.0, "float32", seed))
    jitted = np_(backend.jit(lambda s: backend.random.uniform((4,), 0.0, 1.0, "float32", s))(seed))
    np.testing.assert_array_equal(eager, again)
    np.testing.assert_allclose(
        jitted, np_(backend.random.uniform((4,), 0.0, 1.0, "float32", seed)), rtol=1e-6)


# ------------------------------------------------------------------------------------------
# symbolic calls (KerasTensor)


KT = keraslite.KerasTensor

SYMBOLIC = [
    pytest.param(lambda: ops.matmul(KT((None, 3)), KT((3, 4))), (None, 4), "float32", id="matmul"),
    pytest.param(lambda: ops.concatenate([KT((None, 3)), KT((None, 2))], axis=1), (None, 5),
                 "float32", id="concatenate"),
    pytest.param(lambda: ops.concatenate([KT((2, 3)), KT((None, 3))], axis=0), (None, 3),
                 "float32", id="concatenate_unknown_axis"),
    pytest.param(lambda: ops.conv(KT((None, 8, 8, 3)), KT((3, 3, 3, 4)), padding="same"),
                 (None, 8, 8, 4), "float32", id="conv_same"),
    pytest.param(lambda: ops.conv(KT((None, 8, 8, 3)), KT((3, 3, 3, 4)), strides=2),
                 (None, 3, 3, 4), "float32", id="conv_valid_stride2"),
    pytest.param(lambda: ops.reshape(KT((None, 6)), (-1, 2, 3)), (None, 2, 3), "float32",
                 id="reshape_minus1"),
    pytest.param(lambda: ops.sum(KT((None, 3, 4)), axis=1), (None, 4), "float32", id="sum_axis"),
    pytest.param(lambda: ops.sum(KT((None, 3, 4)), axis=-1, keepdims=True), (None, 3, 1),
                 "float32", id="sum_keepdims"),
    pytest.param(lambda: ops.add(KT((None, 3), "int8"), KT((3,), "float16")), (None, 3),
                 "float16", id="add_promotes"),
    pytest.param(lambda: ops.cast(KT((None, 3)), "int32"), (None, 3), "int32", id="cast"),
    pytest.param(lambda: ops.argmax(KT((None, 3)), axis=-1), (None,), "int32", id="argmax"),
    pytest.param(lambda: ops.expand_dims(KT((None, 3)), 1), (None, 1, 3), "float32",
                 id="expand_dims"),
    pytest.param(lambda: ops.transpose(KT((None, 3, 5))), (5, 3, None), "float32",
                 id="transpose"),
    pytest.param(lambda: ops.softmax(KT((None, 3))), (None, 3), "float32", id="softmax"),
    pytest.param(lambda: ops.one_hot(KT((None,), "int32"), 5), (None, 5), "float32",
                 id="one_hot"),
    pytest.param(lambda: ops.image.resize(KT((None, 4, 4, 3)), (8, 6)), (None, 8, 6, 3),
                 "float32", id="image_resize"),
    pytest.param(lambda: ops.max_pool(KT((None, 6, 6, 2)), 2), (None, 3, 3, 2), "float32",
                 id="max_pool"),
    pytest.param(lambda: ops.equal(KT((None, 3)), 1.0), (None, 3), "bool", id="equal"),
    pytest.param(lambda: ops.relu(KT((2, 3), "float16")), (2, 3), "float16", id="known_shape"),
    pytest.param(lambda: ops.linalg.inv(KT((None, 3, 3))), (None, 3, 3), "float32",
                 id="linalg_inv"),
    pytest.param(lambda: ops.adaptive_average_pool(KT((None, 7, 5, 2), "int32"), (3, 2)),
                 (None, 3, 2, 2), "float32", id="adaptive_average_pool"),
    pytest.param(lambda: ops.depth_to_space(KT((None, 2, 3, 8)), 2), (None, 4, 6, 2), "float32",
                 id="depth_to_space"),
    pytest.param(lambda: ops.unfold(KT((None, 3, 5, 5)), 2), (None, 12, 16), "float32",
                 id="unfold"),
    pytest.param(lambda: ops.cdist(KT((None, 3, 2)), KT((None, 4, 2))), (None, 3, 4), "float32",
                 id="cdist"),
    pytest.param(lambda: ops.view_as_complex(KT((None, 3, 2))), (None, 3), "complex64",
                 id="view_as_complex"),
]


@pytest.mark.parametrize("fn,shape,dtype", SYMBOLIC)
def test_symbolic(fn, shape, dtype):
    out = fn()
    assert isinstance(out, KT)
    assert out.shape == shape
    assert out.dtype == dtype


def test_symbolic_multiple_outputs():
    parts = ops.split(KT((None, 6)), 3, axis=1)
    assert isinstance(parts, (list, tuple)) and len(parts) == 3
    assert all(isinstance(p, KT) and p.shape == (None, 2) for p in parts)
    values, indices = ops.top_k(KT((None, 5)), 2)
    assert values.shape == (None, 2) and values.dtype == "float32"
    assert indices.shape == (None, 2) and indices.dtype == "int32"


def test_symbolic_stft_and_ctc_decode():
    real, imag = ops.stft(KT((None, 32)), 8, 4, 16)
    assert real.shape == imag.shape == (None, 9, 9) and real.dtype == "float32"
    paths, scores = ops.ctc_decode(KT((None, 6, 4)), KT((None,), "int32"),
                                   strategy="beam_search", beam_width=3, top_paths=2)
    assert paths.shape == (2, None, 6) and paths.dtype == "int32"
    assert scores.shape == (None, 2) and scores.dtype == "float32"


BAD_INPUT = [
    pytest.param(lambda: ops.stft(np.ones(16, "int32"), 8, 4, 8), TypeError, id="stft_int"),
    pytest.param(lambda: ops.stft(np.ones(16, "float32"), 8, 4, 4), ValueError,
                 id="stft_fft_length_short"),
    pytest.param(lambda: ops.stft(np.ones(16, "float32"), 8, 4, 8, window="kaiser"), ValueError,
                 id="stft_window_name"),
    pytest.param(lambda: ops.depth_to_space(np.ones((1, 2, 2, 6), "float32"), 2), ValueError,
                 id="depth_to_space_channels"),
    pytest.param(lambda: ops.space_to_depth(np.ones((1, 3, 4, 1), "float32"), 2), ValueError,
                 id="space_to_depth_size"),
    pytest.param(lambda: ops.ctc_decode(np.ones((1, 3, 2), "float32"), np.int32([3]),
                                        strategy="viterbi"), ValueError, id="ctc_strategy"),
]


@pytest.mark.parametrize("fn,error", BAD_INPUT)
def test_bad_input_raises(fn, error):
    with pytest.raises(error):
        fn()


def test_symbolic_operators():
    x = KT((None, 3))
    y = (x + 1.0) * x - x / 2.0
    assert isinstance(y, KT) and y.shape == (None, 3) and y.dtype == "float32"
    assert (x > 0.0).dtype == "bool"
    assert x[:, 1].shape == (None,)
