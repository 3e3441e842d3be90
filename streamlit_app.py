"""Convolution Playground: page config and navigation over the views; nothing else."""

import streamlit as st

from playground.i18n import _
from views import (
    channels,
    common,
    explore,
    language,
    learn,
    lessons,
    pooling,
    receptive_field,
    window,
)

st.set_page_config(
    page_title="Convolution Playground",
    page_icon=":material/grid_on:",
    layout="wide",
    initial_sidebar_state="auto",  # closed on a phone, where it would cover the page
    # (tests/e2e/test_classroom_e2e.py checks every page at 390x844)
)
language.setup()
# again, now that the language is known: the browser tab's title in the reader's language
st.set_page_config(page_title=_("Convolution Playground"))
common.apply_presentation_mode()

# built on every run (this script reruns each time), after setup(): the titles are translated

PAGES = [
    st.Page(
        common.guarded(explore.render),
        title=_("Explore"),
        icon=":material/tune:",
        url_path="explore",
        default=True,
    ),
    st.Page(
        common.guarded(window.render),
        title=_("Sliding window"),
        icon=":material/animation:",
        url_path="window",
    ),
    st.Page(
        common.guarded(channels.render),
        title=_("Channels"),
        icon=":material/stacks:",
        url_path="channels",
    ),
    st.Page(
        common.guarded(pooling.render),
        title=_("Pooling"),
        icon=":material/grid_view:",
        url_path="pooling",
    ),
    st.Page(
        common.guarded(learn.render),
        title=_("Learn a kernel"),
        icon=":material/school:",
        url_path="learn",
    ),
    st.Page(
        common.guarded(lessons.render),
        title=_("Lessons (the book)"),
        icon=":material/menu_book:",
        url_path="lessons",
    ),
    st.Page(
        common.guarded(receptive_field.render),
        title=_("Receptive field"),
        icon=":material/layers:",
        url_path="receptive-field",
    ),
]

st.navigation(PAGES, position="top").run()
