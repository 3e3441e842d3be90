"""Named kernel presets, each with a one-line explanation for students.

Like scikit-image, the separable kernels are built from 1-D factors, so the
arithmetic behind them is visible: Sobel = smoothing [1, 2, 1] down the
rows times a difference [1, 0, -1] across the columns.

The first preset is the book's edge detector K = [[1, -1]]: on the 6x8
bars image it gives 1 where white turns to black and -1 where black turns
back to white.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.i18n import N_


def _outer(column, row) -> np.ndarray:
    return np.outer(np.asarray(column, np.float32), np.asarray(row, np.float32))


def _gaussian(size: int, sigma: float) -> np.ndarray:
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(ax**2) / (2 * sigma**2))
    return (np.outer(g, g) / np.outer(g, g).sum()).astype(np.float32)


@dataclass(frozen=True)
class KernelPreset:
    """A named kernel: ``weights`` (kh, kw) float32 and a one-line ``explanation``.

    ``title`` and ``explanation`` are English, marked for translation: show
    them as ``_(preset.title)``. The English title is also the preset's name in
    links (``?kernel=Laplacian``), the same in every language.
    """

    name: str
    title: str
    explanation: str
    weights: np.ndarray = field(repr=False)

    def __post_init__(self):
        weights = np.array(self.weights, dtype=np.float32)
        weights.setflags(write=False)  # presets are shared by every session
        object.__setattr__(self, "weights", weights)

    @property
    def shape(self) -> tuple[int, int]:
        return self.weights.shape


_SMOOTH = (1, 2, 1)
_DIFF = (1, 0, -1)

_PRESETS = [
    KernelPreset(
        "book_edge",
        N_("Book's edge [1, -1]"),
        N_("The book's kernel: left pixel minus right pixel, so only vertical edges light up."),
        [[1, -1]],
    ),
    KernelPreset(
        "book_edge_t",
        N_("Book's edge, transposed"),
        N_("[1, -1] turned on its side: top minus bottom, so it finds horizontal edges only."),
        [[1], [-1]],
    ),
    KernelPreset(
        "identity",
        N_("Identity"),
        N_("A single 1 in the middle: the output is a copy of the input."),
        [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    ),
    KernelPreset(
        "sobel_left",
        N_("Sobel (left)"),
        N_(
            "Left column minus right column, smoothed down the rows: bright where it gets darker "
            "to the right."
        ),
        _outer(_SMOOTH, _DIFF),
    ),
    KernelPreset(
        "sobel_right",
        N_("Sobel (right)"),
        N_("Right minus left: bright where the image gets brighter to the right."),
        -_outer(_SMOOTH, _DIFF),
    ),
    KernelPreset(
        "sobel_top",
        N_("Sobel (top)"),
        N_("Top row minus bottom row: bright where the image gets darker going down."),
        _outer(_DIFF, _SMOOTH),
    ),
    KernelPreset(
        "sobel_bottom",
        N_("Sobel (bottom)"),
        N_("Bottom minus top: bright where the image gets brighter going down."),
        -_outer(_DIFF, _SMOOTH),
    ),
    KernelPreset(
        "prewitt",
        N_("Prewitt (vertical edges)"),
        N_("Like Sobel but without the extra weight on the middle row."),
        _outer((1, 1, 1), _DIFF),
    ),
    KernelPreset(
        "laplacian",
        N_("Laplacian"),
        N_(
            "Centre minus its four neighbours' average, times 4: zero on flat areas and "
            "straight ramps, large on edges in every direction."
        ),
        [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],
    ),
    KernelPreset(
        "outline",
        N_("Outline"),
        N_("Centre times 8 minus all eight neighbours: draws the outlines of shapes."),
        [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    ),
    KernelPreset(
        "box_blur_3",
        N_("Box blur 3x3"),
        N_("The average of the 3x3 neighbourhood: every weight is 1/9, so the image gets softer."),
        np.full((3, 3), 1 / 9),
    ),
    KernelPreset(
        "box_blur_5",
        N_("Box blur 5x5"),
        N_("The average of a 5x5 neighbourhood (weights 1/25): a stronger blur."),
        np.full((5, 5), 1 / 25),
    ),
    KernelPreset(
        "gaussian_3",
        N_("Gaussian blur 3x3"),
        N_("A weighted average that trusts near pixels more ([1, 2, 1] x [1, 2, 1] / 16)."),
        _outer(_SMOOTH, _SMOOTH) / 16,
    ),
    KernelPreset(
        "gaussian_5",
        N_("Gaussian blur 5x5"),
        N_("A bell-shaped weighted average over 5x5 (sigma 1): smooth blur without boxy edges."),
        _gaussian(5, 1.0),
    ),
    KernelPreset(
        "sharpen",
        N_("Sharpen"),
        N_(
            "Centre times 5 minus its four neighbours: exaggerates differences, so edges "
            "look crisper."
        ),
        [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    ),
    KernelPreset(
        "emboss",
        N_("Emboss"),
        N_(
            "Bottom-right minus top-left plus the pixel itself: edges look raised, as if lit "
            "from one side."
        ),
        [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    ),
]

#: name -> KernelPreset, in the order a picker shows them
KERNELS: dict[str, KernelPreset] = {preset.name: preset for preset in _PRESETS}


def get_kernel(name: str) -> np.ndarray:
    """A writable float32 copy of a preset's weights.

    >>> get_kernel("book_edge")
    array([[ 1., -1.]], dtype=float32)
    """
    try:
        return KERNELS[name].weights.copy()
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown kernel preset {name!r}. Choose one of: {', '.join(KERNELS)}."
        ) from None
