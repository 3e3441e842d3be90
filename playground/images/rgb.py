"""Colour inputs for the channel lessons: sample photos in RGB, and numbers typed per channel.

Every other page turns its input grey (:mod:`playground.images.loading`);
the Channels page and the 1x1 lesson keep the three channels, channels last
as Keras and ``conv2d`` expect: (H, W, C).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.i18n import N_, Message
from playground.images.by_hand import parse_matrix
from playground.images.loading import ImageError, load_image_rgb
from playground.images.samples import ASSETS_DIR, SAMPLES

__all__ = ["COLOUR_SAMPLES", "load_sample_rgb", "parse_channels"]

COLOUR_SAMPLES = ("astronaut", "cat")  # the samples that are colour photos


def load_sample_rgb(name: str, *, max_side: int = 512) -> np.ndarray:
    """A sample image in colour, float32 (H, W, 3) in [0, 1] (grey samples repeat their grey).

    >>> load_sample_rgb("book_bars").shape
    (6, 8, 3)
    """
    sample = SAMPLES.get(name) if isinstance(name, str) else None
    if sample is None:
        raise ValueError(f"name must be one of {', '.join(SAMPLES)}; got {name!r}.")
    return load_image_rgb(ASSETS_DIR / sample.file, max_side=max_side)


def parse_channels(texts: Sequence[str], *, names: Sequence[str], max_side: int = 8) -> np.ndarray:
    """One typed matrix per channel -> float32 (H, W, C); every channel must have the same shape.

    ``names`` name the channels in messages ("red", "green", ...).

    >>> parse_channels(["0 1\\n2 3", "1 2\\n3 4"], names=["first", "second"])[:, :, 1]
    array([[1., 2.],
           [3., 4.]], dtype=float32)
    """
    if len(texts) != len(names) or not texts:
        raise ValueError(f"texts and names must pair up; got {len(texts)} and {len(names)}.")
    planes = []
    for text, name in zip(texts, names, strict=True):
        try:
            planes.append(parse_matrix(text, max_side=max_side))
        except ImageError as exc:
            raise ImageError(
                Message(N_("Channel {name}: {reason}"), {"name": name, "reason": exc.message})
            ) from None
    shapes = {plane.shape for plane in planes}
    if len(shapes) > 1:
        sizes = ", ".join(
            f"{n} {p.shape[0]}×{p.shape[1]}" for n, p in zip(names, planes, strict=True)
        )
        raise ImageError(
            Message(
                N_(
                    "Every channel must have the same number of rows and columns; got {sizes}. "
                    "Type the same shape in each box."
                ),
                {"sizes": sizes},
            )
        )
    return np.stack(planes, axis=-1)
