"""The settings of one convolution, and what a page computes from them.

``ConvSettings`` is the plain, hashable value a page's control panel returns
(everything ``conv2d`` needs besides the input). :func:`run_conv` resolves
its geometry ONCE for an input and from that one value pads, correlates and
fills in the book's output-size formula (:class:`AxisFormula`). The formula's
LaTeX and the equivalent Keras code are written by
:mod:`playground.figures.formulas`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.conv import conv2d_with_geometry, pad2d_with_geometry
from playground.shapes import Geometry, resolve_geometry
from playground.validation import Padding4, Pair, as_float_array, as_pair, normalize_padding

__all__ = ["AxisFormula", "ConvResult", "ConvSettings", "run_conv", "shape_formula"]


@dataclass(frozen=True)
class ConvSettings:
    """Everything conv2d needs besides the input. Hashable, so pages can cache on it.

    ``kernel`` holds the weights (rows of floats), as ``conv2d``'s argument
    does; their size is ``kernel_hw``.
    """

    kernel: tuple[tuple[float, ...], ...] = ((1.0, -1.0),)
    strides: Pair = (1, 1)
    padding: str | Padding4 = "valid"
    dilation_rate: Pair = (1, 1)
    bias: float = 0.0
    flip: bool = False

    def __post_init__(self):
        weights = as_float_array(self.kernel, "kernel", ndims=(2,))
        object.__setattr__(self, "kernel", tuple(tuple(float(v) for v in row) for row in weights))
        object.__setattr__(self, "strides", as_pair(self.strides, "strides"))
        object.__setattr__(self, "dilation_rate", as_pair(self.dilation_rate, "dilation_rate"))
        object.__setattr__(self, "padding", normalize_padding(self.padding))
        if not np.isfinite(self.bias):
            raise ValueError(f"bias must be a finite number; got {self.bias!r}.")
        object.__setattr__(self, "bias", float(self.bias))

    @property
    def weights(self) -> np.ndarray:
        return np.array(self.kernel, dtype=np.float32)

    @property
    def kernel_hw(self) -> Pair:
        return (len(self.kernel), len(self.kernel[0]))

    def conv_kwargs(self) -> dict:
        """Keyword arguments for ``conv2d``/``trace_cell`` (besides x and kernel)."""
        return {
            "strides": self.strides,
            "padding": self.padding,
            "dilation_rate": self.dilation_rate,
            "bias": self.bias,
            "flip": self.flip,
        }

    def geometry(self, input_hw) -> Geometry:
        """Padding amounts and output shape on an input of ``input_hw``; ValueError if empty."""
        return resolve_geometry(
            as_pair(input_hw, "input_hw"),
            self.kernel_hw,
            self.strides,
            self.dilation_rate,
            self.padding,
        )


@dataclass(frozen=True)
class AxisFormula:
    """The book's output-size formula for one axis, with its numbers."""

    axis: str  # "height" or "width"
    n: int
    k: int
    d: int
    k_eff: int
    pad_before: int
    pad_after: int
    s: int
    out: int


def _formula(geometry: Geometry) -> tuple[AxisFormula, AxisFormula]:
    k_eff = geometry.effective_kernel_hw
    return tuple(
        AxisFormula(
            axis=axis,
            n=geometry.input_hw[i],
            k=geometry.kernel_hw[i],
            d=geometry.dilation_rate[i],
            k_eff=k_eff[i],
            pad_before=geometry.pads[i][0],
            pad_after=geometry.pads[i][1],
            s=geometry.strides[i],
            out=geometry.output_hw[i],
        )
        for i, axis in enumerate(("height", "width"))
    )


def shape_formula(input_hw, settings: ConvSettings) -> tuple[AxisFormula, AxisFormula]:
    """The output-shape formula per axis; raises ValueError if the output is empty."""
    return _formula(settings.geometry(input_hw))


@dataclass(frozen=True)
class ConvResult:
    """What a page shows for one input and one setting."""

    padded: np.ndarray  # the input with its padding, as the window sees it
    pads: Padding4  # ((top, bottom), (left, right))
    output: np.ndarray
    formula: tuple[AxisFormula, AxisFormula]

    @property
    def value_range(self) -> tuple[float, float]:
        return float(self.output.min()), float(self.output.max())


def run_conv(image: ArrayLike, settings: ConvSettings) -> ConvResult:
    """Pad, correlate and explain in one call; ValueError when the setting is impossible.

    The geometry is resolved once here and handed to the padding, the
    correlation and the formula.
    """
    geometry = settings.geometry(np.shape(image)[:2])
    output = conv2d_with_geometry(
        image, settings.weights, geometry, bias=settings.bias, flip=settings.flip
    )
    padded = pad2d_with_geometry(image, geometry)
    return ConvResult(padded=padded, pads=geometry.pads, output=output, formula=_formula(geometry))
