"""Channels (D2L 5.3): a kernel per input channel, their maps summed into an output channel.

Also the 1x1 convolution as a per-pixel mix of channels, checked against a
matrix multiply, and the book's numbers.
"""

from __future__ import annotations

import streamlit as st

from playground.book.examples import book_kernel_stack, channel_examples
from playground.channels import (
    MIXES,
    channel_cell,
    channel_conv,
    clamp_cell,
    clamp_channel,
    conv1x1_check,
    mix_weights,
    split_channels,
)
from playground.figures import channel_words as words
from playground.figures import channels as figures
from playground.figures.book_examples import BOOK_CHANNEL_TITLES, array_text, example_line
from playground.i18n import N_, _, error_sentence
from views import channel_inputs, common, controls
from views.common import presenting

INTRO = N_(
    "A colour image has three channels. A convolution gives each input channel its own "
    "kernel, correlates them separately and **adds the maps, plus one bias**: that sum is "
    "one output channel. Every further output channel has its own stack of kernels. Hover "
    "an output cell to read its sum across the channels."
)
# playground's own sentence is English (for programmers); the student reads this one
GREY_NEEDS_RGB = N_(
    "The grey mix weighs red, green and blue, so it needs 3 channels; this input has {c}. "
    "Choose a photo, or the average."
)
CHANNEL_TITLE = N_("Channel {n}")  # the title of a plane without a colour
FIG = {"width": "stretch", "config": {"displayModeBar": False}}
MONO = "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.05rem"


def render() -> None:
    st.title(_("Channels"))
    if not presenting():
        st.caption(_(INTRO))
    with st.sidebar:
        st.header(_("Input"))
        image = channel_inputs.input_panel()
        channels = 1 if image.array is None else image.array.shape[2]
        st.header(_("Layer"))
        layer = channel_inputs.layer_panel(channels, book=image.book)
    if controls.explain_missing_input(image):
        return
    x = image.array
    names = channel_inputs.shown_channel_names(x.shape[2])
    _show_input(x, names)
    if layer.error:
        st.warning(_("This layer cannot be built. {reason}").format(reason=layer.error))
    else:
        try:
            conv = channel_conv(
                x, layer.kernel, bias=layer.bias, strides=layer.stride, padding=layer.padding
            )
        except ValueError as exc:
            st.warning(_("This setting has no output. {reason}").format(reason=exc))
        else:
            _show_layer(conv, names, layer.stacks)
    _one_by_one(x, names)
    _book_numbers()


def _show_input(x, names) -> None:
    st.subheader(
        _("Input: {c} channels of {h}×{w}").format(c=x.shape[2], h=x.shape[0], w=x.shape[1]),
        anchor=False,
    )
    planes = split_channels(x)
    colour = x.shape[2] == 3
    cols = st.columns(len(planes) + int(colour))
    if colour:
        picture = figures.colour_figure(x, title=_("The image"), beside_planes=True)
        cols[0].plotly_chart(picture, **FIG)
    for k, (col, plane, name) in enumerate(zip(cols[int(colour) :], planes, names, strict=True)):
        channel = k if colour else 3  # the book's channels have no colour
        title = (
            _("Channel {name}").format(name=name) if colour else _(CHANNEL_TITLE).format(n=k + 1)
        )
        col.plotly_chart(figures.plane_figure(plane, channel, title=title), **FIG)


def _show_layer(conv, names, stacks) -> None:
    st.markdown(
        f'**<span data-testid="ch-shapes">{words.shapes_sentence(conv)}</span>**',
        unsafe_allow_html=True,
    )
    st.caption(words.weights_sentence(conv))
    oh, ow, c_out = conv.output_shape
    a, b, c, _rest = st.columns([1, 1, 1, 3])
    row = a.number_input(_("Row"), 0, 63, 0, key="ch_row", bind="query-params")
    col = b.number_input(_("Column"), 0, 63, 0, key="ch_col", bind="query-params")
    shown = c.number_input(_("Output channel"), 1, 4, 1, key="ch_show", bind="query-params")
    cell_index = clamp_cell((row, col), (oh, ow))
    out = clamp_channel(int(shown) - 1, c_out)
    cell = channel_cell(conv, cell_index, out)
    st.caption(words.cell_caption(cell))
    lines = "<br>".join(words.channel_lines(cell, names))
    st.markdown(f'<div style="{MONO}">{lines}</div>', unsafe_allow_html=True)
    st.markdown(
        f'<p data-testid="ch-sum" style="{MONO};font-size:1.35rem;font-weight:600">'
        f"{words.sum_line(cell, names)}</p>",
        unsafe_allow_html=True,
    )
    tabs = st.tabs([_("Output channel {n}").format(n=o + 1) for o in range(c_out)])
    for o, tab in enumerate(tabs):
        with tab:
            st.caption(_(words.STACK_TITLES[stacks[o]]))
            hover = figures.hover_texts(conv, o, names)
            marked = cell_index if o == out else None
            scale = figures.shared_scale(conv, o)
            cols = st.columns(len(names) + 1)
            for ch, (col_, name) in enumerate(zip(cols, names, strict=False)):
                col_.plotly_chart(
                    figures.map_figure(
                        conv.maps[:, :, ch, o],
                        title=_("{name} ⋆ its kernel").format(name=name),
                        hover=hover,
                        cell=marked,
                        scale=scale,
                    ),
                    **FIG,
                )
            cols[-1].plotly_chart(
                figures.map_figure(
                    conv.output[:, :, o],
                    title=_("Sum + b = channel {n}").format(n=o + 1),
                    hover=hover,
                    cell=marked,
                    scale=scale,
                ),
                **FIG,
            )
            st.caption(scale.legend())


def _one_by_one(x, names) -> None:
    st.subheader(_("The 1×1 convolution: a mix of each pixel's channels"), anchor=False)
    common.localise_link_value("ch_mix", words.MIX_TITLES)
    mix = st.radio(
        _("Mix"),
        MIXES,
        format_func=lambda key: _(words.MIX_TITLES[key]),
        horizontal=True,
        key="ch_mix",
        bind="query-params",
    )
    try:
        check = conv1x1_check(x, mix_weights(mix, x.shape[2]))
    except ValueError as exc:
        needs_rgb = mix == "grey" and x.shape[2] != 3
        st.warning(_(GREY_NEEDS_RGB).format(c=x.shape[2]) if needs_rgb else error_sentence(exc))
        return
    st.markdown(
        f'<span data-testid="ch-matmul">{words.matmul_sentence(check)}</span>',
        unsafe_allow_html=True,
    )
    left, right = st.columns([1, 2])
    left.plotly_chart(figures.matmul_figure(check, title=_("W: rows in, columns out")), **FIG)
    result = check.by_conv
    if result.shape[2] == 3:
        right.plotly_chart(figures.colour_figure(result, title=_("The mixed image")), **FIG)
    else:
        right.plotly_chart(
            figures.plane_figure(result[:, :, 0], 3, title=_("The mixed channel")), **FIG
        )


def _book_numbers() -> None:
    with st.expander(_("The book's numbers (D2L 5.3)"), expanded=True):
        for example in channel_examples():
            st.markdown(example_line(BOOK_CHANNEL_TITLES[example.key], example))
        stack = book_kernel_stack()
        st.markdown(
            f'<span data-testid="ch-book-stack">{words.layouts_sentence(stack)}</span>',
            unsafe_allow_html=True,
        )
        st.code(array_text(stack), language=None)
