"""Images drawn or typed by hand: a drawing canvas's pixels and a typed matrix.

Both arrive from a student as small grids, and both are checked here with the
same care as an upload in :mod:`playground.images.loading`: a canvas must be
RGBA bytes of a sane size, a typed matrix must be numbers in a rectangle, and
every refusal a student can cause is an
:class:`~playground.images.loading.ImageError` whose message says what to
type instead.
"""

from __future__ import annotations

import math
import numbers
import re

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image

from playground.i18n import N_, Message
from playground.images.colour import LUMA, on_white
from playground.images.loading import ImageError
from playground.validation import check_int_range

__all__ = ["canvas_to_array", "parse_matrix"]

INK_DECIMALS = 2  # a drawn cell's ink, as the grids print it


def canvas_to_array(
    rgba: ArrayLike, *, grid: int | tuple[int, int] = (28, 28), strokes: str = "bright"
) -> np.ndarray:
    """Turn a drawing-canvas image into a small grid of ink values.

    Parameters
    ----------
    rgba : array_like of int, shape (H, W, 4)
        The canvas's ``image_data`` (uint8 RGBA; the background may be
        transparent or filled). An (H, W, 3) array counts as opaque.
    grid : int or (int, int), optional
        Output (rows, columns), each 4 to 64; an int means a square grid.
    strokes : {"bright", "dark"}, optional
        "bright": ink is 1 on a 0 background (like MNIST); "dark": ink is 0 on 1.

    Returns
    -------
    np.ndarray
        float32, shape ``grid``, values in [0, 1], each cell the average ink
        over its area rounded to two decimals (``INK_DECIMALS``), so the
        faint anti-aliased edge of a stroke reads 0, not 3.8e-04, and no
        cell holds -0. Ink is 1 - luminance after compositing on white, so
        an empty, transparent canvas is all background.

    Examples
    --------
    >>> rgba = np.zeros((8, 8, 4), dtype=np.uint8)  # an empty, transparent canvas
    >>> rgba[:, 4:] = (0, 0, 0, 255)  # its right half painted black
    >>> canvas_to_array(rgba, grid=4)[0]
    array([0., 0., 1., 1.], dtype=float32)
    """
    gh, gw = _normalise_grid(grid)
    if strokes not in ("bright", "dark"):
        raise ValueError(f"strokes must be 'bright' or 'dark'; got {strokes!r}.")
    if rgba is None:
        raise TypeError("rgba must be the canvas's (H, W, 4) image data; got None.")
    arr = np.asarray(rgba)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4) or min(arr.shape[:2]) < 1:
        raise ValueError(f"rgba must have shape (H, W, 4) with H, W >= 1; got {arr.shape}.")
    if max(arr.shape[:2]) > 4096:
        raise ValueError(f"rgba must be at most 4096 pixels on each side; got {arr.shape[:2]}.")
    if not (np.issubdtype(arr.dtype, np.integer) or arr.dtype == np.bool_):
        raise TypeError(f"rgba must hold integers from 0 to 255 (uint8); got dtype {arr.dtype}.")
    if arr.size and (arr.min() < 0 or arr.max() > 255):
        raise ValueError(f"rgba values must be from 0 to 255; got {arr.min()} to {arr.max()}.")
    values = arr.astype(np.float32) / 255.0
    alpha = values[..., 3] if arr.shape[2] == 4 else np.float32(1.0)
    ink = 1.0 - on_white(values[..., :3] @ LUMA, alpha)
    # BOX is exact area averaging, fractional edge pixels included.
    cells = Image.fromarray(ink.astype(np.float32)).resize((gw, gh), Image.Resampling.BOX)
    out = np.clip(np.asarray(cells, dtype=np.float32), 0.0, 1.0)
    if strokes == "dark":
        out = 1.0 - out
    # the cells are read as numbers on the pages: float noise (-1.3e-05) would show
    # there; "+ 0.0" turns the -0 that rounding a tiny negative leaves into 0
    return np.round(out, INK_DECIMALS).astype(np.float32) + np.float32(0.0)


