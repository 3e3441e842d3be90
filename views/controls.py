"""Widgets shared by several pages: the input image, the kernel, the layer settings.

Each panel reads widgets and returns a plain value; the arithmetic stays in
``playground``. Widget keys double as query-parameter names
(``bind="query-params"``), so a teacher's link opens the exact example.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

import numpy as np
import streamlit as st

import playground
from playground import i18n
from playground.i18n import N_, _
from playground.settings import ConvSettings
from views import common
from views.draw_panel import draw_panel
from views.kernel_panel import kernel_panel
from views.layer_panel import settings_panel

log = logging.getLogger(__name__)

SOURCES = ("Sample", "Draw", "Upload", "Type numbers")  # values in links; shown translated
SOURCE_TITLES = {
    "Sample": N_("Sample"),
    "Draw": N_("Draw"),
    "Upload": N_("Upload"),
    "Type numbers": N_("Type numbers"),
}
BOOK_MATRIX = "0 1 2\n3 4 5\n6 7 8"
MATRIX, MATRIX_KEPT = "matrix", "matrix_kept"  # the text area's key; its text kept across sources


@dataclass(frozen=True)
class InputOptions:
    """What one page lets a student choose as input.

    Streamlit hands a keyed widget's value on to the next page that uses the
    same key, so a key may only be shared by widgets that accept the same
    values on every page (tests/test_page_transitions.py checks this). The
    size and drawing-grid sliders have page-specific ranges, so each page
    gives them its own keys through ``key_prefix``; the source, sample and
    typed numbers are shared, and travel with the student.
    """

    max_side: int = 512
    default_size: int = 64
    draw_grids: tuple[int, int] = (8, 64)
    default_source: str = "Sample"
    key_prefix: str = ""
    # said under the size slider, e.g. why this page's limit is low: an N_() template,
    # shown translated with {side} the page's limit
    size_note: str | None = None

    @property
    def size_key(self) -> str:
        return f"{self.key_prefix}size"

    @property
    def grid_key(self) -> str:
        return f"{self.key_prefix}grid"


@dataclass(frozen=True)
class InputImage:
    """The chosen input: an array, or None with a student-facing error sentence."""

    array: np.ndarray | None
    label: str
    error: str | None = None
    source_missing: bool = False  # nothing chosen yet: a hint, not an error
    book: bool = False  # the book's own input (Channels: the book's kernels fit it)


def presentation_hidden(name: str) -> bool:
    """True when the link hides a part of the page (``?present=1&hide=code,kernel``)."""
    hidden = st.query_params.get("hide", "")
    return name in {part.strip() for part in hidden.split(",")}


# ---------------------------------------------------------------- caching


@st.cache_data(max_entries=64, show_spinner=False)
def cached_sample(name: str, max_side: int) -> np.ndarray:
    return playground.load_sample(name, max_side=max_side)


@st.cache_data(max_entries=32, show_spinner=False)
def _cached_upload(digest: str, _data: bytes, max_side: int, colour: bool) -> np.ndarray:
    # the leading underscore keeps the bytes out of Streamlit's cache key: the
    # digest stands for them, so a 10 MB upload is not re-hashed on every rerun
    load = playground.load_image_rgb if colour else playground.load_image
    return load(_data, max_side=max_side)


def load_upload(data: bytes, max_side: int, *, colour: bool = False) -> np.ndarray:
    """Decode an upload once per (content, size, grey or colour); ImageError passes through."""
    return _cached_upload(hashlib.sha1(data).hexdigest(), data, max_side, colour)


# ---------------------------------------------------------------- input


def input_panel(options: InputOptions = InputOptions()) -> InputImage:
    """Sample, drawing, upload or typed matrix -> float32 (H, W) image in [0, 1] (or numbers).

    ``options.default_source`` (one of ``SOURCES``) is what a link without ``src`` opens with.
    """
    common.localise_link_value("src", SOURCE_TITLES)
    source = st.radio(
        _("Input"),
        SOURCES,
        format_func=lambda s: _(SOURCE_TITLES[s]),
        index=SOURCES.index(options.default_source),
        horizontal=True,
        key="src",
        bind="query-params",
    )
    if source != "Type numbers":
        _write_param(MATRIX, None)  # as a bound widget's parameter leaves with its widget
    if source == "Sample":
        names = list(playground.SAMPLES)
        common.localise_link_value("sample", SAMPLE_TITLES)
        name = st.selectbox(
            _("Sample image"),
            names,
            format_func=lambda n: _(playground.SAMPLES[n].title),
            key="sample",
            bind="query-params",
        )
        st.caption(_(playground.SAMPLES[name].description))
        size = _size_slider(options)
        return InputImage(cached_sample(name, size), _(playground.SAMPLES[name].title))
    if source == "Draw":
        return _draw_panel(options)
    if source == "Upload":
        return _upload_panel(options)
    return _typed_panel()


def _typed_panel() -> InputImage:
    """The typed matrix; only a matrix parse_matrix accepts goes into the link.

    The text area is not bound to the URL (a bound widget writes whatever is
    typed: a 200x200 paste put ~80 kB into the address bar). The panel reads
    ``?matrix=`` once, when the session starts, and writes it back itself.
    """
    kept = st.session_state.get(MATRIX_KEPT)
    # value= only seeds a text area that has no state yet (with a key, the value is not
    # part of its identity). Setting st.session_state[MATRIX] before the widget instead
    # was lost on a page change: the Pooling page opened on an empty matrix.
    text = st.text_area(
        _("Numbers (one row per line, separated by spaces or commas)"),
        value=kept if kept is not None else st.query_params.get(MATRIX) or BOOK_MATRIX,
        key=MATRIX,
        height=150,
    )
    st.session_state[MATRIX_KEPT] = text  # survives a switch to another source and back
    try:
        array = playground.parse_matrix(text)
    except ValueError as exc:
        _write_param(MATRIX, None)
        return InputImage(None, "typed matrix", error_sentence(exc))
    _write_param(MATRIX, None if text == BOOK_MATRIX else text)
    return InputImage(array, "typed matrix")


def error_sentence(exc: Exception) -> str:
    """An input's error in the reader's language (an ImageError's own sentence)."""
    return i18n.error_sentence(exc)


def _write_param(name: str, value: str | None) -> None:
    """Put ``name=value`` into the link, or take it out (None)."""
    if value is None:
        st.query_params.pop(name, None)
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


def _size_slider(options: InputOptions) -> int:
    size = st.slider(
        _("Longest side (pixels)"),
        4,
        options.max_side,
        min(options.default_size, options.max_side),
        key=options.size_key,
        bind="query-params",
        help=_("Large photos are scaled down to this size; small drawings are kept as they are."),
    )
    if options.size_note:
        st.caption(_(options.size_note).format(side=options.max_side))
    return size


def _upload_panel(options: InputOptions) -> InputImage:
    upload = st.file_uploader(
        _("Upload an image (PNG, JPEG, GIF, BMP, WEBP or TIFF)"),
        type=["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"],
        key="upload",
    )
    size = _size_slider(options)
    if upload is None:
        return InputImage(None, "upload", _("Choose an image file to start."), source_missing=True)
    try:
        return InputImage(load_upload(upload.getvalue(), size), upload.name)
    except playground.ImageError as exc:
        return InputImage(None, upload.name, error_sentence(exc))


def _draw_panel(options: InputOptions) -> InputImage:
    drawn = draw_panel(options.draw_grids, grid_key=options.grid_key, key_prefix=options.key_prefix)
    return InputImage(drawn, "drawing")


# ---------------------------------------------------------------- layer settings


# ---------------------------------------------------------------- the whole sidebar


SAMPLE_TITLES = {name: sample.title for name, sample in playground.SAMPLES.items()}
CONTROL_GROUPS = {"input": N_("Input"), "kernel": N_("Kernel"), "layer": N_("Layer")}


def conv_sidebar(
    input_options: InputOptions = InputOptions(),
    *,
    default_weights=None,
    present: tuple[str, ...] = ("kernel", "layer"),
) -> tuple[InputImage, ConvSettings]:
    """The controls the convolution pages share: input, kernel, then the layer's settings.

    They live in the sidebar; in presentation mode the groups in ``present`` (or the
    link's ``?show=``) sit in a compact bar under the title instead.
    """
    places = control_places(present)
    image = input_group(places, input_options)
    kernel = kernel_group(places, default_weights=default_weights)
    return image, layer_group(places, kernel)


@dataclass(frozen=True)
class Places:
    """Where each group of controls is drawn (the sidebar or a bar's popover), its title."""

    containers: dict
    titles: dict


def control_places(present: tuple[str, ...] = ("kernel", "layer")) -> Places:
    """The groups' places, made once per full run; a fragment may draw a group later.

    A page that reruns part of itself (Explore's ``st.fragment``) makes the places
    in the full run and hands them to the fragment, which draws its groups there.
    """
    titles = {name: _(label) for name, label in CONTROL_GROUPS.items()}
    return Places(common.control_places(titles, present), titles)


def _group(places: Places, name: str):
    place = places.containers[name]
    if place is st.sidebar:  # a bar's button already names its group
        place.header(places.titles[name])
    return place


def input_group(places: Places, options: InputOptions = InputOptions()) -> InputImage:
    with _group(places, "input"):
        return input_panel(options)


def kernel_group(places: Places, *, default_weights=None) -> np.ndarray:
    with _group(places, "kernel"):
        return kernel_panel(default_weights=default_weights)


def layer_group(places: Places, kernel: np.ndarray) -> ConvSettings:
    with _group(places, "layer"):
        return settings_panel(kernel)


def explain_missing_input(image: InputImage) -> bool:
    """When there is no input, say why (a hint, or the error sentence); True if so."""
    if image.array is not None:
        return False
    (st.info if image.source_missing else st.error)(image.error)
    return True
