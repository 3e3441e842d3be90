"""Output shapes, padding amounts and receptive fields.

Everything here is integer arithmetic on shapes; no arrays are touched. The
public functions normalise their arguments once, at the boundary (like Keras'
``standardize_tuple``), so ``strides=2`` becomes ``(2, 2)`` early and every
error names the argument, states the rule and echoes the value received.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Pair = tuple[int, int]
Padding4 = tuple[Pair, Pair]  # ((top, bottom), (left, right))

PADDING_MODES = ("valid", "same", "full")


def _is_int(value) -> bool:
    # bool is an int subclass, but strides=True is a bug, not a stride of 1
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def as_pair(value, name: str, *, minimum: int = 1) -> Pair:
    """Normalise an int or an (h, w) pair of ints to a pair, validating both.

    >>> as_pair(2, "strides")
    (2, 2)
    >>> as_pair((1, 3), "strides")
    (1, 3)
    """
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = tuple(value.tolist())  # e.g. a shape or an index held in an array
    if _is_int(value):
        pair = (int(value), int(value))
    elif (
        isinstance(value, Sequence)
        and not isinstance(value, str)
        and len(value) == 2
        and all(_is_int(v) for v in value)
    ):
        pair = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{name} must be an int or a pair of ints (height, width); got {value!r}.")
    if min(pair) < minimum:
        raise ValueError(f"{name} must be at least {minimum} in each direction; got {value!r}.")
    return pair


def effective_kernel(kernel_hw: Pair, dilation: Pair) -> Pair:
    """Extent of a dilated kernel: (k - 1) * d + 1 in each direction.

    >>> effective_kernel((3, 3), (2, 2))
    (5, 5)
    """
    return tuple((k - 1) * d + 1 for k, d in zip(kernel_hw, dilation, strict=True))


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
        if _is_int(padding):
            amounts = ((padding, padding), (padding, padding))
        elif len(padding) == 2 and all(_is_int(p) for p in padding):
            amounts = ((padding[0], padding[0]), (padding[1], padding[1]))
        elif len(padding) == 2 and all(
            len(side) == 2 and all(_is_int(p) for p in side) for side in padding
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


def resolve_geometry(n: Pair, k: Pair, s: Pair, d: Pair, padding) -> tuple[Padding4, Pair]:
    """Padding amounts and output shape from already-normalised pairs.

    The one place the arithmetic lives; ``padding_amounts``, ``output_shape``
    and ``conv2d`` all call it after normalising their arguments once.
    """
    mode = normalize_padding(padding)
    k_eff = effective_kernel(k, d)
    if mode == "valid":
        pads = ((0, 0), (0, 0))
    elif mode == "full":
        pads = tuple((ke - 1, ke - 1) for ke in k_eff)
    elif mode == "same":
        sides = []
        for size, ke, step in zip(n, k_eff, s, strict=True):
            out = math.ceil(size / step)
            total = max((out - 1) * step + ke - size, 0)
            sides.append((total // 2, total - total // 2))
        pads = tuple(sides)
    else:
        pads = mode
    padded = tuple(size + sum(side) for size, side in zip(n, pads, strict=True))
    if any(ke > p for ke, p in zip(k_eff, padded, strict=True)):
        extent = f"Kernel {k}" + (f" dilated by {d} spans {k_eff} and" if d != (1, 1) else "")
        raise ValueError(
            f"{extent} is larger than the padded input {padded} "
            f"(input {n}, padding={padding!r}); the output would be empty. "
            "Use more padding (e.g. padding='same'), a smaller kernel or less dilation."
        )
    out_hw = tuple((p - ke + step) // step for p, ke, step in zip(padded, k_eff, s, strict=True))
    return pads, out_hw


def _normalized(input_hw, kernel_hw, strides, dilation_rate) -> tuple[Pair, Pair, Pair, Pair]:
    return (
        as_pair(input_hw, "input_hw"),
        as_pair(kernel_hw, "kernel_hw"),
        as_pair(strides, "strides"),
        as_pair(dilation_rate, "dilation_rate"),
    )


def padding_amounts(
    input_hw: Sequence[int],
    kernel_hw: Sequence[int],
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
) -> Padding4:
    """Rows and columns of zeros actually added: ((top, bottom), (left, right)).

    "same" follows TensorFlow exactly: the output has ceil(n / s) cells and,
    when the total padding is odd, the extra row or column goes to the
    bottom or right. "full" pads every side by the dilated kernel extent
    minus one, so every overlap of kernel and input gives an output.
    Raises ValueError, like ``output_shape``, when the output would be empty.

    >>> padding_amounts((8, 8), (3, 3), padding="same")
    ((1, 1), (1, 1))
    >>> padding_amounts((4, 4), (2, 3), strides=(2, 3), padding="same")
    ((0, 0), (1, 1))
    """
    n, k, s, d = _normalized(input_hw, kernel_hw, strides, dilation_rate)
    return resolve_geometry(n, k, s, d, padding)[0]


def output_shape(
    input_hw: Sequence[int],
    kernel_hw: Sequence[int],
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
) -> Pair:
    """Output (height, width) of a 2D cross-correlation.

    The book's formula floor((n - k + p + s) / s), with p the total padding
    of a side pair and k replaced by the dilated extent (k - 1) * d + 1.

    Raises
    ------
    ValueError
        When the (dilated) kernel is larger than the padded input, so the
        output would be empty; the message names the numbers and a way out.

    Examples
    --------
    >>> output_shape((8, 8), (3, 5), strides=(3, 4))
    (2, 1)
    >>> output_shape((8, 8), (3, 3), padding="same", strides=2)
    (4, 4)
    """
    n, k, s, d = _normalized(input_hw, kernel_hw, strides, dilation_rate)
    return resolve_geometry(n, k, s, d, padding)[1]


@dataclass(frozen=True)
class LayerSpec:
    """One convolution layer of a stack, for shapes and receptive fields."""

    kernel: Pair = (3, 3)
    strides: Pair = (1, 1)
    padding: str | Padding4 = "valid"
    dilation_rate: Pair = (1, 1)

    def __post_init__(self):
        object.__setattr__(self, "kernel", as_pair(self.kernel, "kernel"))
        object.__setattr__(self, "strides", as_pair(self.strides, "strides"))
        object.__setattr__(self, "dilation_rate", as_pair(self.dilation_rate, "dilation_rate"))
        object.__setattr__(self, "padding", normalize_padding(self.padding))


def stack_shapes(input_hw: Sequence[int], layers: Sequence[LayerSpec]) -> list[Pair]:
    """Spatial shape after each layer of a stack, starting with the input.

    >>> stack_shapes((8, 8), [LayerSpec((3, 3)), LayerSpec((3, 3), strides=2)])
    [(8, 8), (6, 6), (2, 2)]
    """
    shapes = [as_pair(input_hw, "input_hw")]
    for index, layer in enumerate(layers, start=1):
        try:
            shapes.append(
                output_shape(
                    shapes[-1],
                    layer.kernel,
                    strides=layer.strides,
                    padding=layer.padding,
                    dilation_rate=layer.dilation_rate,
                )
            )
        except ValueError as exc:
            raise ValueError(f"Layer {index}: {exc}") from None
    return shapes


def receptive_field(
    input_hw: Sequence[int], layers: Sequence[LayerSpec], out_index: Sequence[int]
) -> list[tuple[Pair, Pair]]:
    """Input region each layer's map uses for one output cell of the last layer.

    Walks back from the output cell: output row i of a layer reads rows
    i*s - pad_top + u*d (u = 0 .. k - 1) of its input. Rows and columns are
    followed separately (the region is their product) and only real cells
    are kept: cells in padding are zeros, not input, and with dilation the
    taps skip cells, so the bounds are exactly the cells used. Returned from
    the input (index 0) to the output (last), each as
    ((row_start, row_stop), (col_start, col_stop)), inclusive. When the
    cell sees only padding from some map on, those maps get the empty range
    ((0, -1), (0, -1)).

    >>> receptive_field((8, 8), [LayerSpec((3, 3)), LayerSpec((3, 3))], (0, 0))
    [((0, 4), (0, 4)), ((0, 2), (0, 2)), ((0, 0), (0, 0))]
    """
    return [cell_bounds(axes) for axes in receptive_field_cells(input_hw, layers, out_index)]


def cell_bounds(axes: tuple[frozenset[int], frozenset[int]]) -> tuple[Pair, Pair]:
    """Inclusive (start, stop) of a row set and a column set; (0, -1) for an empty set."""
    return tuple((min(cells), max(cells)) if cells else (0, -1) for cells in axes)


def receptive_field_cells(
    input_hw: Sequence[int], layers: Sequence[LayerSpec], out_index: Sequence[int]
) -> list[tuple[frozenset[int], frozenset[int]]]:
    """The rows and columns of each map that feed one output cell (input first).

    What :func:`receptive_field` bounds: the cells used are the product of
    the two sets, and with dilation they have holes. Both sets are empty for a
    map the cell sees only padding of.

    >>> receptive_field_cells((5, 5), [LayerSpec((2, 2), dilation_rate=2)], (0, 0))[0]
    (frozenset({0, 2}), frozenset({0, 2}))
    """
    shapes = stack_shapes(input_hw, layers)
    out = as_pair(out_index, "out_index", minimum=0)
    last = shapes[-1]
    if out[0] >= last[0] or out[1] >= last[1]:
        raise ValueError(f"out_index must lie inside the output {last}; got {out}.")
    # sets, not [start, stop] intervals: a dilated tap can land in padding while
    # the cell next to it is real, so clipping an interval over-counts
    used = [(frozenset({out[0]}), frozenset({out[1]}))]
    for layer, in_shape in zip(reversed(layers), reversed(shapes[:-1]), strict=True):
        pads = padding_amounts(
            in_shape,
            layer.kernel,
            strides=layer.strides,
            padding=layer.padding,
            dilation_rate=layer.dilation_rate,
        )
        axes = tuple(
            frozenset(
                cell
                for index in cells
                for u in range(k)
                if 0 <= (cell := index * step - before + u * d) < size
            )
            for cells, step, k, d, (before, _), size in zip(
                used[0],
                layer.strides,
                layer.kernel,
                layer.dilation_rate,
                pads,
                in_shape,
                strict=True,
            )
        )
        used.insert(0, axes if all(axes) else (frozenset(), frozenset()))
    return used


def receptive_field_size(layers: Sequence[LayerSpec]) -> Pair:
    """Receptive field side of one output cell, ignoring the input's borders.

    r_l = r_(l-1) + (k_l - 1) * d_l * j_(l-1), with jump j_l = j_(l-1) * s_l.

    >>> receptive_field_size([LayerSpec((3, 3))] * 3)
    (7, 7)
    """
    size, jump = [1, 1], [1, 1]
    for layer in layers:
        for axis in range(2):
            size[axis] += (layer.kernel[axis] - 1) * layer.dilation_rate[axis] * jump[axis]
            jump[axis] *= layer.strides[axis]
    return tuple(size)
