"""The Learn a kernel page in AppTest, driven by widget keys.

AppTest never fires a fragment's ``run_every`` timer, so these tests play the
browser's part: after a click they wait on the job kept in session state
(calling ``heartbeat()`` as the polling fragment would) and then rerun the
page to see what it draws.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.page_harness import GuardedAppTest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from views import learn
learn.render()
"""
RUN = "learn_run"


@pytest.fixture
def page():
    """Make AppTests of the page; stop whatever they left training."""
    made: list[AppTest] = []

    def make(query: dict[str, str] | None = None, *, expect_guard: bool = False) -> AppTest:
        at = GuardedAppTest.from_string(SCRIPT, default_timeout=60)
        at.expect_guard = expect_guard
        for key, value in (query or {}).items():
            at.query_params[key] = value
        made.append(at)
        return at.run()

    yield make
    for at in made:
        if RUN in at.session_state:
            at.session_state[RUN].job.stop()


def job(at):
    return at.session_state[RUN].job


def wait_until(at, predicate, timeout=180.0):
    """Heartbeat the job (as the fragment does) until predicate(snapshot) holds."""
    deadline = time.monotonic() + timeout
    while not predicate(snap := job(at).snapshot()):
        if time.monotonic() > deadline or not snap.active:
            raise AssertionError(f"not reached: {snap.status} after {len(snap.steps)} steps")
        job(at).heartbeat()
        time.sleep(0.02)


def finish(at) -> AppTest:
    wait_until(at, lambda snap: not snap.active)
    return at.run()


def status(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### ")).removeprefix("#### ")


def _array(value):
    # Plotly 6+ sends numpy arrays as {"dtype": ..., "bdata": base64, "shape": "r, c"}
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(n) for n in str(value.get("shape", flat.size)).split(",")]
        return flat.reshape(shape)
    return np.asarray(value, dtype=float)


def kernel_shown(at) -> tuple[np.ndarray, list]:
    """The learned panel of the kernel figure: its values and its cell texts."""
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        traces = spec["data"]
        if len(traces) == 3 and traces[0]["type"] == "heatmap":
            return _array(traces[0]["z"]), traces[0]["text"]
    raise AssertionError("no kernel figure on the page")


def losses_said(at) -> tuple[float, float]:
    text = next(m.value for m in at.markdown if m.value.startswith("Loss "))
    first, last = re.match(r"Loss (\S+) at step 1 → (\S+) at step", text).groups()
    return float(first), float(last)


def test_first_visit_draws_without_tensorflow():
    """A plain visit draws the page and imports no TensorFlow (only Train does)."""
    probe = f"""
import sys
from streamlit.testing.v1 import AppTest

from tests.page_harness import GuardedAppTest
at = AppTest.from_string({SCRIPT!r}, default_timeout=60).run()
assert not at.exception, at.exception
print(at.button(key="train").label, "tensorflow" in sys.modules)
"""
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert out.stdout.split()[-2:] == ["Train", "False"]


def test_default_page_offers_the_books_example(page):
    """The book's settings, a 'not started' line and '?' for the kernel to learn."""
    at = page()
    assert not at.exception
    assert at.radio(key="problem").value == "book"
    assert at.select_slider(key="lr").value == 0.03
    assert (at.radio(key="optimizer").value, at.radio(key="loss").value) == ("sgd", "sum")
    assert at.slider(key="train_steps").value == 10
    assert status(at).startswith("Not started")
    assert kernel_shown(at)[1] == [["?", "?"]]
    assert at.button(key="pause").disabled and at.button(key="reset").disabled


@pytest.mark.slow
def test_train_on_the_books_example_learns_the_edge_detector(page):
    """Train, let the run end: the kernel shown is [1, -1] within 0.05, the loss fell."""
    at = page()
    at.button(key="train").click().run()
    assert not at.exception
    at = finish(at)
    assert not at.exception and not at.error
    assert status(at).startswith("Done: 10 steps")
    learned, _ = kernel_shown(at)
    np.testing.assert_allclose(learned, [[1, -1]], atol=0.05)
    first, last = losses_said(at)
    assert last < first / 100
    assert at.button(key="train").label == "Train again"


