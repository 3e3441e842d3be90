"""Where a rerun's CPU goes: ``streamlit run`` with cProfile inside (py-spy is not installed).

    python -m benchmarks.profile_server --out benchmarks/results/profile \\
        run streamlit_app.py --server.port 8700 --server.headless true

then drive it (``python -m benchmarks.classroom_load --profile`` does both) and
stop it with SIGTERM; SIGUSR1 starts the profiles afresh (after a warm-up).
Both profiles count each thread's CPU time (``time.thread_time``), not wall
time, so a thread waiting for the GIL, a lock or a socket adds nothing. They
are written to ``--out`` when the server stops:

- ``script.pstats``: every script run, each profiled in the thread that runs
  it (``ScriptRunner._run_script`` wrapped; cProfile follows one thread);
- ``loop.pstats``: the main thread, Streamlit's event loop (websocket I/O,
  ForwardMsg serialisation, session bookkeeping).

cProfile slows pure-Python code more than C code, so read the shares, not the
milliseconds, and compare them with an unprofiled run's server CPU per run.
"""

from __future__ import annotations

import atexit
import cProfile
import io
import pstats
import signal
import sys
import threading
import time
from pathlib import Path

_lock = threading.Lock()
_profiles: dict[int, cProfile.Profile] = {}  # by thread ident; idents are reused
_runs = [0, 0.0]  # script runs profiled, their wall time (s)
_loop: list[cProfile.Profile] = []  # the main thread's profile (replaced on SIGUSR1)


def _new_profile() -> cProfile.Profile:
    return cProfile.Profile(time.thread_time)  # CPU time of the calling thread


def _install_script_profiler() -> None:
    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):
        ident = threading.get_ident()
        with _lock:
            prof = _profiles.setdefault(ident, _new_profile())
        start = time.perf_counter()
        prof.enable()
        try:
            return original(self, rerun_data)
        finally:
            prof.disable()
            with _lock:
                _runs[0] += 1
                _runs[1] += time.perf_counter() - start

    script_runner.ScriptRunner._run_script = profiled


def summary(path: Path, title: str, top: int = 25) -> str:
    """The ``top`` entries by own time and by cumulative time, as text."""
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    out.write(f"\n=== {title}: {stats.total_tt:.1f} s of profiled CPU ===\n")
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def _reset(_signum=None, _frame=None) -> None:
    """Forget what was profiled so far (runs in the main thread, as signal handlers do)."""
    with _lock:
        _profiles.clear()  # a script thread in mid-run keeps its own, now unlisted
        _runs[:] = [0, 0.0]
    if _loop:
        _loop[0].disable()
    _loop[:] = [_new_profile()]
    _loop[0].enable()


def _dump(out_dir: Path) -> None:
    loop = _loop[0]
    loop.disable()
    out_dir.mkdir(parents=True, exist_ok=True)
    loop.dump_stats(out_dir / "loop.pstats")
    with _lock:
        profiles = list(_profiles.values())
        runs, wall = _runs
    if profiles:
        combined = pstats.Stats(profiles[0])
        for prof in profiles[1:]:
            combined.add(prof)
        combined.dump_stats(out_dir / "script.pstats")
    (out_dir / "runs.txt").write_text(f"{runs} script runs, {wall:.2f} s wall inside them\n")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "--out":
        raise SystemExit(__doc__)
    out_dir, streamlit_args = Path(argv[1]), argv[2:]
    _install_script_profiler()
    atexit.register(_dump, out_dir)
    signal.signal(signal.SIGUSR1, _reset)
    _reset()
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


if __name__ == "__main__":
    main()
