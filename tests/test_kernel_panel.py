"""The kernel panel: what a link asks for, what the page writes back, and that they agree."""

from __future__ import annotations

import pytest

from tests.page_harness import page_app
from views.kernel_panel import (
    CUSTOM,
    KernelChoice,
    as_weights,
    choice_from_link,
    k_param,
    link_params,
    page_default,
)

BOOK_EDGE = "Book's edge [1, -1]"
EXPLORE_DEFAULT = page_default("book_edge", None)
WINDOW_DEFAULT = page_default("book_edge", [[0, 1], [2, 3]])


def _equation(at) -> str:
    return next(m.value for m in at.markdown if 'data-testid="window-equation"' in m.value)


def test_a_page_default_is_a_preset_or_its_own_numbers():
    """Explore opens on the book's edge; the Sliding window on the book's [[0, 1], [2, 3]]."""
    assert KernelChoice(BOOK_EDGE, ((1.0, -1.0),)) == EXPLORE_DEFAULT
    assert KernelChoice(CUSTOM, ((0.0, 1.0), (2.0, 3.0))) == WINDOW_DEFAULT


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, WINDOW_DEFAULT),
        ({"kernel": BOOK_EDGE}, KernelChoice(BOOK_EDGE, ((1.0, -1.0),))),
        ({"kernel": CUSTOM, "k": "1,2;3,4"}, KernelChoice(CUSTOM, ((1.0, 2.0), (3.0, 4.0)))),
        ({"k": "1,-1"}, KernelChoice(CUSTOM, ((1.0, -1.0),))),  # numbers alone: custom
        ({"kernel": BOOK_EDGE, "k": "1,-1"}, KernelChoice(BOOK_EDGE, ((1.0, -1.0),))),
        ({"kernel": BOOK_EDGE, "k": "2,-1"}, KernelChoice(CUSTOM, ((2.0, -1.0),))),
        ({"kernel": BOOK_EDGE, "k": "1,x"}, KernelChoice(BOOK_EDGE, ((1.0, -1.0),))),
        ({"kernel": "No such kernel"}, WINDOW_DEFAULT),
        ({"kernel": CUSTOM}, WINDOW_DEFAULT),  # "custom" with no numbers: the page's own
        ({"k": ";".join(["1"] * 8)}, WINDOW_DEFAULT),  # 8 rows: more than the editor holds
    ],
)
def test_a_link_names_its_kernel_or_falls_back_to_the_page_default(query, expected):
    assert choice_from_link(query, WINDOW_DEFAULT) == expected


@pytest.mark.parametrize(
    "choice",
    [
        WINDOW_DEFAULT,
        EXPLORE_DEFAULT,
        KernelChoice(CUSTOM, as_weights([[0.5, -0.25, 1e-3]])),
        KernelChoice("Laplacian", page_default("laplacian", None).weights),
    ],
)
@pytest.mark.parametrize("default", [EXPLORE_DEFAULT, WINDOW_DEFAULT])
def test_the_link_a_page_writes_opens_the_same_kernel(choice, default):
    """link_params then choice_from_link is the identity, on either page's default."""
    assert choice_from_link(link_params(choice, default), default) == choice


def test_the_default_is_left_out_of_the_link_and_nothing_else_is():
    assert link_params(WINDOW_DEFAULT, WINDOW_DEFAULT) == {}
    assert link_params(EXPLORE_DEFAULT, WINDOW_DEFAULT) == {"kernel": BOOK_EDGE}
    assert link_params(WINDOW_DEFAULT, EXPLORE_DEFAULT) == {"kernel": CUSTOM, "k": "0,1;2,3"}


def test_k_param_writes_short_numbers_that_read_back_exactly():
    assert k_param(((1.0, -1.0), (0.5, 1e-05))) == "1,-1;0.5,0.00001"
    weights = ((0.1234567, -2.5e-3, 1 / 3),)
    rounded = page_default("book_edge", weights).weights
    assert choice_from_link({"k": k_param(rounded)}, EXPLORE_DEFAULT).weights == rounded


def test_the_books_edge_on_the_sliding_window_survives_a_link():
    """Issue 15's case: Sample, Book's edge, Next x3 opens the same step for a student."""
    teacher = page_app("window", query={"src": "Sample"}).run()
    teacher.selectbox(key="kernel").set_value(BOOK_EDGE).run()
    for _ in range(3):
        teacher.button(key="win_next").click().run()
    written = dict(teacher.query_params)
    assert written["kernel"] == BOOK_EDGE
    # src and step are bound widgets, which the browser writes into the link
    student = page_app("window", query={**written, "src": "Sample", "step": "4"}).run()
    assert _equation(student) == _equation(teacher)
    assert "×-1" in _equation(student)


def test_a_custom_kernel_keeps_its_numbers_in_the_link_on_the_next_page():
    """A kernel edited on Explore still has its k= after moving to the Sliding window."""
    explore = page_app("explore").run()
    explore.number_input(key="kernel_rows").set_value(3).run()
    assert dict(explore.query_params) == {"kernel": CUSTOM, "k": "1,-1;0,0;0,0"}
    window = page_app("window")
    for key, value in explore.session_state.to_dict().items():
        if not key.startswith("kernel_grid_"):
            window.session_state[key] = value
    window.run()
    link = dict(window.query_params)
    assert (link["kernel"], link["k"]) == (CUSTOM, "1,-1;0,0;0,0")
    fresh = page_app("window", query=link).run()
    assert fresh.session_state["kernel_weights"] == ((1.0, -1.0), (0.0, 0.0), (0.0, 0.0))


def test_the_grid_editor_keeps_its_key_until_the_kernel_changes():
    """A new editor key rebuilds the grid in the browser: only a new kernel makes one."""
    at = page_app("explore").run()
    version = at.session_state["kernel_version"]
    grid = f"kernel_grid_{version}"
    at.slider(key="stride_h").set_value(2).run()
    at.selectbox(key="pad").set_value("same").run()
    at.radio(key="contrast").set_value("clip").run()
    assert at.session_state["kernel_version"] == version
    assert grid in at.session_state
    at.number_input(key="kernel_rows").set_value(2).run()  # a new size: a new kernel
    assert at.session_state["kernel_version"] == version + 1
    at.selectbox(key="kernel").set_value("Laplacian").run()
    assert at.session_state["kernel_version"] == version + 2
    at.selectbox(key="kernel").set_value(CUSTOM).run()  # the same numbers, named "custom"
    assert at.session_state["kernel_version"] == version + 3
