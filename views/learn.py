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
from playground.i18n import N_, _, error_sentence
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
from views import common, controls, learn_run

INTRO = N_(
    "The network never sees the hidden kernel, only the input **x** and the output **y** it "
    "made. It starts from a random kernel and measures how far its own output is from y (the "
    "loss); gradient descent then nudges every weight a little downhill on that loss, step "
    "after step. That is the book's point: the edge detector [1, −1] is *learned from "
    "examples*, not written by hand."
)
# the keys go into the URL; the titles are shown translated
PROBLEMS = {
    "book": N_("Book example"),
    "own": N_("Your own"),
    "grey": N_("Colour to grey (1×1)"),
}
KERNEL_TITLES = {name: kernel.title for name, kernel in KERNELS.items()}
SPEED_TITLES = {"watch": N_("Watch it learn"), "fast": N_("Full speed")}
RECOMMENDED = {"book": BOOK_SETTINGS, "own": OWN_SETTINGS, "grey": GREY_SETTINGS}
BOOK_NOTE = N_(
    "D2L 5.1.4: the 6×8 bars image, target y = x ⋆ [1, −1], a (1, 2) kernel, learning rate "
    "0.03, summed squared error, plain SGD, 10 steps."
)
GREY_NOTE = N_(
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
    st.title(_("Learn a kernel"))
    st.markdown(_(INTRO))
    with st.sidebar:
        st.header(_("Problem"))
        problem = _problem_panel()
        st.header(_("Training"))
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
    common.localise_link_value("problem", PROBLEMS)
    choice = st.radio(
        _("What to learn"),
        tuple(PROBLEMS),
        format_func=lambda key: _(PROBLEMS[key]),
        horizontal=True,
        key="problem",
        bind="query-params",
        on_change=_load_recommended,
    )
    if choice == "book":
        st.caption(_(BOOK_NOTE))
        return book_problem()
    if choice == "grey":
        st.caption(_(GREY_NOTE))
        return _grey_problem()
    names = list(playground.SAMPLES)
    common.localise_link_value("image", controls.SAMPLE_TITLES)
    image = st.selectbox(
        _("Input image x"),
        names,
        index=names.index(DEFAULT_IMAGE),
        format_func=lambda n: _(playground.SAMPLES[n].title),
        key="image",
        bind="query-params",
    )
    native = controls.cached_sample(image, MAX_SIDE).shape
    if resizes(native, SMALLEST_SIDE):
        size = st.slider(
            _("Longest side (pixels)"),
            SMALLEST_SIDE,
            MAX_SIDE,
            DEFAULT_SIZE,
            key="image_size",
            bind="query-params",
            help=_("Small images keep every step fast for the whole class."),
        )
    else:  # the book's 6x8 bars: every size on the slider would give the same image
        size = MAX_SIDE
        st.caption(
            _("This image is {h}×{w} pixels and is used at that size.").format(
                h=native[0], w=native[1]
            )
        )
    kernels = list(KERNELS)
    common.localise_link_value("true_kernel", KERNEL_TITLES)
    kernel = st.selectbox(
        _("Hidden kernel (makes y, then the network must find it)"),
        kernels,
        index=kernels.index(DEFAULT_KERNEL),
        format_func=lambda n: _(KERNELS[n].title),
        key="true_kernel",
        bind="query-params",
    )
    st.caption(_(KERNELS[kernel].explanation))
    try:
        return _own_problem(image, size, kernel)
    except ValueError as exc:  # a kernel larger than the image: say so, draw nothing
        st.warning(error_sentence(exc))
        return None


def _settings_panel(default: LearnSettings) -> tuple[LearnSettings, bool]:
    """The training widgets; ``default`` is the problem's recommended run (a link's start)."""
    lr = st.select_slider(
        _("Learning rate"),
        LEARNING_RATES,
        value=default.lr,
        format_func=lambda v: f"{v:g}",
        key="lr",
        bind="query-params",
        help=_("How far each step moves the weights. Too large and the loss explodes."),
    )
    common.localise_link_value("optimizer", OPTIMIZER_TITLES)
    common.localise_link_value("loss", LOSS_TITLES)
    common.localise_link_value("clip", {0.0: N_("off")})
    common.localise_link_value("speed", SPEED_TITLES)
    optimizer = st.radio(
        _("Optimizer"),
        tuple(OPTIMIZER_TITLES),
        index=tuple(OPTIMIZER_TITLES).index(default.optimizer),
        format_func=lambda key: _(OPTIMIZER_TITLES[key]),
        horizontal=True,
        key="optimizer",
        bind="query-params",
        help=_(
            "SGD is the book's plain gradient step. Momentum keeps part of the last step; "
            "Adam scales each weight's step by its own gradient history."
        ),
    )
    loss = st.radio(
        _("Loss"),
        tuple(LOSS_TITLES),
        index=tuple(LOSS_TITLES).index(default.loss),
        format_func=lambda key: _(LOSS_TITLES[key]),
        horizontal=True,
        key="loss",
        bind="query-params",
        help=_(
            "Sum of squared errors over the output (the book's), or their mean: the sum grows "
            "with the image, so a big image needs a smaller learning rate."
        ),
    )
    steps = st.slider(
        _("Steps"), 1, MAX_STEPS, default.steps, key="train_steps", bind="query-params"
    )
    seed = st.number_input(
        _("Seed of the random starting kernel"),
        0,
        9999,
        default.seed,
        key="seed",
        bind="query-params",
    )
    clipnorm = st.select_slider(
        _("Gradient clipping (largest gradient norm)"),
        CLIP_NORMS,
        value=0.0,
        format_func=lambda v: _("off") if v == 0 else f"{v:g}",
        key="clip",
        bind="query-params",
        help=_(
            "Shortens any gradient longer than this before the step: a guard against divergence."
        ),
    )
    use_bias = st.checkbox(_("Also learn a bias"), key="learn_bias", bind="query-params")
    fast = (
        st.radio(
            _("Speed"),
            ("watch", "fast"),
            format_func=lambda key: _(SPEED_TITLES[key]),
            horizontal=True,
            key="speed",
            bind="query-params",
            help=_(
                "Watch it learn: a run is slowed to about 5 seconds so the curve grows "
                "visibly. Full speed: as fast as the server can."
            ),
        )
        == "fast"
    )
    settings = LearnSettings(lr, optimizer, loss, steps, int(seed), use_bias, clipnorm)
    return settings, fast


def _show_data(problem: Problem) -> None:
    with st.expander(_("What the network sees: the input x and the target y"), expanded=False):
        left, right = st.columns(2)
        x_title = "x (" + "×".join(str(n) for n in problem.x.shape) + ")"
        x_figure = (
            channel_figures.colour_figure(problem.x, title=x_title)
            if problem.channels > 1
            else grid.grid_figure(problem.x, title=x_title)
        )
        left.plotly_chart(x_figure, width="stretch", config={"displayModeBar": False})
        if problem.channels == 1:
            left.caption(grid.grid_legend(problem.x))
        right.plotly_chart(
            grid.grid_figure(problem.y, title=f"y ({problem.y.shape[0]}×{problem.y.shape[1]})"),
            width="stretch",
            config={"displayModeBar": False},
        )
        right.caption(grid.grid_legend(problem.y))
        st.caption(
            _(
                "y was made from x with the hidden kernel. Each step compares the network's "
                "output with y; only the kernel's weights change."
            )
        )
