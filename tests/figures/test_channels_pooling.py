"""The Channels and Pooling pages' sentences and figures, as plain functions."""

from __future__ import annotations

import numpy as np

from playground.channels import channel_conv
from playground.figures import channel_words as words
from playground.figures import channels as figures
from playground.figures import pooling as pf
from playground.pool_trace import PoolSettings, pool_traces


def _book_conv():
    x = np.stack([np.arange(9.0).reshape(3, 3), np.arange(1.0, 10).reshape(3, 3)], -1)
    k = np.stack([np.arange(4.0).reshape(2, 2), np.arange(1.0, 5).reshape(2, 2)], -1)
    return channel_conv(x, k[..., None], bias=0.5)


def test_the_sum_line_names_each_channel_and_the_bias():
    """'R: … + G: … + b = value' with each channel's own sum."""
    text = words.cell_sum_text(_book_conv(), (0, 0), 0, ("R", "G"))
    assert text == "R: 19 + G: 37 + b 0.5 = 56.5"


def test_the_shapes_are_printed_with_their_numbers():
    """(H, W, C_in), (kh, kw, C_in, C_out) and (OH, OW, C_out), filled in."""
    assert words.shapes_sentence(_book_conv()) == (
        "Input (H, W, C_in) = (3, 3, 2) · kernel tensor (kh, kw, C_in, C_out) = (2, 2, 2, 1) "
        "· output (OH, OW, C_out) = (2, 2, 1)"
    )


def test_every_output_cell_hovers_its_arithmetic():
    """The output map's hover texts are the per-cell sums across channels."""
    conv = _book_conv()
    hover = figures.hover_texts(conv, 0, ("1", "2"))
    fig = figures.map_figure(conv.output[:, :, 0], title="out", hover=hover, cell=(1, 1))
    assert fig.data[0].customdata[1][1] == "1: 43 + 2: 77 + b 0.5 = 120.5"
    assert fig.layout.shapes[0].x0 == 0.5


def test_window_equations_write_out_the_max_and_the_average():
    """max(0, 1, 3, 4) = 4 and (0 + 1 + 3 + 4) / 4 = 2 on the book's 3x3."""
    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    top_left = pool_traces(x, PoolSettings((2, 2), (1, 1)))[0][0]
    assert pf.window_equation(top_left) == "max(0, 1, 3, 4) = 4"
    avg = pool_traces(x, PoolSettings((2, 2), (1, 1), mode="avg"))[0][0]
    assert pf.window_equation(avg) == "(0 + 1 + 3 + 4) / 4 = 2"


def test_the_pooled_figure_hovers_each_windows_equation():
    """Hovering output cell (1, 1) of the book's example reads max(4, 5, 7, 8) = 8."""
    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    settings = PoolSettings((2, 2), (1, 1))
    traces = pool_traces(x, settings)
    fig = pf.pooled_figure(np.array([[4, 5], [7, 8]]), traces, (0, 0), title="out")
    assert fig.data[0].customdata[1][1] == "max(4, 5, 7, 8) = 8"


def test_padding_cells_are_blank_in_the_input_figure():
    """'same' padding shows as empty cells, not as zeros."""
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    traces = pool_traces(x, PoolSettings((3, 3), (2, 2), "same"))
    fig = pf.padded_input_figure(x, ((0, 1), (0, 1)), traces, (1, 1), title="in")
    assert fig.data[0].text[4][4] == "" and fig.data[0].text[0][1] == "1"
