"""Pooling (D2L 5.4): the window's max or average, the book's numbers, why pool, conv -> pool."""

from __future__ import annotations

import streamlit as st

from playground.book.examples import pool_examples
from playground.book.inputs import EDGE_KERNEL, bars
from playground.channels import clamp_cell
from playground.figures import pooling as pf
from playground.figures.book_examples import BOOK_POOL_TITLES, example_line
from playground.figures.grid import grid_figure, grid_legend
from playground.i18n import N_, _, error_sentence
from playground.kernels import KERNELS, get_kernel
from playground.pool_trace import (
    PoolSettings,
    conv_then_pool,
    pool_traces,
    shift_demo,
    two_channels,
)
from playground.pooling import pool2d, pool_geometry
from playground.shapes import Geometry
from views import common, controls
from views.common import presenting

MAX_SIDE = 32
INPUT_OPTIONS = controls.InputOptions(
    max_side=MAX_SIDE,
    default_size=12,
    draw_grids=(4, MAX_SIDE),
    default_source="Type numbers",
    key_prefix="pool_in_",
    size_note=N_("This page pools inputs up to {side}×{side}, so windows stay visible."),
)
PADDINGS = ("valid", "same", "1")
SHIFTS = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}
SHIFT_TITLES = {"left": N_("left"), "right": N_("right"), "up": N_("up"), "down": N_("down")}
INTRO = N_(
    "A pooling window slides like a kernel but has no weights: it reports the largest "
    "number it covers (max pooling) or their mean (average pooling), channel by channel. "
    "Hover an output cell to read its window; type a row and column to write it out below."
)
FIG = {"width": "stretch", "config": {"displayModeBar": False}}


def render() -> None:
    st.title(_("Pooling"))
    if not presenting():
        st.caption(_(INTRO))
    with st.sidebar:
        st.header(_("Input"))
        image = controls.input_panel(INPUT_OPTIONS)
        st.header(_("Pooling"))
        settings = _settings_panel()
    if controls.explain_missing_input(image):
        return
    x = image.array
    if max(x.shape) > MAX_SIDE:
        st.warning(
            _(
                "This page pools inputs up to {side}×{side}; this one is {h}×{w}. "
                "Type fewer numbers or choose a smaller size."
            ).format(side=MAX_SIDE, h=x.shape[0], w=x.shape[1])
        )
        return
    try:
        geometry = pool_geometry(
            x.shape, settings.size, strides=settings.strides, padding=settings.padding
        )
    except ValueError as exc:
        st.warning(_("This setting has no output. {reason}").format(reason=error_sentence(exc)))
        return
    _windows(x, settings, geometry)
    _two_channels(x, settings)
    _book_examples()
    _why_pool()
    _conv_then_pool(x, settings)


def _settings_panel() -> PoolSettings:
    common.localise_link_value("pool_mode", pf.MODE_TITLES)
    common.localise_link_value("pool_pad", pf.PADDING_TITLES)
    mode = st.radio(
        _("Kind"),
        tuple(pf.MODE_TITLES),
        format_func=lambda key: _(pf.MODE_TITLES[key]),
        horizontal=True,
        key="pool_mode",
        bind="query-params",
    )
    # a rectangular window and a stride per axis, as tf.nn.max_pool2d's ksize=[kh, kw];
    # off, one slider each, as the book's square examples
    rectangular = st.toggle(
        _("Rectangular window, stride per axis"), key="pool_rect", bind="query-params"
    )
    stride_help = _(
        "The book's own pool2d moves by 1; Keras' MaxPool2D moves by the window's size "
        "unless told otherwise."
    )
    if rectangular:
        size = (
            st.slider(_("Window rows"), 1, 5, 2, key="pool_window", bind="query-params"),
            st.slider(_("Window columns"), 1, 5, 2, key="pool_window_w", bind="query-params"),
        )
        stride = (
            st.slider(
                _("Stride down (rows)"),
                1,
                5,
                1,
                key="pool_stride",
                bind="query-params",
                help=stride_help,
            ),
            st.slider(
                _("Stride across (columns)"), 1, 5, 1, key="pool_stride_w", bind="query-params"
            ),
        )
    else:
        side = st.slider(
            _("Window (rows and columns)"), 1, 5, 2, key="pool_window", bind="query-params"
        )
        step = st.slider(
            _("Stride"), 1, 5, 1, key="pool_stride", bind="query-params", help=stride_help
        )
        size, stride = (side, side), (step, step)
    padding = st.selectbox(
        _("Padding"),
        PADDINGS,
        format_func=lambda key: _(pf.PADDING_TITLES[key]),
        key="pool_pad",
        bind="query-params",
        help=_("Padding cells never count: not for the max, not in the average's count."),
    )
    return PoolSettings(size, stride, int(padding) if padding.isdigit() else padding, mode)


