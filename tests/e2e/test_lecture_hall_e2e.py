"""The lecture hall in a real browser: two replicas of the app behind HAProxy, started by
deploy/hall.py as `make class` starts it (on free loopback ports).

Two browser contexts are two students: each lands on its own replica (the
balancer's cookie says which), uploads its own picture and sees its own
output; an upload is a PUT that must reach the replica holding the session.
Then one replica is killed: its student's browser reconnects through the
balancer to the live one and gets a working page with no error box (its
uploaded picture is gone with the dead process: the page asks for one), while
the other student notices nothing.
"""

from __future__ import annotations

import os
import re
import signal
import time

import pytest
from playwright.sync_api import expect

from deploy.haproxy_config import COOKIE
from tests.e2e.conftest import SCREENSHOTS, open_app
from tests.e2e.helpers import nudge_slider, sidebar
from tests.e2e.test_explore_e2e import _photo_png, _upload
from tests.hall_support import Launch, wait_until

FALLBACK = "Something went wrong"
# 900x600 scales to 43x64 and 600x900 to 64x43 (64 px on the longer side)
LANDSCAPE = ("wide.png", _photo_png(900, 600), "Input 43×64 → output 43×63")
PORTRAIT = ("tall.png", _photo_png(600, 900), "Input 64×43 → output 64×42")


@pytest.fixture(scope="module")
def hall(tmp_path_factory, chromium_path):
    # chromium_path first: without a browser there is no point starting the replicas
    hall = Launch(tmp_path_factory.mktemp("hall"), replicas=2)
    yield hall
    hall.cleanup()


def _replica_of(context) -> str | None:
    return next((c["value"] for c in context.cookies() if c["name"] == COOKIE), None)


def _students_on_both_replicas(browser, hall, url: str) -> dict:
    """{replica name: (context, page)}: fresh contexts until each replica has one.

    Round robin alternates for fresh browsers, but other requests (health
    probes) take turns too, so two in a row may share a replica.
    """
    found, spare = {}, []
    for _ in range(6):
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        open_app(page, url)
        name = _replica_of(context)
        if name and name not in found:
            found[name] = (context, page)
        else:
            spare.append(context)
        if len(found) == 2:
            break
    for context in spare:
        context.close()
    assert sorted(found) == ["r1", "r2"], f"students only on {sorted(found)}"
    return found


def _no_error_box(page) -> None:
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(page.get_by_text(FALLBACK)).to_have_count(0)


def test_two_students_on_two_replicas_upload_and_see_their_own_output(browser, hall):
    students = _students_on_both_replicas(browser, hall, f"{hall.url}/?src=Upload")
    try:
        (ctx1, page1), (ctx2, page2) = students["r1"], students["r2"]
        for page, (name, data, _) in ((page1, LANDSCAPE), (page2, PORTRAIT)):
            _upload(page, name, data)
        for page, mine, theirs in ((page1, LANDSCAPE, PORTRAIT), (page2, PORTRAIT, LANDSCAPE)):
            expect(page.get_by_text(mine[2])).to_be_visible(timeout=30_000)
            expect(page.get_by_text(theirs[2])).to_have_count(0)
            _no_error_box(page)
            # a refused upload (PUT landing on the other replica) shows in the uploader
            expect(page.locator("[data-testid=stFileUploaderFileErrorMessage]")).to_have_count(0)
        # each stayed on its replica the whole time
        assert (_replica_of(ctx1), _replica_of(ctx2)) == ("r1", "r2")
    finally:
        for context, _ in students.values():
            context.close()


def test_a_killed_replicas_student_recovers_on_the_other_and_the_other_notices_nothing(
    browser, hall
):
    students = _students_on_both_replicas(browser, hall, f"{hall.url}/?src=Upload")
    try:
        (victim_ctx, victim), (other_ctx, other) = students["r1"], students["r2"]
        # both mid-lesson: a picture uploaded (kept only in its replica's memory)
        for page, (name, data, shown) in ((victim, LANDSCAPE), (other, PORTRAIT)):
            _upload(page, name, data)
            expect(page.get_by_text(shown)).to_be_visible(timeout=30_000)
        pid = next(p["pid"] for p in hall.replicas() if p["name"] == "r1")
        os.kill(pid, signal.SIGKILL)  # a crash, not a clean shutdown
        killed = time.monotonic()
        # the browser notices the closed socket, reconnects through the balancer
        # (redispatch to r2): the balancer cookie now names r2
        wait_until(lambda: _replica_of(victim_ctx) == "r2", 45, "the victim's cookie naming r2")
        print(f"victim's browser on r2 {time.monotonic() - killed:.1f} s after the kill")
        expect(victim.locator("[data-testid=stMain] h1").first).to_be_visible(timeout=30_000)
        # Streamlit's frontend reruns nothing on reconnect: the old page stays
        # until the next change, which runs on r2 with the browser's widget
        # values; the uploaded picture lived in r1's memory, so the page asks for
        # one in its own words (an info line, not an error)
        nudge_slider(victim, "Stride (rows)", 1, scope=sidebar(victim))
        expect(victim.get_by_text("Choose an image file to start.")).to_be_visible()
        _no_error_box(victim)
        expect(victim.get_by_text(re.compile("Connection error", re.I))).to_have_count(0)
        # uploading again works: the PUT reaches r2, where the new session lives
        _upload(victim, *LANDSCAPE[:2])
        expect(victim.get_by_text("Input 43×64 → output 22×63")).to_be_visible()
        _no_error_box(victim)
        SCREENSHOTS.mkdir(exist_ok=True)
        victim.screenshot(path=str(SCREENSHOTS / "lecture_hall_victim_recovered.png"))
        # the other student: same page, still working, never moved
        nudge_slider(other, "Stride (columns)", 1, scope=sidebar(other))
        expect(other.get_by_text("Input 64×43 → output 64×21")).to_be_visible()
        _no_error_box(other)
        assert _replica_of(other_ctx) == "r2"
    finally:
        for context, _ in students.values():
            context.close()
