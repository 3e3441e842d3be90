"""The sliding-window page's grids, built as functions: traces, shapes and text in cells."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground import conv2d, trace_cell
from playground.conv import pad2d
from playground.figures import grid
from playground.figures import window as wf

X = np.arange(9, dtype=np.float32).reshape(3, 3)  # the book's 0..8
K = np.array([[0, 1], [2, 3]], dtype=np.float32)


def _trace(out_index, x=X, k=K, **kwargs):
    return trace_cell(x, k, out_index, **kwargs)


def _shapes(fig: go.Figure) -> list[dict]:
    return [shape.to_plotly_json() for shape in fig.layout.shapes]


def _polygons(trace: go.Scatter) -> list[tuple[float, float]]:
    """Centres of the cells a cells_scatter outlines."""
    xs, ys = list(trace.x), list(trace.y)
    starts = [0, *(i + 1 for i, v in enumerate(xs[:-1]) if v is None)]
    return [(ys[i] + 0.5, xs[i] + 0.5) for i in starts]


def test_cells_scatter_draws_one_square_per_cell():
    """One closed square per cell, separated by gaps, in a single trace."""
    trace = grid.cells_scatter([(0, 0), (2, 3)], color="red", width=2)
    assert _polygons(trace) == [(0, 0), (2, 3)]
    assert list(trace.x[:6]) == [-0.5, 0.5, 0.5, -0.5, -0.5, None]


def test_input_figure_outlines_each_tap_and_the_previous_window():
    """One outline per kernel tap (dilation leaves gaps), plus a dotted one for the last step."""
    x = np.zeros((5, 5), np.float32)
    kwargs = {"dilation_rate": 2, "padding": 1}
    trace, previous = _trace((0, 1), x, K, **kwargs), _trace((0, 0), x, K, **kwargs)
    padded = pad2d(x, (3, 3), padding=((1, 1), (1, 1)))
    fig = wf.input_figure(padded, ((1, 1), (1, 1)), trace, previous)
    window = next(t for t in fig.data if isinstance(t, go.Scatter) and t.line.color == "#ff7f0e")
    # dilation 2: taps in rows 0 and 2, columns 1 and 3; the cells between are not outlined
    assert sorted(_polygons(window)) == [(0, 1), (0, 3), (2, 1), (2, 3)]
    dotted = [s for s in _shapes(fig) if s.get("line", {}).get("dash") == "dot"]
    assert len(dotted) == 1 and dotted[0]["x0"] == -0.5 and dotted[0]["x1"] == 2.5


def test_input_figure_draws_the_window_over_the_padding():
    """The padding is a trace under the window's trace, so it never hides a tap."""
    x = np.zeros((3, 3), np.float32)
    trace = _trace((0, 0), x, K, padding=1)
    fig = wf.input_figure(pad2d(x, (3, 3), padding=1), ((1, 1), (1, 1)), trace)
    fills = [t.fillcolor for t in fig.data if isinstance(t, go.Scatter)]
    assert fills == ["rgba(140, 150, 170, 0.55)", "rgba(255, 127, 14, 0.22)"]


def test_input_figure_draws_non_negative_numbers_from_black_at_zero():
    """The book's 0..8 are sequential: 0 black, 8 white, a colour bar labelled 0 and 8."""
    counts = wf.input_figure(X, ((0, 0), (0, 0)), _trace((0, 0)))
    heat = counts.data[0]
    assert [list(stop) for stop in heat.colorscale] == [[0.0, "#000000"], [1.0, "#ffffff"]]
    assert (heat.zmin, heat.zmax) == (0.0, 8.0)
    assert heat.showscale and list(heat.colorbar.ticktext) == ["0", "8"]


def test_products_figure_is_diverging_with_white_zero():
    """Products are signed by nature: a symmetric bar with 0 in its white middle."""
    heat = wf.products_figure(_trace((0, 0))).data[0]
    assert heat.zmin == -heat.zmax == -12.0
    assert dict(map(tuple, heat.colorscale))[0.5] == "#ffffff"
    assert list(heat.colorbar.ticktext) == ["-12", "0", "12"]


def test_products_figure_writes_value_times_weight():
    """Each cell reads 'value×weight<br>= product'."""
    fig = wf.products_figure(_trace((0, 0)))
    assert fig.data[0].text[1][1] == "4×3<br>= 12"
    assert fig.data[0].text[0][0] == "0×0<br>= 0"


def test_products_figure_shades_padding_taps():
    """Taps that fall in the padding are shaded; with 'full' only the bottom-right is inside."""
    fig = wf.products_figure(_trace((0, 0), padding="full"))
    shading = next(t for t in fig.data if isinstance(t, go.Scatter))
    assert sorted(_polygons(shading)) == [(0, 0), (0, 1), (1, 0)]


def test_output_figure_fills_cells_up_to_the_step():
    """Cells up to the step show values; later ones are blank and NaN (grey)."""
    output = conv2d(X, K)
    fig = wf.output_figure(output, 2)
    heat = fig.data[0]
    assert [list(row) for row in heat.text] == [["19", "25"], ["37", ""]]
    assert np.isnan(np.asarray(heat.z, dtype=float)[1, 1])
    current = [s for s in _shapes(fig) if s.get("line", {}).get("color") == "#2ca02c"]
    assert len(current) == 1 and current[0]["x0"] == -0.5 and current[0]["y0"] == 0.5


def test_output_figure_has_a_click_target_on_every_cell():
    """A transparent marker per cell centre: the page reads clicks as point selections."""
    fig = wf.output_figure(np.zeros((2, 3), np.float32), 0)
    markers = next(t for t in fig.data if isinstance(t, go.Scatter))
    assert list(markers.x) == [0, 1, 2, 0, 1, 2]
    assert list(markers.y) == [0, 0, 0, 1, 1, 1]
    assert markers.marker.color == "rgba(0,0,0,0)"


def test_output_figure_keeps_the_whole_maps_colour_range():
    """A cell's colour does not change as later cells fill in."""
    output = conv2d(X, K)
    early, late = wf.output_figure(output, 0), wf.output_figure(output, 3)
    assert (early.data[0].zmin, early.data[0].zmax) == (late.data[0].zmin, late.data[0].zmax)


def test_figures_fit_their_height():
    """A tall grid is no taller than the height asked for; a short one is shorter."""
    tall = wf.output_figure(np.zeros((12, 2), np.float32), 0, height=300)
    wide = wf.output_figure(np.zeros((2, 12), np.float32), 0, height=300)
    assert tall.layout.height <= 300
    assert wide.layout.height < 300
