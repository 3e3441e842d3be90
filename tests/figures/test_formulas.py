"""The formulas and Keras code pages write out."""

from __future__ import annotations

import numpy as np
import pytest

from playground import conv2d
from playground.figures.formulas import axis_latex, keras_code
from playground.settings import ConvSettings, shape_formula


def test_formula_shows_dilation():
    """With dilation the kernel term is written as ((k-1)·d+1)."""
    s = ConvSettings(kernel=np.ones((3, 3)), dilation_rate=2)
    height, _ = shape_formula((9, 9), s)
    assert height.k_eff == 5
    assert "((3-1)\\cdot 2+1)" in axis_latex(height)
    assert axis_latex(height).endswith("= 5")


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
    code = keras_code(x.shape, settings, x=x)
    assert "tf.keras.layers.Conv2D" in code and "random" not in code
    namespace: dict = {}
    exec(code, {"print": lambda *a: None}, namespace)  # run as the student copies it
    expected = conv2d(x, settings.weights, **settings.conv_kwargs())
    np.testing.assert_allclose(namespace["Y"].numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.slow
def test_the_code_for_a_large_input_loads_the_downloaded_npy(tmp_path, monkeypatch):
    """Above 64 numbers the code loads input.npy (the page's download) and reproduces conv2d."""
    x = np.random.default_rng(1).random((12, 10)).astype(np.float32)
    settings = SETTINGS[1]
    code = keras_code(x.shape, settings, x=x)
    assert 'np.load("input.npy")' in code
    monkeypatch.chdir(tmp_path)
    np.save(tmp_path / "input.npy", x)  # what playground.to_npy_bytes writes
    namespace: dict = {}
    exec(code, {"print": lambda *a: None}, namespace)
    expected = conv2d(x, settings.weights, **settings.conv_kwargs())
    np.testing.assert_allclose(namespace["Y"].numpy(), expected, rtol=1e-5, atol=1e-5)


def test_small_inputs_are_written_into_the_code_exactly():
    """The numbers on the screen, each the shortest text of its float32."""
    x = np.array([[0.1, 2], [3, -0.25]], np.float32)
    code = keras_code(x.shape, ConvSettings(kernel=[[1, -1]]), x=x)
    assert "np.array([[0.1, 2], [3, -0.25]], dtype=np.float32).reshape(1, 2, 2, 1)" in code
