"""The shared grid style and the grid figure, as functions."""

from __future__ import annotations

import numpy as np

from playground.figures import grid as figures
from playground.figures import palette


def test_small_arrays_are_numeric_heatmaps_with_values_in_cells():
    """A 3x3 grid is a heatmap whose cell texts are the values."""
    fig = figures.grid_figure(np.arange(9, dtype=np.float32).reshape(3, 3) / 8)
    trace = fig.data[0]
    assert trace.type == "heatmap"
    assert list(trace.text[0]) == ["0", "0.12", "0.25"]


def test_signed_arrays_use_a_symmetric_diverging_scale():
    """Values outside [0, 1] get the blue-white-red scale centred on zero."""
    fig = figures.grid_figure(np.array([[-2.0, 1.0]]))
    assert (fig.data[0].zmin, fig.data[0].zmax) == (-2.0, 2.0)
    assert fig.data[0].colorscale[0][1] != "#000000"


def test_large_arrays_are_sent_as_a_small_jpeg():
    """A 512x512 map becomes one image trace of well under 150 kB, not 262k numbers."""
    rng = np.random.default_rng(0)
    smooth = np.cumsum(rng.random((512, 512)), axis=1)
    fig = figures.grid_figure(smooth / smooth.max())
    trace = fig.data[0]
    assert trace.type == "image"
    assert trace.source.startswith("data:image/jpeg;base64,")
    assert len(fig.to_json()) < 150_000


def test_padding_is_shaded_and_the_input_outlined():
    """mark_padding adds a shaded band per padded side and a dashed outline."""
    fig = figures.grid_figure(np.zeros((5, 6)))
    figures.mark_padding(fig, (5, 6), ((1, 1), (2, 0)))
    shaded = [s for s in fig.layout.shapes if s.fillcolor == palette.PADDING_FILL]
    outline = [s for s in fig.layout.shapes if s.line.dash == "dash"]
    assert len(shaded) == 3 and len(outline) == 1
    assert (outline[0].x0, outline[0].x1, outline[0].y0, outline[0].y1) == (1.5, 5.5, 0.5, 3.5)


def test_padding_bands_cover_the_padding_only():
    """Top, bottom, left and right bands; sides without padding give no band."""
    assert figures.padding_bands((5, 6), ((1, 1), (2, 0))) == [
        ((0, 0), (0, 5)),
        ((4, 4), (0, 5)),
        ((1, 3), (0, 1)),
    ]
    assert figures.padding_bands((3, 3), ((0, 0), (0, 0))) == []
