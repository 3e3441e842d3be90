"""Tests for playground.learning.learn: learning a kernel by gradient descent (D2L 5.1.4)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground.conv import conv2d, corr2d
from playground.learning.learn import Diverged, LearnStep, learn_kernel
from playground.learning.steps import compiled_graph_count

pytestmark = pytest.mark.slow

SOBEL_X = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], np.float32)


def book_xy():
    """The book's 6x8 bars image and its edge map under [[1, -1]]."""
    x = np.ones((6, 8), np.float32)
    x[:, 2:6] = 0
    return x, corr2d(x, [[1, -1]])


def sobel_xy(size=12, **conv_kwargs):
    x = np.random.default_rng(1).random((size, size), dtype=np.float32)
    return x, conv2d(x, SOBEL_X, **conv_kwargs)


@pytest.mark.parametrize("seed", range(10))
def test_book_example_converges_for_every_seed(seed):
    """The book's settings (lr 3e-2, summed loss, SGD) reach [1, -1] within 60 steps."""
    x, y = book_xy()
    steps = list(learn_kernel(x, y, (1, 2), lr=3e-2, steps=60, seed=seed))
    assert len(steps) == 60
    np.testing.assert_allclose(steps[-1].kernel, [[1, -1]], atol=0.05)
    assert steps[-1].loss < steps[0].loss


def test_steps_are_plain_frozen_records():
    """Each LearnStep has a 1-based step, floats and a float32 kernel copy."""
    x, y = book_xy()
    first, second = list(learn_kernel(x, y, (1, 2), steps=2))
    assert (first.step, second.step) == (1, 2)
    assert first.kernel.dtype == np.float32 and first.kernel.shape == (1, 2)
    assert isinstance(first.loss, float) and isinstance(first.grad_norm, float)
    assert first.bias == 0.0
    assert not np.shares_memory(first.kernel, second.kernel)
    with pytest.raises(AttributeError):
        first.loss = 0.0


def test_same_seed_gives_identical_runs():
    """Two runs with the same seed yield the same losses and kernels."""
    x, y = book_xy()
    a = list(learn_kernel(x, y, (1, 2), steps=5, seed=3))
    b = list(learn_kernel(x, y, (1, 2), steps=5, seed=3))
    assert [s.loss for s in a] == [s.loss for s in b]
    assert all(np.array_equal(s.kernel, t.kernel) for s, t in zip(a, b, strict=True))


def test_chunking_does_not_change_the_numbers(monkeypatch):
    """Steps computed one per call or many per call are bitwise identical."""
    from playground.learning import steps as learn_steps

    x, y = sobel_xy()
    kwargs = {"optimizer": "adam", "lr": 0.1, "steps": 40, "use_bias": True}
    chunked = list(learn_kernel(x, y, (3, 3), **kwargs))
    monkeypatch.setattr(learn_steps, "MAX_CHUNK", 1)
    single = list(learn_kernel(x, y, (3, 3), **kwargs))
    assert [s.loss for s in chunked] == [s.loss for s in single]
    assert np.array_equal(chunked[-1].kernel, single[-1].kernel)


def test_different_seeds_start_differently():
    """Different seeds give different initial kernels, hence different first losses."""
    x, y = book_xy()
    first = [next(iter(learn_kernel(x, y, (1, 2), steps=1, seed=s))) for s in (0, 1)]
    assert first[0].loss != first[1].loss
    assert not np.array_equal(first[0].kernel, first[1].kernel)


def test_huge_learning_rate_on_pixels_diverges_cleanly():
    """0-255 pixels at lr 0.1 raise Diverged with a student sentence; nothing non-finite."""
    x = np.random.default_rng(0).integers(0, 256, (16, 16)).astype(np.float32)
    y = conv2d(x, SOBEL_X)
    seen = []
    with pytest.raises(
        Diverged, match=r"^Training diverged at step \d+: the (loss|gradient) became (infinite|NaN)"
    ):
        for step in learn_kernel(x, y, (3, 3), lr=0.1, steps=200):
            seen.append(step)
    assert all(np.isfinite(s.loss) and np.isfinite(s.kernel).all() for s in seen)


