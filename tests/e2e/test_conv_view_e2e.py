"""The browser convolution view: hover arithmetic against playground.trace, colour bars, keys.

The view lives in a shadow root; Playwright's CSS locators reach into it.
"""

from __future__ import annotations

import itertools
import re
import urllib.parse

import numpy as np
from playwright.sync_api import expect

import playground
from playground.kernels import KERNELS
from playground.trace import format_number, trace_cell
from tests.e2e.conftest import wait_idle
from tests.e2e.helpers import open_view


def _matrix_text(values: np.ndarray) -> str:
    return "\n".join(" ".join(format_number(v, 3) for v in row) for row in values)


def _hover_output(page, view, cell: tuple[int, int], out_shape: tuple[int, int]):
    overlay = view.locator(".cv-panel-output canvas.cv-overlay")
    overlay.scroll_into_view_if_needed()
    box = overlay.bounding_box()
    i, j = cell
    page.mouse.move(
        box["x"] + (j + 0.5) * box["width"] / out_shape[1],
        box["y"] + (i + 0.5) * box["height"] / out_shape[0],
    )
    readout = view.locator("[data-testid=conv-readout]")
    expect(readout).to_have_attribute("data-row", str(i))
    expect(readout).to_have_attribute("data-col", str(j))
    return readout


def _random_settings(rng) -> tuple[dict, dict]:
    """Query parameters for the page and the same settings as conv2d/trace_cell arguments."""
    h, w = (int(v) for v in rng.integers(4, 10, 2))
    x = np.float32(rng.integers(-9, 10, (h, w)) / 4)  # quarters: exact in text and float32
    kh, kw = (int(v) for v in rng.integers(1, 4, 2))
    kernel = np.float32(rng.integers(-4, 5, (kh, kw)) / 2)
    pad = str(rng.choice(["valid", "same", "full", "explicit"]))
    strides = tuple(int(v) for v in rng.integers(1, 3, 2))
    dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
    bias = float(rng.choice([0.0, 0.5, -1.5]))
    query = {
        "src": "Type numbers",
        "matrix": _matrix_text(x),
        "k": ";".join(",".join(format_number(v) for v in row) for row in kernel),
        "pad": pad,
        "stride_h": strides[0],
        "stride_w": strides[1],
        "dil_h": dilation[0],
        "dil_w": dilation[1],
        "bias": bias,
    }
    padding = pad
    if pad == "explicit":
        sides = [int(v) for v in rng.integers(0, 3, 4)]
        query.update(pad_t=sides[0], pad_b=sides[1], pad_l=sides[2], pad_r=sides[3])
        padding = ((sides[0], sides[1]), (sides[2], sides[3]))
    args = {
        "x": x,
        "kernel": kernel,
        "strides": strides,
        "padding": padding,
        "dilation_rate": dilation,
        "bias": bias,
    }
    return query, args


def test_hovered_cells_show_trace_cells_arithmetic_for_random_settings(page, app_url):
    """Random padding, stride, dilation and bias: the written arithmetic is trace_cell's."""
    rng = np.random.default_rng(13)
    checked = 0
    while checked < 4:
        query, args = _random_settings(rng)
        x, kernel = args.pop("x"), args.pop("kernel")
        try:
            out = playground.conv2d(x, kernel, **{k: v for k, v in args.items() if k != "bias"})
        except ValueError:
            continue  # no output for this setting: the page says so in a sentence
        view = open_view(page, f"{app_url}/?{urllib.parse.urlencode(query)}")
        for _ in range(3):
            cell = (int(rng.integers(out.shape[0])), int(rng.integers(out.shape[1])))
            readout = _hover_output(page, view, cell, out.shape)
            trace = trace_cell(x, kernel, cell, **args)
            expect(readout).to_have_attribute("data-equation", trace.equation())
            expect(readout).to_have_attribute("data-value", format_number(trace.value))
            if len(trace.equation()) <= 64:  # written on one line; longer ones as a grid
                expect(readout.locator("[data-testid=conv-equation]")).to_have_text(
                    trace.equation()
                )
        checked += 1


def test_hover_on_the_512_photo_matches_trace_cell(page, app_url):
    """On the 512-px photo with the Laplacian, the 9-tap products and sum are trace_cell's."""
    view = open_view(
        page, f"{app_url}/?src=Sample&sample=Photo%3A+astronaut&size=512&kernel=Laplacian"
    )
    x = playground.load_sample("astronaut", max_side=512)
    kernel = KERNELS["laplacian"].weights
    rng = np.random.default_rng(5)
    for _ in range(4):
        cell = (int(rng.integers(510)), int(rng.integers(510)))
        readout = _hover_output(page, view, cell, (510, 510))
        trace = trace_cell(x, kernel, cell)
        expect(readout).to_have_attribute("data-equation", trace.equation())
        products = readout.locator(".cv-products td")
        expect(products).to_have_count(9)
        expect(readout.locator(".cv-sum")).to_contain_text(format_number(trace.value))


def test_hovering_an_input_pixel_counts_the_cells_it_feeds(page, app_url):
    """The book's bars with [1, -1]: an inner pixel feeds two output cells, an edge one one."""
    view = open_view(page, f"{app_url}/")
    overlay = view.locator(".cv-panel-input canvas.cv-overlay")
    box = overlay.bounding_box()
    cell_w, cell_h = box["width"] / 8, box["height"] / 6
    page.mouse.move(box["x"] + 3.5 * cell_w, box["y"] + 2.5 * cell_h)
    readout = view.locator("[data-testid=conv-readout]")
    expect(readout).to_contain_text("Input row 2, column 3 = 0. Output cells it feeds: 2.")
    page.mouse.move(box["x"] + 0.5 * cell_w, box["y"] + 0.5 * cell_h)
    expect(readout).to_contain_text("Output cells it feeds: 1.")


