"""Plotly figure builders for the grids: input, kernel, output, sliding window.

Builders return ``go.Figure`` and never render. Cell (r, c) is centred at
x = c, y = r with row 0 at the top, so shapes for a range of cells are easy
to place. Small arrays (<= ``NUMERIC_MAX_SIDE`` per side) are numeric
heatmaps with their values written in the cells; larger ones go to the
browser as a JPEG image: a 512x512 numeric heatmap is ~1.7 MB
of JSON per rerun, the image 80-350 kB (FACTS.md).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterable

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from playground.trace import WindowTrace, format_number

NUMERIC_MAX_SIDE = 24

# Signed maps use a diverging scale centred on 0 (blue negative, red
# positive), so a student sees the sign at a glance; [0, 1] images use grey.
DIVERGING = "RdBu_r"
GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
PADDING_FILL = "rgba(140, 150, 170, 0.55)"
WINDOW_LINE = "#ff7f0e"
WINDOW_FILL = "rgba(255, 127, 14, 0.22)"
OUTPUT_LINE = "#2ca02c"


def is_signed(array: np.ndarray) -> bool:
    """True when the array has values outside [0, 1]: then show it on a diverging scale."""
    return bool(array.size) and (float(array.min()) < 0 or float(array.max()) > 1)


def color_range(array: np.ndarray) -> tuple[float, float]:
    """Symmetric (-m, m) for signed data, (0, 1) for images."""
    if not is_signed(array):
        return 0.0, 1.0
    bound = float(np.abs(array).max()) or 1.0
    return -bound, bound


def _cell_text(array: np.ndarray) -> list[list[str]]:
    return [[format_number(v, 2) for v in row] for row in array]


def _font_size(shape: tuple[int, int], px: int) -> int:
    cell = px / max(shape[1], 1)
    return int(max(8, min(22, cell * 0.32)))


def _base_layout(fig: go.Figure, shape, title: str, px: int) -> go.Figure:
    h, w = shape
    axis = {"showgrid": False, "zeroline": False, "constrain": "domain", "visible": False}
    # One assignment instead of update_layout/update_xaxes/update_yaxes: each
    # of those validates the whole layout again (measured 9.7 -> 2.7 ms per
    # figure, which is most of a rerun's figure time with 60 students).
    fig.layout = {
        "title": {"text": title, "x": 0.5, "font": {"size": 16}},
        "height": int(min(640, max(160, px * h / max(w, 1) + 70))),
        "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
        # the 1-px gaps between cells show this colour: grid lines even between white cells
        "plot_bgcolor": "#c9ced8",
        "xaxis": {"range": [-0.5, w - 0.5], **axis},
        "yaxis": {"range": [h - 0.5, -0.5], "scaleanchor": "x", **axis},
    }
    return fig


def _to_rgb(array: np.ndarray, vmin: float, vmax: float, signed: bool) -> np.ndarray:
    """Map values to uint8 RGB: grey for images, blue-white-red for signed maps."""
    t = np.clip((array - vmin) / ((vmax - vmin) or 1.0), 0, 1)
    if not signed:
        grey = (t * 255).round().astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    blue, white, red = (
        np.array(c, np.float32) for c in ((33, 102, 172), (247, 247, 247), (178, 24, 43))
    )
    low = white + (blue - white) * np.clip(1 - 2 * t, 0, 1)[:, :, None]
    high = white + (red - white) * np.clip(2 * t - 1, 0, 1)[:, :, None]
    rgb = np.where((t < 0.5)[:, :, None], low, high)
    return rgb.round().astype(np.uint8)


def grid_figure(
    array: np.ndarray,
    *,
    title: str = "",
    vrange: tuple[float, float] | None = None,
    px: int = 420,
    numeric: bool | None = None,
) -> go.Figure:
    """A 2D array as a grid: numbers in cells when small, an image when large."""
    array = np.asarray(array, dtype=np.float32)
    signed = is_signed(array) if vrange is None else vrange[0] < 0
    vmin, vmax = vrange if vrange is not None else color_range(array)
    if numeric is None:
        numeric = max(array.shape) <= NUMERIC_MAX_SIDE
    fig = go.Figure()
    if numeric:
        fig.add_trace(
            go.Heatmap(
                z=array,
                zmin=vmin,
                zmax=vmax,
                colorscale=DIVERGING if signed else GREYS,
                text=_cell_text(array),
                texttemplate="%{text}",
                textfont={"size": _font_size(array.shape, px)},
                hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>",
                xgap=1,
                ygap=1,
                showscale=False,
            )
        )
    else:
        # An image source instead of z: every pixel as JSON would be ~10x larger.
        fig.add_trace(
            go.Image(
                source=_image_data_uri(_to_rgb(array, vmin, vmax, signed)),
                hovertemplate="row %{y}, col %{x}<extra></extra>",
            )
        )
    return _base_layout(fig, array.shape, title, px)


def _image_data_uri(rgb: np.ndarray) -> str:
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


def add_shapes(fig: go.Figure, shapes: Iterable[dict]) -> go.Figure:
    """Append shapes in one assignment: each ``add_shape`` call re-validates all
    shapes so far, which makes a 5x5 window outline cost ~25x one shape."""
    new = list(shapes)
    if new:
        fig.layout.shapes = (*fig.layout.shapes, *new)
    return fig


def mark_padding(
    fig: go.Figure, padded_shape: tuple[int, int], pads: tuple[tuple[int, int], ...]
) -> go.Figure:
    """Shade the padding band and outline the real input inside it."""
    (top, bottom), (left, right) = pads
    h, w = padded_shape
    shapes = [
        cells_rect(rows, cols, fillcolor=PADDING_FILL, line={"width": 0})
        for rows, cols in padding_bands(padded_shape, pads)
    ]
    if any((top, bottom, left, right)):
        shapes.append(
            cells_rect(
                (top, h - bottom - 1),
                (left, w - right - 1),
                line={"color": "#1f3b73", "width": 2, "dash": "dash"},
            )
        )
    return add_shapes(fig, shapes)


def mark_window(fig: go.Figure, trace: WindowTrace) -> go.Figure:
    """Outline every cell the kernel touches (dilation shows as gaps between them)."""
    style = {"fillcolor": WINDOW_FILL, "line": {"color": WINDOW_LINE, "width": 3}}
    return add_shapes(
        fig, (cells_rect((r, r), (c, c), **style) for r in trace.rows for c in trace.cols)
    )


def mark_cells(
    fig: go.Figure, cells: Iterable[tuple[int, int]], *, color: str = OUTPUT_LINE
) -> go.Figure:
    """Outline individual cells, e.g. the output cell being computed."""
    return add_shapes(
        fig, (cells_rect((r, r), (c, c), line={"color": color, "width": 4}) for r, c in cells)
    )
