"""Run one page in AppTest, the way streamlit_app.py frames it."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from views import common, {page}
common.apply_presentation_mode()
common.guarded({page}.render)()
"""


def page_app(page: str, *, query: dict[str, str] | None = None, timeout: float = 30) -> AppTest:
    """An AppTest of ``views.<page>.render``; ``query`` fills the URL's query string."""
    at = AppTest.from_string(_SCRIPT.format(root=str(ROOT), page=page), default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at
