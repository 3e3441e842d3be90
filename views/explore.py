"""Explore: an image, a kernel, padding/stride/dilation -> the output feature map."""

from __future__ import annotations

import streamlit as st

import playground
from playground.figures.formulas import INPUT_NPY, axis_latex, keras_code
from playground.images.export import grey_mapping_note
from playground.settings import ConvResult, ConvSettings, run_conv
from views import controls
from views.common import presenting
from views.components.conv_view import conv_view

NPY = "application/octet-stream"
# how the colour bars end: the keys are what a link carries (?contrast=clip)
CONTRAST_CHOICES = {
    "auto": "Auto (photos clipped, small grids full)",
    "full": "Full range",
    "clip": "Clip to the 1st–99th percentile",
}

INTRO = (
    "Pick an input and a kernel. Each output cell is the sum of the kernel times the "
    "input cells under it; padding adds zeros around the input, the stride is how far "
    "the window jumps, dilation spreads the kernel's taps apart."
)


def render() -> None:
    st.title("Explore a convolution")
    if not presenting():
        st.caption(INTRO)
    image, settings = controls.conv_sidebar()
    if controls.explain_missing_input(image):
        return
    try:
        result = run_conv(image.array, settings)
    except ValueError as exc:
        st.warning(f"This setting has no output. {exc}")
        return
    # the pictures first: the shape in one line above them, its formula one click away
    _show_shape(image.array.shape, result)
    _show_grids(image.array, result, settings)
    _show_formula(result)
    if not controls.presentation_hidden("code"):
        with st.expander("The same layer in TensorFlow / Keras", expanded=False):
            st.code(keras_code(image.array.shape, settings, x=image.array), language="python")
    if not controls.presentation_hidden("downloads"):
        _downloads(image.array, result, settings)


def _show_shape(input_hw, result: ConvResult) -> None:
    oh, ow = result.output.shape[:2]
    st.subheader(
        f"Input {input_hw[0]}×{input_hw[1]} → output {oh}×{ow}",
        anchor=False,
        help="Open “Why this output size” below the pictures for the formula with these numbers.",
    )


def _show_formula(result: ConvResult) -> None:
    """The book's output-size formula with the numbers filled in, one axis per line.

    One line each, not side by side: with three-digit sizes or dilation two columns
    clipped the formulas and ran them into each other.
    """
    with st.expander("Why this output size: the formula", expanded=False):
        for axis in result.formula:
            st.latex(axis_latex(axis))
        st.caption(
            "n: input size, k: kernel size (with dilation d: (k-1)·d+1), p: padding added on "
            "both sides together, s: stride. The floor ⌊ ⌋ drops windows that would run off "
            "the edge."
        )


def _show_grids(x, result: ConvResult, settings: ConvSettings) -> None:
    """Input, kernel and output in the browser view: hover a cell to read its arithmetic."""
    contrast = st.radio(
        "Contrast",
        list(CONTRAST_CHOICES),
        format_func=CONTRAST_CHOICES.get,
        horizontal=True,
        key="contrast",
        bind="query-params",
        help="Where the colour bars end. Clipping keeps a few extreme values of a photo "
        "from washing out the rest; the legend under each bar says what was done.",
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
    note = f"Output values from {low:.3g} to {high:.3g}."
    if settings.bias:
        note += f" Bias: {settings.bias:g} is added to every output cell."
    st.caption(note)


def _downloads(x, result: ConvResult, settings: ConvSettings) -> None:
    """Download buttons; the files are built only when clicked (callables), not every rerun."""
    output, weights = result.output, settings.weights
    st.caption(f"PNG grey levels: {grey_mapping_note(output)}")
    buttons = [
        ("Output as PNG", lambda: playground.to_png_bytes(output), "feature_map.png", "image/png"),
        ("Output as CSV", lambda: playground.to_csv_bytes(output), "feature_map.csv", "text/csv"),
        (
            "Output as .npy",
            lambda: playground.to_npy_bytes(output),
            "feature_map.npy",
            NPY,
        ),
        ("Kernel as CSV", lambda: playground.to_csv_bytes(weights), "kernel.csv", "text/csv"),
        # the TensorFlow code above loads this file for inputs too large to write out
        (
            "Input as .npy",
            lambda: playground.to_npy_bytes(x),
            INPUT_NPY,
            NPY,
        ),
    ]
    row = st.container(horizontal=True)  # wraps on a narrow screen instead of squeezing labels
    for label, data, name, mime in buttons:
        row.download_button(label, data, name, mime, on_click="ignore")
