"""Receptive field of a stack of conv layers: the numbers and the Plotly figure.

``plan_stack`` checks a stack and gives every map's shape plus the book's
recurrence with its numbers filled in (r_l = r_(l-1) + (k_l - 1)·d_l·j_(l-1),
j_l = j_(l-1)·s_l); ``field_of`` follows one output cell back to the input;
``stack_figure`` draws every map side by side with that field marked. The
Receptive field page only renders what these return. Never imports streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.figures import cells_rect
from playground.shapes import (
    LayerSpec,
    Pair,
    as_pair,
    cell_bounds,
    receptive_field_cells,
    receptive_field_size,
    stack_shapes,
)

# Cell categories, drawn with one stepped colour scale.
OUTSIDE, HULL, USED, CHOSEN = 0, 1, 2, 3
CATEGORY_COLORS = ("#eceff4", "#fde3c8", "#f28e2b", "#2ca02c")
HULL_LINE = "#b45309"
CHOSEN_LINE = "#14532d"
PICK_TRACE_NAME = "pick"  # the invisible markers a click selects
MAX_CELL_PX, MIN_CELL_PX = 32, 6
MIN_MAP_PX = 180  # room for a map's title: "Layer 4 output", "each cell sees 17×17"
MAP_SPACING = 0.03  # gap between maps, as a fraction of the figure's width


@dataclass(frozen=True)
class LayerTerm:
    """One step of the recurrence along one axis, with its numbers."""

    index: int  # l, from 1
    k: int
    s: int
    d: int
    r_prev: int
    j_prev: int
    r: int
    j: int

    @property
    def latex(self) -> str:
        n, p = self.index, self.index - 1
        return (
            f"r_{n} = r_{p} + (k_{n}-1)\\cdot d_{n}\\cdot j_{p} = "
            f"{self.r_prev} + ({self.k}-1)\\cdot {self.d}\\cdot {self.j_prev} = {self.r}"
            f",\\qquad j_{n} = j_{p}\\cdot s_{n} = {self.j_prev}\\cdot {self.s} = {self.j}"
        )

    @property
    def text(self) -> str:
        n, p = self.index, self.index - 1
        return (
            f"Layer {n}: r{n} = r{p} + (k{n} - 1)·d{n}·j{p} = "
            f"{self.r_prev} + ({self.k} - 1)·{self.d}·{self.j_prev} = {self.r}; "
            f"j{n} = j{p}·s{n} = {self.j_prev}·{self.s} = {self.j}"
        )


def rf_terms(layers: Sequence[LayerSpec], *, axis: int = 0) -> tuple[LayerTerm, ...]:
    """The recurrence layer by layer along one axis (0: rows, 1: columns), from r_0 = j_0 = 1.

    >>> [t.r for t in rf_terms([LayerSpec(3), LayerSpec(3, strides=2), LayerSpec(3)])]
    [3, 5, 9]
    """
    terms, r, j = [], 1, 1
    for index, layer in enumerate(layers, start=1):
        k, s, d = layer.kernel[axis], layer.strides[axis], layer.dilation_rate[axis]
        new_r, new_j = r + (k - 1) * d * j, j * s
        terms.append(LayerTerm(index, k, s, d, r, j, new_r, new_j))
        r, j = new_r, new_j
    return tuple(terms)


@dataclass(frozen=True)
class StackPlan:
    """A stack that has an output: every map's shape and the recurrence per layer."""

    input_hw: Pair
    layers: tuple[LayerSpec, ...]
    shapes: tuple[Pair, ...]  # input first, then each layer's output
    terms: tuple[LayerTerm, ...]  # along rows; columns match for square layers

    @property
    def output_hw(self) -> Pair:
        return self.shapes[-1]

    @property
    def middle_cell(self) -> Pair:
        """The output cell a page starts on: the middle, away from the padding."""
        return tuple(size // 2 for size in self.output_hw)

    @property
    def field_size(self) -> Pair:
        """The formula's receptive field (ignores the input's borders)."""
        return receptive_field_size(self.layers)

    def map_title(self, index: int) -> str:
        h, w = self.shapes[index]
        return f"Input {h}×{w}" if index == 0 else f"Layer {index} output {h}×{w}"

    def map_label(self, index: int) -> tuple[str, str, str]:
        """Name, size and what one cell sees of the input: short lines over a small map."""
        h, w = self.shapes[index]
        if index == 0:
            return "Input", f"{h}×{w}", "each cell: itself"
        r = self.terms[index - 1].r
        return f"Layer {index} output", f"{h}×{w}", f"each cell sees {r}×{r}"


def plan_stack(input_size, layers: Sequence[LayerSpec]) -> StackPlan:
    """Check a stack and compute its shapes and terms.

    Raises ValueError naming the first layer with no output, e.g.
    "Layer 3: Kernel (3, 3) is larger than the padded input (2, 2) ...".

    >>> plan_stack(12, [LayerSpec(3), LayerSpec(3)]).shapes
    ((12, 12), (10, 10), (8, 8))
    """
    if not layers:
        raise ValueError("layers must hold at least one layer; got none.")
    layers = tuple(layers)
    shapes = tuple(stack_shapes(as_pair(input_size, "input_size"), layers))
    return StackPlan(shapes[0], layers, shapes, rf_terms(layers))


@dataclass(frozen=True)
class FieldView:
    """One output cell followed back through the stack, map by map (input first)."""

    cell: Pair
    formula_size: Pair  # the recurrence's r, ignoring borders
    ranges: tuple[tuple[Pair, Pair], ...]  # inclusive bounds of the cells used; (0, -1) if none
    masks: tuple[np.ndarray, ...]  # bool, True where a map's cell feeds the chosen output cell

    @property
    def input_range(self) -> tuple[Pair, Pair]:
        return self.ranges[0]

    @property
    def input_extent(self) -> Pair:
        """Rows × columns the field spans inside the real input (padding excluded)."""
        return tuple(max(stop - start + 1, 0) for start, stop in self.input_range)

    @property
    def input_cells_used(self) -> int:
        return int(self.masks[0].sum())

    @property
    def sees_no_input(self) -> bool:
        """Every tap of every kernel on the way back lands in padding."""
        return self.input_cells_used == 0

    @property
    def clipped(self) -> bool:
        """Near a border part of the formula's patch is padding or off the input."""
        return not self.sees_no_input and self.input_extent != self.formula_size

    @property
    def has_holes(self) -> bool:
        """Dilation skips cells inside the patch's span."""
        eh, ew = self.input_extent
        return 0 < self.input_cells_used < eh * ew


def field_of(plan: StackPlan, cell: Sequence[int]) -> FieldView:
    """The cells of every map that feed one output cell (a cell outside is clamped in).

    Rows and columns are followed separately, as sets rather than intervals:
    with dilation the taps skip cells, and those holes are part of the lesson.
    """
    cell = tuple(
        min(max(int(c), 0), size - 1) for c, size in zip(cell, plan.output_hw, strict=True)
    )
    used = receptive_field_cells(plan.input_hw, plan.layers, cell)
    masks = []
    for (rows, cols), (h, w) in zip(used, plan.shapes, strict=True):
        mask = np.zeros((h, w), dtype=bool)
        if rows and cols:
            mask[np.ix_(sorted(rows), sorted(cols))] = True
        masks.append(mask)
    ranges = tuple(cell_bounds(axes) for axes in used)
    return FieldView(cell, plan.field_size, ranges, tuple(masks))


def _categories(mask: np.ndarray, bounds: tuple[Pair, Pair]) -> np.ndarray:
    grid = np.full(mask.shape, OUTSIDE, dtype=np.int8)
    (r0, r1), (c0, c1) = bounds
    grid[r0 : r1 + 1, c0 : c1 + 1] = HULL  # empty slices when the range is (0, -1)
    grid[mask] = USED
    return grid


def _stepped_scale() -> list[list]:
    n = len(CATEGORY_COLORS)
    scale = []
    for i, color in enumerate(CATEGORY_COLORS):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def map_layout(plan: StackPlan, *, width_px: int = 1400) -> tuple[float, list[float]]:
    """Cell side in pixels and each map's column width in cells, for about ``width_px``.

    A map narrower than its title gets a wider column (it is centred in it),
    so short titles of deep, small maps never run into each other.
    """
    widths = [w for _, w in plan.shapes]
    usable = width_px * (1 - MAP_SPACING * (len(widths) - 1))
    cell = MAX_CELL_PX
    for _ in range(6):  # wider slots shrink the cells, which widens the slots: settles fast
        slots = [max(w, MIN_MAP_PX / cell) for w in widths]
        cell = max(MIN_CELL_PX, min(MAX_CELL_PX, usable / sum(slots)))
    return cell, slots


def stack_figure(plan: StackPlan, field: FieldView, *, width_px: int = 1400) -> go.Figure:
    """Every map side by side at one cell size, the chosen cell's field marked on each.

    Orange: cells that feed the chosen output cell (green); pale orange:
    cells inside the field's span that a dilated kernel skips. The last map
    carries invisible markers at the cell centres (trace ``PICK_TRACE_NAME``)
    so that a click selects a cell: heatmaps give no point selections.
    """
    side, slots = map_layout(plan, width_px=width_px)
    fig = make_subplots(
        rows=1,
        cols=len(plan.shapes),
        column_widths=slots,
        horizontal_spacing=MAP_SPACING,
        subplot_titles=[
            "<b>{}</b><br>{}<br>{}".format(*plan.map_label(i)) for i in range(len(plan.shapes))
        ],
    )
    last = len(plan.shapes) - 1
    tallest = max(h for h, _ in plan.shapes)
    for index, ((h, w), mask, bounds) in enumerate(
        zip(plan.shapes, field.masks, field.ranges, strict=True)
    ):
        grid = _categories(mask, bounds)
        if index == last:
            grid[field.cell] = CHOSEN
        fig.add_trace(
            go.Heatmap(
                z=grid,
                zmin=0,
                zmax=len(CATEGORY_COLORS),
                colorscale=_stepped_scale(),
                showscale=False,
                xgap=1,
                ygap=1,
                hovertemplate=f"{plan.map_title(index)}<br>row %{{y}}, col %{{x}}<extra></extra>",
            ),
            row=1,
            col=index + 1,
        )
        if index < last and bounds[0][1] >= bounds[0][0]:
            fig.add_shape(
                cells_rect(*bounds, line={"color": HULL_LINE, "width": 3}),
                row=1,
                col=index + 1,
            )
        fig.update_xaxes(range=[-0.5, w - 0.5], row=1, col=index + 1)
        # y domains in proportion to the map heights, top-aligned under the titles: with x
        # slots at least as wide as the maps, every map then gets the same cell size
        fig.update_yaxes(
            range=[h - 0.5, -0.5],
            domain=[1 - h / tallest, 1],
            scaleanchor=f"x{index + 1}",
            constraintoward="top",
            row=1,
            col=index + 1,
        )
    fig.add_shape(
        cells_rect(*[(c, c) for c in field.cell], line={"color": CHOSEN_LINE, "width": 4}),
        row=1,
        col=last + 1,
    )
    _add_pick_markers(fig, plan, last, side)
    fig.update_xaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(visible=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_layout(
        height=int(max(220, side * tallest + 110)),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        plot_bgcolor="#c9ced8",  # shows through the 1-px gaps: grid lines between cells
        showlegend=False,
        clickmode="event+select",
        dragmode=False,
    )
    fig.update_annotations(font={"size": 17})
    return fig


def _add_pick_markers(fig: go.Figure, plan: StackPlan, last: int, side: float) -> None:
    h, w = plan.output_hw
    rows, cols = (a.tolist() for a in np.divmod(np.arange(h * w), w))
    fig.add_trace(
        go.Scatter(
            x=cols,
            y=rows,
            mode="markers",
            name=PICK_TRACE_NAME,
            # plain lists: numpy arrays go to the browser base64-encoded, and a clicked
            # point's customdata then comes back as something other than [row, col]
            customdata=[[r, c] for r, c in zip(rows, cols, strict=True)],
            marker={
                "size": side * 0.9,
                "symbol": "square",
                "color": "rgba(0, 0, 0, 0)",
            },
            hovertemplate="click to choose row %{y}, col %{x}<extra></extra>",
        ),
        row=1,
        col=last + 1,
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
