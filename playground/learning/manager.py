"""Background kernel learning for the app: a shared manager of training threads.

One :class:`TrainingManager` serves every session (the app holds it with
``st.cache_resource``). Each run is a :class:`TrainingJob`
(:mod:`playground.learning.job`) on a daemon thread that iterates
:func:`playground.learning.learn.learn_kernel` and writes only plain Python
data under its own lock; the page polls ``job.snapshot()`` from a fragment
and draws it (docs/facts.md: a loop in the script run is cut off by the next
widget change, a thread is not). A run is asked for with a typed
:class:`~playground.learning.learn.LearnRequest`. Nothing here imports streamlit.

Limits that keep a classroom on two cores responsive: at most
``max_concurrent`` runs at once (the rest wait in FIFO order), one active
run per session, a step cap and a wall-time cap per run, and an idle
timeout: a run whose page stops calling ``heartbeat()`` (the tab closed)
stops itself.
"""

from __future__ import annotations

import dataclasses
import os
import threading
import time
from collections import deque

import numpy as np

from playground.learning.job import JobLimits, TrainingJob
from playground.learning.learn import LearnRequest
from playground.learning.runtime import import_pandas_first

__all__ = ["MAX_TRAININGS_ENV", "TrainingManager", "max_trainings_setting"]

MAX_TRAININGS_ENV = "PLAYGROUND_MAX_TRAININGS"


def max_trainings_setting(environ=os.environ, cpus: int | None = None) -> int:
    """How many runs may train at once: ``$PLAYGROUND_MAX_TRAININGS``, else one per core.

    Raises ValueError with a sentence for the teacher when the variable is set
    to anything but a whole number of at least 1.
    """
    raw = environ.get(MAX_TRAININGS_ENV, "").strip()
    if not raw:
        return max(1, cpus if cpus is not None else os.cpu_count() or 2)
    if not raw.isdigit() or int(raw) < 1:
        raise ValueError(f"{MAX_TRAININGS_ENV} must be a whole number of at least 1; got {raw!r}.")
    return int(raw)


class TrainingManager:
    """Runs training jobs for all sessions, a few at a time, first come first served.

    Parameters
    ----------
    max_concurrent : int
        Runs training at the same time; later ones wait in the queue.
    max_steps : int
        Step cap per run: a run asking for more stops there, status "done".
    max_seconds : float
        Wall-time cap per run (pauses included), status "done".
    idle_timeout : float
        A run whose page has not called ``heartbeat()`` for this long stops.
    """

    def __init__(
        self,
        max_concurrent: int = os.cpu_count() or 2,
        max_steps: int = 2000,
        max_seconds: float = 120.0,
        idle_timeout: float = 20.0,
    ):
        if max_concurrent < 1 or max_steps < 1 or max_seconds <= 0 or idle_timeout <= 0:
            raise ValueError(
                "max_concurrent and max_steps must be at least 1 and max_seconds and "
                f"idle_timeout greater than 0; got {max_concurrent}, {max_steps}, "
                f"{max_seconds}, {idle_timeout}."
            )
        self.max_concurrent, self.max_steps = max_concurrent, max_steps
        self._limits = JobLimits(max_seconds=max_seconds, idle_timeout=idle_timeout)
        self._lock = threading.Lock()
        self._queue: deque[TrainingJob] = deque()
        self._running: set[TrainingJob] = set()
        self._by_session: dict = {}
        self._closed = False

    def submit(
        self,
        request: LearnRequest,
        *,
        session_id=None,
        paused: bool = False,
        step_delay: float = 0.0,
    ) -> TrainingJob:
        """Queue a run of ``request``; return its job.

        Arguments are checked here: ValueError/TypeError reach the caller.
        A previous job of the same ``session_id`` is stopped. ``paused=True``
        starts the run held (for stepping); ``step_delay`` seconds (at most 1)
        are waited after each step so a fast run can be watched live.
        """
        if not isinstance(request, LearnRequest):
            raise TypeError(f"request must be a LearnRequest; got {type(request).__name__}.")
        if not isinstance(paused, bool):
            raise TypeError(f"paused must be True or False; got {paused!r}.")
        if not isinstance(step_delay, int | float) or not 0 <= step_delay <= 1:
            raise ValueError(
                f"step_delay must be a number of seconds from 0 to 1; got {step_delay!r}."
            )
        asked = request.steps
        capped = (
            isinstance(asked, int | np.integer)
            and not isinstance(asked, bool)
            and asked > self.max_steps
        )
        if capped:
            request = dataclasses.replace(request, steps=self.max_steps)
        iterator = request.start()
        # this is the page's thread: pandas must be imported here before the
        # job's thread imports TensorFlow (see import_pandas_first)
        import_pandas_first()
        job = TrainingJob(
            iterator,
            total_steps=request.steps,
            capped_from=asked if capped else None,
            limits=self._limits,
            paused=paused,
            step_delay=float(step_delay),
        )
        with self._lock:
            if self._closed:
                raise RuntimeError("The training manager has been shut down.")
            previous = self._by_session.get(session_id) if session_id is not None else None
            if session_id is not None:
                self._by_session[session_id] = job
            self._queue.append(job)
        if previous is not None:
            previous.stop()
        self._dispatch()
        return job

    def _dispatch(self) -> None:
        with self._lock:
            while self._queue and len(self._running) < self.max_concurrent and not self._closed:
                job = self._queue.popleft()
                if job._start(self._job_ended):
                    self._running.add(job)

    def _job_ended(self, job: TrainingJob) -> None:
        with self._lock:
            self._running.discard(job)
            for key in [k for k, v in self._by_session.items() if v is job]:
                del self._by_session[key]
        self._dispatch()

    def queue_position(self, job: TrainingJob) -> int | None:
        """How many queued runs are ahead of ``job`` (None if it is not queued)."""
        with self._lock:
            waiting = [j for j in self._queue if j._status == "queued"]
        return waiting.index(job) if job in waiting else None

    def active_count(self) -> int:
        """Runs currently training or paused (not queued)."""
        with self._lock:
            return len(self._running)

    def shutdown(self, timeout: float = 5.0) -> bool:
        """Stop every job and wait for the threads; True if all ended in time."""
        with self._lock:
            self._closed = True
            jobs = [*self._running, *self._queue]
            self._queue.clear()
        for job in jobs:
            job.stop()
        deadline = time.monotonic() + timeout
        return all(job.join(max(deadline - time.monotonic(), 0.0)) for job in jobs)
