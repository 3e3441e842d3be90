"""Steps, sentences and figures of the sliding-window page, as plain functions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import conv2d, trace_cell
from playground import window_view as wv
from playground.conv import pad2d

X = np.arange(9, dtype=np.float32).reshape(3, 3)  # the book's 0..8
K = np.array([[0, 1], [2, 3]], dtype=np.float32)


def _trace(out_index, x=X, k=K, **kwargs):
    return trace_cell(x, k, out_index, **kwargs)


def _shapes(fig: go.Figure) -> list[dict]:
    return [shape.to_plotly_json() for shape in fig.layout.shapes]


# ---------------------------------------------------------------- steps


def test_step_position_is_raster_order():
    """Steps go left to right, then top down."""
    assert [wv.step_position(s, (2, 3)) for s in range(6)] == [
        (0, 0),
        (0, 1),
        (0, 2),
        (1, 0),
        (1, 1),
        (1, 2),
    ]


def test_step_position_rejects_steps_outside_the_output():
    """A step past the last cell names the range and the value."""
    with pytest.raises(ValueError, match=r"step must be in 0\.\.3 .* got 4"):
        wv.step_position(4, (2, 2))


def test_clamp_step_pulls_a_step_back_inside():
    """Settings that shrink the output pull the step back to the last cell."""
    assert wv.clamp_step(9, 4) == 3
    assert wv.clamp_step(-2, 4) == 0
    assert wv.clamp_step(2, 4) == 2


def test_advance_stops_on_the_last_step():
    """Playback moves one step and stops once it reaches the last one."""
    assert wv.advance(0, 4) == (1, True)
    assert wv.advance(2, 4) == (3, False)
    assert wv.advance(3, 4) == (3, False)


@pytest.mark.parametrize(
    ("point", "expected"),
    [({"x": 1, "y": 1}, 4), ({"x": 2.0, "y": 0.0}, 2), ({"x": 5, "y": 0}, None), ({}, None)],
)
def test_point_to_step(point, expected):
    """A clicked cell (x = column, y = row) becomes its step; a bad point is None."""
    assert wv.point_to_step(point, (2, 3)) == expected


# ---------------------------------------------------------------- words


def test_step_caption_counts_steps_from_one():
    """The counter reads 'Step 4 of 4' for the last cell of the book's 2x2 output."""
    assert wv.step_caption(_trace((1, 1)), 4) == "Step 4 of 4: output row 1, column 1"


def test_move_sentence_names_the_stride():
    """Moving along a row says how many columns and the stride."""
    x = np.zeros((5, 5))
    first, second = _trace((0, 0), x, strides=2), _trace((0, 1), x, strides=2)
    assert wv.move_sentence(first, second) == ("The window moved 2 columns right (stride 2).")


def test_move_sentence_at_a_new_row():
    """Starting a new row says the window went back left and down by the row stride."""
    x = np.zeros((6, 6))
    end, start = _trace((0, 2), x, strides=(3, 2)), _trace((1, 0), x, strides=(3, 2))
    sentence = wv.move_sentence(end, start)
    assert "back to the left edge" in sentence
    assert "moved 3 rows down (stride 3)" in sentence


def test_move_sentence_at_the_start():
    """Step 0 has no previous window."""
    assert "starts in the top-left corner" in wv.move_sentence(None, _trace((0, 0)))


def test_dilation_sentence_only_when_dilated():
    """No sentence without dilation; with it, the gap is named per axis."""
    assert wv.dilation_sentence((1, 1)) is None
    assert "2 columns apart horizontally" in wv.dilation_sentence((1, 2))
    assert "3 rows apart vertically" in wv.dilation_sentence((3, 1))


def test_sum_sentence_shows_the_bias_when_there_is_one():
    """'sum of products = 19', and with a bias: '19 + bias 0.5 = 19.5'."""
    assert wv.sum_sentence(_trace((0, 0))) == "sum of products = 19"
    with_bias = _trace((0, 0), bias=0.5)
    assert wv.sum_sentence(with_bias) == "sum of products 19 + bias 0.5 = 19.5"


def test_equation_lines_keep_short_equations_on_one_line():
    """The book's equation is one line, exactly the trace's."""
    assert wv.equation_lines(_trace((0, 0))) == ["0×0 + 1×1 + 3×2 + 4×3 = 19"]


