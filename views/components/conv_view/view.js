// The convolution view: three maps, hover/tap/keyboard inspection, and (mode
// "window") sliding-window playback driven by requestAnimationFrame.
// Python sends one binary message per rerun (message.js); every number written
// here comes from arithmetic.js on the float32 input, the way playground.trace does.

const inputCache = new Map();  // digest -> Float32Array, shared by every view on the page
const INPUT_CACHE_SIZE = 6;
const REPORT_DELAY_MS = 250;
const LARGE_MAX_CELL = 120;  // px, presentation mode (64 otherwise)
const LARGE_MAX_FONT = 40;   // px, presentation mode (20 otherwise)
const STACK_BELOW_PX = 560;  // a view narrower than this (a phone) stacks its three maps
const ONE_LINE_MAX_CHARS = 64;  // longer arithmetic is shown as a grid of products and their sum
const views = new WeakMap();   // parentElement -> ConvView (the function is called every rerun)
// A layer change the view drew itself waits for Python's answer this long at most; answers
// to earlier changes that arrive meanwhile are not drawn (the picture would jump back).
const LAYER_PENDING_MS = 3000;
const PADDING_MODES = ["valid", "same", "full"];

// Two layer choices ({padding, strides}) are the same choice.
function sameLayer(a, b) {
  return a.padding === b.padding && a.strides.every((s, axis) => s === b.strides[axis]);
}

const ICONS = {
  first: "M6 5h2v14H6zM20 5v14L9 12z", previous: "M17 5v14L6 12z",
  play: "M7 5v14l12-7z", pause: "M6 5h4v14H6zM14 5h4v14h-4z",
  next: "M7 5v14l11-7z", last: "M16 5h2v14h-2zM4 5v14l11-7z",
};

function rememberInput(digest, values) {
  inputCache.delete(digest);
  inputCache.set(digest, values);
  while (inputCache.size > INPUT_CACHE_SIZE) inputCache.delete(inputCache.keys().next().value);
}

class ConvView {
  constructor(parent) {
    this.root = make("div", "cv-root", {"data-testid": "conv-view"});
    this.player = this.buildPlayer();
    this.panelsRow = make("div", "cv-panels");
    this.panels = {};
    for (const name of ["input", "kernel", "output"]) {
      this.panels[name] = this.buildPanel(name);
      this.panelsRow.appendChild(this.panels[name].figure);
    }
    this.readout = make("div", "cv-readout", {"data-testid": "conv-readout"});
    this.live = make("div", "cv-sr-only", {"aria-live": "polite", "data-testid": "conv-live"});
    this.notice = make("p", "cv-notice");
    this.layerBar = this.buildLayerBar();
    this.root.append(this.layerBar.bar, this.player.bar, this.panelsRow, this.readout, this.live,
                     this.notice);
    parent.appendChild(this.root);
    this.hover = null;     // what the pointer is over: {map: "input"|"output", ...}
    this.pinned = null;    // explore: the output cell chosen by tap or keyboard
    this.step = 0;         // window: 0-based current step
    this.playing = false;
    this.speed = 5;
    this.stats = {steps: 0, frames: 0};
    this.lastServerStep = null;
    this.lastReported = null;
    this.bindEvents();
    this.resizer = new ResizeObserver(() => this.ready && this.layout());
    this.resizer.observe(this.root);
  }

  // ------------------------------------------------------------ building

  buildPanel(name) {
    const figure = make("figure", `cv-panel cv-panel-${name}`, {"data-map": name});
    const title = make("figcaption", "cv-title");
    const stage = make("div", "cv-stage");
    const base = make("canvas", "cv-base");
    const overlay = make("canvas", "cv-overlay");
    stage.append(base, overlay);
    if (name !== "kernel") stage.tabIndex = 0;
    const bar = make("canvas", "cv-bar");
    const ticks = make("div", "cv-ticks", {"data-testid": `colour-bar-${name}`});
    const legend = make("p", "cv-legend", {"data-testid": `legend-${name}`});
    figure.append(title, stage, bar, ticks, legend);
    return {figure, title, stage, base, overlay, bar, ticks, legend};
  }

