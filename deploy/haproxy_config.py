"""HAProxy configuration for a lecture hall: one balancer in front of several app replicas.

The replica list is all it needs, as ``host:port`` entries (``name=host:port``
to name one), so the same generator serves replicas on this machine
(``make class``) and replicas on other machines::

    python -m deploy.haproxy_config --port 80 10.0.0.5:8501 10.0.0.6:8501 > haproxy.cfg
    haproxy -c -f haproxy.cfg && haproxy -f haproxy.cfg

Why each setting is there:

- Affinity by an inserted cookie, not by client address: a classroom usually
  shares one public IP, so source hashing would put everyone on one replica.
  Streamlit keeps session state, uploaded files and media (downloads) in the
  process that served the page; a request that lands elsewhere gets a 4xx.
  ``indirect`` keeps the cookie away from the app; ``nocache`` stops a shared
  cache from handing one student's cookie to another.
- ``option redispatch`` and ``retries``: when the cookie's replica is down or
  refuses the connection, the request goes to a live one (and HAProxy sets a
  new cookie), so a browser whose replica died reconnects elsewhere.
- Health checks on ``/_stcore/health`` every second, down after 3 misses: a
  dead replica refuses the connection at once and leaves the rotation within
  about 3 s (measured 1-1.5 s). The check may take 10 s: the health answer
  waits behind the replica's event loop, which a saturated replica (or a
  machine busy with something else) can hold for seconds; taking a busy but
  live replica out would send its students' uploads and downloads to a
  replica without their session, and with every replica busy HAProxy would
  answer 503 to everyone (both seen with 3 s and 2 misses on a shared
  machine at load average 15).
- ``timeout tunnel``: an upgraded WebSocket is quiet while a student thinks;
  the ordinary client/server timeouts would cut it after 30 s.
- Every answer names the replica that gave it (``X-Served-By: r1``): the load
  test checks each upload and download against the student's cookie with it,
  and a teacher can see it in the browser's network tab. The names are the
  config's own (r1, r2, ...), nothing about the machines.

Only the standard library: ``make stop`` and the tests import this without
the app's virtual environment.
"""

from __future__ import annotations

import argparse
import csv
import re
import socket
import sys
from dataclasses import dataclass

COOKIE = "PLAYGROUND_REPLICA"
SERVED_BY = "X-Served-By"  # response header naming the replica that answered
HEALTH_PATH = "/_stcore/health"
_NAME_RE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_HOST_RE = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)$")


@dataclass(frozen=True)
class Replica:
    """One app process the balancer sends students to."""

    name: str
    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"


def parse_replica(entry: str, default_name: str) -> Replica:
    """``host:port`` or ``name=host:port`` (IPv6 as ``[::1]:8501``) -> Replica.

    Raises ValueError with the offending entry: a typo in a teacher's list
    must not become a config HAProxy rejects with a less readable message.
    """
    name, sep, rest = entry.strip().partition("=")
    if not sep:
        name, rest = default_name, entry.strip()
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ValueError(f"replica {entry!r}: expected host:port or name=host:port")
    if not 1 <= int(port) <= 65535:
        raise ValueError(f"replica {entry!r}: port {port} is not in 1-65535")
    if not _HOST_RE.match(host):
        raise ValueError(f"replica {entry!r}: {host!r} is not a host name or address")
    if not _NAME_RE.match(name):
        raise ValueError(f"replica {entry!r}: name {name!r} must be 1-32 of A-Z a-z 0-9 _ . -")
    return Replica(name, host, int(port))


def parse_replicas(entries: list[str]) -> list[Replica]:
    """Replicas named r1, r2, ... unless an entry names itself; names must be unique."""
    replicas = [parse_replica(e, f"r{i + 1}") for i, e in enumerate(entries)]
    if not replicas:
        raise ValueError("at least one replica is needed")
    names = [r.name for r in replicas]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"replica names must be unique; repeated: {dupes}")
    addresses = [r.address for r in replicas]
    if len(set(addresses)) != len(addresses):
        raise ValueError(f"a replica address is listed twice: {addresses}")
    return replicas


def render(
    replicas: list[Replica],
    *,
    port: int,
    bind: str = "*",
    maxconn: int = 4000,
    check_interval_ms: int = 1000,
    fall: int = 3,
    rise: int = 2,
    stats_socket: str | None = None,
) -> str:
    """The whole haproxy.cfg text for these replicas, listening on ``bind:port``."""
    if not replicas:
        raise ValueError("at least one replica is needed")
    if not 1 <= port <= 65535:
        raise ValueError(f"port {port} is not in 1-65535")
    # read-only admin socket: `show servers state` says which replica is up
    # (the launcher's log and the tests read it; nothing listens on the network)
    stats = f"    stats socket {stats_socket} mode 600 level user\n" if stats_socket else ""
    servers = "\n".join(f"    server {r.name} {r.address} check cookie {r.name}" for r in replicas)
    return f"""\
# Generated by deploy/haproxy_config.py (Convolution Playground lecture hall).
# Regenerate instead of editing: python -m deploy.haproxy_config --help
global
    maxconn {maxconn}
    # server up/down events reach the launcher's terminal; per-request logs
    # (info level) are filtered out
    log stdout format raw local0 notice
{stats}
defaults
    mode http
    log global
    option httplog
    option dontlog-normal
    option forwardfor
    option redispatch
    retries 3
    timeout connect 3s
    timeout client 60s
    timeout server 60s
    timeout http-request 15s
    timeout http-keep-alive 15s
    # an upgraded WebSocket idles while a student thinks: keep it for the lesson
    timeout tunnel 1h
    timeout client-fin 30s
    timeout check 10s

frontend playground
    bind {bind}:{port}
    maxconn {maxconn}
    default_backend replicas

backend replicas
    balance roundrobin
    cookie {COOKIE} insert indirect nocache httponly attr "SameSite=Lax"
    option httpchk GET {HEALTH_PATH}
    http-check expect status 200
    http-response set-header {SERVED_BY} %[srv_name]
    default-server inter {check_interval_ms}ms fastinter 500ms downinter 2s fall {fall} rise {rise}
{servers}
"""


def server_states(stats_socket: str, backend: str = "replicas", timeout: float = 2.0) -> dict:
    """{server name: status} from HAProxy's admin socket ("UP", "DOWN", "UP 1/2", ...).

    Raises OSError when the socket does not answer.
    """
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(stats_socket)
        sock.sendall(b"show stat\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    lines = b"".join(chunks).decode().lstrip("# ").splitlines()
    rows = csv.DictReader(line for line in lines if line.strip())
    return {
        row["svname"]: row["status"]
        for row in rows
        if row["pxname"] == backend and row["svname"] not in ("FRONTEND", "BACKEND")
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("replicas", nargs="+", help="host:port or name=host:port, one per replica")
    parser.add_argument("--port", type=int, default=8501, help="where students connect")
    parser.add_argument("--bind", default="*", help="address to listen on (* = every interface)")
    parser.add_argument("--stats-socket", help="path of a read-only HAProxy admin socket")
    parser.add_argument("-o", "--output", help="write here instead of standard output")
    args = parser.parse_args(argv)
    try:
        text = render(
            parse_replicas(args.replicas),
            port=args.port,
            bind=args.bind,
            stats_socket=args.stats_socket,
        )
    except ValueError as exc:
        parser.error(str(exc))
    if args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
