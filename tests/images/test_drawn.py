"""Tests for playground.images.drawn: the drawing canvas's cells <-> float32 grids."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from playground.images.drawn import (
    blank_drawing,
    drawing_bytes,
    drawing_from_payload,
    ink_to_input,
    resample_drawing,
)


def _b64(values: list[int]) -> str:
    return base64.b64encode(bytes(values)).decode()


def test_payload_bytes_become_clean_values_row_by_row():
    """0 -> 0, 255 -> 1, 128 -> 0.5 (two decimals), row-major, float32, no -0."""
    out = drawing_from_payload(_b64([0, 255, 128, 1]), rows=2, cols=2)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[0.0, 1.0], [0.5, 0.0]])
    assert not np.signbit(out).any()


def test_colour_payload_is_channels_last():
    """Three bytes per cell: a red cell is (1, 0, 0), a blue one (0, 0, 1)."""
    out = drawing_from_payload(_b64([255, 0, 0, 0, 0, 255]), rows=1, cols=2, channels=3)
    assert out.shape == (1, 2, 3)
    np.testing.assert_array_equal(out[0, 0], [1, 0, 0])
    np.testing.assert_array_equal(out[0, 1], [0, 0, 1])


@pytest.mark.parametrize(
    ("data", "kwargs", "error", "pattern"),
    [
        ("!!", {"rows": 1, "cols": 2}, ValueError, "not valid base64"),
        (_b64([0, 1, 2]), {"rows": 1, "cols": 2}, ValueError, "holds 3 bytes; a 1x2 drawing"),
        (_b64([0, 1]), {"rows": 1, "cols": 2, "channels": 2}, ValueError, "channels must be 1"),
        (_b64([0]), {"rows": 0, "cols": 1}, ValueError, "rows must be from 1 to 64"),
        (_b64([0]), {"rows": 65, "cols": 1}, ValueError, "rows must be from 1 to 64"),
        (b"AA==", {"rows": 1, "cols": 1}, TypeError, "data must be a base64 string"),
    ],
)
def test_bad_payloads_are_named(data, kwargs, error, pattern):
    """A payload the canvas could not have sent is refused with what was wrong."""
    with pytest.raises(error, match=pattern):
        drawing_from_payload(data, **kwargs)


def test_bytes_round_trip_the_values():
    """drawing_bytes is what the canvas paints; reading it back gives the same values."""
    values = np.array([[0.0, 1.0], [0.5, 0.25]], np.float32)
    raw = drawing_bytes(values)
    assert raw == bytes([0, 255, 128, 64])
    back = drawing_from_payload(base64.b64encode(raw).decode(), rows=2, cols=2)
    np.testing.assert_allclose(back, values, atol=0.005)


def test_resampling_to_the_same_grid_keeps_the_values():
    values = np.array([[0.0, 1.0], [0.5, 0.25]], np.float32)
    np.testing.assert_array_equal(resample_drawing(values, 2, 2), values)


def test_a_stroke_survives_shrinking_and_growing():
    """A one-cell-wide line on 16 is still there on 8 (averaged) and on 32 (blocks)."""
    values = np.zeros((16, 16), np.float32)
    values[:, 5] = 1.0
    small = resample_drawing(values, 8, 8)
    assert small.shape == (8, 8)
    np.testing.assert_array_equal(small[:, 2], 0.5)  # half of each 2x2 block was ink
    assert small.sum() == pytest.approx(values.sum() / 4)
    big = resample_drawing(values, 32, 32)
    np.testing.assert_array_equal(big[:, 10:12], 1.0)
    assert big.sum() == pytest.approx(values.sum() * 4)


def test_resampled_cells_hold_clean_numbers():
    """Two decimals at most, in [0, 1], never -0: the pages print these cells."""
    rng = np.random.default_rng(0)
    values = (rng.integers(0, 256, (16, 16)) / 255).astype(np.float32)
    out = resample_drawing(values, 12, 12)
    np.testing.assert_array_equal(out, np.round(out, 2))
    assert out.min() >= 0 and out.max() <= 1 and not np.signbit(out).any()


def test_colour_drawings_resample_per_channel():
    values = np.zeros((4, 4, 3), np.float32)
    values[..., 0] = 1.0  # all red
    out = resample_drawing(values, 2, 2)
    assert out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[..., 0], 1.0)
    np.testing.assert_array_equal(out[..., 1:], 0.0)


def test_ink_becomes_the_input_either_way():
    ink = np.array([[0.0, 1.0, 0.25]], np.float32)
    np.testing.assert_array_equal(ink_to_input(ink, "bright"), ink)
    dark = ink_to_input(ink, "dark")
    np.testing.assert_array_equal(dark, [[1.0, 0.0, 0.75]])
    assert not np.signbit(dark).any()
    with pytest.raises(ValueError, match="strokes must be 'bright' or 'dark'"):
        ink_to_input(ink, "grey")


def test_blank_drawings_have_the_grids_shape():
    assert blank_drawing(3, 5).shape == (3, 5)
    assert blank_drawing(3, 5, 3).shape == (3, 5, 3)
    assert not blank_drawing(2, 2).any()
