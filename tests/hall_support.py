"""Shared by the lecture hall tests: HAProxy (fail in CI, skip elsewhere), ports, the launcher."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deploy.hall import find_haproxy, healthy, read_state

ROOT = Path(__file__).resolve().parents[1]


def require_haproxy() -> str:
    """HAProxy's path; without it the test fails in CI (CI=true) and skips on a laptop."""
    path = find_haproxy()
    if path is None:
        message = "HAProxy is not installed (scripts/ensure_haproxy.sh or apt-get install haproxy)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: the lecture hall tests cannot run in CI without it.")
        pytest.skip(message)
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, interval: float = 0.1):
    """Poll ``predicate`` until it returns something truthy; after ``timeout`` fail."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {timeout:g} s")
        time.sleep(interval)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    # a zombie (exited, not reaped yet) is not running anything
    return not (stat.exists() and stat.read_text().rpartition(")")[2].split()[0] == "Z")


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


class Launch:
    """``python -m deploy.hall`` as `make class` runs it, in a session of its own."""

    def __init__(
        self,
        tmp_path: Path,
        replicas: int = 2,
        env: dict | None = None,
        app: str = "streamlit_app.py",
        timeout: float = 120,
    ):
        require_haproxy()
        self.run_dir = tmp_path / "hall"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
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
        self.pids: list[int] = []
        try:
            self.state = wait_until(self._ready, timeout, "the hall ready")
        except BaseException:  # pytest.fail too: never leave a half-started hall behind
            self.cleanup()
            raise
        self.pids = [p["pid"] for p in self.state["processes"]]

    def _ready(self):
        if self.proc.poll() is not None:
            pytest.fail(f"launcher exited with {self.proc.returncode}:\n{self.output}")
        state = read_state(self.run_dir)
        started = state and any(p["role"] == "haproxy" for p in state["processes"])
        if started and healthy(f"http://127.0.0.1:{self.port}/_stcore/health"):
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
            lambda: not any(alive(pid) for pid in self.pids),
            timeout,
            f"every process gone ({[p for p in self.pids if alive(p)]} alive)",
        )

    def cleanup(self) -> None:
        """Stop it as Ctrl-C would; SIGKILL whatever is still there after 30 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(30)
        state = read_state(self.run_dir) or {}
        pids = {p["pid"] for p in state.get("processes", [])} | set(self.pids)
        for pid in [self.proc.pid, *pids]:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(10)
        self.log.close()
