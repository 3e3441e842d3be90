"""The sliding-window page's grids: the padded input with the window, the products, the output.

Each figure is built in ONE ``go.Figure(data, layout)`` call, in ``figures``'
look (cell (r, c) centred at x = c, y = r, row 0 on top, 1-px gaps): Plotly
validates on every ``update_*``/``add_shape`` call, and building in steps
cost ~3x more (~50 ms per step for the three grids), with a class of 30
playing the animation at once. Builders return ``go.Figure`` and never render.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground import figures
from playground.trace import WindowTrace, format_number
from playground.window_view import step_position

INPUT_EDGE = "#1f3b73"  # the real input's border inside the padding, as in figures
PREVIOUS_LINE = "rgba(230, 95, 0, 0.9)"
COUNTS_SCALE = [[0.0, "#ffffff"], [1.0, "#7fa7d6"]]  # pale: dark numbers stay readable
FUTURE_FILL = "#eef0f4"
HEIGHT = 380  # the most a grid may take: with the controls above, the page fits 1000 px
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}  # figures' margins, so the pages look alike


def _cell_size(shape: tuple[int, int], px: int, height: int) -> float:
    """Side of a cell in pixels when the grid fills ``px`` wide or ``height`` tall."""
    h, w = shape
    width = px - MARGIN["l"] - MARGIN["r"]
    return max(8.0, min(width / w, (height - MARGIN["t"] - MARGIN["b"]) / h))


def _text_size(text: list[list[str]], cell: float) -> int:
    """Numbers as large as their cell allows: the longest label and the line count decide."""
    cells = [t.split("<br>") for row in text for t in row]
    longest = max((len(line) for lines in cells for line in lines), default=1) or 1
    n_lines = max((len(lines) for lines in cells), default=1)
    # a digit is ~0.6 em wide: labels within ~85% of the cell, lines within ~75%
    return int(max(8, min(24.0, cell * 0.45, 1.4 * cell / longest, 0.58 * cell / n_lines)))


def _heatmap(z, text, vrange, colorscale, cell: float, **extra) -> go.Heatmap:
    labels = {}
    if text is not None:
        labels = {
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": _text_size(text, cell)},
        }
    return go.Heatmap(
        z=z,
        zmin=vrange[0],
        zmax=vrange[1],
        colorscale=colorscale,
        xgap=1,
        ygap=1,
        showscale=False,
        **{"hoverinfo": "skip", **labels, **extra},
    )


def _layout(shape: tuple[int, int], title: str, cell: float, shapes=(), **extra) -> dict:
    """figures' grid layout, only as tall as the grid, so neighbouring grids line up on top."""
    h, w = shape
    axis = {"showgrid": False, "zeroline": False, "constrain": "domain", "visible": False}
    return {
        # centred over the grid, not the figure: a narrow grid sits mid-column
        "title": {
            "text": title,
            "x": 0.5,
            "xref": "paper",
            "xanchor": "center",
            "font": {"size": 16},
        },
        "height": int(cell * h + MARGIN["t"] + MARGIN["b"]),
        "margin": MARGIN,
        "plot_bgcolor": "#c9ced8",  # shows in the 1-px gaps: grid lines even between white cells
        "xaxis": {**axis, "range": [-0.5, w - 0.5]},
        "yaxis": {**axis, "range": [h - 0.5, -0.5], "scaleanchor": "x"},
        "shapes": list(shapes),
        **extra,
    }


def _cell_text(array: np.ndarray) -> list[list[str]]:
    return [[format_number(v, 2) for v in row] for row in array]


def rects_trace(
    rects, *, color: str = "rgba(0,0,0,0)", width: float = 0, fill: str | None = None
) -> go.Scatter:
    """Outline (and fill) many cell ranges ((r0, r1), (c0, c1)) with ONE trace.

    A polygon per range, gaps between. Plotly's ``add_shape`` re-validates
    every shape on each call (49 taps of a 7x7 kernel: ~0.6 s per redraw);
    and shapes always cover every trace, while traces stack in order.
    """
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (r0, r1), (c0, c1) in rects:
        xs += [c0 - 0.5, c1 + 0.5, c1 + 0.5, c0 - 0.5, c0 - 0.5, None]
        ys += [r0 - 0.5, r0 - 0.5, r1 + 0.5, r1 + 0.5, r0 - 0.5, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": color, "width": width},
        fill="toself" if fill else "none",
        fillcolor=fill,
        hoverinfo="skip",
        showlegend=False,
    )


def cells_trace(cells, **style) -> go.Scatter:
    """One square per (row, column) cell, in one trace; see ``rects_trace``."""
    return rects_trace([((r, r), (c, c)) for r, c in cells], **style)


