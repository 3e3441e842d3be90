"""Tests for playground.learn_view: the Learn page's training pair, sentences and figures."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from playground import learn_view as lv
from playground.conv import corr2d
from playground.training import JobSnapshot
from tests.conftest import REPO_ROOT


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


def test_book_problem_is_the_books_bars_and_edge_map():
    """The book's X is 6x8 with a black band in columns 2-5, Y = corr2d(X, [1, -1])."""
    p = lv.book_problem()
    assert p.x.shape == (6, 8) and p.kernel_shape == (1, 2)
    np.testing.assert_array_equal(p.x[0], [1, 1, 0, 0, 0, 0, 1, 1])
    np.testing.assert_array_equal(p.y, corr2d(p.x, [[1, -1]]))
    np.testing.assert_array_equal(p.y[0], [0, 1, 0, 0, 0, -1, 0])


def test_make_problem_targets_the_hidden_kernel():
    """y is the valid cross-correlation of x with the true kernel."""
    rng = np.random.default_rng(0)
    x, k = rng.random((9, 7)), rng.normal(size=(3, 3))
    p = lv.make_problem(x, k, title="random")
    np.testing.assert_allclose(p.y, corr2d(x, k), rtol=1e-5, atol=1e-5)
    assert p.kernel_shape == (3, 3) and p.title == "random"


def test_book_settings_are_the_books_run():
    """lr 0.03, summed loss, plain SGD, 10 steps, no clipping."""
    kwargs = lv.learn_kwargs(lv.book_problem(), lv.BOOK_SETTINGS)
    assert (kwargs["lr"], kwargs["loss"], kwargs["optimizer"], kwargs["steps"]) == (
        0.03,
        "sum",
        "sgd",
        10,
    )
    assert kwargs["clipnorm"] is None and kwargs["kernel_shape"] == (1, 2)


def test_clipping_setting_becomes_clipnorm():
    """A non-zero clip choice is passed on as clipnorm; 0 means none."""
    settings = lv.LearnSettings(clipnorm=1.0, use_bias=True, seed=7)
    kwargs = lv.learn_kwargs(lv.book_problem(), settings)
    assert (kwargs["clipnorm"], kwargs["use_bias"], kwargs["seed"]) == (1.0, True, 7)


def test_choices_are_what_learn_kernel_accepts():
    """Every optimizer and loss the page offers is one learn_kernel knows."""
    from playground.learn import LOSSES, OPTIMIZERS

    assert set(lv.OPTIMIZER_TITLES) == set(OPTIMIZERS)
    assert set(lv.LOSS_TITLES) == set(LOSSES)
    assert 10.0 in lv.LEARNING_RATES and 0.03 in lv.LEARNING_RATES


def test_kernel_error_is_the_largest_absolute_difference():
    """max |learned - true| over the cells."""
    assert lv.kernel_error([[0.9, -1.2]], [[1, -1]]) == pytest.approx(0.2)


def test_module_needs_neither_tensorflow_nor_streamlit():
    """Importing learn_view loads no TensorFlow and no Streamlit."""
    code = (
        "import sys; import playground.learn_view; "
        "print('tensorflow' in sys.modules, 'streamlit' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# ---------------------------------------------------------------- sentences


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


# ---------------------------------------------------------------- figures


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
