"""Build the Chinese web font the app serves: Noto Sans SC cut down to the characters it uses.

A school's Linux machines often have no CJK font, and the browser then draws
Chinese as empty boxes. The app ships a subset of Noto Sans SC (SIL Open Font
License 1.1) holding exactly the CJK characters (``playground.i18n.CJK_RANGES``)
that appear in the translation catalogs and in the app's own code (the book's
Chinese comments, the language switch's "简体中文"), and serves it from
``static/fonts`` (``server.enableStaticServing``; views/language.py adds the
``@font-face`` rules).

Two weights are cut from the same characters: Regular (400) for text and Bold
(700) for titles, headers and **bold** words, which would otherwise be drawn in
the Regular's strokes.

Run it (``make font``) after changing a catalog or the book's text; the test
tests/test_i18n_catalog.py fails while a used character is missing from a font.
The output is deterministic: the same characters and sources give the same bytes.

Sources: Debian's fonts-noto-cjk (``NotoSansCJK-Regular.ttc`` and
``NotoSansCJK-Bold.ttc``, their "Noto Sans CJK SC" faces, the same glyphs as Noto
Sans SC), or any Noto Sans SC/CJK SC files given with ``--source``/``--bold-source``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playground.i18n import LOCALE_DIR, is_cjk  # noqa: E402

SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
BOLD_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")
SOURCE_FACE = "Noto Sans CJK SC"
OUTPUT = ROOT / "static" / "fonts" / "noto-sans-sc-playground.woff2"
BOLD_OUTPUT = ROOT / "static" / "fonts" / "noto-sans-sc-playground-bold.woff2"
# the texts whose characters the font must draw
TEXT_GLOBS = ("playground/**/*.py", "views/**/*.py", "streamlit_app.py")


def used_characters(root: Path = ROOT) -> set[str]:
    """Every CJK character in the catalogs and the app's Python files."""
    files = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
    files += sorted(path for pattern in TEXT_GLOBS for path in root.glob(pattern))
    return {char for path in files for char in path.read_text(encoding="utf-8") if is_cjk(char)}


def _load(source: Path) -> TTFont:
    if source.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(source).fonts:
            if font["name"].getDebugName(1) == SOURCE_FACE:
                return font
        raise SystemExit(f"{source} has no {SOURCE_FACE!r} face.")
    return TTFont(source)


def build(source: Path = SOURCE, output: Path = OUTPUT) -> int:
    """Write the subset as WOFF2; returns its size in bytes."""
    text = "".join(sorted(used_characters()))
    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # screens at classroom sizes: hinting costs bytes, buys little
    options.desubroutinize = True  # compresses better under WOFF2's Brotli
    options.layout_features = ["kern", "vert", "vkrn", "locl", "palt", "halt"]
    options.name_languages = ["*"]
    font = _load(source)
    font.recalcTimestamp = False  # keep the source's date: the same input, the same bytes
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    output.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(output), options)
    return output.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE, help="a Noto Sans SC/CJK font")
    parser.add_argument(
        "--bold-source", type=Path, default=BOLD_SOURCE, help="its Bold (700) weight"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--bold-output", type=Path, default=BOLD_OUTPUT)
    args = parser.parse_args()
    count = len(used_characters())
    for source, output in ((args.source, args.output), (args.bold_source, args.bold_output)):
        size = build(source, output)
        print(f"{output.relative_to(ROOT)}: {count} characters, {size / 1024:.0f} kB")


if __name__ == "__main__":
    main()
