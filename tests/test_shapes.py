"""Tests for playground.shapes: output shapes, padding amounts, stacks and receptive fields."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from playground.conv import conv2d
from playground.receptive import receptive_field, receptive_field_cells, receptive_field_size
from playground.shapes import (
    LayerSpec,
    effective_kernel,
    output_shape,
    padding_amounts,
    stack_shapes,
)
from playground.validation import as_pair, normalize_padding
from tests.strategies import padding_specs

# ---------------------------------------------------------------- the book's shapes


@pytest.mark.parametrize(
    ("kernel", "kwargs", "expected"),
    [
        (3, {"padding": "same"}, (8, 8)),
        (3, {"padding": "same", "strides": 2}, (4, 4)),
        ((3, 5), {"padding": "valid", "strides": (3, 4)}, (2, 1)),
        ((3, 5), {"padding": (0, 1), "strides": (3, 4)}, (2, 2)),
    ],
    ids=["k3-same", "k3-same-s2", "k35-valid-s34", "k35-pad01-s34"],
)
def test_output_shape_book_layers(kernel, kwargs, expected):
    """output_shape gives the book's shapes for an 8x8 input."""
    assert output_shape((8, 8), as_pair(kernel, "kernel"), **kwargs) == expected


def test_output_shape_book_formula():
    """Valid, stride 1: n - k + 1 in each direction (the book's 6x8 with [[1, -1]] -> 6x7)."""
    assert output_shape((6, 8), (1, 2)) == (6, 7)


def test_output_shape_dilation_uses_extent():
    """A 3x3 kernel dilated by 2 spans 5x5: 8 - 5 + 1 = 4."""
    assert output_shape((8, 8), (3, 3), dilation_rate=2) == (4, 4)


def test_output_shape_full():
    """'full' padding gives n + k - 1."""
    assert output_shape((4, 6), (2, 3), padding="full") == (5, 8)


def test_output_shape_accepts_int_and_array_sizes():
    """input_hw/kernel_hw may be an int (square) or a numpy array such as a shape."""
    assert output_shape(8, 3) == (6, 6)
    assert output_shape(np.array([8, 6]), np.array([3, 3])) == (6, 4)


@given(
    st.integers(1, 40),
    st.integers(1, 40),
    st.integers(1, 7),
    st.integers(1, 7),
    st.integers(1, 5),
    st.integers(1, 5),
)
def test_output_shape_same_is_ceil_n_over_s(h, w, kh, kw, sh, sw):
    """'same' always gives ceil(n / s), whatever the kernel (TensorFlow's rule)."""
    assert output_shape((h, w), (kh, kw), strides=(sh, sw), padding="same") == (
        math.ceil(h / sh),
        math.ceil(w / sw),
    )


# ---------------------------------------------------------------- padding amounts


def test_padding_amounts_same_odd_kernel_is_symmetric():
    """'same' with a 3x3 kernel pads one row/column on every side."""
    assert padding_amounts((8, 8), (3, 3), padding="same") == ((1, 1), (1, 1))


def test_padding_amounts_same_extra_goes_bottom_right():
    """'same' with an even kernel puts the odd extra row and column bottom/right, like TF."""
    assert padding_amounts((5, 5), (2, 4), padding="same") == ((0, 1), (1, 2))


def test_padding_amounts_same_with_strides():
    """'same' with strides pads only what the last window needs."""
    assert padding_amounts((4, 4), (2, 3), strides=(2, 3), padding="same") == ((0, 0), (1, 1))


def test_padding_amounts_same_never_negative():
    """'same' with a stride larger than the kernel adds no padding."""
    assert padding_amounts((5, 5), (1, 1), strides=3, padding="same") == ((0, 0), (0, 0))


def test_padding_amounts_full_uses_dilated_extent():
    """'full' pads the dilated extent minus one on every side."""
    assert padding_amounts((5, 5), (2, 3), padding="full", dilation_rate=2) == ((2, 2), (4, 4))


def test_padding_amounts_pair_is_per_axis():
    """A pair (ph, pw) puts ph rows top and bottom and pw columns left and right (the book's)."""
    assert padding_amounts((8, 8), (3, 5), padding=(0, 1)) == ((0, 0), (1, 1))


