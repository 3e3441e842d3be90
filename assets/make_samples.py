"""Rebuild the sample images in assets/ (deterministic: same bytes every run).

Usage, from the repository root::

    python assets/make_samples.py                     # the synthetic samples
    python assets/make_samples.py --photos DIR        # also the two photos

``DIR`` is scikit-image's ``skimage/data`` folder (``pip download --no-deps
scikit-image`` and unzip the wheel); scikit-image is not a dependency of the
app. Synthetic samples are lossless PNG so that ``book_bars`` loads back as
exactly the book's 0/1 array.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ASSETS = Path(__file__).resolve().parent
SUPERSAMPLE = 8  # draw 8x larger, then area-average: smooth edges, no randomness


def book_bars() -> np.ndarray:
    """The book's X (D2L 5.1.3): ones, with columns 2 to 5 set to zero."""
    x = np.ones((6, 8), dtype=np.float32)
    x[:, 2:6] = 0
    return x


def checkerboard(size: int = 64, square: int = 8) -> np.ndarray:
    rows, cols = np.indices((size, size)) // square
    return ((rows + cols) % 2).astype(np.float32)


def diagonal_edge(size: int = 64) -> np.ndarray:
    rows, cols = np.indices((size, size))
    return (cols > rows).astype(np.float32)  # bright above the diagonal


def circle(size: int = 64, radius: float = 20.0) -> np.ndarray:
    big = size * SUPERSAMPLE
    rows, cols = np.indices((big, big)) + 0.5
    centre, r = big / 2, radius * SUPERSAMPLE
    disc = ((rows - centre) ** 2 + (cols - centre) ** 2 <= r**2).astype(np.float32)
    return _shrink(disc, (size, size))


def digit() -> np.ndarray:
    """A handwritten-style 2, white on black, 20 x 20 centred in 28 x 28 like MNIST."""
    side = 20 * SUPERSAMPLE
    pen = Image.new("L", (side, side), 0)
    draw = ImageDraw.Draw(pen)
    width = 3 * SUPERSAMPLE
    # the hook: an arc over the top, then a stroke down to the bottom-left
    draw.arc((22, 8, 138, 104), start=175, end=395, fill=255, width=width)
    draw.line([(131, 72), (100, 104), (60, 128), (22, 150)], fill=255, width=width, joint="curve")
    draw.line([(20, 146), (90, 142), (148, 150)], fill=255, width=width, joint="curve")
    out = np.zeros((28, 28), dtype=np.float32)
    out[4:24, 4:24] = _shrink(np.asarray(pen, dtype=np.float32) / 255.0, (20, 20))
    return out


def _shrink(values: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    small = Image.fromarray(values.astype(np.float32)).resize(shape[::-1], Image.Resampling.BOX)
    return np.clip(np.asarray(small, dtype=np.float32), 0.0, 1.0)


def save_png(values: np.ndarray, name: str) -> None:
    grey = np.rint(values * 255).astype(np.uint8)  # 0 -> 0, 1 -> 255: exact on reading back
    Image.fromarray(grey).save(ASSETS / name, format="PNG", optimize=True)


def save_photo(source: Path, name: str, max_side: int = 512) -> None:
    with Image.open(source) as im:
        photo = im.convert("RGB")
    photo.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    photo.save(ASSETS / name, format="JPEG", quality=85, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, help="scikit-image's skimage/data folder")
    args = parser.parse_args()
    save_png(book_bars(), "book_bars.png")
    save_png(checkerboard(), "checkerboard.png")
    save_png(diagonal_edge(), "diagonal_edge.png")
    save_png(digit(), "digit.png")
    save_png(circle(), "circle.png")
    if args.photos:
        save_photo(args.photos / "astronaut.png", "astronaut.jpg")
        save_photo(args.photos / "chelsea.png", "cat.jpg")


if __name__ == "__main__":
    main()
