"""The Pooling page in AppTest, driven by widget keys."""

from __future__ import annotations

import json

from tests.page_harness import page_app


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_books_first_example_opens_with_its_window_written_out():
    """0..8, 2x2 max, stride 1: output (2, 2) and max(0, 1, 3, 4) = 4."""
    at = page_app("pooling").run()
    text = _markdown(at)
    assert "Output shape: (2, 2)" in text
    assert "max(0, 1, 3, 4) = 4" in text


def test_average_pooling_writes_the_mean_out():
    """Average, cell (1, 1): (4 + 5 + 7 + 8) / 4 = 6."""
    at = page_app("pooling").run()
    at.radio(key="pool_mode").set_value("avg")
    at.number_input(key="pool_row").set_value(1)
    at.number_input(key="pool_col").set_value(1).run()
    assert "(4 + 5 + 7 + 8) / 4 = 6" in _markdown(at)


def test_the_books_numbers_are_shown_and_match():
    """[[4, 5], [7, 8]], [[2, 3], [5, 6]], [[5, 7], [13, 15]] and two channels, all ✓."""
    text = _markdown(page_app("pooling").run())
    for numbers in (
        "[[4, 5], [7, 8]]",
        "[[2, 3], [5, 6]]",
        "[[5, 7], [13, 15]]",
        "[[11, 12], [15, 16]]",
    ):
        assert f"`{numbers}` ✓ matches the book" in text
    assert "differs" not in text


def test_the_shift_test_counts_the_changed_cells():
    """The book's reason for pooling, in numbers: 24 of 42 cells change, 0 of 9 after pooling."""
    text = _markdown(page_app("pooling").run())
    assert "changes 24 of the 42 cells of its edge map, and 0 of the 9 cells" in text


def test_conv_then_pool_prints_the_shape_at_each_stage():
    """The 4x4 of 0..15, 2x2 max with stride 2 after [1, -1]: 4x4 -> 4x3 -> 2x1."""
    at = page_app("pooling", query={"matrix": "0 1 2 3\n4 5 6 7\n8 9 10 11\n12 13 14 15"})
    at.run()
    at.slider(key="pool_stride").set_value(2).run()
    assert "Input 4×4 → convolution 4×3 → pooling 2×1" in _markdown(at)
    assert "Output shape: (2, 2)" in _markdown(at)


def test_two_channels_are_pooled_separately_with_their_shapes():
    """x and x + 1: shape (3, 3, 2) in, (2, 2, 2) out."""
    at = page_app("pooling").run()
    assert any("(3, 3, 2) → output shape (2, 2, 2)" in c.value for c in at.caption)


def test_a_window_larger_than_the_input_is_one_plain_sentence():
    """A 5x5 window on the 3x3 input with 'valid': no traceback, the sentence says why."""
    at = page_app("pooling").run()
    at.slider(key="pool_window").set_value(5).run()
    assert not at.exception
    assert any("no window fits" in w.value for w in at.warning)
    at.selectbox(key="pool_pad").set_value("same").run()
    assert not at.warning


def test_hovering_an_output_cell_reads_its_window():
    """The output figure's hover text is each window's arithmetic."""
    at = page_app("pooling").run()
    hovers = [
        trace["customdata"]
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("customdata")
    ]
    assert hovers[0] == [
        ["max(0, 1, 3, 4) = 4", "max(1, 2, 4, 5) = 5"],
        ["max(3, 4, 6, 7) = 7", "max(4, 5, 7, 8) = 8"],
    ]


def test_a_rectangular_window_with_a_stride_per_axis():
    """0..8, a 1x2 average window moving (1, 2): three windows down, one across."""
    at = page_app("pooling").run()
    at.toggle(key="pool_rect").set_value(True).run()
    at.slider(key="pool_window").set_value(1)
    at.slider(key="pool_window_w").set_value(2)
    at.slider(key="pool_stride").set_value(1)
    at.slider(key="pool_stride_w").set_value(2)
    at.radio(key="pool_mode").set_value("avg")
    at.number_input(key="pool_row").set_value(2).run()
    text = _markdown(at)
    assert "Output shape: (3, 1)" in text
    assert "(6 + 7) / 2 = 6.5" in text
    captions = "\n".join(c.value for c in at.caption)
    assert "height: floor((3 - 1 + 0 + 1) / 1) = 3" in captions
    assert "width: floor((3 - 2 + 0 + 2) / 2) = 1" in captions
    assert "the 1×2 window" in captions


def test_a_rectangular_window_with_same_padding_gives_tensorflows_shape():
    """A 2x3 max window, strides (2, 1), 'same' on the 3x3: ceil(3/2) x ceil(3/1) = (2, 3)."""
    at = page_app("pooling").run()
    at.toggle(key="pool_rect").set_value(True).run()
    at.slider(key="pool_window").set_value(2)
    at.slider(key="pool_window_w").set_value(3)
    at.slider(key="pool_stride").set_value(2)
    at.selectbox(key="pool_pad").set_value("same").run()
    assert not at.exception and not at.warning
    assert "Output shape: (2, 3)" in _markdown(at)


def test_padding_as_wide_as_a_one_cell_window_side_is_one_sentence():
    """A 1x3 window with padding 1: some windows would be padding only; the page says so."""
    at = page_app("pooling").run()
    at.toggle(key="pool_rect").set_value(True).run()
    at.slider(key="pool_window").set_value(1)
    at.slider(key="pool_window_w").set_value(3)
    at.selectbox(key="pool_pad").set_value("1").run()
    assert not at.exception
    assert any("cover only padding" in w.value for w in at.warning)


def test_every_map_has_a_colour_bar_and_its_legend():
    """The input and output share the input's sequential 0..8 bar; the legend is written."""
    at = page_app("pooling").run()
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    first = specs[0]["data"][0]
    assert first["showscale"] and first["colorbar"]["ticktext"] == ["0", "8"]
    assert specs[1]["data"][0]["colorbar"]["ticktext"] == ["0", "8"]
    captions = [c.value for c in at.caption]
    assert "Input and output: Sequential: 0 is black, 8 is white." in captions


def test_a_link_opens_the_rectangular_window():
    """The window's columns and the stride across travel in the link with the toggle."""
    query = {"pool_rect": "true", "pool_window": "1", "pool_window_w": "2", "pool_stride_w": "2"}
    at = page_app("pooling", query=query).run()
    assert at.slider(key="pool_window_w").value == 2
    assert "Output shape: (3, 1)" in _markdown(at)
