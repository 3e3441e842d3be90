"""deploy/haproxy_config.py: the replica list, the generated text, HAProxy's own check of it,
and a live HAProxy in front of two stand-in "hosts" (127.0.0.2 and 127.0.0.3: all of
127/8 is loopback on Linux) to show the affinity, redispatch and health-check settings
do what the config's comments promise.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import subprocess
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.haproxy_config import (
    COOKIE,
    HEALTH_PATH,
    SERVED_BY,
    Replica,
    main,
    parse_replica,
    parse_replicas,
    render,
    server_states,
)
from tests.hall_support import free_port, require_haproxy, wait_until

# ----------------------------------------------------------------- the replica list


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("127.0.0.1:8501", Replica("r1", "127.0.0.1", 8501)),
        ("lab-pc-3.local:8080", Replica("r1", "lab-pc-3.local", 8080)),
        ("front=10.0.0.5:8501", Replica("front", "10.0.0.5", 8501)),
        ("[::1]:8502", Replica("r1", "[::1]", 8502)),
    ],
)
def test_parse_replica_accepts_hosts_names_and_ipv6(entry, expected):
    assert parse_replica(entry, "r1") == expected


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("127.0.0.1", "host:port"),
        ("127.0.0.1:", "host:port"),
        (":8501", "host:port"),
        ("127.0.0.1:http", "host:port"),
        ("127.0.0.1:70000", "1-65535"),
        ("bad host:8501", "not a host"),
        ("two words=127.0.0.1:8501", "name"),
    ],
)
def test_parse_replica_names_the_bad_entry(entry, message):
    with pytest.raises(ValueError, match=message):
        parse_replica(entry, "r1")


def test_parse_replicas_numbers_unnamed_ones_and_refuses_repeats():
    replicas = parse_replicas(["a:1", "b=b:2", "c:3"])
    assert [r.name for r in replicas] == ["r1", "b", "r3"]
    with pytest.raises(ValueError, match="unique"):
        parse_replicas(["x=a:1", "x=b:2"])
    with pytest.raises(ValueError, match="twice"):
        parse_replicas(["a:1", "a:1"])
    with pytest.raises(ValueError, match="at least one"):
        parse_replicas([])


# ----------------------------------------------------------------- the text


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()]


def test_render_has_the_settings_the_hall_relies_on():
    replicas = parse_replicas(["10.0.0.5:8501", "10.0.0.6:8501", "10.0.0.7:9000"])
    lines = _lines(render(replicas, port=8080))
    # affinity by an inserted cookie, kept from the app and from shared caches
    assert any(line.startswith(f"cookie {COOKIE} insert indirect nocache") for line in lines), lines
    assert "balance roundrobin" in lines
    assert "option redispatch" in lines
    assert f"option httpchk GET {HEALTH_PATH}" in lines
    assert "http-check expect status 200" in lines
    assert "timeout tunnel 1h" in lines  # WebSockets outlive the HTTP timeouts
    assert "bind *:8080" in lines
    servers = [line for line in lines if line.startswith("server ")]
    assert servers == [
        "server r1 10.0.0.5:8501 check cookie r1",
        "server r2 10.0.0.6:8501 check cookie r2",
        "server r3 10.0.0.7:9000 check cookie r3",
    ]
    # down after 3 missed checks a second apart: "within a few seconds"
    (defaults,) = [line for line in lines if line.startswith("default-server")]
    assert "inter 1000ms" in defaults and "fall 3" in defaults
    # never source-IP affinity: a class behind one NAT would all share a replica
    assert not any("balance source" in line or "hash-type" in line for line in lines)


def test_render_refuses_nothing_to_balance_and_bad_ports():
    with pytest.raises(ValueError):
        render([], port=8080)
    with pytest.raises(ValueError):
        render([Replica("r1", "h", 1)], port=0)


def test_cli_writes_the_same_text(tmp_path, capsys):
    out = tmp_path / "haproxy.cfg"
    assert main(["--port", "8090", "-o", str(out), "a:1", "b:2"]) == 0
    assert out.read_text() == render(parse_replicas(["a:1", "b:2"]), port=8090)
    assert main(["--port", "8090", "a:1", "b:2"]) == 0
    assert capsys.readouterr().out == out.read_text()


@pytest.mark.parametrize(
    "entries",
    [
        ["127.0.0.1:8501"],
        ["10.0.0.5:8501", "10.0.0.6:8501", "localhost:8501"],  # names resolve at start
        ["a=[::1]:8501", "b=127.0.0.1:8502"],
    ],
)
def test_haproxy_accepts_the_generated_config(tmp_path, entries):
    haproxy = require_haproxy()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(
        render(
            parse_replicas(entries),
            port=free_port(),
            bind="127.0.0.1",
            stats_socket=str(tmp_path / "s.sock"),
        )
    )
    check = subprocess.run([haproxy, "-c", "-f", str(cfg)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    # a warning is a setting HAProxy ignores or will stop accepting
    assert "WARNING" not in check.stdout + check.stderr, check.stdout + check.stderr


# ----------------------------------------------------------------- live, two stand-in hosts


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # HAProxy's health checks close their connection early; not worth a traceback
        pass


class _StandIn:
    """A tiny HTTP server on its own loopback address that says which "host" it is."""

    def __init__(self, name: str, host: str):
        self.name = name
        self.cookies_seen: list[str] = []
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                stand_in.cookies_seen.append(self.headers.get("Cookie", ""))
                body = stand_in.name.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # quiet test output
                pass

        try:
            self.server = _QuietServer((host, 0), Handler)
        except OSError:  # no 127.0.0.2 here (not Linux): ports alone stand in for hosts
            self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.host, self.port = self.server.server_address[:2]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Browser:
    """A cookie jar and an opener: what a browser does with HAProxy's cookie."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url: str) -> str:
        with self.opener.open(url, timeout=5) as response:
            body = response.read().decode()
            # the balancer names the replica that answered: the one that did
            assert response.headers[SERVED_BY] == body, dict(response.headers)
            return body

    def replica_cookie(self) -> str | None:
        return next((c.value for c in self.jar if c.name == COOKIE), None)


