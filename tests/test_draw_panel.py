"""The drawing panel in AppTest: the canvas's strokes simulated as its state value.

AppTest cannot run the browser component; it reads what the page sent to it
(the binary message) and writes what the canvas would send back, the
``stroke`` state value under the canvas's key.
"""

from __future__ import annotations

import base64
import re

import numpy as np

from playground.figures.conv_view_data import input_digest, unpack
from tests.page_harness import page_app
from views.components import assets, draw_canvas
from views.draw_panel import DRAWING, DRAWING_RGB

CANVAS = "convolution_playground.draw_canvas"
VIEW = "convolution_playground.conv_view"


def _component(at, name: str):
    (found,) = [c for c in at.get("bidi_component") if c.proto.component_name == name]
    return found


def _canvas_message(at) -> tuple[dict, np.ndarray]:
    """What the page sent to the canvas: its header and the cells it shows."""
    header, sections = unpack(_component(at, CANVAS).proto.bytes)
    shape = (header["rows"], header["cols"]) + ((3,) if header["channels"] == 3 else ())
    return header, np.frombuffer(sections["values"], np.uint8).reshape(shape)


def _expect_input(at, expected) -> None:
    """The convolution view shows ``expected`` as its input (named by content digest: its
    values travel only with the first run that shows them, the browser keeps them)."""
    header, sections = unpack(_component(at, VIEW).proto.bytes)
    expected = np.asarray(expected, np.float32)
    assert header["input"]["digest"] == input_digest(expected), header["input"]
    if "input" in sections:
        sent = np.frombuffer(sections["input"], np.float32).reshape(expected.shape)
        np.testing.assert_array_equal(sent, expected)
        assert not np.signbit(sent).any()


def _send(at, key: str, cells: np.ndarray, *, seq: int, origin: str = "tab1"):
    """What the canvas sends on pointer-up: every cell's byte, base64, with its origin."""
    rows, cols = cells.shape[:2]
    at.session_state[key] = {
        "stroke": {
            "origin": origin,
            "seq": seq,
            "rows": rows,
            "cols": cols,
            "channels": 1 if cells.ndim == 2 else 3,
            "data": base64.b64encode(np.ascontiguousarray(cells, np.uint8).tobytes()).decode(),
        }
    }
    return at.run()


def _diagonal(side: int) -> np.ndarray:
    cells = np.zeros((side, side), np.uint8)
    np.fill_diagonal(cells, 255)
    return cells


def _explore(query=None):
    at = page_app(
        "explore", query={"src": "Draw", "kernel": "Identity", "pad": "same", **(query or {})}
    )
    at.run()
    assert not at.exception
    return at


def test_an_empty_canvas_is_an_empty_input():
    """Before any stroke the canvas shows zeros and the input is all 0 (white on black)."""
    at = _explore({"grid": "8"})
    header, cells = _canvas_message(at)
    assert (header["rows"], header["cols"], header["channels"]) == (8, 8, 1)
    assert not cells.any()
    _expect_input(at, np.zeros((8, 8), np.float32))


def test_a_stroke_becomes_the_input_and_is_echoed():
    """The stroke's cells are the input (1 where drawn); the next run echoes its origin."""
    at = _explore({"grid": "8"})
    at = _send(at, "canvas", _diagonal(8), seq=1)
    _expect_input(at, np.eye(8, dtype=np.float32))
    at.run()
    header, cells = _canvas_message(at)
    assert (header["origin"], header["seq"]) == ("tab1", 1)
    np.testing.assert_array_equal(cells, _diagonal(8))


def test_black_on_white_ink_turns_the_numbers_round():
    at = _explore({"grid": "8", "ink": "dark"})
    at = _send(at, "canvas", _diagonal(8), seq=1)
    _expect_input(at, 1 - np.eye(8, dtype=np.float32))


