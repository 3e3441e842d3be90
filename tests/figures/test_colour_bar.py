"""Plotly maps follow the one colour convention: the scale, its colour bar, its pictures."""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures import channels as cf
from playground.figures import colour_bar as cb
from playground.figures import pooling as pf
from playground.figures.colour_scales import DIVERGING_STOPS, choose_scale
from playground.figures.grid import grid_figure
from playground.pool_trace import PoolSettings, pool_traces


def _bar(fig):
    """The figure's one colour bar (on the heatmap, or on the picture's bar-only scatter)."""
    traces = [t for t in fig.data if t.type in ("heatmap", "scatter")]
    for trace in traces:
        if trace.type == "heatmap" and trace.showscale:
            return trace.colorbar
        if trace.type == "scatter" and trace.marker.showscale:
            return trace.marker.colorbar
    raise AssertionError("no colour bar")


def test_a_non_negative_map_runs_from_black_zero_to_its_own_max():
    """A blur output of 0.04-0.4 is drawn 0 black .. 0.4 white, not on a fixed 0..1."""
    heat = grid_figure(np.array([[0.04, 0.1], [0.3, 0.4]], np.float32)).data[0]
    assert heat.colorscale[0] == (0.0, "#000000") and heat.colorscale[-1] == (1.0, "#ffffff")
    assert heat.zmin == 0.0 and heat.zmax == pytest.approx(0.4)
    assert list(heat.colorbar.ticktext) == ["0", "0.4"]


def test_a_signed_map_is_symmetric_with_white_at_zero():
    heat = grid_figure(np.array([[-0.5, 0.0], [0.25, 2.0]], np.float32)).data[0]
    assert (heat.zmin, heat.zmax) == (-2.0, 2.0)
    assert dict(map(tuple, heat.colorscale))[0.5] == "#ffffff"
    assert list(heat.colorbar.tickvals) == [-2.0, 0.0, 2.0]
    assert list(heat.colorbar.ticktext) == ["-2", "0", "2"]


def test_the_colour_bar_is_thin_and_lies_under_the_grid():
    bar = _bar(grid_figure(np.eye(3)))
    assert bar.orientation == "h" and bar.thickness <= 10
    assert bar.y == 0 and bar.yanchor == "top"  # below the plot area, not over the grid


def test_a_large_map_is_a_picture_on_the_same_scale_with_its_own_bar():
    """The picture's pixels come through the scale's lookup table, zero white when signed."""
    x = np.zeros((40, 40), np.float32)
    x[0, 0], x[0, 1] = -3.0, 3.0
    fig = grid_figure(x, contrast="full")
    assert fig.data[0].type == "image"
    assert list(_bar(fig).ticktext) == ["-3", "0", "3"]
    rgb = cb.to_rgb(x, choose_scale(x, contrast="full"))
    assert min(rgb[5, 5]) >= 254  # 0 is code 128 of 0..255: white within one step
    assert rgb[0, 0].tolist() == [0x21, 0x66, 0xAC] and rgb[0, 1].tolist() == [0xB2, 0x18, 0x2B]


def test_the_lookup_table_matches_the_browsers_interpolation():
    """The ends are the stops' colours; code 64 is 1/255 past the first quarter stop, so
    (as colour.js computes) 1/63.75 of the way from #92c5de to white, rounded half up."""
    table = cb.lookup_table(DIVERGING_STOPS)
    assert table[0].tolist() == [0x21, 0x66, 0xAC] and table[255].tolist() == [0xB2, 0x18, 0x2B]
    f = (64 / 255 - 0.25) / 0.25
    expected = [int(a + (255 - a) * f + 0.5) for a in (0x92, 0xC5, 0xDE)]
    assert table[64].tolist() == expected
    assert min(table[128]) >= 254


