// Colours from the scales Python chose (playground.colour_scales): a 256-entry
// lookup table per scale, and values -> RGBA pixels. No DOM.

function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// 256 colours, linear between the scale's stops (as Plotly and matplotlib interpolate).
function buildLut(stops) {
  const lut = new Uint8ClampedArray(256 * 3);
  for (let code = 0; code < 256; code++) {
    const t = code / 255;
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1][0]) k++;
    const [t0, c0] = stops[k], [t1, c1] = stops[k + 1];
    const f = t1 > t0 ? Math.min(1, Math.max(0, (t - t0) / (t1 - t0))) : 0;
    const a = hexToRgb(c0), b = hexToRgb(c1);
    for (let ch = 0; ch < 3; ch++) lut[code * 3 + ch] = Math.round(a[ch] + (b[ch] - a[ch]) * f);
  }
  return lut;
}

// A value's position on the bar as 0..255, the way colour_scales.to_codes computes it.
function valueCode(scale, value) {
  const span = (scale.high - scale.low) || 1;
  const position = Math.fround(Math.fround(value - scale.low) * Math.fround(255 / span));
  return Math.max(0, Math.min(255, Math.floor(position + 0.5)));
}

function codeColour(lut, code) {
  return `rgb(${lut[code * 3]},${lut[code * 3 + 1]},${lut[code * 3 + 2]})`;
}

// Dark text on light cells, light text on dark ones (numbers must stay readable).
function textColourFor(lut, code) {
  const luminance = 0.299 * lut[code * 3] + 0.587 * lut[code * 3 + 1] + 0.114 * lut[code * 3 + 2];
  return luminance < 128 ? "#ffffff" : "#111111";
}

// codes (Uint8Array, one per cell) -> RGBA pixels; `hidden` cells (Uint8Array 1 = hide) blank.
function codesToRgba(codes, lut, hidden) {
  const rgba = new Uint8ClampedArray(codes.length * 4);
  for (let k = 0; k < codes.length; k++) {
    const c = codes[k] * 3, p = k * 4;
    if (hidden && hidden[k]) {
      rgba[p] = rgba[p + 1] = rgba[p + 2] = 255;
      rgba[p + 3] = 0;
      continue;
    }
    rgba[p] = lut[c];
    rgba[p + 1] = lut[c + 1];
    rgba[p + 2] = lut[c + 2];
    rgba[p + 3] = 255;
  }
  return rgba;
}

function valuesToCodes(values, scale) {
  const codes = new Uint8Array(values.length);
  for (let k = 0; k < values.length; k++) codes[k] = valueCode(scale, values[k]);
  return codes;
}
