"""Presentation mode (?present=1): the bar of controls a teacher drives, by AppTest."""

from __future__ import annotations

import pytest

from tests.page_harness import page_app


def _bar_labels(at) -> list[str]:
    return [block.proto.popover.label for block in at.get("popover")]


@pytest.mark.parametrize(
    ("page", "query", "expected"),
    [
        ("explore", {}, ["Kernel", "Layer"]),
        ("window", {}, ["Input", "Kernel"]),
        ("explore", {"show": "input,kernel"}, ["Input", "Kernel"]),
        ("window", {"show": "layer"}, ["Layer"]),
        ("explore", {"hide": "layer"}, ["Kernel"]),
        ("explore", {"show": "nonsense"}, ["Kernel", "Layer"]),  # unknown names: the defaults
    ],
)
def test_the_bar_holds_the_pages_groups_or_the_links(page, query, expected):
    """?show= chooses the groups, ?hide= takes some out, the page's defaults otherwise."""
    at = page_app(page, query={"present": "1", **query}).run()
    assert _bar_labels(at) == expected


def test_without_present_there_is_no_bar():
    assert _bar_labels(page_app("explore", query={"show": "input"}).run()) == []


def test_a_control_in_the_bar_drives_the_page():
    """The kernel picker in the bar is the same widget: choosing there changes the sum."""
    at = page_app("window", query={"present": "1", "src": "Sample"}).run()
    at.selectbox(key="kernel").set_value("Book's edge [1, -1]").run()
    equation = next(m.value for m in at.markdown if "window-equation" in m.value)
    assert "×-1" in equation
    assert at.query_params["kernel"] == "Book's edge [1, -1]"


def test_presentation_lasts_the_session_until_present_0():
    """Streamlit drops page parameters on navigation; the session keeps the mode."""
    at = page_app("explore", query={"present": "1", "hide": "code"}).run()
    del at.query_params["present"]
    del at.query_params["hide"]
    at.run()
    assert at.query_params["present"] == "1" and at.query_params["hide"] == "code"
    assert _bar_labels(at) == ["Kernel", "Layer"]
    at.query_params["present"] = "0"
    at.run()
    assert _bar_labels(at) == []