@pytest.fixture
def balanced(tmp_path):
    haproxy = require_haproxy()
    hosts = [_StandIn("alpha", "127.0.0.2"), _StandIn("beta", "127.0.0.3")]
    port = free_port()
    sock = tmp_path / "haproxy.sock"
    entries = [f"{h.name}={h.host}:{h.port}" for h in hosts]
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(
        render(parse_replicas(entries), port=port, bind="127.0.0.1", stats_socket=str(sock))
    )
    proc = subprocess.Popen(
        [haproxy, "-db", "-f", str(cfg)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:

        def both_up():
            with contextlib.suppress(OSError):
                states = server_states(str(sock))
                return states if all(s.startswith("UP") for s in states.values()) else None

        wait_until(both_up, 20, "HAProxy reporting both stand-ins UP")
        yield f"http://127.0.0.1:{port}", hosts, str(sock)
    finally:
        proc.terminate()
        proc.wait(10)
        for host in hosts:
            with contextlib.suppress(Exception):
                host.stop()


def test_each_browser_sticks_to_its_host_and_new_ones_spread(balanced):
    url, hosts, _ = balanced
    browsers = [_Browser() for _ in range(4)]
    first = [b.get(f"{url}/") for b in browsers]
    # round robin over fresh browsers: both hosts get students
    assert set(first) == {"alpha", "beta"}, first
    for browser, where in zip(browsers, first, strict=True):
        assert browser.replica_cookie() == where
        assert {browser.get(f"{url}/media/x.png") for _ in range(10)} == {where}
    # `indirect`: the app never sees the balancer's cookie
    assert not any(COOKIE in seen for host in hosts for seen in host.cookies_seen)


def test_a_dead_host_is_marked_down_and_its_browsers_move(balanced):
    url, hosts, sock = balanced
    browser = _Browser()
    home = browser.get(f"{url}/")
    dead = next(h for h in hosts if h.name == home)
    alive = next(h for h in hosts if h.name != home)
    dead.stop()
    killed = time.monotonic()
    # the very next request already lands on the live host (retries + redispatch),
    # before the health checks have caught up, and the cookie now names it
    assert browser.get(f"{url}/") == alive.name
    assert browser.replica_cookie() == alive.name
    wait_until(
        lambda: server_states(sock).get(dead.name, "").startswith("DOWN"),
        15,
        f"HAProxy marking {dead.name} DOWN",
    )
    took = time.monotonic() - killed
    print(f"{dead.name} marked DOWN {took:.1f} s after it stopped")  # shown with -s
    # fresh browsers all go to the live host now
    assert {_Browser().get(f"{url}/") for _ in range(4)} == {alive.name}
