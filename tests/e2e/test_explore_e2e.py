"""Explore page in a real browser: drawing, uploads, settings, links, isolation."""

from __future__ import annotations

import io
import re

import numpy as np
from PIL import Image
from playwright.sync_api import expect

from playground import output_shape
from playground.kernels import KERNELS
from tests.e2e.conftest import open_app
from tests.e2e.helpers import (
    VIEW,
    choose,
    draw_stroke,
    expect_shape,
    nudge_slider,
    output_legend,
    pick_radio,
    sidebar,
)
from tests.hostile_images import png_bomb, truncated_png

CORRUPT = "could not be read|not an image|damaged|incomplete"


def _photo_png(width: int = 900, height: int = 600) -> bytes:
    """A smooth, photo-like RGB picture (gradients and a disc), as PNG bytes."""
    yy, xx = np.mgrid[0:height, 0:width]
    r = (xx / width * 255).astype(np.uint8)
    g = (yy / height * 255).astype(np.uint8)
    b = (((xx - width / 2) ** 2 + (yy - height / 2) ** 2 < (height / 3) ** 2) * 200).astype(
        np.uint8
    )
    buffer = io.BytesIO()
    Image.fromarray(np.dstack([r, g, b])).save(buffer, format="PNG")
    return buffer.getvalue()


def _upload(page, name: str, data: bytes, mime: str = "image/png") -> None:
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )


def test_changing_stride_and_padding_updates_shape_and_formula(page, app_url):
    """Scenario 4: stride and padding changes print the shape output_shape gives."""
    open_app(page, f"{app_url}/")
    expect_shape(page, (6, 7))
    nudge_slider(page, "Stride (columns)", 1, scope=sidebar(page))
    expect_shape(page, output_shape((6, 8), (1, 2), strides=(1, 2)))
    choose(page, "Padding", "full", scope=sidebar(page))
    expected = output_shape((6, 8), (1, 2), strides=(1, 2), padding="full")
    expect_shape(page, expected)
    page.get_by_text("Why this output size").click()  # the formula waits in an expander
    formula = page.locator(".katex").nth(1)
    expect(formula).to_contain_text(f"={expected[1]}")


def test_shared_link_opens_with_its_settings(page, app_url):
    """Scenario 7: a query string sets padding, strides and the kernel."""
    open_app(page, f"{app_url}/?pad=same&stride_h=2&stride_w=2&kernel=Laplacian")
    expect_shape(page, (3, 4))
    # the chosen preset's one-line explanation is shown under the picker
    expect(sidebar(page).get_by_text(KERNELS["laplacian"].explanation)).to_be_visible()


def test_drawing_a_stroke_changes_the_output(page, app_url):
    """Scenario 1: a stroke on the canvas changes the output map."""
    open_app(page, f"{app_url}/?src=Draw&grid=8&kernel=Identity&pad=same")
    # the output map is drawn on a canvas; its legend says when every value is the same
    output = output_legend(page)
    # an empty canvas is all background: the identity's output is all zeros
    expect(output).to_contain_text("Every value is 0.")
    draw_stroke(page)
    expect(output).not_to_contain_text("Every value is", timeout=30_000)
    ticks = page.locator(f"{VIEW} [data-testid=colour-bar-output] span")
    expect(ticks.last).to_have_text(re.compile(r"^(0\.\d+|1)$"))


def test_uploading_a_photo_scales_it_as_promised(page, app_url):
    """Scenario 2: a 900x600 PNG becomes 64 pixels on its longer side."""
    open_app(page, f"{app_url}/?src=Upload")
    _upload(page, "photo.png", _photo_png())
    expect(page.get_by_text("Input 43×64 → output 43×63")).to_be_visible(timeout=30_000)


def test_bad_uploads_get_one_sentence_and_the_next_upload_works(page, app_url):
    """Scenario 3: corrupt file, then a 100-megapixel bomb, then a good photo."""
    open_app(page, f"{app_url}/?src=Upload")
    _upload(page, "broken.png", truncated_png())
    alert = page.locator("[data-testid=stAlert]").first
    expect(alert).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    _upload(page, "bomb.png", png_bomb())
    expect(page.locator("[data-testid=stAlert]").filter(has_text="pixels")).to_be_visible(
        timeout=30_000
    )
    for text in (alert.inner_text(),):
        assert "Traceback" not in text and "/tmp" not in text
    _upload(page, "photo.png", _photo_png())
    expect(page.get_by_text("Input 43×64 → output 43×63")).to_be_visible(timeout=30_000)


def test_two_students_see_only_their_own_results(browser, app_url):
    """Scenario 9: two browser contexts with different inputs keep their own output."""
    contexts = [browser.new_context(viewport={"width": 1500, "height": 1000}) for _ in range(2)]
    try:
        first, second = (context.new_page() for context in contexts)
        open_app(first, f"{app_url}/")
        open_app(second, f"{app_url}/?src=Type%20numbers&k=0,1;2,3")
        expect_shape(second, (2, 2))
        pick_radio(first, "Sample", scope=sidebar(first))
        nudge_slider(first, "Stride (rows)", 2, scope=sidebar(first))
        expect_shape(first, (2, 7))
        second.reload()
        expect_shape(second, (2, 2))
        expect_shape(first, (2, 7))
    finally:
        for context in contexts:
            context.close()


def test_a_7x7_kernel_shows_all_seven_columns_in_the_sidebar(page, app_url):
    """At 1400x900 the grid editor fits its 7 columns into the sidebar (it showed 4)."""
    page.set_viewport_size({"width": 1400, "height": 900})
    k7 = ";".join(",".join(str((r * 7 + c) % 5 - 2) for c in range(7)) for r in range(7))
    open_app(page, f"{app_url}/?kernel=Custom+(your+numbers)&k={k7}")
    grid = sidebar(page).locator("[data-testid=stDataFrame]").first
    headers = grid.locator("[role=columnheader]")  # glide-data-grid's accessible table
    expect(headers).to_have_count(7)  # the grid draws only the columns in view
    expect(headers).to_have_text([str(c) for c in range(7)])
    scroll = grid.locator(".dvn-scroller").first.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert scroll[0] <= scroll[1], f"the grid scrolls sideways: {scroll}"
    box, bar = grid.bounding_box(), sidebar(page).bounding_box()
    assert box["x"] + box["width"] <= bar["x"] + bar["width"]


def test_on_a_phone_the_maps_stack_and_their_colour_bars_are_whole(page, app_url):
    """At 390x844 input, kernel and output sit one under another; every bar label shows."""
    page.set_viewport_size({"width": 390, "height": 844})
    open_app(page, f"{app_url}/?sample=Photo%3A+cat&size=128&kernel=Laplacian")
    view = page.locator("[data-testid=conv-view]").first
    view.wait_for()
    boxes = {
        name: page.locator(f"[data-testid=colour-bar-{name}]").first.bounding_box()
        for name in ("input", "kernel", "output")
    }
    assert boxes["input"]["y"] < boxes["kernel"]["y"] < boxes["output"]["y"]
    root = view.bounding_box()
    for name in boxes:
        labels = page.locator(f"[data-testid=colour-bar-{name}] span")
        expect(labels.first).to_be_visible()
        for k in range(labels.count()):
            label = labels.nth(k).bounding_box()
            assert (
                root["x"] <= label["x"] and label["x"] + label["width"] <= root["x"] + root["width"]
            ), (name, labels.nth(k).inner_text())
    expect(page.locator("[data-testid=colour-bar-kernel] span")).to_have_text(["-4", "0", "4"])
