"""The sliding-window page's words and figures: where the window is, how it moved, what it made.

Steps are 0-based positions in the order the window slides (left to right,
top down), the same as ``WindowTrace.step``; pages add one when they show
them to a person. Figures follow ``figures``: cell (r, c) centred at x = c,
y = r, row 0 on top, and builders return ``go.Figure`` without rendering.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from playground import figures
from playground.trace import WindowTrace, format_number

PREVIOUS_LINE = "rgba(230, 95, 0, 0.9)"
COUNTS_SCALE = [[0.0, "#ffffff"], [1.0, "#7fa7d6"]]  # pale: dark numbers stay readable
FUTURE_TEXT = ""  # cells the window has not reached yet stay blank: nothing to read there
FUTURE_FILL = "#eef0f4"
HEIGHT = 380  # the most a grid may take: with the controls above, the page fits 1000 px
MARGIN_X, MARGIN_Y = 20, 50  # figures' layout margins (left+right, title+bottom)


def _fit(fig: go.Figure, shape: tuple[int, int], px: int, height: int) -> float:
    """Size a grid figure to its cells and its numbers to fit them; return the cell size.

    ``figures`` sizes numbers at a third of a cell's nominal width; here the
    longest label decides, so short numbers get big on a projector and
    'value×weight' lines still fit. The figure is only as tall as its grid,
    so grids in neighbouring columns line up at the top.
    """
    h, w = shape
    cell = max(8.0, min((px - MARGIN_X) / w, (height - MARGIN_Y) / h))
    labels = [
        line for row in fig.data[0].text for cell_text in row for line in cell_text.split("<br>")
    ]
    longest = max((len(label) for label in labels), default=1) or 1
    n_lines = max((len(t.split("<br>")) for row in fig.data[0].text for t in row), default=1)
    # a digit is ~0.6 em wide: keep labels within ~85% of the cell, lines within ~75%
    size = min(24.0, cell * 0.45, 1.4 * cell / longest, 0.75 * cell / (1.3 * n_lines))
    fig.update_traces(textfont={"size": int(max(8, size))}, selector={"type": "heatmap"})
    # centre the title over the grid, not the figure: a narrow grid sits mid-column
    fig.update_layout(height=int(cell * h + MARGIN_Y), title_xref="paper", title_xanchor="center")
    return cell


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


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def step_caption(trace: WindowTrace, n_steps: int) -> str:
    """'Step 6 of 12: output row 1, column 1' (steps counted from 1, rows and columns from 0)."""
    i, j = trace.out_index
    return f"Step {trace.step + 1} of {n_steps}: output row {i}, column {j}"


def move_sentence(previous: WindowTrace | None, current: WindowTrace) -> str:
    """How the window got from the previous step to this one, naming the stride."""
    if previous is None:
        return "The window starts in the top-left corner of the (padded) input."
    down = current.rows[0] - previous.rows[0]
    right = current.cols[0] - previous.cols[0]
    if down == 0:
        return f"The window moved {_plural(right, 'column')} right (stride {right})."
    return (
        "That row is done: the window went back to the left edge and moved "
        f"{_plural(down, 'row')} down (stride {down})."
    )


def dilation_sentence(dilation: tuple[int, int]) -> str | None:
    """Why the window has holes, when it has them."""
    dh, dw = dilation
    if dh == 1 and dw == 1:
        return None
    parts = []
    if dh > 1:
        parts.append(f"{_plural(dh, 'row')} apart vertically")
    if dw > 1:
        parts.append(f"{_plural(dw, 'column')} apart horizontally")
    return (
        f"Dilation {dh}×{dw}: the kernel's taps are {' and '.join(parts)}, "
        "so the window skips the cells in between."
    )


def sum_sentence(trace: WindowTrace) -> str:
    """'sum of products 19 + bias 0.5 = 19.5' (the bias part only when there is one)."""
    total = format_number(trace.total)
    if not trace.bias:
        return f"sum of products = {total}"
    return (
        f"sum of products {total} + bias {format_number(trace.bias)} = {format_number(trace.value)}"
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
        lines.append(f"+ {format_number(trace.bias)} (bias)")
    lines[-1] += f" = {format_number(trace.value)}"
    return lines


# ---------------------------------------------------------------- figures


def _outline(rows: tuple[int, ...], cols: tuple[int, ...], **line) -> dict:
    return figures.cells_rect((rows[0], rows[-1]), (cols[0], cols[-1]), line=line)


def input_figure(
    padded: np.ndarray,
    pads: tuple[tuple[int, int], tuple[int, int]],
    trace: WindowTrace,
    previous: WindowTrace | None = None,
    *,
    title: str = "Input (padding shaded)",
    px: int = 400,
    height: int = HEIGHT,
) -> go.Figure:
    """The padded input with the window's taps outlined and, dotted, where it was one step ago.

    Images in [0, 1] keep ``figures``' greys (black is 0, as in the book's
    bars). Other non-negative numbers (the book's 0..8) get a pale blue
    scale: on the red half of the diverging scale the orange window would
    hardly show, and black cells would make a page of numbers heavy.
    """
    padded = np.asarray(padded, dtype=np.float32)
    counts = padded.size and float(padded.min()) >= 0 and float(padded.max()) > 1
    vrange = (0.0, float(padded.max())) if counts else None
    fig = figures.grid_figure(padded, title=title, vrange=vrange, px=px, numeric=True)
    if counts:
        fig.update_traces(colorscale=COUNTS_SCALE)
    _fit(fig, padded.shape, px, height)
    figures.mark_padding(fig, padded.shape, pads)
    if previous is not None:
        fig.add_shape(
            _outline(previous.rows, previous.cols, color=PREVIOUS_LINE, width=3, dash="dot")
        )
    return figures.mark_window(fig, trace)


def products_figure(
    trace: WindowTrace, *, title: str = "Input × kernel", px: int = 320, height: int = HEIGHT
) -> go.Figure:
    """One cell per kernel tap: 'value×weight' over '= product', padding taps shaded."""
    products = np.asarray(trace.products, dtype=np.float32)
    text = [
        [
            f"{format_number(v, 2)}×{format_number(w, 2)}<br>= {format_number(p, 2)}"
            for v, w, p in zip(vr, wr, pr, strict=True)
        ]
        for vr, wr, pr in zip(trace.values, trace.weights, products, strict=True)
    ]
    vrange = figures.color_range(products)
    if not figures.is_signed(products):
        vrange = (-1.0, 1.0)  # keep the diverging scale: a product's sign is part of the lesson
    kh, kw = products.shape
    fig = figures.grid_figure(products, title=title, vrange=vrange, px=px, numeric=True)
    fig.update_traces(text=text, hoverinfo="skip", hovertemplate=None)
    _fit(fig, (kh, kw), px, height)
    shade = {"fillcolor": figures.PADDING_FILL, "line": {"width": 0}}
    for (r, c), padded in np.ndenumerate(trace.in_padding):
        if padded:
            fig.add_shape(figures.cells_rect((r, r), (c, c), **shade))
    fig.add_shape(
        figures.cells_rect(
            (0, kh - 1), (0, kw - 1), line={"color": figures.WINDOW_LINE, "width": 4}
        )
    )
    return fig


def output_figure(
    output: np.ndarray,
    step: int,
    *,
    title: str = "Output: filled so far",
    px: int = 400,
    height: int = HEIGHT,
) -> go.Figure:
    """The output map with cells up to ``step`` filled in, the current one outlined.

    Later cells are blank (grey). A transparent marker sits on
    every cell centre: a click on it is a Plotly point selection (heatmaps
    give none), which the page turns into a jump to that step.
    """
    output = np.asarray(output, dtype=np.float32)
    oh, ow = output.shape
    done = np.arange(output.size).reshape(oh, ow) <= step
    shown = np.where(done, output, np.nan)
    text = [
        [format_number(v, 2) if ok else FUTURE_TEXT for v, ok in zip(row, okr, strict=True)]
        for row, okr in zip(output, done, strict=True)
    ]
    # the whole map's colour range, so a cell keeps its colour while the rest fills in
    fig = figures.grid_figure(
        output, title=title, vrange=figures.color_range(output), px=px, numeric=True
    )
    fig.update_traces(z=shown, text=text, hoverinfo="skip", hovertemplate=None)
    cell = _fit(fig, (oh, ow), px, height)
    # cells still to come: a pale tile each, so the grid's shape is visible from step 1
    fig.add_trace(
        go.Heatmap(
            z=np.where(done, np.nan, 0.0),
            colorscale=[[0.0, FUTURE_FILL], [1.0, FUTURE_FILL]],
            hoverinfo="skip",
            xgap=1,
            ygap=1,
            showscale=False,
        )
    )
    rows, cols = np.divmod(np.arange(output.size), ow)
    fig.add_trace(
        go.Scatter(
            x=cols,
            y=rows,
            mode="markers",
            # big and invisible: the whole cell is the click target
            marker={"size": max(8, int(cell) - 4), "color": "rgba(0,0,0,0)"},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}},
            customdata=np.arange(output.size) + 1,
            hovertemplate="row %{y}, column %{x}: click to jump to step %{customdata}"
            "<extra></extra>",
            showlegend=False,
        )
    )
    fig.update_layout(dragmode=False, clickmode="event+select")
    i, j = step_position(step, (oh, ow))
    return figures.mark_cells(fig, [(i, j)])
