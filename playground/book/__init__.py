"""The book's cells (D2L 5.1-5.4, TF2 edition): the cells as data, and what runs and checks them.

- :mod:`~playground.book.cells`: the cells' code, printed output and expected
  values, one module per section.
- :mod:`~playground.book.inputs`: the book's small inputs (its 3x3 X, the 6x8 bars, ...).
- :mod:`~playground.book.checks`: how a result is printed and compared with the book.
- :mod:`~playground.book.runs`: each lesson's run with the playground (and Keras).
- :mod:`~playground.book.keras_cells`: the book's TensorFlow cells, runnable on Keras 3.
- :mod:`~playground.book.lessons`: the lessons joined and run.
"""
