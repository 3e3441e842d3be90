"""Chinese in a real browser: the shipped font draws it, and a link's language survives navigation.

CI's Debian Chromium has no CJK system font, so Chinese would be empty boxes
unless the app's own font subset (static/fonts) loads. This machine may have
fonts-noto-cjk installed, so the checks do not trust the look alone: Chromium
reports (DevTools' CSS.getPlatformFontsForNode) which font drew a heading's
glyphs, and whether it was a web font; the FontFace the app declares must have
loaded; and the heading's width must be what Noto's full-width glyphs give
(1 em per character), not what fallback boxes give.
"""

from __future__ import annotations

import contextlib
import re
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import open_app, wait_idle

TITLE_ZH = "课程：逐个单元格读书"  # ten CJK characters, the colon full-width


def _platform_fonts(page, selector: str) -> list[dict]:
    """The fonts Chromium used to draw an element's text (family, web font or not, glyphs)."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    cdp.send("CSS.enable")
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


def test_chinese_is_drawn_with_the_shipped_font(page, app_url):
    """The Lessons page with ?lang=zh: its title's glyphs come from the app's web font."""
    open_app(page, f"{app_url}/lessons?lang=zh")
    title = page.locator("[data-testid=stMain] h1").first
    expect(title).to_have_text(TITLE_ZH)
    # the declared face loads (document.fonts.ready alone can resolve before the
    # injected @font-face has even started loading, while a system font still draws)
    loaded = page.evaluate(
        """async () => {
            await document.fonts.load('40px "Noto Sans SC Playground"', '卷积核');
            await document.fonts.ready;
            return document.fonts.check('40px "Noto Sans SC Playground"', '卷积核');
        }"""
    )
    assert loaded
    # then Chromium redraws the title with it: ask which fonts drew its glyphs
    deadline = time.monotonic() + 15
    while True:
        fonts = _platform_fonts(page, "[data-testid=stMain] h1")
        cjk = [font for font in fonts if "CJK" in font["familyName"]]
        if (cjk and all(font["isCustomFont"] for font in cjk)) or time.monotonic() > deadline:
            break
        page.wait_for_timeout(200)
    assert cjk, f"no CJK font drew the title: {fonts}"
    assert all(font["isCustomFont"] for font in cjk), f"a system font drew Chinese: {fonts}"
    assert sum(font["glyphCount"] for font in cjk) == len(TITLE_ZH)
    response = page.request.get(f"{app_url}/app/static/fonts/noto-sans-sc-playground.woff2")
    assert response.ok and response.headers["content-type"] == "font/woff2"


def _cjk_fonts_when_loaded(page, selector: str) -> list[dict]:
    """The CJK fonts that drew ``selector``'s text, once web fonts drew it (15 s at most)."""
    deadline = time.monotonic() + 15
    while True:
        fonts = _platform_fonts(page, selector)
        cjk = [font for font in fonts if "CJK" in font["familyName"]]
        if (cjk and all(font["isCustomFont"] for font in cjk)) or time.monotonic() > deadline:
            return cjk or fonts
        page.wait_for_timeout(200)


def test_bold_chinese_is_drawn_with_the_shipped_bold_font(page, app_url):
    """Titles and **bold** words use the Bold subset; body text keeps the Regular one.

    Only the Regular weight shipped before: Chinese in a title was drawn in its thin
    strokes while the Latin beside it was bold. Chromium names the face that drew
    each run (its PostScript name), so the check does not depend on the look.
    """
    open_app(page, f"{app_url}/lessons?lang=zh")
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text(TITLE_ZH)
    # polled: the title can be on screen a moment before the CSS declaring the faces (under
    # load the suite once asked too early, when no face matched and nothing was loaded)
    # (a plain function: wait_for_function takes a returned promise itself as true)
    page.wait_for_function(
        """() => {
            document.fonts.load('bold 40px "Noto Sans SC Playground"', '卷积核');  // asks again
            return [...document.fonts].some((face) => face.family.includes('Noto Sans SC')
                && face.weight === '600 900' && face.status === 'loaded');
        }""",
        timeout=30_000,
    )
    title = _cjk_fonts_when_loaded(page, "[data-testid=stMain] h1")
    assert title and all(font["isCustomFont"] for font in title), title
    assert {font["postScriptName"] for font in title} == {"NotoSansCJKsc-Bold"}, title
    assert sum(font["glyphCount"] for font in title) == len(TITLE_ZH)
    # the lesson's "**书中的代码**": a bold word in a paragraph
    page.locator("[data-testid=stMain] strong", has_text="书中的代码").first.wait_for()
    page.evaluate(
        """() => document.querySelectorAll('[data-testid=stMain] strong').forEach((el) => {
            if (el.textContent.includes('书中的代码')) el.id = 'bold-probe';
        })"""
    )
    bold_word = _cjk_fonts_when_loaded(page, "#bold-probe")
    assert {font["postScriptName"] for font in bold_word} == {"NotoSansCJKsc-Bold"}, bold_word
    # a caption's plain Chinese stays Regular: the Bold face is not everywhere
    caption = _cjk_fonts_when_loaded(page, "[data-testid=stMain] [data-testid=stCaptionContainer]")
    assert caption and {font["postScriptName"] for font in caption} == {"NotoSansCJKsc-Regular"}, (
        caption
    )
    response = page.request.get(f"{app_url}/app/static/fonts/noto-sans-sc-playground-bold.woff2")
    assert response.ok and response.headers["content-type"] == "font/woff2"


