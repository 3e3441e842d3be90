"""One colour convention for every map the convolution view draws.

- Signed data (any value below 0) is drawn on a *diverging* scale centred on
  zero: blue negative, white 0, red positive, symmetric (-m, m), so the sign
  is visible at a glance and zero is always white.
- Non-negative data is drawn on a *sequential* grey scale with 0 at the dark
  end: 0 black, the largest value white. The range is the data's own
  (0..max), never a fixed 0..1, so a blur output of 0.04-0.4 is not drawn
  almost black.
- A photo's edge map has a few extreme values; running the scale to the
  single largest one washes everything else out. ``contrast="clip"`` ends the
  scale at the 1st/99th percentile instead, and the legend says so;
  ``"auto"`` clips maps too large to have their numbers written, and shows
  small grids (whose numbers a student reads) in full.

The browser draws with the stops and range given here (``ColourScale.as_dict``),
so the colours, the colour bar and the legend come from one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from playground.i18n import _
from playground.trace import format_number

DIVERGING, SEQUENTIAL = "diverging", "sequential"
AUTO, FULL, CLIP = "auto", "full", "clip"
CONTRASTS = (AUTO, FULL, CLIP)
CLIP_PERCENTILES = (1.0, 99.0)
# grids up to this side have their numbers written in the cells: "auto" shows them in full
NUMBERS_MAX_SIDE = 24

# (position 0..1, colour): ColorBrewer RdBu ends with a pure white centre, so "zero is white"
# holds exactly; greys run black -> white, the way a photo looks.
DIVERGING_STOPS = (
    (0.0, "#2166ac"),
    (0.25, "#92c5de"),
    (0.5, "#ffffff"),
    (0.75, "#f4a582"),
    (1.0, "#b2182b"),
)
SEQUENTIAL_STOPS = ((0.0, "#000000"), (1.0, "#ffffff"))


@dataclass(frozen=True)
class ColourScale:
    """How one map's values become colours.

    ``low``/``high`` are the values at the two ends of the colour bar;
    ``data_low``/``data_high`` the map's own extremes (wider when clipped).
    """

    kind: str  # DIVERGING or SEQUENTIAL
    low: float
    high: float
    data_low: float
    data_high: float
    clipped: bool

    @property
    def stops(self) -> tuple[tuple[float, str], ...]:
        return DIVERGING_STOPS if self.kind == DIVERGING else SEQUENTIAL_STOPS

    def ticks(self) -> list[tuple[float, str]]:
        """Colour-bar labels: both ends, and 0 in the middle of a diverging bar."""
        values = [self.low, 0.0, self.high] if self.kind == DIVERGING else [self.low, self.high]
        return [(v, format_number(v)) for v in values]

    def legend(self) -> str:
        """The sentence under a colour bar: what the colours mean, and any clipping."""
        low, high = format_number(self.low), format_number(self.high)
        data_low, data_high = format_number(self.data_low), format_number(self.data_high)
        if self.kind == DIVERGING:
            text = _("Diverging: blue negative, white 0, red positive ({low} to {high}).")
        else:
            text = _("Sequential: 0 is black, {high} is white.")
        sentences = [text.format(low=low, high=high)]
        if self.clipped:
            sentences.append(
                _(
                    "Contrast clipped to the 1st–99th percentile; values from {low} to "
                    "{high}, those beyond the bar take its end colours."
                ).format(low=data_low, high=data_high)
            )
        elif self.data_low == self.data_high:
            sentences.append(_("Every value is {value}.").format(value=data_low))
        elif self.kind == SEQUENTIAL and self.data_low > 0:
            sentences.append(_("Values from {low} to {high}.").format(low=data_low, high=high))
        return " ".join(sentences)  # whole sentences, each translated on its own

    def as_dict(self) -> dict:
        """Plain data for the browser: kind, range, colour stops, tick labels, legend."""
        return {
            "kind": self.kind,
            "low": self.low,
            "high": self.high,
            "stops": [list(stop) for stop in self.stops],
            "ticks": [list(tick) for tick in self.ticks()],
            "legend": self.legend(),
        }


def choose_scale(values: ArrayLike, *, contrast: str = AUTO) -> ColourScale:
    """The colour scale for a map: diverging when any value is negative, else sequential.

    Parameters
    ----------
    values : array_like
        The map (any shape). Non-finite values are ignored.
    contrast : {"auto", "full", "clip"}
        "full" runs the bar to the largest magnitude; "clip" to the 1st/99th
        percentile, so a few extreme values do not wash out the rest; "auto"
        clips only maps with a side longer than ``NUMBERS_MAX_SIDE``.

    Examples
    --------
    >>> s = choose_scale([[1, -1], [0, 0.5]])
    >>> s.kind, s.low, s.high
    ('diverging', -1.0, 1.0)
    >>> s = choose_scale([[0.04, 0.4]])
    >>> s.kind, s.low, s.high
    ('sequential', 0.0, 0.4000000059604645)
    """
    if contrast not in CONTRASTS:
        raise ValueError(f"contrast must be one of {CONTRASTS}; got {contrast!r}.")
    array = np.asarray(values, dtype=np.float32)
    if contrast == AUTO:
        contrast = CLIP if max(array.shape, default=0) > NUMBERS_MAX_SIDE else FULL
    finite = array[np.isfinite(array)]
    if finite.size == 0:
        return ColourScale(SEQUENTIAL, 0.0, 1.0, 0.0, 0.0, clipped=False)
    data_low, data_high = float(finite.min()), float(finite.max())
    clipped = contrast == CLIP
    if data_low < 0:
        if clipped:
            p_low, p_high = np.percentile(finite, CLIP_PERCENTILES)
            bound = max(abs(float(p_low)), abs(float(p_high)))
        else:
            bound = max(abs(data_low), abs(data_high))
        # clipping that changes nothing is not worth a sentence
        clipped = clipped and bound < max(abs(data_low), abs(data_high))
        bound = bound or 1.0
        return ColourScale(DIVERGING, -bound, bound, data_low, data_high, clipped)
    high = float(np.percentile(finite, CLIP_PERCENTILES[1])) if clipped else data_high
    clipped = clipped and high < data_high
    # an all-zero map still needs a bar with two different ends
    return ColourScale(SEQUENTIAL, 0.0, high or 1.0, data_low, data_high, clipped)


def to_codes(values: ArrayLike, scale: ColourScale) -> np.ndarray:
    """Positions on the colour bar as uint8 0..255 (0 = the bar's low end).

    >>> to_codes([[-1, 0, 1]], choose_scale([[-1, 1]])).tolist()
    [[0, 128, 255]]
    """
    array = np.asarray(values, dtype=np.float32)
    span = (scale.high - scale.low) or 1.0
    position = (array - np.float32(scale.low)) * np.float32(255.0 / span)
    # +0.5 then floor: the browser maps float inputs the same way, so both agree on a cell
    return np.clip(np.floor(position + 0.5), 0, 255).astype(np.uint8)
