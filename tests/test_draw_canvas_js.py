"""The drawing canvas's pure JavaScript (brush.js) in node, and its payload read by Python.

Skips when node is not installed: tests/e2e draws on the real canvas.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground.images.drawn import drawing_from_payload
from tests.node_js import NODE, run_js
from views.components.draw_canvas import ASSETS

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

RUNNER = """
const out = cases.map((c) => {
  const radius = c.radius ?? brushRadius(c.rows, c.cols);
  const cells = brushCells(c.rows, c.cols, radius, ...c.segment);
  const values = new Uint8Array(c.rows * c.cols * c.channels);
  paintCells(values, c.channels, cells, c.colour);
  return {cells: cells.sort((a, b) => a - b), radius, data: toBase64(values)};
});
process.stdout.write(JSON.stringify(out));
"""


def _run(cases: list[dict]) -> list:
    return run_js([ASSETS / "brush.js"], RUNNER, cases)


def test_a_tap_paints_the_cell_under_it_on_a_small_grid():
    """On 8x8 the brush is thinner than a cell: a tap paints exactly the cell it lands in."""
    (out,) = _run([{"rows": 8, "cols": 8, "channels": 1, "segment": [2.3, 5.6, 2.3, 5.6],
                    "colour": [255]}])  # fmt: skip
    assert out["radius"] == pytest.approx(0.4)
    assert out["cells"] == [5 * 8 + 2]


def test_a_line_paints_every_cell_it_passes_and_python_reads_it():
    """A horizontal line along row 3 of 8x8 paints row 3, columns 1..6; Python reads 1 there."""
    (out,) = _run([{"rows": 8, "cols": 8, "channels": 1, "segment": [1.5, 3.5, 6.5, 3.5],
                    "colour": [255]}])  # fmt: skip
    assert out["cells"] == [3 * 8 + c for c in range(1, 7)]
    values = drawing_from_payload(out["data"], rows=8, cols=8)
    expected = np.zeros((8, 8), np.float32)
    expected[3, 1:7] = 1.0
    np.testing.assert_array_equal(values, expected)


@pytest.mark.parametrize("side", [28, 64])
def test_the_brush_grows_with_the_grid_and_stays_round(side):
    """A dot paints every cell whose centre is within the radius (side / 20): a disc."""
    (out,) = _run([{"rows": side, "cols": side, "channels": 1, "colour": [255],
                    "segment": [20.5, 20.5, 20.5, 20.5]}])  # fmt: skip
    radius = side / 20
    expected = {
        (20 + dr, 20 + dc)
        for dr in range(-4, 5)
        for dc in range(-4, 5)
        if dr * dr + dc * dc <= radius * radius
    }
    assert {(k // side, k % side) for k in out["cells"]} == expected
    assert len(expected) == (5 if side == 28 else 37)  # a plus on 28x28, a disc on 64x64


def test_the_brush_stays_inside_the_grid_and_paints_colour_channels_last():
    """A stroke off the edge paints only cells inside; a colour cell takes all three bytes."""
    (out,) = _run([{"rows": 4, "cols": 4, "channels": 3, "segment": [-2.0, 0.5, 1.5, 0.5],
                    "colour": [255, 0, 0]}])  # fmt: skip
    assert out["cells"] == [0, 1]
    values = drawing_from_payload(out["data"], rows=4, cols=4, channels=3)
    np.testing.assert_array_equal(values[0, :2], [[1, 0, 0], [1, 0, 0]])
    assert values.sum() == 2
