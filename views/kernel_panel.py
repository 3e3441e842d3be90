"""The kernel picker and editor: a preset, or your own numbers in an editable grid.

The session holds the kernel (``TITLE`` and ``WEIGHTS``); the widgets show
it and their callbacks change it. The panel writes the kernel into the URL
itself on every run, so a link opens exactly the kernel its sender sees:
``kernel=<title>`` whenever it differs from this page's own default, plus
``k=<numbers>`` for your own numbers. (The picker is not bound to the URL:
Streamlit leaves a bound value out of the link when it equals the *widget's*
default, and the Sliding window's default is the book's custom [[0, 1], [2, 3]],
not the picker's first preset; and it dropped ``k`` when moving between pages.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

import playground
from playground.i18n import N_, _
from playground.kernels import KERNELS

# the option (and ?kernel=) stays English in every language; shown as _(title)
CUSTOM = N_("Custom (your numbers)")
# the picker shows titles and links carry them: ?kernel=Laplacian, as a student reads it
PRESET_BY_TITLE = {preset.title: preset for preset in KERNELS.values()}
OPTIONS = (*PRESET_BY_TITLE, CUSTOM)
MAX_SIDE = 7

TITLE, WEIGHTS, VERSION = "kernel_title", "kernel_weights", "kernel_version"
PICKER, ROWS, COLS = "kernel", "kernel_rows", "kernel_cols"

Weights = tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class KernelChoice:
    """A kernel as the picker names it: a preset's title or ``CUSTOM``, and its numbers."""

    title: str
    weights: Weights


def as_weights(array) -> Weights:
    """Hashable numbers, rounded to float32 as the convolution and a parsed link hold them."""
    return tuple(tuple(float(v) for v in row) for row in np.asarray(array, dtype=np.float32))


def k_param(weights: Weights) -> str:
    """The numbers as a link writes them: rows split by ';', values by ','.

    Each value is the shortest text that reads back as the same float32, so a
    link reproduces every digit (``:g`` kept six and lost the rest).
    """
    return ";".join(
        ",".join(np.format_float_positional(np.float32(v), trim="-") for v in row)
        for row in weights
    )


def page_default(default: str, default_weights) -> KernelChoice:
    """What a page shows when its link names no kernel."""
    if default_weights is not None:
        return KernelChoice(CUSTOM, as_weights(default_weights))
    preset = KERNELS[default]
    return KernelChoice(preset.title, as_weights(preset.weights))


def choice_from_link(query, fallback: KernelChoice) -> KernelChoice:
    """The kernel a link asks for; a broken or missing one falls back to the page's default."""
    title = query.get("kernel")
    numbers = query.get("k")
    if numbers:
        try:
            parsed = playground.parse_matrix(numbers.replace(",", " "), max_side=MAX_SIDE)
        except ValueError:
            parsed = None  # a broken link opens the named preset or the default, never an error
        if parsed is not None:
            weights = as_weights(parsed)
            preset = PRESET_BY_TITLE.get(title)
            named = preset is not None and as_weights(preset.weights) == weights
            return KernelChoice(title if named else CUSTOM, weights)
    if title in PRESET_BY_TITLE:
        return KernelChoice(title, as_weights(PRESET_BY_TITLE[title].weights))
    return fallback


def link_params(choice: KernelChoice, default: KernelChoice) -> dict[str, str]:
    """The query parameters that reproduce ``choice`` on a page whose default is ``default``."""
    if choice == default:
        return {}
    params = {"kernel": choice.title}
    if choice.title == CUSTOM:
        params["k"] = k_param(choice.weights)
    return params


# ---------------------------------------------------------------- session and callbacks


def _set(choice: KernelChoice) -> None:
    if VERSION in st.session_state and choice == KernelChoice(
        st.session_state.get(TITLE), st.session_state.get(WEIGHTS)
    ):
        return  # the same kernel (a cell typed over with its own value): keep the editor
    st.session_state[TITLE] = choice.title
    st.session_state[WEIGHTS] = choice.weights
    # a new key gives the grid editor a fresh widget showing the new numbers; only
    # then: a new key rebuilds the grid in the browser
    st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1


