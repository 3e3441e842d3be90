// The drawing canvas: the student paints whole cells of the page's grid with a round
// brush (brush.js), sees the cells as they are, and the grid's bytes go to Python on
// pointer-up (and every THROTTLE_MS during a long stroke), as base64 in the "stroke"
// state value with this canvas's origin and a sequence number. Python echoes the
// origin and sequence of the drawing it sends back, so a rerun that answers an older
// stroke never wipes a newer one still on its way.

const canvases = new WeakMap();  // parentElement -> DrawCanvas (the function runs every rerun)
const THROTTLE_MS = 500;         // during a long stroke, send at most this often
const UNDO_LIMIT = 30;
const GRID_LINE_MIN_CELL = 8;    // px; smaller cells would be hidden by their lines
const BACKGROUND = [0, 0, 0];    // both modes paint ink (or colour) on zeros

function hexBytes(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

class DrawCanvas {
  constructor(parent) {
    this.root = make("div", "dc-root", {"data-testid": "draw-canvas"});
    this.tools = make("div", "dc-tools", {role: "toolbar"});
    this.canvas = make("canvas", "dc-canvas", {tabindex: "0", role: "application",
                                               "data-testid": "draw-canvas-grid"});
    this.actions = make("div", "dc-actions");
    this.undoButton = make("button", "dc-button dc-undo", {type: "button"});
    this.clearButton = make("button", "dc-button dc-clear", {type: "button"});
    this.actions.append(this.undoButton, this.clearButton);
    this.live = make("div", "dc-sr-only", {"aria-live": "polite"});
    this.root.append(this.tools, this.canvas, this.actions, this.live);
    parent.appendChild(this.root);
    this.scratch = document.createElement("canvas");
    this.origin = Math.random().toString(36).slice(2, 10);
    this.root.dataset.origin = this.origin;  // tests read it: one canvas across reruns
    this.seq = 0;        // strokes this canvas has sent
    this.acked = 0;      // the newest of them Python has echoed back
    this.values = null;  // Uint8Array rows * cols * channels
    this.undo = [];
    this.stroke = null;  // {x, y} of the last point while the pointer is down
    this.cursor = {row: 0, col: 0};
    this.brush = null;   // bytes the brush paints
    this.toolsFor = null;
    this.frame = 0;
    this.dirty = false;  // cells painted since the last send
    this.bindEvents();
  }

  bindEvents() {
    const c = this.canvas;
    c.addEventListener("pointerdown", (e) => this.pointerDown(e));
    c.addEventListener("pointermove", (e) => this.pointerMove(e));
    for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) {
      c.addEventListener(type, (e) => this.pointerUp(e));
    }
    c.addEventListener("keydown", (e) => this.keyDown(e));
    this.undoButton.addEventListener("click", () => this.undoLast());
    this.clearButton.addEventListener("click", () => this.clear());
  }

  // ------------------------------------------------------------ from Python

  update(header, sections, callbacks) {
    this.callbacks = callbacks;
    this.labels = header.labels || {};
    const {rows, cols, channels} = header;
    const size = rows * cols * channels;
    let incoming = sections.values;
    if (!incoming || incoming.length !== size) incoming = new Uint8Array(size);
    const sameGrid = this.values && this.rows === rows && this.cols === cols
      && this.channels === channels;
    if (header.origin === this.origin) this.acked = Math.max(this.acked, header.seq);
    const pending = this.seq > this.acked || this.stroke !== null;
    if (!sameGrid) {
      this.values = new Uint8Array(incoming);
      this.undo = [];
    } else if (header.origin !== this.origin && !pending) {
      this.values = new Uint8Array(incoming);  // the session's drawing, made elsewhere
    }
    Object.assign(this, {rows, cols, channels});
    this.ink = header.ink || "bright";
    this.side = header.side || 240;
    this.cursor.row = Math.min(this.cursor.row, rows - 1);
    this.cursor.col = Math.min(this.cursor.col, cols - 1);
    this.buildTools(header.palette || []);
    this.canvas.setAttribute("aria-label", fill(this.labels.aria || "", {rows, cols}));
    this.undoButton.textContent = this.labels.undo || "Undo";
    this.clearButton.textContent = this.labels.clear || "Clear";
    this.layout();
  }

  buildTools(palette) {
    const signature = JSON.stringify([this.channels, palette, this.labels.tools]);
    if (signature === this.toolsFor) return;
    this.toolsFor = signature;
    this.tools.replaceChildren();
    this.tools.setAttribute("aria-label", this.labels.tools || "");
    const choices = this.channels === 1
      ? [[this.labels.ink, [255]], [this.labels.eraser, [0]]]
      : palette.map(([name, hex]) => [name, hexBytes(hex)]);
    const buttons = [];
    const choose = (button, bytes) => {
      this.brush = bytes;
      for (const b of buttons) b.setAttribute("aria-pressed", String(b === button));
    };
    for (const [name, bytes] of choices) {
      const button = make("button", "dc-button dc-swatch",
                          {type: "button", title: name, "aria-label": name, "data-tool": name});
      if (this.channels === 1) button.textContent = name;
      else button.style.setProperty("--swatch", `rgb(${bytes.join(",")})`);
      button.addEventListener("click", () => choose(button, bytes));
      buttons.push(button);
      this.tools.appendChild(button);
    }
    if (this.channels === 3) {
      const picker = make("input", "dc-picker",
                          {type: "color", value: "#ff8800", "aria-label": this.labels.picker || "",
                           title: this.labels.picker || ""});
      picker.addEventListener("input", () => choose(null, hexBytes(picker.value)));
      this.tools.appendChild(picker);
    }
    choose(buttons[0], choices[0][1]);
  }

  layout() {
    const cell = this.side / Math.max(this.rows, this.cols);
    this.cell = cell;
    const width = cell * this.cols, height = cell * this.rows;
    const ratio = window.devicePixelRatio || 1;
    const c = this.canvas;
    if (c.width !== Math.round(width * ratio) || c.height !== Math.round(height * ratio)) {
      c.width = Math.round(width * ratio);
      c.height = Math.round(height * ratio);
      c.style.width = `${width}px`;
      c.style.height = `${height}px`;
    }
    this.ratio = ratio;
    this.draw();
  }

  // ------------------------------------------------------------ drawing

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.draw(); });
  }

  draw() {
    const {rows, cols, channels, values} = this;
    this.scratch.width = cols;
    this.scratch.height = rows;
    const sctx = this.scratch.getContext("2d");
    const image = sctx.createImageData(cols, rows);
    const px = image.data, dark = this.ink === "dark";
    for (let k = 0; k < rows * cols; k++) {
      for (let ch = 0; ch < 3; ch++) {
        const v = channels === 1 ? values[k] : values[k * 3 + ch];
        px[k * 4 + ch] = channels === 1 && dark ? 255 - v : v;
      }
      px[k * 4 + 3] = 255;
    }
    sctx.putImageData(image, 0, 0);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    ctx.imageSmoothingEnabled = false;
    const width = this.cell * cols, height = this.cell * rows;
    ctx.drawImage(this.scratch, 0, 0, width, height);
    if (this.cell >= GRID_LINE_MIN_CELL) {
      ctx.strokeStyle = "rgba(128,128,128,0.45)";
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let r = 1; r < rows; r++) { ctx.moveTo(0, r * this.cell); ctx.lineTo(width, r * this.cell); }
      for (let c = 1; c < cols; c++) { ctx.moveTo(c * this.cell, 0); ctx.lineTo(c * this.cell, height); }
      ctx.stroke();
    }
    if (this.showCursor) {
      ctx.strokeStyle = "#ff7f0e";
      ctx.lineWidth = 2;
      ctx.strokeRect(this.cursor.col * this.cell + 1, this.cursor.row * this.cell + 1,
                     this.cell - 2, this.cell - 2);
    }
  }

  paint(ax, ay, bx, by) {
    const cells = brushCells(this.rows, this.cols, brushRadius(this.rows, this.cols), ax, ay, bx, by);
    if (paintCells(this.values, this.channels, cells, this.brush)) {
      this.dirty = true;  // a stroke over cells that already hold its colour sends nothing
      this.schedule();
    }
  }

  remember() {
    this.undo.push(new Uint8Array(this.values));
    if (this.undo.length > UNDO_LIMIT) this.undo.shift();
  }

  // ------------------------------------------------------------ input

  point(event) {
    const box = this.canvas.getBoundingClientRect();
    return {x: (event.clientX - box.left) / this.cell, y: (event.clientY - box.top) / this.cell};
  }

  pointerDown(event) {
    if (event.button !== 0 || !this.values) return;
    event.preventDefault();
    this.canvas.setPointerCapture(event.pointerId);
    this.showCursor = false;
    this.remember();
    const p = this.point(event);
    this.stroke = p;
    this.lastSent = performance.now();
    this.paint(p.x, p.y, p.x, p.y);
  }

  pointerMove(event) {
    if (!this.stroke) return;
    const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
    for (const e of events.length ? events : [event]) {
      const p = this.point(e);
      this.paint(this.stroke.x, this.stroke.y, p.x, p.y);
      this.stroke = p;
    }
    if (this.dirty && performance.now() - this.lastSent > THROTTLE_MS) this.send();
  }

  pointerUp(event) {
    if (!this.stroke) return;
    if (event.type === "pointerup") {
      const p = this.point(event);
      this.paint(this.stroke.x, this.stroke.y, p.x, p.y);
    }
    this.stroke = null;
    this.draw();
    if (this.dirty) this.send();
  }

  keyDown(event) {
    const moves = {ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    if ((event.ctrlKey || event.metaKey) && event.key === "z") {
      event.preventDefault();
      this.undoLast();
      return;
    }
    if (event.key in moves) {
      const [dr, dc] = moves[event.key];
      this.cursor.row = Math.max(0, Math.min(this.rows - 1, this.cursor.row + dr));
      this.cursor.col = Math.max(0, Math.min(this.cols - 1, this.cursor.col + dc));
    } else if (event.key === " " || event.key === "Enter") {
      this.remember();
      const {row, col} = this.cursor;
      if (paintCells(this.values, this.channels, [row * this.cols + col], this.brush)) this.send();
    } else {
      return;
    }
    event.preventDefault();
    this.showCursor = true;
    this.draw();
    const k = (this.cursor.row * this.cols + this.cursor.col) * this.channels;
    const value = [...this.values.subarray(k, k + this.channels)].map((v) => (v / 255).toFixed(2));
    this.live.textContent = fill(this.labels.cursor || "", {
      row: this.cursor.row, col: this.cursor.col, value: value.join(", "),
    });
  }

  undoLast() {
    if (!this.undo.length) return;
    this.values = this.undo.pop();
    this.draw();
    this.send();
  }

  clear() {
    this.remember();
    for (let k = 0; k < this.values.length; k++) this.values[k] = BACKGROUND[k % this.channels];
    this.draw();
    this.send();
  }

  send() {
    this.dirty = false;
    this.seq += 1;
    this.lastSent = performance.now();
    this.callbacks.setStateValue("stroke", {
      origin: this.origin, seq: this.seq, rows: this.rows, cols: this.cols,
      channels: this.channels, data: toBase64(this.values),
    });
  }

  destroy() {
    cancelAnimationFrame(this.frame);
    this.root.remove();
  }
}

export default function (component) {
  const {data, parentElement, setStateValue, setTriggerValue} = component;
  let view = canvases.get(parentElement);
  if (!view) {
    view = new DrawCanvas(parentElement);
    canvases.set(parentElement, view);
  }
  const {header, sections} = readMessage(data);
  view.update(header, sections, {setStateValue, setTriggerValue});
  return () => {
    view.destroy();
    canvases.delete(parentElement);
  };
}
