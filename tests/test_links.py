"""Links: every setting of every page survives a round trip through the URL.

A teacher's session is driven to random settings; the link it would show in
the address bar is put together the way the browser does it; a student opens
that link in a fresh session; both must hold the same state and compute the
same result. What goes into the link:

- parameters the script writes itself (the kernel panel's ``kernel``/``k``,
  the typed matrix): AppTest shows them in ``at.query_params``;
- bound widgets' parameters, which the *browser* writes (AppTest never does):
  computed here from each widget's proto ``query_param_key``, its value and
  its default, as Streamlit's frontend computes them (a value equal to the
  widget's default is left out; options are written as their labels).

"The same state" is the session-state value of every keyed widget, the
kernel the panel holds, every text the page shows and the browser view's
whole message (input digest, kernel, output, geometry, step), not only what
AppTest can display.
"""

from __future__ import annotations

import contextlib
import math
from unittest import mock

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import element_tree
from streamlit.testing.v1.element_tree import Widget

from playground import i18n
from playground.figures.conv_view_data import unpack
from tests.page_harness import drawn_language, page_app
from views.controls import BOOK_MATRIX

# widgets whose value is not a setting a link carries: actions, files, and the kernel
# grid editor (its numbers travel as k=, compared through the session's kernel)
NOT_SETTINGS = {"button", "download_button", "file_uploader", "arrow_data_frame", "dataframe"}
KERNEL_STATE = ("kernel_title", "kernel_weights")
TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "latex",
    "caption",
    "code",
    "warning",
    "error",
    "info",
    "success",
)
# settings no link carries yet, each with where it lives; the property test leaves them
# alone and test_known_gaps_are_still_gaps keeps the list honest
# how many random settings per page: each example is two or three AppTest runs
EXAMPLES = {"explore": 14, "window": 14, "receptive_field": 10, "learn": 8, "pooling": 10}


class Label(str):
    """An option given by its label, as the browser sends it (AppTest wants the raw option)."""


def _format_labels_as_themselves(format_func, value):
    return value if isinstance(value, Label) else _original_format(format_func, value)


_original_format = element_tree._format_value_for_widget


# ---------------------------------------------------------------- what the browser writes


def _widgets(at) -> list[Widget]:
    found: list[Widget] = []

    def walk(node) -> None:
        if isinstance(node, Widget) and node.key and node.type not in NOT_SETTINGS:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _number_text(value) -> str:
    """A number as JavaScript's String() writes it: 5.0 -> "5", 0.1 -> "0.1"."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _label_index(widget) -> int:
    value = widget.value
    formatted = _original_format(widget.format_func, value)
    return widget.options.index(formatted)


def url_value(widget) -> str | None:
    """What the browser writes for a bound widget: None when it equals the default."""
    proto = widget.proto
    if widget.type in ("radio", "selectbox"):
        index = _label_index(widget)
        return None if index == proto.default else widget.options[index]
    if widget.type == "select_slider":
        index = widget.options.index(_original_format(widget.format_func, widget.value))
        return None if [index] == [int(v) for v in proto.default] else widget.options[index]
    if widget.type == "slider":
        return None if [float(widget.value)] == list(proto.default) else _number_text(widget.value)
    if widget.type == "number_input":
        return None if float(widget.value) == proto.default else _number_text(widget.value)
    if widget.type in ("checkbox", "toggle"):
        return None if widget.value == proto.default else str(widget.value).lower()
    if widget.type in ("text_area", "text_input"):
        return None if widget.value == proto.default else widget.value
    raise AssertionError(f"no URL rule for {widget.type} {widget.key!r}")


def link_of(at) -> dict[str, str]:
    """The query string the sender's address bar holds after this run."""
    bound = {w.proto.query_param_key: w for w in _widgets(at) if w.proto.query_param_key}
    params = {key: value for key, value in at.query_params.items() if key not in bound}
    for key, widget in bound.items():
        with i18n.using(drawn_language(at)):  # the labels are in the page's language
            value = url_value(widget)
        if value is not None:
            params[key] = value
    return {key: value[-1] if isinstance(value, list) else value for key, value in params.items()}


# ---------------------------------------------------------------- what a session holds


