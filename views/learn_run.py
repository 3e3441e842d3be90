"""The Learn page's run: Train/Pause/Step/Reset and the live, polling drawing of a job.

A session's job lives in ``st.session_state`` and trains on a thread of the
one server-wide :class:`TrainingManager` (``st.cache_resource``), so it
survives reruns: a student can move any widget while a kernel learns. The
buttons act in ``on_click`` callbacks, before the page is drawn, so every
label and status already shows the click. A fragment polls the job's
snapshot every ``POLL_SECONDS`` while it is active, heartbeats it (a closed
tab stops polling, and the manager stops the run after its idle timeout) and
redraws the loss curve and kernels; when the job ends it reruns the whole
page once, which declares the fragment without a timer (AppTest never fires
these timers: tests wait on the job instead).
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

import streamlit as st

from playground.figures import learn as learn_figures
from playground.figures import learn_output
from playground.i18n import _, current_language, error_sentence
from playground.learning.job import TrainingJob
from playground.learning.manager import TrainingManager, max_trainings_setting
from playground.learning.problem import (
    MAX_STEPS,
    LearnSettings,
    Problem,
    learn_request,
    model_output,
)
from playground.learning.runtime import tensorflow_loaded
from views.common import FALLBACK_ERROR

log = logging.getLogger(__name__)

RUN = "learn_run"  # session_state: the Run of this session, or absent
ERROR = "learn_error"  # session_state: the exception of the last failed Train/Step
SESSION_ID = "learn_session_id"
FIGURES = "learn_figures"  # session_state: (cache key, figures) of the last draw

POLL_SECONDS = {"queued": 1.0, "running": 0.4, "paused": 1.0}  # paused polls only to heartbeat
RUN_SECONDS = 5.0  # "Watch" pace: a run takes about this long, whatever its steps
MAX_STEP_DELAY = 0.4


@dataclass(frozen=True)
class Run:
    """A session's training job and what it was asked to learn."""

    job: TrainingJob
    problem: Problem
    settings: LearnSettings


@st.cache_resource(show_spinner=False)
def training_manager() -> TrainingManager:
    """One manager for the whole server: its queue is how 30 students share two cores."""
    try:
        slots = max_trainings_setting()
    except ValueError as exc:  # the teacher's setting: say so in the terminal, keep teaching
        slots = max_trainings_setting({})
        log.warning("%s Using %d.", exc, slots)
    return TrainingManager(max_concurrent=slots, max_steps=MAX_STEPS)


# ---------------------------------------------------------------- buttons


def _session_id() -> str:
    # one run per browser session: a new Train stops this session's old run
    return st.session_state.setdefault(SESSION_ID, uuid.uuid4().hex)


def _start(
    problem: Problem, settings: LearnSettings, fast: bool, *, held: bool = False
) -> TrainingJob | None:
    manager = training_manager()
    # "Watch" paces a run to last about RUN_SECONDS: the book's 10 steps take milliseconds
    step_delay = 0.0 if fast else min(MAX_STEP_DELAY, RUN_SECONDS / settings.steps)
    st.session_state.pop(ERROR, None)
    try:
        job = manager.submit(
            learn_request(problem, settings),
            session_id=_session_id(),
            paused=held,  # a held start makes the first Step exactly one step
            step_delay=step_delay,
        )
    except (ValueError, TypeError, RuntimeError) as exc:
        st.session_state[ERROR] = exc  # shown in the reader's language of each later run
        return None
    st.session_state[RUN] = Run(job, problem, settings)
    return job


def _current() -> Run | None:
    return st.session_state.get(RUN)


def _on_train(problem, settings, fast) -> None:
    _start(problem, settings, fast)


def _on_pause() -> None:
    if (run := _current()) is None:
        return
    if run.job.snapshot().status == "paused":
        run.job.resume()
    else:
        run.job.pause()


def _on_step(problem, settings, fast) -> None:
    run = _current()
    if run is not None and run.job.snapshot().active:
        run.job.step_once()
        return
    # No live run: start one held still, then allow exactly one step.
    if (job := _start(problem, settings, fast, held=True)) is not None:
        job.step_once()


def _on_reset() -> None:
    if (run := st.session_state.pop(RUN, None)) is not None:
        run.job.stop()
    st.session_state.pop(ERROR, None)
    st.session_state.pop(FIGURES, None)


