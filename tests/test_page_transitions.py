"""Moving between pages in one session: what one page leaves behind, the next must accept.

Streamlit hands a keyed widget's value on to the next page that draws a widget
with the same key (and the browser keeps the query string for that first
run). A value that is fine on one page can be out of range on another: the
Sliding window crashed on Explore's 512-pixel "Longest side". These tests
play a session's part without a browser (tests/e2e/test_navigation_e2e.py
walks the real navigation):

- a key that two pages use must accept the same values on both;
- every page renders with the whole session state that any other page left,
  after defaults and after every number was pushed to its largest.
"""

from __future__ import annotations

import functools

import pytest
from streamlit.testing.v1.element_tree import Widget

from tests.page_harness import page_app

PAGES = ("explore", "window", "channels", "pooling", "learn", "lessons", "receptive_field")
SOURCES = ("Sample", "Draw", "Upload", "Type numbers")
# widgets whose value Streamlit will not take from session state, or that hold no value
NOT_CARRIED = {"button", "download_button", "file_uploader", "arrow_data_frame"}
# what a widget accepts: the fields of its proto that bound its value
RANGE_FIELDS = ("min", "max", "step", "options", "data_type")


def _widgets(at) -> list[Widget]:
    found: list[Widget] = []

    def walk(node) -> None:
        if isinstance(node, Widget) and node.key:
            found.append(node)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return found


def _spec(widget: Widget) -> tuple:
    proto = widget.proto
    fields = tuple(
        (name, tuple(value) if hasattr(value, "__len__") else value)
        for name in RANGE_FIELDS
        if hasattr(proto, name)
        for value in [getattr(proto, name)]
    )
    return (widget.type, *fields)


def _push_numbers_to_their_largest(at):
    for widget in _widgets(at):
        if widget.type in ("slider", "number_input") and not isinstance(widget.value, tuple):
            widget.set_value(widget.max)
    return at.run()


def _scenarios(page: str) -> list[tuple[str, object]]:
    """(name, AppTest after running) for the states a student can leave ``page`` in."""
    states = [("defaults", page_app(page).run())]
    has_sources = page in ("explore", "window", "pooling")
    for source in SOURCES if has_sources else (None,):
        at = page_app(page, query={"src": source} if source else None).run()
        states.append((f"largest {source or ''}".strip(), _push_numbers_to_their_largest(at)))
    return states


@functools.cache
def _left_behind() -> tuple[tuple[str, str, dict, dict], ...]:
    """Every scenario of every page: (page, scenario, carried session state, widget specs)."""
    result = []
    for page in PAGES:
        for name, at in _scenarios(page):
            assert not at.exception, f"{page} ({name}) failed on its own"
            widgets = _widgets(at)
            skipped = {w.key for w in widgets if w.type in NOT_CARRIED}
            carried = {
                key: value
                for key, value in at.session_state.to_dict().items()
                if key not in skipped and not key.startswith("$$")
            }
            specs = {w.key: _spec(w) for w in widgets}
            result.append((page, name, carried, specs))
    return tuple(result)


def test_a_key_shared_by_two_pages_accepts_the_same_values_on_both():
    """Same key, same range and options: a value carried across cannot be out of range."""
    seen: dict[str, tuple[str, tuple]] = {}
    clashes = []
    for page, _name, _carried, specs in _left_behind():
        for key, spec in specs.items():
            first = seen.setdefault(key, (page, spec))
            if first[0] != page and first[1] != spec:
                clashes.append(f"{key!r}: {first[0]} {first[1]} vs {page} {spec}")
    assert not clashes, "keys shared by pages with different ranges:\n" + "\n".join(clashes)


def test_the_scenarios_reach_the_settings_that_used_to_crash():
    """The stress states include a 512-pixel photo, a 64-cell drawing and stride 4."""
    explore = {name: carried for page, name, carried, _ in _left_behind() if page == "explore"}
    assert explore["largest Sample"]["size"] == 512
    assert explore["largest Draw"]["grid"] == 64
    assert explore["largest Sample"]["stride_h"] == 4
    assert explore["largest Sample"]["kernel_rows"] == 7


@pytest.mark.parametrize("target", PAGES)
def test_every_page_renders_with_what_any_other_page_left(target):
    """Page B, opened with page A's whole session state, draws without an error."""
    failures = []
    for page, name, carried, _ in _left_behind():
        if page == target:
            continue
        at = page_app(target)
        at.expect_guard = True  # collect every failure below instead of stopping at the first
        for key, value in carried.items():
            at.session_state[key] = value
        at.run()
        errors = [e.value for e in at.error] + [str(e.value) for e in at.exception]
        if errors:
            failures.append(f"{page} ({name}) -> {target}: {errors}")
    assert not failures, "\n".join(failures)
