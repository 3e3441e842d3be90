"""Classroom load test: N students on one server, over Streamlit's own websocket protocol.

Starts the app as the README does (``streamlit run streamlit_app.py`` from the
repo root, so ``.streamlit/config.toml`` applies) on a free loopback port,
then for each class size opens N simulated students at once (mostly Explore,
some Sliding window, a few Learn). Each student changes a setting, waits for
the page to finish redrawing, thinks for a while (uniform, mean
``--think``) and does it again, until the wave's time is up. A few upload a
photo; Learn students press Train. During each wave, extra fault clients
upload a decompression bomb and corrupt files, train with the largest
learning rate, close a tab mid-training and fire a burst of 20 reruns.

Printed per wave: rerun latency p50/p95/max, errors and exception boxes,
server RSS (with children) at start/peak/end, threads, trainings run and
queued; then PASS/MISS per target. Everything runs on 127.0.0.1, every loop
is bounded by the wave's duration and a per-run timeout, and the server is
stopped at the end.

    python -m benchmarks.classroom_load               # 10, 30, 60 and 60 again, 60 s each
    python -m benchmarks.classroom_load --quick       # 5 students, 30 s, to try it
    python -m benchmarks.classroom_load --students 30 --duration 30 --no-faults
    python -m benchmarks.classroom_load --hall        # 120 and 200 students: one process,
                                                      # the hall, the hall with a crash

``--hall`` runs each class size against one process and against the lecture
hall (deploy/hall.py, as `make class` starts it) in the same run, then the
first size again with one replica killed (SIGKILL) a third of the way in:
its students reconnect as browsers do, through the balancer, with their
cookies. Every student keeps its cookies like a browser (the balancer's
affinity cookie included), clicks a download button now and then, and the
answers to its uploads and downloads are counted by status and checked
against the replica that holds its session (the balancer's X-Served-By
header). Explore builds its files on "Prepare downloads" (the student presses
it first) and serves them from plain download buttons owned by the session;
its earlier deferred downloads (a callable) made files that belonged to no
session, and any session's finished run could delete one before the GET (a
404 from the right replica, on one process too, more under load).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests

from benchmarks.streamlit_client import (
    REPO_ROOT,
    AppServer,
    ClientError,
    RunResult,
    StreamlitClient,
    free_port,
)
from deploy.hall import read_state, stop_running
from deploy.haproxy_config import server_states

HOST = "127.0.0.1"
SINGLE = "-"  # the replica name of every session when there is no balancer
DOWNLOAD_SHARE = 0.15  # Explore reruns after which the student clicks a download button
PREPARE_DOWNLOADS = "prepare_downloads"  # Explore's button that builds the files (its key)
RERUN_TIMEOUT = 60.0  # a run slower than this is an error, not a latency
SETTLE = 5.0  # seconds after a wave's last tab closes before "end" is measured
IDLE_TIMEOUT = 20.0  # playground.training.TrainingManager's default idle_timeout
# a share of each class on each page (the rest is Explore)
PAGE_MIX = (("window", 0.20), ("learn", 0.10))
UPLOADER_SHARE = 0.10  # Explore students who upload a photo now and then
# the Learn page's status heading (playground.learn_view.status_line), e.g. "#### Running: ..."
STATUS_RE = re.compile(
    r"^(?:#+\s*)?(Queued|Running|Paused|Done|Diverged|Stopped|Starting|Training stopped)", re.M
)
TRAIN_BUTTON = r"^\W*train\b"
FULL_SPEED = "Full speed"  # the Learn page's Speed radio, as its label
STARTED = {"Starting", "Running", "Done", "Diverged"}  # statuses of a run that left the queue
# st.error sentences that are the lesson, not a failure: a run that diverged
EXPECTED_ERRORS = re.compile(r"diverged", re.I)

# ----------------------------------------------------------------- what students do


def _pick(rng: random.Random, options, exclude=()) -> str:
    choices = [o for o in options if o not in exclude]
    return rng.choice(choices)


def _slider_value(rng: random.Random, proto, cap: float | None = None):
    low, high = proto.min, proto.max if cap is None else min(proto.max, cap)
    step = proto.step or 1
    n = int((high - low) // step)
    return low + step * rng.randint(0, max(n, 0))


def random_change(rng: random.Random, client: StreamlitClient, page: str) -> dict:
    """One setting a student might change on ``page``, as {key: value}."""
    w = client.widgets
    moves = []
    for key in ("stride_h", "stride_w", "dil_h", "dil_w"):
        if key in w:
            moves.append(lambda k=key: {k: rng.randint(1, 2 if k.startswith("dil") else 3)})
    if "pad" in w:
        moves.append(lambda: {"pad": _pick(rng, w["pad"].options, exclude=("explicit",))})
    if "kernel" in w:
        moves.append(lambda: {"kernel": _pick(rng, w["kernel"].options[:-1])})  # not Custom
    if "sample" in w:
        moves.append(lambda: {"sample": _pick(rng, w["sample"].options)})
    if "size" in w and page == "explore":
        moves.append(lambda: {"size": _slider_value(rng, w["size"].proto, cap=256)})
    if "flip" in w:
        moves.append(lambda: {"flip": rng.random() < 0.5})
    if "matrix" in w:  # typed numbers, the Sliding window page's default input
        n = rng.randint(3, 6)
        rows = (" ".join(str(rng.randint(0, 9)) for _ in range(n)) for _ in range(n))
        moves.append(lambda: {"matrix": "\n".join(rows)})
    if "step" in w and w["step"].kind == "slider":  # the window's scrubber
        moves.append(lambda: {"step": _slider_value(rng, w["step"].proto)})
    if page == "learn":
        # the largest learning rate is a fault, not a habit: "lr" stays as it is
        for key in ("optimizer", "loss", "problem", "true_kernel", "clip"):
            if key in w and w[key].options:
                moves.append(lambda k=key: {k: _pick(rng, w[k].options)})
        if "train_steps" in w:
            moves.append(lambda: {"train_steps": _slider_value(rng, w["train_steps"].proto)})
    return rng.choice(moves)() if moves else {}


@dataclass
class Sample:
    latency: float
    page: str
    trainings: int  # training threads busy on the server when this rerun was sent
    ok: bool
    replica: str = SINGLE  # the lecture hall replica the student was on
    student: int = -1


@dataclass
class WaveStats:
    students: int
    label: str
    samples: list[Sample] = field(default_factory=list)
    opens: list[float] = field(default_factory=list)
    fragment: list[float] = field(default_factory=list)
    fragment_interrupted: int = 0
    health: list[float] = field(default_factory=list)  # /_stcore/health answer times
    lost_finish: int = 0  # full runs whose script_finished the server dropped
    uploads: int = 0
    errors: Counter = field(default_factory=Counter)
    exceptions: list[str] = field(default_factory=list)
    error_texts: list[str] = field(default_factory=list)
    nbytes: list[int] = field(default_factory=list)
    trainings_pressed: int = 0
    trainings_ran: int = 0
    trainings_queued: int = 0
    max_running: int = 0  # most training threads busy at once (server side)
    faults: list[tuple[str, bool, str]] = field(default_factory=list)
    resources: dict = field(default_factory=dict)
    setup: str = "1 process"  # or "N replicas" behind the balancer
    downloads: int = 0  # download-button files fetched by students
    http: Counter = field(default_factory=Counter)  # (upload|media, status) -> answers
    # student -> their failed uploads/media requests (a 4xx/5xx or no answer); only students
    # with at least one failure are in it
    failed_by_student: Counter = field(default_factory=Counter)
    # answers from another replica than the student's cookie names (X-Served-By)
    misrouted: Counter = field(default_factory=Counter)
    routed: int = 0  # answers checked that way (0 without a balancer)
    error_replicas: Counter = field(default_factory=Counter)  # replica -> errors seen there
    replicas: Counter = field(default_factory=Counter)  # replica -> students opened on it
    reconnects: list[tuple[int, str, str, float]] = field(default_factory=list)
    kill: dict = field(default_factory=dict)  # the replica killed mid-wave, its students


class Student:
    """One simulated student: a tab on one page, changing settings until the wave ends."""

    def __init__(self, idx: int, page: str, uploader: bool, wave: Wave):
        self.idx, self.page, self.uploader, self.wave = idx, page, uploader, wave
        self.rng = random.Random(wave.seed * 1000 + idx)
        # this student's browser cookies: the XSRF token and, behind the balancer,
        # the replica; kept across a reconnect as a browser keeps them
        self.cookies: dict[str, str] = {}
        self.client = StreamlitClient(HOST, wave.port, timeout=RERUN_TIMEOUT, cookies=self.cookies)
        self.replica = SINGLE
        self.http: Counter = Counter()  # answers to this student's uploads and downloads
        self.misrouted: Counter = Counter()
        self.routed = 0
        self.status = ""  # the Learn page's status line, as last seen
        self.run_statuses: list[set[str]] = []  # per Train press: statuses seen

    async def run(self, deadline: float) -> None:
        stats = self.wave.stats
        await asyncio.sleep(self.rng.uniform(0, self.wave.ramp))
        try:
            if not await self._open("open"):
                return
            stats.replicas[self.replica] += 1
            while time.monotonic() < deadline:
                if self.client.closed_reason:  # the browser reconnects (or gives up)
                    if not (self.wave.reconnect and await self._reconnect(deadline)):
                        break
                    continue
                await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.wave.think)
                if time.monotonic() >= deadline:
                    break
                if self.client.closed_reason:
                    continue  # closed while thinking: a browser reconnects before the click
                await self._act()
                await self._maybe_download()
        finally:
            await self._close_client()
            stats.http.update(self.http)
            stats.misrouted.update(self.misrouted)
            stats.routed += self.routed
            failed = sum(
                n for (_, code), n in self.http.items() if not isinstance(code, int) or code >= 400
            )
            if failed:
                stats.failed_by_student[self.idx] = failed

    async def _open(self, what: str) -> bool:
        stats = self.wave.stats
        try:
            result = await self.client.open(self.page)
        except Exception as exc:  # connection refused, handshake timeout
            self.replica = self.client.replica or SINGLE
            self._error(f"{what} failed: {type(exc).__name__}")
            return False
        self.replica = self.client.replica or SINGLE
        stats.opens.append(result.latency)
        self._check(result, what)
        return True

    async def _close_client(self) -> None:
        stats = self.wave.stats
        stats.fragment.extend(self.client.fragment_latencies)
        stats.fragment_interrupted += self.client.fragment_interrupted
        self.client.fragment_latencies = []
        self.http.update(self.client.http)
        self.client.http.clear()
        self.misrouted.update(self.client.misrouted)
        self.client.misrouted.clear()
        self.routed += self.client.routed
        self.client.routed = 0
        await self.client.close()

    async def _reconnect(self, deadline: float) -> bool:
        """What the browser does when its socket closes: retry, with its cookies, until a
        server answers (behind the balancer: a live replica, which sets a new cookie)."""
        lost_at, old = time.monotonic(), self.replica
        await self._close_client()
        delay = 0.5
        for _ in range(12):  # bounded: about 40 s of retries at most
            await asyncio.sleep(delay * self.rng.uniform(0.8, 1.2))
            self.client = StreamlitClient(
                HOST, self.wave.port, timeout=RERUN_TIMEOUT, cookies=self.cookies
            )
            try:
                result = await self.client.open(self.page)
            except Exception:  # refused or no answer yet: back off, as the browser does
                await self.client.close()
                delay = min(delay * 2, 4.0)
                continue
            self.replica = self.client.replica or SINGLE
            stats = self.wave.stats
            stats.reconnects.append((self.idx, old, self.replica, time.monotonic() - lost_at))
            stats.opens.append(result.latency)
            self._check(result, "reopen")
            return True
        self._error("no reconnect within 40 s")
        return False

    async def _maybe_download(self) -> None:
        # a click on one of the page's download buttons: a GET of its /media/ URL,
        # which only the replica that ran the page can answer. Explore builds its files
        # on "Prepare downloads" (a rerun, recorded like any other) for the settings shown.
        if self.client.closed_reason or self.rng.random() >= DOWNLOAD_SHARE:
            return
        prepare = self.client.widgets.get(PREPARE_DOWNLOADS)
        if not self.client.downloads and prepare is not None:
            self._record(await self.client.press(prepare), self.wave.running_trainings())
        downloads = self.client.downloads
        if self.client.closed_reason or not downloads:
            return
        await self.client.download(self.rng.choice(sorted(downloads.values())))
        self.wave.stats.downloads += 1

    def _error(self, key: str, count: int = 1) -> None:
        self.wave.stats.errors[key] += count
        self.wave.stats.error_replicas[self.replica] += count

    async def _act(self) -> None:
        sent_with = self.wave.running_trainings()
        if self.page == "learn" and self.rng.random() < 0.7 and not self._training_active():
            button = self.client.widgets.get("train") or self.client.find_button(TRAIN_BUTTON)
            if button is not None:
                self.run_statuses.append(set())
                self.wave.stats.trainings_pressed += 1
                result = await self.client.press(button)
                return self._record(result, sent_with)
        if self.uploader and self.rng.random() < 0.3 and "src" in self.client.widgets:
            result = await self.client.rerun({"src": "Upload"})
            self._record(result, sent_with)
            if "upload" in self.client.widgets:
                name, data, mime = self.wave.photo
                result = await self.client.upload("upload", name, data, mime)
                self.wave.stats.uploads += 1
                self._record(result, self.wave.running_trainings())
            result = await self.client.rerun({"src": "Sample"})
            return self._record(result, self.wave.running_trainings())
        change = random_change(self.rng, self.client, self.page)
        result = await self.client.rerun(change)
        self._record(result, sent_with)

    def _record(self, result: RunResult, trainings: int) -> None:
        stats = self.wave.stats
        stats.samples.append(
            Sample(result.latency, self.page, trainings, result.ok, self.replica, self.idx)
        )
        stats.nbytes.append(result.nbytes)
        stats.lost_finish += result.lost_finish
        self._check(result, "rerun")
        self.observe()

    def _check(self, result: RunResult, what: str) -> None:
        stats = self.wave.stats
        if not result.ok:
            self._error(f"{what} on {self.page}: {result.problem}")
        for text in result.exceptions:
            self._error("exception box")
            stats.exceptions.append(f"[{self.page}] {text[:160]}")
        for text in result.errors:
            if EXPECTED_ERRORS.search(text):
                continue
            self._error("st.error shown")
            stats.error_texts.append(f"[{self.page}] {text[:160]}")

    def observe(self) -> None:
        """Read the Learn page's status line (drawn by its polling fragment)."""
        if self.page != "learn":
            return
        match = STATUS_RE.search(self.client.page_text())
        self.status = match.group(1) if match else ""
        if self.run_statuses and self.status:
            self.run_statuses[-1].add(self.status)

    def _training_active(self) -> bool:
        return self.status in ("Queued", "Running", "Starting", "Paused")


