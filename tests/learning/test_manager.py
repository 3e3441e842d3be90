"""Tests for playground.learning.manager and job: background runs shared by all sessions."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from playground.conv import corr2d
from playground.learning import manager as training
from playground.learning.learn import LearnRequest
from playground.learning.manager import TrainingManager

pytestmark = pytest.mark.slow

LONG = 10**6  # steps: a run that only ends when told to


def book_request(**overrides) -> LearnRequest:
    x = np.ones((6, 8), np.float32)
    x[:, 2:6] = 0
    return LearnRequest(**{"x": x, "y": corr2d(x, [[1, -1]]), "kernel_hw": (1, 2), **overrides})


def wait_for(predicate, timeout=30.0):
    """Poll until predicate() is true (the first run also imports TensorFlow)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


@pytest.fixture
def make_manager():
    managers = []

    def make(**kwargs):
        kwargs.setdefault("max_steps", LONG)
        managers.append(TrainingManager(**kwargs))
        return managers[-1]

    yield make
    for manager in managers:
        assert manager.shutdown(timeout=5.0)


def status(job):
    return job.snapshot().status


def test_job_runs_to_done(make_manager):
    """A run finishes with every step's loss and the learned kernel."""
    job = make_manager().submit(book_request(steps=30))
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert (snap.status, snap.message) == ("done", "Finished 30 steps.")
    assert snap.steps == tuple(range(1, 31)) and len(snap.losses) == 30
    np.testing.assert_allclose(snap.kernel, [[1, -1]], atol=0.05)
    assert snap.total_steps == 30 and snap.elapsed > 0


def test_snapshot_is_immutable(make_manager):
    """Snapshots hold tuples and a read-only kernel."""
    job = make_manager().submit(book_request(steps=3))
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert isinstance(snap.losses, tuple) and isinstance(snap.steps, tuple)
    with pytest.raises(ValueError, match="read-only"):
        snap.kernel[0, 0] = 5.0
    with pytest.raises(AttributeError):
        snap.status = "running"


def test_runs_beyond_max_concurrent_wait_in_order(make_manager):
    """With one slot, later runs are queued (FIFO) and start when the slot frees."""
    manager = make_manager(max_concurrent=1)
    first = manager.submit(book_request(steps=LONG))
    second, third = (manager.submit(book_request(steps=5)) for _ in range(2))
    assert (status(second), status(third)) == ("queued", "queued")
    assert (manager.queue_position(second), manager.queue_position(third)) == (0, 1)
    assert manager.active_count() == 1
    first.stop()
    wait_for(lambda: status(third) == "done")
    assert status(second) == "done"
    assert second.snapshot().elapsed > 0


def test_pause_step_once_resume(make_manager):
    """A paused run holds still, step_once advances exactly one step, resume continues."""
    job = make_manager().submit(book_request(steps=LONG))
    wait_for(lambda: len(job.snapshot().steps) > 0)
    job.pause()
    wait_for(lambda: status(job) == "paused")
    held = len(job.snapshot().steps)
    time.sleep(0.1)
    assert len(job.snapshot().steps) == held
    job.step_once()
    wait_for(lambda: len(job.snapshot().steps) == held + 1)
    time.sleep(0.1)
    assert len(job.snapshot().steps) == held + 1 and status(job) == "paused"
    job.resume()
    wait_for(lambda: len(job.snapshot().steps) > held + 10)
    assert status(job) == "running"


def test_stop_ends_the_thread_quickly(make_manager):
    """stop() ends a running thread within a fraction of a second."""
    manager = make_manager()
    job = manager.submit(book_request(steps=LONG))
    wait_for(lambda: len(job.snapshot().steps) > 0)
    start = time.monotonic()
    job.stop()
    assert job.join(timeout=1.0)
    assert time.monotonic() - start < 0.5
    assert status(job) == "stopped" and job.snapshot().message.startswith("Stopped after ")
    wait_for(lambda: manager.active_count() == 0, timeout=1.0)