def test_equation_lines_break_long_equations_at_kernel_rows():
    """A 3x3 kernel's equation gets one line per kernel row, then the bias and result."""
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    k = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], dtype=np.float32)
    trace = _trace((0, 0), x, k, bias=0.5)
    lines = wv.equation_lines(trace)
    assert lines == [
        "0×1 + 1×0 + 2×-1",
        "+ 4×2 + 5×0 + 6×-2",
        "+ 8×1 + 9×0 + 10×-1",
        "+ 0.5 (bias) = -7.5",
    ]
    # the same terms as the one-line equation, only broken differently
    assert " ".join(lines) == trace.equation()


# ---------------------------------------------------------------- figures


def test_input_figure_outlines_each_tap_and_the_previous_window():
    """One outline per kernel tap (dilation leaves gaps), plus a dotted one for the last step."""
    x = np.zeros((5, 5), np.float32)
    kwargs = {"dilation_rate": 2, "padding": 1}
    trace, previous = _trace((0, 1), x, K, **kwargs), _trace((0, 0), x, K, **kwargs)
    padded = pad2d(x, (3, 3), padding=((1, 1), (1, 1)))
    fig = wv.input_figure(padded, ((1, 1), (1, 1)), trace, previous)
    shapes = _shapes(fig)
    taps = [s for s in shapes if s.get("line", {}).get("color") == "#ff7f0e"]
    assert len(taps) == 4
    # dilation 2: the two tapped columns are 2 apart, the cell between them is not outlined
    assert sorted({s["x0"] + 0.5 for s in taps}) == [1, 3]
    dotted = [s for s in shapes if s.get("line", {}).get("dash") == "dot"]
    assert len(dotted) == 1 and dotted[0]["x0"] == -0.5 and dotted[0]["x1"] == 2.5


def test_input_figure_uses_pale_blue_for_counts_and_grey_for_images():
    """The book's 0..8 get the pale scale; a [0, 1] image keeps the greys."""
    counts = wv.input_figure(X, ((0, 0), (0, 0)), _trace((0, 0)))
    assert counts.data[0].colorscale[-1][1] == wv.COUNTS_SCALE[-1][1]
    image = np.eye(3, dtype=np.float32)
    greys = wv.input_figure(image, ((0, 0), (0, 0)), _trace((0, 0), image))
    assert greys.data[0].colorscale[-1][1] == "#ffffff"


def test_products_figure_writes_value_times_weight():
    """Each cell reads 'value×weight<br>= product'."""
    fig = wv.products_figure(_trace((0, 0)))
    assert fig.data[0].text[1][1] == "4×3<br>= 12"
    assert fig.data[0].text[0][0] == "0×0<br>= 0"


def test_products_figure_shades_padding_taps():
    """Taps that fall in the padding get a shaded cell each."""
    trace = _trace((0, 0), padding="full")  # only the bottom-right tap is inside
    fills = [s for s in _shapes(wv.products_figure(trace)) if s.get("fillcolor")]
    assert len(fills) == 3


def test_output_figure_fills_cells_up_to_the_step():
    """Cells up to the step show values; later ones are blank and NaN (grey)."""
    output = conv2d(X, K)
    fig = wv.output_figure(output, 2)
    heat = fig.data[0]
    assert [list(row) for row in heat.text] == [["19", "25"], ["37", ""]]
    assert np.isnan(np.asarray(heat.z, dtype=float)[1, 1])
    current = [s for s in _shapes(fig) if s.get("line", {}).get("color") == "#2ca02c"]
    assert len(current) == 1 and current[0]["x0"] == -0.5 and current[0]["y0"] == 0.5


def test_output_figure_has_a_click_target_on_every_cell():
    """A transparent marker per cell centre: the page reads clicks as point selections."""
    fig = wv.output_figure(np.zeros((2, 3), np.float32), 0)
    markers = next(t for t in fig.data if isinstance(t, go.Scatter))
    assert list(markers.x) == [0, 1, 2, 0, 1, 2]
    assert list(markers.y) == [0, 0, 0, 1, 1, 1]
    assert markers.marker.color == "rgba(0,0,0,0)"


def test_output_figure_keeps_the_whole_maps_colour_range():
    """A cell's colour does not change as later cells fill in."""
    output = conv2d(X, K)
    early, late = wv.output_figure(output, 0), wv.output_figure(output, 3)
    assert (early.data[0].zmin, early.data[0].zmax) == (late.data[0].zmin, late.data[0].zmax)


def test_figures_fit_their_height():
    """A tall grid is no taller than the height asked for; a short one is shorter."""
    tall = wv.output_figure(np.zeros((12, 2), np.float32), 0, height=300)
    wide = wv.output_figure(np.zeros((2, 12), np.float32), 0, height=300)
    assert tall.layout.height <= 300
    assert wide.layout.height < 300
