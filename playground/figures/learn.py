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
from playground.figures.colour_bar import (
    BAR_HEIGHT,
    diverging_like,
    heatmap_colours,
    shared_scale,
    with_difference,
)
from playground.figures.colour_scales import ColourScale
from playground.figures.learn_output import three_panels
from playground.figures.run_sentences import job_sentence
from playground.i18n import N_, _
from playground.learning.problem import kernel_error

# Short labels: a bound widget writes its label, not its value, into the URL
# (?optimizer=Adam&loss=Mean), so a teacher's link stays readable.
# the keys travel in links; the titles are marked, shown as _(title)
OPTIMIZER_TITLES = {"sgd": N_("SGD"), "momentum": N_("Momentum"), "adam": N_("Adam")}
LOSS_TITLES = {"sum": N_("Sum"), "mean": N_("Mean")}


def format_loss(value: float) -> str:
    return f"{value:.3g}"


def status_line(snapshot, *, queue_ahead: int | None = None, tensorflow_ready: bool = False) -> str:
    """One line for the status of a run (a ``JobSnapshot``, or None before the first).

    ``tensorflow_ready``: TensorFlow is already loaded in this server, so a run
    that has not made its first step yet is only starting, not loading it.
    """
    if snapshot is None:
        return _("Not started: press **Train** (or **Step** to go one step at a time).")
    done, total = len(snapshot.steps), snapshot.total_steps
    if snapshot.status == "queued":
        if not queue_ahead:
            return _("Queued: you are next; the server trains a few runs at a time.")
        return _("Queued: {ahead} ahead of you; the server trains a few runs at a time.").format(
            ahead=queue_ahead
        )
    if snapshot.status == "paused" and not done:
        return _("Paused before the first step: press **Step** or **Resume**.")
    if snapshot.status == "running" and not done:
        if tensorflow_ready:
            return _("Starting…")
        return _("Starting… (the first run on the server loads TensorFlow, a few seconds)")
    if snapshot.losses:
        loss = format_loss(snapshot.losses[-1])
        words = {
            "running": _("Running: step {done}/{total}, loss {loss}"),
            "paused": _("Paused at step {done}/{total}, loss {loss}"),
            "done": _("Done: {done} steps, loss {loss}"),
            "diverged": _("Diverged after {done} good steps"),
            "stopped": _("Stopped at step {done}/{total}, loss {loss}"),
        }
    else:
        loss = ""
        words = {
            "running": _("Running: step {done}/{total}"),
            "paused": _("Paused at step {done}/{total}"),
            "done": _("Done: {done} steps"),
            "diverged": _("Diverged after {done} good steps"),
            "stopped": _("Stopped at step {done}/{total}"),
        }
    sentence = words.get(snapshot.status)
    if sentence is None:
        return _("Training stopped with an error")
    return sentence.format(done=done, total=total, loss=loss)


def loss_summary(losses: Sequence[float]) -> str:
    """'Loss 15.5 at step 1 → 0.0003 at step 30': the trend in words."""
    if not losses:
        return ""
    if len(losses) == 1:
        return _("Loss {first} at step 1.").format(first=format_loss(losses[0]))
    first, last = format_loss(losses[0]), format_loss(losses[-1])
    return _("Loss {first} at step 1 → {last} at step {n}.").format(
        first=first, last=last, n=len(losses)
    )


def notice(snapshot) -> tuple[str, str] | None:
    """('error' | 'info', the job's sentence) when the run ended other than normally.

    The job's sentence is English (the training code's, for programmers and logs);
    it is shown in the reader's language (``job_sentence``).
    """
    if snapshot.status in ("diverged", "error"):
        return "error", job_sentence(snapshot.message)
    if snapshot.status == "stopped":
        return "info", job_sentence(snapshot.message)
    if snapshot.status == "done" and not snapshot.message.startswith("Finished"):
        return "info", job_sentence(snapshot.message)  # a step or time cap ended it
    return None


def result_sentence(snapshot, true_kernel: ArrayLike, *, use_bias: bool = False) -> str:
    """The loss trend and how close the learned kernel is, in one or two sentences."""
    parts = [loss_summary(snapshot.losses)]
    if snapshot.kernel is not None:
        error = kernel_error(snapshot.kernel, true_kernel)
        parts.append(
            _("Largest |learned − true| in the kernel: **{error}**.").format(error=f"{error:.3g}")
        )
    if use_bias:
        parts.append(
            _("Learned bias: {bias} (y was made without one).").format(bias=f"{snapshot.bias:.3g}")
        )
    return " ".join(p for p in parts if p)