def test_diverged_message_suggests_a_smaller_rate_and_clipping():
    """The message names a tenth of the rate and gradient clipping."""
    x = np.full((8, 8), 255.0, np.float32)
    with pytest.raises(Diverged, match=r"Lower the learning rate \(try 0\.1\) or turn on grad"):
        list(learn_kernel(x, np.zeros((6, 6)), (3, 3), lr=1.0, steps=100))


def test_diverged_is_an_arithmetic_error():
    """Diverged is an ArithmeticError, not a ValueError (the arguments were valid)."""
    assert issubclass(Diverged, ArithmeticError) and not issubclass(Diverged, ValueError)


def test_clipping_keeps_the_same_run_finite():
    """With clipnorm the 0-255 run that diverged stays finite."""
    x = np.random.default_rng(0).integers(0, 256, (16, 16)).astype(np.float32)
    steps = list(learn_kernel(x, conv2d(x, SOBEL_X), (3, 3), lr=0.01, steps=50, clipnorm=1.0))
    assert np.isfinite(steps[-1].loss)


def test_bias_is_learned_with_use_bias():
    """A target with bias 0.5 is matched with use_bias=True."""
    x, y = sobel_xy()
    last = list(learn_kernel(x, y + 0.5, (3, 3), optimizer="adam", lr=0.1, steps=300,
                             use_bias=True, loss="mean"))[-1]  # fmt: skip
    assert last.bias == pytest.approx(0.5, abs=0.05)
    np.testing.assert_allclose(last.kernel, SOBEL_X, atol=0.1)


@pytest.mark.parametrize(("optimizer", "lr"), [("adam", 0.1), ("momentum", 0.05)])
def test_adam_and_momentum_learn_a_sobel_kernel(optimizer, lr):
    """Adam and momentum recover a hidden 3x3 Sobel kernel from a random image."""
    x, y = sobel_xy()
    last = list(learn_kernel(x, y, (3, 3), optimizer=optimizer, lr=lr, steps=300, loss="mean"))
    np.testing.assert_allclose(last[-1].kernel, SOBEL_X, atol=0.05)


def test_mean_loss_is_sum_over_cells():
    """loss='mean' reports the summed loss divided by the number of output cells."""
    x, y = book_xy()
    total = next(iter(learn_kernel(x, y, (1, 2), steps=1, loss="sum"))).loss
    mean = next(iter(learn_kernel(x, y, (1, 2), steps=1, loss="mean"))).loss
    assert mean == pytest.approx(total / y.size, rel=1e-5)


@pytest.mark.parametrize(
    ("strides", "padding"), [(1, "same"), (2, "same"), ((2, 1), "valid"), (1, "full"), (2, 1)]
)
def test_padding_and_strides_learning(strides, padding):
    """Targets made with padding/strides are learned back to the Sobel kernel."""
    x, y = sobel_xy(16, strides=strides, padding=padding)
    last = list(learn_kernel(x, y, (3, 3), optimizer="adam", lr=0.1, steps=300, loss="mean",
                             strides=strides, padding=padding))[-1]  # fmt: skip
    np.testing.assert_allclose(last.kernel, SOBEL_X, atol=0.05)


@pytest.mark.parametrize(
    ("shape", "kernel", "strides", "padding"),
    [((13, 7), (3, 2), 2, "same"), ((17, 33), (5, 1), (3, 2), "valid"), ((5, 9), (2, 4), 1, 2)],
)
def test_first_loss_matches_numpy(shape, kernel, strides, padding):
    """Step 1's loss is the summed squared error of the seeded initial kernel, by numpy."""
    rng = np.random.default_rng(2)
    x = rng.random(shape, dtype=np.float32)
    y = conv2d(x, rng.normal(size=kernel), strides=strides, padding=padding)
    first = next(iter(learn_kernel(x, y, kernel, steps=1, seed=5, strides=strides,
                                   padding=padding)))  # fmt: skip
    k0 = np.random.default_rng(5).normal(0.0, 0.05, kernel).astype(np.float32)
    expected = np.sum((conv2d(x, k0, strides=strides, padding=padding) - y) ** 2)
    assert first.loss == pytest.approx(float(expected), rel=1e-5)


