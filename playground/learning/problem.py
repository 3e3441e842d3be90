"""What the "Learn a kernel" page learns from: the training pair, the settings and their choices.

The page reads widgets into a :class:`LearnSettings`, makes a :class:`Problem`
and asks for a run with :func:`learn_request`; it does no arithmetic itself.
TensorFlow is not imported here: the training pair is made with the numpy
``conv2d``, and learning happens in :mod:`playground.learning.manager` only
when the student presses Train. The page's sentences and figures are in
:mod:`playground.figures.learn`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.book.inputs import EDGE_KERNEL, bars
from playground.conv import conv2d
from playground.learning.learn import LearnRequest
from playground.validation import Pair

__all__ = [
    "BOOK_SETTINGS",
    "CLIP_NORMS",
    "LEARNING_RATES",
    "MAX_SIDE",
    "MAX_STEPS",
    "OWN_SETTINGS",
    "LearnSettings",
    "Problem",
    "book_problem",
    "kernel_error",
    "learn_request",
    "make_problem",
]

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
CLIP_NORMS = (0.0, 0.1, 1.0, 10.0)  # 0 = no clipping
MAX_STEPS = 500  # a run stays short enough for a class sharing two cores
MAX_SIDE = 64  # the input's longest side: each step stays ~1-2 ms


@dataclass(frozen=True)
class Problem:
    """A training pair: input ``x``, the hidden kernel and the target y = conv2d(x, kernel)."""

    title: str
    x: np.ndarray
    true_kernel: np.ndarray
    y: np.ndarray

    @property
    def kernel_hw(self) -> Pair:
        return self.true_kernel.shape


def make_problem(x: ArrayLike, true_kernel: ArrayLike, *, title: str) -> Problem:
    """The pair the network learns from: it sees x and y, never the kernel that made y.

    >>> p = make_problem([[0, 1, 2], [3, 4, 5]], [[1, -1]], title="tiny")
    >>> p.y
    array([[-1., -1.],
           [-1., -1.]], dtype=float32)
    """
    x = np.asarray(x, dtype=np.float32)
    kernel = np.asarray(true_kernel, dtype=np.float32)
    return Problem(title, x, kernel, conv2d(x, kernel))


def book_problem() -> Problem:
    """D2L 5.1.3-5.1.4: 6x8 ones with a black band in columns 2-5, hidden kernel [[1, -1]]."""
    return make_problem(bars(), EDGE_KERNEL, title="the book's 6×8 bars")


@dataclass(frozen=True)
class LearnSettings:
    """The knobs of one run; ``clipnorm`` 0 means no clipping."""

    lr: float = 0.03
    optimizer: str = "sgd"
    loss: str = "sum"
    steps: int = 10
    seed: int = 0
    use_bias: bool = False
    clipnorm: float = 0.0


# The book's run: lr 3e-2, summed loss, plain SGD, 10 steps. From our
# N(0, 0.05^2) start it lands within 0.025 of [1, -1] for seeds 0-99.
BOOK_SETTINGS = LearnSettings()
# A summed loss over a 28x28 image is ~100x the book's, so the book's lr
# diverges there; the mean with Adam learns every 3x3 preset on the digit.
OWN_SETTINGS = LearnSettings(lr=0.1, optimizer="adam", loss="mean", steps=200)


def learn_request(problem: Problem, settings: LearnSettings) -> LearnRequest:
    """The run a page asks for: learn ``problem``'s kernel with ``settings``."""
    return LearnRequest(
        x=problem.x,
        y=problem.y,
        kernel_hw=problem.kernel_hw,
        lr=float(settings.lr),
        steps=int(settings.steps),
        optimizer=settings.optimizer,
        loss=settings.loss,
        use_bias=bool(settings.use_bias),
        seed=int(settings.seed),
        clipnorm=float(settings.clipnorm) or None,
    )


def kernel_error(learned: ArrayLike, true: ArrayLike) -> float:
    """The largest absolute difference between the learned and the true kernel."""
    return float(np.max(np.abs(np.asarray(learned, np.float64) - np.asarray(true, np.float64))))
