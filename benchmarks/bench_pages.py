"""Page speed: first page, rerun time and bytes per rerun on a 512x512 image.

Starts the app as the README does (``streamlit run streamlit_app.py`` from
the repo root, on a free loopback port), then drives the Explore page over
Streamlit's own websocket protocol (benchmarks/streamlit_client.py):

- time to the first finished page after the server answers its health check;
- server time of a rerun after a slider change with the 512x512 photo
  (loopback, so the latency is server time plus a local socket hop);
- bytes the browser receives per rerun.

Peers measured in the same run, printed as ratios:
- the same output map sent as a numeric Plotly heatmap (what the page avoids);
- ``import tensorflow`` in a fresh interpreter (what the first page avoids).

    python -m benchmarks.bench_pages [--reruns 20]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time

import numpy as np
import plotly.graph_objects as go

from benchmarks.streamlit_client import AppServer, StreamlitClient
from playground import conv2d, load_sample

PHOTO_QUERY = "src=Sample&sample=Photo%3A+astronaut&size=512"
TARGETS = {"rerun_ms": 150.0, "rerun_kb": 400.0, "first_page_s": 2.0}


async def _measure(port: int, reruns: int) -> dict:
    client = StreamlitClient("127.0.0.1", port)
    first = await client.open("", "")
    photo = await client.open("", PHOTO_QUERY)
    if not (first.ok and photo.ok) or photo.exceptions or photo.errors:
        raise SystemExit(f"the page did not open cleanly: {first.problem or photo.problem}")
    times, sizes = [], []
    for i in range(reruns):
        result = await client.rerun({"stride_h": 2 if i % 2 == 0 else 1})
        if not result.ok or result.exceptions:
            raise SystemExit(f"rerun {i} failed: {result.problem or result.exceptions}")
        times.append(result.latency * 1000)
        sizes.append(result.nbytes / 1024)
    shape_line = next(line for line in client.page_text().splitlines() if "→ output" in line)
    await client.close()
    return {"first_s": first.latency, "times": times, "sizes": sizes, "shape": shape_line}


def _numeric_heatmap_kb() -> float:
    """The peer: this rerun's 512x512 output as a numeric heatmap's JSON."""
    image = load_sample("astronaut", max_side=512)
    output = conv2d(image, [[1, -1]])
    return len(go.Figure(go.Heatmap(z=output)).to_json()) / 1024


def _tensorflow_import_s() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import tensorflow"], check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=20)
    args = parser.parse_args()
    with AppServer() as server:
        up = time.perf_counter()
        result = asyncio.run(_measure(server.port, args.reruns))
    heatmap_kb = _numeric_heatmap_kb()
    tf_s = _tensorflow_import_s()
    p50 = statistics.median(result["times"])
    p95 = float(np.percentile(result["times"], 95))
    kb = statistics.median(result["sizes"])
    rows = [
        ("first finished page after health OK", result["first_s"], "s", TARGETS["first_page_s"]),
        ("rerun after a slider change, p50", p50, "ms", TARGETS["rerun_ms"]),
        ("rerun after a slider change, p95", p95, "ms", TARGETS["rerun_ms"]),
        ("bytes received per rerun, median", kb, "kB", TARGETS["rerun_kb"]),
    ]
    print(f"Explore page, 512x512 photo ({result['shape'].strip()}); {args.reruns} reruns")
    print(f"server up to benchmark end: {time.perf_counter() - up:.1f} s\n")
    print("| measure | value | target | verdict |")
    print("|---|---:|---:|---|")
    for name, value, unit, target in rows:
        verdict = "PASS" if value < target else "MISS"
        print(f"| {name} | {value:.3g} {unit} | < {target:g} {unit} | {verdict} |")
    print("\nPeers, same run:")
    print(
        f"- the same output as a numeric heatmap: {heatmap_kb:.0f} kB of JSON; "
        f"the page sends {kb:.0f} kB per rerun ({heatmap_kb / kb:.1f}x less)"
    )
    print(
        f"- `import tensorflow` in a fresh interpreter: {tf_s:.2f} s; the first page took "
        f"{result['first_s']:.2f} s ({tf_s / result['first_s']:.1f}x less: no TensorFlow)"
    )


if __name__ == "__main__":
    main()
