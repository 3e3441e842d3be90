"""The view's pure JavaScript (geometry, arithmetic, number text) against playground.trace.

Runs the browser files in node, so a wrong tap or a differently rounded digit
shows up without a browser. Skips when node is not installed: the browser
tests in tests/e2e compare the same numbers on the page.
"""

from __future__ import annotations

import numpy as np
import pytest

from playground import conv2d
from playground.shapes import geometry_of
from playground.trace import format_number, trace_cell
from tests.node_js import NODE, run_js
from views.components.conv_view import ASSETS

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")

RUNNER = """
const out = cases.map((c) => {
  if (c.kind === "number") return formatNumber(c.value, c.digits);
  if (c.kind === "layer") {
    return resolveLayer(c.x_shape, c.k_shape, c.mode, c.strides, c.dilation, c.pads);
  }
  if (c.kind === "correlate") {
    const g = makeGeometry(c.x_shape, c.k_shape, c.pads, c.strides, c.dilation, c.out_shape);
    return Array.from(correlate(g, new Float32Array(c.x), new Float32Array(c.kernel), c.bias));
  }
  const g = makeGeometry(c.x_shape, c.k_shape, c.pads, c.strides, c.dilation, c.out_shape);
  if (c.kind === "fed") return outputsFedBy(g, c.row, c.col).map((t) => [t.i, t.j]);
  const t = traceCell(g, new Float32Array(c.x), new Float32Array(c.kernel), c.bias, c.i, c.j);
  return {equation: equationText(t), value: t.value, total: t.total,
          padding: t.taps.map((tap) => tap.padding)};
});
process.stdout.write(JSON.stringify(out));
"""


def _run(cases: list[dict]) -> list:
    return run_js([ASSETS / name for name in ("geometry.js", "arithmetic.js")], RUNNER, cases)


def test_numbers_are_written_as_format_number_writes_them():
    """Ties (0.0625 -> '0.062'), exponents, negatives and integers match Python digit for digit."""
    rng = np.random.default_rng(0)
    values = [0.0, -0.0, 19.0, -0.5, 1 / 3, 0.0625, 0.1875, 1125000.0, 2.5e-7, -0.0004, 999999.5]
    values += [
        float(np.float32(v)) for v in rng.normal(size=300) * 10.0 ** rng.integers(-6, 7, 300)
    ]
    values += [k / 16 for k in range(-40, 40)] + [k / 1024 for k in range(0, 2000, 7)]
    cases = [{"kind": "number", "value": v, "digits": d} for v in values for d in (2, 3)]
    expected = [format_number(c["value"], c["digits"]) for c in cases]
    assert _run(cases) == expected


def _random_case(rng) -> dict:
    h, w = (int(v) for v in rng.integers(3, 12, 2))
    kh, kw = (int(v) for v in rng.integers(1, 8, 2))
    pads = tuple(tuple(int(v) for v in rng.integers(0, 4, 2)) for _ in range(2))
    strides = tuple(int(v) for v in rng.integers(1, 4, 2))
    dilation = tuple(int(v) for v in rng.integers(1, 3, 2))
    x = rng.normal(size=(h, w)).astype(np.float32)
    kernel = rng.normal(size=(kh, kw)).astype(np.float32)
    bias = float(rng.choice([0.0, 0.5, -1.25, float(rng.normal())]))
    return {
        "x": x,
        "kernel": kernel,
        "pads": pads,
        "strides": strides,
        "dilation": dilation,
        "bias": bias,
    }


def _conv(c: dict) -> np.ndarray | None:
    """conv2d for a random case (no bias); None where the kernel does not fit."""
    try:
        return conv2d(
            c["x"], c["kernel"], strides=c["strides"], padding=c["pads"],
            dilation_rate=c["dilation"],
        )  # fmt: skip
    except ValueError:
        return None


def _trace(c: dict, cell: tuple[int, int]):
    """trace_cell for one output cell of a random case, bias included."""
    return trace_cell(
        c["x"], c["kernel"], cell, strides=c["strides"], padding=c["pads"],
        dilation_rate=c["dilation"], bias=c["bias"],
    )  # fmt: skip


def _js_case(kind: str, c: dict, out_shape, **more) -> dict:
    """A random case as the runner reads it (plain lists, the output's shape)."""
    return {
        "kind": kind,
        "x": c["x"].ravel().tolist(),
        "x_shape": list(c["x"].shape),
        "kernel": c["kernel"].ravel().tolist(),
        "k_shape": list(c["kernel"].shape),
        "pads": c["pads"],
        "strides": c["strides"],
        "dilation": c["dilation"],
        "out_shape": list(out_shape),
        "bias": c["bias"],
        **more,
    }


