"""Sliding window, Learn and Lessons in a real browser."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from playground.book.lessons import LESSONS
from tests.e2e.conftest import open_app
from tests.e2e.helpers import nudge_slider, sidebar

STEP_1 = "0×0 + 1×1 + 3×2 + 4×3 = 19"
STEP_2 = "1×0 + 2×1 + 4×2 + 5×3 = 25"
STEP_4 = "4×0 + 5×1 + 7×2 + 8×3 = 43"


def _main(page):
    return page.locator("[data-testid=stMain]")


def test_window_next_three_times_then_click_a_cell(page, app_url):
    """Scenario 5: Next x3 moves the arithmetic and window; clicking an output cell jumps."""
    open_app(page, f"{app_url}/window")
    main = _main(page)
    # the page's own sentences (the view writes its own copy of the step while hovered)
    words = main.locator("[data-testid=stMarkdownContainer]")
    expect(words.get_by_text(STEP_1)).to_be_visible()
    for step in (2, 3, 4):
        main.get_by_role("button", name="Next").click()
        expect(words.get_by_text(re.compile(rf"Step {step} of 4"))).to_be_visible()
    expect(words.get_by_text(STEP_4)).to_be_visible()
    expect(words.get_by_text(STEP_1)).to_have_count(0)
    # the output grid is the browser view's third map; its 2x2 cells fill the canvas
    plot = main.locator("[data-testid=conv-view] .cv-panel-output canvas.cv-overlay")
    box = plot.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.25)
    expect(page).to_have_url(re.compile(r"step=2"))
    expect(words.get_by_text(re.compile(r"Step 2 of 4: output row 0, column 1"))).to_be_visible()
    expect(words.get_by_text(STEP_2)).to_be_visible()


def _status(page) -> str:
    return (
        _main(page)
        .locator("h4")
        .filter(has_text=re.compile(r"^(Running|Done|Starting|Queued)"))
        .first.inner_text()
    )


def test_learning_survives_a_slider_move_and_finds_the_books_kernel(page, app_url):
    """Scenario 6a: the curve keeps gaining points after another slider moves; ends near [1, -1]."""
    open_app(page, f"{app_url}/learn?train_steps=40")
    main = _main(page)
    main.get_by_role("button", name="Train").click()
    running = re.compile(r"Running: step (\d+)/40")
    expect(main.get_by_text(running)).to_be_visible(timeout=60_000)
    before = int(running.search(_status(page)).group(1))
    nudge_slider(page, "Steps", 1, scope=sidebar(page))
    expect(main.get_by_text("You changed the settings")).to_be_visible()
    seen_later = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = _status(page)
        match = running.search(text)
        if (match and int(match.group(1)) > before) or text.startswith("Done"):
            seen_later = True
            break
        page.wait_for_timeout(200)
    assert seen_later, "the run made no progress after the slider moved"
    expect(main.get_by_text(re.compile(r"^Done: 40 steps"))).to_be_visible(timeout=60_000)
    result = main.get_by_text(re.compile(r"Largest \|learned − true\| in the kernel"))
    error = float(re.search(r"kernel: (\d[0-9.e+-]*\d)", result.inner_text()).group(1))
    assert error < 0.05


def test_a_huge_learning_rate_shows_the_divergence_message(page, app_url):
    """Scenario 6b: lr 10 with SGD and summed loss on a 28 px image diverges, in one sentence."""
    open_app(page, f"{app_url}/learn?problem=Your+own&lr=10&optimizer=SGD&loss=Sum&speed=fast")
    main = _main(page)
    main.get_by_role("button", name="Train").click()
    alert = main.locator("[data-testid=stAlert]").filter(has_text="diverged")
    expect(alert).to_be_visible(timeout=60_000)
    expect(alert).to_contain_text("Lower the learning rate")
    expect(page.locator("[data-testid=stException]")).to_have_count(0)


def test_every_lesson_shows_its_check_passing(page, app_url):
    """Scenario 8: after the TensorFlow cells run, every lesson matches the book."""
    open_app(page, f"{app_url}/lessons")
    main = _main(page)
    total = len(LESSONS)
    all_pass = main.get_by_text(f"{total} of {total} cells match the book")
    button = page.get_by_role("button", name="Run the TensorFlow cells")
    # another session may already have run them: results are shared, the button gone
    expect(button.or_(all_pass)).to_be_visible()
    if button.is_visible():
        button.click()
    expect(all_pass).to_be_visible(timeout=120_000)
    expect(main.get_by_text("differs from the book")).to_have_count(0)
