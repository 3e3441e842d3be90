"""How the Channels and Pooling pages write the book's examples: a title, the numbers, a check."""

from __future__ import annotations

import numpy as np

from playground.book.examples import BookExample
from playground.i18n import N_, _
from playground.trace import format_number

SHORT_MAX = 12  # more numbers than this are summarised by their shape
# marked titles, translated in example_line
BOOK_POOL_TITLES = {
    "max_2x2": N_("Max pooling, 2×2 window, stride 1, on the 3×3 of 0..8"),
    "avg_2x2": N_("Average pooling, 2×2 window, stride 1, on the 3×3 of 0..8"),
    "pad1_stride2": N_("Max, 3×3 window, padding 1 on every side, stride 2, on the 4×4 of 0..15"),
    "same_stride2": N_(
        "The same with TensorFlow's padding='same' (its one padded row and column "
        "go bottom and right)"
    ),
    "channel_1": N_("Two channels pooled separately (3×3, 'same', stride 2): channel 1 = X"),
    "channel_2": N_("… channel 2 = X + 1"),
}
BOOK_CHANNEL_TITLES = {
    "two_channels": N_("Two input channels, one output channel (5.3.1)"),
    "three_outputs": N_("The stack K, K + 1, K + 2: three output channels (5.3.2)"),
    "conv_1x1": N_(
        "1×1 convolution = matrix multiply over the channels (5.3.3), random X "
        "(3, 3, 3) and K (1, 1, 3, 2): both give"
    ),
}


def array_text(values: np.ndarray) -> str:
    """Nested brackets with short numbers: [[56, 72], [104, 120]]."""
    values = np.asarray(values)
    if values.ndim == 0:
        return format_number(float(values))
    return "[" + ", ".join(array_text(v) for v in values) + "]"


def example_line(title: str, example: BookExample) -> str:
    """One markdown line: the title, the playground's numbers and whether they match the book."""
    mark = _("✓ matches the book") if example.matches else _("✗ differs from the book")
    if example.computed.size > SHORT_MAX:  # random numbers nobody reads: the shape says enough
        shape = "(" + ", ".join(str(n) for n in example.computed.shape) + ")"
        return _("**{title}:** an array of shape {shape}, {mark}").format(
            title=_(title), shape=shape, mark=mark
        )
    return _("**{title}:** `{numbers}` {mark}").format(
        title=_(title), numbers=array_text(example.computed), mark=mark
    )
