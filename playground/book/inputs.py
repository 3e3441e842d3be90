"""The book's small inputs, built once: its 3x3 X, 2x2 K, the 6x8 bars image and its edge kernel.

Lessons, the Learn page's book problem and the book's Keras cells all start
from these. The channels-first helpers reproduce 5.3's multi-channel cells
with the playground's channels-last ``conv2d``.

>>> bars()[0]
array([1., 1., 0., 0., 0., 0., 1., 1.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from playground.conv import conv2d

__all__ = [
    "EDGE_KERNEL",
    "bars",
    "channels_first",
    "k2",
    "multi_in",
    "multi_in_out",
    "x3",
    "x16",
]

EDGE_KERNEL = ((1.0, -1.0),)


def x3() -> np.ndarray:
    return np.arange(9, dtype=np.float32).reshape(3, 3)


def k2() -> np.ndarray:
    return np.arange(4, dtype=np.float32).reshape(2, 2)


def bars() -> np.ndarray:
    """The book's 6x8 image: ones with a band of zeros in columns 2 to 5."""
    x = np.ones((6, 8), np.float32)
    x[:, 2:6] = 0
    return x


def x16() -> np.ndarray:
    return np.arange(16, dtype=np.float32).reshape(4, 4)


def channels_first(X, K) -> np.ndarray:
    """conv2d on the book's channels-first arrays: X (c_i, h, w), K (c_o, c_i, kh, kw).

    The playground (like Keras) keeps channels last, so move them there and back.
    """
    out = conv2d(np.moveaxis(X, 0, -1), np.transpose(K, (2, 3, 1, 0)))
    return np.moveaxis(out, -1, 0)


def multi_in() -> np.ndarray:
    """The book's two-channel X (2, 3, 3) with its kernel K (2, 2, 2): one output map."""
    X = np.stack([x3(), x3() + 1])
    K = np.stack([k2(), k2() + 1])
    return channels_first(X, K[None])[0]


def multi_in_out() -> np.ndarray:
    """The same X with the kernels K, K + 1, K + 2 stacked: three output maps."""
    X = np.stack([x3(), x3() + 1])
    K = np.stack([k2(), k2() + 1])
    return channels_first(X, np.stack([K, K + 1, K + 2]))
