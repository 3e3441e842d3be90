"""The peer page of benchmarks/bench_browser.py: the smallest Streamlit page doing the same job.

It loads the cat sample at the same size as Explore's link in the benchmark,
correlates it with the same kernel through ``playground.conv2d`` and shows
input and output with ``st.image``. Its widgets are the ones the benchmark
drives on Explore (stride, padding, kernel rows), so both pages pay the same
framework costs (widget debounce, websocket, rerun, script run) and differ
only in what they do with the result.

    streamlit run benchmarks/minimal_page.py

Not part of the app; nothing imports it.
"""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` adds benchmarks/

import playground  # noqa: E402
from playground.kernels import KERNELS  # noqa: E402

SAMPLE, SIZE, KERNEL = "cat", 512, "laplacian"


@st.cache_data(show_spinner=False)
def _sample() -> np.ndarray:
    return playground.load_sample(SAMPLE, max_side=SIZE)


x = _sample()
weights = np.asarray(KERNELS[KERNEL].weights, dtype=np.float32)
with st.sidebar:
    padding = st.selectbox("Padding", ("valid", "same", "full"), key="pad")
    stride = st.slider("Stride (rows)", 1, 4, 1, key="stride_h")
    rows = st.number_input("Kernel rows", 1, 7, weights.shape[0], key="kernel_rows")
kernel = np.zeros((rows, weights.shape[1]), np.float32)
kernel[: min(rows, weights.shape[0])] = weights[:rows]
out = playground.conv2d(x, kernel, strides=(stride, 1), padding=padding)
low, high = float(out.min()), float(out.max())
shown = (out - low) / (high - low) if high > low else np.zeros_like(out)
left, right = st.columns(2)
left.image(x, caption=f"Input {x.shape[0]}×{x.shape[1]}", clamp=True)
right.image(shown, caption=f"Output {out.shape[0]}×{out.shape[1]}", clamp=True)
