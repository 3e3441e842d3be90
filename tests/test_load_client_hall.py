"""The load test's client behind the lecture hall's balancer: it keeps the affinity cookie
like a browser, so its uploads and downloads reach the replica holding its session.

Without that, the benchmark's "0 answers 4xx" would measure nothing: the last
test sends one upload with the other replica's cookie and must see it refused.
"""

from __future__ import annotations

import pytest

from benchmarks.streamlit_client import AFFINITY_COOKIE, REPO_ROOT, StreamlitClient
from tests.hall_support import Launch
from tests.test_load_client import run_async

PHOTO = ("cat.jpg", (REPO_ROOT / "assets" / "cat.jpg").read_bytes(), "image/jpeg")


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    hall = Launch(tmp_path_factory.mktemp("hall"), replicas=2)
    yield hall
    hall.cleanup()


async def _student(port: int) -> StreamlitClient:
    client = StreamlitClient("127.0.0.1", port, timeout=30)
    await client.open("explore")
    await client.rerun({"src": "Upload"})
    result = await client.upload("upload", *PHOTO)
    assert result.ok and not result.errors and not result.exceptions, result
    await client.press(client.widget("prepare_downloads"))  # Explore builds its files
    assert client.downloads
    for ref in client.downloads.values():
        await client.download(ref)
    return client


@pytest.mark.timeout(120)
def test_every_upload_and_download_lands_on_the_students_replica(hall):
    async def scenario():
        clients = [await _student(hall.port) for _ in range(4)]
        for client in clients:
            await client.close()
        return clients

    clients = run_async(scenario())
    assert {c.replica for c in clients} == {"r1", "r2"}  # the balancer spread them
    for client in clients:
        statuses = {code for (_, code) in client.http}
        assert statuses <= {200, 204}, client.http
        assert client.http[("upload", 204)] + client.http[("upload", 200)] == 1
        assert sum(n for (kind, _), n in client.http.items() if kind == "media") >= 3
        # and the balancer says each answer came from the replica the cookie names
        assert client.routed >= 4 and not client.misrouted, client.misrouted


@pytest.mark.timeout(120)
def test_a_request_with_the_other_replicas_cookie_is_refused(hall):
    """The negative control: what a client without affinity would hit now and then."""

    async def scenario():
        client = await _student(hall.port)
        try:
            client.cookies[AFFINITY_COOKIE] = "r2" if client.replica == "r1" else "r1"
            result = await client.upload("upload", *PHOTO)
            return client, result
        finally:
            await client.close()

    client, result = run_async(scenario())
    refused = [code for (kind, code), _ in client.http.items() if kind == "upload" and code >= 400]
    print(f"upload with the other replica's cookie: HTTP {refused}")
    assert refused, client.http
    assert result.errors and "upload refused" in result.errors[0]
    assert sum(client.misrouted.values()) == 1  # the benchmark's misrouting count sees it