class Wave:
    """N students for ``duration`` seconds, plus the fault clients.

    ``server_pids``: the app process, or the hall's replicas and HAProxy (what
    the resource and training probes watch). ``kill``: (replica name, pid,
    HAProxy admin socket) to SIGKILL a third of the way into the wave; the
    students then reconnect as browsers do, and the wave runs without the
    fault tabs so that every error counted is a student's.
    """

    def __init__(
        self,
        args,
        port: int,
        students: int,
        label: str,
        seed: int,
        server_pids: list[int],
        *,
        setup: str = "1 process",
        kill: tuple[str, int, str] | None = None,
    ):
        self.port, self.duration, self.think = port, args.duration, args.think
        self.ramp = min(10.0, args.duration / 4)
        self.seed = seed
        self.server_pids = list(server_pids)
        self.faults = not args.no_faults and kill is None
        self.kill = kill
        self.reconnect = True  # a browser retries a closed socket; so do these students
        self.stats = WaveStats(students, label, setup=setup)
        self.photo = ("cat.jpg", (REPO_ROOT / "assets" / "cat.jpg").read_bytes(), "image/jpeg")
        rng = random.Random(seed)
        pages = []
        for page, share in PAGE_MIX:
            # at least two on Learn: the "while 2 trainings run" target needs a pair
            pages += [page] * max(2 if page == "learn" else 1, round(students * share))
        pages += ["explore"] * max(students - len(pages), 0)
        pages = pages[:students]
        rng.shuffle(pages)
        explorers = [i for i, p in enumerate(pages) if p == "explore"]
        uploaders = set(rng.sample(explorers, k=max(1, round(students * UPLOADER_SHARE))))
        self.students = [Student(i, p, i in uploaders, self) for i, p in enumerate(pages)]
        # two extra tabs that keep both training slots busy for a while: the
        # "others' latency while 2 trainings run" target needs that window
        self.trainers = [Student(1000 + i, "learn", False, self) for i in range(2)]
        self.trainers_active = args.trainers
        self.probe = TrainingProbe(self.server_pids)

    async def _kill(self, at: float, began: float) -> None:
        """SIGKILL one replica (a crash) and time how long HAProxy takes to mark it DOWN."""
        name, pid, stats_socket = self.kill
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        victims = sorted(
            s.idx for s in self.students if s.replica == name and not s.client.closed_reason
        )
        os.kill(pid, signal.SIGKILL)
        killed = time.monotonic()
        info = self.stats.kill
        info.update(replica=name, victims=victims, at=killed - began, down_after=None)
        while time.monotonic() - killed < 20:  # bounded
            with contextlib.suppress(OSError):
                states = await asyncio.to_thread(server_states, stats_socket)
                if states.get(name, "").startswith("DOWN"):
                    info["down_after"] = time.monotonic() - killed
                    return
            await asyncio.sleep(0.1)

    def running_trainings(self) -> int:
        # the server's truth, not the tabs' status lines: those lag a poll behind
        return self.probe.busy

    async def _watch_statuses(self, deadline: float) -> None:
        """Keep every Learn tab's status line current (what trainings_ran and _queued count)."""
        while time.monotonic() < deadline + SETTLE:
            for s in self.students + self.trainers:
                s.observe()
            await asyncio.sleep(0.25)

    async def run(self) -> WaveStats:
        began = time.monotonic()
        deadline = began + self.duration
        monitor = ResourceMonitor(self.server_pids)
        monitor.start()
        self.probe.start()
        tasks = [asyncio.create_task(s.run(deadline)) for s in self.students]
        killer = None
        if self.kill is not None:  # after the ramp: every student has a replica by then
            at = began + self.ramp + (self.duration - self.ramp) / 3
            killer = asyncio.create_task(self._kill(at, began))
        watcher = asyncio.create_task(self._watch_statuses(deadline))
        prober = asyncio.create_task(probe_health(self.port, deadline, self.stats.health))
        fault_task = asyncio.create_task(run_faults(self)) if self.faults else None
        start = time.monotonic() + self.ramp + 2
        end = min(start + max(15.0, self.duration / 3), deadline)
        trainer_tasks = [
            asyncio.create_task(run_trainer(self, t, start, end))
            for t in (self.trainers if self.trainers_active else [])
        ]
        # bounded: each student stops at the deadline; a run in flight then has
        # RERUN_TIMEOUT to finish, and a student never starts another
        await asyncio.wait(tasks, timeout=self.duration + self.ramp + RERUN_TIMEOUT + 30)
        for task in tasks:
            task.cancel()
        if trainer_tasks:
            await asyncio.wait(trainer_tasks, timeout=RERUN_TIMEOUT + 10)
        if fault_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(fault_task, timeout=RERUN_TIMEOUT + 60)
        watcher.cancel()
        prober.cancel()
        if killer is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(killer, timeout=30)
        for s in self.students + self.trainers:
            for statuses in s.run_statuses:
                self.stats.trainings_ran += bool(statuses & STARTED)
                self.stats.trainings_queued += "Queued" in statuses
        await asyncio.sleep(SETTLE)
        self.probe.stop()
        self.stats.max_running = self.probe.peak
        self.stats.resources = monitor.stop()
        return self.stats


