"""The language switch in the page frame, and the shipped font that draws Chinese anywhere.

``setup()`` runs first on every page run (streamlit_app.py calls it right
after ``st.set_page_config``). It picks the session's language, in order:

1. the switch's value from earlier runs of this session (page switches keep it);
2. on a session's first run, the link: ``?lang=zh`` or ``?lang=en`` (also
   ``zh-CN``), so a teacher's link opens in the class's language;
3. the browser's preferred language (``navigator.language``, else the
   Accept-Language header) when the link says nothing;
4. English.

The choice is written back to the link (``?lang=``) on every page, so a link
copied from any page opens in the same language. (Not ``bind="query-params"``:
a bound parameter is dropped from the URL on a page switch.)

It then sets :mod:`playground.i18n`'s per-context language, so every ``_()``
in this run reads in it, and injects the CSS that serves the Noto Sans SC
subsets from ``static/fonts`` (made by ``scripts/make_font.py``, Regular and
Bold): a school's Linux machines have no CJK font, and the browser would draw
empty boxes.
"""

from __future__ import annotations

import streamlit as st

from playground import i18n
from playground.i18n import _

KEY = "lang"
FONT_URL = "app/static/fonts/noto-sans-sc-playground.woff2"  # relative: works under a base path
BOLD_FONT_URL = "app/static/fonts/noto-sans-sc-playground-bold.woff2"
FONT_FAMILY = "Noto Sans SC Playground"
# CJK punctuation, ideographs and full-width forms: the only characters the subset serves
CJK_RANGE = ", ".join(f"U+{low:04X}-{high:04X}" for low, high in i18n.CJK_RANGES)
# Streamlit's text and code fonts, and Plotly's: the subset joins each of them for CJK
# characters only (same descriptors as Streamlit's own faces, so one composite font)
SHARED_FAMILIES = ("Source Sans", "Source Code Pro", "Open Sans")
# Bold text: Streamlit's titles and headers (600-700) and **bold** words. The Regular face
# above claims every weight, as Streamlit's variable face does, so within "Source Sans"
# a Bold face could not join (Chromium uses one weight segment of a family per run of
# text: Latin would lose its face). These elements name our own two-weight family first
# instead: it covers only CJK, so Latin falls through to Streamlit's font, unchanged,
# and the line's metrics stay Source Sans' (the first family that has a space).
BOLD_SELECTORS = "h1, h2, h3, h4, h5, h6, strong, b"
BOLD_STACK = f'"{FONT_FAMILY}", "Source Sans", sans-serif'


def _face(family: str, url: str, weight: str, style: str = "normal") -> str:
    return (
        f'@font-face{{font-family:"{family}";font-style:{style};font-weight:{weight};'
        f'font-display:swap;src:url("{url}") format("woff2");unicode-range:{CJK_RANGE}}}'
    )


def _font_css() -> str:
    faces = [
        _face(family, FONT_URL, "100 900", style)
        for family in SHARED_FAMILIES
        for style in ("normal", "italic")
    ]
    # our family: Regular up to 500, Bold from 600 (CSS picks 700 for 600, Streamlit's
    # header weight, and for bold), so a heading's Chinese is drawn in true bold strokes
    faces.append(_face(FONT_FAMILY, FONT_URL, "100 500"))
    faces.append(_face(FONT_FAMILY, BOLD_FONT_URL, "600 900"))
    # !important: Streamlit's own header rules are more specific than these element names
    faces.append(f"{BOLD_SELECTORS}{{font-family:{BOLD_STACK} !important}}")
    return "<style>\n" + "\n".join(faces) + "\n</style>"


FONT_CSS = _font_css()


# Streamlit's file uploader writes "Upload" and "10MB per file" in English whatever the
# page's language (it has no translation hook). In another language its text is drawn
# at size 0 and a translated ::after takes its place (screen readers read both).
UPLOAD_BUTTON = (
    '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
)
UPLOAD_NOTE = '[data-testid="stFileUploaderDropzoneInstructions"] span'


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def uploader_css() -> str:
    """CSS that shows the file uploader's own words in this run's language."""
    limit = st.get_option("server.maxUploadSize")
    button = _css_string(_("Upload"))
    note = _css_string(_("Up to {size} MB per file").format(size=limit))
    return (
        "<style>\n"
        f"{UPLOAD_BUTTON}, {UPLOAD_NOTE} {{font-size:0}}\n"
        f"{UPLOAD_BUTTON}::after {{content:{button};font-size:1rem}}\n"
        f"{UPLOAD_NOTE}::after {{content:{note};font-size:0.875rem}}\n"
        "</style>"
    )


def _session_language() -> str | None:
    """The switch's value in this session (for threads that never set the language)."""
    return st.session_state.get(KEY)


i18n.set_resolver(_session_language)


def browser_language() -> str | None:
    """A supported language the browser prefers: navigator.language, else Accept-Language."""
    try:
        found = i18n.match_language(st.context.locale)
        return found or i18n.match_language(st.context.headers.get("Accept-Language"))
    except Exception:  # no browser behind this run (a test harness without context)
        return None


def _default() -> str:
    return (
        i18n.match_language(st.query_params.get(KEY)) or browser_language() or i18n.SOURCE_LANGUAGE
    )


def _on_switch() -> None:
    # the reader chose: the link says so from now on
    st.query_params[KEY] = st.session_state[KEY]


def setup() -> str:
    """Choose this run's language, draw the switch in the sidebar, load the font.

    Returns the language code ("en" or "zh").
    """
    codes = list(i18n.LANGUAGES)
    if KEY not in st.session_state:  # first run of the session: the link, else the browser
        st.session_state[KEY] = _default()
    # the label is the same in every language, so a reader who cannot read the
    # current one still finds the switch; the names are each language's own
    code = st.sidebar.radio(
        "Language · 语言",
        codes,
        format_func=i18n.LANGUAGES.get,
        key=KEY,
        on_change=_on_switch,
        horizontal=True,
    )
    # Keep ?lang= in the link on every page (a page switch drops it), so a link copied
    # anywhere opens in this language. English without ?lang= is left as it is.
    if (code != i18n.SOURCE_LANGUAGE or KEY in st.query_params) and st.query_params.get(
        KEY
    ) != code:
        st.query_params[KEY] = code
    i18n.set_language(code)
    st.html(FONT_CSS)
    if code != i18n.SOURCE_LANGUAGE:
        st.html(uploader_css())
    return code