@pytest.mark.slow
def test_huge_learning_rate_on_your_own_problem_diverges(page):
    """lr 10 with SGD on a sample image ends in Diverged's sentence, shown as st.error."""
    at = page()
    at.radio(key="problem").set_value("own").run()
    assert at.radio(key="optimizer").value == "adam"  # switching loads settings that work
    at.radio(key="optimizer").set_value("sgd")
    at.select_slider(key="lr").set_value(10.0).run()
    at.button(key="train").click().run()
    at = finish(at)
    assert not at.exception
    assert status(at).startswith("Diverged")
    assert any(e.value.startswith("Training diverged at step") for e in at.error)
    assert any("Lower the learning rate" in e.value for e in at.error)


@pytest.mark.slow
def test_reset_clears_the_run(page):
    """Reset stops the run and the page is back to 'not started'."""
    at = page()
    at.button(key="train").click().run()
    at = finish(at)
    old = job(at)
    at.button(key="reset").click().run()
    assert not at.exception
    assert RUN not in at.session_state
    assert status(at).startswith("Not started")
    assert kernel_shown(at)[1] == [["?", "?"]]
    assert not old.snapshot().active


@pytest.mark.slow
def test_step_advances_exactly_one_step_while_paused(page):
    """Step starts a held run; each further Step adds exactly one step."""
    at = page()
    at.button(key="learn_step").click().run()
    wait_until(at, lambda snap: snap.status == "paused" and snap.steps)
    held = len(job(at).snapshot().steps)
    at.run()
    assert status(at).startswith(f"Paused at step {held}/10, loss ")
    assert at.button(key="pause").label == "Resume"
    at.button(key="learn_step").click().run()
    wait_until(at, lambda snap: len(snap.steps) == held + 1)
    time.sleep(0.3)
    snap = job(at).snapshot()
    assert (len(snap.steps), snap.status) == (held + 1, "paused")
    at.run()
    assert status(at).startswith(f"Paused at step {held + 1}/10")
    assert not at.exception


@pytest.mark.slow
def test_resume_after_step_runs_to_the_end(page):
    """Pause's button reads Resume on a held run and finishes it."""
    at = page()
    at.button(key="learn_step").click().run()
    wait_until(at, lambda snap: snap.status == "paused" and snap.steps)
    at.run()
    at.button(key="pause").click().run()
    at = finish(at)
    assert status(at).startswith("Done: 10 steps")
    assert at.button(key="pause").disabled


@pytest.mark.slow
def test_a_full_server_puts_the_run_in_the_queue(page, monkeypatch):
    """With every slot taken, Train shows the place in the queue."""
    from playground.learning import problem as lv
    from playground.learning.manager import TrainingManager
    from views import learn_run

    manager = TrainingManager(max_concurrent=1, max_steps=10**6, idle_timeout=60)
    problem = lv.book_problem()
    blocker = manager.submit(lv.learn_request(problem, lv.LearnSettings(steps=10**6)))
    monkeypatch.setattr(learn_run, "training_manager", lambda: manager)
    try:
        at = page()
        at.button(key="train").click().run()
        assert status(at).startswith("Queued: you are next")
        blocker.stop()
        at = finish(at)
        assert status(at).startswith("Done: 10 steps")
    finally:
        manager.shutdown()


@pytest.mark.slow
def test_a_step_cap_is_shown_as_info(page, monkeypatch):
    """A run cut by the server's step cap says so in an info box, not an error."""
    from playground.learning.manager import TrainingManager
    from views import learn_run

    manager = TrainingManager(max_concurrent=1, max_steps=4)
    monkeypatch.setattr(learn_run, "training_manager", lambda: manager)
    try:
        at = page()
        at.button(key="train").click().run()
        at = finish(at)
        assert status(at).startswith("Done: 4 steps")
        assert any("limit of 4 steps per run (you asked for 10)" in i.value for i in at.info)
        assert not at.error
    finally:
        manager.shutdown()


@pytest.mark.slow
def test_changing_a_setting_during_a_run_keeps_the_run(page):
    """A slider moved after Train leaves the run alone and says how to use the new value."""
    at = page()
    at.button(key="train").click().run()
    first = job(at)
    at.select_slider(key="lr").set_value(0.01).run()
    assert job(at) is first
    at = finish(at)
    assert status(at).startswith("Done: 10 steps")
    assert any("press **Train again**" in c.value for c in at.caption)


