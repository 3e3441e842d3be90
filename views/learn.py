"""Learn a kernel: gradient descent finds a hidden kernel from an input and its output.

This module reads the problem and the training settings (sidebar widgets,
bound to the URL so a teacher's link opens the same lesson) and lays out the
page; ``views.learn_run`` owns the run itself: the buttons, the background
job and the polling fragment that draws it live.

TensorFlow is imported by the first Train or Step on the server, never on a
plain visit: ``playground.learning`` loads it lazily.
"""

from __future__ import annotations

import streamlit as st

import playground
from playground.figures import channels as channel_figures
from playground.figures import grid
from playground.figures.learn import LOSS_TITLES, OPTIMIZER_TITLES
from playground.images.rgb import load_sample_rgb
from playground.kernels import KERNELS
from playground.learning.problem import (
    BOOK_SETTINGS,
    CLIP_NORMS,
    GREY_SETTINGS,
    GREY_SIDE,
    LEARNING_RATES,
    MAX_SIDE,
    MAX_STEPS,
    OWN_SETTINGS,
    LearnSettings,
    Problem,
    book_problem,
    grey_problem,
    make_problem,
    resizes,
)
from views import controls, learn_run

INTRO = (
    "The network never sees the hidden kernel, only the input **x** and the output **y** it "
    "made. It starts from a random kernel and measures how far its own output is from y (the "
    "loss); gradient descent then nudges every weight a little downhill on that loss, step "
    "after step. That is the book's point: the edge detector [1, −1] is *learned from "
    "examples*, not written by hand."
)
# labels go into the URL
PROBLEMS = {"book": "Book example", "own": "Your own", "grey": "Colour to grey (1×1)"}
RECOMMENDED = {"book": BOOK_SETTINGS, "own": OWN_SETTINGS, "grey": GREY_SETTINGS}
BOOK_NOTE = (
    "D2L 5.1.4: the 6×8 bars image, target y = x ⋆ [1, −1], a (1, 2) kernel, learning rate "
    "0.03, summed squared error, plain SGD, 10 steps."
)
GREY_NOTE = (
    "D2L 5.3.3: a 1×1 convolution mixes the channels of each pixel and nothing else. Here "
    "y is the photo in grey, R·0.299 + G·0.587 + B·0.114 per pixel; the network sees the "
    "colour photo and y and learns the three weights of a (1, 1, 3, 1) kernel."
)
GREY_PHOTO = "astronaut"  # the colourful one: the cat is nearly grey, its weights barely matter
DEFAULT_IMAGE, DEFAULT_SIZE, DEFAULT_KERNEL = "digit", 28, "sobel_left"
SMALLEST_SIDE = 8


@st.cache_data(max_entries=64, show_spinner=False)
def _own_problem(image: str, size: int, kernel: str) -> Problem:
    x = controls.cached_sample(image, size)
    title = f"{playground.SAMPLES[image].title} at {size} px, hidden {KERNELS[kernel].title}"
    return make_problem(x, KERNELS[kernel].weights, title=title)


@st.cache_data(max_entries=4, show_spinner=False)
def _grey_problem() -> Problem:
    title = f"{playground.SAMPLES[GREY_PHOTO].title} at {GREY_SIDE} px, in grey"
    return grey_problem(load_sample_rgb(GREY_PHOTO, max_side=GREY_SIDE), title=title)


def render() -> None:
    st.title("Learn a kernel")
    st.markdown(INTRO)
    with st.sidebar:
        st.header("Problem")
        problem = _problem_panel()
        st.header("Training")
        settings, fast = _settings_panel(
            RECOMMENDED.get(st.session_state.get("problem"), BOOK_SETTINGS)
        )
    if problem is None:
        return
    learn_run.buttons(problem, settings, fast)
    learn_run.live_area(problem, settings)
    if not controls.presentation_hidden("data"):
        _show_data(problem)


# ---------------------------------------------------------------- widgets


def _load_recommended() -> None:
    """Switching the problem loads settings that work for it (any can be changed)."""
    chosen = RECOMMENDED.get(st.session_state["problem"], OWN_SETTINGS)
    st.session_state.update(
        lr=chosen.lr,
        optimizer=chosen.optimizer,
        loss=chosen.loss,
        train_steps=chosen.steps,
    )


