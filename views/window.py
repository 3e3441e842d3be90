"""Sliding window: the kernel walks over the padded input, one output cell per step.

State: the scrubber's key ``step`` (1-based, bound to the URL so a link opens
at a step) is the single source of truth; the buttons and output-cell clicks
write it in callbacks, before the scrubber is drawn. Everything that depends
on the step lives in one fragment, so playback (``run_every``) redraws only
that part of the page.
"""

from __future__ import annotations

import functools
import html
import time

import numpy as np
import streamlit as st

from playground.figures import palette
from playground.figures import window as wf
from playground.figures import window_steps as wv
from playground.settings import ConvResult, ConvSettings, run_conv
from playground.trace import trace_cell
from views import controls
from views.common import presenting

MAX_SIDE = 16  # beyond this the numbers in the cells stop being readable
BOOK_KERNEL = ((0.0, 1.0), (2.0, 3.0))
# its own size and grid keys ("win_"): Explore's photo size (up to 512) must not
# arrive here, where 16 is the most; the sample, kernel and layer settings do travel
INPUT_OPTIONS = controls.InputOptions(
    max_side=MAX_SIDE,
    default_size=8,
    draw_grids=(4, MAX_SIDE),
    default_source="Type numbers",
    key_prefix="win_",
    size_note=(
        f"This page shows at most {MAX_SIDE}×{MAX_SIDE} pixels, so every number stays "
        "readable. The Explore page keeps its own, larger size."
    ),
)  # the book's first example, with the typed 0..8 matrix
# seconds per step; a student follows "slow", a teacher talking over it "normal"
SPEEDS = {"slow": 2.0, "normal": 1.0, "fast": 0.4}
STEP, PLAYING, LAST_TICK, SPEED, CLICK_VERSION = (
    "step",
    "win_playing",
    "win_last_tick",
    "win_speed",
    "win_click_version",
)
CHART_CONFIG = {"displayModeBar": False}
CONTENT_PX = 1000  # the main column's width on a 1500 px wide screen with the sidebar open
CONTENT_PX_PRESENTING = 1300  # ... and with it hidden (?present=1)

INTRO = (
    "Each output number is made by laying the kernel on the input, multiplying the cells "
    "it covers by the kernel's weights and adding everything up (plus the bias). Then the "
    "window slides on by the stride. Step through it, press play, or click an output cell."
)
EQUATION_STYLE = (
    "font-size:{size}rem;font-weight:600;font-family:ui-monospace,Menlo,Consolas,monospace;"
    "line-height:1.35;padding:0.35rem 0.7rem;border-left:6px solid #ff7f0e;"
    "background:rgba(255,127,14,0.08);border-radius:4px;margin:0.2rem 0 0.6rem 0"
)


def render() -> None:
    st.title("The sliding window")
    if not presenting():
        st.caption(INTRO)
    image, settings = controls.conv_sidebar(INPUT_OPTIONS, default_weights=BOOK_KERNEL)
    if controls.explain_missing_input(image):
        return
    if max(image.array.shape) > MAX_SIDE:
        h, w = image.array.shape
        st.warning(
            f"This page follows the window on inputs up to {MAX_SIDE}×{MAX_SIDE}, so every "
            f"number stays readable; this one is {h}×{w}. Type fewer numbers, or use the "
            "Explore page for large images."
        )
        return
    try:
        result = run_conv(image.array, settings)
    except ValueError as exc:
        st.warning(f"This setting has no output. {exc}")
        return
    n_steps = result.output.size
    _init_state(n_steps)
    playing = st.session_state[PLAYING]
    # the timer only exists while playing: a paused page costs nothing
    interval = SPEEDS[st.session_state[SPEED]] if playing else None
    st.fragment(_stage, run_every=interval)(image.array, settings, result, playing)


# ---------------------------------------------------------------- state and callbacks


def _init_state(n_steps: int) -> None:
    st.session_state.setdefault(PLAYING, False)
    st.session_state.setdefault(LAST_TICK, 0.0)
    st.session_state.setdefault(CLICK_VERSION, 0)
    if STEP in st.session_state:
        # new settings can shrink the output: pull the step back inside it
        st.session_state[STEP] = min(max(1, int(st.session_state[STEP])), n_steps)


def _current(n_steps: int) -> int:
    """0-based step (the scrubber shows 1-based)."""
    return wv.clamp_step(int(st.session_state.get(STEP, 1)) - 1, n_steps)


