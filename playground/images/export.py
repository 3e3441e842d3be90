"""Getting arrays out: PNG for looking at, CSV for spreadsheets, .npy for numpy.

A feature map is a float array of any range (an edge map runs from -1 to 1);
a PNG has 256 greys. The mapping between the two is therefore chosen
explicitly (vmin -> black, vmax -> white), stated in words by
:func:`grey_mapping_note` and written into the PNG itself, so a downloaded
picture still says what its greys mean.
"""

from __future__ import annotations

import io

import numpy as np
from numpy.typing import ArrayLike
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from playground.i18n import N_, Message
from playground.validation import as_finite_2d, as_real_2d, check_finite_real

__all__ = [
    "grey_mapping_message",
    "grey_mapping_note",
    "to_csv_bytes",
    "to_npy_bytes",
    "to_png_bytes",
]


# the note's wording: English in the PNG itself, translated on a page (Message)
_NO_RANGE = N_("mid grey = {value}, lower values black, higher white (no range to scale)")
_LINEAR = N_("black = {low}, white = {high}, linear")
_CLIPPED = N_("black = {low}, white = {high}, linear, values beyond clipped")


def grey_mapping_message(
    array: ArrayLike, vmin: float | None = None, vmax: float | None = None
) -> Message:
    """How :func:`to_png_bytes` maps values to greys, as a sentence to translate where shown.

    ``str()`` of the result is in the reader's language; ``.english()`` is
    :func:`grey_mapping_note`.

    >>> grey_mapping_message([[0.0, 2.0]], vmax=1).english()
    'black = 0.00, white = 1.00, linear, values beyond clipped'
    """
    values = as_finite_2d(array, "grey_mapping_note")
    lo, hi = _grey_range(values, vmin, vmax)
    if hi == lo:
        return Message(_NO_RANGE, {"value": _show(lo)})
    clipped = values.min() < lo or values.max() > hi
    return Message(_CLIPPED if clipped else _LINEAR, {"low": _show(lo), "high": _show(hi)})


def grey_mapping_note(
    array: ArrayLike, vmin: float | None = None, vmax: float | None = None
) -> str:
    """Say in words (English) how :func:`to_png_bytes` maps values to greys.

    Parameters
    ----------
    array : array_like, 2D
        The values to be shown.
    vmin, vmax : float, optional
        Values shown black and white; default the array's min and max.

    Returns
    -------
    str
        For example ``"black = -1.00, white = 1.00, linear"``. A page shows
        :func:`grey_mapping_message` instead, in the reader's language.

    Examples
    --------
    >>> grey_mapping_note([[-1.0, 0.0], [0.5, 1.0]])
    'black = -1.00, white = 1.00, linear'
    >>> grey_mapping_note([[3.0, 3.0]])
    'mid grey = 3.00, lower values black, higher white (no range to scale)'
    """
    return grey_mapping_message(array, vmin, vmax).english()


def to_png_bytes(
    array: ArrayLike, *, vmin: float | None = None, vmax: float | None = None
) -> bytes:
    """Encode a 2D array as an 8-bit greyscale PNG.

    Parameters
    ----------
    array : array_like, 2D, finite
        The values to draw, any range.
    vmin, vmax : float, optional
        Values drawn black (0) and white (255), linearly between, clipped
        beyond; default the array's min and max. When vmin == vmax (a constant
        array), that value is mid grey (128), lower values black, higher white.

    Returns
    -------
    bytes
        A PNG whose tEXt chunk "Description" holds :func:`grey_mapping_note`.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> png = to_png_bytes([[0.0, 0.5, 1.0]])
    >>> im = Image.open(io.BytesIO(png))
    >>> np.asarray(im).tolist(), im.text["Description"]
    ([[0, 128, 255]], 'black = 0.00, white = 1.00, linear')
    """
    values = as_finite_2d(array, "to_png_bytes")
    lo, hi = _grey_range(values, vmin, vmax)
    if hi > lo:
        scaled = np.clip((values - lo) / (hi - lo), 0.0, 1.0)
        grey = np.rint(scaled * 255.0).astype(np.uint8)
    else:
        grey = np.where(values < lo, 0, np.where(values > lo, 255, 128)).astype(np.uint8)
    info = PngInfo()
    info.add_text("Description", grey_mapping_note(values, lo, hi))
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="PNG", pnginfo=info, optimize=True)
    return buffer.getvalue()


def to_csv_bytes(array: ArrayLike, *, fmt: str = "%.6g") -> bytes:
    """Write a 2D array as comma-separated text, one row per line.

    Parameters
    ----------
    array : array_like, 2D
        Real numbers (NaN and inf are written as ``nan`` and ``inf``).
    fmt : str, optional
        One printf-style number format; ``"%.9g"`` keeps float32 exact.

    Returns
    -------
    bytes
        UTF-8 CSV, ``\\n`` line endings, that ``np.loadtxt(..., delimiter=",")``
        reads back.

    Examples
    --------
    >>> to_csv_bytes([[1, 0.5], [-2, 3]])
    b'1,0.5\\n-2,3\\n'
    """
    values = as_real_2d(array, "to_csv_bytes")
    if not isinstance(fmt, str) or fmt.replace("%%", "").count("%") != 1:
        raise ValueError(f"fmt must be one printf-style number format such as '%.6g'; got {fmt!r}.")
    try:
        fmt % 1.5
    except (TypeError, ValueError):
        raise ValueError(
            f"fmt must be one printf-style number format such as '%.6g'; got {fmt!r}."
        ) from None
    buffer = io.BytesIO()
    np.savetxt(buffer, values, fmt=fmt, delimiter=",", newline="\n", encoding="utf-8")
    return buffer.getvalue()


def to_npy_bytes(array: ArrayLike) -> bytes:
    """Save a numeric array in numpy's .npy format, any shape, dtype kept.

    Examples
    --------
    >>> import io
    >>> np.load(io.BytesIO(to_npy_bytes(np.eye(2, dtype=np.float32))))
    array([[1., 0.],
           [0., 1.]], dtype=float32)
    """
    values = np.asarray(array)
    if values.dtype.kind not in "biufc":
        raise TypeError(f"array must be numeric; got dtype {values.dtype}.")
    buffer = io.BytesIO()
    np.save(buffer, values, allow_pickle=False)  # never pickle: a download must be inert
    return buffer.getvalue()


def _grey_range(values: np.ndarray, vmin: object, vmax: object) -> tuple[float, float]:
    lo = float(values.min()) if vmin is None else check_finite_real("vmin", vmin)
    hi = float(values.max()) if vmax is None else check_finite_real("vmax", vmax)
    if lo > hi:
        defaults = " (None means the array's min for vmin, max for vmax)"
        raise ValueError(
            f"vmin must not exceed vmax; got vmin={lo:g}, vmax={hi:g}"
            f"{defaults if vmin is None or vmax is None else ''}."
        )
    return lo, hi


def _show(x: float) -> str:
    # Two decimals read well for the usual ranges; tiny or huge values need
    # significant digits instead, or 0.0003 would print as 0.00.
    return f"{x:.2f}" if x == 0 or 0.01 <= abs(x) < 1e5 else f"{x:.3g}"
