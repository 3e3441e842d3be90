"""The translation catalogs and the Chinese font are complete and in step with the code.

- every message of every catalog is translated (no empty, no fuzzy entry);
- extracting the code's strings with Babel (as ``make messages`` does) finds
  none missing from a catalog, and a catalog keeps no message the code dropped;
- the committed .mo files are what ``make catalogs`` compiles from the .po files;
- placeholders survive translation ({shape} stays {shape});
- the shipped font subset draws every CJK character the app shows and stays small.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel", reason="Babel (requirements-dev.txt) checks the catalogs")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from playground.i18n import LANGUAGES, LOCALE_DIR, SOURCE_LANGUAGE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = sorted(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
FONT = ROOT / "static" / "fonts" / "noto-sans-sc-playground.woff2"
BOLD_FONT = ROOT / "static" / "fonts" / "noto-sans-sc-playground-bold.woff2"
FONTS = (FONT, BOLD_FONT)
# both weights together (~300 kB): far below the 1 MB the issue allows
FONT_LIMIT = 400 * 1024
PLACEHOLDER = re.compile(r"\{[a-z_]*\}|%\{[a-z]+(?::[^}]*)?\}")


def _po(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / "messages.po"


def _catalog(code: str):
    with _po(code).open("rb") as f:
        return read_po(f, locale=code)


def _extracted() -> set[str]:
    """Every msgid in the code, extracted with the mapping ``make messages`` uses."""
    method_map = [
        ("playground/**.py", "python"),
        ("views/**.py", "python"),
        ("streamlit_app.py", "python"),
    ]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=method_map
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _entries(code: str):
    return [message for message in _catalog(code) if message.id]


def _key(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_message_is_translated(code):
    """No empty translation and no fuzzy (unchecked) one."""
    untranslated = [
        _key(m)
        for m in _entries(code)
        if not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [_key(m) for m in _entries(code) if m.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {code}: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {code} (check them, then drop the flag): {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_catalog_is_in_step_with_the_code(code):
    """Extraction finds no string missing from the catalog, and the catalog none extra."""
    in_code = _extracted()
    in_catalog = {_key(m) for m in _entries(code)}
    missing, stale = sorted(in_code - in_catalog), sorted(in_catalog - in_code)
    assert not missing, f"run `make messages` and translate: {missing[:5]}"
    assert not stale, f"run `make messages` (strings no longer in the code): {stale[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_the_compiled_catalog_is_current(code):
    """The committed .mo is exactly what `make catalogs` compiles from the .po."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(code))
    committed = _po(code).with_suffix(".mo").read_bytes()
    assert compiled.getvalue() == committed, "run `make catalogs` and commit the .mo"


@pytest.mark.parametrize("code", TRANSLATED)
def test_translations_keep_every_placeholder(code):
    """A translation may move {shape} or %{y}, but never drop, rename or add one."""
    broken = []
    for m in _entries(code):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for string in strings:
            if sorted(set(PLACEHOLDER.findall(string))) != wanted:
                broken.append(_key(m))
    assert not broken, broken[:5]


@pytest.mark.parametrize("font", FONTS, ids=lambda path: path.name)
def test_the_font_draws_every_cjk_character_the_app_shows(font):
    """Every CJK character of the catalogs and the code is in each shipped subset."""
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the font")
    pytest.importorskip("brotli", reason="WOFF2 needs brotli")
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_font import used_characters

    cmap = ttlib.TTFont(font).getBestCmap()
    missing = sorted(char for char in used_characters() if ord(char) not in cmap)
    assert not missing, f"run `make font`: {''.join(missing[:20])}"


def test_the_fonts_are_small():
    """Both subsets together stay far below the 1 MB a classroom page may cost."""
    sizes = [font.stat().st_size for font in FONTS]
    assert all(size > 0 for size in sizes) and sum(sizes) < FONT_LIMIT, sizes


def test_the_bold_font_is_the_bold_weight_of_the_same_face():
    """The Bold subset is Noto Sans CJK SC Bold (weight 700), the Regular one weight 400."""
    ttlib = pytest.importorskip("fontTools.ttLib", reason="fontTools reads the font")
    pytest.importorskip("brotli", reason="WOFF2 needs brotli")
    regular, bold = (ttlib.TTFont(font) for font in FONTS)
    assert regular["OS/2"].usWeightClass == 400 and bold["OS/2"].usWeightClass == 700
    assert bold["name"].getDebugName(6) == "NotoSansCJKsc-Bold"
    assert set(regular.getBestCmap()) == set(bold.getBestCmap())