CHANNEL_NAMES = ("R", "G", "B")


def channel_weights_sentence(learned: ArrayLike | None, true: ArrayLike) -> str:
    """The 1x1 lesson's weights by channel: learned against the grey formula's."""
    true = np.asarray(true, np.float64).ravel()
    target = ", ".join(f"{name} {v:.3f}" for name, v in zip(CHANNEL_NAMES, true, strict=False))
    if learned is None:
        return _(
            "The grey formula's weights: {target}. The network starts from random ones."
        ).format(target=target)
    values = np.asarray(learned, np.float64).ravel()
    got = ", ".join(f"{name} {v:.3f}" for name, v in zip(CHANNEL_NAMES, values, strict=False))
    return _("Learned weights: {got}. The grey formula's: {target}.").format(got=got, target=target)


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
    title = _("sum of squared errors") if loss_name == "sum" else _("mean squared error")
    curve = {
        "type": "scatter",
        "x": x,
        "y": y,
        "mode": "lines+markers" if x.size <= 60 else "lines",
        "line": {"width": 3, "color": palette.LOSS_LINE},
        "marker": {"size": 7},
        "hovertemplate": _("step %{x}: loss %{y:.4g}") + "<extra></extra>",
    }
    layout = {
        "title": {"text": _("Loss ({title})").format(title=title), "font": {"size": 18}},
        "height": 380,
        "margin": {"l": 10, "r": 10, "t": 50, "b": 10},
        "font": _FONT,
        "showlegend": False,
        "xaxis": {
            "title": {"text": _("step")},
            "range": [0, max(total_steps or 0, x.size, 1) + 0.5],
        },
        "yaxis": {
            "title": {"text": _("loss")},
            "type": "log" if log_scale else "linear",
            "exponentformat": "power",
        },
    }
    if not x.size:
        layout["annotations"] = [
            {
                "text": _("The curve appears here while the kernel learns."),
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


def kernel_scales(learned: ArrayLike | None, true: ArrayLike) -> tuple[ColourScale, ColourScale]:
    """One scale for the learned and true kernels, so equal numbers look equal; the
    difference diverging as wide (its own scale would paint rounding noise bright)."""
    true = np.asarray(true, np.float64)
    known = [true] if learned is None else [true, np.asarray(learned, np.float64)]
    scale = shared_scale(*known)
    diff = [] if learned is None else np.asarray(learned, np.float64) - true
    return scale, diverging_like(scale, diff)


def kernel_legend(learned: ArrayLike | None, true: ArrayLike) -> str:
    """The colour legend under the kernels: learned and true on one scale, the difference."""
    scale, diff = kernel_scales(learned, true)
    first = _("Learned and true: {legend}").format(legend=scale.legend())
    return with_difference(first, None if learned is None else diff)


def kernel_figure(learned: ArrayLike | None, true: ArrayLike) -> go.Figure:
    """Learned | true | difference, numbers in the cells; '?' before the first step.

    Learned and true share one colour scale and bar; the difference has its
    own diverging bar as wide, so a white difference is negligible.
    """
    true = np.asarray(true, np.float64)
    scale, diff_scale = kernel_scales(learned, true)
    learned = (
        np.asarray(learned, np.float64) if learned is not None else np.full(true.shape, np.nan)
    )
    # short titles: three panels share a half-width column on a projector
    titles = (_("Learned"), _("True (hidden)"), _("Difference"))
    layout, bars = three_panels(true.shape, titles, title_size=17)
    panels = ((learned, scale), (true, scale), (learned - true, diff_scale))
    data = []
    for i, ((values, panel_scale), bar) in enumerate(zip(panels, bars, strict=True)):
        suffix = "" if i == 0 else str(i + 1)
        data.append(
            {
                "type": "heatmap",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "z": np.nan_to_num(values, nan=0.0),
                "text": [[kernel_cell_label(v) for v in row] for row in values],
                "texttemplate": "%{text}",
                "textfont": {"size": _font_size(true.shape)},
                "hovertemplate": _("row %{y}, col %{x}: %{z:.4g}") + "<extra></extra>",
                "xgap": 2,
                "ygap": 2,
                **heatmap_colours(panel_scale, bar=bar is not None, **(bar or {})),
            }
        )
    kh, kw = true.shape
    layout.update(
        height=int(min(380, max(190, 220 * kh / kw + 80))) + BAR_HEIGHT,
        margin={"l": 5, "r": 5, "t": 50, "b": 5},
        plot_bgcolor=palette.GRID_LINES,
    )
    return go.Figure(data=data, layout=layout)
