"""The colour rules every way in shares: greyscale by luminance, transparency on white.

An upload, a drawing and a sample must turn into the same greys for the same
pixels, so the rules live here once.
"""

from __future__ import annotations

import numpy as np

__all__ = ["LUMA", "on_white"]

LUMA = np.array([0.299, 0.587, 0.114], dtype=np.float32)  # ITU-R 601, as Pillow's "L"


def on_white(colour: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Composite ``colour`` (values in [0, 1]) with opacity ``alpha`` over white, as float32.

    >>> on_white(np.array([0.0, 0.0]), np.array([1.0, 0.25]))
    array([0.  , 0.75], dtype=float32)
    """
    out = colour if alpha is None else alpha * colour + (1.0 - alpha)
    return np.clip(out, 0.0, 1.0).astype(np.float32, copy=False)
