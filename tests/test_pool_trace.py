"""playground.pool_trace: every pooling window, the shift test, conv then pool (D2L 5.4)."""

from __future__ import annotations

import numpy as np
import pytest

from playground.book.examples import pool_examples
from playground.book.inputs import bars
from playground.pool_trace import (
    PoolSettings,
    conv_then_pool,
    pool_traces,
    shift_demo,
    shift_image,
    two_channels,
)
from playground.pooling import pool2d, pool_geometry

SETTINGS = [
    PoolSettings((2, 2), (1, 1), "valid", "max"),
    PoolSettings((2, 2), (1, 1), "valid", "avg"),
    PoolSettings((3, 3), (2, 2), "same", "max"),
    PoolSettings((3, 3), (2, 2), "same", "avg"),
    PoolSettings((2, 3), (2, 1), "valid", "max"),
]


def _values(traces):
    return np.array([[t.value for t in row] for row in traces], np.float32)


@pytest.mark.parametrize("settings", SETTINGS)
def test_every_window_gives_pool2ds_value(settings):
    """The traces' values are pool2d's output, window by window."""
    x = np.random.default_rng(0).normal(size=(7, 6)).astype(np.float32)
    expected = pool2d(x, settings.size, **settings.kwargs())
    np.testing.assert_array_equal(_values(pool_traces(x, settings)), expected)


@pytest.mark.slow
@pytest.mark.parametrize("settings", SETTINGS)
def test_the_traces_match_tensorflows_pooling(settings):
    """Against tf.nn.max_pool2d / tf.nn.avg_pool2d with the same window, stride and padding."""
    from playground.learning.runtime import load_tensorflow

    tf = load_tensorflow()
    x = np.random.default_rng(1).normal(size=(7, 6)).astype(np.float32)
    pool = tf.nn.max_pool2d if settings.mode == "max" else tf.nn.avg_pool2d
    expected = pool(x[None, :, :, None], settings.size, settings.strides, settings.padding.upper())[
        0, :, :, 0
    ]
    np.testing.assert_allclose(_values(pool_traces(x, settings)), expected.numpy(), rtol=1e-6)


def test_the_winner_is_the_windows_max_and_padding_never_counts():
    """On 0..15 with 'same' the last window has padding; its max is a real cell."""
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    traces = pool_traces(x, PoolSettings((3, 3), (2, 2), "same", "max"))
    last = traces[1][1]
    assert last.winner == (3, 3) and last.value == 15
    assert np.isnan(last.values).sum() == 5 and last.counted.size == 4


def test_average_leaves_padding_out_of_the_count():
    """The same corner averaged: (10 + 11 + 14 + 15) / 4, not / 9."""
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    last = pool_traces(x, PoolSettings((3, 3), (2, 2), "same", "avg"))[1][1]
    assert last.value == 12.5 and last.winner is None


def test_a_window_larger_than_the_input_is_explained():
    """A 4x4 window on a 3x3 input with 'valid': no window fits, and the sentence says so."""
    with pytest.raises(ValueError, match=r"pooling window 4×4 is larger than the padded input"):
        pool_geometry((3, 3), 4)


def test_the_books_pooling_numbers():
    """[[4, 5], [7, 8]], [[2, 3], [5, 6]], [[5, 7], [13, 15]], two channels: all match."""
    examples = {e.key: e for e in pool_examples()}
    np.testing.assert_array_equal(examples["max_2x2"].computed, [[4, 5], [7, 8]])
    np.testing.assert_array_equal(examples["avg_2x2"].computed, [[2, 3], [5, 6]])
    np.testing.assert_array_equal(examples["pad1_stride2"].computed, [[5, 7], [13, 15]])
    assert all(e.matches for e in examples.values())


def test_two_channels_are_pooled_separately():
    """x and x + 1 pooled: two output channels, the second one more than the first."""
    x = np.arange(16, dtype=np.float32).reshape(4, 4)
    out = pool2d(two_channels(x), 2)
    assert out.shape == (2, 2, 2)
    np.testing.assert_array_equal(out[:, :, 1], out[:, :, 0] + 1)


def test_shift_image_repeats_the_edge():
    """Moved left by one: the last column repeats."""
    np.testing.assert_array_equal(shift_image([[1, 2, 3]], (0, -1)), [[2, 3, 3]])
    with pytest.raises(ValueError, match="shift must be smaller"):
        shift_image([[1, 2, 3]], (0, 3))