def _windows(x, settings: PoolSettings, geometry: Geometry) -> None:
    oh, ow = geometry.output_hw
    if settings.mode == "max":
        headline = _("Input {h}×{w} → max pooling → output {oh}×{ow}")
    else:
        headline = _("Input {h}×{w} → average pooling → output {oh}×{ow}")
    st.subheader(headline.format(h=x.shape[0], w=x.shape[1], oh=oh, ow=ow), anchor=False)
    shape_words = _("Output shape: ({oh}, {ow})").format(oh=oh, ow=ow)
    st.markdown(
        f'<span data-testid="pool-output-shape">{shape_words}</span>',
        unsafe_allow_html=True,
    )
    st.caption("<br>".join(pf.shape_lines(geometry)), unsafe_allow_html=True)
    a, b, _rest = st.columns([1, 1, 4])
    row = a.number_input(_("Row"), 0, 63, 0, key="pool_row", bind="query-params")
    col = b.number_input(_("Column"), 0, 63, 0, key="pool_col", bind="query-params")
    chosen = clamp_cell((row, col), (oh, ow))
    traces = pool_traces(x, settings)
    trace = traces[chosen[0]][chosen[1]]
    left, right = st.columns([3, 2])
    scale = pf.input_scale(x)  # the output on the input's colours: a cell has its window's
    left.plotly_chart(
        pf.padded_input_figure(
            x, geometry.pads, traces, chosen, title=_("Input (padding empty)"), scale=scale
        ),
        key="pool_input_fig",
        **FIG,
    )
    right.plotly_chart(
        pf.pooled_figure(
            pool2d(x, settings.size, **settings.kwargs()),
            traces,
            chosen,
            title=_("Output"),
            scale=scale,
        ),
        key="pool_output_fig",
        **FIG,
    )
    st.caption(_("Input and output: {legend}").format(legend=scale.legend()))
    st.caption(pf.window_caption(trace))
    st.markdown(
        f'<p data-testid="pool-equation" style="font-size:1.5rem;font-weight:600;'
        f'font-family:ui-monospace,monospace">{pf.window_equation(trace)}</p>',
        unsafe_allow_html=True,
    )


def _two_channels(x, settings: PoolSettings) -> None:
    with st.expander(_("Two channels are pooled separately (x and x + 1)"), expanded=False):
        stacked = two_channels(x)
        two = pool2d(stacked, settings.size, **settings.kwargs())
        cols = st.columns(2)
        for c, col in enumerate(cols):
            col.plotly_chart(
                grid_figure(two[:, :, c], title=_("Channel {n} pooled").format(n=c + 1), px=260),
                **FIG,
            )
            col.caption(grid_legend(two[:, :, c]))
        st.caption(
            _(
                "Input shape {before} → output shape {after}: pooling never adds "
                "channels together, so two channels in give two channels out."
            ).format(before=stacked.shape, after=two.shape)
        )


def _book_examples() -> None:
    with st.expander(_("The book's numbers (D2L 5.4)"), expanded=False):
        for example in pool_examples():
            st.markdown(example_line(BOOK_POOL_TITLES[example.key], example))


def _why_pool() -> None:
    st.subheader(_("Why pool? A shift by one pixel"), anchor=False)
    a, b = st.columns(2)
    common.localise_link_value("pool_shift", SHIFT_TITLES)
    way = a.radio(
        _("Shift the book's bars"),
        tuple(SHIFTS),
        format_func=lambda way: _(SHIFT_TITLES[way]),
        horizontal=True,
        key="pool_shift",
        bind="query-params",
    )
    stride = b.radio(
        _("Pooling stride (2×2 max)"),
        (1, 2),
        index=1,
        horizontal=True,
        key="pool_shift_stride",
        bind="query-params",
    )
    demo_settings = PoolSettings((2, 2), (stride, stride), "valid", "max")
    demo = shift_demo(bars(), EDGE_KERNEL, SHIFTS[way], demo_settings)
    cols = st.columns(4)
    figures = (
        pf.changed_figure(None, demo.edges, title=_("Edges of the bars")),
        pf.changed_figure(demo.edges, demo.shifted_edges, title=_("Edges, shifted image")),
        pf.changed_figure(None, demo.pooled, title=_("Pooled")),
        pf.changed_figure(demo.pooled, demo.shifted_pooled, title=_("Pooled, shifted image")),
    )
    for col, fig in zip(cols, figures, strict=True):
        col.plotly_chart(fig, **FIG)
    edges = (demo.edges, demo.shifted_edges, demo.pooled, demo.shifted_pooled)
    st.caption(pf.edge_scale(*edges).legend())
    st.markdown(
        _("**{sentence}** Red outlines mark the changed cells.").format(
            sentence=pf.shift_sentence(demo, pf.pool_text((2, 2), (stride, stride), "max"))
        )
    )


def _conv_then_pool(x, settings: PoolSettings) -> None:
    st.subheader(_("Convolution, then pooling"), anchor=False)
    names = list(KERNELS)
    a, b = st.columns(2)
    kernel = a.selectbox(
        _("Kernel"),
        names,
        format_func=lambda n: _(KERNELS[n].title),
        key="pool_kernel",
        bind="query-params",
    )
    conv_padding = b.radio(
        _("Convolution padding"),
        ("valid", "same"),
        horizontal=True,
        key="pool_conv_pad",
        bind="query-params",
    )
    try:
        stages = conv_then_pool(x, get_kernel(kernel), conv_padding=conv_padding, pool=settings)
    except ValueError as exc:
        st.warning(_("This setting has no output. {reason}").format(reason=error_sentence(exc)))
        return
    st.markdown(
        f'**<span data-testid="pool-stages">{pf.stages_sentence(stages)}</span>**',
        unsafe_allow_html=True,
    )
    (h, w), (ch, cw), (ph, pw) = stages.shapes
    cols = st.columns(3)
    stage_maps = (
        (x, _("Input {h}×{w}").format(h=h, w=w)),
        (stages.conv_output, _("Convolution {h}×{w}").format(h=ch, w=cw)),
        (stages.pooled, _("Pooled {h}×{w}").format(h=ph, w=pw)),
    )
    for col, (values, title) in zip(cols, stage_maps, strict=True):
        col.plotly_chart(grid_figure(values, title=title, px=280), **FIG)
        col.caption(grid_legend(values))
