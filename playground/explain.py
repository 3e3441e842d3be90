"""Settings of one convolution, and the words and code that explain it.

``ConvSettings`` is the plain value a page's control panel returns; the
functions here turn it into the output-shape formula with the numbers
filled in, and into the equivalent TensorFlow/Keras code, so pages only
render text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.conv import as_float_array, conv2d, pad2d
from playground.shapes import (
    Pair,
    as_pair,
    effective_kernel,
    normalize_padding,
    resolve_geometry,
)


@dataclass(frozen=True)
class ConvSettings:
    """Everything conv2d needs besides the input. Hashable, so pages can cache on it."""

    kernel: tuple[tuple[float, ...], ...] = ((1.0, -1.0),)
    strides: Pair = (1, 1)
    padding: str | tuple[Pair, Pair] = "valid"
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

    @property
    def latex(self) -> str:
        sym = "h" if self.axis == "height" else "w"
        k_term = f"k_{sym}" if self.d == 1 else f"((k_{sym}-1)\\cdot d_{sym}+1)"
        k_num = str(self.k) if self.d == 1 else f"(({self.k}-1)\\cdot {self.d}+1)"
        p = self.pad_before + self.pad_after
        return (
            f"o_{sym} = \\left\\lfloor \\frac{{n_{sym} - {k_term} + p_{sym} + s_{sym}}}{{s_{sym}}}"
            f"\\right\\rfloor = \\left\\lfloor \\frac{{{self.n} - {k_num} + {p} + {self.s}}}"
            f"{{{self.s}}} \\right\\rfloor = {self.out}"
        )

    @property
    def text(self) -> str:
        p = self.pad_before + self.pad_after
        k = str(self.k) if self.d == 1 else f"(({self.k}-1)·{self.d}+1)"
        return (
            f"{self.axis}: floor(({self.n} - {k} + {p} + {self.s}) / {self.s}) = {self.out}"
            f"  (padding {self.pad_before} + {self.pad_after})"
        )


def shape_formula(input_hw, settings: ConvSettings) -> tuple[AxisFormula, AxisFormula]:
    """The output-shape formula per axis; raises ValueError if the output is empty."""
    n = as_pair(input_hw, "input_hw")
    pads, out = resolve_geometry(
        n, settings.kernel_hw, settings.strides, settings.dilation_rate, settings.padding
    )
    k_eff = effective_kernel(settings.kernel_hw, settings.dilation_rate)
    return tuple(
        AxisFormula(
            axis=axis,
            n=n[i],
            k=settings.kernel_hw[i],
            d=settings.dilation_rate[i],
            k_eff=k_eff[i],
            pad_before=pads[i][0],
            pad_after=pads[i][1],
            s=settings.strides[i],
            out=out[i],
        )
        for i, axis in enumerate(("height", "width"))
    )


def _array_code(weights: np.ndarray) -> str:
    rows = ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in weights)
    return f"[{rows}]"


def keras_code(input_hw, settings: ConvSettings) -> str:
    """Runnable TensorFlow 2 / Keras 3 code that computes the same output map.

    Keras' Conv2D knows only padding "valid" and "same"; any other padding is
    written as an explicit ``tf.pad`` followed by a "valid" layer.
    """
    h, w = as_pair(input_hw, "input_hw")
    kh, kw = settings.kernel_hw
    pads, _ = resolve_geometry(
        (h, w), (kh, kw), settings.strides, settings.dilation_rate, settings.padding
    )
    weights = settings.weights[::-1, ::-1] if settings.flip else settings.weights
    lines = [
        "import numpy as np",
        "import tensorflow as tf",
        "",
        f"X = tf.random.uniform((1, {h}, {w}, 1))  # (batch, height, width, channels): "
        "put your image here",
        f"K = np.array({_array_code(weights)}, dtype=np.float32)",
    ]
    if settings.flip:
        lines.append("# flip=True: the kernel above is already turned 180 degrees (convolution)")
    keras_padding = settings.padding if settings.padding in ("valid", "same") else "valid"
    if settings.padding not in ("valid", "same"):
        (t, b), (left, r) = pads
        lines.append(f"X = tf.pad(X, [[0, 0], [{t}, {b}], [{left}, {r}], [0, 0]])")
    lines += [
        "layer = tf.keras.layers.Conv2D(",
        f"    1, kernel_size=({kh}, {kw}), strides={settings.strides}, padding={keras_padding!r},",
        f"    dilation_rate={settings.dilation_rate}, use_bias=True)",
        "layer.build(X.shape)",
        f"layer.set_weights([K.reshape({kh}, {kw}, 1, 1), np.array([{settings.bias:g}])])",
        "Y = layer(X)[0, :, :, 0]",
        "print(Y.shape)",
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class ConvResult:
    """What a page shows for one input and one setting."""

    padded: np.ndarray  # the input with its padding, as the window sees it
    pads: tuple[Pair, Pair]  # ((top, bottom), (left, right))
    output: np.ndarray
    formula: tuple[AxisFormula, AxisFormula]

    @property
    def value_range(self) -> tuple[float, float]:
        return float(self.output.min()), float(self.output.max())


def run_conv(image, settings: ConvSettings) -> ConvResult:
    """Pad, correlate and explain in one call; ValueError when the setting is impossible."""
    formula = shape_formula(np.shape(image)[:2], settings)
    pads = (
        (formula[0].pad_before, formula[0].pad_after),
        (formula[1].pad_before, formula[1].pad_after),
    )
    output = conv2d(image, settings.weights, **settings.conv_kwargs())
    padded = pad2d(image, settings.kernel_hw, padding=pads)
    return ConvResult(padded=padded, pads=pads, output=output, formula=formula)
