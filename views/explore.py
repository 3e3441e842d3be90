"""Explore: an image, a kernel, padding/stride/dilation -> the output feature map."""

from __future__ import annotations

import streamlit as st

import playground
from playground.figures.formulas import axis_latex, keras_code
from playground.images.export import grey_mapping_note
from playground.settings import ConvResult, ConvSettings, run_conv
from views import controls
from views.common import presenting
from views.components.conv_view import conv_view

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
    _show_shapes(image.array.shape, result)
    _show_grids(image.array, result, settings)
    if not controls.presentation_hidden("code"):
        with st.expander("The same layer in TensorFlow / Keras", expanded=False):
            st.code(keras_code(image.array.shape, settings), language="python")
    if not controls.presentation_hidden("downloads"):
        _downloads(result, settings)


def _show_shapes(input_hw, result: ConvResult) -> None:
    oh, ow = result.output.shape[:2]
    st.subheader(f"Input {input_hw[0]}×{input_hw[1]} → output {oh}×{ow}", anchor=False)
    st.markdown(
        f'<span data-testid="output-shape">Output shape: ({oh}, {ow})</span>',
        unsafe_allow_html=True,
    )
    cols = st.columns(2)
    for col, axis in zip(cols, result.formula, strict=True):
        col.latex(axis_latex(axis))
    st.caption(
        "n: input size, k: kernel size (with dilation d: (k-1)·d+1), p: padding added on both "
        "sides together, s: stride. The floor ⌊ ⌋ drops windows that would run off the edge."
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
    )
    low, high = result.value_range
    note = f"Output values from {low:.3g} to {high:.3g}."
    if settings.bias:
        note += f" Bias: {settings.bias:g} is added to every output cell."
    st.caption(note)


def _downloads(result: ConvResult, settings: ConvSettings) -> None:
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
            "application/octet-stream",
        ),
        ("Kernel as CSV", lambda: playground.to_csv_bytes(weights), "kernel.csv", "text/csv"),
    ]
    for col, (label, data, name, mime) in zip(st.columns(len(buttons)), buttons, strict=True):
        col.download_button(label, data, name, mime, on_click="ignore")
