"""The sliding-window page's playback and words: where the window is, how it moved, what it made.

Steps are 0-based positions in the order the window slides (left to right,
top down), the same as ``WindowTrace.step``; pages add one when they show
them to a person. Playback (the next step, a clicked output cell) is the
page's navigation, not convolution, so it lives here beside the sentences.
The grids are drawn by :mod:`playground.figures.window`.
"""

from __future__ import annotations

from collections.abc import Mapping

from playground.i18n import _, ngettext
from playground.trace import WindowTrace, format_number

# ---------------------------------------------------------------- steps


def step_count(out_hw: tuple[int, int]) -> int:
    """How many positions the window takes: one per output cell."""
    return int(out_hw[0]) * int(out_hw[1])


def step_position(step: int, out_hw: tuple[int, int]) -> tuple[int, int]:
    """Output (row, column) the window fills at 0-based ``step``.

    >>> step_position(5, (3, 4))
    (1, 1)
    """
    n = step_count(out_hw)
    if not 0 <= step < n:
        raise ValueError(f"step must be in 0..{n - 1} for an output of shape {out_hw}; got {step}.")
    return divmod(int(step), int(out_hw[1]))


def clamp_step(step: int, n_steps: int) -> int:
    """Keep a step inside 0..n_steps-1: settings that shrink the output pull it back."""
    return max(0, min(int(step), n_steps - 1))


def advance(step: int, n_steps: int) -> tuple[int, bool]:
    """One tick of playback: (next step, keep playing). Playback stops on the last step."""
    nxt = clamp_step(step + 1, n_steps)
    return nxt, nxt < n_steps - 1


def point_to_step(point: Mapping, out_hw: tuple[int, int]) -> int | None:
    """The step of a clicked output cell (a Plotly selection point with x, y), or None."""
    try:
        row, col = round(float(point["y"])), round(float(point["x"]))
    except (KeyError, TypeError, ValueError):
        return None
    if 0 <= row < out_hw[0] and 0 <= col < out_hw[1]:
        return row * int(out_hw[1]) + col
    return None


# ---------------------------------------------------------------- words


def step_caption(trace: WindowTrace, n_steps: int) -> str:
    """'Step 6 of 12: output row 1, column 1' (steps counted from 1, rows and columns from 0)."""
    i, j = trace.out_index
    return _("Step {step} of {steps}: output row {row}, column {col}").format(
        step=trace.step + 1, steps=n_steps, row=i, col=j
    )


def move_sentence(previous: WindowTrace | None, current: WindowTrace) -> str:
    """How the window got from the previous step to this one, naming the stride."""
    if previous is None:
        return _("The window starts in the top-left corner of the (padded) input.")
    down = current.rows[0] - previous.rows[0]
    right = current.cols[0] - previous.cols[0]
    if down == 0:
        return ngettext(
            "The window moved {n} column right (stride {n}).",
            "The window moved {n} columns right (stride {n}).",
            right,
        ).format(n=right)
    return ngettext(
        "That row is done: the window went back to the left edge and moved {n} row down "
        "(stride {n}).",
        "That row is done: the window went back to the left edge and moved {n} rows down "
        "(stride {n}).",
        down,
    ).format(n=down)


def dilation_sentence(dilation: tuple[int, int]) -> str | None:
    """Why the window has holes, when it has them."""
    dh, dw = dilation
    if dh == 1 and dw == 1:
        return None
    if dw == 1:
        template = _(
            "Dilation {dh}×{dw}: the kernel's taps are {dh} rows apart vertically, so the "
            "window skips the cells in between."
        )
    elif dh == 1:
        template = _(
            "Dilation {dh}×{dw}: the kernel's taps are {dw} columns apart horizontally, so "
            "the window skips the cells in between."
        )
    else:
        template = _(
            "Dilation {dh}×{dw}: the kernel's taps are {dh} rows apart vertically and {dw} "
            "columns apart horizontally, so the window skips the cells in between."
        )
    return template.format(dh=dh, dw=dw)


def sum_sentence(trace: WindowTrace) -> str:
    """'sum of products 19 + bias 0.5 = 19.5' (the bias part only when there is one)."""
    total = format_number(trace.total)
    if not trace.bias:
        return _("sum of products = {total}").format(total=total)
    return _("sum of products {total} + bias {bias} = {value}").format(
        total=total, bias=format_number(trace.bias), value=format_number(trace.value)
    )


def equation_lines(trace: WindowTrace, max_chars: int = 55) -> list[str]:
    """The equation as lines to show: one line when short, else one line per kernel row.

    The terms, bias and result are ``trace.equation()``'s; only the line breaks
    are added, at the kernel's rows, so the lines mirror the products grid.
    """
    one_line = trace.equation()
    if len(one_line) <= max_chars or trace.weights.shape[0] == 1:
        return [one_line]
    lines = [
        " + ".join(f"{format_number(v)}×{format_number(w)}" for v, w in zip(vr, wr, strict=True))
        for vr, wr in zip(trace.values, trace.weights, strict=True)
    ]
    lines = [lines[0]] + [f"+ {line}" for line in lines[1:]]
    if trace.bias:
        lines.append(_("+ {bias} (bias)").format(bias=format_number(trace.bias)))
    lines[-1] += f" = {format_number(trace.value)}"
    return lines
