"""Tests for playground.trace: each sliding-window step's arithmetic equals conv2d's cell."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from playground.conv import conv2d, pad2d
from playground.shapes import output_shape, padding_amounts
from playground.trace import WindowTrace, format_number, trace_cell, trace_steps
from tests.strategies import padding_specs

X33 = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
K22 = [[0, 1], [2, 3]]


def test_trace_cell_book_equation():
    """The first cell of the book's example reads 0×0 + 1×1 + 3×2 + 4×3 = 19."""
    assert trace_cell(X33, K22, (0, 0)).equation() == "0×0 + 1×1 + 3×2 + 4×3 = 19"


def test_trace_cell_book_last_cell():
    """The last cell of the book's example is 43, from the bottom-right window."""
    t = trace_cell(X33, K22, (1, 1))
    assert t.value == 43
    assert (t.rows, t.cols) == ((1, 2), (1, 2))
    assert_array_equal(t.values, [[4, 5], [7, 8]])
    assert_array_equal(t.products, [[0, 5], [14, 24]])


def test_trace_steps_book_values_in_raster_order():
    """trace_steps walks left to right, top down, with steps numbered 0, 1, 2, ..."""
    traces = list(trace_steps(X33, K22))
    assert [t.value for t in traces] == [19, 25, 37, 43]
    assert [t.out_index for t in traces] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [t.step for t in traces] == [0, 1, 2, 3]


def test_trace_equation_with_bias():
    """A non-zero bias appears as its own term before the result."""
    assert trace_cell([[2.0]], [[3.0]], (0, 0), bias=0.5).equation() == "2×3 + 0.5 (bias) = 6.5"


def test_trace_equation_digits():
    """equation(digits) rounds long numbers to that many decimals."""
    t = trace_cell([[1.0]], [[1 / 3]], (0, 0))
    assert t.equation() == "1×0.333 = 0.333"
    assert t.equation(digits=1) == "1×0.3 = 0.3"


def test_trace_padding_cells_marked_and_zero():
    """With 'same' padding the corner window marks its padded cells and reads them as 0."""
    t = trace_cell(np.ones((3, 3)), np.ones((3, 3)), (0, 0), padding="same")
    assert_array_equal(
        t.in_padding, [[True, True, True], [True, False, False], [True, False, False]]
    )
    assert_array_equal(t.values, [[0, 0, 0], [0, 1, 1], [0, 1, 1]])
    assert (t.input_rows, t.input_cols) == ((-1, 0, 1), (-1, 0, 1))
    assert (t.rows, t.cols) == ((0, 1, 2), (0, 1, 2))
    assert t.value == 4


def test_trace_dilation_and_strides_coordinates():
    """Taps are d apart and windows s apart, in padded-input coordinates."""
    t = trace_cell(np.ones((7, 7)), np.ones((2, 2)), (1, 2), strides=(2, 1), dilation_rate=(3, 2))
    assert t.rows == (2, 5)
    assert t.cols == (2, 4)


def test_trace_flip_uses_flipped_weights():
    """flip=True traces the flipped kernel, like conv2d(flip=True)."""
    t = trace_cell(X33, K22, (0, 0), flip=True)
    assert_array_equal(t.weights, [[3, 2], [1, 0]])
    assert t.value == conv2d(X33, K22, flip=True)[0, 0]


def test_trace_arrays_are_read_only():
    """A trace's arrays cannot be changed by a caller (they may be cached and shared)."""
    t = trace_cell(X33, K22, (0, 0))
    for array in (t.in_padding, t.values, t.weights, t.products):
        with pytest.raises(ValueError, match="read-only"):
            array[0, 0] = 1


def test_trace_weights_do_not_alias_the_kernel():
    """Changing the caller's kernel later does not change an existing trace."""
    kernel = np.array(K22, np.float32)
    t = trace_cell(X33, kernel, (0, 0))
    kernel[0, 0] = 100
    assert t.weights[0, 0] == 0


