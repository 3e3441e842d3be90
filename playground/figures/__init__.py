"""Presentation without streamlit: Plotly figures, colour scales and the sentences pages show.

One palette (:mod:`~playground.figures.palette`), one grid style and one way
of building a figure (:mod:`~playground.figures.grid`: each figure is built
in ONE ``go.Figure(data, layout)`` call with dict layouts, because Plotly
re-validates the whole figure on every ``update_*``/``add_*`` call), then
one module per page. These modules may import the compute modules of
``playground``; the compute modules never import them.
"""
