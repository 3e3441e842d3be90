"""Tests for playground.kernels: the named presets a student picks from."""

from __future__ import annotations

import re

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from playground.conv import conv2d
from playground.kernels import KERNELS, KernelPreset, get_kernel

NAMES = list(KERNELS)
BLURS = ["box_blur_3", "box_blur_5", "gaussian_3", "gaussian_5"]
EDGES = [
    "book_edge",
    "book_edge_t",
    "sobel_left",
    "sobel_right",
    "sobel_top",
    "sobel_bottom",
    "prewitt",
    "laplacian",
    "outline",
]


def test_registry_keys_are_preset_names():
    """KERNELS maps each preset's own name to it."""
    assert NAMES
    assert all(isinstance(p, KernelPreset) and p.name == name for name, p in KERNELS.items())


def test_book_edge_comes_first():
    """The picker opens on the book's kernel: it is the first preset."""
    assert NAMES[0] == "book_edge"


def test_book_edge_is_one_minus_one():
    """The book's edge preset is exactly [[1, -1]]."""
    assert_array_equal(KERNELS["book_edge"].weights, [[1, -1]])
    assert KERNELS["book_edge"].shape == (1, 2)


def test_book_edge_transposed():
    """The transposed preset is [[1], [-1]]."""
    assert_array_equal(KERNELS["book_edge_t"].weights, [[1], [-1]])


@pytest.mark.parametrize("name", NAMES)
def test_explanation_is_one_sentence_line(name):
    """Every preset has a title and a one-line explanation ending with a period."""
    preset = KERNELS[name]
    assert preset.title.strip()
    assert preset.explanation.strip() == preset.explanation
    assert "\n" not in preset.explanation
    assert preset.explanation.endswith(".")


@pytest.mark.parametrize("name", NAMES)
def test_weights_are_2d_float32(name):
    """Every preset's weights are a finite 2D float32 array."""
    weights = KERNELS[name].weights
    assert weights.ndim == 2
    assert weights.dtype == np.float32
    assert np.isfinite(weights).all()


@pytest.mark.parametrize("name", NAMES)
def test_shared_weights_are_read_only(name):
    """A preset's weights are shared by every session, so they cannot be written."""
    with pytest.raises(ValueError, match="read-only"):
        KERNELS[name].weights[0, 0] = 42


def test_preset_is_frozen():
    """A preset's fields cannot be reassigned."""
    with pytest.raises(AttributeError):
        KERNELS["identity"].weights = np.zeros((3, 3))


def test_preset_copies_its_input():
    """A preset built from a caller's array does not change when that array does."""
    source = np.ones((2, 2))
    preset = KernelPreset("tmp", "Tmp", "Temporary.", source)
    source[0, 0] = 5
    assert preset.weights[0, 0] == 1


@pytest.mark.parametrize("name", NAMES)
def test_get_kernel_returns_writable_copy(name):
    """get_kernel gives a writable float32 copy; editing it leaves the preset alone."""
    kernel = get_kernel(name)
    assert kernel.dtype == np.float32
    assert_array_equal(kernel, KERNELS[name].weights)
    kernel[0, 0] += 1
    assert kernel[0, 0] != KERNELS[name].weights[0, 0]


def test_identity_reproduces_input():
    """The identity kernel with 'same' padding returns the input unchanged."""
    x = np.random.default_rng(0).random((5, 7), dtype=np.float32)
    assert_array_equal(conv2d(x, get_kernel("identity"), padding="same"), x)


@pytest.mark.parametrize("name", BLURS)
def test_blurs_sum_to_one(name):
    """Blurs average: their weights sum to 1, so a flat image keeps its brightness."""
    assert_allclose(KERNELS[name].weights.sum(), 1.0, rtol=1e-6)
    assert (KERNELS[name].weights > 0).all()


@pytest.mark.parametrize("name", EDGES)
def test_edge_kernels_sum_to_zero(name):
    """Edge detectors sum to 0: a flat image gives 0 everywhere."""
    assert KERNELS[name].weights.sum() == 0
    # 0.7 is not exact in binary: float32 sums leave ~1e-7, not a detected edge
    assert_allclose(conv2d(np.full((6, 6), 0.7), KERNELS[name].weights), 0, atol=1e-6)


def test_gaussian_is_symmetric_and_peaks_in_the_middle():
    """The 5x5 Gaussian is symmetric with its largest weight in the centre."""
    g = KERNELS["gaussian_5"].weights
    assert_allclose(g, g.T)
    assert_allclose(g, g[::-1, ::-1])
    assert g.argmax() == 12


def test_sobel_left_lights_up_bright_to_dark():
    """sobel_left is positive where the image gets darker to the right (its explanation)."""
    x = np.zeros((3, 4), np.float32)
    x[:, :2] = 1  # bright left half, dark right half
    assert (conv2d(x, get_kernel("sobel_left")) > 0).all()


@pytest.mark.parametrize("name", ["nope", "", "Book_Edge", None, ["book_edge"], 3])
def test_get_kernel_unknown_name(name):
    """An unknown preset name is echoed with the list of names to choose from."""
    message = f"Unknown kernel preset {name!r}. Choose one of: {', '.join(KERNELS)}."
    with pytest.raises(ValueError, match=re.escape(message)):
        get_kernel(name)
