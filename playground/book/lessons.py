"""The book's cells (D2L 5.1-5.4, TF2 edition), run by the playground and checked.

A :class:`Lesson` joins one or a few of the book's cells (their texts live in
:mod:`playground.book.cells`) with a ``run`` that computes the cell's
result with the playground and compares it with the book's printed numbers.
The Lessons page only renders the fields; every computation lives in the
package: the runs in :mod:`playground.book.runs`, the book's inputs in
:mod:`playground.book.inputs` and the comparisons in
:mod:`playground.book.checks`. This module joins them into :data:`LESSONS`
and runs them.

TensorFlow is loaded lazily, through :mod:`playground.learning.runtime`.
Lessons with ``needs_tensorflow`` import it when
they run; lessons with ``keras_cross_check`` compute with numpy and, when
TensorFlow is allowed, also ask a real Keras layer. ``run_all(
include_tensorflow=False)`` never imports it, so a page can show most
lessons at once and the rest after the ~5 s import.

For an array, ``shown`` is numpy's repr of the result in the book's layout.
That is the very text the book prints after ``numpy=`` inside its TensorFlow
repr, so a student can compare the two line by line, and it leaves out the
wrapper's version-dependent parts (TF 2.0 printed ``id=145``; today's TF
prints none). Shapes show as Python tuples, the learning loop as the book's
``batch n, loss x.xxx`` lines.

>>> result = run_lesson("corr2d", include_tensorflow=False)
>>> print(result.shown)
array([[19., 25.],
       [37., 43.]], dtype=float32)
>>> result.passed
True
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from playground import conv, pooling
from playground.book.cells import CELLS
from playground.book.checks import LessonResult, Runner, computed
from playground.book.inputs import EDGE_KERNEL, bars, k2, multi_in, multi_in_out, x3
from playground.book.runs import (
    KERAS3_WATCH_ERROR,
    pool_lesson,
    run_conv2d_layer,
    run_conv_1x1,
    run_corr2d_tf,
    run_edge_kernel,
    run_edge_transposed,
    run_learn_kernel,
    run_learned_weights,
    run_pool_channels,
    run_reshape_4d,
    shape_lesson,
)
from playground.i18n import N_, Message


@dataclass(frozen=True, eq=False)
class Lesson:
    """One lesson: the book's code and output, a plain explanation and a run.

    Use :meth:`execute` (or :func:`run_lesson`) rather than calling ``run``.

    Attributes
    ----------
    key : str
        Stable id, e.g. "corr2d", "learn_kernel", "padding_same".
    section, title, source : str
        "5.1" to "5.4"; a short title; the edition and cells quoted.
    explanation : str
        Two to four plain sentences for a student.

        ``title``, ``source``, ``explanation`` and ``note`` are English,
        marked for translation: show them as ``_(lesson.title)``.
    book_code, book_output : str
        The code and its printed output exactly as the book has them.
    expected : object
        The book's values as Python/numpy data, in the book's layout.
    run : callable
        ``run(expected, use_tensorflow) -> LessonResult``.
    needs_tensorflow : bool
        The lesson cannot run without TensorFlow.
    keras_cross_check : bool
        The lesson runs without TensorFlow, and also asks Keras when allowed.
    note, working_code : str
        Why the book's code differs on Keras 3 (or in TensorFlow), and the
        form that works; empty when the book's code runs as printed.
    """

    key: str
    section: str
    title: str
    source: str
    explanation: str
    book_code: str
    book_output: str
    expected: Any
    run: Runner = field(repr=False)
    needs_tensorflow: bool = False
    keras_cross_check: bool = False
    note: str = ""
    working_code: str = ""

    def execute(self, *, include_tensorflow: bool = True) -> LessonResult:
        """Run the lesson and compare with the book.

        Parameters
        ----------
        include_tensorflow : bool
            Allow TensorFlow: required by ``needs_tensorflow`` lessons, and
            adds the Keras cross-check of ``keras_cross_check`` lessons.

        Returns
        -------
        LessonResult
            A lesson whose code raises comes back failed, with the error in
            ``shown``, so one broken lesson cannot take the page down.
        """
        if not isinstance(include_tensorflow, bool):
            raise TypeError(
                f"include_tensorflow must be True or False; got {include_tensorflow!r}."
            )
        if self.needs_tensorflow and not include_tensorflow:
            raise ValueError(
                f"Lesson {self.key!r} needs TensorFlow, but include_tensorflow=False was "
                "given. Run it with include_tensorflow=True, or skip lessons whose "
                "needs_tensorflow is True."
            )
        try:
            return self.run(self.expected, include_tensorflow)
        except Exception as exc:  # shown as a failed lesson, not a crashed page
            return LessonResult(
                value=None,
                shown=f"{type(exc).__name__}: {exc}",
                expected=self.expected,
                passed=False,
                check=Message(
                    N_("The lesson raised an error before its result could be compared.")
                ),
            )


# ---- the lessons, in the book's order ---------------------------------------------


def _lesson(key: str, run: Runner, **flags) -> Lesson:
    cell = CELLS[key]
    return Lesson(
        key=key, run=run, **flags, **{f.name: getattr(cell, f.name) for f in fields(cell)}
    )


_TF = {"needs_tensorflow": True}
_KERAS = {"keras_cross_check": True}

LESSONS: tuple[Lesson, ...] = (
    _lesson("corr2d", computed(lambda: conv.corr2d(x3(), k2()))),
    _lesson("corr2d_tf", run_corr2d_tf, **_TF),
    _lesson("conv2d_layer", run_conv2d_layer, **_TF),
    _lesson("edge_image", computed(bars)),
    _lesson("edge_kernel", run_edge_kernel),
    _lesson("edge_detect", computed(lambda: conv.corr2d(bars(), EDGE_KERNEL))),
    _lesson("edge_transposed", run_edge_transposed),
    _lesson("reshape_4d", run_reshape_4d),
    _lesson("learn_kernel", run_learn_kernel, **_TF),
    _lesson("learned_weights", run_learned_weights, **_TF),
    _lesson("padding_same", shape_lesson((8, 8), 3, padding="same"), **_KERAS),
    _lesson("stride_2", shape_lesson((8, 8), 3, padding="same", strides=2), **_KERAS),
    _lesson("stride_3_4", shape_lesson((8, 8), (3, 5), strides=(3, 4)), **_KERAS),
    _lesson(
        "padding_explicit",
        shape_lesson(
            (8, 8),
            (3, 5),
            strides=(3, 4),
            padding=(0, 1),
            keras_input_hw=(8, 10),
        ),
        **_KERAS,
    ),
    _lesson("multi_in", computed(multi_in)),
    _lesson("multi_in_out", computed(multi_in_out)),
    _lesson("conv_1x1", run_conv_1x1),
    _lesson("pool2d_max", computed(lambda: pooling.pool2d(x3(), 2, strides=1))),
    _lesson("pool2d_avg", computed(lambda: pooling.pool2d(x3(), 2, strides=1, mode="avg"))),
    _lesson(
        "maxpool_default",
        pool_lesson(3, lambda tf, X: tf.keras.layers.MaxPool2D(pool_size=[3, 3])(X)),
        **_KERAS,
    ),
    _lesson(
        "maxpool_same_stride2",
        pool_lesson(
            3,
            lambda tf, X: tf.keras.layers.MaxPool2D(pool_size=[3, 3], padding="same", strides=2)(X),
            strides=2,
            padding="same",
        ),
        **_KERAS,
    ),
    _lesson(
        "maxpool_2x3",
        pool_lesson(
            (2, 3),
            lambda tf, X: tf.keras.layers.MaxPool2D(
                pool_size=[2, 3], padding="valid", strides=(2, 3)
            )(tf.pad(X, [[0, 0], [0, 0], [1, 1], [0, 0]])),
            strides=(2, 3),
            padding="same",
        ),
        **_KERAS,
    ),
    _lesson("pool_channels", run_pool_channels, **_KERAS),
)

_BY_KEY = {lesson.key: lesson for lesson in LESSONS}


def get_lesson(key: str) -> Lesson:
    """The lesson with this key; ValueError naming the known keys otherwise."""
    try:
        return _BY_KEY[key]
    except (KeyError, TypeError):
        raise ValueError(
            f"key must be one of the lesson keys ({', '.join(_BY_KEY)}); got {key!r}."
        ) from None


def run_lesson(key: str, *, include_tensorflow: bool = True) -> LessonResult:
    """Run one lesson by key and compare its result with the book.

    Parameters
    ----------
    key : str
        A lesson's ``key``, e.g. "corr2d" or "learn_kernel".
    include_tensorflow : bool
        Allow TensorFlow (imported on first use, ~5 s). Required by lessons
        with ``needs_tensorflow`` (ValueError otherwise); adds the Keras
        cross-check to lessons with ``keras_cross_check``.

    Returns
    -------
    LessonResult
    """
    return get_lesson(key).execute(include_tensorflow=include_tensorflow)


def run_all(include_tensorflow: bool = True) -> dict[str, LessonResult]:
    """Run every lesson in order; without TensorFlow, skip those that need it.

    Returns
    -------
    dict[str, LessonResult]
        Keyed by lesson key, in the book's order.

    Examples
    --------
    >>> results = run_all(include_tensorflow=False)
    >>> all(result.passed for result in results.values())
    True
    """
    return {
        lesson.key: lesson.execute(include_tensorflow=include_tensorflow)
        for lesson in LESSONS
        if include_tensorflow or not lesson.needs_tensorflow
    }


__all__ = [
    "KERAS3_WATCH_ERROR",
    "LESSONS",
    "Lesson",
    "LessonResult",
    "get_lesson",
    "run_all",
    "run_lesson",
]
