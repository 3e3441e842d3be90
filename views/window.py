"""Sliding window: the kernel walks over the padded input, one output cell per step.

State: the scrubber's key ``step`` (1-based, bound to the URL so a link opens
at a step) is the single source of truth on the server; the buttons write it
in callbacks, before the scrubber is drawn. Playback runs in the browser view
(views/components/conv_view): requestAnimationFrame moves the window at 1-60
steps per second with no server rerun per step. The view reports where it
stopped (on pause, at the end, or after a click or arrow key), and that report
becomes ``step``, so the URL and the sentences below follow.
"""

from __future__ import annotations

import html

import streamlit as st

from playground.figures import palette
from playground.figures import window_steps as wv
from playground.i18n import N_, _, error_sentence
from playground.settings import ConvResult, ConvSettings, run_conv
from playground.trace import trace_cells
from views import controls
from views.common import presenting
from views.components.conv_view import conv_view

MAX_SIDE = 16  # beyond this the numbers in the cells stop being readable
BOOK_KERNEL = ((0.0, 1.0), (2.0, 3.0))  # the book's first example, with the typed 0..8 matrix
# its own size and grid keys ("win_"): Explore's photo size (up to 512) must not
# arrive here, where 16 is the most; the sample, kernel and layer settings do travel
INPUT_OPTIONS = controls.InputOptions(
    max_side=MAX_SIDE,
    default_size=8,
    draw_grids=(4, MAX_SIDE),
    default_source="Type numbers",
    key_prefix="win_",
    size_note=N_(
        "This page shows at most {side}×{side} pixels, so every number stays "
        "readable. The Explore page keeps its own, larger size."
    ),
)
STEP = "step"
VIEW_KEY = "window_view"
SEEN_REPORT = "win_seen_report"  # the browser's last report already applied to ``step``
FIRST_SPEED = 2  # steps per second: slow enough to read each product at first

