"""Recurrence for the torch backend: the generic time loop and whole-sequence LSTM/GRU.

lstm/gru use torch's fused kernels when Keras's cell math matches them exactly (tanh/sigmoid,
no mask; for GRU also reset_after=True) and otherwise run the generic loop with the cell math.
"""

import optree
import torch

from keraslite_backends.torch.core import convert_to_tensor


def _swap_batch_time(x):
    return x.transpose(0, 1) if x.ndim >= 2 else x


def _expand_like(mask_t, target):
    """(batch,) or (batch, 1) mask broadcastable against target (batch, ...)."""
    m = mask_t.reshape(mask_t.shape[0], *([1] * (target.ndim - 1)))
    return m


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    inputs = optree.tree_map(convert_to_tensor, inputs)
    if not time_major:
        inputs = optree.tree_map(_swap_batch_time, inputs)
    flat_inputs = optree.tree_leaves(inputs)
    steps = flat_inputs[0].shape[0]
    if mask is not None:
        mask = convert_to_tensor(mask).to(torch.bool)
        if mask.ndim > 2:
            mask = mask.reshape(mask.shape[:2])
        if not time_major:
            mask = mask.transpose(0, 1)  # (time, batch)
    to_t = lambda v: convert_to_tensor(v) if v is not None else v  # noqa: E731
    constants = tuple(optree.tree_map(to_t, list(constants))) if constants else ()
    states = tuple(optree.tree_map(to_t, list(initial_states)))

    order = range(steps - 1, -1, -1) if go_backwards else range(steps)
    outputs = []
    last = None
    for t in order:
        x_t = optree.tree_map(lambda v, t=t: v[t], inputs)
        out_t, new_states = step_function(x_t, states + constants)
        new_states = tuple(new_states) if isinstance(new_states, (list, tuple)) else (new_states,)
        if mask is not None:
            keep = mask[t]
            if zero_output_for_mask:
                prev = torch.zeros_like(out_t)
            else:
                # the previous output is the first state (of the last cell when stacked)
                prev = states[0]
                if isinstance(prev, (list, tuple)):
                    prev = states[-1][0]
            out_t = torch.where(_expand_like(keep, out_t), out_t, prev)
            new_states = optree.tree_map(
                lambda s, ns: torch.where(_expand_like(keep, ns), ns, s), states, new_states)
        states = tuple(new_states)
        last = out_t
        if return_all_outputs:
            outputs.append(out_t)
    if last is None:
        raise ValueError("rnn needs at least one time step.")
    stacked = torch.stack(outputs if return_all_outputs else [last])  # (time, batch, ...)
    if not time_major:
        stacked = _swap_batch_time(stacked)
    return last, stacked, list(states)


# ---------------------------------------------------------------------------------------------
# LSTM / GRU


_ACTS_MATCH = {}


def _acts_match(activation, recurrent_activation):
    """True when the activations are tanh and sigmoid (checked once per pair on sample
    values)."""
    key = (activation, recurrent_activation)
    try:
        return _ACTS_MATCH[key]
    except KeyError:
        _ACTS_MATCH[key] = found = _probe_acts(activation, recurrent_activation)
        return found
    except TypeError:  # unhashable callables
        return _probe_acts(activation, recurrent_activation)


def _probe_acts(activation, recurrent_activation):
    probe = torch.linspace(-4.0, 4.0, 17)
    try:
        a = convert_to_tensor(activation(probe)).float()
        r = convert_to_tensor(recurrent_activation(probe)).float()
    except Exception:
        return False
    return (a.shape == probe.shape and r.shape == probe.shape
            and torch.allclose(a, torch.tanh(probe), atol=1e-6)
            and torch.allclose(r, torch.sigmoid(probe), atol=1e-6))


def _fused_ok(x, mask, activation, recurrent_activation):
    return (mask is None and x.dtype in (torch.float32, torch.float64)
            and x.device.type != "meta"
            and _acts_match(activation, recurrent_activation))


def _prepare(inputs, kernel, recurrent_kernel, bias, states):
    kernel = convert_to_tensor(kernel)
    dt, dev = kernel.dtype, kernel.device

    def like_kernel(t):
        t = convert_to_tensor(t)
        return t if t.dtype == dt and t.device == dev else t.to(device=dev, dtype=dt)

    b = None if bias is None else like_kernel(bias)
    return (like_kernel(inputs), kernel, like_kernel(recurrent_kernel), b,
            [like_kernel(s) for s in states])


