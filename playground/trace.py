"""The sliding window, one output cell at a time, with every multiply-and-add.

For output cell (i, j) the window's top-left corner sits at row i * s_h and
column j * s_w of the *padded* input, and its taps are d apart. A trace
lists those input cells (marking the ones that fall in the padding), the
products with the kernel, their sum, the bias and the value, which is the
same number ``conv2d`` puts in that cell for every setting.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.shapes import resolve_geometry
from playground.validation import as_float_array, as_pair, check_bool, check_scalar_bias


@dataclass(frozen=True)
class WindowTrace:
    """Everything that happens for one output cell.

    Arrays are (kh, kw) and read-only. ``rows``/``cols`` are coordinates in
    the padded input; ``input_rows``/``input_cols`` the same cells in the
    original input (negative or past the edge when ``in_padding``).
    """

    out_index: tuple[int, int]
    step: int  # 0-based position in raster order (left to right, top to bottom)
    rows: tuple[int, ...]
    cols: tuple[int, ...]
    input_rows: tuple[int, ...]
    input_cols: tuple[int, ...]
    in_padding: np.ndarray
    values: np.ndarray
    weights: np.ndarray
    products: np.ndarray
    total: float
    bias: float
    value: float

    def equation(self, digits: int = 3) -> str:
        """The arithmetic in one line, e.g. '0×0 + 1×1 + 3×2 + 4×3 = 19'."""
        terms = [
            f"{format_number(v, digits)}×{format_number(w, digits)}"
            for v, w in zip(self.values.ravel(), self.weights.ravel(), strict=True)
        ]
        text = " + ".join(terms)
        if self.bias:
            text += f" + {format_number(self.bias, digits)} (bias)"
        return f"{text} = {format_number(self.value, digits)}"


def format_number(value: float, digits: int = 3) -> str:
    """Short, honest number text: '19', '-0.5', '0.333', '1.2e+04'.

    >>> format_number(19.0), format_number(-0.5), format_number(1 / 3)
    ('19', '-0.5', '0.333')
    """
    value = float(value)
    if value == 0:
        return "0"  # also folds -0.0, which would only confuse a student
    if value.is_integer() and abs(value) < 1e6:
        return str(int(value))
    if 1e-3 <= abs(value) < 1e6:
        return f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return f"{value:.{digits - 1}e}"


def _frozen(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


class _Window:
    """Shared, validated geometry of one (x, kernel, settings) combination."""

    def __init__(self, x, kernel, strides, padding, dilation_rate, bias, flip):
        self.x = as_float_array(x, "x", ndims=(2,))
        kernel = as_float_array(kernel, "kernel", ndims=(2,))
        s = as_pair(strides, "strides")
        d = as_pair(dilation_rate, "dilation_rate")
        self.kernel = kernel[::-1, ::-1] if check_bool(flip, "flip") else kernel
        # a trace draws one 2D kernel, so its bias is one number (conv2d also takes a list)
        self.bias = check_scalar_bias(bias)
        self.geometry = resolve_geometry(self.x.shape, self.kernel.shape, s, d, padding)
        self.s, self.d = s, d
        self.pads, self.out_hw = self.geometry.pads, self.geometry.output_hw

    def trace(self, i: int, j: int) -> WindowTrace:
        (top, _), (left, _) = self.pads
        kh, kw = self.kernel.shape
        rows = tuple(i * self.s[0] + u * self.d[0] for u in range(kh))
        cols = tuple(j * self.s[1] + v * self.d[1] for v in range(kw))
        input_rows = tuple(r - top for r in rows)
        input_cols = tuple(c - left for c in cols)
        h, w = self.x.shape
        row_ok = np.array([0 <= r < h for r in input_rows])
        col_ok = np.array([0 <= c < w for c in input_cols])
        inside = row_ok[:, None] & col_ok[None, :]
        values = np.zeros((kh, kw), np.float32)
        r_idx = np.clip(input_rows, 0, h - 1)
        c_idx = np.clip(input_cols, 0, w - 1)
        values[inside] = self.x[np.ix_(r_idx, c_idx)][inside]
        products = values * self.kernel
        total = float(products.sum(dtype=np.float64))
        return WindowTrace(
            out_index=(i, j),
            step=i * self.out_hw[1] + j,
            rows=rows,
            cols=cols,
            input_rows=input_rows,
            input_cols=input_cols,
            in_padding=_frozen(~inside),
            values=_frozen(values),
            weights=_frozen(self.kernel.copy()),
            products=_frozen(products),
            total=total,
            bias=self.bias,
            value=float(np.float32(total) + np.float32(self.bias)),
        )


def trace_cell(
    x: ArrayLike,
    kernel: ArrayLike,
    out_index: Sequence[int],
    *,
    strides: int | tuple[int, int] = 1,
    padding: str | int | tuple = "valid",
    dilation_rate: int | tuple[int, int] = 1,
    bias: float = 0.0,
    flip: bool = False,
) -> WindowTrace:
    """Trace one output cell of ``conv2d(x, kernel, ...)`` (2D input and kernel).

    Parameters
    ----------
    x : array_like, shape (H, W)
    kernel : array_like, shape (kh, kw)
    out_index : (int, int)
        (row, column) of the output cell, each from 0.
    strides, padding, dilation_rate, bias, flip
        As for :func:`playground.conv2d`; ``bias`` is one number.

    Returns
    -------
    WindowTrace
        The window's cells, the values under it, the weights, the (kh, kw)
        products, their sum, the bias and the value ``conv2d`` puts in that
        cell.

    Raises
    ------
    ValueError
        When ``out_index`` lies outside the output, or the setting has no output.

    Examples
    --------
    >>> t = trace_cell([[0, 1, 2], [3, 4, 5], [6, 7, 8]], [[0, 1], [2, 3]], (0, 0))
    >>> t.equation()
    '0×0 + 1×1 + 3×2 + 4×3 = 19'
    """
    (trace,) = trace_cells(
        x,
        kernel,
        [out_index],
        strides=strides,
        padding=padding,
        dilation_rate=dilation_rate,
        bias=bias,
        flip=flip,
    )
    return trace


def trace_steps(
    x: ArrayLike,
    kernel: ArrayLike,
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
    bias: float = 0.0,
    flip: bool = False,
) -> Iterator[WindowTrace]:
    """Every output cell's trace in the order the window slides: left to right, top down.

    >>> [t.value for t in trace_steps([[1, 1, 0, 0]], [[1, -1]])]
    [0.0, 1.0, 0.0]
    """
    window = _Window(x, kernel, strides, padding, dilation_rate, bias, flip)
    oh, ow = window.out_hw
    for i in range(oh):
        for j in range(ow):
            yield window.trace(i, j)


def trace_cells(
    x: ArrayLike,
    kernel: ArrayLike,
    out_indices: Sequence[Sequence[int]],
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
    bias: float = 0.0,
    flip: bool = False,
) -> list[WindowTrace]:
    """:func:`trace_cell` for several cells of one setting, validated and resolved once.

    The Sliding window page traces the current step and the one before it.

    >>> [t.value for t in trace_cells([[1, 1, 0, 0]], [[1, -1]], [(0, 1), (0, 0)])]
    [1.0, 0.0]
    """
    window = _Window(x, kernel, strides, padding, dilation_rate, bias, flip)
    oh, ow = window.out_hw
    traces = []
    for out_index in out_indices:
        i, j = as_pair(out_index, "out_index", minimum=0)
        if i >= oh or j >= ow:
            raise ValueError(
                f"out_index must be inside the output of shape {window.out_hw}; got {(i, j)}."
            )
        traces.append(window.trace(i, j))
    return traces
