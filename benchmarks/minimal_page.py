"""The peer page of benchmarks/bench_browser.py: the smallest Streamlit page doing the same job.

It loads the cat sample at the same size as Explore's link in the benchmark,
correlates it with the same kernel through ``playground.conv2d`` and shows
input and output with ``st.image``. Its widgets are the ones the benchmark
drives on Explore (stride, padding, kernel rows), so both pages pay the same
framework costs (widget debounce, websocket, rerun, script run) and differ
only in what they do with the result.

    streamlit run benchmarks/minimal_page.py

``?view=1`` shows the output with the app's convolution view
(views/components/conv_view) instead of ``st.image``: the same small page,
so the difference to the plain page is the view's own cost, and the
difference to Explore is what Explore's other elements cost.

Not part of the app; nothing imports it.
"""

import sys
from pathlib import Path

import numpy as np
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `streamlit run` adds benchmarks/

import playground
from playground.kernels import KERNELS

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
if st.query_params.get("view"):
    from playground.shapes import resolve_geometry
    from views.components.conv_view import conv_view

    pads = resolve_geometry(x.shape, kernel.shape, (stride, 1), (1, 1), padding).pads
    conv_view(key="view", x=x, kernel=kernel, output=out, pads=pads, strides=(stride, 1),
              dilation=(1, 1))  # fmt: skip
else:
    low, high = float(out.min()), float(out.max())
    shown = (out - low) / (high - low) if high > low else np.zeros_like(out)
    left, right = st.columns(2)
    left.image(x, caption=f"Input {x.shape[0]}×{x.shape[1]}", clamp=True)
    right.image(shown, caption=f"Output {out.shape[0]}×{out.shape[1]}", clamp=True)