def test_trace_is_frozen():
    """WindowTrace is an immutable value."""
    t = trace_cell(X33, K22, (0, 0))
    assert isinstance(t, WindowTrace)
    with pytest.raises(AttributeError):
        t.value = 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (19.0, "19"),
        (-0.5, "-0.5"),
        (1 / 3, "0.333"),
        (0.0, "0"),
        (-0.0, "0"),
        (2.5e-5, "2.50e-05"),
        (12345.0, "12345"),
        (1.5e7, "1.50e+07"),
        (np.float32(0.1), "0.1"),
    ],
)
def test_format_number(value, text):
    """format_number writes short, honest numbers (no '-0', no float32 noise)."""
    assert format_number(value) == text


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("out_index", "exc", "match"),
    [
        ((2, 0), ValueError, "out_index must be inside the output of shape (2, 2); got (2, 0)."),
        ((0, 5), ValueError, "out_index must be inside the output of shape (2, 2); got (0, 5)."),
        ((-1, 0), ValueError, "out_index must be at least 0 in each direction; got (-1, 0)."),
        (
            (0, 0, 0),
            TypeError,
            "out_index must be an int or a pair of ints (height, width); got (0, 0, 0).",
        ),
        (None, TypeError, "out_index must be an int or a pair of ints (height, width); got None."),
        ("00", TypeError, "out_index must be an int or a pair of ints (height, width); got '00'."),
    ],
    ids=["row", "col", "negative", "triple", "none", "str"],
)
def test_trace_cell_rejects_out_index(out_index, exc, match):
    """An out_index outside the output names the output's shape and echoes the index."""
    with pytest.raises(exc, match=re.escape(match)):
        trace_cell(X33, K22, out_index)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        ({"x": np.ones((3, 3, 1))}, ValueError, "x must have 2 dimensions; got shape (3, 3, 1)"),
        (
            {"kernel": np.ones((2, 2, 1, 1))},
            ValueError,
            "kernel must have 2 dimensions; got shape (2, 2, 1, 1)",
        ),
        ({"kernel": [[np.nan]]}, ValueError, "kernel contains NaN or infinite values"),
        ({"strides": 0}, ValueError, "strides must be at least 1 in each direction; got 0."),
        ({"dilation_rate": 1.5}, TypeError, "dilation_rate must be an int or a pair of ints"),
        ({"padding": "half"}, ValueError, "padding must be 'valid', 'same', 'full'"),
        (
            {"kernel": np.ones((4, 4))},
            ValueError,
            "Kernel (4, 4) is larger than the padded input (3, 3)",
        ),
        ({"bias": np.inf}, ValueError, "bias must be finite; got inf."),
        ({"bias": "1"}, TypeError, "bias must be a number; got '1'."),
        ({"bias": [1.0]}, TypeError, "bias must be a number; got [1.0]."),
        ({"flip": "yes"}, TypeError, "flip must be True or False; got 'yes'."),
    ],
    ids=[
        "x-3d",
        "kernel-4d",
        "kernel-nan",
        "strides",
        "dilation",
        "padding",
        "too-large",
        "bias-inf",
        "bias-str",
        "bias-list",
        "flip-str",
    ],
)
def test_trace_rejects_bad_arguments(kwargs, exc, match):
    """trace_cell and trace_steps validate like conv2d, naming the argument."""
    args = {"x": X33, "kernel": K22} | kwargs
    x, kernel = args.pop("x"), args.pop("kernel")
    with pytest.raises(exc, match=re.escape(match)):
        trace_cell(x, kernel, (0, 0), **args)
    with pytest.raises(exc, match=re.escape(match)):
        next(trace_steps(x, kernel, **args))


# ---------------------------------------------------------------- properties vs conv2d


