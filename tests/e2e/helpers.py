"""Small Playwright helpers for Streamlit widgets (no fixed sleeps)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import open_app, wait_idle


def sidebar(page: Page):
    return page.locator("[data-testid=stSidebar]")


def choose(page: Page, label: str, option: str, *, scope=None, attempts: int = 10) -> None:
    """Pick an option in the selectbox whose label is ``label``.

    A rerun that is still arriving (a component settling, another widget's change) can
    redraw the select and close its list as it opens; a student would open it again, so
    this does too, up to ``attempts`` times, instead of waiting 30 s for a list that is gone.
    """
    box = (scope or page).locator("[data-testid=stSelectbox]").filter(has_text=label).first
    choice = page.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        box.click()
        try:
            choice.click(timeout=3_000)
            return
        except PlaywrightTimeoutError:
            # no Escape here: inside a popover it would close the popover too
            if attempt == attempts - 1:
                raise


def pick_radio(page: Page, option: str, *, scope=None) -> None:
    (scope or page).locator("[data-testid=stRadio] label").filter(has_text=option).first.click()


def nudge_slider(page: Page, label: str, presses: int, *, scope=None) -> None:
    """Move a slider by keyboard: ArrowRight for positive presses, ArrowLeft for negative."""
    slider = (scope or page).locator("[data-testid=stSlider]").filter(has_text=label).first
    thumb = slider.get_by_role("slider")
    thumb.focus()
    key = "ArrowRight" if presses > 0 else "ArrowLeft"
    for _ in range(abs(presses)):
        thumb.press(key)


def expect_shape(page: Page, shape: tuple[int, int]) -> None:
    """Explore's line above the pictures reads "Input h×w → output {shape}"."""
    line = page.locator("[data-testid=stMain] h3").filter(
        has_text=f"→ output {shape[0]}×{shape[1]}"
    )
    expect(line).to_be_visible(timeout=30_000)


def to_largest(page: Page, label: str, *, scope=None) -> None:
    """Move a slider to its largest value (the End key)."""
    slider = (scope or page).locator("[data-testid=stSlider]").filter(has_text=label).first
    thumb = slider.get_by_role("slider")
    thumb.focus()
    thumb.press("End")


def set_number(page: Page, label: str, value: float, *, scope=None) -> None:
    """Type a value into the number input whose label is ``label`` and confirm it."""
    box = (scope or page).locator("[data-testid=stNumberInput]").filter(has_text=label).first
    field = box.locator("input")
    field.fill(str(value))
    field.press("Enter")


DRAW_CANVAS = "[data-testid=draw-canvas-grid]"


def drawing_canvas(page: Page, *, scope=None):
    """The drawing component's grid canvas (in the sidebar unless ``scope`` says otherwise)."""
    return (scope or sidebar(page)).locator(DRAW_CANVAS)


def draw_stroke(page: Page, *, scope=None, start=(0.15, 0.15), end=(0.85, 0.85)) -> None:
    """Draw a stroke with real mouse events on the drawing canvas (fractions of its box)."""
    canvas = drawing_canvas(page, scope=scope)
    expect(canvas).to_have_css("height", "240px")
    box = canvas.bounding_box()
    (x0, y0), (x1, y1) = start, end
    page.mouse.move(box["x"] + x0 * box["width"], box["y"] + y0 * box["height"])
    page.mouse.down()
    for step in range(1, 11):
        t = step / 10
        page.mouse.move(
            box["x"] + (x0 + (x1 - x0) * t) * box["width"],
            box["y"] + (y0 + (y1 - y0) * t) * box["height"],
            steps=2,
        )
    page.mouse.up()


VIEW = "[data-testid=conv-view]"  # the convolution view's root (in its shadow root)


def output_legend(page: Page):
    """The sentence under the view's output colour bar."""
    return page.locator(f"{VIEW} [data-testid=legend-output]")


def open_view(page: Page, url: str):
    """Open ``url`` and wait for the convolution view's output and an idle page."""
    open_app(page, url)
    view = page.locator(VIEW)
    expect(view.locator(".cv-panel-output canvas.cv-overlay")).to_be_visible(timeout=60_000)
    wait_idle(page)
    return view
