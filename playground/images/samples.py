"""Sample images a lesson can start from without an upload.

The synthetic ones are drawn by ``assets/make_samples.py`` (run it to rebuild
them); the photos come from scikit-image's public-domain / CC0 data set, see
``assets/LICENSES.md``. They are read through
:func:`playground.images.loading.load_image`, the same door an upload goes through.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from playground.i18n import N_
from playground.images.loading import load_image

__all__ = ["ASSETS_DIR", "SAMPLES", "Sample", "load_sample"]

ASSETS_DIR = Path(__file__).resolve().parents[2] / "assets"


@dataclass(frozen=True)
class Sample:
    """One sample image: its key, a title for menus, one line for students, its file.

    ``title`` and ``description`` are English, marked for translation: show them
    as ``_(sample.title)``; links carry the key (``?sample=cat``), never a title.
    """

    name: str
    title: str
    description: str
    file: str


def _registry(*samples: Sample) -> MappingProxyType[str, Sample]:
    # Read-only: the mapping is shared by every session of the app.
    return MappingProxyType({sample.name: sample for sample in samples})


SAMPLES = _registry(
    Sample(
        "book_bars",
        N_("Book: black bars (6 x 8)"),
        N_(
            "The book's X: ones with a zero band in columns 2-5; kernel [1, -1] finds its "
            "two edges."
        ),
        "book_bars.png",
    ),
    Sample(
        "checkerboard",
        N_("Checkerboard"),
        N_("8-pixel black and white squares: edges in both directions at once."),
        "checkerboard.png",
    ),
    Sample(
        "diagonal_edge",
        N_("Diagonal edge"),
        N_("Dark below a diagonal, bright above: see what a vertical-edge kernel makes of it."),
        "diagonal_edge.png",
    ),
    Sample(
        "digit",
        N_("Handwritten digit (28 x 28)"),
        N_("A 2 drawn with a thick pen, white on black, the size of an MNIST digit."),
        "digit.png",
    ),
    Sample(
        "circle",
        N_("Circle"),
        N_("A bright disc with soft edges: its outline has every direction."),
        "circle.png",
    ),
    Sample(
        "astronaut",
        N_("Photo: astronaut"),
        N_("Eileen Collins, NASA portrait (public domain): real edges, textures and noise."),
        "astronaut.jpg",
    ),
    Sample(
        "cat",
        N_("Photo: cat"),
        N_("Chelsea the cat (CC0): whiskers and stripes for edge detectors to find."),
        "cat.jpg",
    ),
)


def load_sample(name: str, *, max_side: int = 512) -> np.ndarray:
    """Load a sample image as greyscale.

    Parameters
    ----------
    name : str
        A key of :data:`SAMPLES`.
    max_side : int, optional
        Longer side of the result; samples smaller than this are not resized,
        so ``"book_bars"`` is exactly the book's 6 x 8 X.

    Returns
    -------
    np.ndarray
        float32, shape (H, W), values in [0, 1].

    Examples
    --------
    >>> load_sample("book_bars")[0]
    array([1., 1., 0., 0., 0., 0., 1., 1.], dtype=float32)
    """
    sample = SAMPLES.get(name) if isinstance(name, str) else None
    if sample is None:
        raise ValueError(f"name must be one of {', '.join(SAMPLES)}; got {name!r}.")
    return load_image(ASSETS_DIR / sample.file, max_side=max_side)
