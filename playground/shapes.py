"""Output shapes and padding amounts: the geometry of one convolution, resolved once.

Everything here is integer arithmetic on shapes; no arrays are touched.
:func:`resolve_geometry` is the one place the arithmetic lives: it turns
normalised pairs into a frozen :class:`Geometry` (padding amounts and output
shape), which ``conv2d``, ``pad2d``, the window trace and the Explore page's
formula all read, so one rerun resolves a setting once. The public
functions normalise their arguments at the boundary (see
:mod:`playground.validation`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from playground.i18n import N_, Message, TranslatedError
from playground.validation import Padding4, Pair, as_pair, normalize_padding

__all__ = [
    "Geometry",
    "LayerSpec",
    "effective_kernel",
    "geometry_of",
    "output_shape",
    "padding_amounts",
    "resolve_geometry",
    "stack_shapes",
]


def effective_kernel(kernel_hw: Pair, dilation: Pair) -> Pair:
    """Extent of a dilated kernel: (k - 1) * d + 1 in each direction.

    >>> effective_kernel((3, 3), (2, 2))
    (5, 5)
    """
    return tuple((k - 1) * d + 1 for k, d in zip(kernel_hw, dilation, strict=True))


@dataclass(frozen=True)
class Geometry:
    """One convolution's resolved geometry: what padding adds and what comes out.

    Built by :func:`resolve_geometry`; every field is already normalised.
    ``padding`` keeps the setting as given (for messages and generated code),
    ``pads`` the rows and columns it adds.
    """

    input_hw: Pair
    kernel_hw: Pair
    strides: Pair
    dilation_rate: Pair
    padding: str | Padding4
    pads: Padding4  # ((top, bottom), (left, right))
    output_hw: Pair

    @property
    def effective_kernel_hw(self) -> Pair:
        """The dilated kernel's extent: (k - 1) * d + 1 per axis."""
        return effective_kernel(self.kernel_hw, self.dilation_rate)

    @property
    def padded_hw(self) -> Pair:
        """The input's shape with its padding."""
        return tuple(n + sum(side) for n, side in zip(self.input_hw, self.pads, strict=True))


# the empty-output sentences a page shows (translated) as the reason a setting has no output
_KERNEL_TOO_LARGE = N_(
    "Kernel {kernel} is larger than the padded input {padded} (input {input}, "
    "padding={padding}); the output would be empty. Use more padding (e.g. "
    "padding='same') or a smaller kernel."
)
_DILATED_TOO_LARGE = N_(
    "Kernel {kernel} dilated by {dilation} spans {extent} and is larger than the padded "
    "input {padded} (input {input}, padding={padding}); the output would be empty. Use "
    "more padding (e.g. padding='same'), a smaller kernel or less dilation."
)
_LAYER_REASON = N_("Layer {index}: {reason}")


def _too_large(n: Pair, k: Pair, d: Pair, k_eff: Pair, padded: Pair, padding) -> Message:
    values = {"kernel": k, "padded": padded, "input": n, "padding": repr(padding)}
    if d == (1, 1):
        return Message(_KERNEL_TOO_LARGE, values)
    return Message(_DILATED_TOO_LARGE, {**values, "dilation": d, "extent": k_eff})


