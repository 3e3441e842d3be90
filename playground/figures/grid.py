"""The grid style every figure shares, and the grid figure of the Explore and Learn pages.

Cell (r, c) is centred at x = c, y = r with row 0 at the top, so shapes for a
range of cells are easy to place; the 1-px gaps between cells show the
background (``palette.GRID_LINES``) as grid lines. Every figure is built in
one ``go.Figure(data, layout)`` call with the layout from
:func:`grid_layout`: Plotly validates the whole figure again on every
``update_*``/``add_shape`` call (measured 9.7 -> 2.7 ms per figure), most of a
rerun's figure time with a class on the page.

Small arrays (<= ``NUMERIC_MAX_SIDE`` per side) are numeric heatmaps with
their values written in the cells; larger ones go to the browser as a JPEG:
a 512x512 numeric heatmap is ~1.7 MB of JSON per rerun, the image 80-350 kB
(docs/facts.md).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from playground.figures import palette
from playground.figures.colour_bar import BAR_HEIGHT, Stops, bar_only, heatmap_colours, to_rgb
from playground.figures.colour_scales import AUTO, ColourScale, choose_scale
from playground.i18n import _
from playground.trace import format_number

NUMERIC_MAX_SIDE = 24
MARGIN = {"l": 10, "r": 10, "t": 40, "b": 10}  # one margin, so the pages look alike
TITLE_FONT = {"size": 16}
_AXIS = {"showgrid": False, "zeroline": False, "constrain": "domain", "visible": False}


def cell_labels(array: np.ndarray) -> list[list[str]]:
    """Every value as the short text written in its cell ('0', '0.12', '-1')."""
    return [[format_number(v, 2) for v in row] for row in array]


def grid_layout(
    shape: tuple[int, int], title: str, *, height: int, shapes: Iterable[dict] = (), **extra
) -> dict:
    """The layout of one grid: square cells, row 0 on top, no axes, title over the grid."""
    h, w = shape
    return {
        # centred over the grid, not the figure: a narrow grid sits mid-column
        "title": {
            "text": title,
            "x": 0.5,
            "xref": "paper",
            "xanchor": "center",
            "font": TITLE_FONT,
        },
        "height": int(height),
        "margin": MARGIN,
        "plot_bgcolor": palette.GRID_LINES,
        "xaxis": {**_AXIS, "range": [-0.5, w - 0.5]},
        "yaxis": {**_AXIS, "range": [h - 0.5, -0.5], "scaleanchor": "x"},
        "shapes": list(shapes),
        **extra,
    }


def grid_figure(
    array: np.ndarray,
    *,
    title: str = "",
    scale: ColourScale | None = None,
    px: int = 420,
    numeric: bool | None = None,
    contrast: str = AUTO,
    stops: Stops | None = None,
    bar: bool = True,
) -> go.Figure:
    """A 2D array as a grid: numbers in cells when small, an image when large.

    Colours follow ``scale`` (by default :func:`choose_scale` of the array with
    ``contrast``): diverging around a white 0 for signed data, sequential from
    0 otherwise; ``stops`` replaces the colours (a channel's own tint), and
    ``bar`` puts the scale's colour bar under the grid.
    """
    array = np.asarray(array, dtype=np.float32)
    scale = choose_scale(array, contrast=contrast) if scale is None else scale
    if numeric is None:
        numeric = max(array.shape) <= NUMERIC_MAX_SIDE
    if numeric:
        data = [
            go.Heatmap(
                z=array,
                text=cell_labels(array),
                texttemplate="%{text}",
                textfont={"size": _font_size(array.shape, px)},
                hovertemplate=_("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>",
                xgap=1,
                ygap=1,
                **heatmap_colours(scale, stops=stops, bar=bar),
            )
        ]
    else:
        # An image source instead of z: every pixel as JSON would be ~10x larger.
        data = [
            go.Image(
                source=image_data_uri(to_rgb(array, scale, stops)),
                hovertemplate=_("row %{y}, col %{x}") + "<extra></extra>",
            )
        ]
        if bar:
            data.append(bar_only(scale, stops=stops))
    h, w = array.shape
    height = min(640, max(160, px * h / max(w, 1) + 70)) + (BAR_HEIGHT if bar else 0)
    return go.Figure(data, grid_layout(array.shape, title, height=height, showlegend=False))


def grid_legend(array: np.ndarray, *, contrast: str = AUTO) -> str:
    """The legend sentence of ``grid_figure(array, contrast=contrast)``'s colours."""
    return choose_scale(np.asarray(array, np.float32), contrast=contrast).legend()


def _font_size(shape: tuple[int, int], px: int) -> int:
    cell = px / max(shape[1], 1)
    return int(max(8, min(22, cell * 0.32)))


def image_data_uri(rgb: np.ndarray) -> str:
    """A JPEG data URI (quality 90, no chroma subsampling; grey images as one channel).

    Large maps are pictures to look at: their numbers are in the downloads and
    in the small numeric grids. Measured on the 512x512 photo and its edge map:
    PNG 200-315 kB and ~25 ms to encode each, this JPEG 30-65 kB in ~2 ms, with
    no visible loss; that is what keeps a rerun under ~400 kB.
    """
    grey = bool((rgb[:, :, 0] == rgb[:, :, 1]).all() and (rgb[:, :, 1] == rgb[:, :, 2]).all())
    image = Image.fromarray(rgb[:, :, 0] if grey else rgb, "L" if grey else "RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90, subsampling=0)
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# ---------------------------------------------------------------- marking cells


def panel_title(text: str, *, x: float, size: int) -> dict:
    """A title centred over one panel of a figure with panels side by side (paper coordinates)."""
    return {
        "text": text,
        "x": x,
        "y": 1.0,
        "xref": "paper",
        "yref": "paper",
        "xanchor": "center",  # "auto" anchors a title past 2/3 of the width at its right end
        "yanchor": "bottom",
        "showarrow": False,
        "font": {"size": size},
    }


def cells_rect(rows: tuple[int, int], cols: tuple[int, int], **style) -> dict:
    """A plotly rect shape around cells rows[0]..rows[1], cols[0]..cols[1] (inclusive)."""
    return dict(
        type="rect",
        x0=cols[0] - 0.5,
        x1=cols[1] + 0.5,
        y0=rows[0] - 0.5,
        y1=rows[1] + 0.5,
        **style,
    )


def rects_scatter(
    rects, *, color: str = "rgba(0,0,0,0)", width: float = 0, fill: str | None = None
) -> go.Scatter:
    """Outline (and fill) many cell ranges ((r0, r1), (c0, c1)) with ONE scatter.

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


def cells_scatter(cells, **style) -> go.Scatter:
    """One square per (row, column) cell, in one scatter; see ``rects_scatter``."""
    return rects_scatter([((r, r), (c, c)) for r, c in cells], **style)


def padding_bands(padded_shape: tuple[int, int], pads) -> list[tuple[tuple[int, int], ...]]:
    """The padding as up to four cell ranges: top, bottom, left and right bands."""
    (top, bottom), (left, right) = pads
    h, w = padded_shape
    bands = [
        ((0, top - 1), (0, w - 1)),
        ((h - bottom, h - 1), (0, w - 1)),
        ((top, h - bottom - 1), (0, left - 1)),
        ((top, h - bottom - 1), (w - right, w - 1)),
    ]
    return [(rows, cols) for rows, cols in bands if rows[1] >= rows[0] and cols[1] >= cols[0]]


def input_outline(padded_shape: tuple[int, int], pads) -> dict:
    """The dashed border of the real input inside its padding."""
    (top, bottom), (left, right) = pads
    h, w = padded_shape
    edge = {"color": palette.INPUT_EDGE, "width": 2, "dash": "dash"}
    return cells_rect((top, h - bottom - 1), (left, w - right - 1), line=edge)


def mark_padding(
    fig: go.Figure, padded_shape: tuple[int, int], pads: tuple[tuple[int, int], ...]
) -> go.Figure:
    """Shade the padding band and outline the real input inside it (shapes added at once)."""
    shapes = [
        cells_rect(rows, cols, fillcolor=palette.PADDING_FILL, line={"width": 0})
        for rows, cols in padding_bands(padded_shape, pads)
    ]
    if any(any(side) for side in pads):
        shapes.append(input_outline(padded_shape, pads))
    # one assignment: each add_shape call re-validates all shapes so far
    fig.layout.shapes = (*fig.layout.shapes, *shapes)
    return fig
