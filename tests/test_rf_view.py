"""playground.rf_view: the receptive-field numbers and figure, as plain functions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from playground import conv2d
from playground.rf_view import (
    CHOSEN,
    HULL,
    MIN_MAP_PX,
    PICK_TRACE_NAME,
    USED,
    field_of,
    map_layout,
    picked_cell,
    plan_stack,
    rf_terms,
    stack_figure,
)
from playground.shapes import LayerSpec, receptive_field, receptive_field_size

STACKS = [
    (12, [LayerSpec(3), LayerSpec(3)]),
    (12, [LayerSpec(3), LayerSpec(3, strides=2), LayerSpec(3)]),
    (16, [LayerSpec(5, padding="same"), LayerSpec(3, strides=2, dilation_rate=2)]),
    (9, [LayerSpec(2, strides=2, padding="same"), LayerSpec(3, dilation_rate=3, padding="same")]),
    (20, [LayerSpec(3, dilation_rate=2), LayerSpec(4, strides=3), LayerSpec(1), LayerSpec(2)]),
]


def _touches(n: int, layers: list[LayerSpec], cell: tuple[int, int]) -> np.ndarray:
    """Oracle: which input cells change output ``cell`` when set to 1, through real convs."""
    hits = np.zeros((n, n), dtype=bool)
    for a in range(n):
        for b in range(n):
            x = np.zeros((n, n), np.float32)
            x[a, b] = 1.0
            for layer in layers:
                x = conv2d(
                    x,
                    np.ones(layer.kernel, np.float32),
                    strides=layer.strides,
                    padding=layer.padding,
                    dilation_rate=layer.dilation_rate,
                )
            hits[a, b] = x[cell] > 0
    return hits


def test_terms_follow_the_recurrence_with_their_numbers():
    """3x3, then 3x3 stride 2, then 3x3: r = 3, 5, 9 and j = 1, 2, 2."""
    terms = rf_terms([LayerSpec(3), LayerSpec(3, strides=2), LayerSpec(3)])
    assert [(t.r, t.j) for t in terms] == [(3, 1), (5, 2), (9, 2)]
    assert terms[2].text.endswith(
        "r3 = r2 + (k3 - 1)·d3·j2 = 5 + (3 - 1)·1·2 = 9; j3 = j2·s3 = 2·1 = 2"
    )
    assert "5 + (3-1)\\cdot 1\\cdot 2 = 9" in terms[2].latex


@pytest.mark.parametrize(("n", "layers"), STACKS)
def test_last_term_equals_receptive_field_size(n, layers):
    """The written-out recurrence ends where shapes.receptive_field_size does."""
    plan = plan_stack(n, layers)
    assert (plan.terms[-1].r, rf_terms(layers, axis=1)[-1].r) == receptive_field_size(layers)
    assert plan.field_size == receptive_field_size(layers)


def test_plan_gives_every_maps_shape_and_the_middle_cell():
    """12 -> 10 -> 8 for two valid 3x3 layers; the page starts on output cell (4, 4)."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(3)])
    assert plan.shapes == ((12, 12), (10, 10), (8, 8))
    assert plan.middle_cell == (4, 4)
    assert plan.map_label(2) == ("Layer 2 output", "8×8", "each cell sees 5×5")


def test_impossible_stack_names_the_layer():
    """Three 3x3 layers on a 6x6 input: layer 3 has nothing left to slide over."""
    with pytest.raises(ValueError, match=r"^Layer 3: Kernel \(3, 3\) is larger than the padded"):
        plan_stack(6, [LayerSpec(3)] * 3)


def test_empty_stack_is_refused():
    """A stack needs a layer."""
    with pytest.raises(ValueError, match="at least one layer"):
        plan_stack(8, [])


