"""Learning a kernel from data by gradient descent (D2L 5.1.4), one step at a time.

``learn_kernel`` validates its arguments at once (no TensorFlow needed for
that) and returns an iterator of :class:`LearnStep`; the page decides how to
draw them. TensorFlow is imported on the first step, never at import.
:class:`LearnRequest` is the same arguments as one typed, frozen value, the
form in which a run crosses from the page to a background job.

The compiled steps (one graph per optimizer, run a chunk of steps per call)
live in :mod:`playground.learning.steps`; this module checks the arguments
and turns each step's numbers into a :class:`LearnStep`, or a :class:`Diverged`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.learning.steps import StepConfig, step_rows
from playground.shapes import resolve_geometry
from playground.validation import (
    Pair,
    as_finite_image,
    as_pair,
    check_choice,
    check_positive,
    normalize_padding,
)

__all__ = [
    "INIT_STDDEV",
    "LOSSES",
    "OPTIMIZERS",
    "Diverged",
    "LearnRequest",
    "LearnStep",
    "learn_kernel",
]

OPTIMIZERS = ("sgd", "momentum", "adam")
LOSSES = ("sum", "mean")
INIT_STDDEV = 0.05  # the book's tf.random_normal_initializer() default


class Diverged(ArithmeticError):
    """Training produced an infinite or NaN loss, gradient or kernel.

    An ArithmeticError (not a ValueError): the arguments were valid, the
    arithmetic blew up. The message is one sentence for a student.
    """


@dataclass(frozen=True)
class LearnStep:
    """One gradient step: the loss that produced it and the weights after it.

    ``loss`` and ``grad_norm`` are measured with the weights before the
    update (as the book prints them); ``kernel`` and ``bias`` are after it.
    """

    step: int
    loss: float
    kernel: np.ndarray
    bias: float
    grad_norm: float


def learn_kernel(
    x: ArrayLike,
    y: ArrayLike,
    kernel_shape: int | tuple[int, int],
    *,
    lr: float = 0.03,
    steps: int = 100,
    optimizer: str = "sgd",
    loss: str = "sum",
    use_bias: bool = False,
    seed: int | None = 0,
    clipnorm: float | None = None,
    strides: int | tuple[int, int] = 1,
    padding: str | int | tuple = "valid",
) -> Iterator[LearnStep]:
    """Learn a kernel K (and optionally a bias) so that conv2d(x, K) matches y.

    Parameters
    ----------
    x : array_like, shape (H, W)
        The input image.
    y : array_like, shape (OH, OW)
        The target map: the shape ``conv2d(x, K, strides=..., padding=...)`` has.
    kernel_shape : int or (kh, kw)
        The size of the kernel to learn (its weights start random).
    lr : float
        Learning rate, > 0. The book's 3e-2 with ``loss="sum"`` and SGD.
    steps : int
        Number of gradient steps, >= 1.
    optimizer : {"sgd", "momentum", "adam"}
        Plain SGD, SGD with momentum 0.9, or Adam with Keras' defaults.
    loss : {"sum", "mean"}
        Summed squared error (the book's) or its mean (for large images).
    use_bias : bool
        Also learn a scalar bias added to every output cell.
    seed : int or None
        Seed of the initial kernel, drawn from N(0, 0.05^2) as the book's
        ``random_normal_initializer``. The same seed gives the same run.
    clipnorm : float or None
        Clip the gradient to this global norm before each update.
    strides, padding
        As in :func:`playground.conv2d`.

    Returns
    -------
    Iterator[LearnStep]
        One step per update; nothing non-finite is ever yielded.

    Raises
    ------
    ValueError, TypeError
        At call time, for invalid arguments.
    Diverged
        While iterating, when the loss, gradient or weights become infinite or NaN.

    Examples
    --------
    >>> x = np.ones((6, 8)); x[:, 2:6] = 0
    >>> y = np.diff(-x, axis=1)  # the book's edge map: corr2d(x, [[1, -1]])
    >>> last = list(learn_kernel(x, y, (1, 2), steps=60))[-1]
    >>> np.round(last.kernel, 2)
    array([[ 1., -1.]], dtype=float32)
    """
    lr = check_positive(lr, "lr", "Try 0.03 (the book's learning rate) or 0.001.")
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer):
        raise TypeError(f"steps must be a whole number; got {steps!r}.")
    if steps < 1:
        raise ValueError(f"steps must be at least 1; got {steps}. Try 100.")
    optimizer = check_choice(optimizer, "optimizer", OPTIMIZERS)
    loss = check_choice(loss, "loss", LOSSES)
    if clipnorm is not None:
        clipnorm = check_positive(clipnorm, "clipnorm", "Try 1.0, or None for no clipping.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int | np.integer)):
        raise TypeError(f"seed must be a whole number or None; got {seed!r}.")
    x = as_finite_image(x, "x")
    # as_pair wants a sequence: accept lists, arrays and TensorShapes too
    k = as_pair(kernel_shape if np.ndim(kernel_shape) == 0 else tuple(kernel_shape), "kernel_shape")
    s = as_pair(strides, "strides")
    padding = normalize_padding(padding)
    # only "valid" and explicit amounts can leave the kernel larger than the
    # padded input ("same" and "full" always fit it): say so with our names
    fixed = ((0, 0), (0, 0)) if padding == "valid" else padding
    if not isinstance(fixed, str):
        padded = (x.shape[0] + sum(fixed[0]), x.shape[1] + sum(fixed[1]))
        if k[0] > padded[0] or k[1] > padded[1]:
            raise ValueError(
                f"kernel_shape {k} is larger than the padded input {padded} (x has shape "
                f"{x.shape}, padding={padding!r}). Use padding='same' or a smaller kernel_shape."
            )
    geometry = resolve_geometry(x.shape, k, s, (1, 1), padding)
    y = as_finite_image(y, "y")
    expected = geometry.output_hw
    if y.shape != expected:
        raise ValueError(
            f"y has shape {y.shape}, but x of shape {x.shape} with kernel_shape {k}, "
            f"strides {s} and padding={padding!r} gives an output of shape {expected}. "
            "Make y with the same settings, or change kernel_shape, strides or padding."
        )
    xp = np.pad(x, geometry.pads)
    kernel0 = np.random.default_rng(seed).normal(0.0, INIT_STDDEV, k).astype(np.float32)
    config = StepConfig(
        lr=lr,
        steps=int(steps),
        optimizer=optimizer,
        scale=1.0 if loss == "sum" else 1.0 / y.size,
        use_bias=bool(use_bias),
        clipnorm=clipnorm or 0.0,
    )
    return _run(xp, y, s, kernel0, config)


def _problem(name: str, value: np.ndarray) -> str | None:
    if np.isnan(value).any():
        return f"the {name} became NaN (not a number)"
    if np.isinf(value).any():
        return f"the {name} became infinite"
    return None


def _diverged(step: int, problem: str, config: StepConfig) -> Diverged:
    way_out = "lower the clipnorm" if config.clipnorm else "turn on gradient clipping"
    return Diverged(
        f"Training diverged at step {step}: {problem}. Lower the learning rate "
        f"(try {config.lr / 10:.3g}) or {way_out}."
    )


def _run(
    xp: np.ndarray, y: np.ndarray, strides: Pair, kernel0: np.ndarray, config: StepConfig
) -> Iterator[LearnStep]:
    for done, values in enumerate(step_rows(xp, y, strides, kernel0, config), start=1):
        for name, part in (
            ("loss", values[:1]),
            ("gradient", values[1:2]),
            ("kernel", values[2:]),
        ):
            if problem := _problem(name, part):
                raise _diverged(done, problem, config)
        kernel_np = values[3:].reshape(kernel0.shape).copy()
        yield LearnStep(done, float(values[0]), kernel_np, float(values[2]), float(values[1]))


@dataclass(frozen=True)
class LearnRequest:
    """The arguments of one :func:`learn_kernel` run as a typed value (checked by :meth:`start`).

    What a page hands to :meth:`playground.learning.manager.TrainingManager.submit`.
    """

    x: np.ndarray
    y: np.ndarray
    kernel_hw: Pair
    lr: float = 0.03
    steps: int = 100
    optimizer: str = "sgd"
    loss: str = "sum"
    use_bias: bool = False
    seed: int | None = 0
    clipnorm: float | None = None
    strides: int | Pair = 1
    padding: str | int | tuple = "valid"

    def start(self) -> Iterator[LearnStep]:
        """Check the arguments (ValueError/TypeError now) and return the run's steps."""
        return learn_kernel(
            self.x,
            self.y,
            self.kernel_hw,
            lr=self.lr,
            steps=self.steps,
            optimizer=self.optimizer,
            loss=self.loss,
            use_bias=self.use_bias,
            seed=self.seed,
            clipnorm=self.clipnorm,
            strides=self.strides,
            padding=self.padding,
        )
