"""The Lessons page, driven by widget keys in AppTest."""

from __future__ import annotations

import dataclasses
import re

import pytest
import streamlit as st

from playground.book import lessons
from tests.page_harness import page_app

QUICK = [lesson for lesson in lessons.LESSONS if not lesson.needs_tensorflow]
TABS = {
    "5.1": "5.1 Convolution",
    "5.2": "5.2 Padding and stride",
    "5.3": "5.3 Channels",
    "5.4": "5.4 Pooling",
}
PASSED = "✓ matches the book"
TF_TIMEOUT = 90  # importing TensorFlow takes ~5 s warm, ~11 s cold, more on a busy machine


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts as a fresh server: no lesson results shared from an earlier test."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def _plain(markdown: str) -> str:
    """Markdown as read: the page escapes the book's * _ [ ] so they print literally."""
    return re.sub(r"\\(.)", r"\1", markdown)


def _summary(at) -> str:
    return next(s.value for s in at.subheader if "cells match the book" in s.value)


def _headings(at) -> dict[str, str]:
    """Lesson title -> its heading text (which carries the badge)."""
    texts = [_plain(s.value) for s in at.subheader]
    return {
        lesson.title: next(text for text in texts if lesson.title in text)
        for lesson in lessons.LESSONS
        if any(lesson.title in text for text in texts)
    }


def _tab(section: str, *, timeout: float = 30):
    return page_app("lessons", query={"section": TABS[section]}, timeout=timeout)


def test_first_visit_checks_every_lesson_that_needs_no_tensorflow():
    """Without TensorFlow: the quick lessons all pass, the rest wait for the button."""
    at = page_app("lessons").run()
    assert not at.exception
    waiting = len(lessons.LESSONS) - len(QUICK)
    assert _summary(at) == (
        f"{len(QUICK)} of {len(QUICK)} cells match the book · "
        f"{waiting} TensorFlow cells not run yet"
    )
    assert at.button(key="run_tf").label == "Run the TensorFlow cells"


@pytest.mark.parametrize("section", list(TABS))
def test_every_quick_lesson_shows_a_passing_check(section):
    """In every tab, each lesson has the green badge or (TF lessons) the waiting badge."""
    at = _tab(section).run()
    assert not at.exception
    headings = _headings(at)
    in_section = [lesson for lesson in lessons.LESSONS if lesson.section == section]
    assert set(headings) == {lesson.title for lesson in in_section}
    for lesson in in_section:
        expected = "not run yet" if lesson.needs_tensorflow else PASSED
        assert expected in headings[lesson.title], lesson.key
    checks = [s.value for s in at.success]
    assert len(checks) == sum(not lesson.needs_tensorflow for lesson in in_section)


def test_only_the_open_tab_is_drawn():
    """?section=5.4 Pooling draws the pooling lessons and none of 5.1's."""
    at = _tab("5.4").run()
    titles = set(_headings(at))
    assert "Max pooling" in titles
    assert not titles & {lesson.title for lesson in lessons.LESSONS if lesson.section == "5.1"}


def test_book_code_and_both_outputs_are_shown():
    """The first lesson shows the book's code, the book's output and the playground's result."""
    at = page_app("lessons").run()
    first = lessons.LESSONS[0]
    blocks = [c.value for c in at.code]
    assert first.book_code in blocks and first.book_output in blocks
    assert lessons.run_lesson(first.key, include_tensorflow=False).shown in blocks


@pytest.mark.slow
def test_tensorflow_cells_run_on_demand_and_all_match_the_book():
    """Pressing the button imports TensorFlow once; then every cell of every tab passes."""
    at = page_app("lessons", timeout=TF_TIMEOUT).run()
    at.button(key="run_tf").click().run()
    assert not at.exception
    total = len(lessons.LESSONS)
    assert _summary(at) == f"{total} of {total} cells match the book"
    assert not at.button  # nothing left to run
    for section in TABS:  # a new session: results are shared, no button, no waiting
        other = _tab(section).run()
        assert not other.exception
        assert all(PASSED in heading for heading in _headings(other).values()), section
        assert not other.error


@pytest.mark.slow
def test_learning_loop_says_the_book_code_fails_and_shows_what_works():
    """The Keras 3 learning loop: a plain warning, the working form and the captured error."""
    at = page_app("lessons", timeout=TF_TIMEOUT).run()
    at.button(key="run_tf").click().run()
    learn = lessons.get_lesson("learn_kernel")
    assert any("needs a change" in w.value for w in at.warning)
    assert learn.working_code in [c.value for c in at.code]
    details = [c.value for c in at.code if c.value.startswith("As printed, on Keras 3")]
    assert details and lessons.KERAS3_WATCH_ERROR in details[0]


def test_a_failing_lesson_shows_a_red_mark_and_what_differs(monkeypatch):
    """A lesson whose result differs gets the red badge and its check as an error."""
    real = lessons.run_lesson

    def broken(key, *, include_tensorflow=True):
        result = real(key, include_tensorflow=include_tensorflow)
        if key != "corr2d":
            return result
        return dataclasses.replace(result, passed=False, shown="array([[0.]])")

    monkeypatch.setattr(lessons, "run_lesson", broken)
    at = page_app("lessons").run()
    assert not at.exception
    heading = _headings(at)[lessons.get_lesson("corr2d").title]
    assert "✗ differs from the book" in heading
    assert at.error and "equals its [[19, 25], [37, 43]]" in _plain(at.error[0].value)
    assert _summary(at).startswith(f"{len(QUICK) - 1} of {len(QUICK)} cells")
