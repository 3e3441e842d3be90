"""One background learning run: a :class:`TrainingJob` on its own daemon thread.

The thread iterates :func:`playground.learning.learn.learn_kernel` and writes only
plain Python data under the job's lock; the page reads it through
``job.snapshot()`` (a frozen :class:`JobSnapshot`) and steers the run with
``pause``, ``resume``, ``step_once`` and ``stop``. The job ends itself at
its wall-time cap, or when its page stops calling ``heartbeat()``.
Scheduling (queue, concurrency, one run per session) is
:class:`playground.learning.manager.TrainingManager`'s job, which creates these.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from dataclasses import dataclass

import numpy as np
from setproctitle import setthreadtitle

from playground.learning.learn import Diverged

__all__ = ["ACTIVE", "JobLimits", "JobSnapshot", "TrainingJob"]

_log = logging.getLogger("playground.training")  # one logger for all training
_ids = itertools.count(1)
ACTIVE = ("queued", "running", "paused")


@dataclass(frozen=True)
class JobLimits:
    """When a run ends itself: a wall-time cap and an idle timeout, in seconds."""

    max_seconds: float
    idle_timeout: float


@dataclass(frozen=True)
class JobSnapshot:
    """An immutable copy of a job's progress, safe to draw from any thread.

    ``kernel`` is None before the first step and a read-only array after.
    ``elapsed`` is wall time in seconds since the run left the queue.
    """

    status: str
    steps: tuple[int, ...]
    losses: tuple[float, ...]
    kernel: np.ndarray | None
    bias: float
    grad_norm: float
    message: str
    elapsed: float
    total_steps: int

    @property
    def active(self) -> bool:
        """True while the run is queued, running or paused."""
        return self.status in ACTIVE


class TrainingJob:
    """One learning run on a daemon thread. Create through :meth:`TrainingManager.submit`."""

    def __init__(
        self,
        iterator,
        *,
        total_steps: int,
        capped_from: int | None,
        limits: JobLimits,
        paused: bool = False,
        step_delay: float = 0.0,
    ):
        self.id = next(_ids)
        self._iterator = iterator
        self._limits = limits
        self._capped_from = capped_from  # steps asked for, when the step cap cut them
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._status, self._message = "queued", "Waiting for a free training slot."
        self._steps: list[int] = []
        self._losses: list[float] = []
        self._kernel, self._bias, self._grad_norm = None, 0.0, 0.0
        self._total_steps = total_steps
        # paused=True: the run starts held, so a first step_once() is exactly one step
        self._paused, self._permits, self._stop = paused, 0, False
        # a pause between steps, so a small run lasts long enough to be watched
        self._step_delay = step_delay
        self._last_beat = time.monotonic()
        self._started = self._ended = None

    # --- called by the page -------------------------------------------------
    def snapshot(self) -> JobSnapshot:
        """Return an immutable copy of the progress so far."""
        with self._cond:
            end = self._ended or time.monotonic()
            return JobSnapshot(
                status=self._status,
                steps=tuple(self._steps),
                losses=tuple(self._losses),
                kernel=self._kernel,  # read-only, replaced (never mutated) per step
                bias=self._bias,
                grad_norm=self._grad_norm,
                message=self._message,
                elapsed=0.0 if self._started is None else end - self._started,
                total_steps=self._total_steps,
            )

    def heartbeat(self) -> None:
        """Tell the job its page is still watching; call on every poll."""
        with self._cond:
            self._last_beat = time.monotonic()

    def pause(self) -> None:
        """Hold the run after the current step (a queued run pauses when it starts)."""
        with self._cond:
            self._paused, self._permits = True, 0
            self._cond.notify_all()

    def resume(self) -> None:
        """Continue a paused run."""
        with self._cond:
            self._paused, self._permits = False, 0
            if self._status == "paused":
                self._status, self._message = "running", "Training."
            self._cond.notify_all()

    def step_once(self) -> None:
        """Pause (if running) and advance exactly one more step."""
        with self._cond:
            self._paused = True
            self._permits += 1
            self._cond.notify_all()

    def stop(self) -> None:
        """Ask the run to end; the thread finishes within one step."""
        with self._cond:
            self._stop = True
            if self._status == "queued":
                self._end("stopped", "Stopped before it started.")
            self._cond.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True if it has (or never started)."""
        if self._thread is not None:
            self._thread.join(timeout)
            return not self._thread.is_alive()
        return True

    # --- manager and thread side ---------------------------------------------
    def _idle(self, now: float) -> bool:
        return now - self._last_beat > self._limits.idle_timeout

    def _end(self, status: str, message: str) -> None:
        # caller holds self._cond
        self._status, self._message = status, message
        self._ended = time.monotonic()
        self._iterator = None  # drop TF tensors held by the generator

    def _start(self, on_end) -> bool:
        """Leave the queue and start the thread; False if the job is no longer wanted."""
        with self._cond:
            if self._status != "queued":
                return False
            if self._idle(time.monotonic()):
                self._end("stopped", "Stopped: the page stopped checking on this run.")
                return False
            self._status, self._message = "running", "Training."
            self._started = time.monotonic()
            self._thread = threading.Thread(
                target=self._run, args=(on_end,), name=f"train-{self.id}", daemon=True
            )
            self._thread.start()
            return True

    def _wait_turn(self) -> tuple[str, str] | None:
        """Block while paused; return (status, message) when the run must end."""
        limits = self._limits
        with self._cond:
            while True:
                now = time.monotonic()
                if self._stop:
                    return "stopped", f"Stopped after {len(self._steps)} steps."
                if self._idle(now):
                    return "stopped", (
                        f"Stopped after {len(self._steps)} steps: the page stopped checking "
                        f"on this run for {limits.idle_timeout:g} s (was the tab closed?)."
                    )
                if now - self._started > limits.max_seconds:
                    # wall time, pauses included: a paused run still holds a slot
                    return "done", (
                        f"Stopped at the time limit of {limits.max_seconds:g} s per run, "
                        f"after {len(self._steps)} steps."
                    )
                if not self._paused:
                    self._status = "running"
                    return None
                if self._permits:
                    self._permits -= 1
                    return None
                self._status, self._message = "paused", "Paused."
                wake = min(
                    self._last_beat + limits.idle_timeout,
                    self._started + limits.max_seconds,
                )
                self._cond.wait(max(wake - now, 0.0) + 0.01)

    def _run(self, on_end) -> None:
        # The OS thread gets the name too (Python keeps it to itself): `top -H`
        # and /proc/<pid>/task/*/comm then show which threads are training runs.
        setthreadtitle(f"train-{self.id}")
        outcome = None
        try:
            while (outcome := self._wait_turn()) is None:
                step = next(self._iterator, None)
                if step is None:
                    outcome = "done", self._done_message()
                    break
                step.kernel.flags.writeable = False  # shared with snapshots, never copied
                with self._cond:
                    self._steps.append(step.step)
                    self._losses.append(step.loss)
                    self._kernel, self._bias = step.kernel, step.bias
                    self._grad_norm = step.grad_norm
                    if self._step_delay and not (self._stop or self._paused):
                        # stop, pause, resume and step_once notify: the wait ends early
                        self._cond.wait(self._step_delay)
        except Diverged as exc:
            outcome = "diverged", str(exc)
        except Exception as exc:  # the page gets a sentence, the log gets the traceback
            _log.exception("training job %s failed", self.id)
            outcome = (
                "error",
                (
                    f"Training stopped because of an internal error ({type(exc).__name__}). "
                    "Try again with a smaller image or fewer steps."
                ),
            )
        with self._cond:
            self._end(*outcome)
        on_end(self)
        # Python's join() returns before the OS thread has left /proc, so a
        # finished run still showed as "train-N" there (the load test counts
        # those; the thread-name test failed 3 runs in 5): drop the name last.
        setthreadtitle(f"ended-{self.id}")

    def _done_message(self) -> str:
        n = len(self._steps)
        if self._capped_from is not None:
            return f"Stopped at the limit of {n} steps per run (you asked for {self._capped_from})."
        return f"Finished {n} steps."