  buildPlayer() {
    const bar = make("div", "cv-player", {role: "group"});
    const buttons = {};
    for (const name of ["first", "previous", "play", "next", "last"]) {
      const button = make("button", `cv-button cv-${name}`, {type: "button", "data-action": name});
      bar.appendChild(button);
      buttons[name] = button;
    }
    const scrub = make("input", "cv-scrub", {type: "range", min: "1", max: "1", value: "1"});
    const stepLabel = make("span", "cv-step-label", {"data-testid": "conv-step"});
    const speed = make("input", "cv-speed", {type: "range", min: "1", max: "60", value: "5"});
    const speedLabel = make("label", "cv-speed-label");
    speedLabel.append(speed);
    const speedText = make("span", "cv-speed-text");
    speedLabel.append(speedText);
    bar.append(scrub, stepLabel, speedLabel);
    return {bar, buttons, scrub, stepLabel, speed, speedText};
  }

  // Explore's padding and stride, on the view itself: a change is drawn here at once
  // (changeLayer) and sent to Python, which moves the sidebar's controls to match.
  buildLayerBar() {
    const bar = make("div", "cv-layer", {role: "group", "data-testid": "conv-layer"});
    bar.hidden = true;
    const padding = make("div", "cv-segmented", {role: "group"});
    const paddingLabel = make("span", "cv-layer-label");
    const modes = {};
    for (const mode of PADDING_MODES) {
      const button = make("button", "cv-segment", {type: "button", "data-padding": mode,
                                                     "aria-pressed": "false"});
      button.textContent = mode;
      button.addEventListener("click", () => this.changeLayer({padding: mode}));
      padding.appendChild(button);
      modes[mode] = button;
    }
    const strides = [0, 1].map((axis) => {
      const label = make("label", "cv-layer-stride");
      const text = make("span", "cv-layer-label");
      const slider = make("input", "cv-stride", {type: "range", min: "1", max: "4", value: "1",
                                                  "data-axis": axis ? "cols" : "rows"});
      const value = make("output", "cv-stride-value");
      slider.addEventListener("input", () => {
        const next = [...this.layer.strides];
        next[axis] = Number(slider.value);
        this.changeLayer({strides: next});
      });
      label.append(text, slider, value);
      return {label, text, slider, value};
    });
    const paddingBox = make("div", "cv-layer-padding");
    paddingBox.append(paddingLabel, padding);
    bar.append(paddingBox, ...strides.map((s) => s.label));
    return {bar, padding, paddingLabel, modes, strides};
  }

  syncLayerBar() {
    const {bar, padding, paddingLabel, modes, strides} = this.layerBar;
    bar.hidden = !this.layer;
    if (!this.layer) return;
    bar.setAttribute("aria-label", this.labels.layer_aria);
    paddingLabel.textContent = this.labels.layer_padding;
    padding.setAttribute("aria-label", this.labels.layer_padding);
    for (const [mode, button] of Object.entries(modes)) {
      button.setAttribute("aria-pressed", String(this.layer.padding === mode));
    }
    strides.forEach(({text, slider, value}, axis) => {
      text.textContent = axis ? this.labels.layer_stride_cols : this.labels.layer_stride_rows;
      slider.max = String(this.layer.strideMax);
      slider.value = String(this.layer.strides[axis]);
      slider.setAttribute("aria-label", text.textContent);
      value.textContent = String(this.layer.strides[axis]);
    });
  }

