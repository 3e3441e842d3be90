"""Run one page in AppTest, the way streamlit_app.py frames it.

Every run fails the test when the page shows the guard's sentence
(``views.common.FALLBACK_ERROR``): the guard keeps students from seeing a
traceback, so without this check a crashed page would still pass a test
that only looks at ``at.exception``.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from playground import i18n
from views.common import fallback_errors

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = """
import sys
sys.path.insert(0, {root!r})
from views import common, language, {page}
language.setup()
common.apply_presentation_mode()
common.guarded({page}.render)()
"""


class GuardedAppTest(AppTest):
    """An AppTest whose every run (also a widget's ``.run()``) checks the page did not crash."""

    expect_guard: bool = False  # a test of the guard itself sets this

    def _run(self, *args, **kwargs) -> AppTest:
        # AppTest turns the widgets' values into the browser's state here, in the test's
        # thread, calling their format_func: let _() there read the language the page
        # was last drawn in (this session's switch), as the page's own thread does
        with i18n.using(drawn_language(self)):
            result = super()._run(*args, **kwargs)
        if not self.expect_guard:
            assert_not_guarded(result)
        return result


def drawn_language(at: AppTest) -> str:
    """The language ``at``'s page was last drawn in (its switch), for formatting its options."""
    try:
        return i18n.match_language(at.session_state["lang"]) or i18n.SOURCE_LANGUAGE
    except (KeyError, AttributeError):  # not run yet, or a page without the switch
        return i18n.SOURCE_LANGUAGE


def assert_not_guarded(at: AppTest) -> None:
    """Fail with the page's own words when it crashed behind the guard."""
    guarded = [e.value for e in at.error if e.value in fallback_errors()]
    assert not guarded, "the page crashed and showed the guard's sentence (see the log above)"


def page_app(
    page: str,
    *,
    query: dict[str, str] | None = None,
    timeout: float = 30,
    expect_guard: bool = False,
) -> AppTest:
    """An AppTest of ``views.<page>.render``; ``query`` fills the URL's query string."""
    at = GuardedAppTest.from_string(
        _SCRIPT.format(root=str(ROOT), page=page), default_timeout=timeout
    )
    at.expect_guard = expect_guard
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at
