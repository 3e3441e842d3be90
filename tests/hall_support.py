"""Shared by the lecture hall tests: HAProxy's binary (fail in CI, skip elsewhere) and ports."""

from __future__ import annotations

import os
import socket
import time
import urllib.request

import pytest

from deploy.hall import find_haproxy


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


def get_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False