def _input_colours(padded: np.ndarray) -> tuple[tuple[float, float], list]:
    """figures' colours, except pale blue for non-negative numbers past 1 (the book's 0..8).

    On the red half of the diverging scale the orange window would hardly
    show, and black cells would make a page of numbers heavy. Images in
    [0, 1] keep the greys (black is 0, as in the book's bars).
    """
    if padded.size and float(padded.min()) >= 0 and float(padded.max()) > 1:
        return (0.0, float(padded.max())), COUNTS_SCALE
    signed = figures.is_signed(padded)
    return figures.color_range(padded), figures.DIVERGING if signed else figures.GREYS


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
    """The padded input, padding shaded, the window's taps outlined (dilation leaves gaps)
    and, dotted, where the window was one step before."""
    padded = np.asarray(padded, dtype=np.float32)
    cell = _cell_size(padded.shape, px, height)
    vrange, scale = _input_colours(padded)
    data = [
        _heatmap(
            padded,
            _cell_text(padded),
            vrange,
            scale,
            cell,
            hoverinfo=None,
            hovertemplate="row %{y}, column %{x}: %{z:.4g}<extra></extra>",
        )
    ]
    shapes = []
    bands = figures.padding_bands(padded.shape, pads)
    if bands:
        # under the window's trace: a shape would cover the taps that sit in the padding
        data.append(rects_trace(bands, fill=figures.PADDING_FILL))
        (top, bottom), (left, right) = pads
        h, w = padded.shape
        edge = {"color": INPUT_EDGE, "width": 2, "dash": "dash"}
        shapes.append(figures.cells_rect((top, h - bottom - 1), (left, w - right - 1), line=edge))
    taps = [(r, c) for r in trace.rows for c in trace.cols]
    data.append(cells_trace(taps, color=figures.WINDOW_LINE, width=3, fill=figures.WINDOW_FILL))
    if previous is not None:
        rows, cols = (previous.rows[0], previous.rows[-1]), (previous.cols[0], previous.cols[-1])
        dotted = {"color": PREVIOUS_LINE, "width": 3, "dash": "dot"}
        shapes.append(figures.cells_rect(rows, cols, line=dotted))
    return go.Figure(data, _layout(padded.shape, title, cell, shapes))


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
    # always the diverging scale: a product's sign is part of the lesson
    vrange = figures.color_range(products) if figures.is_signed(products) else (-1.0, 1.0)
    cell = _cell_size(products.shape, px, height)
    data = [_heatmap(products, text, vrange, figures.DIVERGING, cell)]
    padding_taps = [(r, c) for (r, c), padded in np.ndenumerate(trace.in_padding) if padded]
    if padding_taps:
        data.append(cells_trace(padding_taps, fill=figures.PADDING_FILL))
    kh, kw = products.shape
    frame = figures.cells_rect(
        (0, kh - 1), (0, kw - 1), line={"color": figures.WINDOW_LINE, "width": 4}
    )
    return go.Figure(data, _layout((kh, kw), title, cell, [frame]))


def output_figure(
    output: np.ndarray,
    step: int,
    *,
    title: str = "Output: filled so far",
    px: int = 400,
    height: int = HEIGHT,
) -> go.Figure:
    """The output map with cells up to ``step`` filled in, the current one outlined in green.

    Later cells are pale and blank. The colour range is the whole map's, so a
    cell keeps its colour while the rest fills in. A transparent marker sits
    on every cell centre: a click on it is a Plotly point selection (heatmaps
    give none), which the page turns into a jump to that step.
    """
    output = np.asarray(output, dtype=np.float32)
    oh, ow = output.shape
    cell = _cell_size((oh, ow), px, height)
    done = np.arange(output.size).reshape(oh, ow) <= step
    text = [
        [format_number(v, 2) if ok else "" for v, ok in zip(row, okr, strict=True)]
        for row, okr in zip(output, done, strict=True)
    ]
    scale = figures.DIVERGING if figures.is_signed(output) else figures.GREYS
    rows, cols = np.divmod(np.arange(output.size), ow)
    data = [
        _heatmap(np.where(done, output, np.nan), text, figures.color_range(output), scale, cell),
        _heatmap(
            np.where(done, np.nan, 0.0), None, (0, 1), [[0, FUTURE_FILL], [1, FUTURE_FILL]], cell
        ),
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
        ),
    ]
    i, j = step_position(step, (oh, ow))
    current = figures.cells_rect((i, i), (j, j), line={"color": figures.OUTPUT_LINE, "width": 4})
    layout = _layout((oh, ow), title, cell, [current], dragmode=False, clickmode="event+select")
    return go.Figure(data, layout)
