"""Input -> new output on screen, in real Chromium: Explore against the minimal peer page.

Starts the app as the README's ``make app`` does and ``benchmarks/minimal_page.py``
(the smallest Streamlit page doing the same job: the same correlation of the
512-px cat photo, input and output shown with ``st.image``), each on a free
port, opens each in its own headless Chromium tab and takes turns:

- stride key press (the "Stride (rows)" slider, ArrowRight / ArrowLeft);
- padding change (the "Padding" select, valid <-> full, by mouse);
- kernel size change ("Kernel rows" 3 -> 1 -> 3, typed and Enter);
- a drawn stroke on Explore's Draw canvas (views/components/draw_canvas), on a 16x16 and
  a 64x64 grid, by real mouse events (no peer: the minimal page has no canvas). The
  "before send" column is the canvas's own delay from pointer-up to the rerun request.

Each sample runs from the input event's own timestamp (keydown, click,
pointerup) to the first animation frame after the NEW output picture was put
on the page: on Explore, after a ``drawImage`` onto the output canvas that
changed its pixels (a hash of them); on the peer, after the output ``<img>``
got a new ``src`` and ``img.decode()`` resolved. A probe installed before the
page's own scripts (``PROBE``) also records when the browser sent the rerun
request and when the largest websocket frame of the answer arrived, which
splits each sample into: front end before sending (widget debounce), server
(request -> the frame with the output), browser (that frame -> on screen).

    python -m benchmarks.bench_browser [--samples 30] [--strokes 16]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
from dataclasses import dataclass, field

from benchmarks.streamlit_client import AppServer
from tests.e2e.conftest import CHROMIUM_ARGS

APP_QUERY = "src=Sample&sample=Photo%3A+cat&size=512&kernel=Laplacian"
DRAW_QUERY = "src=Draw&grid={grid}"
STROKE_GRIDS = (16, 64)
DRAW_CANVAS = "[data-testid=draw-canvas-grid]"  # the drawing component's grid
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
RATIO_TARGET = 1.25  # app p95 / peer p95, stride and padding
ABSOLUTE_TARGET_MS = 300.0  # kernel size and drawn stroke
TIMEOUT_MS = 20_000

PROBE = r"""
(() => {
  const probe = {start: null, shown: null, drawn: null, sent: null, confirmed: null, frames: []};
  window.__probe = probe;
  let outputSource = null;  // what was last drawn onto the output canvas: a cols x rows picture

  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  const scratch = document.createElement("canvas");
  function canvasPrint(canvas) {  // a canvas, an ImageBitmap or an image
    if (!canvas || !canvas.width) return "none";
    let ctx = canvas.getContext ? canvas.getContext("2d") : null;
    if (!ctx) {
      scratch.width = canvas.width;
      scratch.height = canvas.height;
      ctx = scratch.getContext("2d");
      drawImage.call(ctx, canvas, 0, 0);
    }
    const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 0;
    for (let k = 0; k < data.length; k += 1) h = (Math.imul(h, 31) + data[k]) | 0;
    return `${canvas.width}x${canvas.height}:${h}`;
  }
  function outputImg() {
    const images = document.querySelectorAll("[data-testid=stMain] img");
    return images.length ? images[images.length - 1] : null;
  }
  // Explore's view draws each map as one small picture (a cell per pixel) scaled onto its
  // canvas: a hash of that picture says whether the OUTPUT changed, whatever the layout did.
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = drawImage.apply(this, args);
    const canvas = this.canvas;
    if (canvas && canvas.classList && canvas.classList.contains("cv-base")
        && canvas.closest(".cv-panel-output")) {
      outputSource = args[0];
      if (probe.kind !== "canvas" || probe.start === null || probe.shown !== null) return result;
      const before = performance.now();
      const changed = canvasPrint(outputSource) !== probe.base;
      probe.overhead += performance.now() - before;  // the probe's own hashing is not the page's
      if (changed) {
        probe.drawn = performance.now();
        requestAnimationFrame(() => {
          if (probe.shown === null) probe.shown = performance.now();
        });
      }
    }
    return result;
  };
  new MutationObserver(() => {
    if (probe.kind !== "img" || probe.start === null || probe.shown !== null) return;
    const img = outputImg();
    if (!img || !img.src || img.src === probe.base || probe.pending === img.src) return;
    probe.pending = img.src;
    probe.drawn = performance.now();
    img.decode().then(() => requestAnimationFrame(() => {
      if (probe.shown === null && img.isConnected) probe.shown = performance.now();
    }), () => {});
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: ["src"]});

  // Explore's view draws a padding/stride change from its own arithmetic first
  // (data-provisional="1" on its root) and takes that mark off when Python's rerun has
  // drawn conv2d's output: "confirmed" is the frame after that. The view lives in its
  // component's shadow root, which a document-wide observer does not see into.
  function viewRoot() {
    for (const host of document.querySelectorAll("[data-testid=stMain] div")) {
      const root = host.shadowRoot && host.shadowRoot.querySelector("[data-testid=conv-view]");
      if (root) return root;
    }
    return null;
  }
  const confirmation = new MutationObserver((records) => {
    if (probe.start === null || probe.confirmed !== null || probe.drawn === null) return;
    for (const record of records) {
      if (record.oldValue === "1" && !record.target.hasAttribute("data-provisional")) {
        requestAnimationFrame(() => {
          if (probe.confirmed === null) probe.confirmed = performance.now();
        });
      }
    }
  });

  const NativeSocket = window.WebSocket;
  window.WebSocket = class extends NativeSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (probe.start === null) return;
        const size = event.data.byteLength ?? event.data.size ?? event.data.length ?? 0;
        probe.frames.push([performance.now(), size]);
      });
    }
    send(data) {
      if (probe.start !== null && probe.sent === null) probe.sent = performance.now();
      return super.send(data);
    }
  };

  probe.arm = (kind, events, waitConfirmed = false) => {
    if (probe.stop) probe.stop();
    probe.waitConfirmed = waitConfirmed;
    confirmation.disconnect();
    const view = waitConfirmed ? viewRoot() : null;
    if (view) {
      confirmation.observe(view, {attributes: true, attributeOldValue: true,
                                  attributeFilter: ["data-provisional"]});
    }
    Object.assign(probe, {kind, start: null, shown: null, drawn: null, sent: null,
                          confirmed: null, frames: [], pending: null, overhead: 0});
    probe.base = kind === "canvas" ? canvasPrint(outputSource) : (outputImg() || {}).src || "";
    const onEvent = (event) => { if (probe.start === null) probe.start = event.timeStamp; };
    for (const type of events) window.addEventListener(type, onEvent, true);
    probe.stop = () => {
      for (const type of events) window.removeEventListener(type, onEvent, true);
    };
  };
  probe.result = () => {
    if (probe.start === null || probe.shown === null) return null;
    if (probe.waitConfirmed && probe.confirmed === null) return null;
    // the server's part ends with the last frame before the picture was drawn
    const frames = probe.frames.filter(([t]) => t <= probe.drawn);
    const last = frames.length ? frames[frames.length - 1][0] : probe.start;
    const bytes = frames.reduce((sum, [, size]) => sum + size, 0);
    const confirmed = probe.confirmed === null ? null : probe.confirmed - probe.start;
    return {total: probe.shown - probe.start - probe.overhead, confirmed,
            sent: (probe.sent ?? probe.start) - probe.start,
            frame: last - probe.start, frame_bytes: bytes};
  };
})();
"""


@dataclass
class Samples:
    """One page's samples of one interaction (ms), with the probe's split of each."""

    total: list[float] = field(default_factory=list)
    sent: list[float] = field(default_factory=list)
    frame: list[float] = field(default_factory=list)
    frame_kb: list[float] = field(default_factory=list)
    confirmed: list[float] = field(default_factory=list)  # on the view: Python's output shown
    missed: int = 0

    def add(self, result: dict | None) -> None:
        if result is None:
            self.missed += 1
            return
        self.total.append(result["total"])
        self.sent.append(result["sent"])
        self.frame.append(result["frame"])
        self.frame_kb.append(result["frame_bytes"] / 1024)
        if result.get("confirmed") is not None:
            self.confirmed.append(result["confirmed"])


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between the closest ranks (numpy's default)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ratio_text(value: float, peer: float) -> str:
    """``value / peer`` as the README prints ratios ("1.23x"); "-" without a peer."""
    if not peer or peer != peer or value != value:
        return "-"
    return f"{value / peer:.2f}x"


# ---------------------------------------------------------------- the browser side


def _open(page, url: str, kind: str) -> None:
    page.goto(url)
    if kind == "canvas":
        page.locator(".cv-panel-output canvas.cv-base").wait_for(timeout=90_000)
    else:
        page.locator("[data-testid=stMain] img").nth(1).wait_for(timeout=90_000)
    page.wait_for_selector(IDLE, state="attached", timeout=90_000)
    page.wait_for_timeout(500)


def _settle(page) -> None:
    page.wait_for_selector(IDLE, state="attached", timeout=TIMEOUT_MS)
    page.wait_for_timeout(150)


def _measure(page, kind: str, events, act, confirmed: bool = False) -> dict | None:
    page.bring_to_front()
    page.evaluate(
        "([kind, events, confirmed]) => window.__probe.arm(kind, events, confirmed)",
        [kind, list(events), confirmed],
    )
    act()
    try:
        page.wait_for_function("() => window.__probe.result() !== null", timeout=TIMEOUT_MS)
    except Exception:  # a miss is counted, the run goes on
        _settle(page)
        return None
    result = page.evaluate("() => window.__probe.result()")
    _settle(page)
    return result


def _sidebar(page):
    return page.locator("[data-testid=stSidebar]")


def _stride_action(page, step: int):
    thumb = (
        _sidebar(page)
        .locator("[data-testid=stSlider]")
        .filter(has_text="Stride (rows)")
        .first.get_by_role("slider")
    )
    thumb.focus()
    return lambda: thumb.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")


def _padding_action(page, step: int):
    box = _sidebar(page).locator("[data-testid=stSelectbox]").filter(has_text="Padding").first
    box.click()
    option = page.get_by_role("option", name="full" if step % 2 == 0 else "valid", exact=True)
    option.wait_for()
    return option.click


def _rows_action(page, step: int):
    box = _sidebar(page).locator("[data-testid=stNumberInput]").filter(has_text="Kernel rows")
    field_ = box.first.locator("input")
    field_.fill("1" if step % 2 == 0 else "3")
    return lambda: field_.press("Enter")


def _view_stride_action(page, step: int):
    """Explore's stride control on the view itself (views/components/conv_view)."""
    thumb = page.locator(".cv-stride[data-axis=rows]")
    thumb.focus()
    return lambda: thumb.press("ArrowRight" if step % 2 == 0 else "ArrowLeft")


