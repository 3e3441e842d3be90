"""The Receptive field page's figure, as plain functions."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.figures.receptive import (
    CHOSEN,
    HULL,
    MIN_MAP_PX,
    PICK_MARKERS_NAME,
    USED,
    map_layout,
    picked_cell,
    stack_figure,
)
from playground.receptive import (
    field_of,
    plan_stack,
)
from playground.shapes import LayerSpec


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
    pick = next(t for t in fig.data if t.name == PICK_MARKERS_NAME)
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
