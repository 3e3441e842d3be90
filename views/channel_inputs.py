"""The Channels page's sidebar: a colour input and one kernel stack per output channel.

Every key starts with ``ch_``: other pages' inputs are grey and their widgets
accept other values (tests/test_page_transitions.py), so nothing is shared.
Each panel returns a plain value; the arithmetic stays in ``playground``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import playground
from playground.channels import MAX_OUT_CHANNELS, STACK_PRESETS, stack_kernel, stack_preset
from playground.figures.channel_words import STACK_TITLES, channel_names
from playground.i18n import N_, _
from playground.images.rgb import COLOUR_SAMPLES, load_sample_rgb, parse_channels
from views import common
from views.controls import SAMPLE_TITLES, InputImage, error_sentence, load_upload
from views.draw_panel import draw_panel

SOURCES = ("Photo", "Book", "Upload", "Draw", "Type numbers")
SOURCE_TITLES = {
    "Book": N_("The book's 2 channels"),
    "Photo": N_("Colour photo"),
    "Upload": N_("Upload"),
    "Draw": N_("Draw in colour"),
    "Type numbers": N_("Type numbers"),
}
MAX_SIDE = 64
DRAW_GRIDS = (8, 32)  # up to 24 cells a hovered cell shows its numbers; 32 still reads as cells
TYPED_DEFAULTS = ("0 1 2\n3 4 5\n6 7 8", "1 2 3\n4 5 6\n7 8 9", "8 7 6\n5 4 3\n2 1 0")
BOOK_X = ("0 1 2\n3 4 5\n6 7 8", "1 2 3\n4 5 6\n7 8 9")  # the book's X and X + 1
# a channel without a colour, as a student reads it; the English channel_names() stay in keys
CHANNEL_NAME = N_("channel {n}")
PHOTO_DEFAULTS = ("edges_red", "grey_edges", "red_minus_green", "blur")
CHOICES = (*STACK_PRESETS, "custom")


@dataclass(frozen=True)
class LayerChoice:
    """The layer the student built: its kernel tensor and biases, or a sentence why not."""

    kernel: np.ndarray | None
    bias: tuple[float, ...]
    stacks: tuple[str, ...]
    padding: str
    stride: int
    error: str | None = None


@st.cache_data(max_entries=16, show_spinner=False)
def _sample(name: str, size: int) -> np.ndarray:
    return load_sample_rgb(name, max_side=size)


def shown_channel_names(count: int) -> tuple[str, ...]:
    """The channels' names as shown: R, G, B for three, else "channel 1", ... translated."""
    if count == 3:
        return channel_names(3)
    return tuple(_(CHANNEL_NAME).format(n=c + 1) for c in range(count))


def input_panel() -> InputImage:
    common.localise_link_value("ch_src", SOURCE_TITLES)
    source = st.radio(
        _("Input"),
        SOURCES,
        format_func=lambda s: _(SOURCE_TITLES[s]),
        key="ch_src",
        bind="query-params",
    )
    if source == "Book":
        st.caption(_("D2L 5.3.1: X (0..8) and X + 1 as two channels of a 3×3 input."))
        return InputImage(parse_channels(BOOK_X, names=("1", "2")), "the book's X", book=True)
    if source == "Type numbers":
        names = channel_names(3)  # R, G, B: the same in every language, and in the keys
        texts = [
            st.text_area(
                _("Channel {name}").format(name=name),
                default,
                key=f"ch_typed_{name.lower()}",
                height=100,
            )
            for name, default in zip(names, TYPED_DEFAULTS, strict=True)
        ]
        try:
            return InputImage(parse_channels(texts, names=names), "typed numbers")
        except ValueError as exc:
            return InputImage(None, "typed numbers", error_sentence(exc))
    if source == "Draw":
        drawn = draw_panel(DRAW_GRIDS, grid_key="ch_grid", key_prefix="ch_", colour=True)
        return InputImage(drawn, "colour drawing")
    size = st.slider(
        _("Longest side (pixels)"),
        4,
        MAX_SIDE,
        24,
        key="ch_size",
        bind="query-params",
        help=_(
            "Up to 24 pixels, hovering a cell gives its numbers; past that the maps are pictures."
        ),
    )
    if source == "Photo":
        common.localise_link_value("ch_sample", SAMPLE_TITLES)
        name = st.selectbox(
            _("Photo"),
            COLOUR_SAMPLES,
            format_func=lambda n: _(playground.SAMPLES[n].title),
            key="ch_sample",
            bind="query-params",
        )
        return InputImage(_sample(name, size), _(playground.SAMPLES[name].title))
    upload = st.file_uploader(
        _("Upload a colour image"),
        type=["png", "jpg", "jpeg", "gif", "bmp", "webp"],
        key="ch_upload",
    )
    if upload is None:
        return InputImage(None, "upload", _("Choose an image file to start."), source_missing=True)
    data = upload.getvalue()
    try:
        return InputImage(load_upload(data, size, colour=True), upload.name)
    except playground.ImageError as exc:
        return InputImage(None, upload.name, error_sentence(exc))


def _stack_panel(o: int, channels: int, default: str) -> tuple[str, np.ndarray | str, float]:
    """One output channel's kernel stack: (choice, stack or error sentence, bias)."""
    st.markdown(_("**Output channel {n}**").format(n=o + 1))
    common.localise_link_value(f"ch_stack{o}", STACK_TITLES)
    choice = st.selectbox(
        _("Kernels"),
        CHOICES,
        index=CHOICES.index(default),
        format_func=lambda key: _(STACK_TITLES[key]),
        key=f"ch_stack{o}",
        bind="query-params",
        label_visibility="collapsed",
    )
    bias = st.number_input(_("Bias"), -10.0, 10.0, 0.0, 0.5, key=f"ch_bias{o}", bind="query-params")
    if choice != "custom":
        return choice, stack_preset(choice, channels, o), bias
    names = shown_channel_names(channels)  # the keys count channels: ch_k{o}_{c}
    texts = [
        st.text_input(
            _("Kernel for {name}").format(name=name),
            "1 -1" if c == 0 else "0 0",
            key=f"ch_k{o}_{c}",
            bind="query-params",
        )
        for c, name in enumerate(names)
    ]
    try:
        return choice, parse_channels(texts, names=names, max_side=5), bias
    except ValueError as exc:
        return (
            choice,
            _("Output channel {n}: {reason}").format(n=o + 1, reason=error_sentence(exc)),
            bias,
        )


def layer_panel(channels: int, *, book: bool) -> LayerChoice:
    outs = st.slider(
        _("Output channels"),
        1,
        MAX_OUT_CHANNELS,
        1,
        key="ch_outs",
        bind="query-params",
        help=_("Each output channel has its own stack of kernels, one per input channel."),
    )
    left, right = st.columns(2)
    padding = left.selectbox(_("Padding"), ("valid", "same"), key="ch_pad", bind="query-params")
    stride = right.slider(_("Stride"), 1, 3, 1, key="ch_stride", bind="query-params")
    panels = [_stack_panel(o, channels, "book" if book else PHOTO_DEFAULTS[o]) for o in range(outs)]
    choices = tuple(choice for choice, _, _ in panels)
    biases = tuple(float(b) for _, _, b in panels)
    errors = [stack for _, stack, _ in panels if isinstance(stack, str)]
    if errors:
        return LayerChoice(None, biases, choices, padding, stride, errors[0])
    try:
        kernel = stack_kernel([stack for _, stack, _ in panels])
    except ValueError as exc:
        return LayerChoice(None, biases, choices, padding, stride, error_sentence(exc))
    return LayerChoice(kernel, biases, choices, padding, stride)
