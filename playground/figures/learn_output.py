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


def _panel(values: np.ndarray, limit: float, signed: bool, index: int, numeric: bool) -> dict:
    suffix = "" if index == 0 else str(index + 1)
    low = -limit if signed else 0.0
    if numeric:
        return {
            "type": "heatmap",
            "xaxis": f"x{suffix}",
            "yaxis": f"y{suffix}",
            "z": np.nan_to_num(values, nan=0.0),
            "zmin": low,
            "zmax": limit,
            "colorscale": palette.DIVERGING if signed else palette.GREYS,
            "text": cell_labels(values) if np.isfinite(values).all() else None,
            "texttemplate": "%{text}",
            "textfont": {"size": 14},
            "hovertemplate": _("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>",
            "xgap": 1,
            "ygap": 1,
            "showscale": False,
        }
    rgb = palette.to_rgb(np.nan_to_num(values, nan=0.0), low, limit, signed)
    rgb[np.isnan(values)] = BLANK_RGB  # before the first step: blank, not black
    return {
        "type": "image",
        "xaxis": f"x{suffix}",
        "yaxis": f"y{suffix}",
        "source": image_data_uri(rgb),
        "hovertemplate": _("row %{y}, col %{x}") + "<extra></extra>",
    }


def output_figure(y_hat: ArrayLike | None, y: ArrayLike) -> go.Figure:
    """Model output | target | difference; the first and last stay blank before a step."""
    y = np.asarray(y, np.float64)
    known = y_hat is not None
    y_hat = np.asarray(y_hat, np.float64) if known else np.full(y.shape, np.nan)
    diff = y_hat - y
    # one scale for all three, the target's: a wild early output is clipped, not rescaled
    signed = palette.is_signed(y)
    limit = float(np.abs(y).max()) if signed else 1.0
    numeric = max(y.shape) <= NUMERIC_MAX_SIDE
    panels = ((y_hat, signed), (y, signed), (diff, True))
    gap, width = 0.05, (1 - 2 * 0.05) / 3
    data, layout = [], {"annotations": []}
    for i, ((values, panel_signed), title) in enumerate(zip(panels, map(_, TITLES), strict=True)):
        data.append(_panel(values, limit, panel_signed, i, numeric))
        suffix = "" if i == 0 else str(i + 1)
        left = i * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "visible": False,
            "constrain": "domain",
            "range": [-0.5, y.shape[1] - 0.5],
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "scaleanchor": f"x{suffix}",
            "range": [y.shape[0] - 0.5, -0.5],
            "visible": False,
            "constrain": "domain",
        }
        layout["annotations"].append(panel_title(title, x=left + width / 2, size=16))
    h, w = y.shape
    layout.update(
        height=int(min(420, max(180, 300 * h / max(w, 1) + 60))),
        margin={"l": 5, "r": 5, "t": 40, "b": 5},
        plot_bgcolor=palette.GRID_LINES,
        showlegend=False,
    )
    return go.Figure(data=data, layout=layout)
