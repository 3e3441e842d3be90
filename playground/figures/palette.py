"""Every colour the figures use for lines, marks and categories, typed once.

The colours of values (maps) come from one convention,
:mod:`~playground.figures.colour_scales`, drawn in Plotly by
:mod:`~playground.figures.colour_bar`.
"""

from __future__ import annotations

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


def stepped_scale(colors) -> list[list]:
    """A colour scale with one flat band per colour (for categories 0 .. n-1)."""
    n = len(colors)
    scale = []
    for i, color in enumerate(colors):
        scale += [[i / n, color], [(i + 1) / n, color]]
    return scale