def test_stop_while_queued(make_manager):
    """A queued run that is stopped never starts."""
    manager = make_manager(max_concurrent=1)
    first = manager.submit(book_request(steps=LONG))
    queued = manager.submit(book_request(steps=5))
    queued.stop()
    first.stop()
    assert first.join(2.0)
    assert status(queued) == "stopped" and queued.snapshot().steps == ()


def test_idle_timeout_stops_an_unwatched_run(make_manager):
    """A run whose page stops calling heartbeat() stops itself."""
    job = make_manager(idle_timeout=0.5).submit(book_request(steps=LONG))
    wait_for(lambda: status(job) == "stopped", timeout=30.0)
    assert "the page stopped checking on this run for 0.5 s" in job.snapshot().message


def test_heartbeat_keeps_a_paused_run_alive(make_manager):
    """Heartbeats keep a run going past the idle timeout; a paused run still times out."""
    job = make_manager(idle_timeout=0.5).submit(book_request(steps=LONG))
    wait_for(lambda: len(job.snapshot().steps) > 0)
    job.pause()
    for _ in range(8):  # 0.8 s of polling at 10 Hz
        job.heartbeat()
        time.sleep(0.1)
    assert status(job) == "paused"
    wait_for(lambda: status(job) == "stopped", timeout=2.0)


def test_divergence_becomes_status_diverged(make_manager):
    """A diverging run ends as 'diverged' with Diverged's sentence."""
    x = np.full((8, 8), 255.0, np.float32)
    job = make_manager().submit(
        LearnRequest(x=x, y=np.zeros((6, 6)), kernel_hw=(3, 3), lr=1.0, steps=50)
    )
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert snap.status == "diverged"
    assert snap.message.startswith("Training diverged at step ")
    assert all(np.isfinite(snap.losses))


def test_step_cap(make_manager):
    """A run asking for more than max_steps stops there with a message."""
    job = make_manager(max_steps=10).submit(book_request(steps=50))
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert (snap.status, len(snap.steps), snap.total_steps) == ("done", 10, 10)
    assert "limit of 10 steps per run (you asked for 50)" in snap.message


def test_time_cap(make_manager):
    """A run longer than max_seconds ends as 'done' with a time-limit message."""
    job = make_manager(max_seconds=0.5).submit(book_request(steps=LONG))
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert snap.status == "done" and "time limit of 0.5 s per run" in snap.message
    assert 0 < len(snap.steps) < LONG


def test_one_active_job_per_session(make_manager):
    """A new submit for the same session stops that session's previous run."""
    manager = make_manager()
    old = manager.submit(book_request(steps=LONG), session_id="alice")
    other = manager.submit(book_request(steps=LONG), session_id="bob")
    new = manager.submit(book_request(steps=LONG), session_id="alice")
    wait_for(lambda: status(old) == "stopped")
    wait_for(lambda: len(new.snapshot().steps) > 0)
    assert status(other) == "running"


def test_bad_arguments_raise_at_submit(make_manager):
    """submit() checks learn_kernel's arguments in the caller's thread."""
    with pytest.raises(ValueError, match="lr must be a finite number greater than 0"):
        make_manager().submit(book_request(lr=-1))


def test_internal_error_becomes_a_plain_sentence(make_manager, monkeypatch):
    """An unexpected exception gives status 'error' and no traceback or internals."""

    def broken(request):
        yield from ()
        raise RuntimeError("secret /srv/internal/path")

    monkeypatch.setattr(LearnRequest, "start", broken)
    job = make_manager().submit(book_request(steps=5))
    wait_for(lambda: not job.snapshot().active)
    snap = job.snapshot()
    assert snap.status == "error"
    assert snap.message.startswith("Training stopped because of an internal error (RuntimeError)")
    assert "secret" not in snap.message and "Traceback" not in snap.message


def test_shutdown_stops_everything(make_manager):
    """shutdown() stops running and queued jobs and refuses new ones."""
    manager = make_manager(max_concurrent=1)
    jobs = [manager.submit(book_request(steps=LONG)) for _ in range(3)]
    assert manager.shutdown(timeout=5.0)
    assert manager.active_count() == 0
    assert {status(job) for job in jobs} == {"stopped"}
    with pytest.raises(RuntimeError, match="shut down"):
        manager.submit(book_request(steps=1))