  // A padding or stride chosen on the view: the new output is computed here, from the
  // float32 input this view holds, the way traceCell computes each cell, and drawn on
  // the colour scale already shown; Python's rerun then sends its own output (and scale,
  // legend, sizes, link), which replaces it. data-provisional says which is on screen.
  changeLayer(change) {
    if (!this.ready || !this.layer) return;
    const layer = {...this.layer, ...change};
    if (sameLayer(layer, this.layer)) return;
    this.layer = layer;
    this.syncLayerBar();
    const g = this.g;
    const resolved = resolveLayer([g.inH, g.inW], [g.kh, g.kw], layer.padding, layer.strides,
                                  [g.dh, g.dw], this.header.pads);
    if (resolved) {  // else the kernel no longer fits: Python's rerun says so in a sentence
      this.setGeometry(makeGeometry([g.inH, g.inW], [g.kh, g.kw], resolved.pads, layer.strides,
                                    [g.dh, g.dw], resolved.outputShape));
      this.outputValues = correlate(this.g, this.x, this.kernel, this.header.bias);
      this.outputCodes = valuesToCodes(this.outputValues, this.header.output.scale);
      this.token = (this.token || 0) + 1;  // a picture still decoding is older than this one
      this.root.dataset.provisional = "1";
      this.layout();
    }
    this.pendingLayer = {padding: layer.padding, strides: [...layer.strides],
                         at: performance.now()};
    this.callbacks.setTriggerValue("layer", {padding: layer.padding, strides: layer.strides});
  }

  // True when this message answers an older layer change than the one on screen.
  outdated(header) {
    const pending = this.pendingLayer;
    if (!pending || !header.layer) return false;
    const answers = sameLayer({padding: header.layer.padding, strides: header.strides}, pending);
    if (answers || performance.now() - pending.at > LAYER_PENDING_MS) {
      this.pendingLayer = null;
      return false;
    }
    return true;
  }

