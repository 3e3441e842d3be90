"""The Channels page in AppTest, driven by widget keys."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

from tests.page_harness import page_app


def _markdown(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_books_numbers_are_shown_and_match():
    """[[56, 72], [104, 120]], the three outputs and 1x1 = matmul, each marked as matching."""
    at = page_app("channels").run()
    text = _markdown(at)
    assert "`[[56, 72], [104, 120]]` ✓ matches the book" in text
    assert "[[76, 100], [148, 172]]" in text
    assert text.count("✓ matches the book") == 3 and "differs" not in text
    assert "has shape (3, 2, 2, 2) in the book's layout" in text
    assert "(2, 2, 2, 3) in Keras' layout" in text


def test_the_default_photo_prints_every_shape():
    """The 24-px astronaut with the default stack: input, kernel tensor and output shapes."""
    at = page_app("channels").run()
    assert (
        "Input (H, W, C_in) = (24, 24, 3) · kernel tensor (kh, kw, C_in, C_out) = (3, 3, 3, 1) "
        "· output (OH, OW, C_out) = (22, 22, 1)"
    ) in _markdown(at)
    assert any(c.value.startswith("3×3×3×1 = 27 weights and 1 bias") for c in at.caption)


def test_the_book_input_sums_its_two_channels_for_the_chosen_cell():
    """The book's X, bias 0: channel 1 gives 19, channel 2 gives 37, the cell 56."""
    at = page_app("channels", query={"ch_src": "The book's 2 channels"}).run()
    text = _markdown(at)
    assert "channel 1: 0×0 + 1×1 + 3×2 + 4×3 = 19" in text
    assert "channel 1: 19 + channel 2: 37 + b 0 = 56" in text
    at.number_input(key="ch_col").set_value(1)
    at.number_input(key="ch_bias0").set_value(1.5).run()
    assert "channel 1: 25 + channel 2: 47 + b 1.5 = 73.5" in _markdown(at)


def test_more_output_channels_grow_the_kernel_tensor():
    """Three output channels of the book's stacks: kernel (2, 2, 2, 3), output (2, 2, 3)."""
    at = page_app("channels", query={"ch_src": "The book's 2 channels", "ch_outs": "3"}).run()
    text = _markdown(at)
    assert "(kh, kw, C_in, C_out) = (2, 2, 2, 3)" in text
    assert "(OH, OW, C_out) = (2, 2, 3)" in text
    at.number_input(key="ch_show").set_value(3).run()
    assert "b 0 = 96" in _markdown(at)  # the book's third output, top left


def test_hovering_an_output_cell_reads_the_sum_across_channels():
    """The output map's hover text is R: … + G: … + B: … + b = value."""
    at = page_app("channels").run()
    hovers = [
        trace.get("customdata")
        for chart in at.get("plotly_chart")
        for trace in json.loads(chart.proto.spec)["data"]
        if trace.get("customdata")
    ]
    assert hovers and hovers[-1][0][0].startswith("R: ") and " + B: " in hovers[-1][0][0]


def test_kernels_of_two_sizes_are_one_plain_sentence():
    """The book's 2x2 stack beside a 3x3 one: no layer, a sentence, no traceback."""
    at = page_app("channels", query={"ch_outs": "2"}).run()
    at.selectbox(key="ch_stack1").set_value("book").run()
    assert not at.exception
    assert any("must have the same size" in w.value for w in at.warning)


def test_the_grey_mix_on_two_channels_is_explained():
    """The grey weights need R, G and B: the book's two channels get a sentence."""
    at = page_app("channels", query={"ch_src": "The book's 2 channels"}).run()
    assert any("needs 3 channels; this input has 2" in w.value for w in at.warning)
    at.radio(key="ch_mix").set_value("average").run()
    assert "equal, largest difference 0" in _markdown(at)


def test_the_1x1_check_is_on_screen_for_the_photo():
    """Colour -> grey as a 1x1 convolution equals the matrix multiply."""
    at = page_app("channels").run()
    assert (
        "1×1 convolution with a kernel of shape (1, 1, 3, 1) and the matrix multiply "
        "X.reshape(576, 3) @ W (3×1), reshaped to (24, 24, 1): equal"
    ) in _markdown(at)


def test_typed_channels_of_different_shapes_are_explained():
    """A 2x2 red channel beside 3x3 green and blue: one sentence, no traceback."""
    at = page_app("channels", query={"ch_src": "Type numbers"}).run()
    at.text_area(key="ch_typed_r").set_value("1 2\n3 4").run()
    assert not at.exception
    assert any("same number of rows and columns" in e.value for e in at.error)


def test_a_kernel_larger_than_the_input_has_no_output():
    """A 3x3 stack on a 2x2 typed input with 'valid': the sentence says why."""
    at = page_app("channels", query={"ch_src": "Type numbers"}).run()
    for key in ("ch_typed_r", "ch_typed_g", "ch_typed_b"):
        at.text_area(key=key).set_value("1 2\n3 4")
    at.run()
    assert any(w.value.startswith("This setting has no output.") for w in at.warning)


def test_an_uploaded_colour_photo_keeps_its_three_channels():
    """A 40x30 RGB PNG, scaled to the page's size, arrives as (H, W, 3)."""
    at = page_app("channels", query={"ch_src": "Upload"}).run()
    png = io.BytesIO()
    rgb = np.random.default_rng(0).integers(0, 255, (30, 40, 3), np.uint8)
    Image.fromarray(rgb, "RGB").save(png, "PNG")
    at.get("file_uploader")[0].set_value(("colour.png", png.getvalue(), "image/png")).run()
    assert not at.exception and not at.error
    assert "Input (H, W, C_in) = (18, 24, 3)" in _markdown(at)


def test_channel_names_are_translated_where_they_are_shown():
    """Issue 17: 'channel 1' is read in Chinese as 通道 1; the widget keys stay as they were."""
    at = page_app("channels", query={"ch_src": "The book's 2 channels", "lang": "zh"}).run()
    assert not at.exception
    text = _markdown(at)
    assert "通道 1: 19 + 通道 2: 37 + b 0 = 56" in text
    assert "channel 1" not in text
    at = page_app(
        "channels", query={"ch_src": "The book's 2 channels", "ch_stack0": "custom", "lang": "zh"}
    ).run()
    labels = [t.label for t in at.text_input]
    assert "通道 1 的卷积核" in labels and at.text_input(key="ch_k0_0").value == "1 -1"


def test_the_grey_mix_of_two_channels_is_explained_in_the_readers_language():
    """The 1x1 grey mix needs R, G, B: with the book's two channels the page says so, in zh."""
    query = {"ch_src": "The book's 2 channels", "ch_mix": "grey", "lang": "zh"}
    at = page_app("channels", query=query).run()
    assert not at.exception
    assert any("需要 3 个通道；这个输入有 2 个" in w.value for w in at.warning)
