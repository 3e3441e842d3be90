"""Explore's downloads: prepared once on a click, kept for the settings they show.

The files are built when the student presses "Prepare downloads" and held by
the session; the download buttons then carry those bytes (no deferred file
that another session's cleanup could delete before the browser's GET). A new
setting drops them and brings the button back.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

import playground
from playground.kernels import KERNELS
from playground.settings import ConvSettings, run_conv
from tests.page_harness import page_app
from views import explore

QUERY = {"src": "Type numbers", "kernel": "Laplacian", "pad": "same"}
BOOK_X = np.arange(9, dtype=np.float32).reshape(3, 3)
LAPLACIAN = KERNELS["laplacian"].weights


def _files_sent(at) -> tuple[object, dict[str, bytes]]:
    """Run ``at``; the bytes of every file a download button handed to Streamlit, by name."""
    sent: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def record(self, data, mimetype, kind, filename=None):
        sent[filename] = data
        return original(self, data, mimetype, kind, filename)

    with mock.patch.object(MemoryMediaFileStorage, "load_and_get_id", record):
        return at.run(), sent


def _labels(at) -> list[str]:
    return [b.label for b in at.get("download_button")]


def test_prepare_builds_the_files_once_with_the_right_bytes():
    at = page_app("explore", query=QUERY).run()
    assert _labels(at) == []  # nothing built before the click
    assert at.button(key="prepare_downloads").label == "Prepare downloads"
    at.button(key="prepare_downloads").click()
    at, sent = _files_sent(at)
    assert _labels(at) == [
        "Output as PNG",
        "Output as CSV",
        "Output as .npy",
        "Kernel as CSV",
        "Input as .npy",
    ]
    assert not [b for b in at.button if b.key == "prepare_downloads"]
    output = run_conv(BOOK_X, ConvSettings(kernel=LAPLACIAN, padding="same")).output
    assert output.shape == (3, 3)
    assert sent == {
        "feature_map.png": playground.to_png_bytes(output),
        "feature_map.csv": playground.to_csv_bytes(output),
        "feature_map.npy": playground.to_npy_bytes(output),
        "kernel.csv": playground.to_csv_bytes(np.array(LAPLACIAN, np.float32)),
        "input.npy": playground.to_npy_bytes(BOOK_X),
    }


def test_a_new_setting_drops_the_prepared_files():
    at = page_app("explore", query=QUERY).run()
    at.button(key="prepare_downloads").click().run()
    assert len(_labels(at)) == 5
    at.radio(key="contrast").set_value("clip").run()  # not in the files: they stay
    assert len(_labels(at)) == 5
    at.slider(key="stride_h").set_value(2).run()
    assert _labels(at) == []
    assert explore.PREPARED not in at.session_state
    assert at.button(key="prepare_downloads").label == "Prepare downloads"
    at.button(key="prepare_downloads").click()
    at, sent = _files_sent(at)
    strided = run_conv(BOOK_X, ConvSettings(kernel=LAPLACIAN, padding="same", strides=(2, 1)))
    assert strided.output.shape == (2, 3)
    assert sent["feature_map.npy"] == playground.to_npy_bytes(strided.output)


def test_a_new_kernel_drops_the_prepared_files():
    at = page_app("explore", query=QUERY).run()
    at.button(key="prepare_downloads").click().run()
    at.selectbox(key="kernel").set_value("Box blur 3x3").run()
    assert _labels(at) == []
    assert at.button(key="prepare_downloads")
