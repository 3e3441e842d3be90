"""The Channels page's figures: a colour image, its channel planes, per-channel maps and sums.

Cells of small maps carry their numbers, and their hover text carries the
arithmetic of the multi-channel sum for that cell
(``R: … + G: … + B: … + b = value``); large maps are pictures. Builders
return ``go.Figure`` and never render.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.channels import ChannelConv, MatmulCheck
from playground.figures import palette
from playground.figures.channel_words import cell_sum_text
from playground.figures.grid import (
    NUMERIC_MAX_SIDE,
    cell_labels,
    cells_rect,
    grid_figure,
    grid_layout,
    image_data_uri,
)
from playground.i18n import _

# each channel plane is drawn in its own colour (0 black -> full colour), the way a
# photo's channels are usually shown; channels past the third use grey
CHANNEL_SCALES = (
    [[0.0, "#000000"], [1.0, "#ff0000"]],
    [[0.0, "#000000"], [1.0, "#00c000"]],
    [[0.0, "#000000"], [1.0, "#0050ff"]],
)
HIGHLIGHT = {"color": palette.WINDOW_LINE, "width": 4}
TEXT_MAX_SIDE = 10  # four maps share a row: past this their numbers no longer fit a cell


def _without_numbers(fig: go.Figure, shape) -> go.Figure:
    """Drop the cell numbers of a crowded map; its hover still gives every value."""
    if max(shape) > TEXT_MAX_SIDE and fig.data[0].type == "heatmap":
        fig.data[0].text = None
        fig.data[0].texttemplate = None
    return fig


def colour_figure(rgb: np.ndarray, *, title: str = "", px: int = 360) -> go.Figure:
    """An (H, W, 3) image in [0, 1] as the colour picture it is."""
    rgb = np.asarray(rgb, np.float32)
    pixels = (np.clip(rgb, 0, 1) * 255).round().astype(np.uint8)
    trace = go.Image(
        source=image_data_uri(pixels), hovertemplate=_("row %{y}, col %{x}") + "<extra></extra>"
    )
    h, w = rgb.shape[:2]
    height = min(560, max(160, px * h / max(w, 1) + 70))
    return go.Figure([trace], grid_layout((h, w), title, height=height))


def plane_figure(plane: np.ndarray, channel: int, *, title: str, px: int = 300) -> go.Figure:
    """One input channel, drawn in its own colour (numbers in the cells when small)."""
    plane = np.asarray(plane, np.float32)
    if channel >= len(CHANNEL_SCALES) or palette.is_signed(plane):
        return _without_numbers(grid_figure(plane, title=title, px=px), plane.shape)
    if max(plane.shape) > NUMERIC_MAX_SIDE:
        rgb = np.zeros((*plane.shape, 3), np.uint8)
        rgb[:, :, channel] = (np.clip(plane, 0, 1) * 255).round().astype(np.uint8)
        trace = go.Image(
            source=image_data_uri(rgb), hovertemplate=_("row %{y}, col %{x}") + "<extra></extra>"
        )
    else:
        trace = go.Heatmap(
            z=plane,
            zmin=0,
            zmax=1,
            colorscale=CHANNEL_SCALES[channel],
            text=cell_labels(plane) if max(plane.shape) <= TEXT_MAX_SIDE else None,
            texttemplate="%{text}" if max(plane.shape) <= TEXT_MAX_SIDE else None,
            textfont={"size": 13, "color": "#ffffff"},
            hovertemplate=_("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>",
            xgap=1,
            ygap=1,
            showscale=False,
        )
    h, w = plane.shape
    height = min(420, max(140, px * h / max(w, 1) + 60))
    return go.Figure([trace], grid_layout(plane.shape, title, height=height))


def map_figure(
    values: np.ndarray,
    *,
    title: str,
    hover: list[list[str]] | None = None,
    cell: tuple[int, int] | None = None,
    bound: float | None = None,
    px: int = 300,
) -> go.Figure:
    """A correlation map or an output channel, signed colours; the chosen cell outlined.

    ``hover`` gives each cell's hover text (the arithmetic); only small maps get it.
    ``bound``: the colour scale's end, shared by one output channel's maps
    (:func:`shared_bound`) so their colours compare.
    """
    values = np.asarray(values, np.float32)
    # always diverging, zero white: a channel whose kernel is all zeros is a blank map
    if bound is None:
        bound = float(np.abs(values).max()) if values.size else 1.0
    vrange = (-(bound or 1.0), bound or 1.0)
    fig = _without_numbers(grid_figure(values, title=title, px=px, vrange=vrange), values.shape)
    if hover and max(values.shape) <= NUMERIC_MAX_SIDE:
        fig.data[0].customdata = hover
        fig.data[0].hovertemplate = "%{customdata}<extra></extra>"
        fig.layout.hoverlabel = {"font": {"size": 16}}  # the arithmetic is the point: readable
    if cell is not None:
        fig.layout.shapes = (cells_rect((cell[0], cell[0]), (cell[1], cell[1]), line=HIGHLIGHT),)
    return fig


def shared_bound(conv: ChannelConv, out_channel: int) -> float:
    """The largest |value| among one output channel's maps and its sum: one scale for all."""
    parts = (conv.maps[:, :, :, out_channel], conv.output[:, :, out_channel])
    return max((float(np.abs(p).max()) for p in parts if p.size), default=1.0) or 1.0


def hover_texts(conv: ChannelConv, out_channel: int, names) -> list[list[str]]:
    """Every cell's ``R: … + G: … + B: … + b = value`` for one output channel."""
    oh, ow = conv.output.shape[:2]
    if max(oh, ow) > NUMERIC_MAX_SIDE:
        return []
    return [[cell_sum_text(conv, (i, j), out_channel, names) for j in range(ow)] for i in range(oh)]


def matmul_figure(check: MatmulCheck, *, title: str) -> go.Figure:
    """The 1x1 weights as the (C_in, C_out) matrix the matrix multiply uses."""
    rows, cols = check.weights.shape
    # a 3x1 column at the usual width would stand 640 px tall: keep it about 260
    return grid_figure(check.weights, title=title, px=min(220, 190 * cols / rows))
