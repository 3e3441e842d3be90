"""The drawing canvas: cells painted on the page's grid, kept in step with the input.

The session keeps the last drawing (``DRAWING`` for grey ink, shared by the
pages; ``DRAWING_RGB`` for the Channels page's colour drawing) at the grid it
was drawn on, so a drawing survives a switch to another source or page and
back: a remounted canvas opens on it. A grid change resamples the kept drawing
to the new grid (``playground.images.drawn.resample_drawing``) and the canvas
shows exactly those cells, so the canvas and the input never disagree; the
next stroke is then made (and kept) on the new grid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import streamlit as st

from playground.i18n import N_, _
from playground.images.drawn import (
    blank_drawing,
    drawing_bytes,
    drawing_from_payload,
    ink_to_input,
    resample_drawing,
)
from views import common
from views.components.draw_canvas import Stroke, draw_canvas

log = logging.getLogger(__name__)

INK_TITLES = {"bright": N_("white on black"), "dark": N_("black on white")}
DRAWING = "drawing"  # the grey drawing (a Drawing), shared by the pages
DRAWING_RGB = "drawing_rgb"  # the colour drawing (a Drawing) of the Channels page


@dataclass(frozen=True)
class Drawing:
    """A drawing at the grid it was made on: grey ink (H, W) or RGB (H, W, 3) in [0, 1].

    ``origin`` and ``seq`` name the canvas stroke it came from.
    """

    values: np.ndarray
    origin: str = ""
    seq: int = 0


def draw_panel(
    draw_grids: tuple[int, int], *, grid_key: str, key_prefix: str, colour: bool = False
) -> np.ndarray:
    """The drawing canvas and its grid (and ink, in grey) -> float32 in [0, 1].

    Grey: (grid, grid), ink "white on black" or "black on white". ``colour=True``:
    (grid, grid, 3) RGB on black, painted from a small palette. ``grid_key`` and
    ``key_prefix`` are the page's own keys (see views.controls.InputOptions).
    """
    low, high = draw_grids
    left, right = st.columns(2) if not colour else (st, None)
    grid = left.slider(
        _("Grid (cells per side)"),
        low,
        high,
        min(max(low, 16), high),
        key=grid_key,
        bind="query-params",
    )
    strokes = "bright" if colour else _ink_radio(right)
    if colour:
        st.caption(_("Pick a colour and draw: each cell you touch takes it, on black."))
    else:
        st.caption(_("Draw with the mouse, a pen or a finger: each cell you touch is inked."))
    channels = 3 if colour else 1
    store = DRAWING_RGB if colour else DRAWING
    canvas_key = f"{key_prefix}{'colour_' if colour else ''}canvas"
    kept: Drawing | None = st.session_state.get(store)
    if kept is not None and np.asarray(kept.values).ndim != (3 if colour else 2):
        kept = None
    shown, origin, seq = _on_grid(kept, grid, channels)
    stroke = draw_canvas(
        key=canvas_key,
        cells=drawing_bytes(shown),
        rows=grid,
        cols=grid,
        channels=channels,
        ink=strokes,
        origin=origin,
        seq=seq,
    )
    taken_key = f"{canvas_key}_taken"
    if stroke is not None and stroke.ident != st.session_state.get(taken_key):
        st.session_state[taken_key] = stroke.ident
        drawn = _accept(stroke, channels)
        if drawn is not None:
            st.session_state[store] = drawn
            shown = resample_drawing(drawn.values, grid, grid)
    return shown if colour else ink_to_input(shown, strokes)


def _ink_radio(column) -> str:
    common.localise_link_value("ink", INK_TITLES)
    return column.radio(
        _("Ink"),
        ("bright", "dark"),
        horizontal=True,
        key="ink",
        bind="query-params",
        format_func=lambda s: _(INK_TITLES[s]),
        help=_("Which way the numbers go: strokes as 1 on 0, or 0 on 1."),
    )


def _on_grid(kept: Drawing | None, grid: int, channels: int) -> tuple[np.ndarray, str, int]:
    """The kept drawing on this grid, with its origin (none when resampled or empty)."""
    if kept is None:
        return blank_drawing(grid, grid, channels), "", 0
    values = resample_drawing(kept.values, grid, grid)
    if kept.values.shape[:2] == (grid, grid):
        return values, kept.origin, kept.seq
    return values, "", 0


def _accept(stroke: Stroke, channels: int) -> Drawing | None:
    """The canvas's stroke as a Drawing; None (and a log line) for a malformed one."""
    if stroke.channels != channels:
        return None
    try:
        values = drawing_from_payload(
            stroke.data, rows=stroke.rows, cols=stroke.cols, channels=channels
        )
    except (TypeError, ValueError) as exc:  # not a student's doing: the page keeps its drawing
        log.warning("the drawing canvas sent a stroke that cannot be read: %s", exc)
        return None
    return Drawing(values, stroke.origin, stroke.seq)
