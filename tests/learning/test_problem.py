"""Tests for playground.learning.problem: the Learn page's training pair and settings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.conv import corr2d
from playground.figures.learn import LOSS_TITLES, OPTIMIZER_TITLES
from playground.learning import problem as lv
from tests.conftest import REPO_ROOT

# ---------------------------------------------------------------- problems and settings


def test_book_problem_is_the_books_bars_and_edge_map():
    """The book's X is 6x8 with a black band in columns 2-5, Y = corr2d(X, [1, -1])."""
    p = lv.book_problem()
    assert p.x.shape == (6, 8) and p.kernel_hw == (1, 2)
    np.testing.assert_array_equal(p.x[0], [1, 1, 0, 0, 0, 0, 1, 1])
    np.testing.assert_array_equal(p.y, corr2d(p.x, [[1, -1]]))
    np.testing.assert_array_equal(p.y[0], [0, 1, 0, 0, 0, -1, 0])


def test_make_problem_targets_the_hidden_kernel():
    """y is the valid cross-correlation of x with the true kernel."""
    rng = np.random.default_rng(0)
    x, k = rng.random((9, 7)), rng.normal(size=(3, 3))
    p = lv.make_problem(x, k, title="random")
    np.testing.assert_allclose(p.y, corr2d(x, k), rtol=1e-5, atol=1e-5)
    assert p.kernel_hw == (3, 3) and p.title == "random"


def test_book_settings_are_the_books_run():
    """lr 0.03, summed loss, plain SGD, 10 steps, no clipping."""
    request = lv.learn_request(lv.book_problem(), lv.BOOK_SETTINGS)
    assert (request.lr, request.loss, request.optimizer, request.steps) == (0.03, "sum", "sgd", 10)
    assert request.clipnorm is None and request.kernel_hw == (1, 2)


def test_clipping_setting_becomes_clipnorm():
    """A non-zero clip choice is passed on as clipnorm; 0 means none."""
    settings = lv.LearnSettings(clipnorm=1.0, use_bias=True, seed=7)
    request = lv.learn_request(lv.book_problem(), settings)
    assert (request.clipnorm, request.use_bias, request.seed) == (1.0, True, 7)


def test_choices_are_what_learn_kernel_accepts():
    """Every optimizer and loss the page offers is one learn_kernel knows."""
    from playground.learning.learn import LOSSES, OPTIMIZERS

    assert set(OPTIMIZER_TITLES) == set(OPTIMIZERS)
    assert set(LOSS_TITLES) == set(LOSSES)
    assert 10.0 in lv.LEARNING_RATES and 0.03 in lv.LEARNING_RATES


def test_kernel_error_is_the_largest_absolute_difference():
    """max |learned - true| over the cells."""
    assert lv.kernel_error([[0.9, -1.2]], [[1, -1]]) == pytest.approx(0.2)


def test_module_needs_neither_tensorflow_nor_streamlit():
    """Importing the problem and the page's figures loads no TensorFlow and no Streamlit."""
    code = (
        "import sys; import playground.learning.problem, playground.figures.learn; "
        "print('tensorflow' in sys.modules, 'streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------- the 1x1 lesson and y-hat


def _rgb(seed=0, shape=(5, 6, 3)):
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def test_grey_problem_targets_the_luminance_weights():
    """y is R·0.299 + G·0.587 + B·0.114 per pixel; the hidden kernel is those three weights."""
    x = _rgb()
    p = lv.grey_problem(x, title="random colours")
    np.testing.assert_allclose(p.y, x @ np.float32([0.299, 0.587, 0.114]), rtol=1e-6)
    assert p.kernel_hw == (1, 3) and p.channels == 3
    np.testing.assert_allclose(p.true_kernel, [[0.299, 0.587, 0.114]], rtol=1e-6)


def test_grey_problem_refuses_anything_but_three_channels():
    """Two channels have no grey formula: the message says what is needed."""
    with pytest.raises(ValueError, match="3 channels"):
        lv.grey_problem(np.ones((2, 2, 2)), title="two")


def test_a_channel_request_lays_the_channels_side_by_side():
    """(H, W, 3) becomes (H, 3W) with a (1, 3) kernel and stride (1, 3): one pixel per window."""
    p = lv.grey_problem(_rgb(), title="t")
    request = lv.learn_request(p, lv.GREY_SETTINGS)
    assert request.x.shape == (5, 18) and request.kernel_hw == (1, 3)
    assert request.strides == (1, 3)
    np.testing.assert_array_equal(request.x[0, 3:6], p.x[0, 1])


def test_a_plain_request_keeps_stride_one():
    """One-channel problems are unchanged: stride 1, x as it is."""
    request = lv.learn_request(lv.book_problem(), lv.BOOK_SETTINGS)
    assert request.strides == 1 and request.x.shape == (6, 8)


def test_the_side_by_side_windows_are_the_1x1_convolution():
    """conv2d over the laid-out channels with stride (1, 3) equals the 1x1 conv over 3 channels."""
    from playground.conv import conv2d

    x, w = _rgb(1), np.float32([[0.2, -0.5, 1.5]])
    laid_out = conv2d(x.reshape(5, 18), w, strides=(1, 3))
    np.testing.assert_allclose(laid_out, conv2d(x, w.reshape(1, 1, 3, 1))[:, :, 0], rtol=1e-6)


def test_model_output_with_the_true_kernel_is_y():
    """y-hat with the hidden weights reproduces the target, for both kinds of problem."""
    book = lv.book_problem()
    np.testing.assert_array_equal(lv.model_output(book, book.true_kernel), book.y)
    grey = lv.grey_problem(_rgb(), title="t")
    np.testing.assert_allclose(lv.model_output(grey, grey.true_kernel), grey.y, rtol=1e-6)
    np.testing.assert_allclose(lv.model_output(book, book.true_kernel, 0.5), book.y + 0.5)


def test_resizes_is_false_for_an_image_no_larger_than_the_smallest_choice():
    """The 6x8 bars never change with a slider from 8; a 28x28 digit does."""
    assert not lv.resizes((6, 8), 8)
    assert lv.resizes((28, 28), 8)


@pytest.mark.slow
def test_the_1x1_lesson_learns_the_grey_weights():
    """The recommended run on the 48-px astronaut ends within 0.02 of (0.299, 0.587, 0.114)."""
    from playground.images.rgb import load_sample_rgb

    p = lv.grey_problem(load_sample_rgb("astronaut", max_side=lv.GREY_SIDE), title="astronaut")
    steps = list(lv.learn_request(p, lv.GREY_SETTINGS).start())
    assert len(steps) == lv.GREY_SETTINGS.steps
    assert lv.kernel_error(steps[-1].kernel, p.true_kernel) < 0.02
    assert steps[-1].loss < steps[0].loss / 1000


@pytest.mark.slow
def test_the_learned_1x1_output_matches_tensorflow():
    """y-hat of the laid-out run equals tf.nn.conv2d with the learned (1, 1, 3, 1) kernel."""
    from playground.learning.runtime import load_tensorflow

    tf = load_tensorflow()
    p = lv.grey_problem(_rgb(2, (6, 7, 3)), title="t")
    last = list(
        lv.learn_request(
            p, lv.LearnSettings(lr=1.0, optimizer="momentum", loss="mean", steps=5)
        ).start()
    )[-1]
    expected = tf.nn.conv2d(p.x[None], last.kernel.reshape(1, 1, 3, 1), 1, "VALID")[0, :, :, 0]
    np.testing.assert_allclose(
        lv.model_output(p, last.kernel), expected.numpy(), rtol=1e-5, atol=1e-6
    )
