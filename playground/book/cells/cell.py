"""What a book cell holds, and the helpers the section files write their cells with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["Cell", "const_array", "f32", "join_cells"]


@dataclass(frozen=True)
class Cell:
    """What the Lessons page shows for one lesson, besides the run itself.

    ``book_code`` and ``book_output`` may span several of the book's cells;
    the cells' sources, and their outputs, are then joined by a blank line
    in the book's order.

    ``title``, ``source``, ``explanation`` and ``note`` are English prose marked
    with ``N_`` (the section files) and translated where they are shown, with
    ``_(cell.title)``; the book's code and output are shown as printed.
    """

    section: str
    title: str
    source: str
    explanation: str
    book_code: str
    book_output: str
    expected: Any
    note: str = ""
    working_code: str = ""


def const_array(values, dtype=np.float32) -> np.ndarray:
    # read-only: these arrays are shared by every run and every session
    array = np.array(values, dtype=dtype)
    array.flags.writeable = False
    return array


def f32(values) -> np.ndarray:
    return const_array(values)


def join_cells(*parts: str) -> str:
    return "\n\n".join(parts)