def test_link_opens_with_its_settings(page):
    """Query parameters (the widgets' labels) restore the problem and the settings."""
    at = page(
        {"problem": "Your own", "optimizer": "Momentum", "loss": "Mean", "lr": "0.3"},
    )
    assert not at.exception
    assert at.radio(key="problem").value == "own"
    assert at.radio(key="optimizer").value == "momentum"
    assert at.radio(key="loss").value == "mean"
    assert at.select_slider(key="lr").value == 0.3
    assert at.selectbox(key="true_kernel").value == "sobel_left"


@pytest.mark.slow
def test_watch_speed_paces_the_run(page, monkeypatch):
    """'Watch it learn' asks for a step delay that makes a run last seconds; full speed none."""
    from playground.learning.manager import TrainingManager
    from views import learn_run

    delays: list[float] = []

    class PacedManager(TrainingManager):
        def submit(self, request, *, step_delay=0.0, **options):
            delays.append(step_delay)
            return super().submit(request, step_delay=step_delay, **options)

    manager = PacedManager(max_concurrent=1)
    monkeypatch.setattr(learn_run, "training_manager", lambda: manager)
    try:
        at = page()
        assert at.radio(key="speed").value == "watch"
        at.button(key="train").click().run()
        at.radio(key="speed").set_value("fast").run()
        at.button(key="train").click().run()
        assert delays == [learn_run.MAX_STEP_DELAY, 0.0]
    finally:
        manager.shutdown()


def test_an_error_while_drawing_the_run_is_one_sentence(page, monkeypatch):
    """The polling fragment has its own guard: a failure is a plain sentence, no traceback."""
    from playground.figures import learn as lv
    from views.common import FALLBACK_ERROR

    def broken(*args, **kwargs):
        raise RuntimeError("secret /srv/internal/path")

    monkeypatch.setattr(lv, "kernel_figure", broken)
    at = page(expect_guard=True)
    assert not at.exception
    assert [e.value for e in at.error] == [FALLBACK_ERROR]
    assert at.button(key="train").label == "Train"  # the rest of the page is drawn


def test_loss_chart_names_the_chosen_loss_before_training(page):
    """Mean chosen, nothing trained: the empty chart already says 'mean squared error'."""
    at = page({"loss": "Mean"})
    titles = [
        json.loads(c.proto.spec)["layout"].get("title", {}).get("text", "")
        for c in at.get("plotly_chart")
    ]
    assert any("mean squared error" in t for t in titles), titles
    assert not any("sum of squared errors" in t for t in titles)


def test_the_size_slider_is_hidden_for_the_six_by_eight_bars(page):
    """The book's bars are smaller than every size on the slider: no slider, a sentence."""
    at = page({"problem": "Your own", "image": "Book: black bars (6 x 8)"})
    assert at.selectbox(key="image").value == "book_bars"
    assert not [s for s in at.slider if s.key == "image_size"]
    assert any("6×8 pixels and is used at that size" in c.value for c in at.caption)
    at.selectbox(key="image").set_value("digit").run()
    assert at.slider(key="image_size").value == 28


def test_the_live_output_is_shown_beside_the_target(page):
    """Before training: the target y is drawn, the model's output waits for the first step."""
    at = page()
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    output = next(
        s
        for s in specs
        if any(a.get("text") == "Model output ŷ" for a in s["layout"].get("annotations", []))
    )
    np.testing.assert_array_equal(_array(output["data"][1]["z"])[0], [0, 1, 0, 0, 0, -1, 0])
    assert any(c.value.startswith("The model's output appears here") for c in at.caption)


def test_the_colour_to_grey_lesson_loads_its_settings(page):
    """Choosing the 1x1 lesson loads momentum at lr 1 and shows the grey formula's weights."""
    at = page()
    at.radio(key="problem").set_value("grey").run()
    assert at.radio(key="optimizer").value == "momentum"
    assert at.select_slider(key="lr").value == 1.0
    assert any("0.299, G 0.587, B 0.114" in m.value for m in at.markdown)


@pytest.mark.slow
def test_the_colour_to_grey_lesson_learns_the_weights_live(page):
    """Train the 1x1 lesson: the shown weights end within 0.02 of 0.299, 0.587, 0.114."""
    at = page({"problem": "Colour to grey (1×1)", "speed": "Full speed"})
    at.button(key="train").click().run()
    at = finish(at)
    assert status(at).startswith("Done: 150 steps")
    learned, _ = kernel_shown(at)
    np.testing.assert_allclose(learned, [[0.299, 0.587, 0.114]], atol=0.02)
    assert any(c.value.startswith("Largest |ŷ − y|") for c in at.caption)
