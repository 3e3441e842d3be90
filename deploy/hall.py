"""A lecture hall on one machine: N app replicas on loopback ports, HAProxy in front.

``make class`` runs ``python -m deploy.hall --port PORT [--replicas N]``:

1. picks a cookie secret for this run (or takes ``STREAMLIT_SERVER_COOKIE_SECRET``
   from the environment, which several machines must share) and hands it to
   every replica through the environment, never the command line (``ps``
   would show it) and never a file in the repo;
2. starts N ``streamlit run streamlit_app.py`` processes (default: one per
   core) on free ports of 127.0.0.1, each with
   ``PLAYGROUND_MAX_TRAININGS = max(1, cores // N)`` so the replicas together
   train no more runs at once than the machine has cores;
3. writes ``haproxy.cfg`` (deploy/haproxy_config.py) into the run directory,
   checks it with ``haproxy -c`` and runs HAProxy in the foreground on PORT;
4. waits. Ctrl-C (SIGINT), SIGTERM, SIGHUP or ``make stop`` (``python -m
   deploy.hall stop``, which signals this process through the state file)
   stops every process it started. Each child runs in a process group of its
   own, so the whole group is signalled, and asks the kernel for SIGTERM
   should the launcher itself die (PR_SET_PDEATHSIG): nothing is left running.

A replica that dies is reported and left out by HAProxy's health checks;
its students' browsers reconnect to a live replica. The launcher ends (exit
1) when HAProxy dies or no replica is left.

Only the standard library, so ``make stop`` works without the app's venv.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from deploy.haproxy_config import HEALTH_PATH, Replica, render

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RUN_DIR = REPO_ROOT / ".hall"
STATE_FILE = "state.json"
SECRET_ENV = "STREAMLIT_SERVER_COOKIE_SECRET"
TRAININGS_ENV = "PLAYGROUND_MAX_TRAININGS"  # read by playground.training.max_trainings_setting
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
_PR_SET_PDEATHSIG = 1


class Stop(Exception):
    """A stop signal arrived: unwind to the cleanup."""


def find_haproxy() -> str | None:
    """HAProxy's binary: on PATH, or where Debian puts it (/usr/sbin is not on every PATH)."""
    found = shutil.which("haproxy")
    if found:
        return found
    for candidate in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def usable_cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    with contextlib.suppress(AttributeError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def trainings_per_replica(cores: int, replicas: int) -> int:
    """Concurrent trainings each replica allows: the cores split between them, at least 1."""
    return max(1, cores // max(1, replicas))


def free_ports(host: str, count: int) -> list[int]:
    """``count`` distinct ports free on ``host`` now (held open together so none repeats)."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            sockets.append(sock)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for sock in sockets:
            sock.close()


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def _child_setup() -> None:  # pragma: no cover - runs in the forked child
    # SIGTERM to this child if the launcher dies without cleaning up (SIGKILL,
    # OOM): the replicas must not outlive it. Linux only; elsewhere the
    # process group and `make stop` still cover it.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@dataclass
class Child:
    role: str  # "replica" or "haproxy"
    name: str
    proc: subprocess.Popen
    host: str = ""
    port: int = 0
    reported: bool = False  # its exit was already announced

    def as_state(self) -> dict:
        return {
            "role": self.role,
            "name": self.name,
            "pid": self.proc.pid,
            "host": self.host,
            "port": self.port,
        }


def say(text: str) -> None:
    print(f"[hall] {text}", flush=True)


class Hall:
    """N replicas plus HAProxy; ``start``, ``watch`` and ``stop`` (always call stop)."""

    def __init__(
        self,
        replicas: int,
        port: int,
        *,
        bind: str = "*",
        run_dir: Path = DEFAULT_RUN_DIR,
        app: str = "streamlit_app.py",
        cores: int | None = None,
        python: str = sys.executable,
    ):
        if replicas < 1:
            raise ValueError("at least one replica is needed")
        self.n, self.port, self.bind = replicas, port, bind
        self.run_dir = Path(run_dir)
        self.app, self.python = app, python
        self.cores = cores or usable_cores()
        self.children: list[Child] = []
        self.config_path = self.run_dir / "haproxy.cfg"
        self.state_path = self.run_dir / STATE_FILE
        self.stats_socket = self.run_dir / "haproxy.sock"
        self._wrote_state = False  # a refused second launch must not remove the first's

    # ------------------------------------------------------------------ start

    def start(self, timeout: float = 180.0) -> None:
        haproxy = find_haproxy()
        if haproxy is None:
            raise RuntimeError(
                "haproxy is not installed: run scripts/ensure_haproxy.sh as root, "
                "or apt-get install haproxy"
            )
        self.run_dir.mkdir(parents=True, exist_ok=True)
        running = read_state(self.run_dir)
        if running and _alive(running.get("launcher", 0)):
            raise RuntimeError(
                f"a lecture hall from {self.run_dir} is already running (launcher pid "
                f"{running['launcher']}); stop it first: make stop"
            )
        env = dict(os.environ)
        if not env.get(SECRET_ENV):
            env[SECRET_ENV] = secrets.token_hex(32)  # this run only; never written down
        env[TRAININGS_ENV] = str(trainings_per_replica(self.cores, self.n))
        host = "127.0.0.1"
        ports = free_ports(host, self.n)
        say(
            f"starting {self.n} replica(s) on {host} ports {ports}, "
            f"{env[TRAININGS_ENV]} training(s) at once each ({self.cores} cores)"
        )
        for i, port in enumerate(ports):
            log = (self.run_dir / f"r{i + 1}.log").open("wb")
            cmd = [
                self.python,
                *("-m", "streamlit", "run", self.app),
                *("--server.port", str(port), "--server.address", host),
                *("--server.headless", "true"),
            ]
            proc = subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,  # so .streamlit/config.toml applies, as with `make app`
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: Ctrl-C reaches only us
                preexec_fn=_child_setup,  # prctl only; no threads started yet
            )
            log.close()  # the child holds its own copy
            self.children.append(Child("replica", f"r{i + 1}", proc, host, port))
        self._write_state()  # `make stop` can already find the replicas
        self._wait_replicas(timeout)
        replicas = [Replica(c.name, c.host, c.port) for c in self.replicas]
        self.config_path.write_text(
            render(replicas, port=self.port, bind=self.bind, stats_socket=str(self.stats_socket))
        )
        check = subprocess.run(
            [haproxy, "-c", "-q", "-f", str(self.config_path)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise RuntimeError(f"haproxy rejected {self.config_path}:\n{check.stderr}")
        proc = subprocess.Popen(
            [haproxy, "-db", "-f", str(self.config_path)],
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            preexec_fn=_child_setup,
        )
        self.children.append(Child("haproxy", "haproxy", proc, self.bind, self.port))
        self._write_state()
        front = "127.0.0.1" if self.bind in ("*", "0.0.0.0", "") else self.bind
        deadline = time.monotonic() + 30
        while not healthy(f"http://{front}:{self.port}{HEALTH_PATH}"):
            if proc.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {proc.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"haproxy did not answer on port {self.port} within 30 s")
            time.sleep(0.2)
        where = "every interface" if front == "127.0.0.1" and self.bind != front else self.bind
        say(
            f"ready: http://<this machine's address>:{self.port} ({where}); "
            f"here: http://{front}:{self.port}. Ctrl-C or `make stop` ends it. "
            f"Logs and haproxy.cfg in {self.run_dir}"
        )

    @property
    def replicas(self) -> list[Child]:
        return [c for c in self.children if c.role == "replica"]

    def _wait_replicas(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        waiting = list(self.replicas)
        while waiting:
            for child in list(waiting):
                if child.proc.poll() is not None:
                    raise RuntimeError(
                        f"replica {child.name} exited with code {child.proc.returncode}; "
                        f"see {self.run_dir / (child.name + '.log')}"
                    )
                if healthy(f"http://{child.host}:{child.port}{HEALTH_PATH}"):
                    where = f"{child.host}:{child.port}"
                    say(f"replica {child.name} up on {where}, pid {child.proc.pid}")
                    waiting.remove(child)
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"replicas {[c.name for c in waiting]} not healthy in time")
            time.sleep(0.25)

    def _write_state(self) -> None:
        state = {
            "launcher": os.getpid(),
            "port": self.port,
            "bind": self.bind,
            "config": str(self.config_path),
            "stats_socket": str(self.stats_socket),
            "processes": [c.as_state() for c in self.children],
        }
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1))
        tmp.replace(self.state_path)  # a reader never sees half a file
        self._wrote_state = True

    # ------------------------------------------------------------------ run

    def watch(self, poll: float = 0.5) -> int:
        """Until a stop signal (raises Stop) or until nothing can serve (returns 1)."""
        while True:
            for child in self.children:
                code = child.proc.poll()
                if code is None or child.reported:
                    continue
                child.reported = True
                if child.role == "haproxy":
                    say(f"haproxy exited with code {code}: stopping the replicas")
                    return 1
                say(
                    f"replica {child.name} ({child.host}:{child.port}) exited with code {code}; "
                    "HAProxy sends its students to the others"
                )
            if all(c.proc.poll() is not None for c in self.replicas):
                say("no replica left: stopping")
                return 1
            time.sleep(poll)

    # ------------------------------------------------------------------ stop

    def stop(self, grace: float = 10.0) -> None:
        """SIGTERM every child's process group, SIGKILL what is left after ``grace`` s."""
        for child in self.children:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for child in self.children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(max(0.1, deadline - time.monotonic()))
        for child in self.children:
            # also when the leader is gone: a member of its group may be left
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child.proc.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.proc.wait(5)
        if self._wrote_state:
            with contextlib.suppress(FileNotFoundError):
                self.state_path.unlink()
        if self.children:
            say(f"stopped {len(self.children)} process(es)")
        self.children = []


# ---------------------------------------------------------------------- `stop` from another shell


def read_state(run_dir: Path) -> dict | None:
    try:
        return json.loads((Path(run_dir) / STATE_FILE).read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    with contextlib.suppress(OSError):  # a zombie is not running
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    return True


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _ours(pid: int, marker: str) -> bool:
    """Still the process the state file names (a pid can be reused after a reboot)."""
    cmdline = _cmdline(pid)
    return _alive(pid) and (not cmdline or marker in cmdline)


def stop_running(run_dir: Path = DEFAULT_RUN_DIR, timeout: float = 30.0) -> int:
    """Stop the hall recorded in ``run_dir``: the launcher first, then anything it left."""
    state = read_state(run_dir)
    if state is None:
        print(f"No lecture hall running from {run_dir} (no {STATE_FILE}).")
        return 0
    launcher = int(state.get("launcher", 0))
    if _ours(launcher, "deploy.hall"):
        os.kill(launcher, signal.SIGTERM)  # it stops its children itself
        deadline = time.monotonic() + timeout
        while _alive(launcher) and time.monotonic() < deadline:
            time.sleep(0.2)
    stopped = 0
    for entry in state.get("processes", []):
        pid = int(entry["pid"])
        marker = "haproxy" if entry["role"] == "haproxy" else "streamlit"
        if not _ours(pid, marker):
            continue
        stopped += 1
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(FileNotFoundError):
        (Path(run_dir) / STATE_FILE).unlink()
    print(
        f"Stopped the lecture hall from {run_dir} (launcher pid {launcher}"
        + (f"; {stopped} leftover process(es) ended" if stopped else "")
        + ")."
    )
    return 0


# ---------------------------------------------------------------------- main


def _raise_stop(signum, _frame) -> None:
    raise Stop(signal.Signals(signum).name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", default="run", choices=("run", "stop"))
    parser.add_argument("--replicas", type=int, default=0, help="app processes (0: one per core)")
    parser.add_argument("--port", type=int, default=8501, help="where students connect")
    parser.add_argument("--bind", default="*", help="HAProxy's listen address (* = all)")
    parser.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR)
    parser.add_argument("--app", default="streamlit_app.py")
    args = parser.parse_args(argv)
    if args.command == "stop":
        return stop_running(args.run_dir)
    hall = Hall(
        args.replicas or usable_cores(),
        args.port,
        bind=args.bind,
        run_dir=args.run_dir,
        app=args.app,
    )
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_stop)
    code = 0
    try:
        hall.start()
        code = hall.watch()
    except Stop as exc:
        say(f"{exc}: stopping")
    except (RuntimeError, ValueError, OSError) as exc:
        say(f"error: {exc}")
        code = 1
    finally:
        # a second Ctrl-C must not cut the cleanup short (it is bounded anyway)
        for signum in STOP_SIGNALS:
            signal.signal(signum, signal.SIG_IGN)
        hall.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