def _view_padding_action(page, step: int):
    button = page.locator(f".cv-segment[data-padding={'full' if step % 2 == 0 else 'valid'}]")
    return button.click


@dataclass(frozen=True)
class Interaction:
    """What one row of the table does: its events, and how each side is driven."""

    events: tuple[str, ...]
    peer_action: object  # (page, step) -> the act; the minimal pages' own widgets
    app_action: object = None  # Explore's, when it differs from the peer's
    on_view: bool = False  # a control on the view: also wait for Python's confirmation


INTERACTIONS = {
    "stride key press, on the view": Interaction(
        ("keydown",), _stride_action, _view_stride_action, on_view=True
    ),
    "padding change, on the view": Interaction(
        ("click",), _padding_action, _view_padding_action, on_view=True
    ),
    "stride key press, sidebar slider": Interaction(("keydown",), _stride_action),
    "padding change, sidebar select": Interaction(("click",), _padding_action),
    "kernel rows 3 <-> 1": Interaction(("keydown",), _rows_action),
}


def _stroke(page, rng: random.Random, band: int, bands: int) -> None:
    """Pointer down and a short stroke in its own band of the canvas (so it paints new cells:
    a stroke over ink already there changes nothing and sends nothing); the caller's action
    is the pointer-up."""
    box = _sidebar(page).locator(DRAW_CANVAS).bounding_box()
    x0 = box["x"] + rng.uniform(20, box["width"] - 60)
    y0 = box["y"] + (band + 0.5) * box["height"] / bands
    page.mouse.move(x0, y0)
    page.mouse.down()
    for step in range(1, 6):
        page.mouse.move(x0 + step * 8, y0 + rng.uniform(-3, 3), steps=2)