def state_of(at) -> dict:
    """Every keyed widget's value, the kernel, the page's texts and the view's message."""
    widgets = {w.key: at.session_state[w.key] for w in _widgets(at)}
    kernel = {key: at.session_state[key] for key in KERNEL_STATE if key in at.session_state}
    texts = [(kind, element.value) for kind in TEXT_ELEMENTS for element in getattr(at, kind, [])]
    return {"widgets": widgets, "kernel": kernel, "texts": texts, "views": _views(at)}


ONCE_PER_SESSION = ("input", "code")
# not drawn at random: after a switch, option labels and the values drawn from them
# are in two languages (AppTest formats options in the test's thread). The language
# travelling in links and across pages is tested in tests/test_i18n_pages.py.
LANGUAGE = "lang"


def _views(at) -> list:
    """The browser view's message, minus what a session is sent once: the input's pixels
    and the view's code (a fresh session's first message carries both)."""
    views = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if type(node).__name__ == "UnknownElement" and hasattr(proto, "component_name"):
            if proto.bytes:
                header, sections = unpack(proto.bytes)
                header = {k: v for k, v in header.items() if k != "sections"}
                sections = {k: v for k, v in sections.items() if k not in ONCE_PER_SESSION}
                views.append((proto.component_name, header, sections))
        elif type(node).__name__ == "UnknownElement" and hasattr(proto, "spec"):
            views.append(("chart", proto.spec))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return views


def _refused_matrix(at) -> bool:
    typed = [w for w in _widgets(at) if w.key == "matrix"]
    return bool(typed) and any("Row 2 has" in e.value for e in at.error)


# ---------------------------------------------------------------- random settings


MATRICES = st.one_of(
    st.integers(1, 6).flatmap(
        lambda width: st.lists(
            st.lists(st.integers(-9, 9).map(lambda v: v / 4), min_size=width, max_size=width),
            min_size=1,
            max_size=6,
        )
    ),
    st.just(None),  # a matrix parse_matrix refuses
)


def _matrix_text(rows) -> str:
    if rows is None:
        return "1 2 3\n4 5"
    return "\n".join(" ".join(_number_text(float(v)) for v in row) for row in rows)


def _draw_value(data, widget):
    """A random value a student could give this widget."""
    proto = widget.proto
    if widget.type in ("radio", "selectbox"):
        return Label(data.draw(st.sampled_from(widget.options), label=widget.key))
    if widget.type == "select_slider":
        label = data.draw(st.sampled_from(widget.options), label=widget.key)
        return _raw_option(widget, label)
    if widget.type == "slider":
        return data.draw(st.integers(int(proto.min), int(proto.max)), label=widget.key)
    if widget.type == "number_input":
        low, high = proto.min, proto.max
        if proto.data_type == proto.INT:
            return data.draw(st.integers(int(low), int(high)), label=widget.key)
        tenths = data.draw(st.integers(int(low * 10), int(high * 10)), label=widget.key)
        return round(tenths / 10, 1)
    if widget.type in ("checkbox", "toggle"):
        return data.draw(st.booleans(), label=widget.key)
    if widget.type == "text_area":
        return _matrix_text(data.draw(MATRICES, label=widget.key))
    raise AssertionError(f"cannot draw a value for {widget.type} {widget.key!r}")


def _raw_option(widget, label: str):
    """A select_slider's option whose label is ``label`` (AppTest sets options, not labels)."""
    candidates = [widget.value, label]
    for kind in (int, float):
        with contextlib.suppress(ValueError):
            candidates.append(kind(label))
    for raw in candidates:
        try:
            if str(widget.format_func(raw)) == label:
                return raw
        except (TypeError, ValueError):
            continue
    return widget.value  # a label this test cannot invert (e.g. "off" when not current)


def drive(data, page: str, query: dict[str, str]):
    """Open ``page`` with ``query``, then set each widget as it appears, at random."""
    at = page_app(page, query=query).run()
    done: set[str] = set()
    for _ in range(4):  # settings reveal others (explicit padding, more layers)
        todo = [w for w in _widgets(at) if w.key not in done]
        if not todo:
            break
        for widget in todo:
            done.add(widget.key)
            if widget.key == LANGUAGE:
                continue
            if data.draw(st.booleans(), label=f"change {widget.key}"):
                widget.set_value(_draw_value(data, widget))
        at.run()
    return at


