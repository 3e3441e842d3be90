"""Kernel-learning speed, retracing and memory (playground.learning).

Run from the repository root::

    python -m benchmarks.bench_learn          # full: 200 steps x 3 repeats, 300 runs
    python -m benchmarks.bench_learn --quick  # smaller: 1 repeat, 60 runs

1. 200 SGD steps on a 128x128 image with a 3x3 kernel, after warm-up:
   ``learn_kernel`` (compiled step) against a plain eager GradientTape loop
   doing the same arithmetic and reading the loss every step, as a page would.
2. Many runs of random image sizes (8..96 px), kernels, strides, paddings
   and all three optimizers: graphs built for the step functions and RSS growth.

Prints a table and always exits 0; the "aim" column says what we hope for.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np
import psutil

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from playground.conv import conv2d
from playground.learning.learn import learn_kernel
from playground.learning.runtime import load_tensorflow
from playground.learning.steps import compiled_graph_count

SOBEL = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]], np.float32)
LR = 0.1


def eager_loop(x: np.ndarray, y: np.ndarray, kernel0: np.ndarray, steps: int) -> float:
    """The plain eager version: GradientTape, tf.nn.conv2d, assign_sub, per-step loss."""
    tf = load_tensorflow()
    x4, y4 = tf.constant(x[None, :, :, None]), tf.constant(y[None, :, :, None])
    kernel = tf.Variable(kernel0[:, :, None, None])
    start = time.perf_counter()
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.nn.conv2d(x4, kernel, 1, "VALID") - y4))
        kernel.assign_sub(LR * tape.gradient(loss, kernel))
        float(loss)  # the page reads every step, like learn_kernel's LearnStep
        kernel.numpy()
    return time.perf_counter() - start


def compiled_loop(x: np.ndarray, y: np.ndarray, steps: int) -> float:
    start = time.perf_counter()
    for _ in learn_kernel(x, y, (3, 3), lr=LR, steps=steps, loss="mean"):
        pass
    return time.perf_counter() - start


def bench_speed(steps: int, repeats: int) -> tuple[float, float]:
    rng = np.random.default_rng(0)
    x = rng.random((128, 128), dtype=np.float32)
    y = conv2d(x, SOBEL)
    kernel0 = rng.normal(0, 0.05, (3, 3)).astype(np.float32)
    compiled_loop(x, y, 5), eager_loop(x, y, kernel0, 5)  # warm-up: trace, kernels, caches
    compiled = min(compiled_loop(x, y, steps) for _ in range(repeats))
    eager = min(eager_loop(x, y, kernel0, steps) for _ in range(repeats))
    return compiled, eager


def bench_varied(runs: int, steps: int) -> tuple[int, float, float]:
    """Return (graphs built, RSS growth in MB after the first 10% of runs, seconds)."""
    rng = np.random.default_rng(1)
    process = psutil.Process()
    rss0, start = None, time.perf_counter()
    for i in range(runs):
        if i == max(runs // 10, 3):
            rss0 = process.memory_info().rss  # after warm-up: allocator pools filled
        h, w = (int(v) for v in rng.integers(8, 97, 2))
        k = tuple(int(v) for v in rng.integers(1, 6, 2))
        kwargs = {
            "strides": int(rng.integers(1, 4)),
            "padding": ["valid", "same", "full", 1][i % 4],
        }
        x = rng.random((h, w), dtype=np.float32)
        y = conv2d(x, rng.normal(size=k), **kwargs)
        for _ in learn_kernel(
            x, y, k, steps=steps, optimizer=("sgd", "momentum", "adam")[i % 3],
            use_bias=bool(i % 2), clipnorm=1.0 if i % 5 == 0 else None, loss="mean",
            seed=i, **kwargs,
        ):  # fmt: skip
            pass
    growth = (process.memory_info().rss - rss0) / 2**20
    return compiled_graph_count(), growth, time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 repeat and 60 runs")
    args = parser.parse_args(argv)
    repeats, runs, steps_per_run = (1, 60, 3) if args.quick else (3, 300, 5)

    start = time.perf_counter()
    load_tensorflow()
    import_s = time.perf_counter() - start
    compiled, eager = bench_speed(200, repeats)
    graphs, growth, varied_s = bench_varied(runs, steps_per_run)

    rows = [
        ("TensorFlow import + gc.freeze", f"{import_s:.1f} s", ""),
        ("200 steps 128x128 3x3, compiled", f"{compiled:.3f} s", "< 0.5 s"),
        ("200 steps 128x128 3x3, eager tape", f"{eager:.3f} s", ""),
        ("eager / compiled", f"{eager / compiled:.1f}x", ">= 3x"),
        (f"{runs} varied runs x {steps_per_run} steps", f"{varied_s:.1f} s", ""),
        ("step-function graphs built", str(graphs), "<= 3"),
        ("RSS growth over the runs", f"{growth:+.1f} MB", "< 50 MB"),
    ]
    print(f"bench_learn ({'quick' if args.quick else 'full'}, {os.cpu_count()} cores)")
    print(f"{'measure':<36} {'value':>10}  aim")
    for name, value, aim in rows:
        print(f"{name:<36} {value:>10}  {aim}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