# ----------------------------------------------------------------- faults


async def run_faults(wave: Wave) -> None:
    """Hostile inputs from extra tabs, while the students work; outcomes go to stats.faults.

    The four start a few seconds apart (not one after another: under load one
    can take a while) and each has RERUN_TIMEOUT + 30 s at most.
    """
    await asyncio.sleep(min(wave.ramp + 5, wave.duration / 3))
    faults = (
        ("tab closed mid-training", _fault_closed_tab),
        ("decompression bomb and corrupt uploads", _fault_uploads),
        ("burst of 20 reruns", _fault_burst),
        ("largest learning rate", _fault_largest_lr),
    )

    async def one(i: int, name: str, fault) -> tuple[str, bool, str]:
        await asyncio.sleep(3.0 * i)
        client = StreamlitClient(HOST, wave.port, timeout=RERUN_TIMEOUT)
        try:
            ok, detail = await asyncio.wait_for(fault(client), timeout=RERUN_TIMEOUT + 30)
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        finally:
            await client.close()
        return name, ok, detail

    done = await asyncio.gather(*(one(i, n, f) for i, (n, f) in enumerate(faults)))
    wave.stats.faults.extend(done)


async def _fault_burst(client: StreamlitClient) -> tuple[bool, str]:
    await client.open("explore")
    start = time.perf_counter()
    for i in range(20):
        await client.send_rerun_nowait({"stride_h": 1 + i % 3})
        await asyncio.sleep(0.02)
    result = await client.wait_idle()
    problems = result.exceptions + result.errors + ([result.problem] if result.problem else [])
    took = time.perf_counter() - start
    return not problems, f"last rerun done {took:.2f} s after the first; {problems or 'no error'}"