def test_pooling_hides_a_one_pixel_shift_of_the_bars():
    """The book's reason: 24 of 42 edge cells change, none after 2x2 max pooling, stride 2."""
    demo = shift_demo(bars(), [[1, -1]], (0, -1), PoolSettings((2, 2), (2, 2), "valid", "max"))
    assert (demo.changed_before, demo.edges.size) == (24, 42)
    assert (demo.changed_after, demo.pooled.size) == (0, 9)


def test_conv_then_pool_reports_each_stage():
    """The bars: 6x8 -> [1, -1] valid 6x7 -> 2x2 max, stride 2: 3x3."""
    stages = conv_then_pool(bars(), [[1, -1]], pool=PoolSettings((2, 2), (2, 2)))
    assert stages.shapes == ((6, 8), (6, 7), (3, 3))
    np.testing.assert_array_equal(stages.pooled, pool2d(stages.conv_output, 2))


def _random_rectangles(n: int, seed: int) -> list[tuple[PoolSettings, tuple[int, int]]]:
    """Random rectangular windows (kh != kw), strides per axis, paddings, modes and inputs."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < n:
        kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
        if kh == kw:
            continue
        strides = tuple(int(v) for v in rng.integers(1, 4, size=2))
        padding = str(rng.choice(["valid", "same"]))
        mode = str(rng.choice(["max", "avg"]))
        shape = (int(rng.integers(max(kh, 2), 10)), int(rng.integers(max(kw, 2), 10)))
        cases.append((PoolSettings((kh, kw), strides, padding, mode), shape))
    return cases


@pytest.mark.slow
@pytest.mark.parametrize(("settings", "shape"), _random_rectangles(12, seed=14))
def test_rectangular_windows_match_tensorflow(settings, shape):
    """ksize=[kh, kw] and a stride per axis, "valid" and "same": pool2d, the traces and
    tf.nn.max_pool2d / tf.nn.avg_pool2d agree cell by cell."""
    from playground.learning.runtime import load_tensorflow

    tf = load_tensorflow()
    x = np.random.default_rng(sum(shape)).normal(size=shape).astype(np.float32)
    pool = tf.nn.max_pool2d if settings.mode == "max" else tf.nn.avg_pool2d
    expected = pool(
        x[None, :, :, None], list(settings.size), list(settings.strides), settings.padding.upper()
    )[0, :, :, 0].numpy()
    np.testing.assert_allclose(pool2d(x, settings.size, **settings.kwargs()), expected, rtol=1e-6)
    np.testing.assert_allclose(_values(pool_traces(x, settings)), expected, rtol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("size", "strides"), [((2, 3), (2, 1)), ((3, 2), (1, 2)), ((2, 4), (1, 1))]
)
def test_explicit_padding_with_a_rectangular_max_window_matches_tensorflow(size, strides):
    """The page's "1 on every side": padded cells never win a max, as in TensorFlow's
    explicit padding for max_pool2d."""
    from playground.learning.runtime import load_tensorflow

    tf = load_tensorflow()
    x = np.random.default_rng(3).normal(size=(5, 6)).astype(np.float32) - 5.0  # all negative
    expected = tf.nn.max_pool2d(
        x[None, :, :, None], list(size), list(strides), [[0, 0], [1, 1], [1, 1], [0, 0]]
    )[0, :, :, 0].numpy()
    settings = PoolSettings(size, strides, 1, "max")
    np.testing.assert_array_equal(_values(pool_traces(x, settings)), expected)


def test_a_rectangular_window_traces_its_cells_and_shape_per_axis():
    """A 1x2 window with strides (1, 2) on 0..8: three rows of one window, two cells each."""
    x = np.arange(9, dtype=np.float32).reshape(3, 3)
    traces = pool_traces(x, PoolSettings((1, 2), (1, 2), "valid", "avg"))
    assert [[t.value for t in row] for row in traces] == [[0.5], [3.5], [6.5]]
    assert traces[2][0].values.shape == (1, 2) and traces[2][0].top_left == (2, 0)
    assert pool_geometry((3, 3), (1, 2), strides=(1, 2)).output_hw == (3, 1)


@pytest.mark.parametrize("size", [1, (1, 2), (3, 1)])
def test_a_padding_as_wide_as_the_window_is_explained(size):
    """With a 1-cell side and padding 1, a corner window would be padding only (TensorFlow
    refuses it too): one sentence, not an all-NaN max."""
    with pytest.raises(ValueError, match=r"as wide as the window's 1 (rows|columns)"):
        pool_geometry((4, 4), size, padding=1)