  setIcon(button, icon, label) {
    button.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[icon]}"/></svg>`;
    const text = make("span");
    text.textContent = label;
    button.appendChild(text);
    button.setAttribute("aria-label", label);
  }

  bindEvents() {
    for (const name of ["input", "output"]) {
      const {overlay, stage} = this.panels[name];
      overlay.addEventListener("pointermove", (event) => this.onPointer(name, event));
      overlay.addEventListener("pointerdown", (event) => this.onPointer(name, event, true));
      overlay.addEventListener("pointerleave", () => { this.hover = null; this.refresh(); });
      stage.addEventListener("keydown", (event) => this.onKey(name, event));
    }
    const {buttons, scrub, speed} = this.player;
    buttons.first.addEventListener("click", () => this.goTo(0, true));
    buttons.previous.addEventListener("click", () => this.goTo(this.step - 1, true));
    buttons.next.addEventListener("click", () => this.goTo(this.step + 1, true));
    buttons.last.addEventListener("click", () => this.goTo(this.steps - 1, true));
    buttons.play.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    scrub.addEventListener("input", () => this.goTo(Number(scrub.value) - 1, false));
    scrub.addEventListener("change", () => this.report());
    speed.addEventListener("input", () => this.setSpeed(Number(speed.value)));
  }

  // ------------------------------------------------------------ data

  update(bytes, callbacks) {
    this.callbacks = callbacks;
    const {header, sections} = readMessage(bytes);
    const digest = header.input.digest;
    if (sections.input) rememberInput(digest, asFloat32(sections.input));
    const x = inputCache.get(digest);
    if (!x) {  // Python believed the browser had this input: ask for it once
      this.notice.textContent = header.labels.loading;
      if (this.asked !== digest) callbacks.setTriggerValue("need_input", digest);
      this.asked = digest;
      return;
    }
    rememberInput(digest, x);
    this.asked = null;
    clearTimeout(this.skippedTimer);
    if (this.outdated(header)) {
      // kept, not lost: if no answer to the newest change comes (a sidebar change in the
      // same moment made the rerun answer something else), this one is drawn after all
      const wait = LAYER_PENDING_MS - (performance.now() - this.pendingLayer.at);
      this.skippedTimer = setTimeout(() => {
        this.pendingLayer = null;
        this.update(bytes, callbacks);
      }, Math.max(0, wait));
      return;
    }
    this.notice.textContent = "";
    this.header = header;
    this.labels = header.labels;
    this.mode = header.mode || "explore";
    this.x = x;
    this.layer = header.layer ? {padding: header.layer.padding, strides: [...header.strides],
                                 strideMax: header.layer.stride_max} : null;
    this.syncLayerBar();
    this.kernel = new Float32Array(header.kernel.values);
    this.luts = {};
    for (const name of ["input", "kernel", "output"]) this.luts[name] = buildLut(header[name].scale.stops);
    this.setGeometry(makeGeometry(header.input.shape, header.kernel.shape, header.pads,
                                  header.strides, header.dilation, header.output.shape));
    this.kernelCodes = valuesToCodes(this.kernel, header.kernel.scale);
    this.syncStep(header);
    const token = (this.token = (this.token || 0) + 1);
    const ready = () => {
      if (token !== this.token) return;  // a newer message arrived while the picture decoded
      this.ready = true;
      delete this.root.dataset.provisional;  // Python's own output is the one drawn now
      this.layout();
    };
    if (header.output.encoding === "float32") {
      this.outputValues = asFloat32(sections.output);
      this.outputCodes = valuesToCodes(this.outputValues, header.output.scale);
      ready();
    } else {
      this.outputValues = null;
      decodeCodes(sections.output, this.g.outH, this.g.outW).then((codes) => {
        this.outputCodes = codes;
        ready();
      });
    }
  }

  // A new geometry (Python's message, or a layer change on the view) and what follows from
  // it: the step count, the padded input (values and colour codes, made once, not per
  // drawing), and the cells it no longer has.
  setGeometry(g) {
    this.g = g;
    this.steps = stepCount(g);
    this.inputValues = this.paddedValues();
    this.inputCodes = valuesToCodes(this.inputValues, this.header.input.scale);
    this.dropCellsOutside();
  }

  paddedValues() {
    const [rows, cols] = paddedShape(this.g);
    const values = new Float32Array(rows * cols);
    for (let r = 0; r < this.g.inH; r++) {
      values.set(this.x.subarray(r * this.g.inW, (r + 1) * this.g.inW),
                 (r + this.g.top) * cols + this.g.left);
    }
    return values;
  }

  // The step Python knows (a link's ?step=, or one clamped after a settings change)
  // wins only when it is news: an echo of what this view reported is not.
  syncStep(header) {
    if (this.mode !== "window") return;
    const serverStep = clamp((header.step || 1) - 1, 0, this.steps - 1);
    const news = serverStep !== this.lastServerStep && serverStep + 1 !== this.lastReported;
    if (this.lastServerStep === null || news) {
      this.step = serverStep;
      // a server-side control moved the window: stop, and say where (the page stops too)
      if (this.playing && this.lastServerStep !== null) this.pause(true);
    }
    this.lastServerStep = serverStep;
    this.step = clamp(this.step, 0, this.steps - 1);
    if (!this.speedSet) this.setSpeed(header.speed || 5);
  }

  // ------------------------------------------------------------ layout and drawing

  layout() {
    const window_ = this.mode === "window";
    this.player.bar.hidden = !window_;
    const [pRows, pCols] = paddedShape(this.g);
    const weights = window_
      ? [Math.max(5, pCols), Math.max(3, this.g.kw * 1.5), Math.max(4, this.g.outW)]
      : [5, 2, 5];
    // a phone: the three maps one under another, each as wide as the view (side by
    // side the kernel got ~55 px and its colour bar ran under the output's, cut off)
    const stacked = this.root.clientWidth < STACK_BELOW_PX;
    this.root.classList.toggle("cv-stacked", stacked);
    if (stacked) weights.fill(1);
    const total = stacked ? 1 : weights.reduce((a, b) => a + b, 0);
    const width = Math.max(300, this.root.clientWidth) - (stacked ? 0 : 48);
    // presentation mode ("large"): cells and numbers sized for the back of a classroom
    const large = Boolean(this.header.large);
    this.root.classList.toggle("cv-large", large);
    const maxHeight = large ? (window_ ? 620 : 680) : (window_ ? 420 : 460);
    const maxCell = large ? LARGE_MAX_CELL : 64;
    const shapes = {input: [pRows, pCols], kernel: [this.g.kh, this.g.kw],
                    output: [this.g.outH, this.g.outW]};
    const names = ["input", "kernel", "output"];
    names.forEach((name, k) => {
      const panel = this.panels[name];
      const [rows, cols] = shapes[name];
      const room = (width * weights[k]) / total;
      panel.figure.style.flex = stacked ? "none" : `${weights[k]} 1 0`;
      panel.cell = fitCell(rows, cols, room, name === "kernel" ? maxHeight / 1.75 : maxHeight,
                           maxCell);
      panel.rows = rows;
      panel.cols = cols;
      const w = cols * panel.cell, h = rows * panel.cell;
      panel.ctx = sizeCanvas(panel.base, w, h);
      panel.overlayCtx = sizeCanvas(panel.overlay, w, h);
      panel.stage.style.width = `${w}px`;
      panel.stage.style.height = `${h}px`;
      panel.stage.dataset.shape = `${rows}x${cols}`;  // read by tests
      const scale = this.header[name].scale;
      drawColourBar(panel.bar, panel.ticks, this.luts[name], scale, Math.max(120, Math.min(room, 320)));
      panel.legend.textContent = scale.legend;
      panel.title.textContent = name === "input" && this.padded()
        ? this.labels.input_title_padded : this.labels[`${name}_title`];
    });
    this.panels.input.stage.setAttribute("aria-label", this.labels.input_aria);
    this.panels.output.stage.setAttribute("aria-label", this.labels.output_aria);
    this.panels.output.stage.setAttribute("role", "application");
    this.drawBase("input");
    this.drawBase("kernel");
    this.drawBase("output");
    this.updatePlayer();
    this.refresh();
  }

  // A new geometry can end before the cell pinned or hovered: forget such a cell (its
  // window would read outside the input).
  dropCellsOutside() {
    const outside = (cell) => cell.i >= this.g.outH || cell.j >= this.g.outW;
    if (this.pinned && outside(this.pinned)) this.pinned = null;
    if (this.hover && this.hover.map === "output" && outside(this.hover)) this.hover = null;
    if (this.hover && this.hover.map === "input") {
      const [rows, cols] = paddedShape(this.g);
      if (this.hover.row >= rows || this.hover.col >= cols) this.hover = null;
    }
  }

  padded() {
    return this.g.top + this.g.bottom + this.g.left + this.g.right > 0;
  }

  numbersFor(name) {
    const panel = this.panels[name];
    return Math.max(panel.rows, panel.cols) <= this.header.numbers_max_side;
  }

  drawBase(name) {
    const panel = this.panels[name];
    let codes, values = null, hidden = null;
    if (name === "input") { codes = this.inputCodes; values = this.inputValues; }
    if (name === "kernel") { codes = this.kernelCodes; values = this.kernel; }
    if (name === "output") {
      codes = this.outputCodes;
      values = this.outputValues;
      if (this.mode === "window") {  // cells the window has not reached yet stay blank
        hidden = new Uint8Array(codes.length);
        hidden.fill(1, this.step + 1);
      }
    }
    const lut = this.luts[name];
    let text = null, textColours = null;
    if (values && this.numbersFor(name)) {
      text = Array.from(values, (v, k) => (hidden && hidden[k] ? "" : formatNumber(v, 2)));
      textColours = Array.from(codes, (c) => textColourFor(lut, c));
    }
    const fontPx = drawGrid(panel.ctx, {rows: panel.rows, cols: panel.cols, cell: panel.cell,
                                        rgba: codesToRgba(codes, lut, hidden), text, textColours,
                                        maxFont: this.header.large ? LARGE_MAX_FONT : 20});
    panel.stage.dataset.numberPx = fontPx ? String(Math.round(fontPx)) : "";  // read by tests
    if (name === "input") drawPadding(panel.ctx, this.g, panel.cell);
  }

  // The output cell the readout and the marks are about right now.
  focusCell() {
    if (this.hover && this.hover.map === "output") return this.hover;
    if (this.mode === "window") return stepToCell(this.g, this.step);
    return this.pinned;
  }

  refresh() {
    if (!this.ready) return;
    // a paused window page writes this step's arithmetic itself, larger: no second copy
    this.readout.hidden = this.mode === "window" && !this.playing && !this.hover;
    const input = this.panels.input, output = this.panels.output;
    input.overlayCtx.clearRect(0, 0, input.cols * input.cell, input.rows * input.cell);
    output.overlayCtx.clearRect(0, 0, output.cols * output.cell, output.rows * output.cell);
    if (this.hover && this.hover.map === "input") {
      const {row, col} = this.hover;
      outlineCells(input.overlayCtx, row, col, 1, 1, input.cell, COLOURS.fed, {width: 3});
      for (const cell of outputsFedBy(this.g, row, col)) {
        outlineCells(output.overlayCtx, cell.i, cell.j, 1, 1, output.cell, COLOURS.fed, {width: 3});
      }
      this.showInputReadout(row, col);
      return;
    }
    if (this.mode === "window" && this.step > 0 && !this.hover) {
      const before = stepToCell(this.g, this.step - 1);
      drawWindow(input.overlayCtx, this.g, before.i, before.j, input.cell, {dashed: true});
    }
    const cell = this.focusCell();
    if (!cell) { this.showHint(); return; }
    drawWindow(input.overlayCtx, this.g, cell.i, cell.j, input.cell);
    outlineCells(output.overlayCtx, cell.i, cell.j, 1, 1, output.cell, COLOURS.output, {width: 3});
    this.showOutputReadout(cell.i, cell.j);
  }

  // ------------------------------------------------------------ readout

  showHint() {
    this.readout.replaceChildren(make("p", "cv-hint"));
    this.readout.firstChild.textContent = this.labels.hint;
    delete this.readout.dataset.equation;
  }

  showOutputReadout(i, j) {
    const trace = traceCell(this.g, this.x, this.kernel, this.header.bias, i, j);
    const equation = equationText(trace);
    const values = {row: i, col: j, step: cellToStep(this.g, i, j) + 1, steps: this.steps};
    const caption = make("p", "cv-caption");
    caption.textContent = fill(this.mode === "window" ? this.labels.step_caption : this.labels.cell_caption, values);
    const body = make("div", "cv-equation", {"data-testid": "conv-equation"});
    if (equation.length <= ONE_LINE_MAX_CHARS) {
      const [terms] = equation.split(/ = (?=[^=]*$)/);
      body.append(`${terms} = `);
      const result = make("span", "cv-result");
      result.textContent = formatNumber(trace.value);
      body.append(result);
    } else {
      body.append(this.productsTable(trace), this.sumLine(trace));
    }
    this.readout.replaceChildren(caption, body);
    Object.assign(this.readout.dataset, {row: i, col: j, equation, value: formatNumber(trace.value)});
    this.readout.setAttribute("aria-label", `${caption.textContent}: ${equation}`);
  }

  productsTable(trace) {
    const table = make("table", "cv-products", {"aria-hidden": "true"});
    for (let u = 0; u < this.g.kh; u++) {
      const row = make("tr");
      for (let v = 0; v < this.g.kw; v++) {
        const k = u * this.g.kw + v;
        const cell = make("td", trace.taps[k].padding ? "cv-pad" : "");
        const factors = make("small");
        factors.textContent = `${formatNumber(trace.values[k])}×${formatNumber(trace.weights[k])}`;
        cell.append(factors, make("br"), formatNumber(trace.products[k]));
        row.appendChild(cell);
      }
      table.appendChild(row);
    }
    return table;
  }

  sumLine(trace) {
    const line = make("p", "cv-sum");
    const values = {total: formatNumber(trace.total), bias: formatNumber(trace.bias),
                    value: formatNumber(trace.value)};
    const template = trace.bias ? this.labels.sum_with_bias : this.labels.sum;
    const [before, after] = fill(template, {...values, value: "\u0000"}).split("\u0000");
    const result = make("span", "cv-result");
    result.textContent = values.value;
    line.append(before, result, after || "");
    return line;
  }

  showInputReadout(row, col) {
    const inRow = row - this.g.top, inCol = col - this.g.left;
    const padding = isPadding(this.g, row, col);
    const value = padding ? 0 : this.x[inRow * this.g.inW + inCol];
    const fed = outputsFedBy(this.g, row, col).length;
    const text = fill(padding ? this.labels.padding_caption : this.labels.input_caption,
                      {row: inRow, col: inCol, value: formatNumber(value), count: fed});
    const line = make("p", "cv-caption");
    line.textContent = text;
    this.readout.replaceChildren(line);
    delete this.readout.dataset.equation;
  }

  announce() {
    const cell = this.focusCell();
    if (cell) this.live.textContent = this.readout.getAttribute("aria-label") || "";
  }

  // ------------------------------------------------------------ input events

  cellAt(name, event) {
    const panel = this.panels[name];
    const box = panel.overlay.getBoundingClientRect();
    const row = Math.floor((event.clientY - box.top) / panel.cell);
    const col = Math.floor((event.clientX - box.left) / panel.cell);
    if (row < 0 || col < 0 || row >= panel.rows || col >= panel.cols) return null;
    return {row, col};
  }

  onPointer(name, event, pressed = false) {
    if (!this.ready) return;
    const at = this.cellAt(name, event);
    if (!at) return;
    if (name === "output") {
      this.hover = {map: "output", i: at.row, j: at.col};
      if (pressed) {  // a tap keeps the cell (touch screens have no hover)
        if (this.mode === "window") {
          this.hover = null;
          this.goTo(cellToStep(this.g, at.row, at.col), true);
        } else {
          this.pinned = {i: at.row, j: at.col};
        }
      }
    } else {
      this.hover = {map: "input", row: at.row, col: at.col};
    }
    this.refresh();
    this.timeHover(event);
  }

  // For the benchmark: input event -> the frame that shows the marks and the arithmetic.
  timeHover(event) {
    const start = event.timeStamp;
    requestAnimationFrame(() => {
      this.root.dataset.hoverMs = (performance.now() - start).toFixed(2);
    });
  }

  onKey(name, event) {
    if (!this.ready || name !== "output") return;
    const moves = {ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0]};
    if (this.mode === "window" && event.key === " ") {
      event.preventDefault();
      this.playing ? this.pause() : this.play();
      return;
    }
    if (!(event.key in moves)) return;
    event.preventDefault();
    const [di, dj] = moves[event.key];
    const from = this.focusCell() || {i: 0, j: 0};
    const i = clamp(from.i + di, 0, this.g.outH - 1), j = clamp(from.j + dj, 0, this.g.outW - 1);
    this.hover = null;
    if (this.mode === "window") {
      this.goTo(cellToStep(this.g, i, j), true);
    } else {
      this.pinned = {i, j};
      this.refresh();
    }
    this.announce();
  }

  // ------------------------------------------------------------ playback

  setSpeed(stepsPerSecond) {
    if (this.playing) this.anchor = {time: performance.now(), step: this.step};
    this.speed = clamp(Math.round(stepsPerSecond), 1, 60);
    this.player.speed.value = String(this.speed);
    this.player.speedText.textContent = fill(this.labels ? this.labels.speed : "{speed}", {speed: this.speed});
    if (this.labels) this.speedSet = true;
  }

  goTo(step, report) {
    if (this.playing) this.pause(false);
    this.step = clamp(step, 0, this.steps - 1);
    this.drawStep();
    if (report) this.report();
  }

  drawStep() {
    this.drawBase("output");
    this.updatePlayer();
    this.refresh();
  }

  play() {
    if (this.steps <= 1) return;
    if (this.step >= this.steps - 1) this.step = 0;  // play from the end starts over
    this.playing = true;
    this.hover = null;
    this.stats = {steps: 0, frames: 0, started: performance.now()};
    this.anchor = {time: performance.now(), step: this.step};
    this.drawStep();
    this.report();
    const frame = (now) => {
      if (!this.playing) return;
      const target = this.anchor.step + Math.floor(((now - this.anchor.time) * this.speed) / 1000);
      const step = Math.min(target, this.steps - 1);
      this.stats.frames += 1;
      if (step !== this.step) {
        this.stats.steps += step - this.step;
        this.step = step;
        this.drawStep();
      }
      this.root.dataset.steps = String(this.stats.steps);
      this.root.dataset.frames = String(this.stats.frames);
      this.root.dataset.playMs = (now - this.stats.started).toFixed(1);
      if (step >= this.steps - 1) this.pause();
      else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause(report = true) {
    this.playing = false;
    this.updatePlayer();
    if (report) this.report();
  }

  // Tell Python where the window is (it writes ?step= into the link) - never per frame.
  report() {
    clearTimeout(this.reportTimer);
    const send = () => {
      this.lastReported = this.step + 1;
      this.callbacks.setStateValue("player", {step: this.step + 1, playing: this.playing});
      this.announce();
    };
    if (this.playing) send();
    else this.reportTimer = setTimeout(send, REPORT_DELAY_MS);
  }

  updatePlayer() {
    if (this.mode !== "window") return;
    const {buttons, scrub, stepLabel} = this.player;
    const labels = this.labels;
    this.setIcon(buttons.first, "first", labels.first);
    this.setIcon(buttons.previous, "previous", labels.previous);
    this.setIcon(buttons.next, "next", labels.next);
    this.setIcon(buttons.last, "last", labels.last);
    this.setIcon(buttons.play, this.playing ? "pause" : "play", this.playing ? labels.pause : labels.play);
    buttons.first.disabled = buttons.previous.disabled = this.step === 0;
    buttons.next.disabled = buttons.last.disabled = this.step >= this.steps - 1;
    buttons.play.disabled = this.steps <= 1;
    // "play": the page has its own step buttons and scrubber; the view adds play and speed
    const playOnly = this.header.transport === "play";
    for (const name of ["first", "previous", "next", "last"]) buttons[name].hidden = playOnly;
    scrub.hidden = playOnly;
    scrub.max = String(this.steps);
    scrub.value = String(this.step + 1);
    scrub.setAttribute("aria-label", labels.scrub);
    this.player.speed.setAttribute("aria-label", labels.speed_aria);
    stepLabel.textContent = fill(labels.step_count, {step: this.step + 1, steps: this.steps});
    Object.assign(this.root.dataset, {step: this.step + 1, playing: this.playing});
  }

  showError(message) {
    this.notice.textContent = message;
  }

  destroy() {
    this.playing = false;
    clearTimeout(this.skippedTimer);
    clearTimeout(this.reportTimer);
    this.resizer.disconnect();
    this.root.remove();
  }
}

// A greyscale JPEG of colour-bar positions -> one code per cell (its red channel).
async function decodeCodes(section, rows, cols) {
  const bitmap = await createImageBitmap(new Blob([section], {type: "image/jpeg"}));
  const canvas = document.createElement("canvas");
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, cols, rows).data;
  const codes = new Uint8Array(rows * cols);
  for (let k = 0; k < codes.length; k++) codes[k] = rgba[k * 4];
  return codes;
}

export default function (component) {
  const {data, parentElement, setStateValue, setTriggerValue} = component;
  let view = views.get(parentElement);
  if (!view) {
    view = new ConvView(parentElement);
    views.set(parentElement, view);
  }
  try {
    view.update(data, {setStateValue, setTriggerValue});
  } catch (error) {
    // one plain sentence for a person; the details go to the browser console
    console.error("convolution view:", error);
    view.showError("The convolution view could not draw this. Change a setting or reload the page.");
  }
  return () => {
    view.destroy();
    views.delete(parentElement);
  };
}
