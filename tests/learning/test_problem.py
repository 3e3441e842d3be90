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
