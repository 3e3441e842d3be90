"""Several input and output channels (D2L 5.3): per-channel maps, their sum, the 1x1 mix.

A convolution over C_in channels correlates each channel with its own 2D
kernel and adds the C_in maps (plus one bias) into ONE output channel; C_out
such kernel stacks make C_out output channels. The kernel tensor is
(kh, kw, C_in, C_out), channels last as in Keras (the book's MXNet layout is
(C_out, C_in, kh, kw)). A 1x1 kernel has no neighbours: it mixes each pixel's
channels, which is a matrix multiply over the channel axis.

The output comes from :func:`playground.conv.conv2d`; the per-channel maps
from the same function one plane at a time, so a page can show each part of
the sum and the sum itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.conv import conv2d
from playground.i18n import N_, Message, TranslatedError
from playground.images.colour import LUMA
from playground.kernels import get_kernel
from playground.trace import WindowTrace, trace_cell
from playground.validation import as_float_array, as_pair

__all__ = [
    "MIXES",
    "STACK_PRESETS",
    "ChannelCell",
    "ChannelConv",
    "MatmulCheck",
    "channel_cell",
    "channel_conv",
    "clamp_cell",
    "clamp_channel",
    "conv1x1_check",
    "mix_weights",
    "split_channels",
    "stack_kernel",
    "stack_preset",
]

MAX_OUT_CHANNELS = 4


def split_channels(x: ArrayLike) -> tuple[np.ndarray, ...]:
    """The C planes of an (H, W, C) array, each (H, W) float32.

    >>> [p.tolist() for p in split_channels([[[1, 2, 3]]])]
    [[[1.0]], [[2.0]], [[3.0]]]
    """
    x = as_float_array(x, "x", ndims=(3,))
    return tuple(np.ascontiguousarray(x[:, :, c]) for c in range(x.shape[2]))


@dataclass(frozen=True)
class ChannelConv:
    """One multi-channel convolution and its parts.

    ``maps[:, :, c, o]`` is input channel c correlated with its kernel
    ``kernel[:, :, c, o]``; ``output[:, :, o]`` is conv2d's result, equal to
    the sum of those maps over c plus ``bias[o]``.
    """

    x: np.ndarray  # (H, W, C_in)
    kernel: np.ndarray  # (kh, kw, C_in, C_out)
    bias: np.ndarray  # (C_out,)
    maps: np.ndarray  # (OH, OW, C_in, C_out)
    output: np.ndarray  # (OH, OW, C_out)
    strides: tuple[int, int]
    padding: str

    @property
    def kernel_shape(self) -> tuple[int, int, int, int]:
        return tuple(int(n) for n in self.kernel.shape)

    @property
    def output_shape(self) -> tuple[int, int, int]:
        return tuple(int(n) for n in self.output.shape)


def channel_conv(
    x: ArrayLike,
    kernel: ArrayLike,
    *,
    bias: float | ArrayLike = 0.0,
    strides: int | tuple[int, int] = 1,
    padding: str = "valid",
) -> ChannelConv:
    """conv2d over C_in channels to C_out channels, with every channel's own map kept.

    Parameters
    ----------
    x : array_like, shape (H, W, C_in)
    kernel : array_like, shape (kh, kw, C_in, C_out)
    bias : number, or one per output channel
    strides, padding : as for :func:`playground.conv2d`

    Examples
    --------
    >>> X = np.stack([np.arange(9.).reshape(3, 3), np.arange(1., 10).reshape(3, 3)], -1)
    >>> K = np.stack([np.arange(4.).reshape(2, 2), np.arange(1., 5).reshape(2, 2)], -1)
    >>> channel_conv(X, K[..., None]).output[:, :, 0]
    array([[ 56.,  72.],
           [104., 120.]], dtype=float32)
    """
    x = as_float_array(x, "x", ndims=(3,))
    kernel = as_float_array(kernel, "kernel", ndims=(4,))
    output = conv2d(x, kernel, bias=bias, strides=strides, padding=padding)
    c_in, c_out = kernel.shape[2:]
    maps = np.stack(
        [
            np.stack(
                [
                    conv2d(x[:, :, c], kernel[:, :, c, o], strides=strides, padding=padding)
                    for c in range(c_in)
                ],
                axis=-1,
            )
            for o in range(c_out)
        ],
        axis=-1,
    )
    b = np.broadcast_to(np.asarray(bias, np.float32).reshape(-1), (c_out,)).copy()
    return ChannelConv(x, kernel, b, maps, output, as_pair(strides, "strides"), padding)


@dataclass(frozen=True)
class ChannelCell:
    """One output cell of one output channel: each input channel's window, sum and the total."""

    out_index: tuple[int, int]
    out_channel: int
    traces: tuple[WindowTrace, ...]  # one per input channel, without the bias
    bias: float
    value: float  # what conv2d put in the cell

    @property
    def sums(self) -> tuple[float, ...]:
        return tuple(t.value for t in self.traces)