def test_paused_submit_starts_held_and_steps_exactly_once(make_manager):
    """submit(paused=True) holds the run before step 1; step_once then gives exactly one step."""
    job = make_manager().submit(book_request(steps=10), paused=True)
    wait_for(lambda: status(job) == "paused")
    assert job.snapshot().steps == ()
    job.step_once()
    wait_for(lambda: len(job.snapshot().steps) == 1 and status(job) == "paused")
    job.stop()
    assert job.join(5.0)
    assert job.snapshot().steps == (1,)


def test_step_delay_paces_the_run_and_stop_cuts_the_wait(make_manager):
    """With step_delay steps arrive slowly; stop ends the wait between steps at once."""
    job = make_manager().submit(book_request(steps=10), step_delay=1.0)
    wait_for(lambda: len(job.snapshot().steps) >= 1)
    assert len(job.snapshot().steps) < 10
    started = time.monotonic()
    job.stop()
    assert job.join(5.0)
    assert time.monotonic() - started < 0.9  # less than the 1 s delay it was waiting out
    assert status(job) == "stopped"


@pytest.mark.parametrize(
    ("kwargs", "match"), [({"step_delay": 2}, "step_delay"), ({"paused": 1}, "paused")]
)
def test_submit_rejects_bad_pacing_options(make_manager, kwargs, match):
    """step_delay outside 0-1 s and a non-bool paused are refused by name."""
    with pytest.raises((ValueError, TypeError), match=match):
        make_manager().submit(book_request(steps=10), **kwargs)


THREAD_NAMES_SCRIPT = """
import json, time
from pathlib import Path
import numpy as np
from playground.conv import corr2d
from playground.learning.learn import LearnRequest
from playground.learning.manager import TrainingManager

def names():
    found = []
    for comm in Path("/proc/self/task").glob("*/comm"):
        try:
            found.append(comm.read_text().strip())
        except OSError:  # a thread that ended between the listing and the read
            pass
    return found

x = np.ones((6, 8), np.float32)
x[:, 2:6] = 0
job = TrainingManager(idle_timeout=300).submit(
    LearnRequest(x=x, y=corr2d(x, [[1, -1]]), kernel_hw=(1, 2), steps=10**6)
)
while not job.snapshot().steps:
    time.sleep(0.01)
during = names()
job.stop()
ended = job.join(60)  # returns as soon as the run ends; 5 s was too short on a busy machine
print(json.dumps({"id": job.id, "during": during, "after": names(), "ended": ended}))
"""


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_training_threads_are_named_for_the_os_and_leave_no_namesake():
    """A run's OS thread is train-<id> while it runs; afterwards no thread has a train- name.

    In a fresh process, so that TensorFlow's import and first op happen inside
    the run: Linux names new threads after their creator, and TF's runtime
    threads must not inherit the run's name (they live as long as the server).
    """
    done = subprocess.run(
        [sys.executable, "-c", THREAD_NAMES_SCRIPT],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert f"train-{seen['id']}" in seen["during"]
    assert seen["ended"], "the run's thread did not end within 60 s of stop()"
    assert [n for n in seen["after"] if n.startswith("train-")] == []


@pytest.mark.parametrize(
    ("environ", "expected"),
    [({}, 2), ({"PLAYGROUND_MAX_TRAININGS": " 3 "}, 3), ({"PLAYGROUND_MAX_TRAININGS": ""}, 2)],
)
def test_max_trainings_setting(environ, expected):
    """Unset means one run per core; a teacher can set another whole number."""
    assert training.max_trainings_setting(environ, cpus=2) == expected


@pytest.mark.parametrize("raw", ["0", "-1", "two", "1.5"])
def test_max_trainings_setting_rejects_what_is_not_a_count(raw):
    with pytest.raises(ValueError, match="PLAYGROUND_MAX_TRAININGS must be a whole number"):
        training.max_trainings_setting({"PLAYGROUND_MAX_TRAININGS": raw}, cpus=2)