def test_compiled_graph_count_stays_bounded_over_varied_sizes():
    """Runs of many image/kernel sizes, strides and paddings trace each step once."""
    rng = np.random.default_rng(0)
    for i in range(30):
        h, w = rng.integers(6, 40, 2)
        k = tuple(int(v) for v in rng.integers(1, 5, 2))
        kwargs = {"strides": int(rng.integers(1, 3)), "padding": ["valid", "same", 1][i % 3]}
        x = rng.random((h, w), dtype=np.float32)
        y = conv2d(x, rng.normal(size=k), **kwargs)
        list(learn_kernel(x, y, k, steps=2, optimizer=("sgd", "adam")[i % 2], **kwargs))
    assert 1 <= compiled_graph_count() <= 3


def test_import_does_not_load_tensorflow():
    """Importing playground.learning.learn leaves TensorFlow unloaded."""
    code = "import sys, playground.learning.learn; print('tensorflow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_nothing_is_printed(capfd):
    """A run writes nothing to stdout."""
    x, y = book_xy()
    list(learn_kernel(x, y, (1, 2), steps=3))
    assert capfd.readouterr().out == ""


def test_validation_happens_at_call_time():
    """Bad arguments raise when learn_kernel is called, before any iteration."""
    x, y = book_xy()
    with pytest.raises(ValueError, match="steps must be at least 1; got 0"):
        learn_kernel(x, y, (1, 2), steps=0)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"lr": 0}, ValueError, r"lr must be a finite number greater than 0; got 0\. Try 0\.03"),
        ({"lr": float("nan")}, ValueError, "lr must be a finite number greater than 0; got nan"),
        ({"lr": "fast"}, TypeError, "lr must be a number; got 'fast'"),
        ({"steps": 2.5}, TypeError, "steps must be a whole number; got 2.5"),
        ({"optimizer": "rmsprop"}, ValueError, "optimizer must be one of 'sgd', 'momentum', "),
        ({"loss": "l1"}, ValueError, "loss must be one of 'sum', 'mean'; got 'l1'"),
        ({"clipnorm": -1}, ValueError, "clipnorm must be a finite number greater than 0"),
        ({"seed": "a"}, TypeError, "seed must be a whole number or None; got 'a'"),
        ({"kernel_shape": (7, 2)}, ValueError, r"kernel_shape \(7, 2\) is larger than the pad"),
        ({"kernel_shape": "ab"}, TypeError, "kernel_shape must be an int or a pair of ints"),
        ({"y": np.zeros((6, 8))}, ValueError, r"y has shape \(6, 8\), but x of shape \(6, 8\)"),
        ({"x": np.ones(5)}, ValueError, r"x must be a non-empty 2D array \(H, W\); got shape"),
        ({"x": np.full((6, 8), np.nan)}, ValueError, "x contains NaN or infinite values at 48"),
        ({"y": np.full((6, 7), np.inf)}, ValueError, "y contains NaN or infinite values"),
        ({"padding": "half"}, ValueError, "padding must be 'valid', 'same', 'full'"),
        ({"strides": 0}, ValueError, "strides must be at least 1"),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, match):
    """Each invalid argument raises an error naming it, the rule and the value."""
    x, y = book_xy()
    args = {"x": x, "y": y, "kernel_shape": (1, 2), **kwargs}
    with pytest.raises(error, match=match):
        learn_kernel(**args)


def test_learn_step_is_exported_from_the_package():
    """playground exposes LearnStep, Diverged and learn_kernel lazily."""
    import playground

    assert playground.LearnStep is LearnStep and playground.learn_kernel is learn_kernel