def _go(step: int, n_steps: int) -> None:
    st.session_state[STEP] = wv.clamp_step(step, n_steps) + 1


def _stop_playing() -> None:
    """A hand on the controls takes over from playback; a full rerun turns the timer off."""
    if st.session_state.get(PLAYING):
        st.session_state[PLAYING] = False
        st.rerun()


def _on_move(delta: int | None, to: int | None, n_steps: int) -> None:
    target = to if to is not None else _current(n_steps) + delta
    _go(target, n_steps)
    _stop_playing()


def _on_play(n_steps: int) -> None:
    playing = not st.session_state[PLAYING]
    if playing and _current(n_steps) >= n_steps - 1:
        _go(0, n_steps)  # play from the end starts over
    st.session_state[PLAYING] = playing
    st.session_state[LAST_TICK] = time.monotonic()
    st.rerun()  # the fragment's run_every is set by the full run


def _on_speed() -> None:
    if st.session_state.get(PLAYING):
        st.rerun()  # a new interval needs a full run


def _on_cell_click(chart_key: str, out_hw: tuple[int, int]) -> None:
    event = st.session_state.get(chart_key)
    points = (event or {}).get("selection", {}).get("points", [])
    step = wv.point_to_step(points[0], out_hw) if points else None
    # a new chart key clears the selection, so clicking the same cell again still jumps
    st.session_state[CLICK_VERSION] += 1
    if step is not None:
        _go(step, wv.step_count(out_hw))
        _stop_playing()


def _tick(n_steps: int) -> None:
    """Advance one step if the timer's interval has passed since the last one."""
    interval = SPEEDS[st.session_state.get(SPEED, "normal")]
    now = time.monotonic()
    # half an interval of slack: a widget rerun just after a tick must not skip a step
    if now - st.session_state[LAST_TICK] < 0.5 * interval:
        return
    st.session_state[LAST_TICK] = now
    step, keep_playing = wv.advance(_current(n_steps), n_steps)
    _go(step, n_steps)
    if not keep_playing:
        st.session_state[PLAYING] = False


# ---------------------------------------------------------------- the stage


def _stage(x: np.ndarray, settings: ConvSettings, result: ConvResult, timer_on: bool) -> None:
    """Controls, the step's words and arithmetic, and the three grids."""
    n_steps = result.output.size
    if st.session_state[PLAYING]:
        _tick(n_steps)
    if timer_on and not st.session_state[PLAYING]:
        st.rerun()  # playback reached the end: a full run removes the timer and resets the button
    _controls(n_steps)
    step = _current(n_steps)
    out_hw = result.output.shape
    kwargs = settings.conv_kwargs()
    trace = trace_cell(x, settings.weights, wv.step_position(step, out_hw), **kwargs)
    previous = (
        trace_cell(x, settings.weights, wv.step_position(step - 1, out_hw), **kwargs)
        if step
        else None
    )
    _words(trace, previous, settings, n_steps)
    _grids(result, trace, previous, step)


def _controls(n_steps: int) -> None:
    # the button row is drawn above the scrubber but filled after it: on a link's first
    # load only the scrubber knows ?step=, and the buttons' disabled states depend on it
    row = st.container()
    if n_steps > 1:
        st.slider(
            "Step",
            1,
            n_steps,
            key=STEP,  # no value=: the session state (or the URL) holds it
            label_visibility="collapsed",
            bind="query-params",
            on_change=_stop_playing,
            help="Drag to any step; the link in the address bar opens at this step.",
        )
    cols = row.columns([1, 1, 1.3, 1, 1, 2.2], vertical_alignment="bottom")
    last = n_steps - 1
    step = _current(n_steps)
    # Material icons, not emoji: a classroom's laptops and projector may lack an emoji font
    buttons = [
        ("First", ":material/first_page:", "win_first", (None, 0), step == 0),
        ("Previous", ":material/chevron_left:", "win_prev", (-1, None), step == 0),
        ("Next", ":material/chevron_right:", "win_next", (1, None), step == last),
        ("Last", ":material/last_page:", "win_last", (None, last), step == last),
    ]
    for col, (label, icon, key, (delta, to), disabled) in zip(
        (cols[0], cols[1], cols[3], cols[4]), buttons, strict=True
    ):
        col.button(
            label,
            icon=icon,
            key=key,
            width="stretch",
            disabled=disabled,
            on_click=_on_move,
            args=(delta, to, n_steps),
        )
    playing = st.session_state[PLAYING]
    cols[2].button(
        "Pause" if playing else "Play",
        icon=":material/pause:" if playing else ":material/play_arrow:",
        key="win_play",
        type="primary",
        width="stretch",
        disabled=n_steps == 1,
        on_click=_on_play,
        args=(n_steps,),
    )
    cols[5].select_slider(
        "Speed",
        options=list(SPEEDS),
        value="normal",
        key=SPEED,
        on_change=_on_speed,
    )