def test_arrow_keys_move_the_window_and_speak_the_arithmetic(page, app_url):
    """Keyboard only: focus the output, ArrowRight then ArrowDown reaches (1, 1)."""
    view = open_view(page, f"{app_url}/?src=Type%20numbers&k=0,1;2,3")
    stage = view.locator(".cv-panel-output .cv-stage")
    stage.focus()
    stage.press("ArrowRight")
    stage.press("ArrowRight")  # (0, 1) is the last column of the 2x2 output: stays
    stage.press("ArrowDown")
    readout = view.locator("[data-testid=conv-readout]")
    expect(readout).to_have_attribute("data-equation", "4×0 + 5×1 + 7×2 + 8×3 = 43")
    expect(view.locator("[data-testid=conv-live]")).to_contain_text("4×0 + 5×1 + 7×2 + 8×3 = 43")
    expect(stage).to_have_attribute(
        "aria-label",
        "Output feature map. Hover or tap a cell, "
        "or use the arrow keys, to read how it is computed.",
    )


def _tick_labels(view, name: str) -> list[str]:
    return view.locator(f"[data-testid=colour-bar-{name}] span").all_inner_texts()


def test_colour_bars_of_a_signed_map_run_around_a_white_zero(page, app_url):
    """The edge kernel [1, -1] and its output are diverging bars labelled -1, 0, 1."""
    view = open_view(page, f"{app_url}/")
    for name in ("kernel", "output"):
        assert _tick_labels(view, name) == ["-1", "0", "1"]
        expect(view.locator(f"[data-testid=legend-{name}]")).to_have_text(
            "Diverging: blue negative, white 0, red positive (-1 to 1)."
        )


def test_colour_bars_of_a_non_negative_map_start_at_zero(page, app_url):
    """The 3x3 box blur is non-negative: sequential bars from 0 (black), stated in the legend."""
    view = open_view(page, f"{app_url}/?kernel={urllib.parse.quote(KERNELS['box_blur_3'].title)}")
    assert _tick_labels(view, "kernel") == ["0", "0.111"]
    expect(view.locator("[data-testid=legend-kernel]")).to_have_text(
        "Sequential: 0 is black, 0.111 is white. Every value is 0.111."
    )
    output = playground.conv2d(playground.load_sample("book_bars"), KERNELS["box_blur_3"].weights)
    assert _tick_labels(view, "output") == ["0", format_number(output.max())]
    expect(view.locator("[data-testid=legend-output]")).to_contain_text("Sequential: 0 is black")


# ---------------------------------------------------------------- sliding-window playback

SIXTEEN = "\n".join(" ".join(str((r * 16 + c) % 10) for c in range(16)) for r in range(16))


def _page_text(page, pattern: str):
    """Text the page itself wrote (markdown), not the view's own copy."""
    return page.locator("[data-testid=stMarkdownContainer]").get_by_text(re.compile(pattern))


def _window_view(page, app_url, query: str = ""):
    matrix = urllib.parse.quote(SIXTEEN)
    return open_view(page, f"{app_url}/window?src=Type%20numbers&matrix={matrix}{query}")


def test_playback_advances_smoothly_in_the_browser_and_pause_writes_the_link(page, app_url):
    """16x16 input, 2x2 kernel (225 steps) at 30 steps/s: steps advance every sample, no rerun.

    Not a speed test (the benchmark measures steps/s); it checks that playback moves
    steadily without the server and that pausing reports the step to the page.
    """
    view = _window_view(page, app_url)
    view.locator(".cv-speed").fill("30")
    expect(view.locator(".cv-speed-text")).to_have_text("30 steps/s")
    view.locator("button.cv-play").click()
    expect(view).to_have_attribute("data-playing", "true")
    wait_idle(page)  # the one rerun that says "playing"
    samples = []
    for _ in range(8):
        page.wait_for_timeout(250)
        samples.append(int(view.get_attribute("data-step")))
    assert all(b > a for a, b in itertools.pairwise(samples)), samples
    # the step follows the clock, not the frame count: a slow frame (a busy machine)
    # skips ahead to where 30 steps/s puts it instead of falling behind
    played = view.evaluate("v => [Number(v.dataset.steps), Number(v.dataset.playMs)]")
    steps, ms = played
    assert steps > 0 and int(view.get_attribute("data-frames")) > 0
    assert abs(steps - ms * 30 / 1000) <= 1.5, played
    view.locator("button.cv-play").click()
    stopped = int(view.get_attribute("data-step"))
    expect(page).to_have_url(re.compile(rf"step={stopped}\b"))
    expect(_page_text(page, rf"^Step {stopped} of 225:")).to_be_visible()


def test_playback_from_the_last_step_starts_over(page, app_url):
    """Play on the last step goes back to step 1 and plays on."""
    view = _window_view(page, app_url, "&step=225")
    expect(view).to_have_attribute("data-step", "225")
    view.locator("button.cv-play").click()
    expect(view).to_have_attribute("data-playing", "true")
    assert int(view.get_attribute("data-step")) < 20


def test_a_step_button_during_playback_stops_it(page, app_url):
    """A hand on Next takes over from playback: the view stops where the page says."""
    view = _window_view(page, app_url)
    view.locator("button.cv-play").click()
    expect(view).to_have_attribute("data-playing", "true")
    wait_idle(page)
    page.locator("[data-testid=stMain]").get_by_role("button", name="Next").click()
    expect(view).to_have_attribute("data-playing", "false")
    wait_idle(page)
    step = int(view.get_attribute("data-step"))
    expect(_page_text(page, rf"^Step {step} of 225:")).to_be_visible()
