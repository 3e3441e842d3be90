"""Colour scales: signed data diverging around a white 0, non-negative data sequential from 0."""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures.colour_scales import (
    DIVERGING,
    SEQUENTIAL,
    choose_scale,
    to_codes,
)


def test_negative_values_give_a_symmetric_diverging_scale():
    """Any value below 0 -> diverging, centred on 0, running to the largest magnitude."""
    scale = choose_scale([[-0.5, 0.0], [0.25, 2.0]], contrast="full")
    assert scale.kind == DIVERGING
    assert (scale.low, scale.high) == (-2.0, 2.0)


def test_non_negative_values_give_a_sequential_scale_from_zero():
    """A box-blur output of 0.04-0.4 runs from 0 to 0.4, not on a fixed 0..1."""
    scale = choose_scale(np.array([[0.04, 0.1], [0.3, 0.4]], np.float32), contrast="full")
    assert scale.kind == SEQUENTIAL
    assert scale.low == 0.0
    assert scale.high == pytest.approx(0.4)


def test_values_above_one_stay_sequential():
    """The old rule called 0..8 'signed'; with no negative value it is sequential now."""
    assert choose_scale(np.arange(9.0).reshape(3, 3)).kind == SEQUENTIAL


def test_zero_is_white_on_a_diverging_scale_and_black_on_a_sequential_one():
    """Zero is the white middle of a diverging bar and the black end of a sequential one."""
    diverging = choose_scale([[-1, 1]])
    assert to_codes([[0.0]], diverging)[0, 0] == 128
    assert dict(diverging.stops)[0.5] == "#ffffff"
    sequential = choose_scale([[0, 3]])
    assert to_codes([[0.0]], sequential)[0, 0] == 0
    assert dict(sequential.stops)[0.0] == "#000000"


def test_clip_ends_the_scale_at_the_percentiles():
    """One extreme value no longer sets the scale: the bar ends at the 99th percentile."""
    values = np.linspace(-1, 1, 10_000).astype(np.float32)
    values[0] = -50.0
    full = choose_scale(values, contrast="full")
    clipped = choose_scale(values, contrast="clip")
    assert full.high == 50.0
    p1, p99 = np.percentile(values, [1, 99])
    assert clipped.high == pytest.approx(max(abs(p1), abs(p99)))
    assert clipped.clipped and not full.clipped


def test_clip_on_non_negative_keeps_zero_at_the_end():
    """Clipping a sequential map moves only its top end."""
    values = np.concatenate([np.linspace(0, 1, 999), [40.0]]).astype(np.float32)
    scale = choose_scale(values, contrast="clip")
    assert scale.low == 0.0
    assert scale.high == pytest.approx(np.percentile(values, 99))


def test_clip_that_changes_nothing_is_not_reported():
    """The book's -1/0/1 edge map has nothing beyond its percentiles: no clipping sentence."""
    scale = choose_scale([[-1, 0, 1, 0, 1, -1]], contrast="clip")
    assert not scale.clipped
    assert "clipped" not in scale.legend()


def test_auto_clips_photos_and_keeps_small_grids_in_full():
    """'auto' clips a 64x64 map and leaves an 8x8 one (whose numbers are written) in full."""
    rng = np.random.default_rng(0)
    big = rng.normal(size=(64, 64)).astype(np.float32)
    big[0, 0] = 100
    small = big[:8, :8]
    assert choose_scale(big).clipped
    assert not choose_scale(small).clipped


def test_legend_says_what_the_colours_mean():
    """The legend names the scale, where 0 is, and the range."""
    assert choose_scale([[1, -1]]).legend() == (
        "Diverging: blue negative, white 0, red positive (-1 to 1)."
    )
    assert choose_scale([[0.0, 0.5]]).legend() == "Sequential: 0 is black, 0.5 is white."
    assert choose_scale([[0.2, 0.5]]).legend().endswith("Values from 0.2 to 0.5.")
    assert choose_scale(np.full((3, 3), 1 / 9)).legend().endswith("Every value is 0.111.")


def test_legend_states_the_clipping_and_the_real_range():
    """A clipped legend gives the percentile rule and the data's own extremes."""
    values = np.concatenate([np.linspace(0, 1, 999), [40.0]]).astype(np.float32)
    legend = choose_scale(values, contrast="clip").legend()
    assert "clipped to the 1st–99th percentile" in legend
    assert "values from 0 to 40" in legend


def test_ticks_label_the_ends_and_zero():
    """A diverging bar is labelled at both ends and 0; a sequential one at 0 and its top."""
    assert [label for _, label in choose_scale([[1, -1]]).ticks()] == ["-1", "0", "1"]
    box_blur = np.full((3, 3), 1 / 9, np.float32)
    assert [label for _, label in choose_scale(box_blur).ticks()] == ["0", "0.111"]


def test_an_all_zero_map_still_has_a_bar():
    """Zeros only: a 0..1 sequential bar rather than a division by zero."""
    scale = choose_scale(np.zeros((4, 4)))
    assert (scale.kind, scale.low, scale.high) == (SEQUENTIAL, 0.0, 1.0)


def test_an_unknown_contrast_is_refused_with_the_choices():
    """A misspelt contrast names the allowed values."""
    with pytest.raises(ValueError, match=r"contrast must be one of .*'clip'.*got 'cilp'"):
        choose_scale([[1.0]], contrast="cilp")


def test_codes_clip_values_beyond_the_bar():
    """Values past the bar's ends take the end codes 0 and 255."""
    scale = choose_scale([[-1, 1]])
    assert to_codes([[-5, -1, 1, 5]], scale).tolist() == [[0, 0, 255, 255]]
