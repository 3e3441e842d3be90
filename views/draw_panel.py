"""The drawing canvas: strokes -> a small grid of numbers, kept in step with the input.

The session keeps the canvas's last strokes and pixels (``DRAWING``, shared by
the pages), so a drawing survives a switch to another source or page and back:
a remounted canvas opens on it, and the input uses its kept pixels until the
next stroke.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import playground
from playground.i18n import N_, _
from views import common

INK_TITLES = {"bright": N_("white on black"), "dark": N_("black on white")}
DRAWING = "drawing"  # the canvas's last strokes and pixels (a Drawing), shared by the pages
CANVAS_SIDE = 240  # px; fits the sidebar (wider is cut off)


def draw_panel(draw_grids: tuple[int, int], *, grid_key: str, key_prefix: str) -> np.ndarray:
    """The drawing canvas and its grid and ink -> float32 (grid, grid) in [0, 1].

    ``grid_key`` and ``key_prefix`` are the page's own keys (see InputOptions).
    """
    from streamlit_drawable_canvas import st_canvas  # imported here: only this panel needs it

    low, high = draw_grids
    left, right = st.columns(2)
    grid = left.slider(
        _("Grid (cells per side)"),
        low,
        high,
        min(max(low, 16), high),
        key=grid_key,
        bind="query-params",
    )
    common.localise_link_value("ink", INK_TITLES)
    strokes = right.radio(
        _("Ink"),
        ("bright", "dark"),
        horizontal=True,
        key="ink",
        bind="query-params",
        format_func=lambda s: _(INK_TITLES[s]),
        help=_("Which way the numbers go: strokes as 1 on 0, or 0 on 1."),
    )
    st.caption(_("Draw with the mouse; the drawing is averaged down to the grid."))
    # the grid is part of the key: the stroke width follows the grid, and a canvas
    # given a new width sometimes cleared itself while the input kept the drawing
    # (seen in CI). A new grid now mounts a new canvas, seeded with the drawing below.
    canvas_key = f"{key_prefix}canvas_{grid}"
    seed_key = f"{canvas_key}_seed"
    if canvas_key not in st.session_state:
        # the canvas is (re)mounted: a switch back from another source, or another page.
        # It opens on the session's last drawing; while it stays on the page the seed is
        # left alone (a new initial_drawing makes the canvas reload and send it again)
        st.session_state[seed_key] = st.session_state.get(DRAWING)
    seed: Drawing | None = st.session_state.get(seed_key)
    result = st_canvas(
        stroke_width=max(8, CANVAS_SIDE // grid + 6),
        stroke_color="#000000",
        background_color="#ffffff",
        height=CANVAS_SIDE,
        width=CANVAS_SIDE,
        drawing_mode="freedraw",
        initial_drawing=seed.strokes if seed else None,
        return_image_data=True,
        key=canvas_key,
    )
    pixels = result.image_data if result is not None else None
    if pixels is not None:
        st.session_state[DRAWING] = Drawing(result.json_data, pixels)
    elif seed is not None and _same_strokes(result.json_data if result else None, seed.strokes):
        # a remounted canvas shows the seed but sends nothing until the next stroke:
        # its pixels are the ones kept with the seed
        pixels = seed.pixels
    if pixels is None:
        empty = (
            np.zeros((grid, grid), np.float32)
            if strokes == "bright"
            else np.ones((grid, grid), np.float32)
        )
        return empty
    return playground.canvas_to_array(pixels, grid=grid, strokes=strokes)


@dataclass(frozen=True)
class Drawing:
    """What the canvas last sent: its strokes (Fabric JSON) and its RGBA pixels."""

    strokes: dict
    pixels: np.ndarray


def _same_strokes(a: dict | None, b: dict | None) -> bool:
    return bool(a) and bool(b) and a.get("objects") == b.get("objects")