def test_chinese_glyphs_are_full_width_not_fallback_boxes(page, app_url):
    """Each CJK character is one em wide in the shipped font; a missing glyph's box is not."""
    open_app(page, f"{app_url}/receptive-field?lang=zh")
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("感受野")
    widths = page.evaluate(
        """async () => {
            await document.fonts.ready;
            const measure = (family) => {
                const span = document.createElement('span');
                span.style.font = `100px ${family}`;
                span.style.whiteSpace = 'nowrap';
                span.textContent = '感受野卷积核';
                document.body.appendChild(span);
                const width = span.getBoundingClientRect().width;
                span.remove();
                return width;
            };
            const title = getComputedStyle(document.querySelector('[data-testid=stMain] h1'));
            return {
                shipped: measure(title.fontFamily),
                boxes: measure('"No Such Font Playground", serif'),
                family: title.fontFamily,
            };
        }"""
    )
    # Noto's ideographs advance exactly 1 em: 6 characters at 100 px are 600 px
    assert abs(widths["shipped"] - 600) < 6, widths
    # without the web font the same text falls back to whatever the system has; on a
    # machine without CJK fonts (CI) those are .notdef boxes of another width
    if abs(widths["boxes"] - 600) >= 6:
        assert abs(widths["boxes"] - widths["shipped"]) >= 6, widths


def test_the_language_of_a_link_survives_page_switches(page, app_url):
    """Opened with ?lang=zh, the session stays Chinese after clicking to another page.

    The navigation's page titles are Chinese too.
    """
    open_app(page, f"{app_url}/lessons?lang=zh")
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text(TITLE_ZH)
    page.get_by_role("link", name=re.compile("感受野")).click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("感受野")
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"lang=zh"))
    page.get_by_role("link", name=re.compile("课程")).click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text(TITLE_ZH)
    expect(page).to_have_title(re.compile("卷积演练场"))


def test_the_switch_turns_the_page_english(page, app_url):
    """Picking English in the sidebar switch redraws the page in English and says so in the URL."""
    open_app(page, f"{app_url}/receptive-field?lang=zh")
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Receptive field")
    expect(page).to_have_url(re.compile(r"lang=en"))


UPLOADER_WORDS = """sel => {
    const part = (selector, pseudo) => {
        const el = document.querySelector(selector);
        return el && {
            content: getComputedStyle(el, pseudo).content,
            width: el.getBoundingClientRect().width,
            size: getComputedStyle(el).fontSize,
        };
    };
    return {
        button: part(sel.button, null), buttonAfter: part(sel.button, "::after"),
        note: part(sel.note, null), noteAfter: part(sel.note, "::after"),
    };
}"""
UPLOADER_PARTS = {
    "button": '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p',
    "note": '[data-testid="stFileUploaderDropzoneInstructions"] span',
}


def _uploader_words_once_button_reads(page, content: str) -> dict:
    """The uploader's words, once the button's ::after reads ``content`` (or after 10 s).

    Streamlit sends a style-only st.html to its event container, which the browser draws
    after the page's elements: for a moment after the uploader appears (and after a
    language switch) the rules of the run before are still what it shows.
    """
    # on a timeout the assertions after this say what was shown instead
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            "([sel, content]) => { const el = document.querySelector(sel);"
            " return el && getComputedStyle(el, '::after').content === content; }",
            arg=[UPLOADER_PARTS["button"], content],
            timeout=10_000,
        )
    return page.evaluate(UPLOADER_WORDS, UPLOADER_PARTS)


def test_the_file_uploaders_own_words_are_chinese(page, app_url):
    """Streamlit writes "Upload" and "10MB per file" in English; a Chinese page shows Chinese.

    The English words are drawn at size 0 and the translated ones take their place
    (CSS ::after): the box keeps a width, so the button is not empty. In English the
    uploader is left as Streamlit draws it.
    """
    open_app(page, f"{app_url}/?lang=zh&src=Upload")
    page.locator("[data-testid=stFileUploaderDropzone]").first.wait_for(timeout=30_000)
    words = _uploader_words_once_button_reads(page, '"上传"')
    assert words["buttonAfter"]["content"] == '"上传"', words
    assert words["noteAfter"]["content"] == '"每个文件不超过 10 MB"', words
    assert words["button"]["size"] == "0px" and words["note"]["size"] == "0px", words
    assert words["button"]["width"] > 20 and words["note"]["width"] > 60, words
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Explore a convolution")
    wait_idle(page)
    words = _uploader_words_once_button_reads(page, "none")
    assert words["buttonAfter"]["content"] == "none", words
    assert words["button"]["size"] != "0px", words
