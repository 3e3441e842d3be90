"""The frame around every page: presentation mode, and no traceback in the browser."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager

import streamlit as st

from playground.i18n import LANGUAGES, N_, _, translate

log = logging.getLogger("playground.views")

PRESENTATION_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
  [data-testid="stMarkdownContainer"] p, label, .stRadio label { font-size: 1.15rem !important; }
  h1 { font-size: 2.6rem !important; }
  /* the sidebar gives way to the bar of controls; the page navigation stays */
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], [data-testid="stMainMenu"],
  [data-testid="stToolbarActions"] { display: none; }
  [data-testid="stMainBlockContainer"] { padding-left: 2.5rem; padding-right: 2.5rem; }
  /* a slider's value sits above its handle, clear of it at the larger type */
  [data-testid="stSliderThumbValue"] { font-size: 1rem; transform: translateY(-0.45rem); }
  .st-key-present_bar button p { font-size: 1.2rem !important; font-weight: 600; }
</style>
"""
# every page: the empty band above the title was ~150 px at 1400x900
FRAME_CSS = """
<style>
  [data-testid="stMainBlockContainer"] { padding-top: 4.2rem; }
</style>
"""
BAR_KEY = "present_bar"
PRESENTATION = "presentation"  # the session's presentation parameters, or None
PRESENTATION_PARAMS = ("present", "show", "hide")

# the English msgid (tests and logs compare it); shown as _(FALLBACK_ERROR)
FALLBACK_ERROR = N_(
    "Something went wrong while drawing this page. Change a setting or reload the page; "
    "your classmates are not affected."
)


def fallback_errors() -> frozenset[str]:
    """The guard's sentence in every language the app speaks (what tests look for)."""
    return frozenset(translate(FALLBACK_ERROR, code) for code in LANGUAGES)


def presenting() -> bool:
    """True for links with ``?present=1``: the projector's layout (see ``control_places``).

    The mode and its ``show``/``hide`` lists stay for the whole session: Streamlit
    drops a page's own query parameters when the navigation changes page, so they
    are kept in the session and written back. ``?present=0`` ends the mode.
    """
    if "present" in st.query_params:
        on = st.query_params["present"] not in ("0", "", "false")
        st.session_state[PRESENTATION] = (
            {name: st.query_params.get(name, "") for name in PRESENTATION_PARAMS} if on else None
        )
    kept = st.session_state.get(PRESENTATION)
    if not kept:
        return False
    for name, value in kept.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value
    return True


def apply_presentation_mode() -> None:
    st.html(FRAME_CSS)
    if presenting():
        st.html(PRESENTATION_CSS)


def _names(param: str) -> list[str]:
    return [part.strip() for part in st.query_params.get(param, "").split(",") if part.strip()]


def shown_controls(groups: Sequence[str], defaults: Sequence[str]) -> list[str]:
    """The control groups a presentation shows: ``?show=kernel,layer`` or the page's own.

    ``?hide=`` takes groups out again, as it takes out parts of a page.
    """
    asked = [name for name in _names("show") if name in groups] or list(defaults)
    hidden = set(_names("hide"))
    return [name for name in groups if name in asked and name not in hidden]


def control_places(groups: Mapping[str, str], defaults: Sequence[str]) -> dict:
    """Where each group of controls is drawn: the sidebar, or in presentation mode a bar.

    In presentation mode the sidebar is hidden; the groups the lesson needs become
    buttons in one compact bar under the title, each opening its controls (the same
    widgets and keys, so links and state do not change). The other groups stay in the
    hidden sidebar, where they still hold their values.
    """
    if not presenting():
        return {name: st.sidebar for name in groups}
    shown = shown_controls(list(groups), defaults)
    bar = st.container(horizontal=True, key=BAR_KEY) if shown else None
    return {
        name: bar.popover(label, icon=":material/tune:") if name in shown else st.sidebar
        for name, label in groups.items()
    }


@contextmanager
def guard(what: str) -> Iterator[None]:
    """An unexpected error inside becomes one plain sentence and a server log line.

    Streamlit's rerun/stop signals derive from BaseException, so they pass through.
    """
    try:
        yield
    except Exception:
        log.exception("%s failed", what)
        st.error(_(FALLBACK_ERROR))


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """Run a page inside :func:`guard` (a fragment that reruns alone needs its own guard)."""

    @functools.wraps(render)
    def page() -> None:
        with guard(f"page {render.__module__}"):
            render()

    return page


def localise_link_value(key: str, titles: Mapping[str, str]) -> None:
    """Let a widget bound to the URL open a link written in any language.

    A bound widget (``bind="query-params"``) with a ``format_func`` reads and writes
    the label it shows (``?src=Type numbers``): in Chinese it would not recognise an
    English link's value, and its own links carry the Chinese label. Call this
    before drawing the widget: on the session's first run, a link value that is an
    option's title in any language (or the option itself) becomes the widget's
    value. ``titles``: option -> its English title (marked with ``N_``).
    """
    value = st.query_params.get(key)
    if value is None or key in st.session_state:
        return
    if any(value == _(title) for title in titles.values()):
        return  # the widget reads it itself: leave its state alone
    for option, title in titles.items():
        if value == option or any(value == translate(title, code) for code in LANGUAGES):
            st.session_state[key] = option
            return
