"""The sliding-window page, driven by widget keys in AppTest.

The page opens on the book's first example: the typed matrix 0..8 and the
kernel [[0, 1], [2, 3]], whose four steps are 19, 25, 37 and 43. The
scrubber ``step`` counts from 1.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from playground.figures.conv_view_data import unpack
from tests.page_harness import page_app

BOOK_STEPS = [
    "0×0 + 1×1 + 3×2 + 4×3 = 19",
    "1×0 + 2×1 + 4×2 + 5×3 = 25",
    "3×0 + 4×1 + 6×2 + 7×3 = 37",
    "4×0 + 5×1 + 7×2 + 8×3 = 43",
]


def _equation(at) -> str:
    return next(m.value for m in at.markdown if 'data-testid="window-equation"' in m.value)


def _view_message(at) -> dict:
    """The header the page sent to the browser view (AppTest cannot run the view itself)."""
    (view,) = at.get("bidi_component")
    header, _ = unpack(view.proto.bytes)
    return header


def _report(at, step: int, playing: bool):
    """What the browser view sends when it pauses or plays: its state under the view's key."""
    at.session_state["window_view"] = {"player": {"step": step, "playing": playing}}
    return at.run()


def _words(at) -> str:
    return " ".join(m.value for m in at.markdown)


def _run(query: dict[str, str] | None = None):
    at = page_app("window", query=query).run()
    assert not at.exception
    return at


def test_first_visit_shows_the_books_first_step():
    """Without a link the page opens on the typed 0..8 and [[0, 1], [2, 3]]: 19."""
    at = _run()
    assert at.radio(key="src").value == "Type numbers"
    assert BOOK_STEPS[0] in _equation(at)
    assert "Step 1 of 4: output row 0, column 0" in _words(at)
    # the visible result is green, like the output cell it lands in
    assert '= <span style="color:#2ca02c">19</span>' in _equation(at)


def test_kernel_from_the_link():
    """?k=0,1;2,3 with the typed matrix gives the same first step."""
    at = _run({"src": "Type numbers", "k": "0,1;2,3"})
    assert BOOK_STEPS[0] in _equation(at)


def test_next_three_times_reaches_the_last_step():
    """Each Next moves one step; the fourth cell is 4×0 + 5×1 + 7×2 + 8×3 = 43."""
    at = _run()
    for expected in BOOK_STEPS[1:]:
        at.button(key="win_next").click().run()
        assert expected in _equation(at)
    assert at.slider(key="step").value == 4
    assert "Step 4 of 4: output row 1, column 1" in _words(at)
    assert at.button(key="win_next").disabled
    assert at.button(key="win_last").disabled


def test_previous_moves_back():
    """Previous undoes a Next."""
    at = _run()
    at.button(key="win_next").click().run()
    at.button(key="win_prev").click().run()
    assert BOOK_STEPS[0] in _equation(at)
    assert at.button(key="win_prev").disabled


def test_last_and_first():
    """Last jumps to the end, First back to the start."""
    at = _run()
    at.button(key="win_last").click().run()
    assert BOOK_STEPS[3] in _equation(at)
    at.button(key="win_first").click().run()
    assert BOOK_STEPS[0] in _equation(at)
    assert at.slider(key="step").value == 1


def test_scrubber_jumps_to_a_step():
    """Dragging the scrubber to 3 shows the third window and fills three output cells."""
    at = _run()
    at.slider(key="step").set_value(3).run()
    assert BOOK_STEPS[2] in _equation(at)
    assert "That row is done" in _words(at)


def test_link_opens_at_a_step():
    """?step=2 opens on the second window; the buttons know it (Previous is enabled)."""
    at = _run({"step": "2"})
    assert at.slider(key="step").value == 2
    assert BOOK_STEPS[1] in _equation(at)
    assert not at.button(key="win_prev").disabled


def test_moving_writes_the_step_into_the_link():
    """After Next the URL carries step=2, so the link can be shared."""
    at = _run()
    at.button(key="win_next").click().run()
    assert at.query_params["step"] == "2"


def test_stride_changes_the_number_of_steps_and_the_sentence():
    """On the 6x8 bars, a 2x2 kernel has 35 steps; stride 2 leaves 3x4 = 12."""
    at = _run({"src": "Sample"})
    assert at.slider(key="step").max == 35
    at.slider(key="stride_w").set_value(2)
    at.slider(key="stride_h").set_value(2).run()
    assert at.slider(key="step").max == 12
    at.button(key="win_next").click().run()
    assert "moved 2 columns right (stride 2)" in _words(at)
    assert "Step 2 of 12" in _words(at)


def test_step_is_clamped_when_the_output_shrinks():
    """At the last of 35 steps, stride 2 pulls the step back to the last of 12."""
    at = _run({"src": "Sample"})
    at.button(key="win_last").click().run()
    at.slider(key="stride_w").set_value(2)
    at.slider(key="stride_h").set_value(2).run()
    assert not at.exception
    assert at.slider(key="step").value == 12
    assert "Step 12 of 12" in _words(at)