def _on_pick() -> None:
    title = st.session_state[PICKER]
    if title == CUSTOM:  # picking "Custom" keeps the numbers, to be edited
        _set(KernelChoice(CUSTOM, st.session_state[WEIGHTS]))
    else:
        _set(KernelChoice(title, as_weights(PRESET_BY_TITLE[title].weights)))


def _on_grid_edit(editor_key: str) -> None:
    edits = st.session_state[editor_key].get("edited_rows", {})
    weights = np.array(st.session_state[WEIGHTS], dtype=np.float64)
    for row, changes in edits.items():
        for column, value in changes.items():
            if value is not None and np.isfinite(float(value)):
                weights[int(row), int(column)] = float(value)
    _set(KernelChoice(CUSTOM, as_weights(weights)))


def _on_size_change() -> None:
    old = np.array(st.session_state[WEIGHTS], dtype=np.float64)
    rows, cols = st.session_state[ROWS], st.session_state[COLS]
    new = np.zeros((rows, cols))
    r, c = min(rows, old.shape[0]), min(cols, old.shape[1])
    new[:r, :c] = old[:r, :c]
    _set(KernelChoice(CUSTOM, as_weights(new)))


def _write_link(choice: KernelChoice, default: KernelChoice) -> None:
    wanted = link_params(choice, default)
    for name in ("kernel", "k"):
        if name not in wanted:
            st.query_params.pop(name, None)
        elif st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]


# ---------------------------------------------------------------- the panel


def kernel_panel(*, default: str = "book_edge", default_weights=None) -> np.ndarray:
    """Preset picker plus an editable grid; editing the grid makes the kernel 'custom'.

    ``default_weights`` (a small 2D array): what this page shows when its link
    names no kernel, as a custom kernel, instead of the preset ``default``.
    """
    fallback = page_default(default, default_weights)
    if WEIGHTS not in st.session_state:  # the session's first page: the link decides
        _set(choice_from_link(st.query_params, fallback))
    choice = KernelChoice(st.session_state[TITLE], st.session_state[WEIGHTS])
    # widgets show the session's kernel; set before they are drawn, with no default
    # beside it (a default next to a session-state value makes Streamlit warn)
    st.session_state[PICKER] = choice.title
    weights = np.array(choice.weights, dtype=np.float32)
    st.session_state[ROWS], st.session_state[COLS] = weights.shape
    st.selectbox(_("Kernel"), OPTIONS, format_func=_, key=PICKER, on_change=_on_pick)
    st.caption(
        _(PRESET_BY_TITLE[choice.title].explanation)
        if choice.title != CUSTOM
        else _("Your own numbers: edit any cell below, or change the size.")
    )
    left, right = st.columns(2)
    left.number_input(_("Kernel rows"), 1, MAX_SIDE, key=ROWS, on_change=_on_size_change)
    right.number_input(_("Kernel columns"), 1, MAX_SIDE, key=COLS, on_change=_on_size_change)
    editor_key = f"kernel_grid_{st.session_state[VERSION]}"
    st.data_editor(
        _frame(weights),
        key=editor_key,
        hide_index=True,
        width="stretch",
        column_config=_columns(weights.shape[1]),
        on_change=_on_grid_edit,
        args=(editor_key,),
    )
    _write_link(choice, fallback)
    return weights


# the grid's share of the sidebar at 1400x900 (~235 px wide): a 7-wide kernel shows all
# seven columns (at Streamlit's default widths it showed 4), a narrow one gets wider cells
GRID_PX, MIN_COLUMN_PX, MAX_COLUMN_PX = 230, 32, 64


def _columns(count: int) -> dict:
    width = max(MIN_COLUMN_PX, min(MAX_COLUMN_PX, GRID_PX // count))
    return {
        str(c): st.column_config.NumberColumn(str(c), width=width, format="%g")
        for c in range(count)
    }


def _frame(weights: np.ndarray):
    import pandas as pd  # streamlit's own dependency; only the grid editor needs it

    return pd.DataFrame(weights.astype(float), columns=[str(c) for c in range(weights.shape[1])])