def _start(data, page: str) -> dict[str, str]:
    """The teacher's first link: sometimes their own kernel numbers, the book's sections."""
    query: dict[str, str] = {}
    if page in ("explore", "window") and data.draw(st.booleans(), label="custom kernel"):
        rows = data.draw(st.integers(1, 4), label="kernel rows")
        cols = data.draw(st.integers(1, 4), label="kernel cols")
        values = data.draw(
            st.lists(st.integers(-8, 8), min_size=rows * cols, max_size=rows * cols),
            label="kernel numbers",
        )
        query["k"] = ";".join(
            ",".join(_number_text(v / 2) for v in values[r * cols : (r + 1) * cols])
            for r in range(rows)
        )
    return query


@pytest.mark.parametrize("page", list(EXAMPLES))
def test_every_setting_survives_a_link(page):
    """Random settings -> the link the page writes -> a fresh session: the same state."""

    @settings(
        max_examples=EXAMPLES[page],
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: each example is seconds
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def round_trip(data):
        teacher = drive(data, page, _start(data, page))
        link = link_of(teacher)
        if _refused_matrix(teacher):
            # a refused input is not shared: the link leaves it out; with the text put
            # back to the book's matrix, everything else must still travel
            assert "matrix" not in link
            teacher.text_area(key="matrix").set_value(BOOK_MATRIX).run()
            link = link_of(teacher)
        student = page_app(page, query=link).run()
        assert state_of(student) == state_of(teacher), f"link: {link}"
        assert link_of(student) == link

    with mock.patch.object(element_tree, "_format_value_for_widget", _format_labels_as_themselves):
        round_trip()


def test_the_log_scale_travels_in_a_link():
    """Learn's log-scale toggle: on for the teacher, on for whoever opens the link."""
    teacher = page_app("learn").run()
    teacher.toggle(key="log_scale").set_value(True).run()
    student = page_app("learn", query=link_of(teacher)).run()
    assert student.session_state["log_scale"] is True


@pytest.mark.parametrize("section", ["5.1", "5.2", "5.3", "5.4"])
def test_a_lessons_link_opens_its_section(section):
    """The Lessons page has one setting, its tab: a link with it opens the same page."""
    teacher = page_app("lessons", query={"section": section}).run()
    student = page_app("lessons", query=link_of(teacher)).run()
    assert state_of(student) == state_of(teacher)


# ---------------------------------------------------------------- the typed matrix


def _typed(page: str = "explore"):
    return page_app(page, query={"src": "Type numbers"}).run()


def test_an_accepted_typed_matrix_goes_into_the_link_and_back():
    at = _typed()
    at.text_area(key="matrix").set_value("1 2\n3 4").run()
    assert at.query_params["matrix"] == "1 2\n3 4"
    student = page_app("explore", query=link_of(at)).run()
    assert student.text_area(key="matrix").value == "1 2\n3 4"


def test_a_refused_typed_matrix_stays_out_of_the_link():
    """A 200x200 paste (refused: at most 32 rows) adds nothing to the URL; ~80 kB did."""
    at = _typed()
    at.text_area(key="matrix").set_value("1 2\n3 4").run()
    huge = "\n".join(" ".join("1.5" for _ in range(200)) for _ in range(200))
    at.text_area(key="matrix").set_value(huge).run()
    assert at.error and "200 rows" in at.error[0].value
    assert "matrix" not in at.query_params
    assert len("&".join(f"{k}={v}" for k, v in link_of(at).items())) < 200


def test_the_books_matrix_is_left_out_of_the_link():
    """The default text is what a link without matrix= opens: nothing to write."""
    assert "matrix" not in _typed().query_params


def test_a_typed_matrix_survives_a_switch_of_source():
    """Type numbers, go to Sample and back: the typed text is still there."""
    at = _typed()
    at.text_area(key="matrix").set_value("5 6\n7 8").run()
    at.radio(key="src").set_value("Sample").run()
    assert "matrix" not in at.query_params
    at.radio(key="src").set_value("Type numbers").run()
    assert at.text_area(key="matrix").value == "5 6\n7 8"
    assert at.query_params["matrix"] == "5 6\n7 8"
