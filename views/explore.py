"""Explore: an image, a kernel, padding/stride/dilation -> the output feature map."""

from __future__ import annotations

from contextlib import contextmanager

import streamlit as st

import playground
from playground import i18n
from playground.figures.conv_view_data import input_digest
from playground.figures.formulas import INPUT_NPY, axis_latex, keras_code
from playground.i18n import N_, _
from playground.images.export import grey_mapping_message
from playground.settings import ConvResult, ConvSettings, run_conv
from views import common, controls, fresh_session, layer_panel
from views.common import presenting
from views.components.conv_view import conv_view

fresh_session.install()  # a reconnected browser's first change runs the whole page

NPY = "application/octet-stream"
# the expanders' open state: their content is drawn only while open (a rerun of the
# fragment on opening), so a stride change does not redraw formulas and code unseen
FORMULA_OPEN, CODE_OPEN = "explore_formula_open", "explore_code_open"
PREPARED = "explore_downloads"  # the session's prepared files: (what they show, the files)
# label, file name, MIME type, and what the file holds (output, kernel or input)
FILES = (
    (N_("Output as PNG"), "feature_map.png", "image/png", "png"),
    (N_("Output as CSV"), "feature_map.csv", "text/csv", "csv"),
    (N_("Output as .npy"), "feature_map.npy", NPY, "npy"),
    (N_("Kernel as CSV"), "kernel.csv", "text/csv", "kernel"),
    # the TensorFlow code above loads this file for inputs too large to write out
    (N_("Input as .npy"), INPUT_NPY, NPY, "input"),
)
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
    """The page; what a setting changes reruns alone, as fragments (``st.fragment``).

    A full run draws the title and the input. The kernel and everything after it
    are one fragment, and the layer's settings with the pictures another inside
    it: a stride, padding or contrast change reruns only the inner one (~1/3 of
    the page's server time, and the browser redraws only that part), a kernel
    change the outer one. The controls stay where they were (the sidebar or the
    presentation bar): a fragment may write into containers made before it.
    """
    st.title(_("Explore a convolution"))
    if not presenting():
        st.caption(_(INTRO))
    places = controls.control_places()
    image = controls.input_group(places)
    _kernel_and_result(image, places)


@contextmanager
def _guard():
    """A fragment's rerun runs without the page's frame: its guard (common.guarded) and
    its language, set once here (else each of a run's ~60 ``_()`` asks the session)."""
    with common.guard("a part of the Explore page"), i18n.using(i18n.current_language()):
        yield


@st.fragment
def _kernel_and_result(image: controls.InputImage, places: controls.Places) -> None:
    with _guard():
        kernel = controls.kernel_group(places)
        _layer_and_result(image, kernel, places)


@st.fragment
def _layer_and_result(image: controls.InputImage, kernel, places: controls.Places) -> None:
    with _guard():
        settings = controls.layer_group(places, kernel)
        if controls.explain_missing_input(image):
            return
        _show_result(image.array, settings)


def _show_result(x, settings: ConvSettings) -> None:
    try:
        result = run_conv(x, settings)
    except ValueError as exc:
        st.warning(_("This setting has no output. {reason}").format(reason=exc))
        return
    digest = input_digest(x)  # once per run: the view's cache key and the downloads' key
    # the pictures first: the shape in one line above them, its formula one click away
    _show_shape(x.shape, result)
    _show_grids(x, digest, result, settings)
    _show_formula(result)
    if not controls.presentation_hidden("code"):
        code = st.expander(
            _("The same layer in TensorFlow / Keras"), key=CODE_OPEN, on_change="rerun"
        )
        if code.open:
            code.code(keras_code(x.shape, settings, x=x), language="python")
    if not controls.presentation_hidden("downloads"):
        _downloads(x, digest, result, settings)


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
    formula = st.expander(
        _("Why this output size: the formula"), key=FORMULA_OPEN, on_change="rerun"
    )
    if not formula.open:  # drawn only when open: KaTeX need not redraw on every setting
        return
    with formula:
        for axis in result.formula:
            st.latex(axis_latex(axis))
        st.caption(
            _(
                "n: input size, k: kernel size (with dilation d: (k-1)·d+1), p: padding added "
                "on both sides together, s: stride. The floor ⌊ ⌋ drops windows that would run "
                "off the edge."
            )
        )


def _show_grids(x, digest: str, result: ConvResult, settings: ConvSettings) -> None:
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
        digest=digest,
        kernel=applied,
        output=result.output,
        pads=result.pads,
        strides=settings.strides,
        dilation=settings.dilation_rate,
        bias=settings.bias,
        contrast=contrast,
        flipped=settings.flip,
        large=presenting(),
        layer=(layer_panel.padding_mode(settings), layer_panel.STRIDE_MAX),
        on_layer=lambda choice: layer_panel.set_padding_and_stride(choice.padding, choice.strides),
    )
    low, high = result.value_range
    note = _("Output values from {low} to {high}.").format(low=f"{low:.3g}", high=f"{high:.3g}")
    if settings.bias:
        note += " " + _("Bias: {bias} is added to every output cell.").format(
            bias=f"{settings.bias:g}"
        )
    st.caption(note)


def _downloads(x, digest: str, result: ConvResult, settings: ConvSettings) -> None:
    """A "Prepare downloads" button, then download buttons holding the files' bytes.

    The files are built once, on the click, and kept in this session for the
    settings they show; a new setting drops them (and shows the button again).
    Not built on every rerun (a stride change would pay for five files), and
    not Streamlit's deferred downloads (``data=`` a callable): their file
    belongs to no session, and another session's run could delete it before
    the browser fetched it (a 404 in the lecture-hall load test).
    """
    output = result.output
    st.caption(_("PNG grey levels: {note}").format(note=grey_mapping_message(output)))
    shown = (digest, settings)  # ConvSettings is hashable: the kernel and every setting
    prepared = st.session_state.get(PREPARED)
    if prepared is None or prepared[0] != shown:
        st.session_state.pop(PREPARED, None)  # the files of an older setting: let them go
        st.button(
            _("Prepare downloads"),
            icon=":material/download:",
            key="prepare_downloads",
            on_click=_prepare,
            args=(shown, x, output, settings.weights),
            help=_("Builds the output (PNG, CSV, .npy), the kernel and the input as files."),
        )
        return
    row = st.container(horizontal=True)  # wraps on a narrow screen instead of squeezing labels
    for (label, name, mime, _what), data in zip(FILES, prepared[1], strict=True):
        row.download_button(_(label), data, name, mime, on_click="ignore")


def _prepare(shown, x, output, weights) -> None:
    makers = {
        "png": lambda: playground.to_png_bytes(output),
        "csv": lambda: playground.to_csv_bytes(output),
        "npy": lambda: playground.to_npy_bytes(output),
        "kernel": lambda: playground.to_csv_bytes(weights),
        "input": lambda: playground.to_npy_bytes(x),
    }
    st.session_state[PREPARED] = (shown, tuple(makers[what]() for *_info, what in FILES))
