"""Receptive fields of a stack of conv layers: which input cells feed one output cell.

:func:`receptive_field` and :func:`receptive_field_cells` walk back from an
output cell map by map; :func:`receptive_field_size` is the book's
recurrence r_l = r_(l-1) + (k_l - 1)·d_l·j_(l-1), j_l = j_(l-1)·s_l,
which :func:`rf_terms` writes out layer by layer. :func:`plan_stack` checks
a stack for the Receptive field page and :func:`field_of` follows one of its
output cells back to the input. Numbers only: the page's figure and words
are in :mod:`playground.figures.receptive`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.shapes import LayerSpec, stack_shapes
from playground.validation import Pair, as_pair

__all__ = [
    "FieldView",
    "LayerTerm",
    "StackPlan",
    "cell_bounds",
    "field_of",
    "plan_stack",
    "receptive_field",
    "receptive_field_cells",
    "receptive_field_size",
    "rf_terms",
]


def receptive_field(
    input_hw: Sequence[int], layers: Sequence[LayerSpec], out_index: Sequence[int]
) -> list[tuple[Pair, Pair]]:
    """Input region each layer's map uses for one output cell of the last layer.

    Walks back from the output cell: output row i of a layer reads rows
    i*s - pad_top + u*d (u = 0 .. k - 1) of its input. Rows and columns are
    followed separately (the region is their product) and only real cells
    are kept: cells in padding are zeros, not input, and with dilation the
    taps skip cells, so the bounds are exactly the cells used.

    Parameters
    ----------
    input_hw : (int, int) or int
        The input's (H, W).
    layers : sequence of LayerSpec
        The stack, first layer first.
    out_index : (int, int)
        (row, column) of a cell of the last layer's output.

    Returns
    -------
    list of ((int, int), (int, int))
        One entry per map, from the input (index 0) to the output (last),
        each ((row_start, row_stop), (col_start, col_stop)), inclusive. When
        the cell sees only padding from some map on, those maps get the
        empty range ((0, -1), (0, -1)).

    Raises
    ------
    ValueError
        When a layer has no output (naming the layer) or ``out_index`` lies
        outside the output.

    Examples
    --------
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
        pads = layer.geometry(in_shape).pads
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
                layer.kernel_hw,
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
            size[axis] += (layer.kernel_hw[axis] - 1) * layer.dilation_rate[axis] * jump[axis]
            jump[axis] *= layer.strides[axis]
    return tuple(size)


# ---------------------------------------------------------------- the page's plan


@dataclass(frozen=True)
class LayerTerm:
    """One step of the recurrence along one axis, with its numbers."""

    index: int  # l, from 1
    k: int
    s: int
    d: int
    r_prev: int
    j_prev: int
    r: int
    j: int


def rf_terms(layers: Sequence[LayerSpec], *, axis: int = 0) -> tuple[LayerTerm, ...]:
    """The recurrence layer by layer along one axis (0: rows, 1: columns), from r_0 = j_0 = 1.

    >>> [t.r for t in rf_terms([LayerSpec(3), LayerSpec(3, strides=2), LayerSpec(3)])]
    [3, 5, 9]
    """
    terms, r, j = [], 1, 1
    for index, layer in enumerate(layers, start=1):
        k, s, d = layer.kernel_hw[axis], layer.strides[axis], layer.dilation_rate[axis]
        new_r, new_j = r + (k - 1) * d * j, j * s
        terms.append(LayerTerm(index, k, s, d, r, j, new_r, new_j))
        r, j = new_r, new_j
    return tuple(terms)


@dataclass(frozen=True)
class StackPlan:
    """A stack that has an output: every map's shape and the recurrence per layer."""

    input_hw: Pair
    layers: tuple[LayerSpec, ...]
    shapes: tuple[Pair, ...]  # input first, then each layer's output
    terms: tuple[LayerTerm, ...]  # along rows; columns match for square layers

    @property
    def output_hw(self) -> Pair:
        return self.shapes[-1]

    @property
    def middle_cell(self) -> Pair:
        """The output cell a page starts on: the middle, away from the padding."""
        return tuple(size // 2 for size in self.output_hw)

    @property
    def field_size(self) -> Pair:
        """The formula's receptive field (ignores the input's borders)."""
        return receptive_field_size(self.layers)


def plan_stack(input_size, layers: Sequence[LayerSpec]) -> StackPlan:
    """Check a stack and compute its shapes and terms.

    Raises ValueError naming the first layer with no output, e.g.
    "Layer 3: Kernel (3, 3) is larger than the padded input (2, 2) ...".

    >>> plan_stack(12, [LayerSpec(3), LayerSpec(3)]).shapes
    ((12, 12), (10, 10), (8, 8))
    """
    if not layers:
        raise ValueError("layers must hold at least one layer; got none.")
    layers = tuple(layers)
    shapes = tuple(stack_shapes(as_pair(input_size, "input_size"), layers))
    return StackPlan(shapes[0], layers, shapes, rf_terms(layers))


@dataclass(frozen=True)
class FieldView:
    """One output cell followed back through the stack, map by map (input first)."""

    cell: Pair
    formula_size: Pair  # the recurrence's r, ignoring borders
    ranges: tuple[tuple[Pair, Pair], ...]  # inclusive bounds of the cells used; (0, -1) if none
    masks: tuple[np.ndarray, ...]  # bool, True where a map's cell feeds the chosen output cell

    @property
    def input_range(self) -> tuple[Pair, Pair]:
        return self.ranges[0]

    @property
    def input_extent(self) -> Pair:
        """Rows × columns the field spans inside the real input (padding excluded)."""
        return tuple(max(stop - start + 1, 0) for start, stop in self.input_range)

    @property
    def input_cells_used(self) -> int:
        return int(self.masks[0].sum())

    @property
    def sees_no_input(self) -> bool:
        """Every tap of every kernel on the way back lands in padding."""
        return self.input_cells_used == 0

    @property
    def clipped(self) -> bool:
        """Near a border part of the formula's patch is padding or off the input."""
        return not self.sees_no_input and self.input_extent != self.formula_size

    @property
    def has_holes(self) -> bool:
        """Dilation skips cells inside the patch's span."""
        eh, ew = self.input_extent
        return 0 < self.input_cells_used < eh * ew


def field_of(plan: StackPlan, cell: Sequence[int]) -> FieldView:
    """The cells of every map that feed one output cell (a cell outside is clamped in).

    Rows and columns are followed separately, as sets rather than intervals:
    with dilation the taps skip cells, and those holes are part of the lesson.
    """
    cell = tuple(
        min(max(int(c), 0), size - 1) for c, size in zip(cell, plan.output_hw, strict=True)
    )
    used = receptive_field_cells(plan.input_hw, plan.layers, cell)
    masks = []
    for (rows, cols), (h, w) in zip(used, plan.shapes, strict=True):
        mask = np.zeros((h, w), dtype=bool)
        if rows and cols:
            mask[np.ix_(sorted(rows), sorted(cols))] = True
        masks.append(mask)
    ranges = tuple(cell_bounds(axes) for axes in used)
    return FieldView(cell, plan.field_size, ranges, tuple(masks))