async def _fault_uploads(client: StreamlitClient) -> tuple[bool, str]:
    sys.path.insert(0, str(REPO_ROOT / "tests"))
    import hostile_images as hostile  # the test suite's generators

    await client.open("explore")
    result = await client.rerun({"src": "Upload"})
    files = [
        ("bomb.png", hostile.png_bomb(), "image/png"),
        ("half.png", hostile.truncated_png(), "image/png"),
        ("half.jpg", hostile.truncated_jpeg(), "image/jpeg"),
        ("noise.png", hostile.random_bytes(), "image/png"),
        ("list.png", hostile.text_renamed_png(), "image/png"),
    ]
    notes, ok = [], result.ok
    for name, data, mime in files:
        result = await client.upload("upload", name, data, mime)
        friendly = bool(result.errors) and not result.exceptions and result.ok
        ok &= friendly
        shown = (result.errors or result.exceptions or [result.problem or "nothing"])[0]
        notes.append(f"{name} ({len(data) // 1024} kB, {result.latency:.2f} s): {shown[:70]!r}")
    return ok, "; ".join(notes)


async def _learn_client(client: StreamlitClient):
    await client.open("learn")
    button = client.widgets.get("train") or client.find_button(TRAIN_BUTTON)
    if button is None:
        raise RuntimeError(f"no Train button on the Learn page; widgets: {sorted(client.widgets)}")
    return button


async def _wait_status(client: StreamlitClient, wanted: tuple[str, ...], timeout: float) -> str:
    end, status = time.monotonic() + timeout, ""
    while time.monotonic() < end and not client.closed_reason:
        match = STATUS_RE.search(client.page_text())
        status = match.group(1) if match else ""
        if status in wanted:
            return status
        await asyncio.sleep(0.2)
    return status


async def _fault_largest_lr(client: StreamlitClient) -> tuple[bool, str]:
    button = await _learn_client(client)
    lr = client.widgets.get("lr")
    if lr is None:
        return False, f"no learning-rate widget; widgets: {sorted(client.widgets)}"
    biggest = max(lr.options, key=float) if lr.options else lr.proto.max
    if "speed" in client.widgets:  # full speed: the bad step comes at once
        await client.rerun({"speed": "Full speed"})
    result = await client.rerun({lr.key: biggest})
    pressed = await client.press(button)
    status = await _wait_status(
        client, ("Diverged", "Done", "Stopped", "Training stopped"), RERUN_TIMEOUT
    )
    problems = result.exceptions + pressed.exceptions + pressed.errors
    ok = not problems and status in ("Diverged", "Done", "Stopped")
    return ok, f"lr={biggest}: status {status or 'none seen'}; {problems or 'no exception'}"


async def _fault_closed_tab(client: StreamlitClient) -> tuple[bool, str]:
    # "Step" starts a run held after one step: its thread lives until the page
    # stops polling, so closing the tab now leaves a live job (a finished run
    # would prove nothing: 500 steps take about a second once TF is warm)
    await _learn_client(client)
    button = client.widgets.get("step") or client.find_button(r"^\W*step\b")
    if button is None:
        return False, f"no Step button; widgets: {sorted(client.widgets)}"
    await client.press(button)
    status = await _wait_status(client, ("Paused", "Running", "Queued"), RERUN_TIMEOUT)
    await client.close()
    seen, how = await asyncio.to_thread(training_threads, client_server_pids)
    # the end of the benchmark checks that no "train-*" thread remains
    detail = f"closed while {status or 'no status seen'}; train threads right after: {seen}"
    return status in ("Paused", "Running", "Queued"), f"{detail} ({how})"


client_server_pids: list[int] = []  # the server's pid(s), for the fault clients' thread checks


async def run_trainer(wave: Wave, student: Student, start: float, end: float) -> None:
    """One of two tabs that keep a training running from ``start`` to ``end`` (bounded)."""
    client = student.client
    await asyncio.sleep(max(0.0, start - time.monotonic()))
    try:
        await client.open("learn")
        # the worst case for everyone else: full speed, the largest image, the most steps
        for key in ("train_steps", "image_size"):
            slider = client.widgets.get(key)
            if slider is not None and slider.kind == "slider":
                await client.rerun({key: slider.proto.max})
        speed = client.widgets.get("speed")
        if speed is None or FULL_SPEED not in speed.options:  # a radio sends its label
            wave.stats.errors[f"trainer: no {FULL_SPEED!r} option on the Learn page"] += 1
            return
        await client.rerun({"speed": FULL_SPEED})
        for _ in range(200):  # bounded; each round is one run of up to 500 steps
            if time.monotonic() >= end or client.closed_reason:
                break
            button = client.widgets.get("train") or client.find_button(TRAIN_BUTTON)
            if button is None:
                break
            await client.press(button)
            wave.stats.trainings_pressed += 1
            student.run_statuses.append(set())
            await _wait_status(client, ("Done", "Diverged", "Stopped"), RERUN_TIMEOUT)
    finally:
        await client.close()


# ----------------------------------------------------------------- measuring the server


async def probe_health(port: int, deadline: float, out: list[float]) -> None:
    """GET /_stcore/health once a second: how long the server's event loop takes to answer.

    Every websocket message goes through that one loop; a slow answer here
    means every student's messages wait too.
    """
    url = f"http://{HOST}:{port}/_stcore/health"
    while time.monotonic() < deadline:  # bounded by the wave's end
        start = time.perf_counter()
        try:
            await asyncio.to_thread(requests.get, url, timeout=RERUN_TIMEOUT)
            out.append(time.perf_counter() - start)
        except requests.RequestException:
            out.append(float("inf"))
        await asyncio.sleep(1.0)


def _pids(pids: int | list[int]) -> list[int]:
    return [pids] if isinstance(pids, int) else list(pids)


def _tree(pids: int | list[int]) -> list[psutil.Process]:
    """The processes and their children (one app process, or a hall's replicas and HAProxy)."""
    procs = []
    for pid in _pids(pids):
        with contextlib.suppress(psutil.NoSuchProcess):  # a replica killed on purpose
            proc = psutil.Process(pid)
            procs += [proc, *proc.children(recursive=True)]
    return procs