def buttons(problem: Problem, settings: LearnSettings, fast: bool) -> None:
    run = _current()
    status = run.job.snapshot().status if run else None
    active = status in ("queued", "running", "paused")
    args = (problem, settings, fast)
    cols = st.columns(4)
    cols[0].button(
        _("Train again") if run else _("Train"),
        key="train",
        type="primary",
        icon=":material/play_arrow:",
        on_click=_on_train,
        args=args,
        width="stretch",
        help=_("Start a new run with the settings on the left."),
    )
    cols[1].button(
        _("Resume") if status == "paused" else _("Pause"),
        key="pause",
        icon=":material/play_circle:" if status == "paused" else ":material/pause:",
        on_click=_on_pause,
        disabled=not active,
        width="stretch",
    )
    cols[2].button(
        _("Step"),
        key="learn_step",  # not "step": that is the Sliding window's scrubber
        icon=":material/skip_next:",
        on_click=_on_step,
        args=args,
        width="stretch",
        help=_("One gradient step, then wait."),
    )
    cols[3].button(
        _("Reset"),
        key="reset",
        icon=":material/restart_alt:",
        on_click=_on_reset,
        disabled=run is None,
        width="stretch",
        help=_("Stop and clear the run."),
    )
    if error := st.session_state.get(ERROR):
        st.error(error_sentence(error))


# ---------------------------------------------------------------- live area


def live_area(problem: Problem, settings: LearnSettings) -> None:
    run = _current()
    status = run.job.snapshot().status if run else None
    every = POLL_SECONDS.get(status)  # None once the run has ended: no more polling
    st.fragment(run_every=every)(_live)(problem, settings, every is not None)


def _live(problem: Problem, settings: LearnSettings, polling: bool) -> None:
    # A fragment's timed reruns bypass the page's guard (views.common.guarded):
    # an unexpected error here must also become one sentence, not a traceback.
    try:
        _draw_live(problem, settings, polling)
    except Exception:
        log.exception("learn page: drawing the run failed")
        st.error(_(FALLBACK_ERROR))


def _draw_live(problem: Problem, settings: LearnSettings, polling: bool) -> None:
    """Draw the current run; runs again every ``run_every`` seconds while it is active."""
    run = _current()
    snap = run.job.snapshot() if run else None
    if snap is not None and snap.active:
        run.job.heartbeat()  # the tab is open: keep the run alive
    ahead = training_manager().queue_position(run.job) if snap and snap.status == "queued" else None
    line = learn_figures.status_line(snap, queue_ahead=ahead, tensorflow_ready=tensorflow_loaded())
    st.markdown(f"#### {line}")
    if snap is not None and (notice := learn_figures.notice(snap)) is not None:
        kind, text = notice
        (st.error if kind == "error" else st.info)(text)
    if run is not None and (run.problem.title, run.settings) != (problem.title, settings):
        st.caption(_("You changed the settings: press **Train again** to learn with them."))
    shown = run.problem if run else problem
    left, right = st.columns([5, 4], gap="large")
    with left:
        log_scale = st.toggle(
            _("Log scale"), key="log_scale", bind="query-params", help=_("Shows tiny losses too.")
        )
    loss_name = run.settings.loss if run else settings.loss
    loss_fig, kernel_fig, output_fig, y_hat = _figures(run, snap, shown, log_scale, loss_name)
    left.plotly_chart(loss_fig, width="stretch", config={"displayModeBar": False})
    right.plotly_chart(kernel_fig, width="stretch", config={"displayModeBar": False})
    right.caption(learn_figures.kernel_legend(snap.kernel if snap else None, shown.true_kernel))
    if shown.channels > 1:
        right.markdown(
            learn_figures.channel_weights_sentence(snap.kernel if snap else None, shown.true_kernel)
        )
    if snap is not None and snap.losses:
        right.markdown(
            learn_figures.result_sentence(snap, shown.true_kernel, use_bias=run.settings.use_bias)
        )
    st.plotly_chart(output_fig, width="stretch", config={"displayModeBar": False})
    st.caption(learn_output.output_sentence(y_hat, shown.y))
    st.caption(learn_output.output_legend(y_hat, shown.y))
    if polling and (snap is None or not snap.active):
        st.rerun(scope="app")  # the run ended: redraw the page once, without the timer


def _figures(run: Run | None, snap, problem: Problem, log_scale: bool, loss_name: str):
    """The figures and y-hat, rebuilt only when a step arrived (polling a paused run is cheap)."""
    steps = len(snap.steps) if snap else 0
    # the figures hold words: a language switch draws them again
    key = (run.job.id if run else None, steps, log_scale, problem.title, loss_name)
    key = (*key, current_language())
    cached = st.session_state.get(FIGURES)
    if cached is not None and cached[0] == key:
        return cached[1]
    kernel = snap.kernel if snap else None
    y_hat = None if kernel is None else model_output(problem, kernel, snap.bias)
    built = (
        learn_figures.loss_figure(
            snap.steps if snap else (),
            snap.losses if snap else (),
            log_scale=log_scale,
            total_steps=snap.total_steps if snap else None,
            loss_name=loss_name,
        ),
        learn_figures.kernel_figure(kernel, problem.true_kernel),
        learn_output.output_figure(y_hat, problem.y),
        y_hat,
    )
    st.session_state[FIGURES] = (key, built)
    return built
