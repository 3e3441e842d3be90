"""Pooling with Keras' semantics: the max or the average of each window, channel by channel.

D2L 5.4. Shares the window geometry of :mod:`playground.conv` (a pool is a
window without weights), resolved once by :func:`playground.shapes.resolve_geometry`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from playground.conv import pad_by
from playground.i18n import N_, Message, TranslatedError
from playground.shapes import Geometry, resolve_geometry
from playground.validation import as_float_array, as_pair, normalize_padding

__all__ = ["pool2d", "pool_geometry"]
MODES = ("max", "avg")
# the reason a page shows (translated) when a pooling setting has no output
_WINDOW_TOO_LARGE = N_(
    "The pooling window {h}×{w} is larger than the padded input {padded} (input {input}, "
    "padding={padding}), so no window fits. Use padding='same', a smaller window or a "
    "larger input."
)


def pool_geometry(input_hw, pool_size, *, strides=None, padding="valid") -> Geometry:
    """The window geometry of a pooling layer, with a message that speaks of a window.

    >>> pool_geometry((4, 4), 3, strides=2, padding=1).output_hw
    (2, 2)
    """
    size = as_pair(pool_size, "pool_size")
    step = size if strides is None else as_pair(strides, "strides")
    mode = normalize_padding(padding)
    if mode == "full":
        raise ValueError("padding='full' is not defined for pooling; use 'valid' or 'same'.")
    n = as_pair(tuple(input_hw), "input_hw")
    pads = ((0, 0), (0, 0)) if mode in ("valid", "same") else mode
    padded = (n[0] + sum(pads[0]), n[1] + sum(pads[1]))
    for side, k, axis in ((pads[0], size[0], "rows"), (pads[1], size[1], "columns")):
        if max(side) >= k:
            # a window could then lie on padding alone: no number to take the max or mean of
            raise ValueError(
                f"A padding of {max(side)} is as wide as the window's {k} {axis}, so some "
                "windows would cover only padding. Use a padding smaller than the window "
                "(TensorFlow asks the same), or 'valid' or 'same'."
            )
    if mode != "same" and (size[0] > padded[0] or size[1] > padded[1]):
        raise TranslatedError(
            Message(
                _WINDOW_TOO_LARGE,
                {
                    "h": size[0],
                    "w": size[1],
                    "padded": padded,
                    "input": n,
                    "padding": repr(padding),
                },
            )
        )
    return resolve_geometry(n, size, step, (1, 1), padding)


def pool2d(
    x: ArrayLike,
    pool_size: int | tuple[int, int],
    *,
    strides: int | tuple[int, int] | None = None,
    padding: str | int | tuple = "valid",
    mode: str = "max",
) -> np.ndarray:
    """Max or average pooling with Keras' semantics (each channel on its own).

    Parameters
    ----------
    x : array_like, shape (H, W) or (H, W, C)
    pool_size : int or (h, w)
    strides : int or (h, w); defaults to ``pool_size``, as in Keras
    padding : "valid" or "same" (TensorFlow's placement), or an explicit
        padding as for ``conv2d``. Padded cells never count: they are
        ignored by "max" and left out of the "avg" denominator, as TensorFlow
        does for "same".
    mode : "max" or "avg"

    Returns
    -------
    np.ndarray, float32
        (OH, OW) for a 2D x, (OH, OW, C) for a 3D one, with (OH, OW) =
        ``output_shape((H, W), pool_size, strides=strides, padding=padding)``.

    Examples
    --------
    >>> X = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    >>> pool2d(X, 2, strides=1)
    array([[4., 5.],
           [7., 8.]], dtype=float32)
    >>> pool2d(X, 2, strides=1, mode="avg")
    array([[2., 3.],
           [5., 6.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2, 3))
    if mode not in MODES:
        raise ValueError(f"mode must be 'max' or 'avg'; got {mode!r}.")
    x3 = x if x.ndim == 3 else x[:, :, None]
    geometry = pool_geometry(x3.shape[:2], pool_size, strides=strides, padding=padding)
    size, step = geometry.kernel_hw, geometry.strides
    oh, ow = geometry.output_hw
    fill = -np.inf if mode == "max" else 0.0
    xp = pad_by(x3, geometry.pads, np.float32(fill))
    windows = np.lib.stride_tricks.sliding_window_view(xp, size, axis=(0, 1))
    windows = windows[: (oh - 1) * step[0] + 1 : step[0], : (ow - 1) * step[1] + 1 : step[1]]
    if mode == "max":
        out = windows.max(axis=(-2, -1))
    else:
        real = pad_by(np.ones(x3.shape[:2], np.float32), geometry.pads, np.float32(0))
        counts = np.lib.stride_tricks.sliding_window_view(real, size)
        counts = counts[: (oh - 1) * step[0] + 1 : step[0], : (ow - 1) * step[1] + 1 : step[1]]
        out = windows.sum(axis=(-2, -1)) / counts.sum(axis=(-2, -1))[:, :, None]
    out = out.astype(np.float32, copy=False)
    return out if x.ndim == 3 else out[:, :, 0]
