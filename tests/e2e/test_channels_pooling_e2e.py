"""The Channels and Pooling pages in a real browser: hover an output cell, read its arithmetic."""

from __future__ import annotations

import re
from urllib.parse import quote

from playwright.sync_api import expect

from tests.e2e.conftest import open_app

BOOK_SOURCE = quote("The book's 2 channels")  # a bound radio's link carries its label


def _hover_cell(page, chart, cell: tuple[int, int], shape: tuple[int, int]) -> str:
    """Hover cell (row, col) of a Plotly grid of ``shape`` and return its hover label."""
    chart.scroll_into_view_if_needed()
    area = chart.locator(".nsewdrag").first
    expect(area).to_be_visible()
    box = area.bounding_box()
    (i, j), (h, w) = cell, shape
    page.mouse.move(
        box["x"] + (j + 0.5) * box["width"] / w, box["y"] + (i + 0.5) * box["height"] / h
    )
    label = chart.locator(".hoverlayer .hovertext")
    expect(label).to_be_visible()
    return label.text_content()  # an SVG group: no inner_text


def _chart(page, title: str):
    return (
        page.locator("[data-testid=stMain] [data-testid=stPlotlyChart]")
        .filter(has=page.locator(".gtitle", has_text=re.compile(f"^{re.escape(title)}$")))
        .first
    )


def test_pooling_hover_writes_the_windows_max(page, app_url):
    """The book's 0..8 with 2x2 max, stride 1: hovering cell (1, 1) reads max(4, 5, 7, 8) = 8."""
    open_app(page, f"{app_url}/pooling")
    expect(page.get_by_test_id("pool-equation")).to_have_text("max(0, 1, 3, 4) = 4")
    text = _hover_cell(page, _chart(page, "Output"), (1, 1), (2, 2))
    assert "max(4, 5, 7, 8) = 8" in text


def test_channels_hover_writes_the_sum_across_channels(page, app_url):
    """The book's two channels: hovering output cell (0, 1) reads 25 + 47 = 72."""
    open_app(page, f"{app_url}/channels?ch_src={BOOK_SOURCE}")
    expect(page.get_by_test_id("ch-sum")).to_have_text("channel 1: 19 + channel 2: 37 + b 0 = 56")
    text = _hover_cell(page, _chart(page, "Sum + b = channel 1"), (0, 1), (2, 2))
    assert "channel 1: 25 + channel 2: 47 + b 0 = 72" in text
    expect(page.get_by_test_id("ch-shapes")).to_contain_text("(2, 2, 2, 1)")