def server_rss(pids: int | list[int]) -> int:
    total = 0
    for proc in _tree(pids):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += proc.memory_info().rss
    return total


def server_threads(pids: int | list[int]) -> int:
    total = 0
    for proc in _tree(pids):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += proc.num_threads()
    return total


def training_threads(pids: int | list[int]) -> tuple[int | None, str]:
    """Threads named ``train-*`` in the server(s), and how that was seen.

    Training jobs give their OS thread that name (setproctitle), so /proc
    shows them; ``None`` where there is no /proc to read.
    """
    if not Path("/proc/self/task").exists():
        return None, "not observable (no /proc)"
    return len(_training_cpu_ticks(pids)), "/proc comm"


def _training_cpu_ticks(pids: int | list[int]) -> dict[str, int]:
    """CPU ticks (user + system) of each ``train-*`` thread, by pid/thread id."""
    ticks = {}
    tasks = [t for pid in _pids(pids) for t in Path(f"/proc/{pid}/task").glob("*")]
    for task in tasks:
        with contextlib.suppress(OSError):  # a thread that ended while we listed them
            if not (task / "comm").read_text().startswith("train-"):
                continue
            # fields after the ")" that closes the name: utime and stime are the 12th and 13th
            fields = (task / "stat").read_text().rpartition(")")[2].split()
            ticks[f"{task.parent.parent.name}/{task.name}"] = int(fields[11]) + int(fields[12])
    return ticks


class TrainingProbe:
    """How many training threads are computing on the server right now, from /proc.

    A ``train-*`` thread counts while it used at least ``BUSY_SHARE`` of a core
    over the last interval: a paused or held run keeps its thread but no CPU,
    and is no load on anyone.
    """

    BUSY_SHARE = 0.25

    def __init__(self, pids: int | list[int], interval: float = 0.25):
        self.pid, self.interval = pids, interval
        self.busy = self.peak = 0  # training threads busy now, and the most at once
        self._hz = os.sysconf("SC_CLK_TCK")
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="training-probe", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _loop(self) -> None:
        before, then = _training_cpu_ticks(self.pid), time.monotonic()
        while not self._stop.wait(self.interval):
            now_ticks, now = _training_cpu_ticks(self.pid), time.monotonic()
            budget = (now - then) * self._hz * self.BUSY_SHARE
            self.busy = sum(t - before.get(tid, 0) >= budget for tid, t in now_ticks.items())
            self.peak = max(self.peak, self.busy)
            before, then = now_ticks, now

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)


class ResourceMonitor:
    """Samples the server's RSS, threads and CPU (and the driver's CPU) on a thread."""

    def __init__(self, pid: int | list[int], interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self._last_cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="resource-monitor", daemon=True)
        self.start_rss = server_rss(pid)
        self.peak_rss, self.peak_threads = self.start_rss, server_threads(pid)

    def start(self) -> None:
        self._wall = time.monotonic()
        self._server_cpu = self._cpu(self.pid)
        self._driver_cpu = sum(psutil.Process().cpu_times()[:2])
        psutil.cpu_percent(None)
        self._thread.start()

    def _cpu(self, pid: int | list[int]) -> float:
        # a process that exits (a killed replica) takes its CPU time with it: keep
        # the last reading of each (sampled every interval), so the total never drops
        for proc in _tree(pid):
            with contextlib.suppress(psutil.NoSuchProcess):
                times = proc.cpu_times()
                self._last_cpu[proc.pid] = times.user + times.system
        return sum(self._last_cpu.values())

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._cpu(self.pid)
            self.peak_rss = max(self.peak_rss, server_rss(self.pid))
            self.peak_threads = max(self.peak_threads, server_threads(self.pid))

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join(5)
        wall = time.monotonic() - self._wall
        cores = psutil.cpu_count() or 1
        server = (self._cpu(self.pid) - self._server_cpu) / wall
        driver = (sum(psutil.Process().cpu_times()[:2]) - self._driver_cpu) / wall
        machine = psutil.cpu_percent(None) / 100 * cores
        return {
            "rss_start": self.start_rss,
            "rss_peak": self.peak_rss,
            "rss_end": server_rss(self.pid),
            "threads_peak": self.peak_threads,
            "threads_end": server_threads(self.pid),
            "server_cores": server,
            "server_cpu_s": server * wall,
            "driver_cores": driver,
            "other_cores": max(machine - server - driver, 0.0),
            "load_avg": os.getloadavg()[0],
        }


# ----------------------------------------------------------------- report


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q / 100 * len(values) + 0.5) - 1))]


