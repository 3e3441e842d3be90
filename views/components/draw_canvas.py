"""The drawing canvas in the browser: a thin wrapper around the component in draw_canvas/.

The student paints whole cells of the page's grid (no averaging down from
pixels), sees them as they are, and the grid's bytes come back on pointer-up
as the ``stroke`` state value: ``{origin, seq, rows, cols, channels, data}``
(``data`` base64, one byte per cell and channel). Python sends the drawing it
keeps with the origin and sequence number it came with, so the browser can
tell its own newer strokes from the session's drawing made elsewhere.

Like the convolution view, the registered component is only the shared small
loader (conv_view/loader.js with message.js); the canvas's module (~10 kB)
travels once per session as the ``code`` section of the binary message
(``playground.figures.conv_view_data.pack``), and again when a page asks
(``need_code``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from playground.figures.conv_view_data import pack
from playground.i18n import N_, _
from views.components.assets import SHARED, ship

ASSETS = Path(__file__).resolve().parent / "draw_canvas"
JS_FILES = ("brush.js", "canvas.js")  # after the shared dom.js and message.js
SIDE = 240  # css px; fits the sidebar

LABELS = {
    "aria": N_(
        "Drawing canvas, {rows} by {cols} cells. Draw with a mouse, a pen or a finger; "
        "or move with the arrow keys and press Space to paint a cell."
    ),
    "tools": N_("Brush"),
    "ink": N_("Ink"),
    "eraser": N_("Eraser"),
    "picker": N_("Any colour"),
    "undo": N_("Undo"),
    "clear": N_("Clear"),
    "cursor": N_("Row {row}, column {col}: {value}"),
}
# the colour mode's palette: (name, colour); names shown translated
PALETTE = (
    (N_("red"), "#ff0000"),
    (N_("green"), "#00ff00"),
    (N_("blue"), "#0000ff"),
    (N_("yellow"), "#ffff00"),
    (N_("white"), "#ffffff"),
    (N_("black (erases)"), "#000000"),
)


@dataclass(frozen=True)
class Stroke:
    """What the canvas last sent: the grid's bytes as base64, and where they came from."""

    origin: str
    seq: int
    rows: int
    cols: int
    channels: int
    data: str

    @property
    def ident(self) -> tuple[str, int]:
        return self.origin, self.seq


CANVAS = ship(
    "draw_canvas",
    ASSETS,
    (SHARED / "dom.js", SHARED / "message.js", *(ASSETS / name for name in JS_FILES)),
)


def read_stroke(value: object) -> Stroke | None:
    """The ``stroke`` state value as a Stroke, or None when it is missing or malformed."""
    if not isinstance(value, Mapping):
        return None
    try:
        return Stroke(
            origin=str(value["origin"]),
            seq=int(value["seq"]),
            rows=int(value["rows"]),
            cols=int(value["cols"]),
            channels=int(value["channels"]),
            data=str(value["data"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def draw_canvas(
    *,
    key: str,
    cells: bytes,
    rows: int,
    cols: int,
    channels: int = 1,
    ink: str = "bright",
    origin: str = "",
    seq: int = 0,
) -> Stroke | None:
    """Show the grid's ``cells`` (bytes, channels last) and return the canvas's last stroke.

    ``origin`` and ``seq`` say where the cells came from (a stroke's, or "" for a
    drawing Python made: empty or resampled). The returned stroke is whatever the
    canvas last sent, possibly one already taken (compare ``Stroke.ident``).
    """
    header = {
        "code_digest": CANVAS.digest,
        "rows": int(rows),
        "cols": int(cols),
        "channels": int(channels),
        "ink": ink,
        "origin": origin,
        "seq": int(seq),
        "side": SIDE,
        "labels": {name: _(text) for name, text in LABELS.items()},
    }
    if channels == 3:
        header["palette"] = [[_(name), colour] for name, colour in PALETTE]
    sections = {"values": cells}
    code = CANVAS.code_to_send()
    if code is not None:
        sections = {"code": code, **sections}
    result = CANVAS.render(
        key=key,
        data=pack(header, sections),
        on_need_code_change=CANVAS.forget_code,
        on_stroke_change=lambda: None,
    )
    return read_stroke(result.get("stroke"))
