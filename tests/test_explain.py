"""Settings, the shape formula with numbers, and the generated TensorFlow code."""

from __future__ import annotations

import numpy as np
import pytest

from playground import conv2d, output_shape
from playground.explain import ConvSettings, keras_code, run_conv, shape_formula


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
    assert "floor((8 - 5 + 2 + 4) / 4) = 2" in width.text


def test_formula_shows_dilation():
    """With dilation the kernel term is written as ((k-1)·d+1)."""
    s = ConvSettings(kernel=np.ones((3, 3)), dilation_rate=2)
    height, _ = shape_formula((9, 9), s)
    assert height.k_eff == 5
    assert "((3-1)\\cdot 2+1)" in height.latex
    assert height.latex.endswith("= 5")


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


SETTINGS = [
    ConvSettings(kernel=[[1, -1]]),
    ConvSettings(kernel=np.arange(9).reshape(3, 3) - 4, padding="same", strides=2, bias=0.25),
    ConvSettings(kernel=[[1, 2], [3, 4]], padding="full", flip=True),
    ConvSettings(kernel=[[1, 2, 3]], padding=((0, 1), (2, 0)), dilation_rate=(1, 2), bias=-1),
]


@pytest.mark.slow
@pytest.mark.parametrize("settings", SETTINGS)
def test_generated_keras_code_reproduces_conv2d(settings):
    """The copyable TensorFlow code, run as is on our input, gives conv2d's numbers."""
    x = np.random.default_rng(0).random((6, 7)).astype(np.float32)
    code = keras_code(x.shape, settings)
    assert "tf.keras.layers.Conv2D" in code
    namespace: dict = {}
    # swap the placeholder input for ours, leave every other line as the student sees it
    code = code.replace("tf.random.uniform((1, 6, 7, 1))", "tf.constant(x_in)")
    exec(code, {"x_in": x.reshape(1, 6, 7, 1), "print": lambda *a: None}, namespace)
    expected = conv2d(x, settings.weights, **settings.conv_kwargs())
    np.testing.assert_allclose(namespace["Y"].numpy(), expected, rtol=1e-5, atol=1e-5)
