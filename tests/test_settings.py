"""Settings, the shape formula with numbers, and the generated TensorFlow code."""

from __future__ import annotations

import numpy as np
import pytest

from playground import conv2d, output_shape
from playground.figures.formulas import axis_text
from playground.settings import ConvSettings, run_conv, shape_formula


def test_settings_normalise_once():
    """Ints become pairs, an int padding becomes explicit sides, the kernel becomes floats."""
    s = ConvSettings(kernel=[[1, -1]], strides=2, padding=1, dilation_rate=1, bias=0)
    assert s.strides == (2, 2)
    assert s.padding == ((1, 1), (1, 1))
    assert s.kernel == ((1.0, -1.0),)
    assert s.kernel_hw == (1, 2)


def test_settings_are_hashable_for_caching():
    """Equal settings hash equal, so pages can cache on them."""
    assert hash(ConvSettings(kernel=[[1, 2]])) == hash(ConvSettings(kernel=((1.0, 2.0),)))


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_settings_reject_non_finite_bias(bad):
    """A NaN or infinite bias is refused with its name in the message."""
    with pytest.raises(ValueError, match="bias must be a finite number"):
        ConvSettings(bias=bad)


def test_formula_matches_output_shape():
    """Each axis' numbers give exactly output_shape's answer."""
    s = ConvSettings(kernel=np.ones((3, 5)), strides=(3, 4), padding=(0, 1))
    height, width = shape_formula((8, 8), s)
    assert (height.out, width.out) == output_shape((8, 8), (3, 5), strides=(3, 4), padding=(0, 1))
    assert (width.pad_before, width.pad_after) == (1, 1)
    assert "floor((8 - 5 + 2 + 4) / 4) = 2" in axis_text(width)


def test_formula_raises_for_empty_output():
    """An impossible setting raises the same ValueError as output_shape."""
    with pytest.raises(ValueError, match="larger than the padded input"):
        shape_formula((2, 2), ConvSettings(kernel=np.ones((3, 3))))


def test_run_conv_pads_and_correlates():
    """run_conv's output equals conv2d; its padded input has the padding rows."""
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    s = ConvSettings(kernel=[[1, 0], [0, -1]], padding="same", strides=2, bias=0.5)
    result = run_conv(x, s)
    np.testing.assert_array_equal(result.output, conv2d(x, s.weights, **s.conv_kwargs()))
    assert result.padded.shape == (3 + sum(result.pads[0]), 4 + sum(result.pads[1]))
