"""What the "Learn a kernel" page shows: the training pair, settings, status and figures.

Pure helpers and Plotly builders for ``views/learn.py``: the page reads
widgets, calls these and renders; it does no arithmetic itself. Builders
return ``go.Figure`` and never render. TensorFlow is not imported here: the
training pair is made with the numpy ``conv2d``, and learning happens in
``playground.training`` only when the student presses Train.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from playground.conv import conv2d
from playground.figures import DIVERGING

LEARNING_RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
# Short labels: a bound widget writes its label, not its value, into the URL
# (?optimizer=Adam&loss=Mean), so a teacher's link stays readable.
OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}
LOSS_TITLES = {"sum": "Sum", "mean": "Mean"}
CLIP_NORMS = (0.0, 0.1, 1.0, 10.0)  # 0 = no clipping
MAX_STEPS = 500  # a run stays short enough for a class sharing two cores
MAX_SIDE = 64  # the input's longest side: each step stays ~1-2 ms


@dataclass(frozen=True)
class Problem:
    """A training pair: input ``x``, the hidden kernel and the target y = conv2d(x, kernel)."""

    title: str
    x: np.ndarray
    true_kernel: np.ndarray
    y: np.ndarray

    @property
    def kernel_shape(self) -> tuple[int, int]:
        return self.true_kernel.shape


def make_problem(x: ArrayLike, true_kernel: ArrayLike, *, title: str) -> Problem:
    """The pair the network learns from: it sees x and y, never the kernel that made y.

    >>> p = make_problem([[0, 1, 2], [3, 4, 5]], [[1, -1]], title="tiny")
    >>> p.y
    array([[-1., -1.],
           [-1., -1.]], dtype=float32)
    """
    x = np.asarray(x, dtype=np.float32)
    kernel = np.asarray(true_kernel, dtype=np.float32)
    return Problem(title, x, kernel, conv2d(x, kernel))


def book_problem() -> Problem:
    """D2L 5.1.3-5.1.4: 6x8 ones with a black band in columns 2-5, hidden kernel [[1, -1]]."""
    x = np.ones((6, 8), np.float32)
    x[:, 2:6] = 0
    return make_problem(x, [[1, -1]], title="the book's 6×8 bars")


@dataclass(frozen=True)
class LearnSettings:
    """The knobs of one run; ``clipnorm`` 0 means no clipping."""

    lr: float = 0.03
    optimizer: str = "sgd"
    loss: str = "sum"
    steps: int = 10
    seed: int = 0
    use_bias: bool = False
    clipnorm: float = 0.0


# The book's run: lr 3e-2, summed loss, plain SGD, 10 steps. From our
# N(0, 0.05^2) start it lands within 0.025 of [1, -1] for seeds 0-99.
BOOK_SETTINGS = LearnSettings()
# A summed loss over a 28x28 image is ~100x the book's, so the book's lr
# diverges there; the mean with Adam learns every 3x3 preset on the digit.
OWN_SETTINGS = LearnSettings(lr=0.1, optimizer="adam", loss="mean", steps=200)


def learn_kwargs(problem: Problem, settings: LearnSettings) -> dict:
    """Arguments for ``learn_kernel`` (and ``TrainingManager.submit``)."""
    return {
        "x": problem.x,
        "y": problem.y,
        "kernel_shape": problem.kernel_shape,
        "lr": float(settings.lr),
        "steps": int(settings.steps),
        "optimizer": settings.optimizer,
        "loss": settings.loss,
        "use_bias": bool(settings.use_bias),
        "seed": int(settings.seed),
        "clipnorm": float(settings.clipnorm) or None,
    }


def kernel_error(learned: ArrayLike, true: ArrayLike) -> float:
    """The largest absolute difference between the learned and the true kernel."""
    return float(np.max(np.abs(np.asarray(learned, np.float64) - np.asarray(true, np.float64))))


def format_loss(value: float) -> str:
    return f"{value:.3g}"


def status_line(snapshot, *, queue_ahead: int | None = None) -> str:
    """One line for the status of a run (a ``JobSnapshot``, or None before the first)."""
    if snapshot is None:
        return "Not started: press **Train** (or **Step** to go one step at a time)."
    done, total = len(snapshot.steps), snapshot.total_steps
    loss = f", loss {format_loss(snapshot.losses[-1])}" if snapshot.losses else ""
    if snapshot.status == "queued":
        if not queue_ahead:
            return "Queued: you are next; the server trains a few runs at a time."
        return f"Queued: {queue_ahead} ahead of you; the server trains a few runs at a time."
    if snapshot.status == "paused" and not done:
        return "Paused before the first step: press **Step** or **Resume**."
    if snapshot.status == "running" and not done:
        return "Starting… (the first run on the server loads TensorFlow, a few seconds)"
    words = {
        "running": f"Running: step {done}/{total}{loss}",
        "paused": f"Paused at step {done}/{total}{loss}",
        "done": f"Done: {done} steps{loss}",
        "diverged": f"Diverged after {done} good steps",
        "stopped": f"Stopped at step {done}/{total}{loss}",
    }
    return words.get(snapshot.status, "Training stopped with an error")


def loss_summary(losses: Sequence[float]) -> str:
    """'Loss 15.5 at step 1 → 0.0003 at step 30': the trend in words."""
    if not losses:
        return ""
    if len(losses) == 1:
        return f"Loss {format_loss(losses[0])} at step 1."
    first, last = format_loss(losses[0]), format_loss(losses[-1])
    return f"Loss {first} at step 1 → {last} at step {len(losses)}."


def notice(snapshot) -> tuple[str, str] | None:
    """('error' | 'info', the job's sentence) when the run ended other than normally."""
    if snapshot.status in ("diverged", "error"):
        return "error", snapshot.message
    if snapshot.status == "stopped":
        return "info", snapshot.message
    if snapshot.status == "done" and not snapshot.message.startswith("Finished"):
        return "info", snapshot.message  # a step or time cap ended it
    return None


def result_sentence(snapshot, true_kernel: ArrayLike, *, use_bias: bool = False) -> str:
    """The loss trend and how close the learned kernel is, in one or two sentences."""
    parts = [loss_summary(snapshot.losses)]
    if snapshot.kernel is not None:
        error = kernel_error(snapshot.kernel, true_kernel)
        parts.append(f"Largest |learned − true| in the kernel: **{error:.3g}**.")
    if use_bias:
        parts.append(f"Learned bias: {snapshot.bias:.3g} (y was made without one).")
    return " ".join(p for p in parts if p)


# ---------------------------------------------------------------- figures
# Built as one dict each, with numpy arrays: the page redraws them several
# times a second while a run is live, and Plotly's make_subplots and
# per-call update_* validation cost ~40-160 ms per figure, this ~5 ms.

_FONT = {"size": 16}


def loss_figure(
    steps: Sequence[int],
    losses: Sequence[float],
    *,
    log_scale: bool = False,
    total_steps: int | None = None,
    loss_name: str = "sum",
) -> go.Figure:
    """The loss per step; the x axis spans the whole run so the curve grows across it."""
    x = np.asarray(steps, dtype=np.int64)
    y = np.asarray(losses, dtype=np.float64)
    if log_scale:
        y = np.where(y > 0, y, np.nan)  # a log axis has no place for 0: leave a gap
    title = "sum of squared errors" if loss_name == "sum" else "mean squared error"
    trace = {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if x.size <= 60 else "lines",
        "line": {"width": 3, "color": "#1f77b4"},
        "marker": {"size": 7},
        "hovertemplate": "step %{x}: loss %{y:.4g}<extra></extra>",
    }
    layout = {
        "title": {"text": f"Loss ({title})", "font": {"size": 18}},
        "height": 380,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "font": _FONT,
        "showlegend": False,
        "xaxis": {"title": {"text": "step"}, "range": [0, max(total_steps or 0, x.size, 1) + 0.5]},
        "yaxis": {
            "title": {"text": "loss"},
            "type": "log" if log_scale else "linear",
            "exponentformat": "power",
        },
    }
    if not x.size:
        layout["annotations"] = [
            {
                "text": "The curve appears here while the kernel learns.",
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 0.5,
                "y": 0.5,
                "font": {"size": 18, "color": "#666"},
            }
        ]
    return go.Figure(data=[trace], layout=layout)


def _cell_text(value: float) -> str:
    if not np.isfinite(value):
        return "?"
    if abs(value) >= 1000:  # a diverging kernel: "4e18" fits a cell, "3.71e+18" does not
        return f"{value:.0e}".replace("e+", "e")
    if abs(value) >= 100:
        return f"{value:.0f}"
    text = f"{value:.2f}"
    return "0.00" if text == "-0.00" else text


def _font_size(shape: tuple[int, int]) -> int:
    # a panel is ~150-200 px wide: "-0.99" must fit in one cell of it
    return {1: 20, 2: 20, 3: 16}.get(max(shape), 12)


def kernel_figure(learned: ArrayLike | None, true: ArrayLike) -> go.Figure:
    """Learned | true | difference, numbers in the cells; '?' before the first step.

    All three panels share one colour scale (blue negative, red positive), so
    equal numbers look equal and a difference that is white is negligible at
    the kernel's scale (its own scale would paint rounding noise bright).
    """
    true = np.asarray(true, np.float64)
    known = learned is not None
    learned = np.asarray(learned, np.float64) if known else np.full(true.shape, np.nan)
    diff = learned - true
    bound = float(np.nanmax(np.abs(np.concatenate([true.ravel(), learned.ravel()])))) or 1.0
    # short titles: three panels share a half-width column on a projector
    panels = (
        ("Learned", learned, bound),
        ("True (hidden)", true, bound),
        ("Difference", diff, bound),
    )
    gap, width = 0.05, (1 - 2 * 0.05) / 3
    data, layout = [], {"annotations": []}
    for i, (title, values, limit) in enumerate(panels):
        suffix = "" if i == 0 else str(i + 1)
        data.append(
            {
                "type": "heatmap",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "z": np.nan_to_num(values, nan=0.0),
                "zmin": -limit,
                "zmax": limit,
                "colorscale": DIVERGING,
                "text": [[_cell_text(v) for v in row] for row in values],
                "texttemplate": "%{text}",
                "textfont": {"size": _font_size(true.shape)},
                "hovertemplate": "row %{y}, col %{x}: %{z:.4g}<extra></extra>",
                "xgap": 2,
                "ygap": 2,
                "showscale": False,
            }
        )
        left = i * (width + gap)
        layout[f"xaxis{suffix}"] = {
            "domain": [left, left + width],
            "visible": False,
            "constrain": "domain",
        }
        layout[f"yaxis{suffix}"] = {
            "anchor": f"x{suffix}",
            "scaleanchor": f"x{suffix}",
            "autorange": "reversed",
            "visible": False,
            "constrain": "domain",
        }
        layout["annotations"].append(
            {
                "text": title,
                "x": left + width / 2,
                "y": 1.0,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 17},
            }
        )
    kh, kw = true.shape
    layout.update(
        height=int(min(380, max(190, 220 * kh / kw + 80))),
        margin={"l": 5, "r": 5, "t": 50, "b": 5},
        plot_bgcolor="#c9ced8",
    )
    return go.Figure(data=data, layout=layout)
