"""Every colour the figures use, typed once, and the mapping of values to colours.

Signed maps use a diverging scale centred on 0 (blue negative, red
positive), so a student sees the sign at a glance; images in [0, 1] use grey.
"""

from __future__ import annotations

import numpy as np

DIVERGING = "RdBu_r"
GREYS = [[0.0, "#000000"], [1.0, "#ffffff"]]
# non-negative numbers past 1 (the book's 0..8): pale, so dark numbers stay readable
COUNTS_SCALE = [[0.0, "#ffffff"], [1.0, "#7fa7d6"]]

# the figure background: it shows through the 1-px gaps between cells, so
# every grid has lines between its cells, even between white ones
GRID_LINES = "#c9ced8"
PADDING_FILL = "rgba(140, 150, 170, 0.55)"
INPUT_EDGE = "#1f3b73"  # the real input's border inside the padding
WINDOW_LINE = "#ff7f0e"
WINDOW_FILL = "rgba(255, 127, 14, 0.22)"
PREVIOUS_LINE = "rgba(230, 95, 0, 0.9)"  # where the window was one step before
OUTPUT_LINE = "#2ca02c"
FUTURE_FILL = "#eef0f4"  # output cells the window has not reached yet
LOSS_LINE = "#1f77b4"
NOTE_TEXT = "#666"

# receptive field cell categories, drawn with one stepped colour scale
FIELD_COLORS = ("#eceff4", "#fde3c8", "#f28e2b", "#2ca02c")
HULL_LINE = "#b45309"
CHOSEN_LINE = "#14532d"

# the ends and middle of DIVERGING, for maps drawn as pictures (see to_rgb)
_BLUE, _WHITE, _RED = (33, 102, 172), (247, 247, 247), (178, 24, 43)


def is_signed(array: np.ndarray) -> bool:
    """True when the array has values outside [0, 1]: then show it on a diverging scale."""
    return bool(array.size) and (float(array.min()) < 0 or float(array.max()) > 1)


def color_range(array: np.ndarray) -> tuple[float, float]:
    """Symmetric (-m, m) for signed data, (0, 1) for images."""
    if not is_signed(array):
        return 0.0, 1.0
    bound = float(np.abs(array).max()) or 1.0
    return -bound, bound


def stepped_scale(colors) -> list[list]:
    """A colour scale with one flat band per colour (for categories 0 .. n-1)."""
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale


def to_rgb(array: np.ndarray, vmin: float, vmax: float, signed: bool) -> np.ndarray:
    """Map values to uint8 RGB: grey for images, blue-white-red for signed maps."""
    t = np.clip((array - vmin) / ((vmax - vmin) or 1.0), 0, 1)
    if not signed:
        grey = (t * 255).round().astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    blue, white, red = (np.array(c, np.float32) for c in (_BLUE, _WHITE, _RED))
    low = white + (blue - white) * np.clip(1 - 2 * t, 0, 1)[:, :, None]
    high = white + (red - white) * np.clip(2 * t - 1, 0, 1)[:, :, None]
    rgb = np.where((t < 0.5)[:, :, None], low, high)
    return rgb.round().astype(np.uint8)