def _fmt_lat(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (
        f"n={len(values):4d}  p50 {pct(values, 50):6.3f} s  p95 {pct(values, 95):6.3f} s  "
        f"max {max(values):6.3f} s"
    )


def _fmt_http(s: WaveStats) -> str:
    """Answers to students' uploads and downloads by status; 4xx = the wrong replica."""
    if not s.http:
        return "none"
    parts = [f"{kind} {code}: {n}" for (kind, code), n in sorted(s.http.items(), key=str)]
    return f"{', '.join(parts)}; students with a 4xx: {len(s.failed_by_student)}"


def _http_4xx(s: WaveStats) -> int:
    """Uploads and downloads that failed: a 4xx/5xx answer, no answer, or no file URL."""
    return sum(n for (_, code), n in s.http.items() if not isinstance(code, int) or code >= 400)


def print_wave(s: WaveStats) -> None:
    r = s.resources
    mb = 1024 * 1024
    lat = [x.latency for x in s.samples if x.ok]
    busy = [x.latency for x in s.samples if x.ok and x.page != "learn" and x.trainings >= 2]
    print(f"\n=== {s.label}: {s.students} students, {s.setup} ===")
    print(f"  rerun latency       {_fmt_lat(lat)}")
    for page in ("explore", "window", "learn"):
        values = [x.latency for x in s.samples if x.ok and x.page == page]
        if values:
            print(f"    {page:16s}  {_fmt_lat(values)}")
    print(f"  while >=2 trainings {_fmt_lat(busy)}   (others' reruns)")
    print(f"  page open           {_fmt_lat(s.opens)}")
    print(f"  health probe        {_fmt_lat(s.health)}   (event loop responsiveness)")
    print(
        f"  fragment runs       {_fmt_lat(s.fragment)}   (run_every polls; "
        f"{s.fragment_interrupted} more stopped by the next poll)"
    )
    if s.nbytes:
        print(
            f"  payload per rerun   mean {statistics.mean(s.nbytes) / 1024:.0f} kB, "
            f"max {max(s.nbytes) / 1024:.0f} kB"
        )
    print(f"  errors              {sum(s.errors.values())}  {dict(s.errors) or ''}")
    print(f"  uploads (students)  {s.uploads}")
    print(f"  HTTP answers        {_fmt_http(s)}")
    if s.routed:
        print(
            f"  answered elsewhere  {sum(s.misrouted.values())} of {s.routed} uploads and "
            f"downloads came from another replica than the one holding the session "
            f"{dict(s.misrouted) or ''}"
        )
    if s.setup != "1 process":
        print(f"  students per replica {dict(sorted(s.replicas.items()))}")
        if s.error_replicas:
            print(f"  errors per replica  {dict(sorted(s.error_replicas.items()))}")
    if s.kill:
        k = s.kill
        down = f"{k['down_after']:.1f} s" if k.get("down_after") is not None else "not seen"
        moved = [r for r in s.reconnects if r[0] in set(k["victims"])]
        waits = [r[3] for r in moved]
        print(
            f"  replica killed      {k['replica']} at {k['at']:.0f} s with {len(k['victims'])} "
            f"students on it; HAProxy marked it DOWN after {down}"
        )
        print(
            f"  reconnected         {len({r[0] for r in moved})} of {len(k['victims'])}, to "
            f"{dict(Counter(r[2] for r in moved))}; time to a working page "
            f"{_fmt_lat(waits)}"
        )
        others = [x.latency for x in s.samples if x.ok and x.student not in set(k["victims"])]
        print(f"  others' reruns      {_fmt_lat(others)}")
    if s.lost_finish:
        print(
            f"  no script_finished  {s.lost_finish} full run(s) ended without one: a run_every "
            "poll raced the end of the run (Streamlit); timed to the poll's end"
        )
    for text in sorted(set(s.exceptions))[:5]:
        print(f"    exception box: {text}")
    for text in sorted(set(s.error_texts))[:5]:
        print(f"    st.error: {text}")
    print(
        f"  server memory       start {r['rss_start'] / mb:.0f} MB, peak "
        f"{r['rss_peak'] / mb:.0f} MB, end {r['rss_end'] / mb:.0f} MB"
    )
    print(f"  server threads      peak {r['threads_peak']}, end {r['threads_end']}")
    print(
        f"  trainings           pressed {s.trainings_pressed}, ran {s.trainings_ran}, "
        f"queued first {s.trainings_queued}, most training at once (server) {s.max_running}"
    )
    runs = len(s.samples) + len(s.opens) + len(s.fragment)
    if runs:
        print(
            f"  server CPU per run  {r['server_cpu_s'] / runs * 1000:.0f} ms "
            f"({runs} script runs incl. opens and fragment polls; training CPU included)"
        )
    print(
        f"  CPU (cores)         server {r['server_cores']:.2f}, driver {r['driver_cores']:.2f}, "
        f"other processes {r['other_cores']:.2f}; load average {r['load_avg']:.1f}"
    )
    for name, ok, detail in s.faults:
        print(f"  fault {'ok  ' if ok else 'FAIL'} {name}: {detail}")


def targets(waves: list[WaveStats], threads: tuple[int | None, str]) -> list[tuple[str, bool]]:
    bounds = {30: 1.5, 60: 3.0}
    out = []
    for s in waves:
        bound = bounds.get(s.students)
        if bound is None:
            continue
        lat = [x.latency for x in s.samples if x.ok]
        errors = sum(s.errors.values())
        out.append(
            (
                f"{s.label}: p95 {pct(lat, 95):.2f} s < {bound} s and 0 errors ({errors})",
                pct(lat, 95) < bound and errors == 0,
            )
        )
        busy = [x.latency for x in s.samples if x.ok and x.page != "learn" and x.trainings >= 2]
        out.append(
            (
                f"{s.label}: others' p95 while 2 trainings run {pct(busy, 95):.2f} s < {bound} s "
                f"({len(busy)} reruns)",
                bool(busy) and pct(busy, 95) < bound,
            )
        )
        for name, ok, _ in s.faults:
            out.append((f"{s.label}: fault '{name}' handled", ok))
    big = [s for s in waves if s.students == max(w.students for w in waves)]
    if len(big) >= 2:
        first, last = big[0].resources["rss_end"], big[-1].resources["rss_end"]
        out.append(
            (
                f"memory after wave 2 of {big[0].students}: {last / 2**20:.0f} MB <= 110% of "
                f"wave 1's end {first / 2**20:.0f} MB ({last / first:.0%})",
                last <= 1.10 * first,
            )
        )
    count, how = threads
    out.append(
        (
            f"no training thread left after the run: {count if count is not None else '?'} ({how})",
            count == 0,
        )
    )
    return out


# ----------------------------------------------------------------- main

WARM_PAGES = ("explore", "window", "learn", "lessons", "receptive-field")


async def warm_up(port: int) -> None:
    """The teacher before class: every page once and one Train (TensorFlow's ~5 s import)."""
    client = StreamlitClient(HOST, port, timeout=RERUN_TIMEOUT)
    try:
        for page in WARM_PAGES:
            result = await client.open(page)
            shown = result.exceptions + result.errors
            print(f"  warm-up: {page:16s} {result.latency:5.2f} s {shown[:1] or ''}")
            await client.close()
            client = StreamlitClient(HOST, port, timeout=RERUN_TIMEOUT)
        await client.open("learn")
        button = client.widgets.get("train") or client.find_button(TRAIN_BUTTON)
        if button is not None:
            start = time.perf_counter()
            await client.press(button)
            status = await _wait_status(client, ("Done", "Diverged", "Stopped"), RERUN_TIMEOUT)
            print(f"  warm-up: first Train       {time.perf_counter() - start:5.2f} s ({status})")
    finally:
        await client.close()


class HallServer:
    """The lecture hall as README's `make class` starts it: ``python -m deploy.hall``.

    Two flags differ from the README's command and change nothing the hall
    does: ``--bind 127.0.0.1`` (the load stays on loopback) and a run
    directory under benchmarks/results. Stopped with SIGINT, as Ctrl-C does.
    """

    def __init__(self, replicas: int, run_dir: Path, log_path: Path):
        self.replicas_wanted, self.run_dir, self.log_path = replicas, run_dir, log_path
        self.port = free_port(HOST)
        self.proc: subprocess.Popen | None = None
        self.state: dict = {}

    @property
    def command(self) -> list[str]:
        return [
            sys.executable,
            *("-m", "deploy.hall", "--replicas", str(self.replicas_wanted)),
            *("--port", str(self.port), "--bind", HOST, "--run-dir", str(self.run_dir)),
        ]

    def start(self, timeout: float = 240.0) -> HallServer:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ClientError(
                    f"deploy.hall exited with {self.proc.returncode}; see {self.log_path}"
                )
            state = read_state(self.run_dir) or {}
            if any(p["role"] == "haproxy" for p in state.get("processes", [])):
                with contextlib.suppress(requests.RequestException):
                    url = f"http://{HOST}:{self.port}/_stcore/health"
                    if requests.get(url, timeout=2).status_code == 200:
                        self.state = state
                        return self
            time.sleep(0.25)
        self.stop()
        raise ClientError(f"the lecture hall did not come up within {timeout:g} s")

    @property
    def replicas(self) -> list[dict]:
        return [p for p in self.state.get("processes", []) if p["role"] == "replica"]

    @property
    def pids(self) -> list[int]:
        return [p["pid"] for p in self.state.get("processes", [])]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(40)
        stop_running(self.run_dir)  # whatever it could not stop (it prints what it did)


async def run_hall(args) -> int:
    """The same classes against one process and against the lecture hall, then a crash."""
    sizes = [int(n) for n in (args.students or "120,200").split(",")]
    results: list[WaveStats] = []
    results_dir = REPO_ROOT / "benchmarks" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    print(
        f"{psutil.cpu_count()} cores; think time uniform {0.5 * args.think:g}-"
        f"{1.5 * args.think:g} s, {args.duration:g} s per wave; load average "
        f"{os.getloadavg()[0]:.2f} before the run"
    )
    if not args.no_single:
        server = AppServer(args.app, host=HOST, log_path=results_dir / "single_server.log")
        print(f"\n--- one process: streamlit run {args.app} --server.port {server.port}")
        server.start()
        client_server_pids[:] = [server.pid]
        try:
            if not args.cold:
                await warm_up(server.port)
            for i, n in enumerate(sizes):
                wave = Wave(args, server.port, n, f"one process, {n}", args.seed + i, [server.pid])
                results.append(await wave.run())
                print_wave(results[-1])
        finally:
            server.stop()
    hall = HallServer(args.replicas, results_dir / "hall", results_dir / "hall_launcher.log")
    print(f"\n--- lecture hall: {' '.join(hall.command[1:])}")
    t0 = time.monotonic()
    hall.start()
    setup = f"{len(hall.replicas)} replicas"
    print(
        f"  up after {time.monotonic() - t0:.1f} s: "
        + ", ".join(f"{r['name']} {r['host']}:{r['port']} pid {r['pid']}" for r in hall.replicas)
    )
    client_server_pids[:] = hall.pids
    threads: tuple[int | None, str] = (None, "not checked")
    try:
        if not args.cold:
            # the teacher's warm-up, once per replica (each loads TensorFlow for
            # itself); through the balancer one browser would reach only one
            for replica in hall.replicas:
                print(f"  warm-up of {replica['name']}:")
                await warm_up(replica["port"])
        for i, n in enumerate(sizes):
            label = f"{setup}, {n}"
            wave = Wave(args, hall.port, n, label, args.seed + i, hall.pids, setup=setup)
            results.append(await wave.run())
            print_wave(results[-1])
        if not args.no_kill:
            victim = hall.replicas[0]
            n = sizes[0]
            kill = (victim["name"], victim["pid"], hall.state["stats_socket"])
            label = f"{setup}, {n}, {victim['name']} killed"
            wave = Wave(args, hall.port, n, label, args.seed, hall.pids, setup=setup, kill=kill)
            results.append(await wave.run())
            print_wave(results[-1])
        # a tab closed mid-training must stop by the idle timeout, on every replica
        await asyncio.sleep(IDLE_TIMEOUT + 5)
        threads = training_threads(hall.pids)
    finally:
        hall.stop()
    print_comparison(results)
    print("\n=== targets (lecture hall) ===")
    checks = hall_targets(results, threads)
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    print(f"  (load average {os.getloadavg()[0]:.2f} after the run)")
    if args.json:
        _write_json(args.json, results)
    return 0 if all(ok for _, ok in checks) else 1


def print_comparison(results: list[WaveStats]) -> None:
    """One row per wave, as a Markdown table (what README's lecture hall section shows)."""
    print("\n=== one process vs the lecture hall (same run, same mix of students) ===")
    print(
        "| setup | students | rerun p50 / p95 / max | page open p95 | errors "
        "| 4xx to uploads + downloads | server CPU (cores) | driver CPU | load avg |"
    )
    print("|---|---:|---|---:|---:|---|---:|---:|---:|")
    for s in results:
        lat = [x.latency for x in s.samples if x.ok]
        r = s.resources
        transfers = sum(s.http.values())
        what = s.setup + (f", {s.kill['replica']} killed" if s.kill else "")
        print(
            f"| {what} | {s.students} | {pct(lat, 50):.2f} / {pct(lat, 95):.2f} / "
            f"{max(lat, default=float('nan')):.2f} s | {pct(s.opens, 95):.2f} s "
            f"| {sum(s.errors.values())} | {_http_4xx(s)} of {transfers} "
            f"| {r['server_cores']:.2f} | {r['driver_cores']:.2f} | {r['load_avg']:.1f} |"
        )
    singles = {s.students: s for s in results if s.setup == "1 process"}
    for s in results:
        one = singles.get(s.students)
        if one is None or s is one or s.kill:
            continue
        ours = pct([x.latency for x in s.samples if x.ok], 95)
        theirs = pct([x.latency for x in one.samples if x.ok], 95)
        print(f"  {s.students} students: p95 {theirs:.2f} s -> {ours:.2f} s ({theirs / ours:.1f}x)")


def hall_targets(waves: list[WaveStats], threads: tuple[int | None, str]) -> list[tuple[str, bool]]:
    """Issue 16's targets: p95 by class size, no 4xx, a crash contained to its replica."""
    bounds = {120: 0.5, 200: 1.5}
    out = []
    for s in waves:
        if s.setup == "1 process":
            continue  # printed beside the hall for comparison; no target of its own
        lat = [x.latency for x in s.samples if x.ok]
        errors = sum(s.errors.values())
        bound = bounds.get(s.students)
        if s.kill:
            victims = set(s.kill["victims"])
            others = [x.latency for x in s.samples if x.ok and x.student not in victims]
            outside = sum(n for r, n in s.error_replicas.items() if r != s.kill["replica"])
            moved = {r[0] for r in s.reconnects if r[0] in victims}
            down = s.kill.get("down_after")
            out += [
                (
                    f"{s.label}: errors only on {s.kill['replica']}'s sessions "
                    f"({errors - outside} there, {outside} elsewhere)",
                    outside == 0,
                ),
                (
                    f"{s.label}: each of its {len(victims)} students reconnected ({len(moved)})",
                    bool(victims) and moved == victims,
                ),
                (
                    f"{s.label}: the others' p95 {pct(others, 95):.2f} s < 1.0 s",
                    bool(others) and pct(others, 95) < 1.0,
                ),
                (
                    f"{s.label}: HAProxy marked it DOWN within 5 s "
                    f"({'not seen' if down is None else f'{down:.1f} s'})",
                    down is not None and down < 5,
                ),
            ]
        elif bound is not None:
            zero = s.students == 120
            out.append(
                (
                    f"{s.label}: p95 {pct(lat, 95):.2f} s < {bound} s"
                    + (f" and 0 errors ({errors})" if zero else f" (errors: {errors})"),
                    pct(lat, 95) < bound and (errors == 0 or not zero),
                )
            )
        wrong = sum(s.misrouted.values())
        out.append(
            (
                f"{s.label}: every upload and download answered by the student's own replica "
                f"({wrong} of {s.routed} by another, X-Served-By against the session's replica)",
                wrong == 0 and s.routed > 0,
            )
        )
        same = next((o for o in waves if o.setup == "1 process" and o.students == s.students), None)
        beside = f"; one process, same class: {_http_4xx(same)}" if same is not None else ""
        if s.kill:
            # a transfer in flight to the killed replica fails (HAProxy answers 502): the
            # issue allows errors on that replica's sessions, none elsewhere
            victims = set(s.kill["victims"])
            theirs = sum(n for i, n in s.failed_by_student.items() if i in victims)
            elsewhere = sum(n for i, n in s.failed_by_student.items() if i not in victims)
            out.append(
                (
                    f"{s.label}: 0 failed uploads/downloads outside {s.kill['replica']}'s sessions "
                    f"({elsewhere}; on its sessions: {theirs}; {_fmt_http(s)})",
                    elsewhere == 0 and s.uploads + s.downloads > 0,
                )
            )
        else:
            failed = _http_4xx(s)
            out.append(
                (
                    f"{s.label}: 0 failed uploads/downloads ({failed}: {_fmt_http(s)}{beside})",
                    failed == 0 and s.uploads + s.downloads > 0,
                )
            )
        for name, ok, _ in s.faults:
            out.append((f"{s.label}: fault '{name}' handled", ok))
    count, how = threads
    out.append(
        (
            f"no training thread left on any replica: {'?' if count is None else count} ({how})",
            count == 0,
        )
    )
    return out


def _write_json(path: str, results: list[WaveStats]) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(
        json.dumps(
            [
                {
                    "label": s.label,
                    "setup": s.setup,
                    "students": s.students,
                    "latencies": [x.latency for x in s.samples],
                    "errors": dict(s.errors),
                    "http": {f"{k}:{c}": n for (k, c), n in s.http.items()},
                    "misrouted": {":".join(k): n for k, n in s.misrouted.items()},
                    "routed": s.routed,
                    "kill": s.kill,
                    "reconnects": s.reconnects,
                    "resources": s.resources,
                    "faults": s.faults,
                }
                for s in results
            ],
            indent=1,
        )
    )


def print_profile(out_dir: Path, top: int = 22) -> None:
    """The self-profiling server's summary (benchmarks/profile_server.py), once it stopped."""
    from benchmarks.profile_server import summary

    runs = out_dir / "runs.txt"
    print(f"\n=== profile ({out_dir}): {runs.read_text().strip() if runs.exists() else '?'} ===")
    for name, title in (("script.pstats", "script runs"), ("loop.pstats", "event loop")):
        if (out_dir / name).exists():
            print(summary(out_dir / name, title, top))


async def run_all(args) -> int:
    # every student's HTTP requests (cookies at open, uploads, downloads) run in
    # threads; asyncio's default pool has cores + 4, and 200 browsers would queue
    # behind 6 threads where real ones each have their own connections
    asyncio.get_running_loop().set_default_executor(
        concurrent.futures.ThreadPoolExecutor(max_workers=64, thread_name_prefix="student-http")
    )
    if args.hall:
        return await run_hall(args)
    sizes = [int(n) for n in (args.students or "10,30,60").split(",")]
    labels = [f"wave {i + 1}" for i in range(len(sizes))]
    if args.repeat_last and sizes:
        sizes.append(sizes[-1])
        labels.append(f"wave {len(sizes)} (again)")
    log = Path(args.server_log) if args.server_log else None
    extra = tuple(args.server_arg or ())
    launcher = ()
    if args.profile:
        launcher = (sys.executable, "-m", "benchmarks.profile_server", "--out", args.profile)
    server = AppServer(args.app, host=HOST, log_path=log, extra_args=extra, launcher=launcher)
    print(
        f"Starting: streamlit run {args.app} --server.port {server.port} (cwd {REPO_ROOT})"
        + (f" {' '.join(extra)}" if extra else "")
    )
    t0 = time.monotonic()
    server.start()
    client_server_pids[:] = [server.pid]
    print(
        f"  healthy after {time.monotonic() - t0:.1f} s, pid {server.pid}, "
        f"{psutil.cpu_count()} cores, think time uniform "
        f"{0.5 * args.think:g}-{1.5 * args.think:g} s, {args.duration:g} s per wave"
    )
    results = []
    try:
        if not args.cold:
            await warm_up(server.port)
        if args.profile:
            os.kill(server.pid, signal.SIGUSR1)  # profile the waves, not the warm-up
        for i, (n, label) in enumerate(zip(sizes, labels, strict=True)):
            wave = Wave(args, server.port, n, label, seed=args.seed + i, server_pids=[server.pid])
            stats = await wave.run()
            print_wave(stats)
            results.append(stats)
        # a tab closed mid-training must stop by the idle timeout
        await asyncio.sleep(IDLE_TIMEOUT + 5)
        threads = training_threads(server.pid)
        tracebacks = log.read_text(errors="replace").count("Traceback") if log else None
    finally:
        server.stop()
    if args.profile:
        print_profile(Path(args.profile))
    print("\n=== targets ===")
    checks = targets(results, threads)
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'MISS'}  {text}")
    if tracebacks is not None:
        print(f"  (server log {log}: {tracebacks} tracebacks)")
    if args.json:
        _write_json(args.json, results)
    return 0 if all(ok for _, ok in checks) else 1


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--students", help="class sizes, one wave each (default 10,30,60; --hall: 120,200)"
    )
    parser.add_argument("--duration", type=float, help="seconds per wave (default 60)")
    parser.add_argument("--think", type=float, default=5.0, help="mean think time (s)")
    parser.add_argument("--quick", action="store_true", help="5 students, 30 s, one wave")
    parser.add_argument("--no-faults", action="store_true", help="no hostile clients")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="no warm-up: the class meets the first page loads and TensorFlow's import",
    )
    parser.add_argument(
        "--no-repeat",
        dest="repeat_last",
        action="store_false",
        help="do not run the largest class a second time (the memory check needs it)",
    )
    parser.add_argument(
        "--no-trainers",
        dest="trainers",
        action="store_false",
        help="no pair of tabs keeping both training slots busy for a third of each wave",
    )
    parser.add_argument(
        "--hall",
        action="store_true",
        help="the lecture hall (make class) beside one process: each class size against "
        "both, then the first size again with a replica killed mid-wave",
    )
    parser.add_argument(
        "--replicas", type=int, default=0, help="--hall: app processes (0: one per core)"
    )
    parser.add_argument("--no-single", action="store_true", help="--hall: skip the one process")
    parser.add_argument("--no-kill", action="store_true", help="--hall: no replica killed")
    parser.add_argument("--app", default="streamlit_app.py")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--server-log", default="benchmarks/results/classroom_load_server.log")
    parser.add_argument(
        "--server-arg",
        action="append",
        help="extra streamlit flag for an A/B run, e.g. --server-arg=--runner.postScriptGC=false",
    )
    parser.add_argument("--json", help="also write the raw results here")
    parser.add_argument(
        "--profile",
        help="profile the (one-process) server with cProfile and write the profiles here",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.students, args.repeat_last = "5", False
    args.duration = args.duration or (30.0 if args.quick else 60.0)
    if args.server_log:
        Path(args.server_log).parent.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run_all(args))


if __name__ == "__main__":
    sys.exit(main())
