// Drawing on canvases: a grid of cells (an image when the cells are tiny), the
// marks over it, and colour bars. Takes plain values; keeps no state of its own.

const COLOURS = {
  window: "#ff7f0e", windowFill: "rgba(255,127,14,0.28)", output: "#2ca02c",
  fed: "#7b3fe4", padding: "rgba(120,130,150,0.55)", gap: "#c9ced8", edge: "#333333",
};
const NUMBER_MIN_CELL = 18;  // px; smaller cells cannot hold a readable number
const GAP_MIN_CELL = 6;      // px; below this, lines between cells would hide the cells

function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(width * ratio));
  canvas.height = Math.max(1, Math.round(height * ratio));
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

// Cell size in css px for a rows x cols grid inside maxWidth x maxHeight; whole pixels
// when cells are large (crisp lines), fractional when an image is shrunk to fit.
function fitCell(rows, cols, maxWidth, maxHeight, maxCell) {
  const cell = Math.min(maxWidth / cols, maxHeight / rows, maxCell);
  return cell >= 4 ? Math.floor(cell) : cell;
}

// grid = {rows, cols, rgba, cell, text (array of strings or null), textColours, maxFont};
// returns the numbers' font size in px (0 when the cells are too small for numbers)
function drawGrid(ctx, grid) {
  const {rows, cols, cell} = grid;
  const image = new ImageData(grid.rgba, cols, rows);
  const bitmap = document.createElement("canvas");
  bitmap.width = cols;
  bitmap.height = rows;
  bitmap.getContext("2d").putImageData(image, 0, 0);
  ctx.clearRect(0, 0, cols * cell, rows * cell);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(bitmap, 0, 0, cols * cell, rows * cell);
  if (cell >= GAP_MIN_CELL) {
    ctx.strokeStyle = COLOURS.gap;
    ctx.lineWidth = 1;
    ctx.beginPath();
    // the last line half a pixel inside: at n * cell + 0.5 it fell off the canvas, and the
    // grid's right and bottom edges were open
    const w = cols * cell, h = rows * cell;
    for (let r = 0; r <= rows; r++) {
      const y = Math.min(r * cell + 0.5, h - 0.5);
      ctx.moveTo(0, y); ctx.lineTo(w, y);
    }
    for (let c = 0; c <= cols; c++) {
      const x = Math.min(c * cell + 0.5, w - 0.5);
      ctx.moveTo(x, 0); ctx.lineTo(x, h);
    }
    ctx.stroke();
  }
  if (grid.text && cell >= NUMBER_MIN_CELL) {
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const longest = Math.max(...grid.text.map((t) => t.length), 1);
    const size = Math.max(9, Math.min(grid.maxFont || 20, cell * 0.36, (cell * 1.6) / longest));
    ctx.font = `${size}px ui-monospace, Menlo, Consolas, monospace`;
    for (let k = 0; k < grid.text.length; k++) {
      if (!grid.text[k]) continue;
      ctx.fillStyle = grid.textColours[k];
      ctx.fillText(grid.text[k], (k % cols + 0.5) * cell, (Math.floor(k / cols) + 0.5) * cell);
    }
    return size;
  }
  return 0;
}

// Hatch the padding and outline the real input inside it.
function drawPadding(ctx, g, cell) {
  const [rows, cols] = paddedShape(g);
  ctx.save();
  ctx.fillStyle = COLOURS.padding;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (isPadding(g, r, c)) ctx.fillRect(c * cell, r * cell, cell, cell);
    }
  }
  if (g.top || g.bottom || g.left || g.right) {
    ctx.strokeStyle = COLOURS.edge;
    ctx.lineWidth = 2;
    ctx.strokeRect(g.left * cell, g.top * cell, g.inW * cell, g.inH * cell);
  }
  ctx.restore();
}

// A cell outline that stays visible when cells are smaller than a few pixels.
function outlineCells(ctx, row, col, rows, cols, cell, colour, {width = 2.5, dash = null} = {}) {
  const minimum = 7;
  let x = col * cell, y = row * cell, w = cols * cell, h = rows * cell;
  if (w < minimum) { x -= (minimum - w) / 2; w = minimum; }
  if (h < minimum) { y -= (minimum - h) / 2; h = minimum; }
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = width;
  if (dash) ctx.setLineDash(dash);
  ctx.strokeRect(x, y, w, h);
  ctx.restore();
}

// The window of one output cell on the padded input: its span, each tap, padding taps crossed.
function drawWindow(ctx, g, i, j, cell, {dashed = false} = {}) {
  const box = windowBox(g, i, j);
  const dash = dashed ? [4, 3] : null;
  outlineCells(ctx, box.row, box.col, box.rows, box.cols, cell, COLOURS.window, {width: 3, dash});
  if (dashed || cell < 3) return;
  ctx.save();
  for (const tap of windowTaps(g, i, j)) {
    const x = tap.col * cell, y = tap.row * cell;
    ctx.fillStyle = COLOURS.windowFill;
    ctx.fillRect(x, y, cell, cell);
    ctx.strokeStyle = COLOURS.window;
    ctx.lineWidth = 1.5;
    ctx.strokeRect(x + 1, y + 1, cell - 2, cell - 2);
    if (tap.padding && cell >= 8) {  // a padding tap reads 0: cross it out
      ctx.beginPath();
      ctx.moveTo(x + 3, y + 3); ctx.lineTo(x + cell - 3, y + cell - 3);
      ctx.moveTo(x + cell - 3, y + 3); ctx.lineTo(x + 3, y + cell - 3);
      ctx.stroke();
    }
  }
  ctx.restore();
}

// A colour bar (canvas) with its labels (DOM, so they can be read and tested).
function drawColourBar(canvas, ticksElement, lut, scale, width) {
  const height = 12;
  const ctx = sizeCanvas(canvas, width, height);
  for (let x = 0; x < width; x++) {
    ctx.fillStyle = codeColour(lut, Math.round((x / Math.max(1, width - 1)) * 255));
    ctx.fillRect(x, 0, 1, height);
  }
  ctx.strokeStyle = "#999";
  ctx.strokeRect(0.5, 0.5, width - 1, height - 1);
  ticksElement.replaceChildren();
  ticksElement.style.width = `${width}px`;
  for (const [value, label] of scale.ticks) {
    const span = document.createElement("span");
    span.textContent = label;
    span.style.left = `${((value - scale.low) / ((scale.high - scale.low) || 1)) * 100}%`;
    ticksElement.appendChild(span);
  }
}
