"""DropoutRNNCell: the dropout masks a recurrent cell reuses at every step of a sequence."""

from keraslite import backend, ops


class DropoutRNNCell:
    """Mixin for cells with `dropout`, `recurrent_dropout` and a `seed_generator`.

    A mask is drawn once and kept, so every time step drops the same units (variational
    dropout). RNN draws the masks before its time loop, which keeps random-state updates out of
    the loop body (a compiled scan cannot assign variables), and clears them afterwards.
    Cells with `dropout_mask_count` get that many independent masks, one per gate.
    """

    def _draw_dropout_masks(self, like, rate):
        ones = ops.ones_like(like)
        count = getattr(self, "dropout_mask_count", None)
        draws = [backend.random.dropout(ones, rate, None, self.seed_generator.next())
                 for _ in range(count or 1)]
        return draws if count else draws[0]

    def get_dropout_mask(self, step_input):
        if getattr(self, "_dropout_mask", None) is None and 0 < self.dropout < 1:
            self._dropout_mask = self._draw_dropout_masks(step_input, self.dropout)
        return getattr(self, "_dropout_mask", None)

    def get_recurrent_dropout_mask(self, step_input):
        if getattr(self, "_recurrent_dropout_mask", None) is None and 0 < self.recurrent_dropout < 1:
            self._recurrent_dropout_mask = self._draw_dropout_masks(step_input,
                                                                    self.recurrent_dropout)
        return getattr(self, "_recurrent_dropout_mask", None)

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None
