"""The drawing canvas in real Chromium, driven by real mouse, touch and keyboard events.

The canvas paints whole cells of the page's grid; these tests read its cells
back from its pixels (a cell's centre) and compare them with what the page
computed from them: the convolution view's input (hovered, its value written
out) on Explore, the three channel planes on Channels.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import open_app, wait_idle
from tests.e2e.helpers import (
    VIEW,
    draw_stroke,
    drawing_canvas,
    nudge_slider,
    output_legend,
    pick_radio,
    sidebar,
)

# the canvas's cells, read at their centres: 1 where the pixel is bright (white-on-black ink)
_CELLS_JS = """([canvas, rows, cols]) => {
  const ctx = canvas.getContext('2d');
  const out = [];
  for (let r = 0; r < rows; r++) {
    const row = [];
    for (let c = 0; c < cols; c++) {
      const x = Math.floor((c + 0.5) * canvas.width / cols);
      const y = Math.floor((r + 0.5) * canvas.height / rows);
      const p = ctx.getImageData(x, y, 1, 1).data;
      row.push([p[0], p[1], p[2]]);
    }
    out.push(row);
  }
  return out;
}"""


def _canvas_cells(page, side: int) -> list[list[list[int]]]:
    """Each cell's [r, g, b] as the canvas shows it."""
    return page.evaluate(_CELLS_JS, [drawing_canvas(page).element_handle(), side, side])


def _hover_input(page, cell: tuple[int, int], padded_side: int, pad: int) -> str:
    """Hover input cell (row, col) of the view's padded input; return the caption it writes."""
    stage = page.locator(f"{VIEW} .cv-panel-input canvas.cv-overlay")
    stage.scroll_into_view_if_needed()
    box = stage.bounding_box()
    size = box["width"] / padded_side
    r, c = cell[0] + pad, cell[1] + pad
    page.mouse.move(box["x"] + (c + 0.5) * size, box["y"] + (r + 0.5) * size)
    readout = page.get_by_test_id("conv-readout")
    expect(readout).to_contain_text(f"Input row {cell[0]}, column {cell[1]} =")
    return readout.inner_text()


def test_a_stroke_changes_the_output_and_the_canvas_shows_its_cells(page, app_url):
    """On 8x8, the stroke's cells are bright on the canvas and read 1 in the input; others 0."""
    open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity")
    expect(output_legend(page)).to_contain_text("Every value is 0.")
    draw_stroke(page)
    expect(output_legend(page)).not_to_contain_text("Every value is")
    wait_idle(page)
    cells = _canvas_cells(page, 8)
    inked = [(r, c) for r in range(8) for c in range(8) if cells[r][c][0] > 128]
    blank = [(r, c) for r in range(8) for c in range(8) if cells[r][c][0] < 128]
    assert (1, 1) in inked and (6, 6) in inked and (0, 7) in blank, cells
    for cell in [inked[0], inked[-1]]:
        assert "= 1." in _hover_input(page, cell, 8, 0)
    assert "= 0." in _hover_input(page, (0, 7), 8, 0)


def test_a_grid_change_keeps_canvas_and_input_in_step(page, app_url):
    """16 -> 8: the canvas shows the resampled cells and the input holds the same numbers."""
    open_app(page, f"{app_url}/?src=Draw&grid=16&kernel=Identity")
    draw_stroke(page)
    expect(output_legend(page)).not_to_contain_text("Every value is")
    wait_idle(page)
    nudge_slider(page, "Grid", -8, scope=sidebar(page))
    expect(page).to_have_url(re.compile(r"grid=8"))
    wait_idle(page)
    expect(page.locator("[data-testid=stMain] h3").filter(has_text="Input 8×8")).to_be_visible()
    cells = _canvas_cells(page, 8)
    for r, c in [(1, 1), (4, 4), (0, 7), (7, 0)]:
        shown = cells[r][c][0] / 255
        caption = _hover_input(page, (r, c), 8, 0)
        value = float(re.search(r"= (-?[\d.]+)", caption).group(1))
        assert abs(value - shown) < 0.01, (r, c, shown, caption)
    assert cells[4][4][0] > 0 and cells[0][7][0] == 0  # the diagonal stayed, the corner did not


