"""The Receptive field page's figure: every map of a stack side by side, one cell's field marked.

The numbers (shapes, the recurrence, the cells each map feeds) come from
:mod:`playground.receptive`; this module names the maps, lays them out at
one cell size, draws them in one ``go.Figure(data, layout)`` call and reads
a click on the last map back as a cell.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures import palette
from playground.figures.grid import cells_rect
from playground.i18n import _
from playground.receptive import FieldView, StackPlan
from playground.validation import Pair

__all__ = [
    "CHOSEN",
    "HULL",
    "OUTSIDE",
    "PICK_MARKERS_NAME",
    "USED",
    "map_label",
    "map_layout",
    "map_title",
    "picked_cell",
    "stack_figure",
]

# Cell categories, drawn with one stepped colour scale (palette.FIELD_COLORS).
OUTSIDE, HULL, USED, CHOSEN = 0, 1, 2, 3
PICK_MARKERS_NAME = "pick"  # the invisible markers a click selects
MAX_CELL_PX, MIN_CELL_PX = 32, 6
MIN_MAP_PX = 180  # room for a map's title: "Layer 4 output", "each cell sees 17×17"
MAP_SPACING = 0.03  # gap between maps, as a fraction of the figure's width
_AXIS = {"visible": False, "showgrid": False, "zeroline": False, "constrain": "domain"}


def map_title(plan: StackPlan, index: int) -> str:
    """'Input 12×12' or 'Layer 2 output 8×8'."""
    h, w = plan.shapes[index]
    if index == 0:
        return _("Input {h}×{w}").format(h=h, w=w)
    return _("Layer {index} output {h}×{w}").format(index=index, h=h, w=w)


def map_label(plan: StackPlan, index: int) -> tuple[str, str, str]:
    """Name, size and what one cell sees of the input: short lines over a small map."""
    h, w = plan.shapes[index]
    if index == 0:
        return _("Input"), f"{h}×{w}", _("each cell: itself")
    r = plan.terms[index - 1].r
    return (
        _("Layer {index} output").format(index=index),
        f"{h}×{w}",
        _("each cell sees {r}×{r}").format(r=r),
    )


def _categories(mask: np.ndarray, bounds: tuple[Pair, Pair]) -> np.ndarray:
    grid = np.full(mask.shape, OUTSIDE, dtype=np.int8)
    (r0, r1), (c0, c1) = bounds
    grid[r0 : r1 + 1, c0 : c1 + 1] = HULL  # empty slices when the range is (0, -1)
    grid[mask] = USED
    return grid


def map_layout(plan: StackPlan, *, width_px: int = 1400) -> tuple[float, list[float]]:
    """Cell side in pixels and each map's column width in cells, for about ``width_px``.

    A map narrower than its title gets a wider column (it is centred in it),
    so short titles of deep, small maps never run into each other.
    """
    widths = [w for _, w in plan.shapes]
    usable = width_px * (1 - MAP_SPACING * (len(widths) - 1))
    cell = MAX_CELL_PX
    for _round in range(6):  # wider slots shrink the cells, which widens the slots: settles fast
        slots = [max(w, MIN_MAP_PX / cell) for w in widths]
        cell = max(MIN_CELL_PX, min(MAX_CELL_PX, usable / sum(slots)))
    return cell, slots


def _x_domains(slots: list[float]) -> list[tuple[float, float]]:
    """Side-by-side x domains in proportion to the slots, MAP_SPACING apart."""
    scale = (1 - MAP_SPACING * (len(slots) - 1)) / sum(slots)
    domains, left = [], 0.0
    for slot in slots:
        domains.append((left, min(1.0, left + slot * scale)))  # float sums can pass 1
        left += slot * scale + MAP_SPACING
    return domains


def stack_figure(plan: StackPlan, field: FieldView, *, width_px: int = 1400) -> go.Figure:
    """Every map side by side at one cell size, the chosen cell's field marked on each.

    Orange: cells that feed the chosen output cell (green); pale orange:
    cells inside the field's span that a dilated kernel skips. The last map
    carries invisible markers at the cell centres (named ``PICK_MARKERS_NAME``)
    so that a click selects a cell: heatmaps give no point selections.
    """
    side, slots = map_layout(plan, width_px=width_px)
    last = len(plan.shapes) - 1
    tallest = max(h for h, _ in plan.shapes)
    data, shapes, titles = [], [], []
    layout: dict = {}
    for index, ((h, w), mask, bounds, (x0, x1)) in enumerate(
        zip(plan.shapes, field.masks, field.ranges, _x_domains(slots), strict=True)
    ):
        suffix = "" if index == 0 else str(index + 1)
        grid = _categories(mask, bounds)
        if index == last:
            grid[field.cell] = CHOSEN
        data.append(
            go.Heatmap(
                z=grid,
                zmin=0,
                zmax=len(palette.FIELD_COLORS),
                colorscale=palette.stepped_scale(palette.FIELD_COLORS),
                showscale=False,
                xgap=1,
                ygap=1,
                hovertemplate=map_title(plan, index)
                + "<br>"
                + _("row %{y}, col %{x}")
                + "<extra></extra>",
                xaxis=f"x{suffix}",
                yaxis=f"y{suffix}",
            )
        )
        axes = {"xref": f"x{suffix}", "yref": f"y{suffix}"}
        if index < last and bounds[0][1] >= bounds[0][0]:
            shapes.append(
                cells_rect(*bounds, line={"color": palette.HULL_LINE, "width": 3}, **axes)
            )
        if index == last:
            chosen = [(c, c) for c in field.cell]
            line = {"color": palette.CHOSEN_LINE, "width": 4}
            shapes.append(cells_rect(*chosen, line=line, **axes))
        layout[f"xaxis{suffix}"] = {
            **_AXIS,
            "domain": [x0, x1],
            "anchor": f"y{suffix}",
            "range": [-0.5, w - 0.5],
        }
        # y domains in proportion to the map heights, top-aligned under the titles: with x
        # slots at least as wide as the maps, every map then gets the same cell size
        layout[f"yaxis{suffix}"] = {
            **_AXIS,
            "domain": [1 - h / tallest, 1],
            "anchor": f"x{suffix}",
            "range": [h - 0.5, -0.5],
            "scaleanchor": f"x{suffix}",
            "constraintoward": "top",
        }
        titles.append(
            {
                "text": "<b>{}</b><br>{}<br>{}".format(*map_label(plan, index)),
                "x": (x0 + x1) / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "center",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 17},
            }
        )
    data.append(_pick_markers(plan, last, side))
    layout.update(
        height=int(max(220, side * tallest + 110)),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor=palette.GRID_LINES,
        showlegend=False,
        clickmode="event+select",
        dragmode=False,
        shapes=shapes,
        annotations=titles,
    )
    return go.Figure(data, layout)


def _pick_markers(plan: StackPlan, last: int, side: float) -> go.Scatter:
    h, w = plan.output_hw
    rows, cols = (a.tolist() for a in np.divmod(np.arange(h * w), w))
    suffix = "" if last == 0 else str(last + 1)
    return go.Scatter(
        x=cols,
        y=rows,
        mode="markers",
        name=PICK_MARKERS_NAME,
        # plain lists: numpy arrays go to the browser base64-encoded, and a clicked
        # point's customdata then comes back as something other than [row, col]
        customdata=[[r, c] for r, c in zip(rows, cols, strict=True)],
        marker={"size": side * 0.9, "symbol": "square", "color": "rgba(0, 0, 0, 0)"},
        hovertemplate=_("click to choose row %{y}, col %{x}") + "<extra></extra>",
        xaxis=f"x{suffix}",
        yaxis=f"y{suffix}",
    )


def picked_cell(points: Sequence[dict]) -> Pair | None:
    """The (row, col) of the first clicked pick marker in a Plotly selection, if any.

    Anything malformed gives None: a selection comes from the browser.
    """
    for point in points:
        try:
            row, col = point.get("customdata") or (point["y"], point["x"])
            return round(float(row)), round(float(col))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return None