def clamp_cell(cell: Sequence[int], out_hw: Sequence[int]) -> tuple[int, int]:
    """A chosen (row, column) pulled inside an output of ``out_hw`` (settings can shrink it)."""
    return (
        min(max(int(cell[0]), 0), int(out_hw[0]) - 1),
        min(max(int(cell[1]), 0), int(out_hw[1]) - 1),
    )


def clamp_channel(channel: int, count: int) -> int:
    """A chosen 0-based channel pulled inside ``count`` channels."""
    return min(max(int(channel), 0), int(count) - 1)


def channel_cell(conv: ChannelConv, out_index: Sequence[int], out_channel: int) -> ChannelCell:
    """Trace one output cell across every input channel.

    >>> X = np.stack([np.arange(9.).reshape(3, 3), np.arange(1., 10).reshape(3, 3)], -1)
    >>> K = np.stack([np.arange(4.).reshape(2, 2), np.arange(1., 5).reshape(2, 2)], -1)
    >>> cell = channel_cell(channel_conv(X, K[..., None]), (0, 0), 0)
    >>> cell.sums, cell.value
    ((19.0, 37.0), 56.0)
    """
    i, j = as_pair(out_index, "out_index", minimum=0)
    c_out = conv.kernel.shape[3]
    if not 0 <= out_channel < c_out:
        raise ValueError(f"out_channel must be from 0 to {c_out - 1}; got {out_channel}.")
    traces = tuple(
        trace_cell(
            conv.x[:, :, c],
            conv.kernel[:, :, c, out_channel],
            (i, j),
            strides=conv.strides,
            padding=conv.padding,
        )
        for c in range(conv.kernel.shape[2])
    )
    value = float(conv.output[i, j, out_channel])
    return ChannelCell((i, j), out_channel, traces, float(conv.bias[out_channel]), value)


# ---------------------------------------------------------------- kernel stacks

# (kh, kw, C_in) stacks for one output channel, built for any number of input channels
STACK_PRESETS = (
    "book",
    "edges_red",
    "grey_edges",
    "red_minus_green",
    "green_only",
    "blur",
)