def _finish(outputs, states, return_sequences):
    """(last_output, outputs, states) with outputs (batch, 1, units) unless return_sequences."""
    last = outputs[:, -1]
    if not return_sequences:
        outputs = last.unsqueeze(1)
    return last, outputs, states


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False):
    x, kernel, rk, b, (h0, c0) = _prepare(inputs, kernel, recurrent_kernel, bias,
                                          (initial_state_h, initial_state_c))
    if _fused_ok(x, mask, activation, recurrent_activation):
        seq = torch.flip(x, dims=[1]) if go_backwards else x
        # Keras gates i, f, c, o line up with torch's i, f, g, o.
        params = [kernel.t(), rk.t()]  # views: the kernel takes strided weights
        if b is not None:
            params += [b, torch.zeros_like(b)]
        out, h, c = torch._VF.lstm(seq, (h0.unsqueeze(0), c0.unsqueeze(0)), params,
                                   b is not None, 1, 0.0, False, False, True)
        return _finish(out, [h[0], c[0]], return_sequences)

    units = rk.shape[0]

    def step(x_t, states):
        h, c = states[0], states[1]
        z = x_t @ kernel + h @ rk
        if b is not None:
            z = z + b
        zi, zf, zc, zo = torch.split(z, units, dim=-1)
        i = recurrent_activation(zi)
        f = recurrent_activation(zf)
        c_new = f * c + i * activation(zc)
        o = recurrent_activation(zo)
        h_new = o * activation(c_new)
        return h_new, [h_new, c_new]

    _, outputs, states = rnn(step, x, [h0, c0], go_backwards=go_backwards, mask=mask,
                             unroll=unroll, return_all_outputs=True)
    return _finish(outputs, states, return_sequences)


def _gru_to_torch(w, units):
    """Keras gate blocks (z, r, h) on the last axis -> torch's (r, z, n) order."""
    z, r, h = torch.split(w, units, dim=-1)
    return torch.cat([r, z, h], dim=-1)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True):
    x, kernel, rk, b, (h0,) = _prepare(inputs, kernel, recurrent_kernel, bias, (initial_state,))
    units = rk.shape[0]
    if b is not None and reset_after and b.ndim == 1:
        b = b.reshape(2, -1)  # (6u,) flat bias -> (input bias, recurrent bias)
    if reset_after and _fused_ok(x, mask, activation, recurrent_activation):
        seq = torch.flip(x, dims=[1]) if go_backwards else x
        params = [_gru_to_torch(kernel, units).t(), _gru_to_torch(rk, units).t()]
        if b is not None:
            params += [_gru_to_torch(b[0], units), _gru_to_torch(b[1], units)]
        out, h = torch._VF.gru(seq, h0.unsqueeze(0), params, b is not None, 1, 0.0, False,
                               False, True)
        return _finish(out, [h[0]], return_sequences)

    if b is None:
        in_bias = rec_bias = None
    elif reset_after:
        in_bias, rec_bias = b[0], b[1]
    else:
        in_bias, rec_bias = b, None

    def step(x_t, states):
        h = states[0]
        mx = x_t @ kernel
        if in_bias is not None:
            mx = mx + in_bias
        xz, xr, xh = torch.split(mx, units, dim=-1)
        if reset_after:
            mh = h @ rk
            if rec_bias is not None:
                mh = mh + rec_bias
            hz, hr, hh = torch.split(mh, units, dim=-1)
            z = recurrent_activation(xz + hz)
            r = recurrent_activation(xr + hr)
            cand = activation(xh + r * hh)
        else:
            hz, hr = torch.split(h @ rk[:, :2 * units], units, dim=-1)
            z = recurrent_activation(xz + hz)
            r = recurrent_activation(xr + hr)
            cand = activation(xh + (r * h) @ rk[:, 2 * units:])
        h_new = z * h + (1 - z) * cand
        return h_new, [h_new]

    _, outputs, states = rnn(step, x, [h0], go_backwards=go_backwards, mask=mask, unroll=unroll,
                             return_all_outputs=True)
    return _finish(outputs, states, return_sequences)
