"""The Receptive field page, driven by widget keys in AppTest."""

from __future__ import annotations

import json

import pytest

from playground.figures.receptive import PICK_MARKERS_NAME
from tests.page_harness import page_app


def _headline(at) -> str:
    return next(h.value for h in at.subheader if "sees" in h.value)


def _formulas(at) -> list[str]:
    return [latex.value.strip("$\n ") for latex in at.latex]


def test_two_3x3_layers_give_a_5x5_field():
    """Default: 12x12 input, two valid 3x3 layers, middle output cell (4, 4): 5x5."""
    at = page_app("receptive_field").run()
    assert not at.exception
    assert _headline(at) == (
        "Output cell (row 4, column 4) of layer 2 sees a 5×5 patch of the input"
    )
    first, second = _formulas(at)
    assert "1 + (3-1)\\cdot 1\\cdot 1 = 3" in first
    assert "3 + (3-1)\\cdot 1\\cdot 1 = 5" in second
    assert not at.warning and not at.info


def test_a_stride_2_layer_grows_the_field_as_the_formula_says():
    """Stride 2 in layer 3 doubles the jump: layer 4 then adds (3-1)*2 = 4, not 2."""
    at = page_app("receptive_field").run()
    at.slider(key="layers").set_value(3).run()  # layer 3's widgets appear
    assert "sees a 7×7 patch" in _headline(at)
    at.slider(key="s3").set_value(2).run()
    assert "sees a 7×7 patch" in _headline(at)
    assert _formulas(at)[2].endswith("j_3 = j_2\\cdot s_3 = 1\\cdot 2 = 2")
    at.slider(key="layers").set_value(4).run()
    assert not at.exception
    assert "of layer 4 sees a 11×11 patch" in _headline(at)
    assert "7 + (3-1)\\cdot 1\\cdot 2 = 11" in _formulas(at)[3]


def test_impossible_stack_shows_the_warning():
    """Three valid 3x3 layers on a 6x6 input: layer 3 gets a 2x2 map, and says so."""
    at = page_app("receptive_field", query={"n": "6", "layers": "3"}).run()
    assert not at.exception
    assert len(at.warning) == 1
    assert "Layer 3: Kernel (3, 3) is larger than the padded input (2, 2)" in at.warning[0].value
    assert not at.latex


def test_query_parameters_restore_the_settings():
    """A shared link opens with its input size, layers, their settings and the cell."""
    query = {"n": "20", "layers": "3", "k1": "5", "s2": "2", "p3": "same", "d1": "2"}
    at = page_app("receptive_field", query={**query, "row": "1", "col": "2"}).run()
    assert not at.exception
    assert at.slider(key="n").value == 20
    assert at.slider(key="k1").value == 5 and at.slider(key="d1").value == 2
    assert at.slider(key="s2").value == 2 and at.radio(key="p3").value == "same"
    assert (at.number_input(key="row").value, at.number_input(key="col").value) == (1, 2)
    # r: 1 + 4*2 = 9, then 9 + 2*1 = 11, then 11 + 2*2 = 15
    assert (
        _headline(at) == "Output cell (row 1, column 2) of layer 3 sees a 15×15 patch of the input"
    )


def test_row_and_column_choose_the_cell():
    """With 'same' padding the corner cell's field is cut by the border, and the page says so."""
    at = page_app("receptive_field", query={"p1": "same", "p2": "same"}).run()
    at.number_input(key="row").set_value(0)
    at.number_input(key="col").set_value(0).run()
    assert "(row 0, column 0)" in _headline(at)
    assert any("uses a 3×3 patch of real input cells" in i.value for i in at.info)


def test_cell_that_sees_only_padding_says_so():
    """A dilated 2x2 kernel on a 2x2 map with 'same' padding reads only zeros at (0, 0)."""
    query = {"n": "4", "layers": "2", "k2": "2", "d2": "4", "p2": "same", "row": "0", "col": "0"}
    at = page_app("receptive_field", query=query).run()
    assert not at.exception
    assert any("only padding" in i.value for i in at.info)


def test_out_of_range_cell_falls_back_to_the_middle():
    """Shrinking the stack under the chosen cell moves it back to the middle, not an error."""
    at = page_app("receptive_field", query={"row": "7", "col": "7"}).run()
    at.slider(key="layers").set_value(3).run()  # output 6x6: row 7 no longer exists
    assert not at.exception
    assert "(row 3, column 3) of layer 3" in _headline(at)


def test_chart_carries_the_click_targets():
    """The figure sent to the browser has the invisible pick markers for clicks."""
    at = page_app("receptive_field").run()
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    pick = next(t for t in spec["data"] if t.get("name") == PICK_MARKERS_NAME)
    assert len(pick["x"]) == 64


@pytest.mark.parametrize(
    "query",
    [
        {"n": "4", "layers": "4", "k1": "7", "p1": "same", "d1": "4", "s2": "4", "k3": "1"},
        {"n": "32", "layers": "4", "k4": "7", "d4": "4", "s1": "3"},
        {"n": "5", "layers": "1", "k1": "7"},
        {"n": "not a number", "layers": "9", "p1": "diagonal"},
    ],
)
def test_odd_settings_never_raise(query):
    """Extreme or broken links show a page or a warning, never an exception."""
    at = page_app("receptive_field", query=query).run()
    assert not at.exception
    assert at.warning or _headline(at)
