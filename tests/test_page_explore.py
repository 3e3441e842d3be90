"""The Explore page, driven by widget keys in AppTest."""

from __future__ import annotations

import pytest

from playground import output_shape
from tests.page_harness import page_app
from views import explore


def _shape_text(at) -> str:
    """The line above the pictures: "Input 6×8 → output 6×7"."""
    return next(h.value for h in at.subheader if "→ output" in h.value)


def _opened(at):
    """The formula and code expanders open: their content is drawn only while open."""
    at.session_state[explore.FORMULA_OPEN] = True
    at.session_state[explore.CODE_OPEN] = True
    return at


def _out(shape) -> str:
    return f"→ output {shape[0]}×{shape[1]}"


def test_default_page_shows_the_books_edge_example():
    """The first visit computes the book's bars image with [1, -1]: a 6x7 map."""
    at = _opened(page_app("explore")).run()
    assert not at.exception
    assert _out((6, 7)) in _shape_text(at)
    assert at.latex[1].value.strip("$\n ").endswith("= 7")


@pytest.mark.parametrize(
    ("pad", "stride_h", "stride_w"),
    [("same", 2, 1), ("full", 1, 3), ("valid", 3, 2)],
)
def test_padding_and_stride_change_the_printed_shape(pad, stride_h, stride_w):
    """Changing padding and strides changes the shape, matching output_shape."""
    at = page_app("explore").run()
    at.selectbox(key="pad").set_value(pad)
    at.slider(key="stride_h").set_value(stride_h)
    at.slider(key="stride_w").set_value(stride_w).run()
    expected = output_shape((6, 8), (1, 2), strides=(stride_h, stride_w), padding=pad)
    assert _out(expected) in _shape_text(at)


def test_formula_shows_the_current_numbers():
    """The height formula is written with the input, kernel, padding and stride filled in."""
    at = _opened(page_app("explore", query={"pad": "full", "stride_h": "2"})).run()
    height = at.latex[0].value.strip("$\n ")
    assert "\\frac{6 - 1 + 0 + 2}{2}" in height
    assert height.endswith("= 3")


def test_impossible_setting_shows_a_message_not_an_exception():
    """A dilated kernel wider than the input explains itself and suggests a way out."""
    at = page_app("explore", query={"src": "Type numbers", "dil_w": "4"}).run()
    at.selectbox(key="kernel").set_value("Sobel (left)").run()
    assert not at.exception
    assert any("padding='same'" in w.value for w in at.warning)


def test_query_parameters_restore_the_settings():
    """A shared link opens with its padding, strides, dilation and kernel."""
    query = {"pad": "same", "stride_h": "2", "stride_w": "2", "dil_h": "1", "kernel": "Laplacian"}
    at = page_app("explore", query=query).run()
    assert at.selectbox(key="pad").value == "same"
    assert at.slider(key="stride_w").value == 2
    assert at.selectbox(key="kernel").value == "Laplacian"
    assert _out((3, 4)) in _shape_text(at)


def test_custom_kernel_from_link():
    """?k=0,1;2,3 sets a custom kernel: the book's 3x3 example gives a 2x2 output."""
    at = page_app("explore", query={"src": "Type numbers", "k": "0,1;2,3"}).run()
    assert at.selectbox(key="kernel").value == "Custom (your numbers)"
    assert _out((2, 2)) in _shape_text(at)


def test_typed_matrix_errors_are_one_sentence():
    """A ragged typed matrix shows parse_matrix's sentence and no output."""
    at = page_app("explore", query={"src": "Type numbers"}).run()
    at.text_area(key="matrix").set_value("1 2 3\n4 5").run()
    assert not at.exception
    assert at.error and "Row 2" in at.error[0].value
    assert not [h for h in at.subheader if "→ output" in h.value]


def test_changing_kernel_size_makes_it_custom():
    """Growing the kernel to 3 columns pads it with zeros and marks it custom."""
    at = page_app("explore").run()
    at.number_input(key="kernel_cols").set_value(3).run()
    assert at.selectbox(key="kernel").value == "Custom (your numbers)"
    assert _out((6, 6)) in _shape_text(at)


def test_presentation_mode_hides_the_code():
    """?present=1&hide=code drops the TensorFlow code expander."""
    at = page_app("explore", query={"present": "1", "hide": "code"}).run()
    assert not at.exception
    assert not [e for e in at.expander if "TensorFlow" in e.label]
    plain = page_app("explore").run()
    assert [e for e in plain.expander if "TensorFlow" in e.label]


def test_the_pictures_come_before_the_formula():
    """The shape line, then the view; the formula waits in an expander below them."""
    at = page_app("explore").run()
    main = list(at.main)
    kinds = [type(node).__name__ for node in main]
    view = next(i for i, n in enumerate(main) if getattr(n.proto, "component_name", ""))
    formula = next(i for i, n in enumerate(main) if "output size" in getattr(n, "label", ""))
    assert kinds.index("Subheader") < view < formula
    assert not [m for m in at.markdown if "Output shape" in m.value]  # said once, not twice


def test_the_tensorflow_code_uses_the_students_input():
    """Small inputs are written into the code; no random stand-in."""
    at = _opened(page_app("explore", query={"src": "Type numbers"})).run()
    code = at.code[0].value
    assert "tf.random" not in code
    assert "np.array([[0, 1, 2], [3, 4, 5], [6, 7, 8]], dtype=np.float32)" in code
    photo = _opened(page_app("explore", query={"sample": "Photo: cat"})).run()
    assert 'np.load("input.npy")' in photo.code[0].value
    photo.button(key="prepare_downloads").click().run()  # the file the code loads
    assert any(b.label == "Input as .npy" for b in photo.get("download_button"))


def test_formula_and_code_are_drawn_only_while_open():
    """Closed, the expanders hold nothing (a setting's rerun redraws no formula unseen)."""
    at = page_app("explore").run()
    assert [e.label for e in at.expander] == [
        "Why this output size: the formula",
        "The same layer in TensorFlow / Keras",
    ]
    assert not at.latex and not at.code
    at.session_state[explore.FORMULA_OPEN] = True
    at.run()
    assert len(at.latex) == 2 and not at.code
