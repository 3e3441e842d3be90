"""The Pooling page's figures and sentences: windows, their max or average, the shift test.

The padded input shows every window's winning cell (max pooling) with a
small mark and the chosen window outlined, its max filled; the output's
hover text is each window's arithmetic, ``max(0, 1, 3, 4) = 4`` or
``(0 + 1 + 3 + 4) / 4 = 2``. Builders return ``go.Figure`` and never render.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures import palette
from playground.figures.colour_bar import BAR_HEIGHT, fixed_scale, heatmap_colours
from playground.figures.colour_scales import FULL, ColourScale, choose_scale
from playground.figures.formulas import axis_text
from playground.figures.grid import (
    NUMERIC_MAX_SIDE,
    cell_labels,
    cells_scatter,
    grid_figure,
    grid_layout,
    rects_scatter,
)
from playground.i18n import N_, _
from playground.pool_trace import ConvPool, PoolTrace, ShiftDemo
from playground.settings import AxisFormula
from playground.shapes import Geometry
from playground.trace import format_number

# the keys travel in links; the titles are marked, shown as _(title)
MODE_TITLES = {"max": N_("Max pooling"), "avg": N_("Average pooling")}
PADDING_TITLES = {
    "valid": N_("valid (none)"),
    "same": N_("same (TensorFlow's)"),
    "1": N_("1 on every side"),
}
WINNER_FILL = "rgba(255, 127, 14, 0.55)"
WINNER_MARK = "rgba(255, 127, 14, 0.9)"
CHANGED_LINE = "#d62728"


def window_equation(trace: PoolTrace) -> str:
    """``max(0, 1, 3, 4) = 4`` or ``(0 + 1 + 3 + 4) / 4 = 2``; padding is left out."""
    numbers = [format_number(v) for v in trace.counted]
    value = format_number(trace.value)
    if trace.mode == "max":
        return f"max({', '.join(numbers)}) = {value}"
    return f"({' + '.join(numbers)}) / {len(numbers)} = {value}"


def window_caption(trace: PoolTrace) -> str:
    i, j = trace.out_index
    padding = int(np.isnan(trace.values).sum())
    if padding:
        return _(
            "Output row {row}, column {col}: the {h}×{w} window "
            "({padding} padding cells do not count)"
        ).format(row=i, col=j, h=trace.size[0], w=trace.size[1], padding=padding)
    return _("Output row {row}, column {col}: the {h}×{w} window").format(
        row=i, col=j, h=trace.size[0], w=trace.size[1]
    )


def _heatmap(
    values: np.ndarray, scale: ColourScale, *, hover: list[list[str]] | None = None
) -> go.Heatmap:
    text = [
        ["" if np.isnan(v) else label for v, label in zip(row, labels, strict=True)]
        for row, labels in zip(values, cell_labels(np.nan_to_num(values)), strict=True)
    ]
    numeric = max(values.shape) <= NUMERIC_MAX_SIDE
    trace = {
        "z": values,
        "xgap": 1,
        "ygap": 1,
        "hoverongaps": False,
        **heatmap_colours(scale),
    }
    if numeric:
        trace.update(text=text, texttemplate="%{text}", textfont={"size": 15})
    if hover is not None:
        trace.update(customdata=hover, hovertemplate="%{customdata}<extra></extra>")
    else:
        trace.update(hovertemplate=_("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>")
    return go.Heatmap(**trace)


def input_scale(x: np.ndarray) -> ColourScale:
    """The input's colour scale; the pooled map uses it too (a max or a mean stays in range)."""
    return choose_scale(x, contrast=FULL)


def padded_input_figure(
    x: np.ndarray,
    pads,
    traces: Sequence[Sequence[PoolTrace]],
    chosen: tuple[int, int],
    *,
    title: str,
    scale: ColourScale | None = None,
) -> go.Figure:
    """The input with its padding (empty cells), every max marked, the chosen window outlined."""
    (top, bottom), (left, right) = pads
    padded = np.pad(np.asarray(x, np.float64), pads, constant_values=np.nan)
    data = [_heatmap(padded, input_scale(x) if scale is None else scale)]
    winners = [t.winner for row in traces for t in row if t.winner is not None]
    if winners and len(winners) <= 400:
        data.append(cells_scatter(winners, color=WINNER_MARK, width=2))
    trace = traces[chosen[0]][chosen[1]]
    (r, c), (h, w) = trace.top_left, trace.size
    if trace.winner is not None:
        data.append(cells_scatter([trace.winner], fill=WINNER_FILL, color=WINNER_MARK, width=1))
    data.append(
        rects_scatter([((r, r + h - 1), (c, c + w - 1))], color=palette.WINDOW_LINE, width=4)
    )
    shapes = []
    if any(any(side) for side in pads):
        edge = {"color": palette.INPUT_EDGE, "width": 2, "dash": "dash"}
        ph, pw = padded.shape
        shapes.append(
            {
                "type": "rect",
                "x0": left - 0.5,
                "x1": pw - right - 0.5,
                "y0": top - 0.5,
                "y1": ph - bottom - 0.5,
                "line": edge,
            }
        )
    height = min(520, max(200, 380 * padded.shape[0] / max(padded.shape[1], 1) + 60)) + BAR_HEIGHT
    return go.Figure(
        data, grid_layout(padded.shape, title, height=height, shapes=shapes, showlegend=False)
    )