def test_padding_amounts_explicit_sides():
    """((top, bottom), (left, right)) is used as given."""
    assert padding_amounts((4, 4), (2, 2), padding=((0, 2), (3, 1))) == ((0, 2), (3, 1))


# ---------------------------------------------------------------- normalising arguments


@pytest.mark.parametrize(
    ("padding", "expected"),
    [
        ("valid", "valid"),
        ("SAME", "same"),
        ("Full", "full"),
        (0, ((0, 0), (0, 0))),
        (2, ((2, 2), (2, 2))),
        (np.int64(1), ((1, 1), (1, 1))),
        ((0, 1), ((0, 0), (1, 1))),
        ([1, 2], ((1, 1), (2, 2))),
        (((0, 1), (2, 3)), ((0, 1), (2, 3))),
        ([[0, 1], [2, 3]], ((0, 1), (2, 3))),
    ],
)
def test_normalize_padding_forms(padding, expected):
    """Every accepted padding form normalises to a mode name or ((t, b), (l, r)) of ints."""
    result = normalize_padding(padding)
    assert result == expected
    if not isinstance(result, str):
        assert all(type(p) is int for side in result for p in side)


@pytest.mark.parametrize(
    "padding",
    [
        -1,
        (0, -1),
        ((0, 0), (0, -1)),
        "half",
        "causal",
        None,
        1.0,
        True,
        (True, 1),
        (1, 2, 3),
        ((1, 2), (3,)),
        ((1, 2),),
        {},
    ],
)
def test_normalize_padding_rejects(padding):
    """Invalid paddings raise ValueError listing every accepted form and echoing the value."""
    with pytest.raises(
        ValueError, match=re.escape("padding must be 'valid', 'same', 'full'")
    ) as info:
        normalize_padding(padding)
    assert str(info.value).endswith(f"got {padding!r}.")


def test_as_pair_int_and_pair():
    """as_pair turns an int into a square pair and keeps a pair."""
    assert as_pair(3, "strides") == (3, 3)
    assert as_pair([1, 2], "strides") == (1, 2)
    assert as_pair(np.array([4, 5]), "kernel") == (4, 5)


def test_as_pair_returns_python_ints():
    """as_pair converts numpy integers to Python ints (clean reprs in messages and keys)."""
    assert all(type(v) is int for v in as_pair((np.int64(2), np.int32(3)), "strides"))


def test_as_pair_minimum():
    """as_pair enforces the minimum, e.g. 0 is a valid index but not a valid stride."""
    assert as_pair((0, 0), "out_index", minimum=0) == (0, 0)
    with pytest.raises(
        ValueError, match=re.escape("strides must be at least 1 in each direction; got (0, 2).")
    ):
        as_pair((0, 2), "strides")


@pytest.mark.parametrize(
    "value", [1.5, "2", b"2", True, (1, True), (1, 2, 3), (1,), None, {1, 2}, np.ones((2, 2), int)]
)
def test_as_pair_rejects(value):
    """as_pair refuses anything but an int or a pair of ints, naming the argument."""
    with pytest.raises(
        TypeError, match=re.escape("kernel must be an int or a pair of ints (height, width); got")
    ):
        as_pair(value, "kernel")


def test_effective_kernel():
    """A dilated kernel spans (k - 1) * d + 1 cells."""
    assert effective_kernel((3, 2), (2, 3)) == (5, 4)


# ---------------------------------------------------------------- errors of output_shape


def test_output_shape_kernel_too_large():
    """An empty output raises with both shapes, the padding and the way out."""
    with pytest.raises(ValueError) as info:
        output_shape((3, 3), (5, 5))
    assert str(info.value) == (
        "Kernel (5, 5) is larger than the padded input (3, 3) (input (3, 3), padding='valid'); "
        "the output would be empty. Use more padding (e.g. padding='same') or a smaller kernel."
    )


def test_output_shape_dilated_kernel_too_large():
    """With dilation the message gives the dilated extent."""
    with pytest.raises(
        ValueError,
        match=re.escape(
            "Kernel (3, 3) dilated by (2, 1) spans (5, 3) and is larger than "
            "the padded input (4, 6)"
        ),
    ):
        output_shape((4, 4), (3, 3), dilation_rate=(2, 1), padding=(0, 1))


