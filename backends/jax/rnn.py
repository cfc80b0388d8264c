"""Recurrence on jax: a generic time loop (lax.scan) and whole-sequence LSTM / GRU."""

import jax
import jax.numpy as jnp
from jax import lax

from keraslite_backends.jax.core import convert_to_tensor


def _swap_batch_time(x):
    axes = list(range(x.ndim))
    axes[0], axes[1] = 1, 0
    return jnp.transpose(x, axes)


def _broadcast_mask(mask_t, like):
    """mask_t (batch,) broadcast against a (batch, ...) tensor."""
    return jnp.reshape(mask_t, mask_t.shape + (1,) * (like.ndim - 1))


def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None,
        unroll=False, input_length=None, time_major=False, zero_output_for_mask=False,
        return_all_outputs=True):
    inputs = jax.tree_util.tree_map(convert_to_tensor, inputs)
    if not time_major:
        inputs = jax.tree_util.tree_map(_swap_batch_time, inputs)
    initial_states = jax.tree_util.tree_map(convert_to_tensor, initial_states)
    constants = tuple(constants) if constants else ()
    num_steps = jax.tree_util.tree_leaves(inputs)[0].shape[0]

    if mask is not None:
        mask = convert_to_tensor(mask).astype("bool")
        if mask.ndim > 2:
            mask = jnp.reshape(mask, mask.shape[:2])
        if not time_major:
            mask = mask.T  # (time, batch)

    if go_backwards:
        inputs = jax.tree_util.tree_map(lambda x: jnp.flip(x, 0), inputs)
        if mask is not None:
            mask = jnp.flip(mask, 0)

    single_state = not isinstance(initial_states, (list, tuple))
    states0 = [initial_states] if single_state else list(initial_states)

    def call_step(x_t, states):
        output_t, new_states = step_function(x_t, tuple(states) + constants)
        if not isinstance(new_states, (list, tuple)):
            new_states = [new_states]
        # Keep the carried structure and dtypes fixed, as lax.scan requires.
        leaves = [jnp.asarray(n, dtype=s.dtype) for n, s in zip(
            jax.tree_util.tree_leaves(new_states), jax.tree_util.tree_leaves(states))]
        return output_t, jax.tree_util.tree_unflatten(jax.tree_util.tree_structure(states), leaves)

    if mask is None:

        def step(states, x_t):
            output_t, new_states = call_step(x_t, states)
            return new_states, output_t

        final_states, outputs = lax.scan(step, states0, inputs,
                                         unroll=num_steps if unroll else 1)
    else:
        first_input = jax.tree_util.tree_map(lambda x: x[0], inputs)
        out_spec = jax.eval_shape(lambda x, s: call_step(x, s)[0], first_input, states0)
        zero_output = jax.tree_util.tree_map(lambda s: jnp.zeros(s.shape, s.dtype), out_spec)
        # before the first step the "previous output" is the first state (h of the standard
        # cells; the last cell's when stacked), so masked leading steps repeat the initial
        # state, as on the other backends; zeros when it does not have the output's shape
        first = states0[0]
        if isinstance(first, (list, tuple)):
            first = states0[-1][0]
        if (isinstance(out_spec, jax.ShapeDtypeStruct) and not zero_output_for_mask
                and tuple(first.shape) == tuple(out_spec.shape)):
            zero_output = jnp.asarray(first).astype(out_spec.dtype)

        def step(carry, xs):
            states, prev_output = carry
            x_t, mask_t = xs
            output_t, new_states = call_step(x_t, states)
            if zero_output_for_mask:
                fallback = jax.tree_util.tree_map(jnp.zeros_like, output_t)
            else:
                fallback = prev_output
            output_t = jax.tree_util.tree_map(
                lambda o, f: jnp.where(_broadcast_mask(mask_t, o), o, f.astype(o.dtype)),
                output_t, fallback)
            new_states = jax.tree_util.tree_map(
                lambda n, s: jnp.where(_broadcast_mask(mask_t, n), n, s), new_states, states)
            return (new_states, output_t), output_t

        (final_states, _), outputs = lax.scan(
            step, (states0, zero_output), (inputs, mask),
            unroll=num_steps if unroll else 1)

    last_output = jax.tree_util.tree_map(lambda o: o[-1], outputs)
    if not return_all_outputs:
        outputs = jax.tree_util.tree_map(lambda o: o[-1:], outputs)
    if not time_major:
        outputs = jax.tree_util.tree_map(_swap_batch_time, outputs)
    if isinstance(initial_states, tuple):
        final_states = tuple(final_states)
    return last_output, outputs, final_states