@st.composite
def trace_cases(draw):
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    padding = draw(padding_specs(2))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    try:
        output_shape((h, w), (kh, kw), strides=strides, padding=padding, dilation_rate=dilation)
    except ValueError:
        reject()
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # small integers half the time: exact sums make the equation's text checkable
    if draw(st.booleans()):
        x = rng.integers(-5, 6, (h, w)).astype(np.float32)
        kernel = rng.integers(-3, 4, (kh, kw)).astype(np.float32)
        bias = float(rng.integers(-2, 3))
    else:
        x = rng.standard_normal((h, w)).astype(np.float32)
        kernel = rng.standard_normal((kh, kw)).astype(np.float32)
        bias = float(rng.standard_normal())
    settings_ = {
        "strides": strides,
        "padding": padding,
        "dilation_rate": dilation,
        "bias": bias,
        "flip": draw(st.booleans()),
    }
    return x, kernel, settings_


@settings(max_examples=120)
@given(trace_cases())
def test_trace_steps_match_conv2d(case):
    """Every traced cell's value, sum of products and equation result equal conv2d's cell."""
    x, kernel, kwargs = case
    expected = conv2d(x, kernel, **kwargs)
    traces = list(trace_steps(x, kernel, **kwargs))
    assert len(traces) == expected.size
    for t in traces:
        cell = expected[t.out_index]
        assert_allclose(t.value, cell, rtol=1e-5, atol=1e-4)
        assert_allclose(t.total, t.products.sum(dtype=np.float64), rtol=1e-6, atol=1e-6)
        assert_allclose(t.value, t.total + t.bias, rtol=1e-5, atol=1e-4)
        assert t.equation().endswith(f" = {format_number(t.value)}")
        assert t.equation().count("×") == kernel.size
        assert t.step == t.out_index[0] * expected.shape[1] + t.out_index[1]
    last = trace_cell(x, kernel, traces[-1].out_index, **kwargs)
    assert (last.step, last.value) == (traces[-1].step, traces[-1].value)


@settings(max_examples=120)
@given(trace_cases())
def test_trace_marks_padding_exactly(case):
    """in_padding is True exactly where a tap falls outside the input; values match pad2d."""
    x, kernel, kwargs = case
    geometry = {k: kwargs[k] for k in ("strides", "padding", "dilation_rate")}
    padded = pad2d(x, kernel.shape, **geometry)
    (top, _), (left, _) = padding_amounts(x.shape, kernel.shape, **geometry)
    h, w = x.shape
    for t in trace_steps(x, kernel, **kwargs):
        outside = np.array(
            [[not (0 <= r < h and 0 <= c < w) for c in t.input_cols] for r in t.input_rows]
        )
        assert_array_equal(t.in_padding, outside)
        assert_array_equal(t.values, padded[np.ix_(t.rows, t.cols)])
        assert_array_equal(t.values[t.in_padding], 0)
        assert {r - ir for r, ir in zip(t.rows, t.input_rows, strict=True)} == {top}
        assert {c - ic for c, ic in zip(t.cols, t.input_cols, strict=True)} == {left}


def test_trace_cells_matches_trace_cell_for_each_cell():
    """Several cells traced with one validation give what trace_cell gives cell by cell."""
    from playground.trace import trace_cells

    x = np.arange(30, dtype=np.float32).reshape(5, 6)
    kernel = [[1, -2], [0.5, 3]]
    settings = {"strides": (2, 1), "padding": "same", "dilation_rate": (1, 2), "bias": 0.5}
    cells = [(0, 0), (2, 5), (1, 3)]
    many = trace_cells(x, kernel, cells, **settings)
    for cell, traced in zip(cells, many, strict=True):
        one = trace_cell(x, kernel, cell, **settings)
        assert traced.out_index == one.out_index and traced.value == one.value
        np.testing.assert_array_equal(traced.products, one.products)
    with pytest.raises(ValueError, match="inside the output"):
        trace_cells(x, kernel, [(0, 0), (3, 0)], **settings)