def test_output_shape_same_never_too_large():
    """'same' pads enough for any kernel: a 7x7 kernel on a 1x1 input gives 1x1."""
    assert output_shape((1, 1), (7, 7), padding="same") == (1, 1)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        (
            {"input_hw": (0, 8)},
            ValueError,
            "input_hw must be at least 1 in each direction; got (0, 8).",
        ),
        (
            {"input_hw": (8,)},
            TypeError,
            "input_hw must be an int or a pair of ints (height, width); got (8,).",
        ),
        (
            {"input_hw": None},
            TypeError,
            "input_hw must be an int or a pair of ints (height, width); got None.",
        ),
        (
            {"kernel_hw": (3, 0)},
            ValueError,
            "kernel_hw must be at least 1 in each direction; got (3, 0).",
        ),
        ({"kernel_hw": (3.0, 3)}, TypeError, "kernel_hw must be an int or a pair of ints"),
        ({"strides": 0}, ValueError, "strides must be at least 1 in each direction; got 0."),
        (
            {"dilation_rate": (1, 0)},
            ValueError,
            "dilation_rate must be at least 1 in each direction; got (1, 0).",
        ),
        ({"padding": "half"}, ValueError, "padding must be 'valid', 'same', 'full'"),
    ],
    ids=[
        "input-zero",
        "input-short",
        "input-none",
        "kernel-zero",
        "kernel-float",
        "strides",
        "dilation",
        "padding",
    ],
)
def test_output_shape_rejects_bad_arguments(kwargs, exc, match):
    """output_shape names the bad argument, the rule and the value."""
    args = {"input_hw": (8, 8), "kernel_hw": (3, 3)} | kwargs
    with pytest.raises(exc, match=re.escape(match)):
        output_shape(args.pop("input_hw"), args.pop("kernel_hw"), **args)


# ---------------------------------------------------------------- properties vs conv2d


@st.composite
def geometry(draw):
    h, w = draw(st.integers(1, 12)), draw(st.integers(1, 12))
    kernel = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    padding = draw(padding_specs(3))
    strides = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    return (h, w), kernel, strides, padding, dilation


@settings(max_examples=100)
@given(geometry())
def test_output_shape_matches_conv2d(geom):
    """output_shape predicts conv2d's result shape, or both refuse the same geometry."""
    hw, kernel, strides, padding, dilation = geom
    kwargs = {"strides": strides, "padding": padding, "dilation_rate": dilation}
    try:
        expected = output_shape(hw, kernel, **kwargs)
    except ValueError as exc:
        with pytest.raises(ValueError, match=re.escape(str(exc))):
            conv2d(np.ones(hw), np.ones(kernel), **kwargs)
        return
    assert conv2d(np.ones(hw), np.ones(kernel), **kwargs).shape == expected


# ---------------------------------------------------------------- stacks


def test_stack_shapes_example():
    """Two layers: 8x8 -> 6x6 (3x3 valid) -> 2x2 (3x3 stride 2)."""
    layers = [LayerSpec((3, 3)), LayerSpec((3, 3), strides=2)]
    assert stack_shapes((8, 8), layers) == [(8, 8), (6, 6), (2, 2)]


def test_stack_shapes_empty_stack():
    """No layers: only the input shape."""
    assert stack_shapes((5, 7), []) == [(5, 7)]


def test_stack_shapes_names_the_failing_layer():
    """A layer whose output would be empty is named by its 1-based position."""
    layers = [LayerSpec((3, 3)), LayerSpec((3, 3)), LayerSpec((3, 3))]
    with pytest.raises(
        ValueError, match=r"^Layer 3: Kernel \(3, 3\) is larger than the padded input \(1, 1\)"
    ):
        stack_shapes((5, 5), layers)


def test_layer_spec_normalises():
    """LayerSpec turns ints into pairs and padding into its normal form once."""
    spec = LayerSpec(3, strides=2, padding="SAME", dilation_rate=1)
    assert (spec.kernel_hw, spec.strides, spec.padding, spec.dilation_rate) == (
        (3, 3),
        (2, 2),
        "same",
        (1, 1),
    )
    assert LayerSpec(padding=1).padding == ((1, 1), (1, 1))