def resolve_geometry(n: Pair, k: Pair, s: Pair, d: Pair, padding) -> Geometry:
    """Padding amounts and output shape from already-normalised pairs.

    The one place the arithmetic lives; ``padding_amounts``, ``output_shape``,
    ``conv2d`` and ``trace_cell`` all call it after normalising their
    arguments once. Raises ValueError when the output would be empty.
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
        raise TranslatedError(_too_large(n, k, d, k_eff, padded, padding))
    out_hw = tuple((p - ke + step) // step for p, ke, step in zip(padded, k_eff, s, strict=True))
    return Geometry(tuple(n), tuple(k), tuple(s), tuple(d), mode, pads, out_hw)


def geometry_of(
    input_hw: Sequence[int],
    kernel_hw: Sequence[int],
    *,
    strides=1,
    padding="valid",
    dilation_rate=1,
) -> Geometry:
    """Normalise the public arguments once and resolve them (see :class:`Geometry`).

    >>> g = geometry_of((8, 8), (3, 3), padding="same", strides=2)
    >>> g.pads, g.output_hw
    (((0, 1), (0, 1)), (4, 4))
    """
    return resolve_geometry(
        as_pair(input_hw, "input_hw"),
        as_pair(kernel_hw, "kernel_hw"),
        as_pair(strides, "strides"),
        as_pair(dilation_rate, "dilation_rate"),
        padding,
    )


def padding_amounts(
    input_hw: Sequence[int],
    kernel_hw: Sequence[int],
    *,
    strides: int | Sequence[int] = 1,
    padding: str | int | Sequence = "valid",
    dilation_rate: int | Sequence[int] = 1,
) -> Padding4:
    """Rows and columns of zeros actually added: ((top, bottom), (left, right)).

    "same" follows TensorFlow exactly: the output has ceil(n / s) cells and,
    when the total padding is odd, the extra row or column goes to the
    bottom or right. "full" pads every side by the dilated kernel extent
    minus one, so every overlap of kernel and input gives an output.

    Parameters
    ----------
    input_hw : (int, int) or int
        The input's (H, W).
    kernel_hw : (int, int) or int
        The kernel's (kh, kw), before dilation.
    strides, dilation_rate : int or (int, int)
        Each >= 1.
    padding : str, int, (int, int) or ((int, int), (int, int))
        As for :func:`playground.conv2d`.

    Returns
    -------
    ((int, int), (int, int))
        (top, bottom) rows and (left, right) columns.

    Raises
    ------
    ValueError
        Like ``output_shape``, when the output would be empty.

    Examples
    --------
    >>> padding_amounts((8, 8), (3, 3), padding="same")
    ((1, 1), (1, 1))
    >>> padding_amounts((4, 4), (2, 3), strides=(2, 3), padding="same")
    ((0, 0), (1, 1))
    """
    return geometry_of(
        input_hw, kernel_hw, strides=strides, padding=padding, dilation_rate=dilation_rate
    ).pads


def output_shape(
    input_hw: Sequence[int],
    kernel_hw: Sequence[int],
    *,
    strides: int | Sequence[int] = 1,
    padding: str | int | Sequence = "valid",
    dilation_rate: int | Sequence[int] = 1,
) -> Pair:
    """Output (height, width) of a 2D cross-correlation.

    The book's formula floor((n - k + p + s) / s), with p the total padding
    of a side pair and k replaced by the dilated extent (k - 1) * d + 1.

    Parameters
    ----------
    input_hw : (int, int) or int
        The input's (H, W).
    kernel_hw : (int, int) or int
        The kernel's (kh, kw), before dilation.
    strides, dilation_rate : int or (int, int)
        Each >= 1.
    padding : str, int, (int, int) or ((int, int), (int, int))
        As for :func:`playground.conv2d`.

    Returns
    -------
    (int, int)
        (OH, OW), each >= 1.

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
    return geometry_of(
        input_hw, kernel_hw, strides=strides, padding=padding, dilation_rate=dilation_rate
    ).output_hw


@dataclass(frozen=True)
class LayerSpec:
    """One convolution layer of a stack, for shapes and receptive fields."""

    kernel_hw: Pair = (3, 3)
    strides: Pair = (1, 1)
    padding: str | Padding4 = "valid"
    dilation_rate: Pair = (1, 1)

    def __post_init__(self):
        object.__setattr__(self, "kernel_hw", as_pair(self.kernel_hw, "kernel_hw"))
        object.__setattr__(self, "strides", as_pair(self.strides, "strides"))
        object.__setattr__(self, "dilation_rate", as_pair(self.dilation_rate, "dilation_rate"))
        object.__setattr__(self, "padding", normalize_padding(self.padding))

    def geometry(self, input_hw: Pair) -> Geometry:
        """This layer's geometry on an input of ``input_hw`` (already a pair)."""
        return resolve_geometry(
            input_hw, self.kernel_hw, self.strides, self.dilation_rate, self.padding
        )


def stack_shapes(input_hw: Sequence[int], layers: Sequence[LayerSpec]) -> list[Pair]:
    """Spatial shape after each layer of a stack, starting with the input.

    >>> stack_shapes((8, 8), [LayerSpec((3, 3)), LayerSpec((3, 3), strides=2)])
    [(8, 8), (6, 6), (2, 2)]
    """
    shapes = [as_pair(input_hw, "input_hw")]
    for index, layer in enumerate(layers, start=1):
        try:
            shapes.append(layer.geometry(shapes[-1]).output_hw)
        except TranslatedError as exc:
            raise TranslatedError(
                Message(_LAYER_REASON, {"index": index, "reason": exc.message})
            ) from None
        except ValueError as exc:  # not a sentence for a page: stays English
            raise ValueError(f"Layer {index}: {exc}") from None
    return shapes
