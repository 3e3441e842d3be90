"""Explore's padding and stride on the convolution view: drawn at once, then Python follows.

A change on the view is drawn by the browser from its own arithmetic
(``data-provisional`` on the view's root) before any rerun; Python's rerun then
moves the sidebar's controls and the link to match and sends conv2d's output.
"""

from __future__ import annotations

import re
import urllib.parse

import numpy as np
from playwright.sync_api import expect

import playground
from playground.trace import format_number, trace_cell
from tests.e2e.conftest import wait_idle
from tests.e2e.helpers import choose, expect_shape, open_view, sidebar

BARS = playground.load_sample("book_bars")  # Explore's first input (6x8) with the kernel [1, -1]
EDGE = np.array([[1.0, -1.0]], np.float32)

# One evaluate: move the view's rows-stride control to 2 and read the view at once, in the
# same task, before any answer from Python can have arrived.
CHANGE_AND_READ = """
([value, axis = "rows"]) => {
  const host = [...document.querySelectorAll("[data-testid=stMain] div")]
    .find((el) => el.shadowRoot && el.shadowRoot.querySelector("[data-testid=conv-view]"));
  const root = host.shadowRoot.querySelector("[data-testid=conv-view]");
  const slider = root.querySelector(`.cv-stride[data-axis=${axis}]`);
  slider.value = String(value);
  slider.dispatchEvent(new Event("input", {bubbles: true}));
  return {provisional: root.dataset.provisional || null,
          shape: root.querySelector(".cv-panel-output .cv-stage").dataset.shape,
          shown: slider.parentElement.querySelector(".cv-stride-value").textContent,
          equation: root.querySelector("[data-testid=conv-readout]").dataset.equation || null};
}
"""


def _sidebar_padding(page):
    return sidebar(page).get_by_role("combobox", name="Padding")


def _settled(view) -> None:
    expect(view).not_to_have_attribute("data-provisional", re.compile(".*"), timeout=30_000)


def test_a_stride_on_the_view_is_drawn_at_once_then_the_sidebar_and_link_follow(page, app_url):
    view = open_view(page, f"{app_url}/")
    expected = playground.conv2d(BARS, EDGE, strides=(2, 1))
    seen = page.evaluate(CHANGE_AND_READ, [2])
    assert seen == {
        "provisional": "1",
        "shape": f"{expected.shape[0]}x{expected.shape[1]}",
        "shown": "2",
        "equation": None,
    }
    _settled(view)
    slider = sidebar(page).locator("[data-testid=stSlider]").filter(has_text="Stride (rows)")
    expect(slider.get_by_role("slider")).to_have_value("2")
    expect_shape(page, expected.shape)
    assert "stride_h=2" in page.url
    # the arithmetic of a cell under the new stride is trace_cell's
    overlay = view.locator(".cv-panel-output canvas.cv-overlay")
    box = overlay.bounding_box()
    page.mouse.move(box["x"] + 4.5 * box["width"] / 7, box["y"] + 1.5 * box["height"] / 3)
    trace = trace_cell(BARS, EDGE, (1, 4), strides=(2, 1))
    readout = view.locator("[data-testid=conv-readout]")
    expect(readout).to_have_attribute("data-equation", trace.equation())
    expect(readout).to_have_attribute("data-value", format_number(trace.value))


def test_quick_presses_and_a_padding_click_end_on_the_last_choice(page, app_url):
    """Three stride keys in a burst and then "full": answers to the earlier presses never win."""
    view = open_view(page, f"{app_url}/")
    stride = view.locator(".cv-stride[data-axis=rows]")
    stride.focus()
    for _ in range(3):
        stride.press("ArrowRight")
    view.locator(".cv-segment[data-padding=full]").click()
    expected = playground.conv2d(BARS, EDGE, strides=(4, 1), padding="full")
    expect(view.locator(".cv-panel-output .cv-stage")).to_have_attribute(
        "data-shape", f"{expected.shape[0]}x{expected.shape[1]}"
    )
    _settled(view)
    wait_idle(page)
    expect_shape(page, expected.shape)
    expect(view.locator(".cv-segment[data-padding=full]")).to_have_attribute("aria-pressed", "true")
    expect(view.locator(".cv-stride-value").first).to_have_text("4")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(page.url).query)
    assert query["pad"] == ["full"] and query["stride_h"] == ["4"]
    expect(_sidebar_padding(page)).to_have_value("full")
    expect(view.locator(".cv-panel-input .cv-title")).to_have_text(
        "Input (padding hatched, input outlined)"
    )


def test_a_padding_with_no_output_is_said_in_a_sentence(page, app_url):
    """A 2x2 input under a 3x3 kernel fits only with padding: "valid" leaves no output."""
    query = urllib.parse.urlencode(
        {"src": "Type numbers", "matrix": "1 2\n3 4", "k": "1,0,0;0,1,0;0,0,1", "pad": "same"}
    )
    view = open_view(page, f"{app_url}/?{query}")
    expect(view.locator(".cv-segment[data-padding=same]")).to_have_attribute("aria-pressed", "true")
    view.locator(".cv-segment[data-padding=valid]").click()
    warning = page.locator("[data-testid=stAlert]").filter(has_text="This setting has no output.")
    expect(warning).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    expect(_sidebar_padding(page)).to_have_value("valid")


def test_a_sidebar_change_in_the_same_moment_still_ends_in_step(page, app_url):
    """The view's stride and, at once, the sidebar's padding: whichever answer comes last,
    the view ends showing both (an answer it held back is drawn within a few seconds)."""
    view = open_view(page, f"{app_url}/")
    stride = view.locator(".cv-stride[data-axis=rows]")
    stride.focus()
    stride.press("ArrowRight")
    # the rerun the view's change asked for can close the select's list as it opens:
    # choose opens it again until "full" can be picked
    choose(page, "Padding", "full", scope=sidebar(page))
    expected = playground.conv2d(BARS, EDGE, strides=(2, 1), padding="full")
    expect(view.locator(".cv-segment[data-padding=full]")).to_have_attribute(
        "aria-pressed", "true", timeout=30_000
    )
    expect(view.locator(".cv-panel-output .cv-stage")).to_have_attribute(
        "data-shape", f"{expected.shape[0]}x{expected.shape[1]}"
    )
    _settled(view)
    expect_shape(page, expected.shape)
    expect(view.locator(".cv-stride-value").first).to_have_text("2")


def test_a_hovered_cell_the_new_output_lacks_is_let_go(page, app_url):
    """Hovering the last column (6) of the 6x7 output, a column stride of 2 leaves 4 columns:
    the readout goes back to its hint instead of tracing a window off the input."""
    view = open_view(page, f"{app_url}/")
    overlay = view.locator(".cv-panel-output canvas.cv-overlay")
    box = overlay.bounding_box()
    page.mouse.move(box["x"] + 6.5 * box["width"] / 7, box["y"] + 0.5 * box["height"] / 6)
    readout = view.locator("[data-testid=conv-readout]")
    expect(readout).to_have_attribute("data-col", "6")
    seen = page.evaluate(CHANGE_AND_READ, [2, "cols"])
    assert seen["shape"] == "6x4" and seen["equation"] is None
    expect(readout.locator(".cv-hint")).to_be_visible()
