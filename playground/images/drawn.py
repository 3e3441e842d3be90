"""A drawing made on the grid itself: the browser canvas's cells <-> float32 arrays.

The drawing component (views/components/draw_canvas) paints whole cells of the
grid the page uses, so there is nothing to average: each cell's value is a
byte (0..255) per channel, sent as base64. Here those bytes become the numbers
the pages show (two decimals, as ``by_hand.INK_DECIMALS``: no 0.0039 or -0),
and a drawing made on one grid is resampled to another when the grid changes.

A grey drawing holds *ink* (1 where the student drew); ``ink_to_input`` turns
it into the page's input for either ink ("bright": ink is 1 on 0, "dark": ink is
0 on 1). A colour drawing holds (H, W, 3) RGB in [0, 1] on black.
"""

from __future__ import annotations

import base64
import binascii

import numpy as np
from PIL import Image

from playground.images.by_hand import INK_DECIMALS
from playground.validation import check_int_range

__all__ = [
    "blank_drawing",
    "drawing_bytes",
    "drawing_from_payload",
    "ink_to_input",
    "resample_drawing",
]

MAX_SIDE = 64  # the largest grid any page offers (the e2e tests draw on 8..64)
CHANNELS = (1, 3)  # grey ink, or RGB


def _clean(values: np.ndarray) -> np.ndarray:
    """Two decimals, inside [0, 1], float32, and never -0 (the cells are read as numbers)."""
    out = np.clip(np.round(np.asarray(values, np.float32), INK_DECIMALS), 0.0, 1.0)
    return out.astype(np.float32) + np.float32(0.0)


def _check_shape(rows: int, cols: int, channels: int) -> None:
    check_int_range("rows", rows, 1, MAX_SIDE)
    check_int_range("cols", cols, 1, MAX_SIDE)
    if channels not in CHANNELS:
        raise ValueError(f"channels must be 1 (grey) or 3 (RGB); got {channels!r}.")


def blank_drawing(rows: int, cols: int, channels: int = 1) -> np.ndarray:
    """An empty drawing: zeros, (rows, cols) for grey or (rows, cols, 3) for colour."""
    _check_shape(rows, cols, channels)
    shape = (rows, cols) if channels == 1 else (rows, cols, channels)
    return np.zeros(shape, np.float32)


def drawing_from_payload(data: str, *, rows: int, cols: int, channels: int = 1) -> np.ndarray:
    """The canvas's base64 bytes (row by row, channels last) -> float32 values in [0, 1].

    >>> drawing_from_payload("AP8=", rows=1, cols=2)
    array([[0., 1.]], dtype=float32)
    """
    _check_shape(rows, cols, channels)
    if not isinstance(data, str):
        raise TypeError(f"data must be a base64 string; got {type(data).__name__}.")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("data is not valid base64.") from None
    expected = rows * cols * channels
    if len(raw) != expected:
        raise ValueError(
            f"data holds {len(raw)} bytes; a {rows}x{cols} drawing with {channels} "
            f"channel(s) needs {expected}."
        )
    values = np.frombuffer(raw, np.uint8).astype(np.float32) / np.float32(255.0)
    shape = (rows, cols) if channels == 1 else (rows, cols, channels)
    return _clean(values.reshape(shape))


def drawing_bytes(values: np.ndarray) -> bytes:
    """float32 values in [0, 1] -> the bytes the canvas paints (0..255, channels last)."""
    array = np.asarray(values, np.float32)
    if array.ndim not in (2, 3):
        raise ValueError(f"values must be (H, W) or (H, W, 3); got shape {array.shape}.")
    return np.round(np.clip(array, 0.0, 1.0) * 255.0).astype(np.uint8).tobytes()


def resample_drawing(values: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """The drawing on another grid: each new cell averages the old cells it covers.

    Area averaging (Pillow's BOX) shrinks a stroke without losing it and grows
    one into blocks; the result is cleaned like every drawn value. The same grid
    returns the values unchanged.

    >>> resample_drawing(np.eye(2, dtype=np.float32), 1, 1)
    array([[0.5]], dtype=float32)
    """
    array = np.asarray(values, np.float32)
    channels = 1 if array.ndim == 2 else array.shape[2]
    _check_shape(rows, cols, channels)
    if array.shape[:2] == (rows, cols):
        return _clean(array)
    planes = array[..., None] if array.ndim == 2 else array
    out = np.stack(
        [
            np.asarray(
                Image.fromarray(np.ascontiguousarray(planes[..., c])).resize(
                    (cols, rows), Image.Resampling.BOX
                ),
                np.float32,
            )
            for c in range(planes.shape[2])
        ],
        axis=-1,
    )
    return _clean(out[..., 0] if array.ndim == 2 else out)


def ink_to_input(ink: np.ndarray, strokes: str = "bright") -> np.ndarray:
    """A grey drawing's ink -> the page's input: "bright" keeps it, "dark" is 1 - ink.

    >>> ink_to_input(np.array([[0.0, 0.25]], np.float32), "dark")
    array([[1.  , 0.75]], dtype=float32)
    """
    if strokes not in ("bright", "dark"):
        raise ValueError(f"strokes must be 'bright' or 'dark'; got {strokes!r}.")
    array = _clean(ink)
    return array if strokes == "bright" else _clean(1.0 - array)
