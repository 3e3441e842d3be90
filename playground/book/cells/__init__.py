"""The book's cells as data, one module per section: code, printed output and expected values.

Texts for :mod:`playground.book.lessons`, which runs them. Cells of D2L
5.1-5.2 are copied from the TF2 edition's notes the project starts from (the
Chinese "Dive into Deep Learning" TensorFlow 2 notes, numbered ``In [n]``),
line for line, Chinese comments included; only trailing spaces are dropped.
Cells of 5.3-5.4 follow the same TF2 edition (the Dive-into-DL-TensorFlow2.0
notebooks). A few lessons need a cell that edition lacks; their ``source``
names the edition quoted, and a lesson whose book code fails on Keras 3 has
its ``working_code`` beside it.

Every ``expected`` holds the book's numbers in the book's own layout (for
example (1, 2, 2, 1) for a Keras pooling output), so a reader can compare
it with ``book_output`` at a glance. Nothing here computes anything.
"""

from __future__ import annotations

from playground.book.cells.cell import Cell
from playground.book.cells.section_5_1 import SECTION_5_1
from playground.book.cells.section_5_2 import SECTION_5_2
from playground.book.cells.section_5_3 import SECTION_5_3
from playground.book.cells.section_5_4 import SECTION_5_4

__all__ = ["CELLS", "Cell"]

#: lesson key -> Cell, in the book's order
CELLS: dict[str, Cell] = {**SECTION_5_1, **SECTION_5_2, **SECTION_5_3, **SECTION_5_4}
