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
from playground.i18n import N_, _, ngettext, translate

SECTIONS = {
    "5.1": N_("Two-dimensional convolution"),
    "5.2": N_("Padding and stride"),
    "5.3": N_("Multiple input and output channels"),
    "5.4": N_("Pooling"),
}
# short labels: the open tab's label is the ?section= value in links (in the reader's
# language; a link in the other language's label still opens its tab, see _section_tabs)
SECTION_TABS = {
    "5.1": N_("5.1 Convolution"),
    "5.2": N_("5.2 Padding and stride"),
    "5.3": N_("5.3 Channels"),
    "5.4": N_("5.4 Pooling"),
}
SECTION_KEY = "section"
INTRO = N_(
    "Every code cell of the book's chapters 5.1-5.4 (TensorFlow 2 edition), next to what "
    "the book printed and what the playground computes today. Each check says in one "
    "sentence what was compared."
)
TF_WAIT = N_("Importing TensorFlow (about 5 s the first time) and running the TensorFlow cells...")
WAITING = ":material/hourglass_empty:"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|$~])")
# badges as coloured text in the heading: Streamlit's badge keeps a small fixed size
PASSED_BADGE = ":green-background[:green[✓ {text}]]"
FAILED_BADGE = ":red-background[:red[✗ {text}]]"
WAITING_BADGE = ":gray-background[:gray[" + WAITING + " {text}]]"
PASSED, FAILED, NOT_RUN = (
    N_("matches the book"),
    N_("differs from the book"),
    N_("TensorFlow cell, not run yet"),
)
RUN_TF = N_("Run the TensorFlow cells")
TF_HINT = N_("Press **{button}** at the top of the page.")
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
    st.title(_("Lessons: the book, cell by cell"))
    st.caption(_(INTRO))
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

        with summary, st.spinner(_(TF_WAIT)):
            store.run(pending, show)
        panel.empty()  # nothing left to run
        _summary(summary, results)
        _contents(contents, results, slots)


def _sections(results: dict[str, LessonResult | None]) -> dict[str, tuple]:
    """One tab per section; only the open tab's lessons are drawn (a fast first visit).

    The tab is in the URL (``?section=...``), so a teacher can link to a section.
    """
    tabs = _section_tabs()
    slots = {}
    for tab, (section, title) in zip(tabs, SECTIONS.items(), strict=True):
        if tab.open is False:
            continue
        with tab:
            st.header(f"{section} {_(title)}", anchor=f"section-{section}")
            for lesson in lessons.LESSONS:
                if lesson.section == section:
                    slots[lesson.key] = _lesson(lesson, results[lesson.key])
    return slots


def _section_tabs() -> list:
    """The section tabs, labelled in the reader's language and bound to ``?section=``.

    A link or a session may carry a label in the other language (a teacher's
    English link opened with ``?lang=zh``, or the language switched mid-lesson):
    it is turned into this language's label before the tabs read it.
    """
    labels = {section: _(label) for section, label in SECTION_TABS.items()}
    carried = st.query_params.get(SECTION_KEY) or st.session_state.get(SECTION_KEY)
    if carried and carried not in labels.values():
        for section, label in SECTION_TABS.items():
            if carried in {label, *(translate(label, code) for code in ("en", "zh"))}:
                st.session_state[SECTION_KEY] = labels[section]  # the bound URL follows
                break
    return st.tabs(list(labels.values()), key=SECTION_KEY, bind="query-params")


def _tensorflow_panel(box) -> bool:
    left, right = box.container().columns([3, 1], vertical_alignment="center")
    left.markdown(
        _(
            "Cells marked {waiting} need TensorFlow, and the shape and pooling cells can also "
            "be checked against a real Keras layer. Both run when you press the button "
            "(importing TensorFlow takes about 5 seconds the first time); after that, "
            "everyone's page shows the results."
        ).format(waiting=WAITING)
    )
    return right.button(_(RUN_TF), key="run_tf", type="primary", width="stretch")


def _summary(box, results: dict[str, LessonResult | None]) -> None:
    done = [result for result in results.values() if result is not None]
    passed = sum(result.passed for result in done)
    waiting = len(results) - len(done)
    if waiting:
        text = ngettext(
            "{passed} of {done} cells match the book · {waiting} TensorFlow cell not run yet",
            "{passed} of {done} cells match the book · {waiting} TensorFlow cells not run yet",
            waiting,
        )
    else:
        text = _("{passed} of {done} cells match the book")
    box.subheader(text.format(passed=passed, done=len(done), waiting=waiting), anchor=False)


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
        title = _md(_(lesson.title))
        link = f"[{title}](#{_anchor(lesson)})" if lesson.key in drawn else title
        return f"- {_mark(results[lesson.key])} {link}"

    with box.container():
        columns = st.columns(len(SECTIONS))
        for column, (section, title) in zip(columns, SECTIONS.items(), strict=True):
            items = [item(lesson) for lesson in lessons.LESSONS if lesson.section == section]
            column.markdown(f"**{section} {_(title)}**\n\n" + "\n".join(items))


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
    st.markdown(_md(_(lesson.explanation)))
    st.markdown(_("**The book's code**"))
    _code(st, lesson.book_code, "python")
    if lesson.working_code:  # before the outputs: the playground's result comes from this form
        _working_form(lesson)
    book_column, result_column = st.columns(2)
    book_column.markdown(_("**The book's output**"))
    _code(book_column, lesson.book_output)
    slots = (heading, result_column.empty(), st.empty())
    if lesson.note and not lesson.working_code:
        st.info(_md(_(lesson.note)))
    st.caption(_("Source: {source}").format(source=_md(_(lesson.source))))
    st.divider()
    if result is None:
        _heading(heading, lesson, WAITING_BADGE.format(text=_(NOT_RUN)))
        slots[1].markdown(
            _("**The playground's result**") + "\n\n" + _(TF_HINT).format(button=_(RUN_TF))
        )
    else:
        _fill(slots, lesson, result)
    return slots


def _heading(box, lesson: Lesson, badge: str) -> None:
    # the badge is part of the heading, so it is as large as the title on a projector
    box.subheader(f"{lesson.section} · {_md(_(lesson.title))} {badge}", anchor=_anchor(lesson))


def _working_form(lesson: Lesson) -> None:
    """The book's code does not run (or do what it says) as printed: say so, show what works."""
    st.warning(
        _("**The book's code needs a change here.** {note}").format(note=_md(_(lesson.note)))
    )
    st.markdown(_("**The form that works today**"))
    _code(st, lesson.working_code, "python")


def _fill(slots: tuple, lesson: Lesson, result: LessonResult) -> None:
    """Badge, result and check; the run's details open where the book's code needed a change."""
    heading, result_slot, check_slot = slots
    badge = (
        PASSED_BADGE.format(text=_(PASSED))
        if result.passed
        else FAILED_BADGE.format(text=_(FAILED))
    )
    _heading(heading, lesson, badge)
    with result_slot.container():
        st.markdown(_("**The playground's result**"))
        _code(st, result.shown)
    with check_slot.container():
        (st.success if result.passed else st.error)(_md(str(result.check)))
        if result.detail is not None:
            open_ = bool(lesson.working_code) or not result.passed
            with st.expander(_("More from this run"), expanded=open_):
                _code(st, str(result.detail))
