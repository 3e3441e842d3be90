"""Explore: an image, a kernel, padding/stride/dilation -> the output feature map."""

from __future__ import annotations

import streamlit as st

import playground
from playground.figures.formulas import INPUT_NPY, axis_latex, keras_code
from playground.i18n import N_, _
from playground.images.export import grey_mapping_message
from playground.settings import ConvResult, ConvSettings, run_conv
from views import common, controls
from views.common import presenting
from views.components.conv_view import conv_view

NPY = "application/octet-stream"
# how the colour bars end: the keys are what a link carries (?contrast=clip)
CONTRAST_CHOICES = {
    "auto": N_("Auto (photos clipped, small grids full)"),
    "full": N_("Full range"),
    "clip": N_("Clip to the 1st–99th percentile"),
}

INTRO = N_(
    "Pick an input and a kernel. Each output cell is the sum of the kernel times the "
    "input cells under it; padding adds zeros around the input, the stride is how far "
    "the window jumps, dilation spreads the kernel's taps apart."
)


def render() -> None:
    st.title(_("Explore a convolution"))
    if not presenting():
        st.caption(_(INTRO))
    image, settings = controls.conv_sidebar()
    if controls.explain_missing_input(image):
        return
    try:
        result = run_conv(image.array, settings)
    except ValueError as exc:
        st.warning(_("This setting has no output. {reason}").format(reason=exc))
        return
    # the pictures first: the shape in one line above them, its formula one click away
    _show_shape(image.array.shape, result)
    _show_grids(image.array, result, settings)
    _show_formula(result)
    if not controls.presentation_hidden("code"):
        with st.expander(_("The same layer in TensorFlow / Keras"), expanded=False):
            st.code(keras_code(image.array.shape, settings, x=image.array), language="python")
    if not controls.presentation_hidden("downloads"):
        _downloads(image.array, result, settings)


def _show_shape(input_hw, result: ConvResult) -> None:
    oh, ow = result.output.shape[:2]
    st.subheader(
        _("Input {ih}×{iw} → output {oh}×{ow}").format(
            ih=input_hw[0], iw=input_hw[1], oh=oh, ow=ow
        ),
        anchor=False,
        help=_(
            "Open “Why this output size” below the pictures for the formula with these numbers."
        ),
    )


def _show_formula(result: ConvResult) -> None:
    """The book's output-size formula with the numbers filled in, one axis per line.

    One line each, not side by side: with three-digit sizes or dilation two columns
    clipped the formulas and ran them into each other.
    """
    with st.expander(_("Why this output size: the formula"), expanded=False):
        for axis in result.formula:
            st.latex(axis_latex(axis))
        st.caption(
            _(
                "n: input size, k: kernel size (with dilation d: (k-1)·d+1), p: padding added "
                "on both sides together, s: stride. The floor ⌊ ⌋ drops windows that would run "
                "off the edge."
            )
        )


def _show_grids(x, result: ConvResult, settings: ConvSettings) -> None:
    """Input, kernel and output in the browser view: hover a cell to read its arithmetic."""
    common.localise_link_value("contrast", CONTRAST_CHOICES)
    contrast = st.radio(
        _("Contrast"),
        list(CONTRAST_CHOICES),
        format_func=lambda key: _(CONTRAST_CHOICES[key]),
        horizontal=True,
        key="contrast",
        bind="query-params",
        help=_(
            "Where the colour bars end. Clipping keeps a few extreme values of a photo "
            "from washing out the rest; the legend under each bar says what was done."
        ),
    )
    applied = settings.weights[::-1, ::-1] if settings.flip else settings.weights
    conv_view(
        key="explore_view",
        x=x,
        kernel=applied,
        output=result.output,
        pads=result.pads,
        strides=settings.strides,
        dilation=settings.dilation_rate,
        bias=settings.bias,
        contrast=contrast,
        flipped=settings.flip,
        large=presenting(),
    )
    low, high = result.value_range
    note = _("Output values from {low} to {high}.").format(low=f"{low:.3g}", high=f"{high:.3g}")
    if settings.bias:
        note += " " + _("Bias: {bias} is added to every output cell.").format(
            bias=f"{settings.bias:g}"
        )
    st.caption(note)


def _downloads(x, result: ConvResult, settings: ConvSettings) -> None:
    """Download buttons; the files are built only when clicked (callables), not every rerun."""
    output, weights = result.output, settings.weights
    st.caption(_("PNG grey levels: {note}").format(note=grey_mapping_message(output)))
    buttons = [
        (
            _("Output as PNG"),
            lambda: playground.to_png_bytes(output),
            "feature_map.png",
            "image/png",
        ),
        (
            _("Output as CSV"),
            lambda: playground.to_csv_bytes(output),
            "feature_map.csv",
            "text/csv",
        ),
        (
            _("Output as .npy"),
            lambda: playground.to_npy_bytes(output),
            "feature_map.npy",
            NPY,
        ),
        (_("Kernel as CSV"), lambda: playground.to_csv_bytes(weights), "kernel.csv", "text/csv"),
        # the TensorFlow code above loads this file for inputs too large to write out
        (
            _("Input as .npy"),
            lambda: playground.to_npy_bytes(x),
            INPUT_NPY,
            NPY,
        ),
    ]
    row = st.container(horizontal=True)  # wraps on a narrow screen instead of squeezing labels
    for label, data, name, mime in buttons:
        row.download_button(label, data, name, mime, on_click="ignore")