INTRO = N_(
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
    st.title(_("The sliding window"))
    if not presenting():
        st.caption(_(INTRO))
    image, settings = controls.conv_sidebar(
        INPUT_OPTIONS, default_weights=BOOK_KERNEL, present=("input", "kernel")
    )
    if controls.explain_missing_input(image):
        return
    if max(image.array.shape) > MAX_SIDE:
        h, w = image.array.shape
        st.warning(
            _(
                "This page follows the window on inputs up to {side}×{side}, so every "
                "number stays readable; this one is {h}×{w}. Type fewer numbers, or use the "
                "Explore page for large images."
            ).format(side=MAX_SIDE, h=h, w=w)
        )
        return
    try:
        result = run_conv(image.array, settings)
    except ValueError as exc:
        st.warning(_("This setting has no output. {reason}").format(reason=error_sentence(exc)))
        return
    n_steps = result.output.size
    _init_state(n_steps)
    playing = _apply_browser_report(n_steps)
    _controls(n_steps)
    step = _current(n_steps)
    out_hw = result.output.shape
    # this step's window and the one before it, validated and resolved once
    cells = [wv.step_position(s, out_hw) for s in ((step, step - 1) if step else (step,))]
    trace, *before = trace_cells(image.array, settings.weights, cells, **settings.conv_kwargs())
    previous = before[0] if before else None
    if playing:
        # the sentences below are for one step: while the browser plays they would lag behind
        st.info(_("Playing in the view below. Pause to read the step here and to link to it."))
    else:
        _words(trace, previous, settings, n_steps)
    _view(image.array, settings, result, step)
    if not playing:
        st.markdown(
            _("**{sum}** → output row {row}, column {col}").format(
                sum=wv.sum_sentence(trace), row=trace.out_index[0], col=trace.out_index[1]
            )
        )


# ---------------------------------------------------------------- state


def _init_state(n_steps: int) -> None:
    if STEP in st.session_state:
        # new settings can shrink the output: pull the step back inside it
        st.session_state[STEP] = min(max(1, int(st.session_state[STEP])), n_steps)


def _current(n_steps: int) -> int:
    """0-based step (the scrubber shows 1-based)."""
    return wv.clamp_step(int(st.session_state.get(STEP, 1)) - 1, n_steps)


def _go(step: int, n_steps: int) -> None:
    st.session_state[STEP] = wv.clamp_step(step, n_steps) + 1


def _on_move(delta: int | None, to: int | None, n_steps: int) -> None:
    target = to if to is not None else _current(n_steps) + delta
    _go(target, n_steps)


def _apply_browser_report(n_steps: int) -> bool:
    """Take the step the browser view stopped at (once per report); True while it plays."""
    report = (st.session_state.get(VIEW_KEY) or {}).get("player")
    if not isinstance(report, dict):
        return False
    if report != st.session_state.get(SEEN_REPORT):
        st.session_state[SEEN_REPORT] = dict(report)
        step = report.get("step")
        if not report.get("playing") and isinstance(step, int | float):
            _go(int(step) - 1, n_steps)  # -> the scrubber and ?step= follow
    return bool(report.get("playing"))


# ---------------------------------------------------------------- controls and view


def _controls(n_steps: int) -> None:
    # the button row is drawn above the scrubber but filled after it: on a link's first
    # load only the scrubber knows ?step=, and the buttons' disabled states depend on it
    row = st.container()
    if n_steps > 1:
        st.slider(
            _("Step"),
            1,
            n_steps,
            key=STEP,  # no value=: the session state (or the URL) holds it
            label_visibility="collapsed",
            bind="query-params",
            help=_("Drag to any step; the link in the address bar opens at this step."),
        )
    cols = row.columns(4, vertical_alignment="bottom")
    last = n_steps - 1
    step = _current(n_steps)
    # Material icons, not emoji: a classroom's laptops and projector may lack an emoji font
    buttons = [
        (_("First"), ":material/first_page:", "win_first", (None, 0), step == 0),
        (_("Previous"), ":material/chevron_left:", "win_prev", (-1, None), step == 0),
        (_("Next"), ":material/chevron_right:", "win_next", (1, None), step == last),
        (_("Last"), ":material/last_page:", "win_last", (None, last), step == last),
    ]
    for col, (label, icon, key, (delta, to), disabled) in zip(cols, buttons, strict=True):
        col.button(
            label,
            icon=icon,
            key=key,
            width="stretch",
            disabled=disabled,
            on_click=_on_move,
            args=(delta, to, n_steps),
        )


def _view(x, settings: ConvSettings, result: ConvResult, step: int) -> None:
    """The browser view: grids, the moving window, play/pause and speed."""
    conv_view(
        key=VIEW_KEY,
        x=x,
        kernel=settings.weights[::-1, ::-1] if settings.flip else settings.weights,
        output=result.output,
        pads=result.pads,
        strides=settings.strides,
        dilation=settings.dilation_rate,
        bias=settings.bias,
        contrast="full",
        flipped=settings.flip,
        mode="window",
        step=step + 1,
        speed=FIRST_SPEED,
        transport="play",
        large=presenting(),
    )
    st.caption(
        _(
            "Orange: the cells under the kernel now; dashed: where it was one step before. "
            "Blank output cells come later. Click an output cell to jump there; with the view "
            "focused, the arrow keys step and the space bar plays or pauses."
        )
    )


def _words(trace, previous, settings: ConvSettings, n_steps: int) -> None:
    notes = [
        _("**{caption}.**").format(caption=wv.step_caption(trace, n_steps)),
        wv.move_sentence(previous, trace),
    ]
    dilation = wv.dilation_sentence(settings.dilation_rate)
    if dilation:
        notes.append(dilation)
    if trace.in_padding.any():
        notes.append(_("Shaded cells are padding: they hold 0."))
    if settings.flip:
        notes.append(
            _("Flip is on: the kernel is turned 180° before it slides (true convolution).")
        )
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
    terms, _sep, value = last.rpartition(" = ")
    last = f'{terms} = <span style="color:{palette.OUTPUT_LINE}">{value}</span>'
    # aria-label: the whole equation in one line, for screen readers (and tests)
    st.markdown(
        f'<div data-testid="window-equation" aria-label="{html.escape(trace.equation())}" '
        f'style="{EQUATION_STYLE.format(size=size)}">' + "<br>".join([*first, last]) + "</div>",
        unsafe_allow_html=True,
    )