def stack_preset(name: str, channels_in: int, out_channel: int = 0) -> np.ndarray:
    """The kernel stack ``name`` for ``channels_in`` input channels, shape (kh, kw, C_in).

    "book" is D2L's: K + c for input channel c, plus ``out_channel`` (its K, K+1, K+2).

    >>> stack_preset("book", 2)[:, :, 1]
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    c = int(channels_in)
    if name == "book":
        base = np.arange(4, dtype=np.float32).reshape(2, 2)
        return np.stack([base + k + out_channel for k in range(c)], axis=-1)
    stack = np.zeros((3, 3, c), np.float32)
    centre = np.zeros((3, 3), np.float32)
    centre[1, 1] = 1
    if name == "edges_red":
        stack[:, :, 0] = get_kernel("sobel_left")
    elif name == "grey_edges":
        weights = LUMA if c == 3 else np.full(c, 1 / c, np.float32)
        stack[:] = get_kernel("sobel_left")[:, :, None] * weights
    elif name == "red_minus_green":
        stack[:, :, 0] = centre
        if c > 1:
            stack[:, :, 1] = -centre
    elif name == "green_only":
        stack[:, :, min(1, c - 1)] = centre
    elif name == "blur":
        stack[:] = 1 / (9 * c)
    else:
        raise ValueError(f"name must be one of {', '.join(STACK_PRESETS)}; got {name!r}.")
    return stack


# sentences a page shows (translated) when a layer or a mix cannot be built
_SIZES_DIFFER = N_(
    "Every output channel's kernels must have the same size, as one layer has one "
    "kernel size; got {sizes}. Choose stacks of one size."
)
_GREY_NEEDS_RGB = N_(
    "The grey mix weighs red, green and blue, so it needs 3 channels; this input "
    "has {channels}. Choose a photo, or the average."
)


def stack_kernel(stacks: Sequence[ArrayLike]) -> np.ndarray:
    """C_out stacks of (kh, kw, C_in) -> the kernel tensor (kh, kw, C_in, C_out).

    Every stack must have the same shape: one layer has one kernel size.
    """
    arrays = [as_float_array(s, "stack", ndims=(3,)) for s in stacks]
    if not arrays or len(arrays) > MAX_OUT_CHANNELS:
        raise ValueError(f"Give 1 to {MAX_OUT_CHANNELS} kernel stacks; got {len(arrays)}.")
    shapes = [a.shape for a in arrays]
    if len(set(shapes)) > 1:
        sizes = ", ".join(f"{s[0]}×{s[1]}" for s in shapes)
        raise TranslatedError(Message(_SIZES_DIFFER, {"sizes": sizes}))
    return np.stack(arrays, axis=-1)


# ---------------------------------------------------------------- the 1x1 convolution

MIXES = ("grey", "swap_rb", "average")


def mix_weights(name: str, channels_in: int) -> np.ndarray:
    """The (C_in, C_out) matrix of a 1x1 mix: grey (ITU-R 601), red-blue swap, or the mean."""
    c = int(channels_in)
    if name == "grey":
        if c != 3:
            raise TranslatedError(Message(_GREY_NEEDS_RGB, {"channels": c}))
        return LUMA.reshape(3, 1).copy()
    if name == "swap_rb":  # the first and the last channel trade places
        return _swap_ends(c)
    if name == "average":
        return np.full((c, 1), 1 / c, np.float32)
    raise ValueError(f"name must be one of {', '.join(MIXES)}; got {name!r}.")


def _swap_ends(c: int) -> np.ndarray:
    order = list(range(c))
    order[0], order[-1] = order[-1], order[0]
    return np.eye(c, dtype=np.float32)[:, order]


@dataclass(frozen=True)
class MatmulCheck:
    """A 1x1 convolution and the same numbers as one matrix multiply over the channel axis."""

    weights: np.ndarray  # (C_in, C_out)
    by_conv: np.ndarray  # conv2d with the (1, 1, C_in, C_out) kernel: (H, W, C_out)
    by_matmul: np.ndarray  # X reshaped to (H*W, C_in) @ weights, reshaped back
    max_difference: float

    @property
    def equal(self) -> bool:
        return self.max_difference <= 1e-5 * max(1.0, float(np.abs(self.by_conv).max()))


def conv1x1_check(x: ArrayLike, weights: ArrayLike) -> MatmulCheck:
    """The book's point, checked: a 1x1 convolution is (H*W, C_in) @ (C_in, C_out).

    >>> check = conv1x1_check(np.ones((2, 2, 3)), np.ones((3, 1)))
    >>> check.by_matmul[:, :, 0], check.equal
    (array([[3., 3.],
           [3., 3.]], dtype=float32), True)
    """
    x = as_float_array(x, "x", ndims=(3,))
    w = as_float_array(weights, "weights", ndims=(2,))
    if w.shape[0] != x.shape[2]:
        raise ValueError(
            f"weights must have one row per input channel ({x.shape[2]}); got shape {w.shape}."
        )
    by_conv = conv2d(x, w[None, None])
    h, wd, c = x.shape
    by_matmul = (x.reshape(h * wd, c) @ w).reshape(h, wd, w.shape[1]).astype(np.float32)
    diff = float(np.abs(by_conv - by_matmul).max()) if by_conv.size else 0.0
    return MatmulCheck(w, by_conv, by_matmul, diff)