def _words(trace, previous, settings: ConvSettings, n_steps: int) -> None:
    notes = [f"**{wv.step_caption(trace, n_steps)}.**", wv.move_sentence(previous, trace)]
    dilation = wv.dilation_sentence(settings.dilation_rate)
    if dilation:
        notes.append(dilation)
    if trace.in_padding.any():
        notes.append("Shaded cells are padding: they hold 0.")
    if settings.flip:
        notes.append("Flip is on: the kernel is turned 180° before it slides (true convolution).")
    # blank lines inside the div let Streamlit still render the **bold** as markdown
    st.markdown(
        f'<div style="font-size:1.25rem">\n\n{" ".join(notes)}\n\n</div>',
        unsafe_allow_html=True,
    )
    lines = wv.equation_lines(trace)
    longest = max(len(line) for line in lines)
    # a line must fit the page at projector size: shrink the type rather than wrap
    size = 1.9 if longest <= 55 else 1.5 if longest <= 70 else 1.2 if longest <= 90 else 1.0
    if len(lines) > 1:
        size = min(size, 1.3)  # several lines: keep the grids on the screen
    # the result in the output cell's green, so the eye links "= 19" to that cell
    *first, last = [html.escape(line) for line in lines]
    terms, _, value = last.rpartition(" = ")
    last = f'{terms} = <span style="color:{palette.OUTPUT_LINE}">{value}</span>'
    # aria-label: the whole equation in one line, for screen readers (and tests)
    st.markdown(
        f'<div data-testid="window-equation" aria-label="{html.escape(trace.equation())}" '
        f'style="{EQUATION_STYLE.format(size=size)}">' + "<br>".join([*first, last]) + "</div>",
        unsafe_allow_html=True,
    )


def _grids(result: ConvResult, trace, previous, step: int) -> None:
    # widths follow the grids' columns, so a wide padded input is not squeezed
    kw, ow, pw = trace.weights.shape[1], result.output.shape[1], result.padded.shape[1]
    # (each products cell holds two lines of text: two units per kernel column)
    weights = [max(5, pw), max(4, 2 * kw), max(4, ow)]
    left, middle, right = st.columns(weights)
    # each figure's share of the page, so the numbers in the cells are sized for it
    content = CONTENT_PX_PRESENTING if presenting() else CONTENT_PX
    px_in, px_prod, px_out = (int(content * w / sum(weights)) for w in weights)
    padded = any(any(side) for side in result.pads)
    left.plotly_chart(
        wf.input_figure(
            result.padded,
            result.pads,
            trace,
            previous,
            title="Input (padding shaded)" if padded else "Input",
            px=px_in,
        ),
        width="stretch",
        config=CHART_CONFIG,
        key="win_input_chart",
    )
    left.caption("Orange: the cells under the kernel now. Dotted: where it was one step before.")
    middle.plotly_chart(
        wf.products_figure(trace, px=px_prod),
        width="stretch",
        config=CHART_CONFIG,
        key="win_products_chart",
    )
    middle.markdown(
        f"**{wv.sum_sentence(trace)}** → output row {trace.out_index[0]}, "
        f"column {trace.out_index[1]}"
    )
    out_hw = result.output.shape
    chart_key = f"win_output_chart_{st.session_state[CLICK_VERSION]}"
    right.plotly_chart(
        wf.output_figure(result.output, step, px=px_out),
        width="stretch",
        config=CHART_CONFIG,
        key=chart_key,
        # plotly_chart takes no callback args: bind them here
        on_select=functools.partial(_on_cell_click, chart_key, out_hw),
        selection_mode="points",
    )
    right.caption("Green: the cell this step fills. Blank cells come later. Click a cell to jump.")