def _finish(last_output, outputs, states, return_sequences):
    if not return_sequences:
        outputs = last_output[:, None, :]
    return last_output, outputs, states


def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias,
         activation, recurrent_activation, return_sequences=False, go_backwards=False,
         unroll=False):
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    bias = None if bias is None else convert_to_tensor(bias)

    def step(x_t, states):
        h_tm1, c_tm1 = states[0], states[1]
        z = jnp.matmul(x_t, kernel) + jnp.matmul(h_tm1, recurrent_kernel)
        if bias is not None:
            z = z + bias
        z_i, z_f, z_c, z_o = jnp.split(z, 4, axis=-1)
        i = recurrent_activation(z_i)
        f = recurrent_activation(z_f)
        c = f * c_tm1 + i * activation(z_c)
        o = recurrent_activation(z_o)
        h = o * activation(c)
        return h, [h, c]

    last_output, outputs, states = rnn(
        step, inputs, [convert_to_tensor(initial_state_h), convert_to_tensor(initial_state_c)],
        go_backwards=go_backwards, mask=mask, unroll=unroll,
        return_all_outputs=return_sequences,
    )
    return _finish(last_output, outputs, list(states), return_sequences)


def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation,
        recurrent_activation, return_sequences=False, go_backwards=False, unroll=False,
        reset_after=True):
    inputs = convert_to_tensor(inputs)
    kernel = convert_to_tensor(kernel)
    recurrent_kernel = convert_to_tensor(recurrent_kernel)
    units = recurrent_kernel.shape[0]
    input_bias = recurrent_bias = None
    if bias is not None:
        bias = convert_to_tensor(bias)
        if reset_after:
            if bias.ndim != 2:
                raise ValueError(f"With reset_after, the GRU bias has shape (2, 3 * units); "
                                 f"got {bias.shape}.")
            input_bias, recurrent_bias = bias[0], bias[1]
        else:
            input_bias = bias

    def step(x_t, states):
        h_tm1 = states[0]
        x_proj = jnp.matmul(x_t, kernel)
        if input_bias is not None:
            x_proj = x_proj + input_bias
        x_z, x_r, x_h = jnp.split(x_proj, 3, axis=-1)
        if reset_after:
            inner = jnp.matmul(h_tm1, recurrent_kernel)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
            rec_z, rec_r, rec_h = jnp.split(inner, 3, axis=-1)
            z = recurrent_activation(x_z + rec_z)
            r = recurrent_activation(x_r + rec_r)
            rec_h = r * rec_h
        else:
            inner = jnp.matmul(h_tm1, recurrent_kernel[:, : 2 * units])
            rec_z, rec_r = jnp.split(inner, 2, axis=-1)
            z = recurrent_activation(x_z + rec_z)
            r = recurrent_activation(x_r + rec_r)
            rec_h = jnp.matmul(r * h_tm1, recurrent_kernel[:, 2 * units:])
        hh = activation(x_h + rec_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, [h]

    last_output, outputs, states = rnn(
        step, inputs, [convert_to_tensor(initial_state)], go_backwards=go_backwards, mask=mask,
        unroll=unroll, return_all_outputs=return_sequences,
    )
    return _finish(last_output, outputs, list(states), return_sequences)
