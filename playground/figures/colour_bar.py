"""The colour convention of :mod:`~playground.figures.colour_scales`, for Plotly figures.

The browser view and every Plotly map take their colours from one
``ColourScale``: the same stops, the same range, the same tick labels, the
same legend sentence. Here that scale becomes a heatmap's ``zmin``/``zmax``/
``colorscale``, a compact colour bar, or the RGB pixels of a large map drawn
as a picture (through the same 256-entry lookup table the browser builds, so
a picture and a heatmap of one map agree).

The colour bar lies flat under its grid: in the narrow columns of the
Channels and Pooling pages a bar beside the grid would take a sixth of the
width from the grid; under it, it costs ``BAR_HEIGHT`` pixels of height.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from playground.figures.colour_scales import (
    DIVERGING,
    SEQUENTIAL,
    ColourScale,
    choose_scale,
    to_codes,
)
from playground.i18n import N_, _
from playground.trace import format_number

Stops = tuple[tuple[float, str], ...]

# the extra figure height a flat colour bar with its tick labels takes under the grid
BAR_HEIGHT = 38
BAR_THICKNESS = 8
TICK_FONT = {"size": 11}

# A channel plane in its own colour: 0 black -> the full colour (sequential, 0 at one end).
CHANNEL_TINTS: tuple[Stops, ...] = (
    ((0.0, "#000000"), (1.0, "#ff0000")),
    ((0.0, "#000000"), (1.0, "#00c000")),
    ((0.0, "#000000"), (1.0, "#0050ff")),
)
TINT_LEGENDS = (
    N_("Sequential: 0 is black, {high} is full red."),
    N_("Sequential: 0 is black, {high} is full green."),
    N_("Sequential: 0 is black, {high} is full blue."),
)


def plotly_scale(scale: ColourScale, stops: Stops | None = None) -> list[list]:
    """Plotly's ``colorscale``: the scale's stops (or a tint's) as [[position, colour], ...]."""
    return [[float(t), colour] for t, colour in (stops or scale.stops)]


def colour_bar(scale: ColourScale, *, x: float = 0.5, length: float = 0.7, title: str = "") -> dict:
    """A thin flat bar under the plot, labelled with ``scale.ticks()`` (both ends, 0 if signed).

    ``x`` and ``length`` are fractions of the figure's plot width (several
    panels side by side each put their bar under their own panels).
    """
    values, labels = zip(*scale.ticks(), strict=True)
    bar = {
        "orientation": "h",
        "thickness": BAR_THICKNESS,
        "len": length,
        "lenmode": "fraction",
        "x": x,
        "xanchor": "center",
        "y": 0,
        "yanchor": "top",
        "ypad": 6,
        "outlinewidth": 0,
        "tickmode": "array",
        "tickvals": list(values),
        "ticktext": list(labels),
        "tickfont": TICK_FONT,
        "ticks": "outside",
        "ticklen": 3,
    }
    if title:
        bar["title"] = {"text": title, "side": "right", "font": TICK_FONT}
    return bar


def heatmap_colours(
    scale: ColourScale, *, stops: Stops | None = None, bar: bool = True, **bar_place
) -> dict:
    """The keys a heatmap needs to be drawn on ``scale``: range, colours and its colour bar."""
    colours = {
        "zmin": scale.low,
        "zmax": scale.high,
        "colorscale": plotly_scale(scale, stops),
        "showscale": bar,
    }
    if bar:
        colours["colorbar"] = colour_bar(scale, **bar_place)
    return colours


def bar_only(scale: ColourScale, *, stops: Stops | None = None, **bar_place) -> go.Scatter:
    """A colour bar with nothing drawn: for a map sent as a picture (``go.Image`` has none)."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "color": [scale.low],
            "cmin": scale.low,
            "cmax": scale.high,
            "colorscale": plotly_scale(scale, stops),
            "showscale": True,
            "colorbar": colour_bar(scale, **bar_place),
        },
        hoverinfo="skip",
        showlegend=False,
    )


def lookup_table(stops: Stops) -> np.ndarray:
    """256 RGB colours, linear between the stops: the browser's ``buildLut`` in numpy."""
    positions = np.array([t for t, _colour in stops], np.float64)
    colours = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for _t, c in stops], np.float64)
    t = np.arange(256) / 255.0
    table = np.stack([np.interp(t, positions, colours[:, ch]) for ch in range(3)], axis=1)
    return np.floor(table + 0.5).astype(np.uint8)  # JS Math.round: halves go up


def to_rgb(values: ArrayLike, scale: ColourScale, stops: Stops | None = None) -> np.ndarray:
    """A map's (H, W, 3) uint8 picture on ``scale`` (NaN cells take the low end; mask them after).

    0 on a diverging scale is code 128 of 0..255, as in the browser: white within one step.

    >>> to_rgb([[-1.0, 0.0, 1.0]], choose_scale([[-1, 1]]))[0].tolist()
    [[33, 102, 172], [255, 254, 254], [178, 24, 43]]
    """
    codes = to_codes(np.nan_to_num(np.asarray(values, np.float32), nan=scale.low), scale)
    return lookup_table(stops or scale.stops)[codes]


def shared_scale(*maps: ArrayLike, contrast: str = "full") -> ColourScale:
    """One scale for maps whose colours must compare (a channel's maps and their sum)."""
    finite = [np.asarray(m, np.float32).ravel() for m in maps if np.size(m)]
    return choose_scale(np.concatenate(finite) if finite else [], contrast=contrast)


def _data_range(data: ArrayLike) -> tuple[float, float] | None:
    """The smallest and largest finite value; None when there is none."""
    finite = np.asarray(data, np.float64)
    finite = finite[np.isfinite(finite)]
    return (float(finite.min()), float(finite.max())) if finite.size else None


def with_difference(first: str, difference: ColourScale | None) -> str:
    """A legend for maps on one scale, then the difference's (Learn's kernels and outputs)."""
    if difference is None:
        return first
    return " ".join((first, _("Difference: {legend}").format(legend=difference.legend())))


def diverging_like(scale: ColourScale, data: ArrayLike) -> ColourScale:
    """A diverging scale as wide as ``scale``'s largest end, for a difference of its maps."""
    bound = max(abs(scale.low), abs(scale.high)) or 1.0
    low, high = _data_range(data) or (0.0, 0.0)
    return ColourScale(DIVERGING, -bound, bound, low, high, clipped=False)


def fixed_scale(low: float, high: float, data: ArrayLike) -> ColourScale:
    """A scale with given ends (diverging when ``low`` < 0), for maps compared across a page."""
    found = _data_range(data)
    d_low, d_high = found or (0.0, 0.0)
    kind = DIVERGING if low < 0 else SEQUENTIAL
    clipped = found is not None and (d_low < low or d_high > high)
    return ColourScale(kind, float(low), float(high), d_low, d_high, clipped)


def tint_legend(scale: ColourScale, channel: int) -> str:
    """The legend of a channel plane drawn in its own colour."""
    if scale.kind != SEQUENTIAL or channel >= len(TINT_LEGENDS):
        return scale.legend()
    high = format_number(scale.high)
    grey = _("Sequential: 0 is black, {high} is white.").format(low=format_number(0.0), high=high)
    # the grey legend's first sentence names the colours; the rest (clipping, range) still holds
    rest = scale.legend().removeprefix(grey).strip()
    return " ".join(filter(None, (_(TINT_LEGENDS[channel]).format(high=high), rest)))