def test_layer_spec_is_frozen():
    """LayerSpec is immutable (it is shared as a settings value)."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        LayerSpec().kernel_hw = (5, 5)


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        (
            {"kernel_hw": (0, 3)},
            ValueError,
            "kernel_hw must be at least 1 in each direction; got (0, 3).",
        ),
        ({"strides": 1.5}, TypeError, "strides must be an int or a pair of ints"),
        (
            {"dilation_rate": 0},
            ValueError,
            "dilation_rate must be at least 1 in each direction; got 0.",
        ),
        ({"padding": "half"}, ValueError, "padding must be 'valid', 'same', 'full'"),
    ],
)
def test_layer_spec_rejects(kwargs, exc, match):
    """LayerSpec validates its fields with the usual named messages."""
    with pytest.raises(exc, match=re.escape(match)):
        LayerSpec(**kwargs)


layer_specs = st.builds(
    LayerSpec,
    kernel_hw=st.tuples(st.integers(1, 4), st.integers(1, 4)),
    strides=st.tuples(st.integers(1, 2), st.integers(1, 2)),
    padding=st.one_of(
        st.sampled_from(["valid", "same", "full"]),
        st.integers(0, 2),
        st.tuples(
            st.tuples(st.integers(0, 2), st.integers(0, 2)),
            st.tuples(st.integers(0, 2), st.integers(0, 2)),
        ),
    ),
    dilation_rate=st.tuples(st.integers(1, 2), st.integers(1, 2)),
)


@settings(max_examples=100)
@given(
    st.tuples(st.integers(1, 16), st.integers(1, 16)), st.lists(layer_specs, min_size=1, max_size=4)
)
def test_stack_shapes_chains_output_shape(hw, layers):
    """stack_shapes equals applying output_shape layer by layer."""
    expected = [hw]
    try:
        for layer in layers:
            expected.append(
                output_shape(
                    expected[-1],
                    layer.kernel_hw,
                    strides=layer.strides,
                    padding=layer.padding,
                    dilation_rate=layer.dilation_rate,
                )
            )
    except ValueError:
        with pytest.raises(ValueError, match=r"^Layer \d: "):
            stack_shapes(hw, layers)
        return
    assert stack_shapes(hw, layers) == expected


# ---------------------------------------------------------------- receptive fields


def test_receptive_field_example():
    """Two 3x3 layers: output (0, 0) sees input rows and columns 0..4."""
    layers = [LayerSpec((3, 3)), LayerSpec((3, 3))]
    assert receptive_field((8, 8), layers, (0, 0)) == [
        ((0, 4), (0, 4)),
        ((0, 2), (0, 2)),
        ((0, 0), (0, 0)),
    ]


def test_receptive_field_clipped_by_padding():
    """With 'same' padding the corner output's field stops at the input's edge."""
    assert receptive_field((5, 5), [LayerSpec((3, 3), padding="same")], (0, 0))[0] == (
        (0, 1),
        (0, 1),
    )


def test_receptive_field_cells_keep_dilation_holes():
    """A dilated 2x2 kernel reads every other cell: the sets have the gaps the bounds hide."""
    layers = [LayerSpec((2, 2), dilation_rate=(2, 3))]
    cells = receptive_field_cells((6, 7), layers, (1, 2))
    assert cells == [
        (frozenset({1, 3}), frozenset({2, 5})),
        (frozenset({1}), frozenset({2})),
    ]
    assert receptive_field((6, 7), layers, (1, 2))[0] == ((1, 3), (2, 5))


def test_receptive_field_cells_all_padding_is_empty():
    """An output cell whose taps all land in padding uses no input cell at all."""
    layers = [LayerSpec((1, 1), padding=2)]
    assert receptive_field_cells((3, 3), layers, (0, 0))[0] == (frozenset(), frozenset())
    assert receptive_field((3, 3), layers, (0, 0))[0] == ((0, -1), (0, -1))


def test_receptive_field_no_layers():
    """With no layers a cell's field is the cell itself."""
    assert receptive_field((3, 3), [], (1, 2)) == [((1, 1), (2, 2))]


