"""The sliding-window page's grids: the padded input with the window, the products, the output.

Each figure is built in ONE ``go.Figure(data, layout)`` call in the shared
grid style (:mod:`playground.figures.grid`): building in steps cost ~3x more
(~50 ms per step for the three grids), with a class of 30 playing the
animation at once. Builders return ``go.Figure`` and never render.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.figures import palette
from playground.figures.colour_bar import BAR_HEIGHT, fixed_scale, heatmap_colours
from playground.figures.colour_scales import FULL, ColourScale, choose_scale
from playground.figures.grid import (
    MARGIN,
    cell_labels,
    cells_rect,
    cells_scatter,
    grid_layout,
    input_outline,
    padding_bands,
    rects_scatter,
)
from playground.figures.window_steps import step_position
from playground.i18n import _
from playground.trace import WindowTrace, format_number

HEIGHT = 380  # the most a grid may take: with the controls above, the page fits 1000 px


def _cell_size(shape: tuple[int, int], px: int, height: int) -> float:
    """Side of a cell in pixels when the grid fills ``px`` wide or ``height`` tall."""
    h, w = shape
    width = px - MARGIN["l"] - MARGIN["r"]
    return max(8.0, min(width / w, (height - MARGIN["t"] - MARGIN["b"] - BAR_HEIGHT) / h))


def _text_size(text: list[list[str]], cell: float) -> int:
    """Numbers as large as their cell allows: the longest label and the line count decide."""
    cells = [t.split("<br>") for row in text for t in row]
    longest = max((len(line) for lines in cells for line in lines), default=1) or 1
    n_lines = max((len(lines) for lines in cells), default=1)
    # a digit is ~0.6 em wide: labels within ~85% of the cell, lines within ~75%
    return int(max(8, min(24.0, cell * 0.45, 1.4 * cell / longest, 0.58 * cell / n_lines)))


def _heatmap(z, text, scale: ColourScale | None, cell: float, **extra) -> go.Heatmap:
    """A grid heatmap on ``scale`` with its colour bar (``None``: a flat fill, no bar)."""
    labels = {}
    if text is not None:
        labels = {
            "text": text,
            "texttemplate": "%{text}",
            "textfont": {"size": _text_size(text, cell)},
        }
    colours = heatmap_colours(scale) if scale is not None else {"showscale": False}
    return go.Heatmap(
        z=z,
        xgap=1,
        ygap=1,
        **colours,
        **{"hoverinfo": "skip", **labels, **extra},
    )


def _layout(shape: tuple[int, int], title: str, cell: float, shapes=(), **extra) -> dict:
    """The grid layout, only as tall as the grid and its colour bar, so neighbouring grids
    line up on top."""
    height = cell * shape[0] + MARGIN["t"] + MARGIN["b"] + BAR_HEIGHT
    return grid_layout(shape, title, height=height, shapes=shapes, **extra)


def input_figure(
    padded: np.ndarray,
    pads: tuple[tuple[int, int], tuple[int, int]],
    trace: WindowTrace,
    previous: WindowTrace | None = None,
    *,
    title: str | None = None,
    px: int = 400,
    height: int = HEIGHT,
) -> go.Figure:
    """The padded input, padding shaded, the window's taps outlined (dilation leaves gaps)
    and, dotted, where the window was one step before."""
    title = _("Input (padding shaded)") if title is None else title
    padded = np.asarray(padded, dtype=np.float32)
    cell = _cell_size(padded.shape, px, height)
    data = [
        _heatmap(
            padded,
            cell_labels(padded),
            choose_scale(padded, contrast=FULL),
            cell,
            hoverinfo=None,
            hovertemplate=_("row %{y}, column %{x}: %{z:.4g}") + "<extra></extra>",
        )
    ]
    shapes = []
    bands = padding_bands(padded.shape, pads)
    if bands:
        # under the window's scatter: a shape would cover the taps that sit in the padding
        data.append(rects_scatter(bands, fill=palette.PADDING_FILL))
        shapes.append(input_outline(padded.shape, pads))
    taps = [(r, c) for r in trace.rows for c in trace.cols]
    data.append(cells_scatter(taps, color=palette.WINDOW_LINE, width=3, fill=palette.WINDOW_FILL))
    if previous is not None:
        rows, cols = (previous.rows[0], previous.rows[-1]), (previous.cols[0], previous.cols[-1])
        dotted = {"color": palette.PREVIOUS_LINE, "width": 3, "dash": "dot"}
        shapes.append(cells_rect(rows, cols, line=dotted))
    return go.Figure(data, _layout(padded.shape, title, cell, shapes))


def products_figure(
    trace: WindowTrace, *, title: str | None = None, px: int = 320, height: int = HEIGHT
) -> go.Figure:
    """One cell per kernel tap: 'value×weight' over '= product', padding taps shaded."""
    title = _("Input × kernel") if title is None else title
    products = np.asarray(trace.products, dtype=np.float32)
    text = [
        [
            f"{format_number(v, 2)}×{format_number(w, 2)}<br>= {format_number(p, 2)}"
            for v, w, p in zip(vr, wr, pr, strict=True)
        ]
        for vr, wr, pr in zip(trace.values, trace.weights, products, strict=True)
    ]
    # always the diverging scale: a product's sign is part of the lesson
    bound = float(np.abs(products).max()) if products.size else 0.0
    cell = _cell_size(products.shape, px, height)
    data = [_heatmap(products, text, fixed_scale(-(bound or 1.0), bound or 1.0, products), cell)]
    padding_taps = [(r, c) for (r, c), padded in np.ndenumerate(trace.in_padding) if padded]
    if padding_taps:
        data.append(cells_scatter(padding_taps, fill=palette.PADDING_FILL))
    kh, kw = products.shape
    frame = cells_rect((0, kh - 1), (0, kw - 1), line={"color": palette.WINDOW_LINE, "width": 4})
    return go.Figure(data, _layout((kh, kw), title, cell, [frame]))


def output_figure(
    output: np.ndarray,
    step: int,
    *,
    title: str | None = None,
    px: int = 400,
    height: int = HEIGHT,
) -> go.Figure:
    """The output map with cells up to ``step`` filled in, the current one outlined in green.

    Later cells are pale and blank. The colour range is the whole map's, so a
    cell keeps its colour while the rest fills in. A transparent marker sits
    on every cell centre: a click on it is a Plotly point selection (heatmaps
    give none), which the page turns into a jump to that step.
    """
    title = _("Output: filled so far") if title is None else title
    output = np.asarray(output, dtype=np.float32)
    oh, ow = output.shape
    cell = _cell_size((oh, ow), px, height)
    done = np.arange(output.size).reshape(oh, ow) <= step
    text = [
        [format_number(v, 2) if ok else "" for v, ok in zip(row, okr, strict=True)]
        for row, okr in zip(output, done, strict=True)
    ]
    rows, cols = np.divmod(np.arange(output.size), ow)
    # the whole map's scale: a cell keeps its colour while the rest fills in
    scale = choose_scale(output, contrast=FULL)
    data = [
        _heatmap(np.where(done, output, np.nan), text, scale, cell),
        _heatmap(
            np.where(done, np.nan, 0.0),
            None,
            None,
            cell,
            colorscale=[[0, palette.FUTURE_FILL], [1, palette.FUTURE_FILL]],
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
            hovertemplate=_("row %{y}, column %{x}: click to jump to step %{customdata}")
            + "<extra></extra>",
            showlegend=False,
        ),
    ]
    i, j = step_position(step, (oh, ow))
    current = cells_rect((i, i), (j, j), line={"color": palette.OUTPUT_LINE, "width": 4})
    layout = _layout((oh, ow), title, cell, [current], dragmode=False, clickmode="event+select")
    return go.Figure(data, layout)
