"""Recurrence on TensorFlow: the generic time loop, and LSTM/GRU built on it."""

import optree
import tensorflow as tf

from keraslite_backends.tensorflow.core import convert_to_tensor


def _swap_batch_time(x):
    return tf.transpose(x, [1, 0] + list(range(2, x.ndim)))


def _expand_mask(mask_t, target):
    """mask_t (batch,) broadcast against target (batch, ...)."""
    return tf.reshape(mask_t, [-1] + [1] * (target.ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False, input_length=None, time_major=False, zero_output_for_mask=False, return_all_outputs=True):
    flat_inputs, inputs_def = optree.tree_flatten(inputs)
    flat_inputs = [convert_to_tensor(x) for x in flat_inputs]
    if not time_major:
        flat_inputs = [_swap_batch_time(x) for x in flat_inputs]
    states_def = optree.tree_structure(initial_states)
    flat_states = [convert_to_tensor(s) for s in optree.tree_leaves(initial_states)]
    constants = list(constants) if constants else []

    if mask is not None:
        mask = tf.cast(convert_to_tensor(mask), "bool")
        if mask.ndim > 2:
            mask = tf.reshape(mask, tf.shape(mask)[:2])
        if not time_major:
            mask = tf.transpose(mask, [1, 0])
    if go_backwards:
        flat_inputs = [tf.reverse(x, [0]) for x in flat_inputs]
        if mask is not None:
            mask = tf.reverse(mask, [0])

    time_steps = flat_inputs[0].shape[0]
    dynamic_steps = tf.shape(flat_inputs[0])[0] if time_steps is None else time_steps

    def call_step(t_inputs, states_flat):
        inp = optree.tree_unflatten(inputs_def, t_inputs)
        states = optree.tree_unflatten(states_def, list(states_flat))
        if isinstance(states, list):
            states = tuple(states)
        out, new_states = step_function(inp, tuple(states) + tuple(constants))
        flat_out = [convert_to_tensor(o) for o in optree.tree_leaves(out)]
        new_flat = [tf.cast(convert_to_tensor(s), o.dtype) for s, o in
                    zip(optree.tree_leaves(new_states), states_flat)]
        return flat_out, new_flat, optree.tree_structure(out)

    def masked_step(t, t_inputs, states_flat, prev_out):
        flat_out, new_flat, out_def = call_step(t_inputs, states_flat)
        if mask is None:
            return flat_out, new_flat, out_def
        m = mask[t]
        fallback = [tf.zeros_like(o) for o in flat_out] if zero_output_for_mask else prev_out
        flat_out = [tf.where(_expand_mask(m, o), o, p) for o, p in zip(flat_out, fallback)]
        new_flat = [tf.where(_expand_mask(m, s), s, p) for s, p in zip(new_flat, states_flat)]
        return flat_out, new_flat, out_def

    if unroll:
        if time_steps is None:
            raise ValueError("unroll=True needs a static number of time steps.")
        outputs, states = [], flat_states
        prev_out = None
        for t in range(time_steps):
            t_inputs = [x[t] for x in flat_inputs]
            if prev_out is None:
                probe, _, _ = call_step(t_inputs, states)
                prev_out = _initial_output(probe, initial_states, zero_output_for_mask)
            prev_out, states, out_def = masked_step(t, t_inputs, states, prev_out)
            outputs.append(prev_out)
        stacked = [tf.stack([o[j] for o in outputs]) for j in range(len(outputs[0]))]
        if not return_all_outputs:
            stacked = [s[-1:] for s in stacked]
        new_states = states
    else:
        # One probe call gives the structure, shape and dtype of the outputs.
        probe, _, out_def = call_step([x[0] for x in flat_inputs], flat_states)
        # zeros of the static shape leave the probe step unused, so the graph drops it
        zeros_out = _initial_output(probe, initial_states, zero_output_for_mask)
        tas = [tf.TensorArray(o.dtype, size=dynamic_steps, element_shape=o.shape) for o in probe]

        # Reading inputs through TensorArrays keeps the backward pass cheap: the gradient of
        # x[t] on a captured tensor is a dense zeros-like-x per step.
        in_tas = [tf.TensorArray(x.dtype, size=dynamic_steps, element_shape=x.shape[1:]).unstack(x)
                  for x in flat_inputs]

        if not return_all_outputs:
            tas = []  # the last output rides in the loop carry

        def body(t, tas, prev_out, states):
            t_inputs = [ta.read(t) for ta in in_tas]
            out, new_states, _ = masked_step(t, t_inputs, list(states), list(prev_out))
            tas = [ta.write(t, o) for ta, o in zip(tas, out)]
            return t + 1, tas, out, new_states

        _, tas, final_out, new_states = tf.while_loop(
            lambda t, *_: t < dynamic_steps,
            body,
            (tf.constant(0), tas, zeros_out, flat_states),
            maximum_iterations=dynamic_steps,
        )
        if return_all_outputs:
            stacked = [ta.stack() for ta in tas]
        else:
            stacked = [o[None] for o in final_out]
        new_states = list(new_states)

    last = [s[-1] for s in stacked]
    outputs = [_swap_batch_time(s) for s in stacked] if not time_major else stacked
    last_output = optree.tree_unflatten(out_def, last)
    outputs = optree.tree_unflatten(out_def, outputs)
    new_states = optree.tree_unflatten(states_def, new_states)
    if isinstance(new_states, tuple):
        new_states = list(new_states)
    return last_output, outputs, new_states


def _initial_output(probe, initial_states, zero_output_for_mask):
    """The "previous output" before the first step: the first state (h of the standard cells;
    the last cell's when stacked), so masked leading steps repeat the initial state as on the
    other backends; zeros when that state does not have the output's shape. Zeros of the
    static shape, not zeros_like, leave the probe step unused, so the graph drops it."""
    nested = (isinstance(initial_states, (list, tuple)) and len(initial_states) > 0
              and isinstance(initial_states[0], (list, tuple)))
    first = convert_to_tensor(
        optree.tree_leaves(initial_states[-1] if nested else initial_states)[0])
    if len(probe) == 1 and not zero_output_for_mask and first.shape == probe[0].shape:
        return [tf.cast(first, probe[0].dtype)]
    return [tf.zeros(o.shape, o.dtype) if o.shape.is_fully_defined() else tf.zeros_like(o)
            for o in probe]


def _operands(inputs, kernel, bias):
    """inputs, and kernel and bias cast to their dtype. The input projection is computed per
    step inside the loop: projecting the whole sequence first makes the loop carry (and the
    backward pass accumulate) the gate-wide sequence instead of the narrower input."""
    inputs = convert_to_tensor(inputs)
    kernel = tf.cast(convert_to_tensor(kernel), inputs.dtype)
    bias = None if bias is None else tf.cast(convert_to_tensor(bias), inputs.dtype)
    return inputs, kernel, bias


def _project(x_t, kernel, bias):
    z = tf.linalg.matmul(x_t, kernel)
    return z if bias is None else tf.nn.bias_add(z, bias)


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation, return_sequences=False, go_backwards=False, unroll=False):
    inputs, kernel, bias = _operands(inputs, kernel, bias)
    rk = tf.cast(convert_to_tensor(recurrent_kernel), inputs.dtype)

    def step(x_t, states):
        h, c = states[0], states[1]
        z = _project(x_t, kernel, bias) + tf.linalg.matmul(h, rk)
        zi, zf, zc, zo = tf.split(z, 4, axis=-1)
        i = recurrent_activation(zi)
        f = recurrent_activation(zf)
        c = f * c + i * activation(zc)
        o = recurrent_activation(zo)
        h = o * activation(c)
        return h, [h, c]

    h0 = tf.cast(convert_to_tensor(initial_state_h), inputs.dtype)
    c0 = tf.cast(convert_to_tensor(initial_state_c), inputs.dtype)
    last, outputs, states = rnn(
        step, inputs, [h0, c0], go_backwards=go_backwards, mask=mask, unroll=unroll,
        return_all_outputs=return_sequences,
    )
    return last, outputs, list(states)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation, return_sequences=False, go_backwards=False, unroll=False, reset_after=True):
    inputs = convert_to_tensor(inputs)
    dtype = inputs.dtype
    rk = tf.cast(convert_to_tensor(recurrent_kernel), dtype)
    if bias is not None:
        bias = tf.cast(convert_to_tensor(bias), dtype)
    if reset_after and bias is not None:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, None
    inputs, kernel, input_bias = _operands(inputs, kernel, input_bias)
    units = rk.shape[0]

    def step(x_t, states):
        h = states[0]
        x_z, x_r, x_h = tf.split(_project(x_t, kernel, input_bias), 3, axis=-1)
        if reset_after:
            inner = tf.linalg.matmul(h, rk)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            r_z, r_r, r_h = tf.split(inner, 3, axis=-1)
            z = recurrent_activation(x_z + r_z)
            r = recurrent_activation(x_r + r_r)
            hh = activation(x_h + r * r_h)
        else:
            r_zr = tf.linalg.matmul(h, rk[:, : 2 * units])
            r_z, r_r = tf.split(r_zr, 2, axis=-1)
            z = recurrent_activation(x_z + r_z)
            r = recurrent_activation(x_r + r_r)
            hh = activation(x_h + tf.linalg.matmul(r * h, rk[:, 2 * units:]))
        h = z * h + (1 - z) * hh
        return h, [h]

    h0 = tf.cast(convert_to_tensor(initial_state), dtype)
    last, outputs, states = rnn(
        step, inputs, [h0], go_backwards=go_backwards, mask=mask, unroll=unroll,
        return_all_outputs=return_sequences,
    )
    return last, outputs, list(states)
