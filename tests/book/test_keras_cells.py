"""Tests for playground.book.keras_cells: the book's TensorFlow cells on Keras 3."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.book import keras_cells as book_tf
from playground.conv import conv2d
from playground.learning.runtime import load_keras, load_tensorflow

pytestmark = pytest.mark.slow


def test_book_corr2d_tf_gives_the_books_output():
    """In [7]: corr2d of the 3x3 and 2x2 integer tensors is [[19, 25], [37, 43]]."""
    tf = load_tensorflow()
    X = tf.constant([[0, 1, 2], [3, 4, 5], [6, 7, 8]])
    K = tf.constant([[0, 1], [2, 3]])
    Y = book_tf.book_corr2d_tf(X, K)
    assert isinstance(Y, tf.Variable)
    np.testing.assert_array_equal(Y.numpy(), [[19, 25], [37, 43]])


def test_book_corr2d_tf_finds_the_books_edges():
    """In [15]: the bars image and [[1, -1]] give +1 and -1 at the two edges."""
    tf = load_tensorflow()
    X = np.ones((6, 8), np.float32)
    X[:, 2:6] = 0
    Y = book_tf.book_corr2d_tf(tf.constant(X), tf.constant([[1.0, -1.0]])).numpy()
    np.testing.assert_array_equal(Y[0], [0, 1, 0, 0, 0, -1, 0])


def test_book_conv2d_is_a_keras_layer_with_the_books_weights():
    """BookConv2D is a Keras Layer with w of the kernel's shape and b of shape (1,)."""
    keras = load_keras()
    layer = book_tf.BookConv2D((2, 3), seed=0)
    layer(np.zeros((4, 5), np.float32))
    assert isinstance(layer, keras.layers.Layer)
    assert [tuple(w.shape) for w in layer.weights] == [(2, 3), (1,)]


def test_book_conv2d_matches_playground_conv2d():
    """With the same weights, BookConv2D equals conv2d(x, w, bias=b)."""
    x = np.random.default_rng(0).random((5, 6), dtype=np.float32)
    w = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)
    layer = book_tf.BookConv2D((2, 2))
    layer(x)
    layer.set_weights([w, np.array([0.25], np.float32)])
    np.testing.assert_allclose(layer(x).numpy(), conv2d(x, w, bias=0.25), rtol=1e-6)


def test_book_conv2d_seed_is_reproducible():
    """Two layers with the same seed start with the same weights."""
    a, b = book_tf.BookConv2D((2, 2), seed=4), book_tf.BookConv2D((2, 2), seed=4)
    x = np.zeros((3, 3), np.float32)
    a(x), b(x)
    np.testing.assert_array_equal(a.get_weights()[0], b.get_weights()[0])


def test_book_loop_as_printed_fails_on_keras_3():
    """In [22] as printed: g.watch(conv2d.weights[0]) raises Keras 3's error (docs/facts.md)."""
    error = book_tf.run_book_loop_as_printed(seed=0)
    assert error is not None
    kind, message = error
    assert kind == "ValueError"
    assert message.startswith("Passed in object <Variable ")
    assert "of type 'Variable', not tf.Tensor or tf.Variable" in message


def test_book_loop_as_printed_prints_nothing(capfd):
    """The as-printed run keeps its print output to itself."""
    book_tf.run_book_loop_as_printed(seed=1)
    assert capfd.readouterr().out == ""


def test_fixed_book_loop_learns_the_edge_kernel(capfd):
    """The Keras 3 form of In [22] reaches about [1, -1] in 10 steps, printing nothing."""
    result = book_tf.run_book_loop_fixed(seed=0, steps=10, lr=3e-2)
    assert [step for step, _ in result.lines] == [2, 4, 6, 8, 10]
    losses = [loss for _, loss in result.lines]
    assert losses == sorted(losses, reverse=True)
    assert result.kernel.shape == (1, 2)
    np.testing.assert_allclose(result.kernel, [[1, -1]], atol=0.1)
    assert capfd.readouterr().out == ""


def test_fixed_book_loop_converges_with_more_steps():
    """With 40 steps every seed reaches [1, -1] closely."""
    for seed in range(3):
        kernel = book_tf.run_book_loop_fixed(seed=seed, steps=40).kernel
        np.testing.assert_allclose(kernel, [[1, -1]], atol=0.01)


@pytest.mark.parametrize(
    ("kernel_size", "padding", "strides", "expected"),
    [(3, "same", 1, (8, 8)), (3, "same", 2, (4, 4)), ((3, 5), "valid", (3, 4), (2, 1))],
)
def test_keras_output_shapes_match_the_book(kernel_size, padding, strides, expected):
    """In [28], [32], [33]: a real Keras Conv2D on 8x8 gives (8, 8), (4, 4), (2, 1)."""
    assert book_tf.keras_conv_output_shape((8, 8), kernel_size, padding, strides) == expected


def test_keras_output_shape_rejects_other_paddings():
    """Keras' Conv2D takes only 'valid' and 'same'; others are explained."""
    with pytest.raises(ValueError, match=r"padding must be 'valid' or 'same' .* got 'full'"):
        book_tf.keras_conv_output_shape((8, 8), 3, "full", 1)


def test_import_does_not_load_tensorflow_or_keras():
    """Importing playground.book.keras_cells loads neither TensorFlow nor Keras."""
    code = (
        "import sys, playground.book.keras_cells; "
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