def test_the_drawing_survives_a_page_switch_and_back(page, app_url):
    """Explore -> Sliding window (the drawing there too) -> Explore: the same cells."""
    open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity")
    draw_stroke(page)
    expect(output_legend(page)).not_to_contain_text("Every value is")
    wait_idle(page)
    before = _canvas_cells(page, 8)
    page.get_by_role("link", name="Sliding window").click()
    # the idle marker of the page left behind can still be there: wait for the new page
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("The sliding window")
    wait_idle(page)
    pick_radio(page, "Draw", scope=sidebar(page))
    wait_idle(page)
    expect(drawing_canvas(page)).to_be_visible()
    page.get_by_role("link", name="Explore").click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Explore a convolution")
    wait_idle(page)
    expect(output_legend(page)).not_to_contain_text("Every value is")
    assert _canvas_cells(page, 8) == before


def test_clear_and_undo(page, app_url):
    """Clear empties canvas and input; Undo brings the stroke back to both."""
    open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity")
    draw_stroke(page)
    expect(output_legend(page)).not_to_contain_text("Every value is")
    wait_idle(page)
    drawn = _canvas_cells(page, 8)
    sidebar(page).get_by_role("button", name="Clear").click()
    expect(output_legend(page)).to_contain_text("Every value is 0.")
    assert not any(cell[0] for row in _canvas_cells(page, 8) for cell in row)
    wait_idle(page)
    sidebar(page).get_by_role("button", name="Undo").click()
    expect(output_legend(page)).not_to_contain_text("Every value is")
    assert _canvas_cells(page, 8) == drawn


def test_keyboard_paints_a_cell(page, app_url):
    """The canvas is labelled; arrows move its cursor and Space paints the cell under it."""
    open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity")
    canvas = drawing_canvas(page)
    expect(canvas).to_have_attribute("aria-label", re.compile(r"Drawing canvas, 8 by 8 cells"))
    canvas.focus()
    canvas.press("ArrowDown")
    canvas.press("ArrowRight")
    canvas.press("Space")
    expect(output_legend(page)).not_to_contain_text("Every value is")
    wait_idle(page)
    assert "= 1." in _hover_input(page, (1, 1), 8, 0)
    assert "= 0." in _hover_input(page, (0, 0), 8, 0)


def test_a_finger_draws(browser, app_url):
    """A touch tap (pointerType touch) paints a cell like the mouse."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, has_touch=True)
    try:
        page = context.new_page()
        open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity")
        canvas = drawing_canvas(page)
        expect(canvas).to_have_css("height", "240px")
        box = canvas.bounding_box()
        page.touchscreen.tap(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.3)
        expect(output_legend(page)).not_to_contain_text("Every value is")
        wait_idle(page)
        assert "= 1." in _hover_input(page, (2, 4), 8, 0)
    finally:
        context.close()


# the z values of the Channels page's plane charts, by title
_PLANE_JS = """(title) => {
  for (const plot of document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')) {
    const heading = plot.querySelector('.gtitle');
    if (heading && heading.textContent === title) {
      const z = plot._fullData[0].z;
      return Array.from(z, (row) => Array.from(row));
    }
  }
  return null;
}"""


def test_a_red_stroke_on_channels_fills_only_the_red_plane(page, app_url):
    """Draw in colour, red: the R plane is 1 along the stroke, G and B stay all 0."""
    open_app(page, f"{app_url}/channels?ch_src=Draw&ch_grid=8")
    side = sidebar(page)
    canvas = drawing_canvas(page)
    expect(canvas).to_be_visible()
    side.get_by_role("button", name="red", exact=True).click()
    draw_stroke(page)
    wait_idle(page)
    page.wait_for_function(
        "(t) => { const f = " + _PLANE_JS + "; const z = f(t); "
        "return z && z.flat().some((v) => v > 0); }",
        arg="Channel R",
        timeout=30_000,
    )
    red = page.evaluate(_PLANE_JS, "Channel R")
    green = page.evaluate(_PLANE_JS, "Channel G")
    blue = page.evaluate(_PLANE_JS, "Channel B")
    assert red[1][1] == 1 and red[6][6] == 1 and red[0][7] == 0, red
    assert not any(v for row in green + blue for v in row)
    cells = _canvas_cells(page, 8)
    assert cells[1][1] == [255, 0, 0]  # the canvas shows the cell in red
    # then blue over it: B takes the new cells, R keeps the old ones
    side.get_by_role("button", name="blue", exact=True).click()
    draw_stroke(page, start=(0.85, 0.15), end=(0.85, 0.85))
    page.wait_for_function(
        "(t) => { const f = " + _PLANE_JS + "; const z = f(t); "
        "return z && z.flat().some((v) => v > 0); }",
        arg="Channel B",
        timeout=30_000,
    )
    blue = page.evaluate(_PLANE_JS, "Channel B")
    assert blue[3][6] == 1 and blue[1][1] == 0
    assert not any(v for row in page.evaluate(_PLANE_JS, "Channel G") for v in row)
