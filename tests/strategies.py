"""Hypothesis strategies shared by the shape and trace property tests."""

from __future__ import annotations

from hypothesis import strategies as st


def padding_specs(max_side: int) -> st.SearchStrategy:
    """Every padding form the compute contract accepts: a mode, an int, or per-side pairs."""
    side = st.integers(0, max_side)
    return st.one_of(
        st.sampled_from(["valid", "same", "full"]),
        side,
        st.tuples(side, side),
        st.tuples(st.tuples(side, side), st.tuples(side, side)),
    )
