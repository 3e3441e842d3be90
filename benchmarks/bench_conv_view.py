"""The browser convolution view: bytes per rerun, hover latency, playback speed.

Starts the app as the README does, then measures on this machine:

- bytes the browser receives per rerun on Explore with the 512-px photo when
  the stride changes (Streamlit's websocket protocol, benchmarks/streamlit_client.py),
  and on the page's first load (the one time the input's float32 values travel);
- hover latency in headless Chromium: from the pointer event's timestamp to the
  animation frame after the window outline and the arithmetic were drawn
  (the view writes it to ``data-hover-ms``), over random output cells;
- sliding-window playback at 30 steps/s on a 16x16 input: steps advanced per
  second of requestAnimationFrame time (``data-steps`` / ``data-play-ms``).

    python -m benchmarks.bench_conv_view [--hovers 40] [--play-seconds 4]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import urllib.parse

import numpy as np

from benchmarks.streamlit_client import AppServer, StreamlitClient
from tests.e2e.conftest import CHROMIUM_ARGS

PHOTO_QUERY = "src=Sample&sample=Photo%3A+astronaut&size=512"
TARGETS = {"rerun_kb": 200.0, "hover_ms": 30.0, "steps_per_s": 28.0}
PLAY_SPEED = 30
SIXTEEN = "\n".join(" ".join(str((r * 16 + c) % 10) for c in range(16)) for r in range(16))
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
VIEW = "[data-testid=conv-view]"


async def _bytes_per_rerun(port: int, reruns: int) -> tuple[float, float]:
    client = StreamlitClient("127.0.0.1", port)
    first = await client.open("", PHOTO_QUERY)
    if not first.ok or first.exceptions:
        raise SystemExit(f"the page did not open cleanly: {first.problem or first.exceptions}")
    sizes = []
    for i in range(reruns):
        result = await client.rerun({"stride_h": 2 if i % 2 == 0 else 1})
        if not result.ok or result.exceptions:
            raise SystemExit(f"rerun {i} failed: {result.problem or result.exceptions}")
        sizes.append(result.nbytes / 1024)
    await client.close()
    return first.nbytes / 1024, statistics.median(sizes)


def _open(page, url: str):
    page.goto(url)
    page.locator("[data-testid=stMain] h1").first.wait_for(timeout=60_000)
    page.wait_for_selector(IDLE, state="attached", timeout=60_000)
    view = page.locator(VIEW)
    view.locator(".cv-panel-output canvas.cv-overlay").wait_for(timeout=60_000)
    return view


def _hover_ms(page, base: str, hovers: int) -> list[float]:
    view = _open(page, f"{base}/?{PHOTO_QUERY}&kernel=Laplacian")
    overlay = view.locator(".cv-panel-output canvas.cv-overlay")
    overlay.scroll_into_view_if_needed()
    box = overlay.bounding_box()
    rng = random.Random(0)
    times = []
    for _ in range(hovers):
        view.evaluate("el => { delete el.dataset.hoverMs; }")
        page.mouse.move(
            box["x"] + rng.random() * box["width"], box["y"] + rng.random() * box["height"]
        )
        page.wait_for_function("el => el.dataset.hoverMs !== undefined", arg=view.element_handle())
        times.append(float(view.get_attribute("data-hover-ms")))
    return times


def _steps_per_second(page, base: str, seconds: float) -> tuple[float, float]:
    matrix = urllib.parse.quote(SIXTEEN)
    view = _open(page, f"{base}/window?src=Type%20numbers&matrix={matrix}")
    view.locator(".cv-speed").fill(str(PLAY_SPEED))
    view.locator("button.cv-play").click()
    page.wait_for_timeout(seconds * 1000)
    steps = int(view.get_attribute("data-steps"))
    frames = int(view.get_attribute("data-frames"))
    elapsed = float(view.get_attribute("data-play-ms")) / 1000
    view.locator("button.cv-play").click()
    return steps / elapsed, frames / elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20)
    parser.add_argument("--hovers", type=int, default=40)
    parser.add_argument("--play-seconds", type=float, default=4.0)
    args = parser.parse_args()
    with AppServer() as server:
        first_kb, rerun_kb = asyncio.run(_bytes_per_rerun(server.port, args.reruns))
        base = f"http://127.0.0.1:{server.port}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            hovers = _hover_ms(page, base, args.hovers)
            steps_s, frames_s = _steps_per_second(page, base, args.play_seconds)
            browser.close()
    hover_p50 = statistics.median(hovers)
    hover_p95 = float(np.percentile(hovers, 95))
    rows = [
        ("bytes per rerun, stride change, median", rerun_kb, "kB", TARGETS["rerun_kb"], "<"),
        ("hover -> marks and arithmetic drawn, p50", hover_p50, "ms", TARGETS["hover_ms"], "<"),
        ("hover -> marks and arithmetic drawn, p95", hover_p95, "ms", TARGETS["hover_ms"], "<"),
        (f"playback at {PLAY_SPEED} steps/s, 16x16 input", steps_s, "steps/s",
         TARGETS["steps_per_s"], ">="),
    ]  # fmt: skip
    print("Convolution view, Explore with the 512-px photo and Sliding window (16x16)\n")
    print("| measure | value | target | ratio to target | verdict |")
    print("|---|---:|---:|---:|---|")
    for name, value, unit, target, sense in rows:
        ok = value < target if sense == "<" else value >= target
        ratio = value / target
        print(
            f"| {name} | {value:.3g} {unit} | {sense} {target:g} {unit} | {ratio:.2f} | "
            f"{'PASS' if ok else 'MISS'} |"
        )
    print(
        f"\nFirst load of the photo page: {first_kb:.0f} kB (the input's float32 values travel "
        f"once per session; later reruns carry its digest). Playback drew {frames_s:.0f} "
        f"frames/s. Hover over {len(hovers)} random cells, max {max(hovers):.1f} ms."
    )


if __name__ == "__main__":
    main()
