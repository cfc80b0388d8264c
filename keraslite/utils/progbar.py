"""Progbar: the text progress bar printed by fit, evaluate and predict.

Lines look like Keras 3's::

    10/10 ━━━━━━━━━━━━━━━━━━━━ 0s 3ms/step - accuracy: 0.9000 - loss: 0.2500   (verbose=1)
    10/10 - 0s - 3ms/step - accuracy: 0.9000 - loss: 0.2500                   (verbose=2)
"""

import os
import sys
import time

import numpy as np

_BOLD, _GREEN, _GREY, _RESET = "\x1b[1m", "\x1b[32m", "\x1b[37m", "\x1b[0m"


def _interactive():
    """True where the bar can be redrawn in place: a terminal or a notebook."""
    isatty = getattr(sys.stdout, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except ValueError:  # a closed stream
        tty = False
    return tty or "ipykernel" in sys.modules or "PYCHARM_HOSTED" in os.environ


def _format_value(value):
    if isinstance(value, str):
        return value
    return f"{value:.4f}" if abs(value) > 1e-3 else f"{value:.4e}"


def _format_eta(seconds):
    if seconds > 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds > 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(seconds)}s"


def _format_step_time(seconds, unit_name):
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


class Progbar:
    """A progress bar over `target` steps (None when unknown).

    verbose: 0 prints nothing, 1 draws the bar, 2 prints one summary line when finished.
    Values named in `stateful_metrics` are shown as given; others are averaged over the steps
    they cover, except on the final update, which shows the values passed to it.
    """

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        # Pipes and log files get only the finished line, not every redraw; escapes are for
        # screens only.
        self._dynamic_display = _interactive()
        self._styled = self._dynamic_display and "NO_COLOR" not in os.environ
        self._values = {}  # name -> [weighted sum, weight]; dict order is display order
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._time_after_first_step = None
        self._prev_width = 0

    def update(self, current, values=None, finalize=None):
        """Show progress at step `current`; `values` is a list of (name, value) pairs.

        `finalize` defaults to `current >= target`; the final update ends the line.
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for name, value in values or ():
            self._record(name, value, current, finalize)
        self._seen_so_far = current

        now = time.time()
        step_time = self._step_time(current, now)
        if self.verbose == 1:
            if not finalize and (not self._dynamic_display
                                 or now - self._last_update < self.interval):
                return
            self._draw(current, now, step_time, finalize)
        elif self.verbose == 2 and finalize:
            count = self._count(current, pad=False)
            line = f"{count} - {now - self._start:.0f}s - "
            line += _format_step_time(step_time, self.unit_name) + self._metrics_text()
            self._write(line + "\n")
        self._last_update = now

    def add(self, n, values=None):
        """Advance by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, name, value, current, finalize):
        if not isinstance(value, str):
            value = float(np.mean(np.asarray(value, dtype="float64")))
        if name in self.stateful_metrics or finalize or isinstance(value, str):
            self._values[name] = [value, 1]
            return
        # Weight by the steps since the last update so uneven update spacing averages right.
        steps = max(current - self._seen_so_far, 1)
        total = self._values.get(name)
        if total is None or isinstance(total[0], str):
            self._values[name] = [value * steps, steps]
        else:
            total[0] += value * steps
            total[1] += steps

    def _metrics_text(self):
        text = ""
        for name, (total, weight) in self._values.items():
            value = total if isinstance(total, str) else total / max(weight, 1)
            text += f" - {name}: {_format_value(value)}"
        return text

    def _count(self, current, pad=True):
        if not self.target:
            return f"{current:7d}/Unknown" if pad else f"{current}/Unknown"
        return f"{current:{len(str(self.target))}d}/{self.target}"

    def _draw(self, current, now, step_time, finalize):
        count = self._count(current)
        if self.target and not finalize:
            clock = _format_eta(step_time * (self.target - current))
        else:
            clock = f"{now - self._start:.0f}s"
        tail = " " + _format_step_time(step_time, self.unit_name) + self._metrics_text()
        if self.target:
            done = min(max(int(self.width * current / self.target), 0), self.width)
            rest = self.width - done
            plain = f"{count} {'━' * self.width} {clock}{tail}"
            if self._styled:
                bar = f"{_GREEN}{'━' * done}{_RESET}{_GREY}{'━' * rest}{_RESET}"
            else:
                bar = "━" * done + "─" * rest  # without colour, a thin line marks what is left
        else:
            plain = f"{count} {clock}{tail}"
            bar = None
        if self._styled:
            line = f"{_BOLD}{count}{_RESET} "
            line += (f"{bar} " if bar is not None else "") + f"{_BOLD}{clock}{_RESET}{tail}"
        else:
            line = f"{count} " + (f"{bar} " if bar is not None else "") + f"{clock}{tail}"
        width = len(plain)
        if self._dynamic_display:
            # Return to the line start and blank out what a longer previous line left behind.
            line = "\r" + line + " " * max(self._prev_width - width, 0)
        self._prev_width = width
        self._write(line + ("\n" if finalize else ""))

    def _step_time(self, current, now):
        # The first step includes compilation/warm-up, so later estimates leave it out.
        if not current:
            return 0.0
        if self._time_after_first_step is not None and current > 1:
            per_step = (now - self._time_after_first_step) / (current - 1)
        else:
            per_step = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per_step

    @staticmethod
    def _write(text):
        sys.stdout.write(text)
        sys.stdout.flush()
