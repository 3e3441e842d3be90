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
from playground.figures import colour_bar, palette
from playground.figures.channel_words import cell_sum_text
from playground.figures.colour_bar import BAR_HEIGHT, CHANNEL_TINTS, tint_legend
from playground.figures.colour_scales import FULL, SEQUENTIAL, ColourScale, choose_scale
from playground.figures.grid import (
    MARGIN,
    NUMERIC_MAX_SIDE,
    cells_rect,
    grid_figure,
    grid_layout,
    image_data_uri,
)
from playground.i18n import _

HIGHLIGHT = {"color": palette.WINDOW_LINE, "width": 4}
ROW_OF_FOUR_PX = 190
TEXT_MAX_SIDE = 10  # four maps share a row: past this their numbers no longer fit a cell


def _without_numbers(fig: go.Figure, shape) -> go.Figure:
    """Drop the cell numbers of a crowded map; its hover still gives every value."""
    if max(shape) > TEXT_MAX_SIDE and fig.data[0].type == "heatmap":
        fig.data[0].text = None
        fig.data[0].texttemplate = None
    return fig


def colour_figure(
    rgb: np.ndarray, *, title: str = "", px: int = 360, beside_planes: bool = False
) -> go.Figure:
    """An (H, W, 3) image in [0, 1] as the colour picture it is.

    ``beside_planes``: sized like :func:`plane_figure` in a row with the planes,
    with room left where their colour bars are, so the four pictures line up.
    """
    rgb = np.asarray(rgb, np.float32)
    pixels = (np.clip(rgb, 0, 1) * 255).round().astype(np.uint8)
    trace = go.Image(
        source=image_data_uri(pixels), hovertemplate=_("row %{y}, col %{x}") + "<extra></extra>"
    )
    h, w = rgb.shape[:2]
    if not beside_planes:
        height = min(560, max(160, px * h / max(w, 1) + 70))
        return go.Figure([trace], grid_layout((h, w), title, height=height))
    height = _plane_height((h, w), ROW_OF_FOUR_PX)
    margin = {**MARGIN, "b": MARGIN["b"] + BAR_HEIGHT}
    return go.Figure([trace], grid_layout((h, w), title, height=height, margin=margin))


def _plane_height(shape: tuple[int, int], px: int) -> float:
    """A plane figure's height: the grid ``px`` wide (within bounds), title, colour bar."""
    h, w = shape
    return min(420, max(140, px * h / max(w, 1) + 60)) + BAR_HEIGHT


def plane_scale(plane: np.ndarray) -> ColourScale:
    """A plane's colour scale: its own range, sequential from 0 unless it has negative values."""
    return choose_scale(plane, contrast=FULL)


def plane_legend(plane: np.ndarray, channel: int) -> str:
    """What a plane's colours mean: 0 black, its largest value the channel's full colour."""
    return tint_legend(plane_scale(plane), channel)


def plane_figure(
    plane: np.ndarray, channel: int, *, title: str, px: int | None = None
) -> go.Figure:
    """One input channel, drawn in its own colour (black at 0), with its colour bar.

    Numbers sit in the cells when the plane is small; a signed plane (typed
    numbers) and channels past the third use the grid's own scales.
    """
    plane = np.asarray(plane, np.float32)
    if px is None:
        # a colour photo's planes share a row of four (~170 px each at 1200 px): a grid
        # sized for more is squeezed to the column, leaving gaps above and below it
        px = ROW_OF_FOUR_PX if channel < len(CHANNEL_TINTS) else 300
    scale = plane_scale(plane)
    tinted = channel < len(CHANNEL_TINTS) and scale.kind == SEQUENTIAL
    stops = CHANNEL_TINTS[channel] if tinted else None
    fig = grid_figure(plane, title=title, px=px, scale=scale, stops=stops)
    fig.layout.height = _plane_height(plane.shape, px)
    if tinted and fig.data[0].type == "heatmap":
        fig.data[0].textfont = {"size": 13, "color": "#ffffff"}  # light numbers on a dark tint
    return _without_numbers(fig, plane.shape)


def map_figure(
    values: np.ndarray,
    *,
    title: str,
    hover: list[list[str]] | None = None,
    cell: tuple[int, int] | None = None,
    scale: ColourScale | None = None,
    px: int = ROW_OF_FOUR_PX,
) -> go.Figure:
    """A correlation map or an output channel, with its colour bar; the chosen cell outlined.

    ``hover`` gives each cell's hover text (the arithmetic); only small maps get it.
    ``scale``: the colour scale shared by one output channel's maps
    (:func:`shared_scale`), so their colours compare; without it, the map's own.
    """
    values = np.asarray(values, np.float32)
    fig = grid_figure(values, title=title, px=px, scale=scale, contrast=FULL)
    fig = _without_numbers(fig, values.shape)
    if hover and max(values.shape) <= NUMERIC_MAX_SIDE:
        fig.data[0].customdata = hover
        fig.data[0].hovertemplate = "%{customdata}<extra></extra>"
        fig.layout.hoverlabel = {"font": {"size": 16}}  # the arithmetic is the point: readable
    if cell is not None:
        fig.layout.shapes = (cells_rect((cell[0], cell[0]), (cell[1], cell[1]), line=HIGHLIGHT),)
    return fig


def shared_scale(conv: ChannelConv, out_channel: int) -> ColourScale:
    """One colour scale for an output channel's maps and its sum, so their colours compare."""
    return colour_bar.shared_scale(conv.maps[:, :, :, out_channel], conv.output[:, :, out_channel])


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
