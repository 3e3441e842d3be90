"""What every lesson's run shares: how a result is printed and checked.

A run (:mod:`playground.book.runs`) computes a lesson's result on the
book's inputs (:mod:`playground.book.inputs`) and returns a
:class:`LessonResult`: the value,
the value printed as the book prints it, and whether it matches the book's
numbers. The printing and comparing helpers live here so that every lesson
shows and judges its result the same way.

>>> result = array_result(np.arange(9).reshape(3, 3), [[0, 1, 2], [3, 4, 5], [6, 7, 8]])
>>> result.passed
True
>>> print(result.check)
The result has the book's shape (3, 3) and equals its (3, 3) array exactly.

Checks and details are :class:`~playground.i18n.Message` objects, not
strings: a result is computed once and shown to every session (the Lessons
page caches it), so its sentences are translated when they are shown, in the
reader's language, with ``str(result.check)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from playground.i18n import N_, Message

# numpy's default print options, pinned: another module or a notebook may change
# them process-wide, and the page must print exactly like the book.
_PRINT_OPTIONS = {"precision": 8, "threshold": 1000, "edgeitems": 3, "linewidth": 75}


@dataclass(frozen=True, eq=False)  # eq=False: numpy fields make == ambiguous
class LessonResult:
    """What one lesson's run produced and how it compares with the book.

    Attributes
    ----------
    value : object
        The result: a numpy array, a shape tuple, a list of (step, loss) or a bool.
    shown : str
        The result as the page should print it, formatted like the book's output.
    expected : object
        The book's values, as Python/numpy data.
    passed : bool
        Whether the check held.
    check : Message
        One sentence: what was compared, and how (``str(check)`` reads it in
        the current language).
    detail : Message or None
        Optional extra text, e.g. the error the book's code raises on Keras 3.
    """

    value: Any
    shown: str
    expected: Any
    passed: bool
    check: Message
    detail: Message | None = None


Runner = Callable[[Any, bool], LessonResult]  # (expected, use_tensorflow) -> result


# ---- formatting and comparing ---------------------------------------------


def show(value) -> str:
    with np.printoptions(**_PRINT_OPTIONS):
        return repr(value)


def _number(x) -> str:
    # float32's shortest repr: the book's 0.9999567 stays 0.9999567, not 0.99995673
    return str(int(x)) if float(x).is_integer() else str(np.float32(x))


def describe(expected) -> str | Message:
    """The book's numbers as a short nested list, or just their shape when there are many."""
    array = np.asarray(expected)
    if array.size > 8:
        return Message(N_("{shape} array"), {"shape": array.shape})
    if array.ndim == 4 and array.shape[0] == array.shape[-1] == 1:
        array = array[0, :, :, 0]  # one sample, one channel: (1, 2, 2, 1) reads as 2x2

    def nested(a):
        return _number(a) if a.ndim == 0 else "[" + ", ".join(nested(row) for row in a) + "]"

    return nested(array)


def matches(value, expected, atol: float = 0.0) -> bool:
    """Same shape, and every number equal (atol=0) or within atol; dtypes may differ."""
    value, expected = np.asarray(value), np.asarray(expected)
    return value.shape == expected.shape and bool(np.allclose(value, expected, rtol=0, atol=atol))


def array_result(
    value,
    expected,
    *,
    atol: float = 0.0,
    shown: str | None = None,
    check: str | None = None,
    also_passed: bool = True,
    detail: Message | None = None,
) -> LessonResult:
    """Compare an array with the book's.

    ``check`` replaces the default sentence with a marked template of its own
    (it may use ``{shape}``, ``{values}`` and ``{atol}``) when the run checks
    more; ``also_passed`` is the outcome of that extra promise.
    """
    if check is None:
        check = (
            N_("The result has the book's shape {shape} and equals its {values} exactly.")
            if atol == 0
            else N_(
                "The result has the book's shape {shape} and equals its {values} to within "
                "{atol} in every entry."
            )
        )
    params = {"shape": np.shape(expected), "values": describe(expected), "atol": f"{atol:g}"}
    return LessonResult(
        value=value,
        shown=show(value) if shown is None else shown,
        expected=expected,
        passed=matches(value, expected, atol) and also_passed,
        check=Message(check, params),
        detail=detail,
    )


def computed(compute: Callable[[], np.ndarray]) -> Runner:
    """A runner for a lesson whose result is one array, compared exactly."""

    def run(expected, use_tensorflow: bool) -> LessonResult:
        return array_result(compute(), expected)

    return run