def test_two_3x3_layers_see_a_5x5_patch():
    """The middle output cell of two 3x3 layers reads rows and columns 4..8 of a 12x12 input."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(3)])
    field = field_of(plan, plan.middle_cell)
    assert field.input_range == ((4, 8), (4, 8))
    assert field.input_extent == (5, 5) and field.input_cells_used == 25
    assert not (field.clipped or field.has_holes or field.sees_no_input)


@pytest.mark.parametrize(("n", "layers"), STACKS)
def test_masks_match_real_convolutions(n, layers):
    """The cells marked for every output cell are exactly those a conv stack reads."""
    plan = plan_stack(n, layers)
    for cell in np.ndindex(*plan.output_hw):
        field = field_of(plan, cell)
        np.testing.assert_array_equal(field.masks[0], _touches(n, layers, cell), err_msg=str(cell))


@pytest.mark.parametrize(("n", "layers"), STACKS)
def test_ranges_agree_with_shapes_receptive_field(n, layers):
    """The frame drawn on each map is shapes.receptive_field, and it bounds the marked cells."""
    plan = plan_stack(n, layers)
    field = field_of(plan, plan.middle_cell)
    assert list(field.ranges) == receptive_field(n, layers, plan.middle_cell)
    for mask, ((r0, r1), (c0, c1)) in zip(field.masks, field.ranges, strict=True):
        rows, cols = np.nonzero(mask)
        assert (rows.min(), rows.max(), cols.min(), cols.max()) == (r0, r1, c0, c1)


def test_dilation_leaves_holes():
    """A 3x3 kernel dilated by 2 reads every other cell of a 5x5 span: 9 of 25."""
    plan = plan_stack(8, [LayerSpec(3, dilation_rate=2)])
    field = field_of(plan, (0, 0))
    assert field.input_extent == (5, 5) and field.input_cells_used == 9
    assert field.has_holes
    assert field.masks[0][0, :5].tolist() == [True, False, True, False, True]


def test_border_cell_is_clipped_by_padding():
    """With 'same' padding the corner cell's 5x5 field keeps only its 3x3 real part."""
    plan = plan_stack(8, [LayerSpec(3, padding="same")] * 2)
    field = field_of(plan, (0, 0))
    assert field.clipped and field.input_extent == (3, 3)


def test_cell_seeing_only_padding():
    """A dilated 2-tap kernel on a 2x2 map with 'same' padding: both taps land in padding."""
    plan = plan_stack(4, [LayerSpec(3), LayerSpec(2, dilation_rate=4, padding="same")])
    field = field_of(plan, (0, 0))
    assert field.sees_no_input and not field.clipped
    assert field.input_extent == (0, 0)


def test_cell_outside_the_output_is_clamped():
    """A stale row/column from a larger stack falls back inside the output."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(3)])
    assert field_of(plan, (50, -3)).cell == (7, 0)


def test_figure_has_one_grid_per_map_and_pick_markers_on_the_last():
    """Input + 2 layers: three heatmaps and 8x8 invisible markers carrying [row, col]."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(3)])
    field = field_of(plan, (1, 6))
    fig = stack_figure(plan, field)
    assert isinstance(fig, go.Figure)
    heatmaps = [t for t in fig.data if t.type == "heatmap"]
    assert len(heatmaps) == 3
    assert np.asarray(heatmaps[2].z)[1, 6] == CHOSEN
    assert (np.asarray(heatmaps[0].z) == USED).sum() == 25
    pick = next(t for t in fig.data if t.name == PICK_TRACE_NAME)
    assert len(pick.x) == 64 and pick.xaxis == "x3"
    assert list(pick.customdata[14]) == [1, 6]
    titles = [a.text for a in fig.layout.annotations]
    assert "each cell sees 5×5" in titles[2]


def test_figure_marks_skipped_cells_inside_the_span():
    """Dilation: cells between the taps are drawn as 'inside the span, not read'."""
    plan = plan_stack(8, [LayerSpec(3, dilation_rate=2)])
    fig = stack_figure(plan, field_of(plan, (0, 0)))
    z = np.asarray(fig.data[0].z)
    assert z[0, 1] == HULL and z[0, 0] == USED


def test_every_map_gets_the_same_cell_size():
    """y domains shrink with the map's height, x slots are at least the map's width."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(3, strides=2)])
    fig = stack_figure(plan, field_of(plan, plan.middle_cell))
    for index, (h, _) in enumerate(plan.shapes, start=1):
        axis = fig.layout[f"yaxis{index if index > 1 else ''}"]
        assert axis.domain[1] - axis.domain[0] == pytest.approx(h / 12)


def test_small_maps_get_room_for_their_titles():
    """A 1x1 output still gets a column wide enough for its title."""
    plan = plan_stack(12, [LayerSpec(3), LayerSpec(5, strides=2), LayerSpec(3)])
    assert plan.output_hw == (1, 1)
    cell, slots = map_layout(plan, width_px=1400)
    assert slots[-1] * cell >= MIN_MAP_PX
    assert all(s >= w for s, (_, w) in zip(slots, plan.shapes, strict=True))


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([{"customdata": [2, 5], "x": 5, "y": 2}], (2, 5)),
        ([{"x": 3.0, "y": 1.0}], (1, 3)),
        ([{"customdata": "junk"}, {"x": 0, "y": 4}], (4, 0)),
        ([{"curve_number": 0}], None),
        ([], None),
    ],
)
def test_picked_cell_reads_a_selection(points, expected):
    """Row and column from customdata, else from x/y; malformed points are skipped."""
    assert picked_cell(points) == expected