def pooled_figure(
    output: np.ndarray,
    traces: Sequence[Sequence[PoolTrace]],
    chosen: tuple[int, int],
    *,
    title: str,
    scale: ColourScale | None = None,
) -> go.Figure:
    """The pooled map; hovering a cell writes its window's arithmetic.

    ``scale``: the input's (:func:`input_scale`), so a cell has its window's colour.
    """
    output = np.asarray(output, np.float64)
    hover = [[window_equation(t) for t in row] for row in traces]
    data = [_heatmap(output, input_scale(output) if scale is None else scale, hover=hover)]
    data.append(cells_scatter([chosen], color=palette.OUTPUT_LINE, width=4))
    height = min(420, max(180, 300 * output.shape[0] / max(output.shape[1], 1) + 60)) + BAR_HEIGHT
    layout = grid_layout(
        output.shape, title, height=height, showlegend=False, hoverlabel={"font": {"size": 16}}
    )
    return go.Figure(data, layout)


def edge_scale(*maps: np.ndarray) -> ColourScale:
    """The shift test's one scale: its four edge maps compared on -1..1."""
    values = np.concatenate([np.ravel(m) for m in maps]) if maps else np.zeros(0)
    return fixed_scale(-1.0, 1.0, values)


def shape_lines(geometry: Geometry) -> list[str]:
    """The output size per axis with the book's formula and this setting's numbers."""
    return [
        axis_text(
            AxisFormula(
                axis=axis,
                n=geometry.input_hw[i],
                k=geometry.kernel_hw[i],
                d=1,
                k_eff=geometry.kernel_hw[i],
                pad_before=geometry.pads[i][0],
                pad_after=geometry.pads[i][1],
                s=geometry.strides[i],
                out=geometry.output_hw[i],
            )
        )
        for i, axis in enumerate(("height", "width"))
    ]


def changed_figure(before: np.ndarray | None, after: np.ndarray, *, title: str) -> go.Figure:
    """An edge map (-1..1 colours), with the cells that differ from ``before`` outlined in red."""
    # one fixed diverging scale for the four maps, so their colours compare
    # px: a quarter of the page at 1200 px; wider, the grid would leave a gap above its bar
    fig = grid_figure(after, title=title, px=170, scale=edge_scale(after))
    if before is None:
        return fig
    changed = [tuple(int(v) for v in rc) for rc in np.argwhere(before != after)]
    if changed:
        fig.add_trace(cells_scatter(changed, color=CHANGED_LINE, width=3))
    fig.layout.showlegend = False
    return fig


def shift_sentence(demo: ShiftDemo, pool_text: str) -> str:
    before, after = demo.edges.size, demo.pooled.size
    return _(
        "Shifting the image by one pixel changes {changed_before} of the {before} cells "
        "of its edge map, and {changed_after} of the {after} cells after {pool_text}."
    ).format(
        changed_before=demo.changed_before,
        before=before,
        changed_after=demo.changed_after,
        after=after,
        pool_text=pool_text,
    )


def stages_sentence(stages: ConvPool) -> str:
    (h, w), (ch, cw), (ph, pw) = stages.shapes
    return _("Input {h}×{w} → convolution {ch}×{cw} → pooling {ph}×{pw}").format(
        h=h, w=w, ch=ch, cw=cw, ph=ph, pw=pw
    )


def pool_text(size: tuple[int, int], strides: tuple[int, int], mode: str) -> str:
    if mode == "max":
        text = _("{h}×{w} max pooling with stride {sh}×{sw}")
    else:
        text = _("{h}×{w} average pooling with stride {sh}×{sw}")
    return text.format(h=size[0], w=size[1], sh=strides[0], sw=strides[1])
