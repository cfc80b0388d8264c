"""Recurrence: the generic time loop and whole-sequence LSTM/GRU.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=True)
def rnn(step_function, inputs, initial_states, go_backwards=False, mask=None, constants=None, unroll=False, input_length=None, time_major=False, zero_output_for_mask=False, return_all_outputs=True):
    """Generic loop over time: step_function(input_t, states) -> (output_t, new_states). Inputs
    (batch, time, ...) (time-major with time_major). mask (batch, time) keeps the previous
    output and states where false (zero output with zero_output_for_mask). Returns
    (last_output, outputs, new_states); outputs is only the last step when
    return_all_outputs=False. go_backwards reverses time (outputs stay in processing order,
    as Keras). Works under jit."""

@op("custom", grad=True)
def lstm(inputs, initial_state_h, initial_state_c, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation, return_sequences=False, go_backwards=False, unroll=False):
    """Whole-sequence LSTM with Keras weights (kernel (in, 4u), recurrent_kernel (u, 4u), bias
    (4u,) or None; gate order i, f, c, o). Returns (last_output, outputs, [h, c]); outputs
    is (batch, time, units) or (batch, 1, units) when return_sequences=False. Backends may
    use a fused kernel; results equal the generic rnn."""

@op("custom", grad=True)
def gru(inputs, initial_state, mask, kernel, recurrent_kernel, bias, activation, recurrent_activation, return_sequences=False, go_backwards=False, unroll=False, reset_after=True):
    """Whole-sequence GRU with Keras weights (gate order z, r, h; bias (2, 3u) when reset_after,
    else (3u,)). Returns (last_output, outputs, [h]) like lstm."""