def _problem_panel() -> Problem | None:
    choice = st.radio(
        "What to learn",
        tuple(PROBLEMS),
        format_func=PROBLEMS.get,
        horizontal=True,
        key="problem",
        bind="query-params",
        on_change=_load_recommended,
    )
    if choice == "book":
        st.caption(BOOK_NOTE)
        return book_problem()
    if choice == "grey":
        st.caption(GREY_NOTE)
        return _grey_problem()
    names = list(playground.SAMPLES)
    image = st.selectbox(
        "Input image x",
        names,
        index=names.index(DEFAULT_IMAGE),
        format_func=lambda n: playground.SAMPLES[n].title,
        key="image",
        bind="query-params",
    )
    native = controls.cached_sample(image, MAX_SIDE).shape
    if resizes(native, SMALLEST_SIDE):
        size = st.slider(
            "Longest side (pixels)",
            SMALLEST_SIDE,
            MAX_SIDE,
            DEFAULT_SIZE,
            key="image_size",
            bind="query-params",
            help="Small images keep every step fast for the whole class.",
        )
    else:  # the book's 6x8 bars: every size on the slider would give the same image
        size = MAX_SIDE
        st.caption(f"This image is {native[0]}×{native[1]} pixels and is used at that size.")
    kernels = list(KERNELS)
    kernel = st.selectbox(
        "Hidden kernel (makes y, then the network must find it)",
        kernels,
        index=kernels.index(DEFAULT_KERNEL),
        format_func=lambda n: KERNELS[n].title,
        key="true_kernel",
        bind="query-params",
    )
    st.caption(KERNELS[kernel].explanation)
    try:
        return _own_problem(image, size, kernel)
    except ValueError as exc:  # a kernel larger than the image: say so, draw nothing
        st.warning(str(exc))
        return None


def _settings_panel(default: LearnSettings) -> tuple[LearnSettings, bool]:
    """The training widgets; ``default`` is the problem's recommended run (a link's start)."""
    lr = st.select_slider(
        "Learning rate",
        LEARNING_RATES,
        value=default.lr,
        format_func=lambda v: f"{v:g}",
        key="lr",
        bind="query-params",
        help="How far each step moves the weights. Too large and the loss explodes.",
    )
    optimizer = st.radio(
        "Optimizer",
        tuple(OPTIMIZER_TITLES),
        index=tuple(OPTIMIZER_TITLES).index(default.optimizer),
        format_func=OPTIMIZER_TITLES.get,
        horizontal=True,
        key="optimizer",
        bind="query-params",
        help="SGD is the book's plain gradient step. Momentum keeps part of the last step; "
        "Adam scales each weight's step by its own gradient history.",
    )
    loss = st.radio(
        "Loss",
        tuple(LOSS_TITLES),
        index=tuple(LOSS_TITLES).index(default.loss),
        format_func=LOSS_TITLES.get,
        horizontal=True,
        key="loss",
        bind="query-params",
        help="Sum of squared errors over the output (the book's), or their mean: the sum grows "
        "with the image, so a big image needs a smaller learning rate.",
    )
    steps = st.slider("Steps", 1, MAX_STEPS, default.steps, key="train_steps", bind="query-params")
    seed = st.number_input(
        "Seed of the random starting kernel",
        0,
        9999,
        default.seed,
        key="seed",
        bind="query-params",
    )
    clipnorm = st.select_slider(
        "Gradient clipping (largest gradient norm)",
        CLIP_NORMS,
        value=0.0,
        format_func=lambda v: "off" if v == 0 else f"{v:g}",
        key="clip",
        bind="query-params",
        help="Shortens any gradient longer than this before the step: a guard against divergence.",
    )
    use_bias = st.checkbox("Also learn a bias", key="learn_bias", bind="query-params")
    fast = (
        st.radio(
            "Speed",
            ("watch", "fast"),
            format_func={"watch": "Watch it learn", "fast": "Full speed"}.get,
            horizontal=True,
            key="speed",
            bind="query-params",
            help="Watch it learn: a run is slowed to about 5 seconds so the curve grows "
            "visibly. Full speed: as fast as the server can.",
        )
        == "fast"
    )
    settings = LearnSettings(lr, optimizer, loss, steps, int(seed), use_bias, clipnorm)
    return settings, fast


def _show_data(problem: Problem) -> None:
    with st.expander("What the network sees: the input x and the target y", expanded=False):
        left, right = st.columns(2)
        x_title = "x (" + "×".join(str(n) for n in problem.x.shape) + ")"
        x_figure = (
            channel_figures.colour_figure(problem.x, title=x_title)
            if problem.channels > 1
            else grid.grid_figure(problem.x, title=x_title)
        )
        left.plotly_chart(x_figure, width="stretch", config={"displayModeBar": False})
        right.plotly_chart(
            grid.grid_figure(problem.y, title=f"y ({problem.y.shape[0]}×{problem.y.shape[1]})"),
            width="stretch",
            config={"displayModeBar": False},
        )
        st.caption(
            "y was made from x with the hidden kernel. Each step compares the network's "
            "output with y; only the kernel's weights change."
        )
