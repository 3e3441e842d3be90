"""The argument rules every public function shares, in one place (like Keras' ``conv_utils``).

Each public function normalises its arguments once, at the boundary, with
these helpers: ``strides=2`` becomes ``(2, 2)`` early, and every error names
the argument, states the rule and echoes the value received. The messages
are part of the contract (tests pin them), so callers pass the argument's
name and, where a rule has a way out, the hint to add.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

Pair = tuple[int, int]
Padding4 = tuple[Pair, Pair]  # ((top, bottom), (left, right))

PADDING_MODES = ("valid", "same", "full")


# ---------------------------------------------------------------- numbers


def is_int(value) -> bool:
    """An int or numpy integer, but not a bool (``strides=True`` is a bug, not a stride of 1)."""
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def is_real(value) -> bool:
    """A Python or numpy real number, but not a bool."""
    return not isinstance(value, bool) and isinstance(value, int | float | np.integer | np.floating)


def check_bool(value, name: str) -> bool:
    """``value`` itself when it is True or False; TypeError otherwise."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False; got {value!r}.")
    return value


def check_int_range(name: str, value: object, lo: int, hi: int) -> int:
    """An integer from ``lo`` to ``hi`` (inclusive), as a Python int."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer from {lo} to {hi}; got {value!r}.")
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be from {lo} to {hi}; got {value}.")
    return int(value)


def check_positive(value, name: str, hint: str) -> float:
    """A finite number greater than 0, as a float; ``hint`` suggests a value."""
    if not is_real(value):
        raise TypeError(f"{name} must be a number; got {value!r}.")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number greater than 0; got {value!r}. {hint}")
    return float(value)


def check_finite_real(name: str, value: object) -> float:
    """A finite real number (callers accept None before calling), as a float."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number or None; got {value!r}.")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite; got {value!r}.")
    return float(value)


def check_scalar_bias(bias) -> float:
    """One finite number: the bias of a single 2D kernel."""
    if not is_real(bias):
        raise TypeError(f"bias must be a number; got {bias!r}.")
    value = float(bias)
    if not math.isfinite(value):
        raise ValueError(f"bias must be finite; got {bias!r}.")
    return value


def check_choice(value, name: str, options: tuple[str, ...]) -> str:
    """One of ``options``."""
    if value not in options:
        allowed = ", ".join(repr(o) for o in options)
        raise ValueError(f"{name} must be one of {allowed}; got {value!r}.")
    return value


# ---------------------------------------------------------------- pairs and padding


