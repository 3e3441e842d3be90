"""Real-browser fixtures: one Streamlit server per test session, Debian's Chromium.

In CI (CI=true) a missing browser fails the run; on a laptop without
Chromium the browser tests skip with the reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from views.common import fallback_errors

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"


def _chromium() -> str | None:
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pytest_configure(config):
    from playwright.sync_api import expect

    # a rerun on 2 busy cores can take seconds; expectations retry until this
    expect.set_options(timeout=30_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = _chromium()
    if path is None:
        message = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}: browser tests cannot run in CI without it.")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> str:
    """Start the app exactly as the README does, on a free loopback port.

    E2E_APP_URL points the tests at a server that is already running instead
    (handy while developing a page).
    """
    if os.environ.get("E2E_APP_URL"):
        yield os.environ["E2E_APP_URL"].rstrip("/")
        return
    port = _free_port()
    log = (tmp_path_factory.mktemp("server") / "streamlit.log").open("w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.fail(f"Streamlit did not start; see {log.name}")
        time.sleep(0.2)
    yield url
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    log.close()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context per test; a full-page screenshot is saved after it."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    SCREENSHOTS.mkdir(exist_ok=True)
    try:
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def open_app(page, url: str) -> None:
    """Go to a URL and wait until the first script run has drawn the page and finished.

    The "not running" marker is also there before the first run starts, so
    wait for the page's title (every page has one) before trusting it.
    """
    page.goto(url)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=60_000)
    wait_idle(page)


def wait_idle(page) -> None:
    """Wait for Streamlit's own 'not running' marker (what its e2e suite waits on).

    Then fail if the page crashed: a traceback element, or the guard's plain
    sentence that hides one from students (a test must never pass on it).
    """
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)
    assert_not_crashed(page)


def assert_not_crashed(page) -> None:
    crashed = page.locator("[data-testid=stException]")
    for sentence in sorted(fallback_errors()):  # the guard's sentence, English or Chinese
        crashed = crashed.or_(page.get_by_text(sentence))
    if crashed.count():
        raise AssertionError(
            f"{page.url} crashed: {crashed.first.inner_text()[:300]!r} (see the server log)"
        )
