"""Lessons: the book's cells (D2L 5.1-5.4), each run by the playground and checked.

Cells that need no TensorFlow render at once (cached for every session).
The TensorFlow cells wait for a button: importing TensorFlow takes ~5 s and
~550 MB, and the first visit must stay fast. Their results are kept in one
store shared by every session, so once the teacher has run them, every
student's page shows them without waiting.
"""

from __future__ import annotations

import re
import threading

import streamlit as st

from playground.book import lessons
from playground.book.lessons import Lesson, LessonResult

SECTIONS = {
    "5.1": "Two-dimensional convolution",
    "5.2": "Padding and stride",
    "5.3": "Multiple input and output channels",
    "5.4": "Pooling",
}
SECTION_TABS = {  # short labels: the open tab's label is the ?section= value in links
    "5.1": "5.1 Convolution",
    "5.2": "5.2 Padding and stride",
    "5.3": "5.3 Channels",
    "5.4": "5.4 Pooling",
}
INTRO = (
    "Every code cell of the book's chapters 5.1-5.4 (TensorFlow 2 edition), next to what "
    "the book printed and what the playground computes today. Each check says in one "
    "sentence what was compared."
)
TF_WAIT = "Importing TensorFlow (about 5 s the first time) and running the TensorFlow cells..."
WAITING = ":material/hourglass_empty:"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")
# badges as coloured text in the heading: Streamlit's badge keeps a small fixed size
PASSED_BADGE = ":green-background[:green[✓ matches the book]]"
FAILED_BADGE = ":red-background[:red[✗ differs from the book]]"
WAITING_BADGE = f":gray-background[:gray[{WAITING} TensorFlow cell, not run yet]]"
TF_HINT = "Press **Run the TensorFlow cells** at the top of the page."
LONG_OUTPUT_LINES = 16  # taller outputs scroll inside a fixed-height block
SCROLL_HEIGHT = 360


class _TensorFlowResults:
    """TensorFlow lessons' results, shared by every session; each lesson runs once.

    The results are deterministic (seeded), so one run serves the whole class.
    The lock makes 30 students pressing the button at once cost one run.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.results: dict[str, LessonResult] = {}

    def run(self, keys: list[str], on_result) -> None:
        with self._lock:
            for key in keys:
                result = self.results.get(key) or lessons.run_lesson(key, include_tensorflow=True)
                if result.passed:  # a failure (say, TensorFlow out of memory) is tried again
                    self.results[key] = result
                on_result(key, result)


@st.cache_resource(show_spinner=False)
def _tensorflow_results() -> _TensorFlowResults:
    return _TensorFlowResults()


@st.cache_data(show_spinner=False)
def _quick_result(key: str) -> LessonResult:
    """A lesson run without TensorFlow; the same for everyone, so computed once."""
    return lessons.run_lesson(key, include_tensorflow=False)


def _md(text: str) -> str:
    """Lesson text as literal markdown: the book's "0*0 + 1*1" and "__init__" are not emphasis."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _anchor(lesson: Lesson) -> str:
    return lesson.key.replace("_", "-")


def _uses_tensorflow(lesson: Lesson) -> bool:
    return lesson.needs_tensorflow or lesson.keras_cross_check


def render() -> None:
    st.title("Lessons: the book, cell by cell")
    st.caption(INTRO)
    store = _tensorflow_results()
    results: dict[str, LessonResult | None] = {
        lesson.key: store.results.get(lesson.key)
        or (None if lesson.needs_tensorflow else _quick_result(lesson.key))
        for lesson in lessons.LESSONS
    }
    summary = st.empty()
    pending = [
        lesson.key
        for lesson in lessons.LESSONS
        if _uses_tensorflow(lesson) and lesson.key not in store.results
    ]
    panel = st.empty()
    run_tf = bool(pending) and _tensorflow_panel(panel)
    contents = st.empty()  # filled once the open tab is known
    slots = _sections(results)
    _contents(contents, results, slots)
    _summary(summary, results)
    if run_tf:
        by_key = {lesson.key: lesson for lesson in lessons.LESSONS}

        def show(key: str, result: LessonResult) -> None:
            results[key] = result
            if key in slots:  # lessons of closed tabs are not drawn
                _fill(slots[key], by_key[key], result)

        with summary, st.spinner(TF_WAIT):
            store.run(pending, show)
        panel.empty()  # nothing left to run
        _summary(summary, results)
        _contents(contents, results, slots)


def _sections(results: dict[str, LessonResult | None]) -> dict[str, tuple]:
    """One tab per section; only the open tab's lessons are drawn (a fast first visit).

    The tab is in the URL (``?section=...``), so a teacher can link to a section.
    """
    tabs = st.tabs(list(SECTION_TABS.values()), key="section", bind="query-params")
    slots = {}
    for tab, (section, title) in zip(tabs, SECTIONS.items(), strict=True):
        if tab.open is False:
            continue
        with tab:
            st.header(f"{section} {title}", anchor=f"section-{section}")
            for lesson in lessons.LESSONS:
                if lesson.section == section:
                    slots[lesson.key] = _lesson(lesson, results[lesson.key])
    return slots


