"""Small Playwright helpers for Streamlit widgets (no fixed sleeps)."""

from __future__ import annotations

from playwright.sync_api import Page, expect


def sidebar(page: Page):
    return page.locator("[data-testid=stSidebar]")


def choose(page: Page, label: str, option: str, *, scope=None) -> None:
    """Pick an option in the selectbox whose label is ``label``."""
    box = (scope or page).locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()


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


def draw_stroke(page: Page) -> None:
    """Draw a diagonal stroke on the sidebar's drawing canvas."""
    canvas = sidebar(page).locator("canvas.upper-canvas")
    # the canvas mounts small and takes its 240x240 size a moment later: a
    # stroke aimed before that misses it (seen as 238x36 in about half the runs)
    expect(canvas).to_have_css("height", "240px")
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 40)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 40 + step * 20, box["y"] + 40 + step * 20, steps=2)
    page.mouse.up()
