"""The load test's protocol client against a real server (benchmarks/streamlit_client.py).

One ``streamlit run streamlit_app.py`` on a free loopback port, started the
way the README starts it; the client opens Explore, moves a slider and must
see the rerun finish with the new output and no exception box.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re

import pytest

from benchmarks.streamlit_client import AppServer, StreamlitClient

SHAPE = re.compile(r"output (\d+)×(\d+)")


@pytest.fixture(scope="module")
def server():
    with AppServer("streamlit_app.py") as srv:
        yield srv


def run_async(coroutine):
    """asyncio.run in a thread of its own.

    Playwright's sync API (the browser tests, whose session fixture may still
    be open) keeps an event loop running in the main thread, and asyncio.run
    refuses to start inside a running loop.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _output_shape(client: StreamlitClient) -> tuple[int, int]:
    match = SHAPE.search(client.page_text())
    assert match, client.page_text()
    return int(match.group(1)), int(match.group(2))


@pytest.mark.timeout(60)
def test_open_change_a_slider_and_see_the_rerun_finish(server):
    """Explore opens, stride 2 halves the output's rows, and no run shows an exception."""

    async def scenario():
        client = StreamlitClient(server.host, server.port, timeout=30)
        try:
            opened = await client.open("explore")
            rows, cols = _output_shape(client)
            changed = await client.rerun({"stride_h": 2})
            return opened, (rows, cols), changed, _output_shape(client), client
        finally:
            await client.close()

    opened, before, changed, after, client = run_async(scenario())
    assert opened.ok and changed.ok, (opened.problem, changed.problem)
    assert not opened.exceptions and not changed.exceptions
    assert not opened.errors and not changed.errors
    assert client.session_id and "stride_h" in client.widgets
    assert after == ((before[0] + 1) // 2, before[1])
    assert 0 < changed.latency < 30
    # as in the browser, the stride lives in a fragment of Explore and reruns only it
    assert changed.fragment_id and not opened.fragment_id


def test_unknown_widget_key_names_what_the_page_has(server):
    """Changing a key the page does not have fails before anything is sent."""

    async def scenario():
        client = StreamlitClient(server.host, server.port, timeout=30)
        try:
            await client.open("explore")
            with pytest.raises(KeyError, match="stride_h"):
                await client.rerun({"no_such_key": 1})
            with pytest.raises(ValueError, match="not an option"):
                await client.rerun({"pad": "sideways"})
        finally:
            await client.close()

    run_async(scenario())


def test_a_download_button_click_fetches_its_file(server):
    """Explore's "Prepare downloads", then a GET of each button's /media/... file (200)."""

    async def scenario():
        client = StreamlitClient(server.host, server.port, timeout=30)
        try:
            await client.open("explore")
            assert not client.downloads  # built on request, for the settings shown
            prepared = await client.press(client.widget("prepare_downloads"))
            assert prepared.ok and not prepared.exceptions, prepared
            statuses = [await client.download(ref) for ref in client.downloads.values()]
            return client, statuses
        finally:
            await client.close()

    client, statuses = run_async(scenario())
    assert len(statuses) >= 3 and set(statuses) == {200}, statuses
    assert client.http == {("media", 200): len(statuses)}