def as_pair(value, name: str, *, minimum: int = 1) -> Pair:
    """Normalise an int or an (h, w) pair of ints to a pair, validating both.

    >>> as_pair(2, "strides")
    (2, 2)
    >>> as_pair((1, 3), "strides")
    (1, 3)
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value.tolist())  # e.g. a shape or an index held in an array
    if is_int(value):
        pair = (int(value), int(value))
    elif (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(is_int(v) for v in value)
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints (height, width); got {value!r}.")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum} in each direction; got {value!r}.")
    return pair


def _padding_error(padding) -> ValueError:
    return ValueError(
        "padding must be 'valid', 'same', 'full', an int p (p on every side), a pair "
        "(ph, pw) (ph rows on top and bottom, pw columns left and right) or "
        f"((top, bottom), (left, right)), each >= 0; got {padding!r}."
    )


def normalize_padding(padding) -> str | Padding4:
    """Return a padding mode name, or explicit ((top, bottom), (left, right)).

    >>> normalize_padding("SAME")
    'same'
    >>> normalize_padding(1)
    ((1, 1), (1, 1))
    >>> normalize_padding((0, 1))
    ((0, 0), (1, 1))
    """
    if isinstance(padding, str):
        mode = padding.lower()
        if mode not in PADDING_MODES:
            raise _padding_error(padding)
        return mode
    try:
        if is_int(padding):
            amounts = ((padding, padding), (padding, padding))
        elif len(padding) == 2 and all(is_int(p) for p in padding):
            amounts = ((padding[0], padding[0]), (padding[1], padding[1]))
        elif len(padding) == 2 and all(
            len(side) == 2 and all(is_int(p) for p in side) for side in padding
        ):
            amounts = tuple(tuple(side) for side in padding)
        else:
            raise _padding_error(padding)
    except TypeError:
        raise _padding_error(padding) from None
    amounts = tuple(tuple(int(p) for p in side) for side in amounts)
    if min(min(side) for side in amounts) < 0:
        raise _padding_error(padding)
    return amounts


# ---------------------------------------------------------------- arrays


def as_float_array(value: ArrayLike, name: str, *, ndims: tuple[int, ...]) -> np.ndarray:
    """Convert to a finite float32 array of one of the allowed ranks, or explain why not."""
    try:
        array = np.asarray(value)
    except ValueError:
        raise ValueError(
            f"{name} must be a rectangular array of numbers; rows of different lengths were given."
        ) from None
    # kinds i/u/f: signed and unsigned integers and real floats (not bool, complex,
    # str or object); a kind check costs ~1 us here, np.issubdtype ~8 us per call
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers; got values of type {array.dtype}.")
    if array.ndim not in ndims:
        allowed = " or ".join(str(n) for n in ndims)
        raise ValueError(
            f"{name} must have {allowed} dimensions; got shape {array.shape} "
            f"({array.ndim} dimensions)."
        )
    if 0 in array.shape:
        raise ValueError(f"{name} must not be empty; got shape {array.shape}.")
    if not np.isfinite(array).all():
        raise ValueError(
            f"{name} contains NaN or infinite values; every entry must be a finite number."
        )
    if array.dtype.kind == "f" and array.dtype.itemsize > 4:
        # a finite float64 such as 1e300 overflows to inf in float32: say so plainly
        # instead of leaking numpy's overflow warning and then blaming "NaN or inf".
        # Only wider floats can overflow (int64's maximum is ~9.2e18), so other
        # input skips the second scan and the errstate context (~3 us a call).
        with np.errstate(over="ignore"):
            array = array.astype(np.float32)
        if not np.isfinite(array).all():
            raise ValueError(
                f"{name} has values too large for float32 (beyond ±3.4e38); scale the values down."
            )
        return array
    return array.astype(np.float32, copy=False)


def as_finite_image(value: ArrayLike, name: str) -> np.ndarray:
    """A non-empty, finite 2D float32 array; the message counts the bad entries."""
    try:
        array = np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError):
        raise TypeError(
            f"{name} must be a 2D array of real numbers; got {type(value).__name__}."
        ) from None
    if array.ndim != 2 or 0 in array.shape:
        raise ValueError(f"{name} must be a non-empty 2D array (H, W); got shape {array.shape}.")
    bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
    if bad:
        raise ValueError(
            f"{name} contains NaN or infinite values at {bad} positions; every entry must "
            "be a finite number. Replace them first (e.g. with np.nan_to_num)."
        )
    return array


def as_real_2d(array: ArrayLike, where: str) -> np.ndarray:
    """A non-empty 2D array of real numbers as float64; ``where`` names the caller."""
    values = np.asarray(array)
    if values.dtype.kind not in "biuf":
        raise TypeError(f"{where}: array must hold real numbers; got dtype {values.dtype}.")
    if values.ndim != 2 or values.size == 0:
        raise ValueError(
            f"{where}: array must be 2D and non-empty, shape (H, W); got shape {values.shape}."
        )
    return values.astype(np.float64)


def as_finite_2d(array: ArrayLike, where: str) -> np.ndarray:
    """Like :func:`as_real_2d`, and every value finite (an image needs them)."""
    values = as_real_2d(array, where)
    if not np.isfinite(values).all():
        raise ValueError(f"{where}: array contains NaN or infinity; an image needs finite values.")
    return values