def _tensorflow_panel(box) -> bool:
    left, right = box.container().columns([3, 1], vertical_alignment="center")
    left.markdown(
        f"Cells marked {WAITING} need TensorFlow, and the shape and pooling cells can also be "
        "checked against a real Keras layer. Both run when you press the button (importing "
        "TensorFlow takes about 5 seconds the first time); after that, everyone's page "
        "shows the results."
    )
    return right.button("Run the TensorFlow cells", key="run_tf", type="primary", width="stretch")


def _summary(box, results: dict[str, LessonResult | None]) -> None:
    done = [result for result in results.values() if result is not None]
    passed = sum(result.passed for result in done)
    waiting = len(results) - len(done)
    text = f"{passed} of {len(done)} cells match the book"
    if waiting:
        text += f" · {waiting} TensorFlow cells not run yet"
    box.subheader(text, anchor=False)


def _mark(result: LessonResult | None) -> str:
    if result is None:
        return WAITING
    return "✓" if result.passed else "✗"


def _contents(box, results: dict[str, LessonResult | None], drawn) -> None:
    """One column per section listing its lessons with their marks.

    Lessons drawn on this run (the open tab) link down to themselves; the
    others are in a closed tab, where an anchor link would lead nowhere.
    """

    def item(lesson: Lesson) -> str:
        title = _md(lesson.title)
        link = f"[{title}](#{_anchor(lesson)})" if lesson.key in drawn else title
        return f"- {_mark(results[lesson.key])} {link}"

    with box.container():
        columns = st.columns(len(SECTIONS))
        for column, (section, title) in zip(columns, SECTIONS.items(), strict=True):
            items = [item(lesson) for lesson in lessons.LESSONS if lesson.section == section]
            column.markdown(f"**{section} {title}**\n\n" + "\n".join(items))


def _code(box, text: str, language: str | None = None) -> None:
    """Code in full, as the book prints it; long printed output scrolls in a fixed height."""
    if language:
        box.code(text, language=language, width="stretch")
        return
    lines = text.count("\n") + 1
    height = SCROLL_HEIGHT if lines > LONG_OUTPUT_LINES else "content"
    # printed output wraps, so nothing hides past the edge of a half-width column
    box.code(text, language=None, height=height, width="stretch", wrap_lines=True)


def _lesson(lesson: Lesson, result: LessonResult | None) -> tuple:
    """One lesson; returns the slots (heading, result, check) a TensorFlow run fills later.

    The code spans the page; the book's output and the playground's result sit
    side by side below it, so a student compares them line by line.
    """
    heading = st.empty()
    st.markdown(_md(lesson.explanation))
    st.markdown("**The book's code**")
    _code(st, lesson.book_code, "python")
    if lesson.working_code:  # before the outputs: the playground's result comes from this form
        _working_form(lesson)
    book_column, result_column = st.columns(2)
    book_column.markdown("**The book's output**")
    _code(book_column, lesson.book_output)
    slots = (heading, result_column.empty(), st.empty())
    if lesson.note and not lesson.working_code:
        st.info(_md(lesson.note))
    st.caption(f"Source: {_md(lesson.source)}")
    st.divider()
    if result is None:
        _heading(heading, lesson, WAITING_BADGE)
        slots[1].markdown("**The playground's result**\n\n" + TF_HINT)
    else:
        _fill(slots, lesson, result)
    return slots


def _heading(box, lesson: Lesson, badge: str) -> None:
    # the badge is part of the heading, so it is as large as the title on a projector
    box.subheader(f"{lesson.section} · {_md(lesson.title)} {badge}", anchor=_anchor(lesson))


def _working_form(lesson: Lesson) -> None:
    """The book's code does not run (or do what it says) as printed: say so, show what works."""
    st.warning(f"**The book's code needs a change here.** {_md(lesson.note)}")
    st.markdown("**The form that works today**")
    _code(st, lesson.working_code, "python")


def _fill(slots: tuple, lesson: Lesson, result: LessonResult) -> None:
    """Badge, result and check; the run's details open where the book's code needed a change."""
    heading, result_slot, check_slot = slots
    _heading(heading, lesson, PASSED_BADGE if result.passed else FAILED_BADGE)
    with result_slot.container():
        st.markdown("**The playground's result**")
        _code(st, result.shown)
    with check_slot.container():
        (st.success if result.passed else st.error)(_md(result.check))
        if result.detail:
            open_ = bool(lesson.working_code) or not result.passed
            with st.expander("More from this run", expanded=open_):
                _code(st, result.detail)