def _strokes(page, base: str, count: int, grid: int, per_page: int = 8) -> Samples:
    samples, rng = Samples(), random.Random(grid)
    for k in range(count):
        if k % per_page == 0:  # a fresh session now and then, so every stroke adds new ink
            _open(page, f"{base}/?{DRAW_QUERY.format(grid=grid)}", "canvas")
            canvas = _sidebar(page).locator(DRAW_CANVAS)
            canvas.wait_for()
            page.wait_for_function(
                "el => el.getBoundingClientRect().height >= 239", arg=canvas.element_handle()
            )
        _stroke(page, rng, k % per_page, per_page)
        samples.add(_measure(page, "canvas", ["pointerup"], page.mouse.up))
    return samples


# ---------------------------------------------------------------- report

# (label, probe kind): Explore; the minimal page with st.image; the same page with the view
SIDES = {
    "app": ("Explore", "canvas"),
    "peer": ("minimal page", "img"),
    "view": ("minimal page + view", "canvas"),
}
PEERED = tuple(name for name in INTERACTIONS if "stride" in name or "padding" in name)


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def _table(results: dict[str, dict[str, Samples]]) -> str:
    lines = [
        "| interaction | Explore p50 / p95 | minimal page p50 / p95 | minimal + view p50 / p95 "
        "| Explore / minimal, p95 | minimal + view / minimal, p95 | target | verdict |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name, by_side in results.items():
        cells = []
        for side in SIDES:
            samples = by_side.get(side)
            if samples is None or not samples.total:
                cells.append("-")
                continue
            miss = f" ({samples.missed} missed)" if samples.missed else ""
            cells.append(
                f"{percentile(samples.total, 50):.0f} / {percentile(samples.total, 95):.0f} ms"
                + miss
            )
        p95 = {side: percentile(s.total, 95) for side, s in by_side.items()}
        peer = p95.get("peer", float("nan"))
        app = by_side["app"]
        if name in PEERED:
            target = f"p95 <= {RATIO_TARGET}x minimal"
            ok = p95["app"] <= RATIO_TARGET * peer
        else:
            target = f"p95 < {ABSOLUTE_TARGET_MS:g} ms"
            ok = p95["app"] < ABSOLUTE_TARGET_MS
        verdict = "PASS" if ok and not app.missed else "MISS"
        view = p95.get("view", float("nan"))
        ratios = f"{ratio_text(p95['app'], peer)} | {ratio_text(view, peer)}"
        lines.append(f"| {name} | {' | '.join(cells)} | {ratios} | {target} | {verdict} |")
    return "\n".join(lines)


def _split(results: dict[str, dict[str, Samples]]) -> str:
    lines = [
        "| interaction | page | n | before send | send -> last frame "
        "| last frame -> on screen | bytes received |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, by_side in results.items():
        for side, samples in by_side.items():
            if not samples.total or samples.confirmed:  # on the view: drawn before sending
                continue
            sent = statistics.median(samples.sent)
            frame = statistics.median(
                f - s for f, s in zip(samples.frame, samples.sent, strict=True)
            )
            shown = statistics.median(
                t - f for t, f in zip(samples.total, samples.frame, strict=True)
            )
            kb = statistics.median(samples.frame_kb)
            lines.append(
                f"| {name} | {SIDES[side][0]} | {len(samples.total)} | {sent:.0f} ms "
                f"| {frame:.0f} ms | {shown:.0f} ms | {kb:.0f} kB |"
            )
    return "\n".join(lines)


def _confirmed(results: dict[str, dict[str, Samples]]) -> str:
    """On the view, the first picture is the browser's own arithmetic: when Python's came."""
    lines = [
        "| interaction | first picture p50 / p95 | request sent (median) "
        "| Python's output on screen p50 / p95 |",
        "|---|---:|---:|---:|",
    ]
    for name, by_side in results.items():
        app = by_side.get("app")
        if app is None or not app.confirmed:
            continue
        lines.append(
            f"| {name} | {percentile(app.total, 50):.0f} / {percentile(app.total, 95):.0f} ms "
            f"| {statistics.median(app.sent):.0f} ms "
            f"| {percentile(app.confirmed, 50):.0f} / {percentile(app.confirmed, 95):.0f} ms |"
        )
    return "\n".join(lines) if len(lines) > 2 else ""


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=30, help="per interaction and page")
    parser.add_argument("--strokes", type=int, default=16)
    parser.add_argument("--only", choices=[*INTERACTIONS, "stroke"], action="append")
    args = parser.parse_args()
    chosen = args.only or [*INTERACTIONS, "stroke"]
    load_before = _load()
    results: dict[str, dict[str, Samples]] = {}
    with (
        AppServer() as app_server,
        AppServer("benchmarks/minimal_page.py") as peer_server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        app_base = f"http://127.0.0.1:{app_server.port}"
        peer_base = f"http://127.0.0.1:{peer_server.port}"
        urls = {"app": f"{app_base}/?{APP_QUERY}", "peer": f"{peer_base}/",
                "view": f"{peer_base}/?view=1"}  # fmt: skip
        pages = {}
        for side, url in urls.items():
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            context.add_init_script(PROBE)
            pages[side] = context.new_page()
            _open(pages[side], url, SIDES[side][1])
        for name in [n for n in chosen if n in INTERACTIONS]:
            how = INTERACTIONS[name]
            results[name] = {side: Samples() for side in SIDES}
            for step in range(args.samples):
                order = list(SIDES)[step % 3 :] + list(SIDES)[: step % 3]  # take turns
                for side in order:
                    page = pages[side]
                    on_view = how.on_view and side == "app"
                    action = how.app_action if on_view else how.peer_action
                    sample = _measure(page, SIDES[side][1], how.events, action(page, step), on_view)
                    results[name][side].add(sample)
        if "stroke" in chosen:
            for grid in STROKE_GRIDS:
                results[f"drawn stroke (Draw, {grid}x{grid} grid)"] = {
                    "app": _strokes(pages["app"], app_base, args.strokes, grid)
                }
        browser.close()
    print(
        "Input -> new output on screen, headless Chromium, Explore (cat photo, 512 px, "
        f"Laplacian) and the minimal page taking turns. Load average before: {load_before}, "
        f"after: {_load()} (2 cores).\n"
    )
    print(_table(results))
    confirmed = _confirmed(results)
    if confirmed:
        print(
            "\nOn the view, Explore draws a padding or stride change from its own float32 "
            "arithmetic (each cell as playground.trace computes it), then Python's rerun "
            "replaces it with conv2d's output, colour scale and legend:\n"
        )
        print(confirmed)
    print("\nWhere the time goes (medians, ms from the input event):\n")
    print(_split(results))


if __name__ == "__main__":
    main()
