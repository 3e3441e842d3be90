// Geometry of a 2D cross-correlation, in cells of the *padded* input.
// Pure functions on plain numbers: no DOM, no drawing (tests run them in node).
//
// geom = {inH, inW, top, bottom, left, right, kh, kw, sh, sw, dh, dw, outH, outW}

function makeGeometry(inputShape, kernelShape, pads, strides, dilation, outputShape) {
  return {
    inH: inputShape[0], inW: inputShape[1],
    top: pads[0][0], bottom: pads[0][1], left: pads[1][0], right: pads[1][1],
    kh: kernelShape[0], kw: kernelShape[1],
    sh: strides[0], sw: strides[1], dh: dilation[0], dw: dilation[1],
    outH: outputShape[0], outW: outputShape[1],
  };
}

// A padding mode ("valid", "same", "full"; "explicit" keeps `pads`) -> the pads and
// output shape, as playground.shapes.resolve_geometry computes them; null when the
// kernel is larger than the padded input (Python then says why, in a sentence).
function resolveLayer(inputShape, kernelShape, mode, strides, dilation, pads) {
  const sides = [], outputShape = [];
  for (let a = 0; a < 2; a++) {
    const n = inputShape[a], s = strides[a], ke = (kernelShape[a] - 1) * dilation[a] + 1;
    let side = pads[a];
    if (mode === "valid") side = [0, 0];
    if (mode === "full") side = [ke - 1, ke - 1];
    if (mode === "same") {
      const total = Math.max((Math.ceil(n / s) - 1) * s + ke - n, 0);
      side = [Math.floor(total / 2), total - Math.floor(total / 2)];
    }
    const padded = n + side[0] + side[1];
    if (ke > padded) return null;
    sides.push([side[0], side[1]]);
    outputShape.push(Math.floor((padded - ke + s) / s));
  }
  return {pads: sides, outputShape};
}

function paddedShape(g) {
  return [g.inH + g.top + g.bottom, g.inW + g.left + g.right];
}

function isPadding(g, row, col) {
  const r = row - g.top, c = col - g.left;
  return r < 0 || r >= g.inH || c < 0 || c >= g.inW;
}

// The kernel's taps for output cell (i, j), in kernel order (row by row), as
// trace_cell lists them: padded row/col, the input row/col, and whether the tap is padding.
function windowTaps(g, i, j) {
  const taps = [];
  for (let u = 0; u < g.kh; u++) {
    for (let v = 0; v < g.kw; v++) {
      const row = i * g.sh + u * g.dh, col = j * g.sw + v * g.dw;
      taps.push({u, v, row, col, inRow: row - g.top, inCol: col - g.left,
                 padding: isPadding(g, row, col)});
    }
  }
  return taps;
}

// The rectangle the window spans (dilation leaves holes inside it).
function windowBox(g, i, j) {
  return {row: i * g.sh, col: j * g.sw,
          rows: (g.kh - 1) * g.dh + 1, cols: (g.kw - 1) * g.dw + 1};
}

// Every output cell whose window has a tap on padded cell (row, col), with that tap's (u, v).
function outputsFedBy(g, row, col) {
  const cells = [];
  for (let u = 0; u < g.kh; u++) {
    const di = row - u * g.dh;
    if (di < 0 || di % g.sh) continue;
    const i = di / g.sh;
    if (i >= g.outH) continue;
    for (let v = 0; v < g.kw; v++) {
      const dj = col - v * g.dw;
      if (dj < 0 || dj % g.sw) continue;
      const j = dj / g.sw;
      if (j < g.outW) cells.push({i, j, u, v});
    }
  }
  return cells;
}

// Steps count the output cells in the order the window slides: left to right, top down.
function stepCount(g) {
  return g.outH * g.outW;
}

function stepToCell(g, step) {
  return {i: Math.floor(step / g.outW), j: step % g.outW};
}

function cellToStep(g, i, j) {
  return i * g.outW + j;
}

function clamp(value, low, high) {
  return Math.max(low, Math.min(high, value));
}
