"""deploy/hall.py, the launcher behind `make class` and `make stop`: what it starts, what each
replica gets, and that every way of stopping it leaves nothing running.

The replicas run a tiny Streamlit script instead of the playground (the same
``streamlit run`` and flags, a few seconds faster to start): this file tests
the launcher, the browser tests in tests/e2e/test_lecture_hall_e2e.py the app.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from deploy.hall import (
    SECRET_ENV,
    TRAININGS_ENV,
    read_state,
    trainings_per_replica,
    usable_cores,
)
from deploy.haproxy_config import server_states
from tests.hall_support import free_port, get_ok, require_haproxy, wait_until

ROOT = Path(__file__).resolve().parents[1]
TINY_APP = 'import streamlit as st\nst.write("tiny")\n'


def test_trainings_are_split_between_replicas_at_least_one_each():
    assert trainings_per_replica(2, 2) == 1
    assert trainings_per_replica(2, 1) == 2
    assert trainings_per_replica(8, 3) == 2
    assert trainings_per_replica(2, 4) == 1  # more replicas than cores: never 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # a zombie (exited, not reaped yet) is not running anything
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[0] == "Z")


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


class Launch:
    """``python -m deploy.hall`` as `make class` runs it, in a session of its own."""

    def __init__(self, tmp_path: Path, replicas: int = 2, env: dict | None = None):
        require_haproxy()
        tmp_path.mkdir(parents=True, exist_ok=True)
        self.run_dir = tmp_path / "hall"
        self.port = free_port()
        app = tmp_path / "tiny_app.py"
        app.write_text(TINY_APP)
        self.log = (tmp_path / "launcher.log").open("w+")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                *("-m", "deploy.hall", "--replicas", str(replicas), "--port", str(self.port)),
                *("--bind", "127.0.0.1", "--run-dir", str(self.run_dir), "--app", str(app)),
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # signals from the test reach the launcher alone
        )
        self.state = wait_until(self._ready, 120, f"the hall ready; log:\n{self.output}")
        self.pids = [p["pid"] for p in self.state["processes"]]

    def _ready(self):
        if self.proc.poll() is not None:
            pytest.fail(f"launcher exited with {self.proc.returncode}:\n{self.output}")
        state = read_state(self.run_dir)
        started = state and any(p["role"] == "haproxy" for p in state["processes"])
        if started and get_ok(f"http://127.0.0.1:{self.port}/_stcore/health"):
            return state
        return None

    @property
    def output(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text()

    def replicas(self) -> list[dict]:
        return [p for p in self.state["processes"] if p["role"] == "replica"]

    def assert_nothing_left(self, timeout: float = 30) -> None:
        wait_until(
            lambda: not any(_alive(pid) for pid in self.pids),
            timeout,
            f"every process gone ({[p for p in self.pids if _alive(p)]} alive)",
        )

    def cleanup(self) -> None:
        for pid in [self.proc.pid, *self.pids]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.log.close()


@pytest.fixture
def launch(tmp_path):
    started = []

    def start(**kwargs) -> Launch:
        hall = Launch(tmp_path / f"n{len(started)}", **kwargs)
        started.append(hall)
        return hall

    yield start
    for hall in started:
        hall.cleanup()


def test_replicas_share_a_secret_split_the_trainings_and_ctrl_c_stops_all(launch):
    hall = launch(replicas=2)
    replicas = hall.replicas()
    assert len(replicas) == 2 and {r["host"] for r in replicas} == {"127.0.0.1"}
    envs = [_environ(r["pid"]) for r in replicas]
    secret = envs[0][SECRET_ENV]
    assert len(secret) >= 32 and envs[1][SECRET_ENV] == secret  # the same on every replica
    expected = str(trainings_per_replica(usable_cores(), 2))
    assert [e[TRAININGS_ENV] for e in envs] == [expected, expected]
    # the secret is in no command line (ps shows those) and in no file of the run
    for pid in hall.pids:
        assert secret not in Path(f"/proc/{pid}/cmdline").read_text()
    for path in hall.run_dir.iterdir():
        if path.is_file():
            assert secret not in path.read_text(errors="replace"), path
    states = server_states(hall.state["stats_socket"])
    assert sorted(states) == ["r1", "r2"]
    # one Ctrl-C: SIGINT to the launcher
    hall.proc.send_signal(signal.SIGINT)
    assert hall.proc.wait(30) == 0, hall.output
    hall.assert_nothing_left()
    assert read_state(hall.run_dir) is None
    assert "stopped 3 process(es)" in hall.output


def test_each_run_has_its_own_secret_unless_the_environment_sets_one(launch, tmp_path):
    first = launch(replicas=1)
    second = launch(replicas=1, env={SECRET_ENV: "shared-by-every-machine-of-this-class-0123"})
    one = _environ(first.replicas()[0]["pid"])[SECRET_ENV]
    two = _environ(second.replicas()[0]["pid"])[SECRET_ENV]
    assert two == "shared-by-every-machine-of-this-class-0123"
    assert one != two


def test_stop_command_from_another_shell_stops_everything(launch):
    hall = launch(replicas=2)
    stop = subprocess.run(
        [sys.executable, "-m", "deploy.hall", "stop", "--run-dir", str(hall.run_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert "Stopped the lecture hall" in stop.stdout
    assert hall.proc.wait(30) == 0
    hall.assert_nothing_left()
    # a second `make stop` finds nothing and says so
    again = subprocess.run(
        [sys.executable, "-m", "deploy.hall", "stop", "--run-dir", str(hall.run_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert again.returncode == 0 and "No lecture hall running" in again.stdout


def test_a_dead_replica_leaves_the_hall_serving_and_a_killed_launcher_leaves_nothing(launch):
    hall = launch(replicas=2)
    victim = hall.replicas()[0]
    os.kill(victim["pid"], signal.SIGKILL)
    wait_until(
        lambda: f"replica {victim['name']}" in hall.output and "exited" in hall.output,
        15,
        "the launcher reporting the dead replica",
    )
    assert hall.proc.poll() is None  # still running: the other replica serves
    assert get_ok(f"http://127.0.0.1:{hall.port}/_stcore/health")
    # the launcher itself killed (no cleanup possible): the kernel's parent-death
    # signal ends its children anyway
    os.kill(hall.proc.pid, signal.SIGKILL)
    hall.proc.wait(10)
    hall.assert_nothing_left()


def test_a_second_launch_into_a_running_hall_is_refused(launch, tmp_path):
    hall = launch(replicas=1)
    again = subprocess.run(
        [
            sys.executable,
            *("-m", "deploy.hall", "--replicas", "1", "--port", str(free_port())),
            *("--bind", "127.0.0.1", "--run-dir", str(hall.run_dir)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 1
    assert "already running" in again.stdout
    # and the refusal stopped nothing of the running hall
    assert all(_alive(pid) for pid in hall.pids)
    assert json.loads((hall.run_dir / "state.json").read_text())["launcher"] == hall.proc.pid