def test_the_drawing_survives_a_switch_of_source_and_back():
    """Sample, then Draw again: the remounted canvas opens on the drawing, the input too."""
    at = _explore({"grid": "8"})
    at = _send(at, "canvas", _diagonal(8), seq=1)
    at.radio(key="src").set_value("Sample").run()
    assert not [c for c in at.get("bidi_component") if c.proto.component_name == CANVAS]
    at.radio(key="src").set_value("Draw").run()
    _header, cells = _canvas_message(at)
    np.testing.assert_array_equal(cells, _diagonal(8))
    _expect_input(at, np.eye(8, dtype=np.float32))


def test_a_grid_change_resamples_the_drawing_for_canvas_and_input_alike():
    """16 -> 8: the canvas shows the resampled cells and the input holds the same values."""
    at = _explore({"grid": "16"})
    at = _send(at, "canvas", _diagonal(16), seq=1)
    at.slider(key="grid").set_value(8).run()
    header, cells = _canvas_message(at)
    assert (header["rows"], header["origin"]) == (8, "")  # resampled: not the stroke itself
    half = np.zeros((8, 8), np.float32)
    np.fill_diagonal(half, 0.5)  # each 2x2 block held half ink
    _expect_input(at, half)
    np.testing.assert_array_equal(cells, np.round(half * 255))
    # back to 16: the drawing as it was made, not a blurred copy of the 8x8
    at.slider(key="grid").set_value(16).run()
    np.testing.assert_array_equal(_canvas_message(at)[1], _diagonal(16))


def test_a_stroke_already_taken_is_not_taken_again():
    """The state value stays after its rerun; another page's drawing is not overwritten by it."""
    at = _explore({"grid": "8"})
    at = _send(at, "canvas", _diagonal(8), seq=1)
    other = np.zeros((8, 8), np.float32)
    other[0, 0] = 1.0
    from views.draw_panel import Drawing

    at.session_state[DRAWING] = Drawing(other, "elsewhere", 4)
    at.run()
    _expect_input(at, other)


def test_a_malformed_stroke_keeps_the_drawing():
    at = _explore({"grid": "8"})
    at = _send(at, "canvas", _diagonal(8), seq=1)
    at.session_state["canvas"] = {"stroke": {"origin": "x", "seq": 2, "rows": 8, "cols": 8,
                                             "channels": 1, "data": "not base64!"}}  # fmt: skip
    at.run()
    assert not at.exception
    _expect_input(at, np.eye(8, dtype=np.float32))


def test_the_canvas_code_travels_once_per_session():
    """The first message carries the module; later ones name it; Streamlit resends the loader."""
    at = _explore()
    header, sections = unpack(_component(at, CANVAS).proto.bytes)
    assert sections["code"] == draw_canvas.CANVAS.code
    assert header["code_digest"] == draw_canvas.CANVAS.digest
    at.run()
    assert "code" not in unpack(_component(at, CANVAS).proto.bytes)[1]
    assert _component(at, CANVAS).proto.js_content == assets.LOADER
    assert len(assets.LOADER) < 3_000 < len(draw_canvas.CANVAS.code)


def test_a_red_stroke_on_channels_is_red_only():
    """Draw in colour: red cells give R = 1 there, G and B stay 0; the sum line shows it."""
    at = page_app("channels", query={"ch_src": "Draw", "ch_grid": "8"}).run()
    assert not at.exception
    header, cells = _canvas_message(at)
    assert header["channels"] == 3 and not cells.any()
    assert header["palette"][0] == ["red", "#ff0000"]
    red = np.zeros((8, 8, 3), np.uint8)
    red[:3, 0, 0] = 255  # a red edge down the first column
    at = _send(at, "ch_colour_canvas", red, seq=1)
    drawn = at.session_state[DRAWING_RGB].values
    np.testing.assert_array_equal(drawn[:3, 0, 0], 1.0)
    assert drawn[..., 0].sum() == 3 and not drawn[..., 1:].any()
    assert "Input: 3 channels of 8×8" in " ".join(s.value for s in at.subheader)
    (total,) = [m.value for m in at.markdown if 'data-testid="ch-sum"' in m.value]
    # edges in red only, at output cell (0, 0): the red edge counts, G and B give nothing
    assert re.search(r"R: -?[1-9][\d.]* \+ G: 0 \+ B: 0 \+ b 0 = -?[1-9]", total), total
