"""The Learn page's sentences and figures, as plain functions."""

from __future__ import annotations

import numpy as np
import pytest

from playground.figures import learn as lv
from playground.learning.job import JobSnapshot


def snapshot(status="running", losses=(4.0, 1.0), kernel=((0.5, -0.5),), message="", total=10):
    return JobSnapshot(
        status=status,
        steps=tuple(range(1, len(losses) + 1)),
        losses=tuple(losses),
        kernel=None if kernel is None else np.array(kernel, np.float32),
        bias=0.0,
        grad_norm=1.0,
        message=message,
        elapsed=0.1,
        total_steps=total,
    )


def spec(fig) -> dict:
    return fig.to_plotly_json()


# ---------------------------------------------------------------- problems and settings


def test_status_line_before_any_run():
    """No run yet: tell the student what to press."""
    assert lv.status_line(None).startswith("Not started")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("running", "Running: step 2/10, loss 1"),
        ("paused", "Paused at step 2/10, loss 1"),
        ("done", "Done: 2 steps, loss 1"),
        ("diverged", "Diverged after 2 good steps"),
        ("stopped", "Stopped at step 2/10, loss 1"),
        ("error", "Training stopped with an error"),
    ],
)
def test_status_line_names_the_step_and_loss(status, expected):
    """The line says where the run is and its last loss."""
    assert lv.status_line(snapshot(status)) == expected


def test_status_line_paused_before_the_first_step():
    """A run held before any step says how to move on."""
    assert lv.status_line(snapshot("paused", losses=())).startswith("Paused before the first")


def test_status_line_while_loading():
    """Running with no step yet: TensorFlow is still loading."""
    assert lv.status_line(snapshot("running", losses=())).startswith("Starting")


def test_status_line_in_the_queue():
    """Queued runs say how many runs are ahead."""
    assert lv.status_line(snapshot("queued", losses=()), queue_ahead=3).startswith(
        "Queued: 3 ahead of you"
    )
    assert lv.status_line(snapshot("queued", losses=()), queue_ahead=0).startswith(
        "Queued: you are next"
    )


def test_notice_for_divergence_is_an_error():
    """A diverged run shows the job's own sentence as an error."""
    text = "Training diverged at step 5: the loss became infinite. Lower the learning rate."
    assert lv.notice(snapshot("diverged", message=text)) == ("error", text)


def test_notice_for_a_cap_is_info_and_a_normal_end_is_quiet():
    """A step or time cap is worth an info box; 'Finished N steps.' is not."""
    cap = "Stopped at the time limit of 120 s per run, after 80 steps."
    assert lv.notice(snapshot("done", message=cap)) == ("info", cap)
    assert lv.notice(snapshot("done", message="Finished 2 steps.")) is None
    assert lv.notice(snapshot("running")) is None


def test_loss_summary_and_result_sentence():
    """The trend in words, then the kernel's largest error."""
    assert lv.loss_summary([15.5, 0.5, 0.0003]) == "Loss 15.5 at step 1 → 0.0003 at step 3."
    sentence = lv.result_sentence(snapshot(kernel=((0.9, -1.0),)), [[1, -1]])
    assert "Loss 4 at step 1 → 1 at step 2." in sentence and "0.1" in sentence
    with_bias = lv.result_sentence(snapshot(), [[1, -1]], use_bias=True)
    assert "Learned bias: 0" in with_bias


def test_loss_figure_has_every_point():
    """One line with a point per step; the x axis spans the whole run."""
    fig = lv.loss_figure([1, 2, 3], [9.0, 4.0, 1.0], total_steps=50)
    (trace,) = fig.data
    assert list(trace.x) == [1, 2, 3] and list(trace.y) == [9.0, 4.0, 1.0]
    fig = spec(fig)
    assert fig["layout"]["xaxis"]["range"][1] >= 50
    assert fig["layout"]["yaxis"]["type"] == "linear"
    assert "sum of squared errors" in fig["layout"]["title"]["text"]


def test_loss_figure_log_scale_leaves_a_gap_at_zero():
    """Log axis; a zero loss (no place on a log axis) becomes a gap, not an error."""
    fig = lv.loss_figure([1, 2], [1.0, 0.0], log_scale=True, loss_name="mean")
    assert fig.layout.yaxis.type == "log"
    assert fig.data[0].y[0] == 1.0 and np.isnan(fig.data[0].y[1])
    assert "mean squared error" in fig.layout.title.text


def test_empty_loss_figure_says_what_will_appear():
    """Before the first step the axes carry a short note."""
    fig = spec(lv.loss_figure([], []))
    assert "appears here" in fig["layout"]["annotations"][0]["text"]


def test_kernel_figure_writes_learned_true_and_difference():
    """Three panels with the numbers in the cells and one shared colour scale."""
    fig = spec(lv.kernel_figure([[0.98, -1.0]], [[1, -1]]))
    learned, true, diff = fig["data"]
    assert learned["text"] == [["0.98", "-1.00"]]
    assert true["text"] == [["1.00", "-1.00"]]
    assert diff["text"] == [["-0.02", "0.00"]]  # -0.00 is written as 0.00
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert titles == ["Learned", "True (hidden)", "Difference"]
    assert {(t["zmin"], t["zmax"]) for t in fig["data"]} == {(-1.0, 1.0)}
    assert [t["xaxis"] for t in fig["data"]] == ["x", "x2", "x3"]


def test_kernel_figure_before_the_first_step():
    """No learned kernel yet: question marks, the true kernel still shown."""
    fig = spec(lv.kernel_figure(None, [[1, -1]]))
    assert fig["data"][0]["text"] == [["?", "?"]]
    assert fig["data"][2]["text"] == [["?", "?"]]
    assert fig["data"][1]["text"] == [["1.00", "-1.00"]]


def test_kernel_figure_writes_huge_weights_compactly():
    """A kernel on its way to divergence still fits its cells."""
    fig = spec(lv.kernel_figure([[3.7e18, -250.0]], [[1, -1]]))
    assert fig["data"][0]["text"] == [["4e18", "-250"]]


def test_status_line_while_starting_once_tensorflow_is_loaded():
    """Later runs only start: no word of loading TensorFlow (issue 15)."""
    line = lv.status_line(snapshot("running", losses=()), tensorflow_ready=True)
    assert line == "Starting…"
    assert "TensorFlow" in lv.status_line(snapshot("running", losses=()))


def test_loss_figure_names_the_mean_before_any_step():
    """An empty chart already says which loss was chosen."""
    fig = lv.loss_figure((), (), loss_name="mean")
    assert "mean squared error" in fig.layout.title.text


def test_channel_weights_sentence_names_each_channel():
    """Learned R, G, B weights beside the grey formula's."""
    text = lv.channel_weights_sentence([[0.3, 0.5, 0.1]], [[0.299, 0.587, 0.114]])
    assert text == (
        "Learned weights: R 0.300, G 0.500, B 0.100. The grey formula's: R 0.299, G 0.587, B 0.114."
    )
    assert lv.channel_weights_sentence(None, [[0.299, 0.587, 0.114]]).startswith("The grey")
