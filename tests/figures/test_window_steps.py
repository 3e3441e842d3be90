"""Steps and sentences of the sliding-window page, as plain functions."""

from __future__ import annotations

import numpy as np
import pytest

from playground import trace_cell
from playground.figures import window_steps as wv

X = np.arange(9, dtype=np.float32).reshape(3, 3)  # the book's 0..8
K = np.array([[0, 1], [2, 3]], dtype=np.float32)


def _trace(out_index, x=X, k=K, **kwargs):
    return trace_cell(x, k, out_index, **kwargs)


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
