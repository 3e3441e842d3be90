"""The Learn page's live output: the model's output beside the target y and their difference.

TensorFlow Playground shows what the network computes while it learns; here
that is y-hat = x ⋆ K (+ b) with the current weights, next to the y it must
match. All three panels share one colour scale, so a difference that looks
white is small at the target's own scale. Small maps carry their numbers;
larger ones are pictures (a 64x64 numeric heatmap would be ~100 kB of JSON on
every poll of a live run).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from playground.figures import palette
from playground.figures.colour_bar import (
    BAR_HEIGHT,
    bar_only,
    diverging_like,
    heatmap_colours,
    to_rgb,
    with_difference,
)
from playground.figures.colour_scales import FULL, ColourScale, choose_scale
from playground.figures.grid import (
    NUMERIC_MAX_SIDE,
    cell_labels,
    image_data_uri,
    panel_title,
)
from playground.i18n import N_, _
from playground.trace import format_number

TITLES = (N_("Model output ŷ"), N_("Target y"), N_("Difference ŷ − y"))
WAITING = N_("The model's output appears here after the first step.")
BLANK_RGB = (238, 240, 244)  # palette.FUTURE_FILL: cells with nothing in them yet


def output_sentence(y_hat: ArrayLike | None, y: ArrayLike) -> str:
    """How far the output still is from y, in one sentence."""
    y = np.asarray(y, np.float64)
    if y_hat is None:
        return _(WAITING)
    diff = np.abs(np.asarray(y_hat, np.float64) - y)
    return _("Largest |ŷ − y| over the {n} output cells: {largest}; average {average}.").format(
        n=y.size,
        largest=format_number(float(diff.max())),
        average=format_number(float(diff.mean())),
    )


def output_scales(y_hat: ArrayLike | None, y: ArrayLike) -> tuple[ColourScale, ColourScale]:
    """The target's scale (ŷ shares it: a wild early output is clipped, not rescaled) and the
    difference's, diverging as wide as the target's."""
    scale = choose_scale(y, contrast=FULL)
    diff = np.asarray(y_hat, np.float64) - np.asarray(y, np.float64) if y_hat is not None else []
    return scale, diverging_like(scale, diff)


def output_legend(y_hat: ArrayLike | None, y: ArrayLike) -> str:
    """The colour legend under the three panels: ŷ and y on one scale, ŷ − y on its own."""
    scale, diff = output_scales(y_hat, y)
    first = _("ŷ and y: {legend}").format(legend=scale.legend())
    return with_difference(first, None if y_hat is None else diff)


def _panel(values: np.ndarray, scale: ColourScale, index: int, numeric: bool, bar: dict | None):
    """One panel's traces: a heatmap (numbers in the cells) or a picture, and its colour bar."""
    suffix = "" if index == 0 else str(index + 1)
    axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
    if numeric:
        colours = heatmap_colours(scale, bar=bar is not None, **(bar or {}))
        return [
            {
                "type": "heatmap",
                **axes,
                "z": np.nan_to_num(values, nan=0.0),
                "text": cell_labels(values) if np.isfinite(values).all() else None,
                "texttemplate": "%{text}",
                "textfont": {"size": 14},
                "hovertemplate": _("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>",
                "xgap": 1,
                "ygap": 1,
                **colours,
            }
        ]
    rgb = to_rgb(values, scale)
    rgb[np.isnan(values)] = BLANK_RGB  # before the first step: blank, not black
    picture = {
        "type": "image",
        **axes,
        "source": image_data_uri(rgb),
        "hovertemplate": _("row %{y}, col %{x}") + "<extra></extra>",
    }
    return [picture] if bar is None else [picture, bar_only(scale, **bar)]


def three_panels(shape: tuple[int, int], titles, *, title_size: int, **axis) -> tuple[dict, list]:
    """Three square panels in a row, the third set apart: the first two share a colour bar
    under them, the third has its own. Returns the layout and each panel's bar placement."""
    gap, apart = 0.03, 0.08
    width = (1 - gap - apart) / 3
    lefts = (0.0, width + gap, 2 * width + gap + apart)
    layout = {"annotations": []}
    for i, (left, title) in enumerate(zip(lefts, titles, strict=True)):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "visible": False,
            "constrain": "domain",
            **({"range": [-0.5, shape[1] - 0.5]} if axis.get("ranges") else {}),
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "scaleanchor": f"x{suffix}",
            "visible": False,
            "constrain": "domain",
            **(
                {"range": [shape[0] - 0.5, -0.5]}
                if axis.get("ranges")
                else {"autorange": "reversed"}
            ),
        }
        layout["annotations"].append(panel_title(title, x=left + width / 2, size=title_size))
    bars = [
        None,
        {"x": (2 * width + gap) / 2, "length": 2 * width + gap},
        {"x": lefts[2] + width / 2, "length": width},
    ]
    return layout, bars


def output_figure(y_hat: ArrayLike | None, y: ArrayLike) -> go.Figure:
    """Model output | target | difference; the first and last stay blank before a step."""
    y = np.asarray(y, np.float64)
    known = y_hat is not None
    scale, diff_scale = output_scales(y_hat, y)
    y_hat = np.asarray(y_hat, np.float64) if known else np.full(y.shape, np.nan)
    numeric = max(y.shape) <= NUMERIC_MAX_SIDE
    layout, bars = three_panels(y.shape, map(_, TITLES), title_size=16, ranges=True)
    panels = ((y_hat, scale), (y, scale), (y_hat - y, diff_scale))
    data = []
    for i, ((values, panel_scale), bar) in enumerate(zip(panels, bars, strict=True)):
        data += _panel(values, panel_scale, i, numeric, bar)
    h, w = y.shape
    layout.update(
        height=int(min(420, max(180, 300 * h / max(w, 1) + 60))) + BAR_HEIGHT,
        margin={"l": 5, "r": 5, "t": 40, "b": 5},
        plot_bgcolor=palette.GRID_LINES,
        showlegend=False,
    )
    return go.Figure(data=data, layout=layout)
