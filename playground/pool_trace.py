"""Pooling one window at a time, and the book's two pictures around it (D2L 5.4).

- :func:`pool_traces`: every window of a pooling layer on a 2D input, with
  the cells it covers, which of them are padding, where its max is and its
  value, the same number :func:`playground.pool2d` puts in that cell.
- :func:`shift_demo`: the book's reason for pooling. An edge map moves with
  its image; after pooling a one-pixel shift changes far fewer cells.
- :func:`conv_then_pool`: a convolution followed by pooling, with the shape
  at each stage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.conv import conv2d
from playground.pooling import MODES, pool2d, pool_geometry
from playground.validation import as_float_array, as_pair

__all__ = [
    "ConvPool",
    "PoolSettings",
    "PoolTrace",
    "ShiftDemo",
    "conv_then_pool",
    "pool_traces",
    "shift_demo",
    "shift_image",
    "two_channels",
]


@dataclass(frozen=True)
class PoolSettings:
    """One pooling layer: window, stride (None: the window, as Keras), padding and mode."""

    size: tuple[int, int] = (2, 2)
    strides: tuple[int, int] | None = None
    padding: str | int = "valid"
    mode: str = "max"

    def __post_init__(self):
        if self.mode not in MODES:
            raise ValueError(f"mode must be 'max' or 'avg'; got {self.mode!r}.")

    def kwargs(self) -> dict:
        return {"strides": self.strides, "padding": self.padding, "mode": self.mode}


@dataclass(frozen=True)
class PoolTrace:
    """One window: padded-input cells it covers, their values and what the pool makes of them.

    ``values`` is (h, w) with NaN where the window lies on padding (padding
    never counts: not for the max, not in the average's count).
    """

    out_index: tuple[int, int]
    top_left: tuple[int, int]  # in the padded input
    size: tuple[int, int]
    values: np.ndarray
    mode: str
    value: float
    winner: tuple[int, int] | None  # (row, col) in the padded input of the max, for "max"

    @property
    def counted(self) -> np.ndarray:
        """The real (non-padding) values, row by row."""
        flat = self.values.ravel()
        return flat[~np.isnan(flat)]


def pool_traces(x: ArrayLike, settings: PoolSettings) -> tuple[tuple[PoolTrace, ...], ...]:
    """Every window of ``pool2d(x, ...)`` as rows of :class:`PoolTrace` (2D x).

    >>> traces = pool_traces(np.arange(9).reshape(3, 3), PoolSettings(strides=(1, 1)))
    >>> [[t.value for t in row] for row in traces]
    [[4.0, 5.0], [7.0, 8.0]]
    >>> traces[0][0].winner
    (1, 1)
    """
    x = as_float_array(x, "x", ndims=(2,))
    geometry = pool_geometry(
        x.shape, settings.size, strides=settings.strides, padding=settings.padding
    )
    (top, bottom), (left, right) = geometry.pads
    padded = np.pad(x.astype(np.float64), ((top, bottom), (left, right)), constant_values=np.nan)
    output = pool2d(x, settings.size, **settings.kwargs())
    (h, w), (sh, sw) = geometry.kernel_hw, geometry.strides
    rows = []
    for i in range(geometry.output_hw[0]):
        row = []
        for j in range(geometry.output_hw[1]):
            r, c = i * sh, j * sw
            window = padded[r : r + h, c : c + w].copy()
            winner = None
            if settings.mode == "max":
                u, v = np.unravel_index(np.nanargmax(window), window.shape)
                winner = (r + int(u), c + int(v))
            window.setflags(write=False)
            row.append(
                PoolTrace(
                    (i, j), (r, c), (h, w), window, settings.mode, float(output[i, j]), winner
                )
            )
        rows.append(tuple(row))
    return tuple(rows)


def shift_image(x: ArrayLike, shift: tuple[int, int]) -> np.ndarray:
    """The image moved by (rows, columns); the edge it leaves repeats its border pixels.

    >>> shift_image([[1, 0, 0, 1]], (0, -1))
    array([[0., 0., 1., 1.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(2,))
    dr, dc = (int(v) for v in shift)
    h, w = x.shape
    if abs(dr) >= h or abs(dc) >= w:
        raise ValueError(f"shift must be smaller than the image {x.shape}; got {shift}.")
    padded = np.pad(x, ((abs(dr), abs(dr)), (abs(dc), abs(dc))), mode="edge")
    return padded[abs(dr) - dr : abs(dr) - dr + h, abs(dc) - dc : abs(dc) - dc + w].copy()


@dataclass(frozen=True)
class ShiftDemo:
    """An edge map and the edge map of the shifted image, before and after pooling."""

    edges: np.ndarray
    shifted_edges: np.ndarray
    pooled: np.ndarray
    shifted_pooled: np.ndarray

    @property
    def changed_before(self) -> int:
        return int(np.count_nonzero(self.edges != self.shifted_edges))

    @property
    def changed_after(self) -> int:
        return int(np.count_nonzero(self.pooled != self.shifted_pooled))


def shift_demo(
    x: ArrayLike, kernel: ArrayLike, shift: tuple[int, int], settings: PoolSettings
) -> ShiftDemo:
    """Edge maps of x and of x shifted, and both pooled: how many cells does the shift change?

    >>> from playground.book.inputs import bars
    >>> demo = shift_demo(bars(), [[1, -1]], (0, -1), PoolSettings())
    >>> demo.changed_before, demo.changed_after
    (24, 0)
    """
    edges = conv2d(x, kernel)
    shifted = conv2d(shift_image(x, shift), kernel)
    pool = (settings.size, settings.kwargs())
    return ShiftDemo(
        edges, shifted, pool2d(edges, pool[0], **pool[1]), pool2d(shifted, pool[0], **pool[1])
    )


@dataclass(frozen=True)
class ConvPool:
    """Input -> convolution -> pooling, and the (H, W) shape at each stage."""

    conv_output: np.ndarray
    pooled: np.ndarray
    shapes: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]


def conv_then_pool(
    x: ArrayLike, kernel: ArrayLike, *, conv_padding: str = "valid", pool: PoolSettings
) -> ConvPool:
    """A convolution (stride 1), then pooling of its output.

    >>> stages = conv_then_pool(np.ones((6, 8)), [[1, -1]], pool=PoolSettings())
    >>> stages.shapes
    ((6, 8), (6, 7), (3, 3))
    """
    x = as_float_array(x, "x", ndims=(2,))
    conv_output = conv2d(x, kernel, padding=conv_padding)
    pooled = pool2d(conv_output, pool.size, **pool.kwargs())
    shapes = (as_pair(x.shape, "x"), conv_output.shape, pooled.shape)
    return ConvPool(conv_output, pooled, tuple(tuple(int(n) for n in s) for s in shapes))


def two_channels(x: ArrayLike) -> np.ndarray:
    """The book's two-channel input: x and x + 1 stacked on a last axis, (H, W, 2)."""
    x = as_float_array(x, "x", ndims=(2,))
    return np.stack([x, x + 1], axis=-1)
