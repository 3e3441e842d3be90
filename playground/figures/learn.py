"""What the "Learn a kernel" page says and draws: a run's status, its result, its figures.

Sentences for a :class:`~playground.learning.job.JobSnapshot` and two Plotly
builders (the loss curve, and learned | true | difference kernels). Builders
return ``go.Figure`` and never render.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go
from numpy.typing import ArrayLike

from playground.figures import palette
from playground.learning.problem import kernel_error

# Short labels: a bound widget writes its label, not its value, into the URL
# (?optimizer=Adam&loss=Mean), so a teacher's link stays readable.
OPTIMIZER_TITLES = {"sgd": "SGD", "momentum": "Momentum", "adam": "Adam"}
LOSS_TITLES = {"sum": "Sum", "mean": "Mean"}


def format_loss(value: float) -> str:
    return f"{value:.3g}"


def status_line(snapshot, *, queue_ahead: int | None = None, tensorflow_ready: bool = False) -> str:
    """One line for the status of a run (a ``JobSnapshot``, or None before the first).

    ``tensorflow_ready``: TensorFlow is already loaded in this server, so a run
    that has not made its first step yet is only starting, not loading it.
    """
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
        if tensorflow_ready:
            return "Starting…"
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


CHANNEL_NAMES = ("R", "G", "B")


def channel_weights_sentence(learned: ArrayLike | None, true: ArrayLike) -> str:
    """The 1x1 lesson's weights by channel: learned against the grey formula's."""
    true = np.asarray(true, np.float64).ravel()
    target = ", ".join(f"{name} {v:.3f}" for name, v in zip(CHANNEL_NAMES, true, strict=False))
    if learned is None:
        return f"The grey formula's weights: {target}. The network starts from random ones."
    values = np.asarray(learned, np.float64).ravel()
    got = ", ".join(f"{name} {v:.3f}" for name, v in zip(CHANNEL_NAMES, values, strict=False))
    return f"Learned weights: {got}. The grey formula's: {target}."


# ---------------------------------------------------------------- figures
# Built in one go.Figure(data, layout) call like every figure, here with the
# traces as dicts of numpy arrays too: the page redraws them several times a
# second while a run is live, and Plotly's make_subplots and per-call
# update_* validation cost ~40-160 ms per figure, this ~5 ms.

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
    curve = {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if x.size <= 60 else "lines",
        "line": {"width": 3, "color": palette.LOSS_LINE},
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
                "font": {"size": 18, "color": palette.NOTE_TEXT},
            }
        ]
    return go.Figure(data=[curve], layout=layout)


def kernel_cell_label(value: float) -> str:
    """A learned weight as cell text: '?' before the first step, '4e18' when it diverges."""
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
                "colorscale": palette.DIVERGING,
                "text": [[kernel_cell_label(v) for v in row] for row in values],
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
        plot_bgcolor=palette.GRID_LINES,
    )
    return go.Figure(data=data, layout=layout)
