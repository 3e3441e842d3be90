"""deploy/hall.py, the launcher behind `make class` and `make stop`: what it starts, what each
replica gets, and that every way of stopping it leaves nothing running.

The replicas run a tiny Streamlit script instead of the playground (the same
``streamlit run`` and flags, a few seconds faster to start): this file tests
the launcher, the browser tests in tests/e2e/test_lecture_hall_e2e.py the app.
"""

from __future__ import annotations

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
    healthy,
    read_state,
    trainings_per_replica,
    usable_cores,
)
from deploy.haproxy_config import server_states
from tests.hall_support import ROOT, Launch, alive, environ, free_port, wait_until

TINY_APP = 'import streamlit as st\nst.write("tiny")\n'


def test_trainings_are_split_between_replicas_at_least_one_each():
    assert trainings_per_replica(2, 2) == 1
    assert trainings_per_replica(2, 1) == 2
    assert trainings_per_replica(8, 3) == 2
    assert trainings_per_replica(2, 4) == 1  # more replicas than cores: never 0


@pytest.fixture
def launch(tmp_path):
    started = []

    def start(**kwargs) -> Launch:
        base = tmp_path / f"n{len(started)}"
        base.mkdir()
        app = base / "tiny_app.py"
        app.write_text(TINY_APP)
        hall = Launch(base, app=str(app), **kwargs)
        started.append(hall)
        return hall

    yield start
    for hall in started:
        hall.cleanup()


def test_replicas_share_a_secret_split_the_trainings_and_ctrl_c_stops_all(launch):
    hall = launch(replicas=2)
    replicas = hall.replicas()
    assert len(replicas) == 2 and {r["host"] for r in replicas} == {"127.0.0.1"}
    envs = [environ(r["pid"]) for r in replicas]
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
    one = environ(first.replicas()[0]["pid"])[SECRET_ENV]
    two = environ(second.replicas()[0]["pid"])[SECRET_ENV]
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
    assert healthy(f"http://127.0.0.1:{hall.port}/_stcore/health")
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
    assert all(alive(pid) for pid in hall.pids)
    assert json.loads((hall.run_dir / "state.json").read_text())["launcher"] == hall.proc.pid
