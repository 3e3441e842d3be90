"""The formulas and code pages write out, with the numbers of the current setting.

The book's output-size formula per axis (from :class:`playground.settings.AxisFormula`),
the receptive-field recurrence per layer (from
:class:`playground.receptive.LayerTerm`), and runnable Keras code that
computes the same output map. Each formula comes as LaTeX (for ``st.latex``)
and as plain text.
"""

from __future__ import annotations

import numpy as np

from playground.i18n import _
from playground.receptive import LayerTerm
from playground.settings import AxisFormula, ConvSettings

__all__ = ["axis_latex", "axis_text", "keras_code", "term_latex", "term_text"]


def axis_latex(formula: AxisFormula) -> str:
    """o = floor((n - k + p + s) / s) for one axis, symbols then numbers, in LaTeX."""
    sym = "h" if formula.axis == "height" else "w"
    k_term = f"k_{sym}" if formula.d == 1 else f"((k_{sym}-1)\\cdot d_{sym}+1)"
    k_num = str(formula.k) if formula.d == 1 else f"(({formula.k}-1)\\cdot {formula.d}+1)"
    p = formula.pad_before + formula.pad_after
    return (
        f"o_{sym} = \\left\\lfloor \\frac{{n_{sym} - {k_term} + p_{sym} + s_{sym}}}{{s_{sym}}}"
        f"\\right\\rfloor = \\left\\lfloor \\frac{{{formula.n} - {k_num} + {p} + {formula.s}}}"
        f"{{{formula.s}}} \\right\\rfloor = {formula.out}"
    )


def axis_text(formula: AxisFormula) -> str:
    """'height: floor((8 - 3 + 2 + 1) / 1) = 8  (padding 1 + 1)'."""
    p = formula.pad_before + formula.pad_after
    k = str(formula.k) if formula.d == 1 else f"(({formula.k}-1)·{formula.d}+1)"
    equation = f"floor(({formula.n} - {k} + {p} + {formula.s}) / {formula.s}) = {formula.out}"
    template = (
        _("height: {equation}  (padding {before} + {after})")
        if formula.axis == "height"
        else _("width: {equation}  (padding {before} + {after})")
    )
    return template.format(equation=equation, before=formula.pad_before, after=formula.pad_after)


def term_latex(term: LayerTerm) -> str:
    """r_l = r_(l-1) + (k_l - 1)·d_l·j_(l-1) and j_l = j_(l-1)·s_l with numbers, in LaTeX."""
    n, p = term.index, term.index - 1
    return (
        f"r_{n} = r_{p} + (k_{n}-1)\\cdot d_{n}\\cdot j_{p} = "
        f"{term.r_prev} + ({term.k}-1)\\cdot {term.d}\\cdot {term.j_prev} = {term.r}"
        f",\\qquad j_{n} = j_{p}\\cdot s_{n} = {term.j_prev}\\cdot {term.s} = {term.j}"
    )


def term_text(term: LayerTerm) -> str:
    """The same recurrence step as plain text: 'Layer 2: r2 = r1 + ...; j2 = ...'."""
    n, p = term.index, term.index - 1
    recurrence = (
        f"r{n} = r{p} + (k{n} - 1)·d{n}·j{p} = "
        f"{term.r_prev} + ({term.k} - 1)·{term.d}·{term.j_prev} = {term.r}; "
        f"j{n} = j{p}·s{n} = {term.j_prev}·{term.s} = {term.j}"
    )
    return _("Layer {index}: {recurrence}").format(index=n, recurrence=recurrence)


INLINE_MAX_CELLS = 64  # inputs up to this many numbers are written into the code
INPUT_NPY = "input.npy"  # the name the Explore page's input download carries


def _array_code(weights: np.ndarray) -> str:
    # the shortest text that reads back as the same float32: the code reproduces every digit
    def number(v) -> str:
        return np.format_float_positional(np.float32(v), trim="-")

    rows = ", ".join("[" + ", ".join(number(v) for v in row) + "]" for row in weights)
    return f"[{rows}]"


def keras_code(input_hw, settings: ConvSettings, *, x: np.ndarray | None = None) -> str:
    """Runnable TensorFlow 2 / Keras 3 code that computes the same output map.

    The input is the student's own: a small ``x`` (up to ``INLINE_MAX_CELLS``
    numbers) is written into the code; a larger one (or none given) is loaded
    from ``INPUT_NPY``, the page's download. Keras' Conv2D knows only padding
    "valid" and "same"; any other padding is written as an explicit ``tf.pad``
    followed by a "valid" layer.
    """
    geometry = settings.geometry(input_hw)
    h, w = geometry.input_hw
    kh, kw = settings.kernel_hw
    weights = settings.weights[::-1, ::-1] if settings.flip else settings.weights
    if x is not None and np.size(x) <= INLINE_MAX_CELLS:
        source = (
            f"X = np.array({_array_code(np.asarray(x))}, dtype=np.float32)"
            f".reshape(1, {h}, {w}, 1)  # "
            + _("the input on the screen: (batch, height, width, channels)")
        )
    else:
        source = f'X = np.load("{INPUT_NPY}").reshape(1, {h}, {w}, 1)  # ' + _(
            'the input on the screen: "Input as .npy" below'
        )
    lines = [
        "import numpy as np",
        "import tensorflow as tf",
        "",
        source,
        f"K = np.array({_array_code(weights)}, dtype=np.float32)",
    ]
    if settings.flip:
        lines.append(
            "# " + _("flip=True: the kernel above is already turned 180 degrees (convolution)")
        )
    keras_padding = settings.padding if settings.padding in ("valid", "same") else "valid"
    if settings.padding not in ("valid", "same"):
        (t, b), (left, r) = geometry.pads
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
