// The brush on the grid: which cells a stroke from one point to the next covers.
// Points are in cell units (x = column, y = row, a cell's centre at +0.5). No DOM.

// The brush's radius in cells follows the grid: a thin line on 8x8, about three
// cells wide on 28x28 (MNIST's look), wider on 64x64.
function brushRadius(rows, cols) {
  return Math.max(rows, cols) / 20;
}

// Squared distance from (px, py) to the segment a-b.
function segmentDistance2(px, py, ax, ay, bx, by) {
  const dx = bx - ax, dy = by - ay;
  const length2 = dx * dx + dy * dy;
  let t = length2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / length2 : 0;
  t = Math.max(0, Math.min(1, t));
  const ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

// Indices (row * cols + col) of the cells the segment a-b paints: every cell the path
// passes through, and every cell whose centre lies within the brush's radius of it.
function brushCells(rows, cols, radius, ax, ay, bx, by) {
  const cells = new Set();
  const inside = (r, c) => r >= 0 && r < rows && c >= 0 && c < cols;
  const length = Math.hypot(bx - ax, by - ay);
  const samples = Math.max(1, Math.ceil(length * 4));
  for (let k = 0; k <= samples; k++) {
    const x = ax + ((bx - ax) * k) / samples, y = ay + ((by - ay) * k) / samples;
    const r = Math.floor(y), c = Math.floor(x);
    if (inside(r, c)) cells.add(r * cols + c);
  }
  const r0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
  const r1 = Math.min(rows - 1, Math.ceil(Math.max(ay, by) + radius));
  const c0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
  const c1 = Math.min(cols - 1, Math.ceil(Math.max(ax, bx) + radius));
  const radius2 = radius * radius;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      if (segmentDistance2(c + 0.5, r + 0.5, ax, ay, bx, by) <= radius2) cells.add(r * cols + c);
    }
  }
  return [...cells];
}

// Paint `cells` of a channels-last Uint8Array with `colour` (one byte per channel).
function paintCells(values, channels, cells, colour) {
  let changed = false;
  for (const cell of cells) {
    for (let ch = 0; ch < channels; ch++) {
      if (values[cell * channels + ch] !== colour[ch]) changed = true;
      values[cell * channels + ch] = colour[ch];
    }
  }
  return changed;
}

// Bytes -> base64 (in chunks: String.fromCharCode takes a bounded number of arguments).
function toBase64(bytes) {
  let text = "";
  for (let k = 0; k < bytes.length; k += 8192) {
    text += String.fromCharCode.apply(null, bytes.subarray(k, k + 8192));
  }
  return btoa(text);
}
