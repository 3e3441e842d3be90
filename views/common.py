"""The frame around every page: presentation mode, and no traceback in the browser."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

import streamlit as st

log = logging.getLogger("playground.views")

PRESENTATION_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] { font-size: 20px; }
  [data-testid="stMarkdownContainer"] p, label, .stRadio label { font-size: 1.15rem !important; }
  h1 { font-size: 2.6rem !important; }
  [data-testid="stSidebar"], [data-testid="stToolbar"] { display: none; }
</style>
"""

FALLBACK_ERROR = (
    "Something went wrong while drawing this page. Change a setting or reload the page; "
    "your classmates are not affected."
)


def presenting() -> bool:
    """True for links with ``?present=1``: larger type, sidebar and chosen parts hidden."""
    return st.query_params.get("present", "0") not in ("0", "", "false")


def apply_presentation_mode() -> None:
    if presenting():
        st.html(PRESENTATION_CSS)


def guarded(render: Callable[[], None]) -> Callable[[], None]:
    """Run a page; an unexpected error becomes one plain sentence and a server log line.

    Streamlit's rerun/stop signals derive from BaseException, so they pass through.
    """

    @functools.wraps(render)
    def page() -> None:
        try:
            render()
        except Exception:
            log.exception("page %s failed", render.__module__)
            st.error(FALLBACK_ERROR)

    return page
