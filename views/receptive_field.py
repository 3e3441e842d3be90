"""Receptive field: stack conv layers and watch one output cell's field grow."""

from __future__ import annotations

import logging

import streamlit as st

from playground import receptive
from playground.figures import receptive as receptive_figures
from playground.figures.formulas import term_latex
from playground.i18n import N_, _, error_sentence
from playground.receptive import FieldView, StackPlan
from playground.shapes import LayerSpec
from views.common import presenting

log = logging.getLogger(__name__)

MAX_LAYERS = 4
FIGURE_WIDTH_PX = 1000  # the maps' column on a 1500-px-wide projector
PADDINGS = ("valid", "same")
POINT = N_(
    "**Deeper layers see more of the input.** Each output cell depends on a patch of the "
    "layer's input, its *receptive field*; stack another layer and every cell of the new "
    "map reaches back through the old one to a wider patch (D2L 5.1.6)."
)
LEGEND = N_(
    "Green: the chosen output cell (click another one, or type its row and column). "
    "Orange: every cell of the earlier maps it depends on; the brown frame is that patch. "
    "Pale orange: cells inside the patch that a dilated kernel skips."
)
SYMBOLS = N_(
    "r: receptive field side in input cells (r₀ = 1: an input cell sees itself). "
    "k: kernel size, d: dilation, s: stride. j: the jump, how many input cells apart "
    "two neighbouring cells of a map are (j₀ = 1; every stride multiplies it). "
    "The formula ignores the input's borders; padding cells hold zeros, not input."
)


def render() -> None:
    st.title(_("Receptive field"))
    if not presenting():
        st.markdown(_(POINT))
    # settings on the left, maps on the right: maps, headline and formula stay in view
    # while a slider moves, even with four layers open, on a 1500x1000 projector
    controls, view = st.columns([1, 3], gap="medium")
    with controls:
        n, count = _stack_panel()
        cell_box = st.container(border=True)  # filled once the output's size is known
        layers = _layer_panels(count)
    with view:
        try:
            plan = receptive.plan_stack(n, layers)
        except ValueError as exc:
            st.warning(_("This stack has no output. {reason}").format(reason=error_sentence(exc)))
            cell_box.caption(_("No output cell: the stack has no output (see the warning)."))
            return
        with cell_box:
            cell = _cell_panel(plan)
        _draw(plan, receptive.field_of(plan, cell))


def _draw(plan: StackPlan, field: FieldView) -> None:
    _headline(plan, field)
    chart_key = f"rf_pick_{field.cell[0]}_{field.cell[1]}"  # fresh per cell: a repeat click counts
    st.plotly_chart(
        receptive_figures.stack_figure(plan, field, width_px=FIGURE_WIDTH_PX),
        key=chart_key,
        on_select=lambda: _on_pick(chart_key),
        selection_mode="points",
        width="stretch",
        theme=None,  # Streamlit's theme pads the axes: cells would not fill their maps
        config={"displayModeBar": False},
    )
    st.caption(_(LEGEND))
    _formula(plan)


def _stack_panel() -> tuple[int, int]:
    """Input size and number of layers."""
    with st.container(border=True):
        st.markdown(_("**Stack**"))
        n = st.slider(_("Input size (cells per side)"), 4, 32, 12, key="n", bind="query-params")
        count = st.slider(
            _("Number of layers"), 1, MAX_LAYERS, 2, key="layers", bind="query-params"
        )
    return n, count


def _layer_panels(count: int) -> list[LayerSpec]:
    """Each layer's kernel, stride, padding and dilation -> LayerSpecs."""
    layers = []
    for i in range(1, count + 1):
        with st.container(border=True):
            st.markdown(_("**Layer {index}**").format(index=i))
            a, b = st.columns(2)
            kernel = a.slider(_("Kernel"), 1, 7, 3, key=f"k{i}", bind="query-params")
            stride = b.slider(_("Stride"), 1, 4, 1, key=f"s{i}", bind="query-params")
            c, d = st.columns(2)
            padding = c.radio(_("Padding"), PADDINGS, key=f"p{i}", bind="query-params")
            dilation = d.slider(_("Dilation"), 1, 4, 1, key=f"d{i}", bind="query-params")
        layers.append(LayerSpec(kernel, stride, padding, dilation))
    return layers


def _on_pick(chart_key: str) -> None:
    """A click on the output map chooses that cell.

    Callbacks run before the script, outside ``common.guarded``: an error here
    would reach the browser as a traceback, so it is logged and ignored.
    """
    try:
        event = st.session_state.get(chart_key)
        cell = receptive_figures.picked_cell(event.selection.points if event is not None else [])
        if cell is not None:
            st.session_state["row"], st.session_state["col"] = cell
    except Exception:
        log.exception("receptive field: could not read the clicked cell")


def _cell_panel(plan: StackPlan) -> tuple[int, int]:
    """Row and column of the output cell; out-of-range values fall back to the middle."""
    h, w = plan.output_hw
    middle = plan.middle_cell
    st.markdown(_("**Output cell** (or click one)"))
    left, right = st.columns(2)
    row = left.number_input(_("Row"), 0, h - 1, middle[0], key="row", bind="query-params")
    col = right.number_input(_("Column"), 0, w - 1, middle[1], key="col", bind="query-params")
    return row, col


def _headline(plan: StackPlan, field: FieldView) -> None:
    rh, rw = plan.field_size
    r, c = field.cell
    st.subheader(
        _(
            "Output cell (row {row}, column {col}) of layer {layer} "
            "sees a {rh}×{rw} patch of the input"
        ).format(row=r, col=c, layer=len(plan.layers), rh=rh, rw=rw),
        anchor=False,
    )
    eh, ew = field.input_extent
    if field.sees_no_input:
        st.info(_("This cell's kernels touch only padding: it sees no input cell at all."))
    elif field.clipped:
        st.info(
            _(
                "At the border part of that {rh}×{rw} patch falls on padding or off the "
                "input, so this cell uses a {eh}×{ew} patch of real input cells."
            ).format(rh=rh, rw=rw, eh=eh, ew=ew)
        )
    if field.has_holes:
        st.caption(
            _(
                "With dilation the kernels skip cells: {used} of the {eh}×{ew} input cells "
                "are read."
            ).format(used=field.input_cells_used, eh=eh, ew=ew)
        )


def _formula(plan: StackPlan) -> None:
    st.markdown(_("**Layer by layer** (rows; columns are the same for square kernels):"))
    for term in plan.terms:
        st.latex(term_latex(term))
    st.caption(_(SYMBOLS))
