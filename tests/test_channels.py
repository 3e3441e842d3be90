"""playground.channels: channel planes, per-channel maps, their sum, the 1x1 mix (D2L 5.3)."""

from __future__ import annotations

import numpy as np
import pytest

from playground import channels as ch
from playground.book.examples import book_kernel_stack, channel_examples
from playground.images.rgb import parse_channels


def _random(seed, shape):
    return np.random.default_rng(seed).normal(size=shape).astype(np.float32)


def test_split_channels_gives_each_plane():
    """An (H, W, 3) array splits into its three (H, W) planes."""
    x = _random(0, (4, 5, 3))
    planes = ch.split_channels(x)
    assert len(planes) == 3
    for c, plane in enumerate(planes):
        np.testing.assert_array_equal(plane, x[:, :, c])


def test_split_channels_refuses_a_2d_array():
    """A grey image has no channel axis: the message names x."""
    with pytest.raises(ValueError, match="x"):
        ch.split_channels(np.ones((3, 3)))


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("strides", [1, 2])
def test_the_maps_plus_bias_sum_to_the_output(padding, strides):
    """Each output channel is the sum over input channels of their maps, plus its bias."""
    x, k = _random(1, (7, 6, 3)), _random(2, (3, 2, 3, 2))
    conv = ch.channel_conv(x, k, bias=[0.5, -1.0], strides=strides, padding=padding)
    np.testing.assert_allclose(conv.maps.sum(axis=2) + conv.bias, conv.output, atol=1e-5)
    assert conv.kernel_shape == (3, 2, 3, 2)
    assert conv.output_shape == (*conv.output.shape[:2], 2)


@pytest.mark.slow
@pytest.mark.parametrize("padding", ["valid", "same"])
def test_channel_conv_and_every_map_match_tensorflow(padding):
    """Output and each per-channel map equal tf.nn.conv2d (the map: one channel's kernel alone)."""
    from playground.learning.runtime import load_tensorflow

    tf = load_tensorflow()
    x, k = _random(3, (6, 7, 3)), _random(4, (3, 3, 3, 2))
    conv = ch.channel_conv(x, k, padding=padding)
    expected = tf.nn.conv2d(x[None], k, 1, padding.upper())[0].numpy()
    np.testing.assert_allclose(conv.output, expected, rtol=1e-5, atol=1e-5)
    for c in range(3):
        only = np.zeros_like(k)
        only[:, :, c] = k[:, :, c]
        one = tf.nn.conv2d(x[None], only, 1, padding.upper())[0].numpy()
        np.testing.assert_allclose(conv.maps[:, :, c, :], one, rtol=1e-5, atol=1e-5)


def test_a_cell_across_channels_is_the_books_19_plus_37():
    """The book's two-channel cell (0, 0): 19 from channel 1, 37 from channel 2, 56 in all."""
    x = parse_channels(["0 1 2\n3 4 5\n6 7 8", "1 2 3\n4 5 6\n7 8 9"], names=("1", "2"))
    k = np.stack([np.arange(4.0).reshape(2, 2), np.arange(1.0, 5).reshape(2, 2)], -1)
    cell = ch.channel_cell(ch.channel_conv(x, k[..., None], bias=1.0), (0, 0), 0)
    assert cell.sums == (19.0, 37.0) and cell.bias == 1.0 and cell.value == 57.0
    assert cell.traces[1].equation() == "1×1 + 2×2 + 4×3 + 5×4 = 37"


def test_a_cell_outside_the_output_channels_is_refused():
    """Asking for output channel 2 of a one-channel layer names the range."""
    conv = ch.channel_conv(np.ones((3, 3, 2)), np.ones((2, 2, 2, 1)))
    with pytest.raises(ValueError, match="from 0 to 0"):
        ch.channel_cell(conv, (0, 0), 1)


def test_clamp_cell_and_channel_pull_choices_inside():
    """A remembered row 9 of an output that shrank to 3 rows becomes row 2."""
    assert ch.clamp_cell((9, -1), (3, 4)) == (2, 0)
    assert ch.clamp_channel(5, 2) == 1


def test_presets_fit_any_number_of_channels():
    """Every stack preset builds for 1, 2 and 3 input channels."""
    for name in ch.STACK_PRESETS:
        for c in (1, 2, 3):
            assert ch.stack_preset(name, c).shape[2] == c


def test_book_preset_is_k_plus_channel_plus_output():
    """D2L's stacks: K + c for input channel c, and K + 1, K + 2 for outputs 2 and 3."""
    stacks = [ch.stack_preset("book", 2, o) for o in range(3)]
    kernel = ch.stack_kernel(stacks)
    np.testing.assert_array_equal(np.transpose(kernel, (3, 2, 0, 1)), book_kernel_stack())


def test_stacks_of_different_sizes_are_explained():
    """A 2x2 stack beside a 3x3 one is no layer: the sentence says why and what to do."""
    with pytest.raises(ValueError, match="same size, as one layer has one kernel size; got 2×2"):
        ch.stack_kernel([ch.stack_preset("book", 3), ch.stack_preset("blur", 3)])


def test_grey_mix_needs_three_channels():
    """The grey weights are for R, G, B: two channels get a sentence."""
    with pytest.raises(ValueError, match="needs 3 channels; this input has 2"):
        ch.mix_weights("grey", 2)


def test_swap_mix_trades_the_first_and_last_channel():
    """R <-> B leaves G alone."""
    x = _random(5, (2, 2, 3))
    check = ch.conv1x1_check(x, ch.mix_weights("swap_rb", 3))
    np.testing.assert_array_equal(check.by_conv, x[:, :, ::-1])


@pytest.mark.parametrize("c_out", [1, 2, 4])
def test_1x1_convolution_is_a_matrix_multiply(c_out):
    """conv2d with a (1, 1, C_in, C_out) kernel equals (H*W, C_in) @ (C_in, C_out)."""
    check = ch.conv1x1_check(_random(6, (5, 4, 3)), _random(7, (3, c_out)))
    assert check.equal and check.by_conv.shape == (5, 4, c_out)
    np.testing.assert_allclose(check.by_conv, check.by_matmul, rtol=1e-5, atol=1e-6)


def test_the_books_channel_numbers():
    """56, 72, 104, 120; the three-output stack; 1x1 = matmul: all match the book."""
    examples = {e.key: e for e in channel_examples()}
    np.testing.assert_array_equal(examples["two_channels"].computed, [[56, 72], [104, 120]])
    assert all(e.matches for e in examples.values())
    assert book_kernel_stack().shape == (3, 2, 2, 2)


def test_typed_channels_of_different_shapes_are_explained():
    """A 2x2 red beside a 3x3 green: one sentence naming both shapes."""
    with pytest.raises(ValueError, match="same number of rows and columns; got R 2×2, G 3×3"):
        parse_channels(["1 2\n3 4", "1 2 3\n4 5 6\n7 8 9"], names=("R", "G"))