def test_bias_is_added_in_the_equation():
    """A bias of 1 appears in the equation and in the sum: 19 + 1 = 20."""
    at = _run({"bias": "1.0"})
    assert "0×0 + 1×1 + 3×2 + 4×3 + 1 (bias) = 20" in _equation(at)
    assert "sum of products 19 + bias 1 = 20" in _words(at)


def test_padding_is_explained():
    """With padding 'full' the first window sits mostly on padding, and the page says so."""
    at = _run({"pad": "full"})
    assert "0×0 + 0×1 + 0×2 + 0×3 = 0" in _equation(at)
    assert "padding" in _words(at)
    assert "of 16" in _words(at)


def test_flip_uses_the_turned_kernel():
    """With flip on, the first window meets [[3, 2], [1, 0]] and the page says why."""
    at = _run({"flip": "true"})
    assert "0×3 + 1×2 + 3×1 + 4×0 = 5" in _equation(at)
    assert "turned 180°" in _words(at)


def test_impossible_setting_shows_a_warning_not_an_exception():
    """Dilation 4 makes the 2x2 kernel span 5 columns of a 3-wide input: a sentence, no trace."""
    at = _run({"dil_w": "4"})
    assert at.warning and "This setting has no output." in at.warning[0].value
    assert not [m for m in at.markdown if "window-equation" in m.value]


def test_too_large_input_is_refused_with_a_sentence():
    """A typed 17x17 matrix is beyond what the page can show readably."""
    at = _run()
    at.text_area(key="matrix").set_value("\n".join(["1 " * 17] * 17)).run()
    assert not at.exception
    assert at.warning and "up to 16×16" in at.warning[0].value


def test_uploads_are_scaled_to_readable_grids():
    """A 100x80 photo is scaled so its longest side is 8 (at most 16): 8x6 pixels, 35 steps."""
    at = _run({"src": "Upload"})
    assert at.slider(key="win_size").max == 16
    png = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (100, 80), np.uint8)).save(png, "PNG")
    at.get("file_uploader")[0].set_value(("photo.png", png.getvalue(), "image/png")).run()
    assert not at.exception
    assert "Step 1 of 35" in _words(at)


def test_a_single_step_has_no_scrubber():
    """A 2x2 input under a 2x2 kernel gives one step: no slider, still the arithmetic."""
    at = _run()
    at.text_area(key="matrix").set_value("1 2\n3 4").run()
    assert not at.exception
    assert "1×0 + 2×1 + 3×2 + 4×3 = 20" in _equation(at)
    assert not [s for s in at.slider if s.key == "step"]
    # one output cell: the view has nothing to play (it disables Play itself)
    assert _view_message(at)["output"]["shape"] == [1, 1]


def test_the_view_gets_the_step_the_settings_and_play_controls():
    """The browser view receives the window mode, the 1-based step and the book's arrays."""
    at = _run({"step": "2"})
    header = _view_message(at)
    assert (header["mode"], header["step"], header["transport"]) == ("window", 2, "play")
    assert header["kernel"]["values"] == [0.0, 1.0, 2.0, 3.0]
    assert header["output"]["shape"] == [2, 2]
    assert header["speed"] == 2


def test_a_pause_in_the_browser_moves_the_step_and_the_link():
    """The view paused at step 3: scrubber, ?step= and the equation follow."""
    at = _report(_run(), 3, playing=False)
    assert at.slider(key="step").value == 3
    assert at.query_params["step"] == "3"
    assert BOOK_STEPS[2] in _equation(at)
    assert _view_message(at)["step"] == 3


def test_while_the_browser_plays_the_page_does_not_show_a_lagging_step():
    """During playback the step sentences give way to one line; pausing brings them back."""
    at = _report(_run(), 1, playing=True)
    assert not [m for m in at.markdown if "window-equation" in m.value]
    assert any("Playing" in i.value for i in at.info)
    at = _report(at, 4, playing=False)
    assert BOOK_STEPS[3] in _equation(at)


def test_a_report_is_applied_once_so_the_buttons_still_work():
    """After the view reported step 3, Next moves on to 4 (the old report is not re-applied)."""
    at = _report(_run(), 3, playing=False)
    at.button(key="win_next").click().run()
    assert at.slider(key="step").value == 4
    assert BOOK_STEPS[3] in _equation(at)


def test_a_report_past_the_end_is_clamped():
    """A stale report from a larger output lands on the last step, not past it."""
    at = _report(_run(), 99, playing=False)
    assert at.slider(key="step").value == 4


def test_presentation_mode_hides_the_intro():
    """?present=1 drops the intro paragraph; the arithmetic stays."""
    at = _run({"present": "1"})
    assert not [c for c in at.caption if "Each output number" in c.value]
    assert BOOK_STEPS[0] in _equation(at)