@pytest.mark.parametrize(
    ("out_index", "exc", "match"),
    [
        ((6, 0), ValueError, "out_index must lie inside the output (6, 6); got (6, 0)."),
        ((0, 9), ValueError, "out_index must lie inside the output (6, 6); got (0, 9)."),
        ((-1, 0), ValueError, "out_index must be at least 0 in each direction; got (-1, 0)."),
        (
            (0.5, 0),
            TypeError,
            "out_index must be an int or a pair of ints (height, width); got (0.5, 0).",
        ),
        (None, TypeError, "out_index must be an int or a pair of ints (height, width); got None."),
    ],
    ids=["row-out", "col-out", "negative", "float", "none"],
)
def test_receptive_field_rejects_out_index(out_index, exc, match):
    """An out_index outside the last map names the map's shape and echoes the index."""
    with pytest.raises(exc, match=re.escape(match)):
        receptive_field((8, 8), [LayerSpec((3, 3))], out_index)


def test_receptive_field_size_three_3x3():
    """Three stacked 3x3 layers see 7x7 (the classic VGG argument)."""
    assert receptive_field_size([LayerSpec((3, 3))] * 3) == (7, 7)


def test_receptive_field_size_with_stride_and_dilation():
    """r grows by (k - 1) * d * jump: 3x3 s2 then 3x3 d2 -> 1 + 2 + 2*2*2 = 11."""
    layers = [LayerSpec((3, 3), strides=2), LayerSpec((3, 3), dilation_rate=2)]
    assert receptive_field_size(layers) == (11, 11)


def _run_stack(x, layers):
    for layer in layers:
        x = conv2d(
            x,
            np.ones(layer.kernel_hw, np.float32),
            strides=layer.strides,
            padding=layer.padding,
            dilation_rate=layer.dilation_rate,
        )
    return x


def _brute_force_region(shape, layers, out_index):
    """Bounding box of the cells of a map that change the chosen output cell, or None.

    Ones kernels and a one-hot input: every path adds a positive amount, so
    nothing cancels and a non-zero output means the cell is really used.
    """
    used = np.zeros(shape, bool)
    for r in range(shape[0]):
        for c in range(shape[1]):
            x = np.zeros(shape, np.float32)
            x[r, c] = 1
            used[r, c] = _run_stack(x, layers)[out_index] != 0
    if not used.any():
        return None
    rows, cols = np.nonzero(used)
    return (int(rows.min()), int(rows.max())), (int(cols.min()), int(cols.max()))


@settings(max_examples=80)
@given(
    st.tuples(st.integers(1, 9), st.integers(1, 9)),
    st.lists(layer_specs, min_size=1, max_size=4),
    st.integers(0, 2**16),
)
def test_receptive_field_matches_brute_force(hw, layers, pick):
    """Each map's range is exactly the bounding box of the cells that influence the output cell."""
    try:
        shapes = stack_shapes(hw, layers)
    except ValueError:
        reject()
    last = shapes[-1]
    out_index = (pick % last[0], (pick // last[0]) % last[1])
    ranges = receptive_field(hw, layers, out_index)
    assert len(ranges) == len(layers) + 1
    for level, shape in enumerate(shapes):
        expected = _brute_force_region(shape, layers[level:], out_index)
        if expected is None:  # the cell sees only padding from this map: an empty range
            assert any(hi < lo for lo, hi in ranges[level]), (level, ranges[level])
        else:
            assert ranges[level] == expected, (level, shapes)


@settings(max_examples=60)
@given(
    st.lists(
        layer_specs.map(lambda s: dataclasses.replace(s, padding="valid")), min_size=1, max_size=4
    )
)
def test_receptive_field_size_matches_interior_field(layers):
    """Away from the borders (valid padding), the field's span equals receptive_field_size."""
    size = receptive_field_size(layers)
    # an input big enough that the first output cell is interior to nothing but the input
    hw = (size[0] + 8, size[1] + 8)
    try:
        stack_shapes(hw, layers)
    except ValueError:
        reject()
    (r0, r1), (c0, c1) = receptive_field(hw, layers, (0, 0))[0]
    assert (r1 - r0 + 1, c1 - c0 + 1) == size
