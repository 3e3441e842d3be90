"""playground.receptive: the receptive-field numbers of a stack, as plain functions."""

from __future__ import annotations

import numpy as np
import pytest

from playground import conv2d
from playground.figures.formulas import term_latex, term_text
from playground.figures.receptive import (
    map_label,
)
from playground.receptive import (
    field_of,
    plan_stack,
    receptive_field,
    receptive_field_size,
    rf_terms,
)
from playground.shapes import LayerSpec

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
                    np.ones(layer.kernel_hw, np.float32),
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
    assert term_text(terms[2]).endswith(
        "r3 = r2 + (k3 - 1)·d3·j2 = 5 + (3 - 1)·1·2 = 9; j3 = j2·s3 = 2·1 = 2"
    )
    assert "5 + (3-1)\\cdot 1\\cdot 2 = 9" in term_latex(terms[2])


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
    assert map_label(plan, 2) == ("Layer 2 output", "8×8", "each cell sees 5×5")


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