def test_traces_match_playground_trace_for_random_settings():
    """Every cell's equation text and value equal trace_cell's, bit for bit."""
    rng = np.random.default_rng(1)
    cases, expected = [], []
    while len(cases) < 400:
        c = _random_case(rng)
        out = _conv(c)
        if out is None:
            continue  # a kernel wider than the padded input: no output to trace
        for _ in range(3):
            i, j = int(rng.integers(out.shape[0])), int(rng.integers(out.shape[1]))
            t = _trace(c, (i, j))
            cases.append(_js_case("trace", c, out.shape, i=i, j=j))
            expected.append((t.equation(), t.value, t.total, t.in_padding.ravel().tolist()))
    results = _run(cases)
    for got, (equation, value, total, padding) in zip(results, expected, strict=True):
        assert got["equation"] == equation
        assert got["value"] == value and got["total"] == total
        assert got["padding"] == padding


def test_a_pixel_feeds_exactly_the_cells_whose_window_covers_it():
    """outputsFedBy is the inverse of the windows: checked against trace_cell's rows/cols."""
    rng = np.random.default_rng(2)
    c = _random_case(rng)
    c.update(pads=((1, 2), (2, 1)), strides=(2, 1), dilation=(2, 2), kernel=np.ones((2, 3)))
    out_shape = conv2d(
        c["x"], c["kernel"], strides=c["strides"], padding=c["pads"], dilation_rate=c["dilation"]
    ).shape
    covered: dict[tuple[int, int], set] = {}
    for i in range(out_shape[0]):
        for j in range(out_shape[1]):
            t = trace_cell(
                c["x"],
                c["kernel"],
                (i, j),
                strides=c["strides"],
                padding=c["pads"],
                dilation_rate=c["dilation"],
            )
            for r in t.rows:
                for col in t.cols:
                    covered.setdefault((r, col), set()).add((i, j))
    h, w = c["x"].shape
    pixels = [(r, col) for r in range(h + 3) for col in range(w + 3)]
    base = {
        "kind": "fed",
        "x_shape": [h, w],
        "k_shape": [2, 3],
        "pads": c["pads"],
        "strides": c["strides"],
        "dilation": c["dilation"],
        "out_shape": list(out_shape),
    }
    results = _run([{**base, "row": r, "col": col} for r, col in pixels])
    for (r, col), got in zip(pixels, results, strict=True):
        assert {tuple(cell) for cell in got} == covered.get((r, col), set())


def test_padding_modes_resolve_as_playground_shapes_does():
    """resolveLayer (the view's own padding and stride controls) gives geometry_of's pads and
    output shape, and no output exactly where geometry_of refuses the setting."""
    rng = np.random.default_rng(3)
    cases, expected = [], []
    for _ in range(600):
        shape = [int(v) for v in rng.integers(1, 40, 2)]
        k_shape = [int(v) for v in rng.integers(1, 8, 2)]
        strides = [int(v) for v in rng.integers(1, 5, 2)]
        dilation = [int(v) for v in rng.integers(1, 4, 2)]
        mode = str(rng.choice(["valid", "same", "full", "explicit"]))
        pads = [[int(v) for v in rng.integers(0, 4, 2)] for _ in range(2)]
        padding = pads if mode == "explicit" else mode
        cases.append(
            {
                "kind": "layer",
                "x_shape": shape,
                "k_shape": k_shape,
                "mode": mode,
                "strides": strides,
                "dilation": dilation,
                "pads": pads,
            }
        )
        try:
            g = geometry_of(
                shape, k_shape, strides=strides, padding=padding, dilation_rate=dilation
            )
        except ValueError:
            expected.append(None)
            continue
        expected.append({"pads": [list(side) for side in g.pads], "outputShape": list(g.output_hw)})
    assert sum(e is None for e in expected) > 20  # refusals are part of what is checked
    assert _run(cases) == expected


def test_the_views_own_output_is_trace_cells_value_bit_for_bit():
    """correlate (the picture drawn before Python's answer) equals trace_cell in every cell,
    and conv2d (the picture Python sends) to float32 rounding."""
    rng = np.random.default_rng(4)
    cases, expected = [], []
    while len(cases) < 60:
        c = _random_case(rng)
        out = _conv(c)
        if out is None:
            continue
        out = out + np.float32(c["bias"])
        traced = [_trace(c, (i, j)).value for i in range(out.shape[0]) for j in range(out.shape[1])]
        cases.append(_js_case("correlate", c, out.shape))
        expected.append((traced, out))
    for got, (traced, out) in zip(_run(cases), expected, strict=True):
        assert got == traced
        np.testing.assert_allclose(np.reshape(got, out.shape), out, rtol=1e-5, atol=1e-5)