def test_clip_mode_ends_the_bar_at_the_99th_percentile_and_says_so():
    """A photo's edge map with one extreme value: the bar ends before it, the legend says so."""
    x = np.linspace(0, 1, 100 * 100, dtype=np.float32).reshape(100, 100)
    x[0, 0] = 50.0
    full = grid_figure(x, contrast="full")
    clipped = grid_figure(x, contrast="clip")
    assert list(_bar(full).ticktext)[-1] == "50"
    assert float(list(_bar(clipped).tickvals)[-1]) < 1.0
    assert "1st–99th percentile" in choose_scale(x, contrast="clip").legend()


def test_a_channel_plane_is_its_tint_from_black_at_zero():
    """The red plane runs 0 black .. its max full red, and the legend says it."""
    plane = np.array([[0.0, 0.25], [0.5, 0.5]], np.float32)
    heat = cf.plane_figure(plane, 0, title="R").data[0]
    assert [list(s) for s in heat.colorscale] == [[0.0, "#000000"], [1.0, "#ff0000"]]
    assert (heat.zmin, heat.zmax) == (0.0, 0.5)
    assert list(heat.colorbar.ticktext) == ["0", "0.5"]
    assert cf.plane_legend(plane, 0) == "Sequential: 0 is black, 0.5 is full red."


def test_a_signed_channel_plane_is_diverging():
    heat = cf.plane_figure(np.array([[-1.0, 2.0]], np.float32), 1, title="G").data[0]
    assert (heat.zmin, heat.zmax) == (-2.0, 2.0)


def test_a_large_channel_plane_is_a_tinted_picture():
    plane = np.full((30, 30), 0.5, np.float32)
    plane[0, 0] = 1.0
    fig = cf.plane_figure(plane, 2, title="B")
    assert fig.data[0].type == "image" and list(_bar(fig).ticktext) == ["0", "1"]
    rgb = cb.to_rgb(plane, choose_scale(plane, contrast="full"), cb.CHANNEL_TINTS[2])
    assert rgb[0, 0].tolist() == [0x00, 0x50, 0xFF] and rgb[1, 1, 0] == 0


def test_a_channels_maps_share_one_scale():
    """With the shared scale, a map and the sum are drawn on the same range."""
    scale = cb.shared_scale(np.array([[0.0, 1.0]]), np.array([[-4.0, 2.0]]))
    a = cf.map_figure(np.array([[0.0, 1.0]], np.float32), title="a", scale=scale).data[0]
    b = cf.map_figure(np.array([[-4.0, 2.0]], np.float32), title="b", scale=scale).data[0]
    assert (a.zmin, a.zmax) == (b.zmin, b.zmax) == (-4.0, 4.0)


def test_a_non_negative_channel_is_sequential_on_its_shared_scale():
    """With shared_scale, a channel whose maps are all non-negative is 0 black .. max."""
    scale = cb.shared_scale(np.array([[0.0, 1.0]]), np.array([[0.5, 2.0]]))
    heat = cf.map_figure(np.array([[0.0, 1.0]], np.float32), title="a", scale=scale).data[0]
    assert (heat.zmin, heat.zmax) == (0.0, 2.0) and heat.colorscale[0][1] == "#000000"


def test_pooling_input_and_output_share_the_inputs_scale():
    """The book's 0..8 pooled to 4..8: both on 0..8, so a cell has its window's colour."""
    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    traces = pool_traces(x, PoolSettings(strides=(1, 1)))
    output = np.array([[t.value for t in row] for row in traces])
    scale = pf.input_scale(x)
    inp = pf.padded_input_figure(x, ((0, 0), (0, 0)), traces, (0, 0), title="in", scale=scale)
    out = pf.pooled_figure(output, traces, (0, 0), title="out", scale=scale)
    assert (inp.data[0].zmin, inp.data[0].zmax) == (out.data[0].zmin, out.data[0].zmax) == (0, 8)
    assert list(out.data[0].colorbar.ticktext) == ["0", "8"]