def _normalise_grid(grid: object) -> tuple[int, int]:
    pair = (grid, grid) if isinstance(grid, numbers.Integral) else grid
    try:
        gh, gw = pair  # type: ignore[misc]
    except (TypeError, ValueError):
        raise TypeError(f"grid must be an int or a (rows, columns) pair; got {grid!r}.") from None
    for side in (gh, gw):
        if isinstance(side, bool) or not isinstance(side, numbers.Integral):
            raise TypeError(f"grid must be an int or a (rows, columns) pair; got {grid!r}.")
        if not 4 <= side <= 64:
            raise ValueError(f"grid sides must be from 4 to 64; got {grid!r}.")
    return int(gh), int(gw)


_FRACTION = re.compile(r"^([^/]+)/([^/]+)$")
_FLOAT32_MAX = float(np.finfo(np.float32).max)


def parse_matrix(text: str, *, max_side: int = 32) -> np.ndarray:
    """Read a small matrix typed by hand.

    Rows are split by newlines or ``;``, numbers by commas and/or spaces;
    Python/numpy style ``[[0, 1], [2, 3]]`` works too, and so do fractions
    such as ``1/9`` and the book's minus sign ``−``.

    Parameters
    ----------
    text : str
        What the student typed.
    max_side : int, optional
        Most rows and most numbers per row allowed (1 to 256).

    Returns
    -------
    np.ndarray
        float32, 2D, shape (rows, columns).

    Raises
    ------
    ImageError
        (a ValueError) for an empty, ragged, too large or non-numeric matrix,
        with a sentence for the student.

    Examples
    --------
    >>> parse_matrix("1 -1")
    array([[ 1., -1.]], dtype=float32)
    >>> parse_matrix("[[0, 1], [2, 3]]")
    array([[0., 1.],
           [2., 3.]], dtype=float32)
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str; got {type(text).__name__}.")
    max_side = check_int_range("max_side", max_side, 1, 256)
    # Brackets become row breaks, so "[[0, 1], [2, 3]]" reads like "0, 1; 2, 3".
    cleaned = text.replace("\u2212", "-").replace("[", " ").replace("]", ";")
    lines = [line.strip(" \t,") for line in re.split(r"[;\r\n]", cleaned)]
    lines = [line for line in lines if line]
    if not lines:
        raise ImageError(
            Message(
                N_(
                    "The matrix is empty. Type numbers separated by spaces or commas, "
                    "one row per line (for example: 1 0 -1)."
                )
            )
        )
    if len(lines) > max_side:
        raise ImageError(
            Message(
                N_("The matrix has {rows} rows; at most {most} are allowed."),
                {"rows": len(lines), "most": max_side},
            )
        )
    rows: list[list[float]] = []
    for number, line in enumerate(lines, start=1):
        tokens = re.split(r"[,\s]+", line)
        if len(tokens) > max_side:
            raise ImageError(
                Message(
                    N_("Row {row} has {count} numbers; at most {most} are allowed."),
                    {"row": number, "count": len(tokens), "most": max_side},
                )
            )
        rows.append([_number(token, number) for token in tokens])
        if len(rows[-1]) != len(rows[0]):
            raise ImageError(
                Message(
                    N_(
                        "Row {row} has {count} numbers but row 1 has {first}; "
                        "every row needs the same count."
                    ),
                    {"row": number, "count": len(rows[-1]), "first": len(rows[0])},
                )
            )
    return np.array(rows, dtype=np.float32)


def _number(token: str, row: int) -> float:
    shown = token if len(token) <= 20 else token[:20] + "..."
    try:
        fraction = _FRACTION.match(token)
        value = float(fraction[1]) / float(fraction[2]) if fraction else float(token)
    except (ValueError, ZeroDivisionError):
        raise ImageError(
            Message(
                N_(
                    'Row {row} has "{token}", which is not a number; '
                    "use numbers like 1, -0.5 or 1/9."
                ),
                {"row": row, "token": shown},
            )
        ) from None
    if not (math.isfinite(value) and abs(value) <= _FLOAT32_MAX):
        raise ImageError(
            Message(
                N_(
                    'Row {row} has "{token}", which is not a finite number; '
                    "use numbers between -1e38 and 1e38."
                ),
                {"row": row, "token": shown},
            )
        )
    return value
