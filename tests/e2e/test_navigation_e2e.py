"""One student, one session: every page reached from every other page, twice.

The first walk keeps every setting at its default; then each page gets the
settings that stress the next one (a photo at its largest size, a 7x7 kernel,
stride 4, a drawn input, the largest receptive-field stack) and the walk runs
again. Pages are reached by clicking the navigation, never by URL, so what a
page leaves in the session and the query string reaches the next one.
"""

from __future__ import annotations

import itertools
import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import open_app, wait_idle
from tests.e2e.helpers import (
    choose,
    draw_stroke,
    pick_radio,
    set_number,
    sidebar,
    to_largest,
)

# navigation label -> the page's title
PAGES = {
    "Explore": "Explore a convolution",
    "Sliding window": "The sliding window",
    "Channels": "Channels",
    "Pooling": "Pooling",
    "Learn a kernel": "Learn a kernel",
    "Lessons (the book)": "Lessons: the book, cell by cell",
    "Receptive field": "Receptive field",
}


def every_ordered_pair(nodes: list[str]) -> list[str]:
    """A closed walk that takes each ordered pair (a, b), a != b, exactly once.

    The complete directed graph has in-degree = out-degree everywhere, so an
    Eulerian circuit exists (Hierholzer's algorithm): 42 clicks for 7 pages
    instead of 84 for "go to a, then to b" per pair.
    """
    unused = {a: [b for b in nodes if b != a] for a in nodes}
    stack, walk = [nodes[0]], []
    while stack:
        here = stack[-1]
        if unused[here]:
            stack.append(unused[here].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def test_the_walk_covers_every_ordered_pair_once():
    """The route itself: n(n - 1) distinct transitions, back where it started."""
    walk = every_ordered_pair(list(PAGES))
    pairs = list(itertools.pairwise(walk))
    assert len(pairs) == len(set(pairs)) == len(PAGES) * (len(PAGES) - 1)
    assert walk[0] == walk[-1]


def _go(page: Page, label: str) -> None:
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text(PAGES[label])
    wait_idle(page)  # fails on a traceback or the guard's sentence
    errors = page.locator("[data-testid=stAlertContentError]")
    assert errors.count() == 0, f"{label}: {errors.first.inner_text()}"


def _walk(page: Page) -> list[str]:
    walk = every_ordered_pair(list(PAGES))
    assert walk[0] == "Explore"
    for label in walk[1:]:
        _go(page, label)
    return walk


def _then_url_has(page: Page, *settings: str) -> None:
    """Wait until the URL carries the change before the next one (a busy server lags)."""
    for setting in settings:
        expect(page).to_have_url(re.compile(re.escape(setting)))
    wait_idle(page)


def _stress_every_page(page: Page) -> None:
    """Leave each page in the state most likely to break the next one."""
    side = sidebar(page)
    _go(page, "Explore")  # a photo at its largest size, a 7x7 kernel, stride 4
    pick_radio(page, "Sample", scope=side)
    wait_idle(page)
    choose(page, "Sample image", "Photo: cat", scope=side)
    _then_url_has(page, "sample=Photo")
    to_largest(page, "Longest side", scope=side)
    _then_url_has(page, "size=512")
    set_number(page, "Kernel rows", 7, scope=side)
    _then_url_has(page, "kernel=Custom")
    set_number(page, "Kernel columns", 7, scope=side)
    _then_url_has(page, "%3B" + "%2C".join(["0"] * 7))  # a row of seven zeros: 7 columns
    to_largest(page, "Stride (rows)", scope=side)
    _then_url_has(page, "stride_h=4")
    to_largest(page, "Stride (columns)", scope=side)
    _then_url_has(page, "stride_h=4", "stride_w=4", "size=512")
    _go(page, "Sliding window")  # a drawn input on the largest grid
    pick_radio(page, "Draw", scope=side)
    _then_url_has(page, "src=Draw")  # the grid opens at its largest, 16
    draw_stroke(page)
    # the canvas sends its drawing a moment after the stroke; a click on the
    # navigation before it arrives is undone by that late rerun of this page
    equation = page.get_by_test_id("window-equation")
    expect(equation).to_have_text(re.compile(r"(^|[ +])(0\.\d+|[1-9][\d.e-]*)×"))
    wait_idle(page)
    _go(page, "Channels")  # the largest photo with four output channels
    to_largest(page, "Output channels", scope=side)
    _then_url_has(page, "ch_outs=4")
    to_largest(page, "Longest side", scope=side)
    _then_url_has(page, "ch_size=64")
    _go(page, "Pooling")  # the largest window
    to_largest(page, "Window", scope=side)
    _then_url_has(page, "pool_window=5")
    _go(page, "Learn a kernel")
    to_largest(page, "Steps", scope=side)
    _then_url_has(page, "train_steps=")
    _go(page, "Receptive field")
    to_largest(page, "Input size")
    _then_url_has(page, "n=32")
    to_largest(page, "Number of layers")
    _then_url_has(page, "layers=")
    _go(page, "Lessons (the book)")
    page.get_by_role("tab").last.click()
    _then_url_has(page, "section=")
    _go(page, "Explore")


def test_every_page_from_every_page_with_defaults_then_changed_settings(page, app_url):
    """84 clicks through the navigation; no page shows an error, a traceback or the guard."""
    open_app(page, f"{app_url}/")
    walk = _walk(page)
    _stress_every_page(page)
    _walk(page)
    assert len(walk) == len(PAGES) * (len(PAGES) - 1) + 1
