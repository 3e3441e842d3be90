"""Pooling (D2L 5.4): the window's max or average, the book's numbers, why pool, conv -> pool."""

from __future__ import annotations

import streamlit as st

from playground.book.examples import pool_examples
from playground.book.inputs import EDGE_KERNEL, bars
from playground.channels import clamp_cell
from playground.figures import pooling as pf
from playground.figures.book_examples import BOOK_POOL_TITLES, example_line
from playground.figures.grid import grid_figure
from playground.i18n import N_
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
from views import controls
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
INTRO = (
    "A pooling window slides like a kernel but has no weights: it reports the largest "
    "number it covers (max pooling) or their mean (average pooling), channel by channel. "
    "Hover an output cell to read its window; type a row and column to write it out below."
)
FIG = {"width": "stretch", "config": {"displayModeBar": False}}


def render() -> None:
    st.title("Pooling")
    if not presenting():
        st.caption(INTRO)
    with st.sidebar:
        st.header("Input")
        image = controls.input_panel(INPUT_OPTIONS)
        st.header("Pooling")
        settings = _settings_panel()
    if controls.explain_missing_input(image):
        return
    x = image.array
    if max(x.shape) > MAX_SIDE:
        st.warning(
            f"This page pools inputs up to {MAX_SIDE}×{MAX_SIDE}; this one is "
            f"{x.shape[0]}×{x.shape[1]}. Type fewer numbers or choose a smaller size."
        )
        return
    try:
        geometry = pool_geometry(
            x.shape, settings.size, strides=settings.strides, padding=settings.padding
        )
    except ValueError as exc:
        st.warning(f"This setting has no output. {exc}")
        return
    _windows(x, settings, geometry)
    _two_channels(x, settings)
    _book_examples()
    _why_pool()
    _conv_then_pool(x, settings)


def _settings_panel() -> PoolSettings:
    mode = st.radio(
        "Kind",
        tuple(pf.MODE_TITLES),
        format_func=pf.MODE_TITLES.get,
        horizontal=True,
        key="pool_mode",
        bind="query-params",
    )
    size = st.slider("Window (rows and columns)", 1, 5, 2, key="pool_window", bind="query-params")
    stride = st.slider(
        "Stride",
        1,
        5,
        1,
        key="pool_stride",
        bind="query-params",
        help="The book's own pool2d moves by 1; Keras' MaxPool2D moves by the window's size "
        "unless told otherwise.",
    )
    padding = st.selectbox(
        "Padding",
        PADDINGS,
        format_func=pf.PADDING_TITLES.get,
        key="pool_pad",
        bind="query-params",
        help="Padding cells never count: not for the max, not in the average's count.",
    )
    return PoolSettings(
        (size, size), (stride, stride), int(padding) if padding.isdigit() else padding, mode
    )


def _windows(x, settings: PoolSettings, geometry: Geometry) -> None:
    oh, ow = geometry.output_hw
    st.subheader(
        f"Input {x.shape[0]}×{x.shape[1]} → {pf.MODE_TITLES[settings.mode].lower()} → "
        f"output {oh}×{ow}",
        anchor=False,
    )
    st.markdown(
        f'<span data-testid="pool-output-shape">Output shape: ({oh}, {ow})</span>',
        unsafe_allow_html=True,
    )
    a, b, _ = st.columns([1, 1, 4])
    row = a.number_input("Row", 0, 63, 0, key="pool_row", bind="query-params")
    col = b.number_input("Column", 0, 63, 0, key="pool_col", bind="query-params")
    chosen = clamp_cell((row, col), (oh, ow))
    traces = pool_traces(x, settings)
    trace = traces[chosen[0]][chosen[1]]
    left, right = st.columns([3, 2])
    left.plotly_chart(
        pf.padded_input_figure(x, geometry.pads, traces, chosen, title="Input (padding empty)"),
        key="pool_input_fig",
        **FIG,
    )
    right.plotly_chart(
        pf.pooled_figure(
            pool2d(x, settings.size, **settings.kwargs()), traces, chosen, title="Output"
        ),
        key="pool_output_fig",
        **FIG,
    )
    st.caption(pf.window_caption(trace))
    st.markdown(
        f'<p data-testid="pool-equation" style="font-size:1.5rem;font-weight:600;'
        f'font-family:ui-monospace,monospace">{pf.window_equation(trace)}</p>',
        unsafe_allow_html=True,
    )


def _two_channels(x, settings: PoolSettings) -> None:
    with st.expander("Two channels are pooled separately (x and x + 1)", expanded=False):
        stacked = two_channels(x)
        two = pool2d(stacked, settings.size, **settings.kwargs())
        cols = st.columns(2)
        for c, col in enumerate(cols):
            col.plotly_chart(
                grid_figure(two[:, :, c], title=f"Channel {c + 1} pooled", px=260), **FIG
            )
        st.caption(
            f"Input shape {stacked.shape} → output shape {two.shape}: pooling never adds "
            "channels together, so two channels in give two channels out."
        )


def _book_examples() -> None:
    with st.expander("The book's numbers (D2L 5.4)", expanded=False):
        for example in pool_examples():
            st.markdown(example_line(BOOK_POOL_TITLES[example.key], example))


def _why_pool() -> None:
    st.subheader("Why pool? A shift by one pixel", anchor=False)
    a, b = st.columns(2)
    way = a.radio(
        "Shift the book's bars",
        tuple(SHIFTS),
        horizontal=True,
        key="pool_shift",
        bind="query-params",
    )
    stride = b.radio(
        "Pooling stride (2×2 max)",
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
        pf.changed_figure(None, demo.edges, title="Edges of the bars"),
        pf.changed_figure(demo.edges, demo.shifted_edges, title="Edges, shifted image"),
        pf.changed_figure(None, demo.pooled, title="Pooled"),
        pf.changed_figure(demo.pooled, demo.shifted_pooled, title="Pooled, shifted image"),
    )
    for col, fig in zip(cols, figures, strict=True):
        col.plotly_chart(fig, **FIG)
    st.markdown(
        f"**{pf.shift_sentence(demo, pf.pool_text((2, 2), (stride, stride), 'max'))}** "
        "Red outlines mark the changed cells."
    )


def _conv_then_pool(x, settings: PoolSettings) -> None:
    st.subheader("Convolution, then pooling", anchor=False)
    names = list(KERNELS)
    a, b = st.columns(2)
    kernel = a.selectbox(
        "Kernel",
        names,
        format_func=lambda n: KERNELS[n].title,
        key="pool_kernel",
        bind="query-params",
    )
    conv_padding = b.radio(
        "Convolution padding",
        ("valid", "same"),
        horizontal=True,
        key="pool_conv_pad",
        bind="query-params",
    )
    try:
        stages = conv_then_pool(x, get_kernel(kernel), conv_padding=conv_padding, pool=settings)
    except ValueError as exc:
        st.warning(f"This setting has no output. {exc}")
        return
    st.markdown(
        f'**<span data-testid="pool-stages">{pf.stages_sentence(stages)}</span>**',
        unsafe_allow_html=True,
    )
    (h, w), (ch, cw), (ph, pw) = stages.shapes
    cols = st.columns(3)
    cols[0].plotly_chart(grid_figure(x, title=f"Input {h}×{w}", px=280), **FIG)
    cols[1].plotly_chart(
        grid_figure(stages.conv_output, title=f"Convolution {ch}×{cw}", px=280), **FIG
    )
    cols[2].plotly_chart(grid_figure(stages.pooled, title=f"Pooled {ph}×{pw}", px=280), **FIG)
