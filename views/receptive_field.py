"""Receptive field: stack conv layers and watch one output cell's field grow."""

from __future__ import annotations

import logging

import streamlit as st

from playground import rf_view
from playground.shapes import LayerSpec
from views.common import presenting

log = logging.getLogger(__name__)

MAX_LAYERS = 4
PADDINGS = ("valid", "same")
POINT = (
    "**Deeper layers see more of the input.** Each output cell depends on a patch of the "
    "layer's input, its *receptive field*; stack another layer and every cell of the new "
    "map reaches back through the old one to a wider patch (D2L 5.1.6)."
)
LEGEND = (
    "Green: the chosen output cell (click another one, or type its row and column). "
    "Orange: every cell of the earlier maps it depends on; the brown frame is that patch. "
    "Pale orange: cells inside the patch that a dilated kernel skips."
)
SYMBOLS = (
    "r: receptive field side in input cells (r₀ = 1: an input cell sees itself). "
    "k: kernel size, d: dilation, s: stride. j: the jump, how many input cells apart "
    "two neighbouring cells of a map are (j₀ = 1; every stride multiplies it). "
    "The formula ignores the input's borders; padding cells hold zeros, not input."
)


def render() -> None:
    st.title("Receptive field")
    if not presenting():
        st.markdown(POINT)
    n, layers = _stack_panel()
    try:
        plan = rf_view.plan_stack(n, layers)
    except ValueError as exc:
        st.warning(f"This stack has no output. {exc}")
        return
    head, row_box, col_box = st.columns([6, 1, 1], vertical_alignment="bottom")
    cell = _cell_panel(plan, row_box, col_box)
    field = rf_view.field_of(plan, cell)
    _headline(plan, field, head)
    chart_key = f"rf_pick_{field.cell[0]}_{field.cell[1]}"  # fresh per cell: a repeat click counts
    st.plotly_chart(
        rf_view.stack_figure(plan, field),
        key=chart_key,
        on_select=lambda: _on_pick(chart_key),
        selection_mode="points",
        width="stretch",
        theme=None,
        config={"displayModeBar": False},
    )
    st.caption(LEGEND)
    _formula(plan)


def _stack_panel() -> tuple[int, list[LayerSpec]]:
    """Input size, number of layers and each layer's settings -> LayerSpecs.

    One row of boxes (the stack, then one per layer) keeps the maps above the
    fold on a projector; a layer's box keeps its place when another is added.
    """
    columns = st.columns(MAX_LAYERS + 1)
    stack = columns[0].container(border=True)
    stack.markdown("**Stack**")
    n = stack.slider("Input size (cells per side)", 4, 32, 12, key="n", bind="query-params")
    count = stack.slider("Number of layers", 1, MAX_LAYERS, 2, key="layers", bind="query-params")
    layers = []
    for i, column in enumerate(columns[1 : count + 1], start=1):
        box = column.container(border=True)
        box.markdown(f"**Layer {i}**")
        a, b = box.columns(2)
        kernel = a.slider("Kernel", 1, 7, 3, key=f"k{i}", bind="query-params")
        stride = b.slider("Stride", 1, 4, 1, key=f"s{i}", bind="query-params")
        c, d = box.columns(2)
        padding = c.radio("Padding", PADDINGS, key=f"p{i}", bind="query-params")
        dilation = d.slider("Dilation", 1, 4, 1, key=f"d{i}", bind="query-params")
        layers.append(LayerSpec(kernel, stride, padding, dilation))
    return n, layers


def _on_pick(chart_key: str) -> None:
    """A click on the output map chooses that cell.

    Callbacks run before the script, outside ``common.guarded``: an error here
    would reach the browser as a traceback, so it is logged and ignored.
    """
    try:
        event = st.session_state.get(chart_key)
        cell = rf_view.picked_cell(event.selection.points if event is not None else [])
        if cell is not None:
            st.session_state["row"], st.session_state["col"] = cell
    except Exception:
        log.exception("receptive field: could not read the clicked cell")


def _cell_panel(plan: rf_view.StackPlan, row_box, col_box) -> tuple[int, int]:
    """Row and column of the output cell; out-of-range values fall back to the middle."""
    h, w = plan.output_hw
    middle = plan.middle_cell
    row = row_box.number_input("Output row", 0, h - 1, middle[0], key="row", bind="query-params")
    col = col_box.number_input("Output column", 0, w - 1, middle[1], key="col", bind="query-params")
    return row, col


def _headline(plan: rf_view.StackPlan, field: rf_view.FieldView, head) -> None:
    rh, rw = plan.field_size
    r, c = field.cell
    head.subheader(
        f"Output cell (row {r}, column {c}) of layer {len(plan.layers)} "
        f"sees a {rh}×{rw} patch of the input",
        anchor=False,
    )
    eh, ew = field.input_extent
    if field.sees_no_input:
        st.info("This cell's kernels touch only padding: it sees no input cell at all.")
    elif field.clipped:
        st.info(
            f"At the border part of that {rh}×{rw} patch falls on padding or off the input, "
            f"so this cell uses a {eh}×{ew} patch of real input cells."
        )
    if field.has_holes:
        st.caption(
            f"With dilation the kernels skip cells: {field.input_cells_used} of the "
            f"{eh}×{ew} input cells are read."
        )


def _formula(plan: rf_view.StackPlan) -> None:
    st.markdown("**Layer by layer** (rows; columns are the same for square kernels):")
    for term in plan.terms:
        st.latex(term.latex)
    st.caption(SYMBOLS)
