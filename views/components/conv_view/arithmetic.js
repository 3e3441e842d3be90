// One output cell's multiply-and-add, computed exactly the way playground.trace does:
// float32 products, summed in float64 in numpy's pairwise order, then
// value = float32(float32(total) + float32(bias)). Numbers are written the way
// playground.trace.format_number writes them (Python's round-half-even included).

// numpy's pairwise summation (pairwise_sum in loops_utils.h) over a[start .. start+n).
// Eight running sums in locals, not an array: correlate() calls this once per output cell.
function pairwiseSum(a, start, n) {
  if (n < 8) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += a[start + k];
    return sum;
  }
  if (n <= 128) {
    let r0 = a[start], r1 = a[start + 1], r2 = a[start + 2], r3 = a[start + 3];
    let r4 = a[start + 4], r5 = a[start + 5], r6 = a[start + 6], r7 = a[start + 7];
    let k = 8;
    for (; k < n - (n % 8); k += 8) {
      const b = start + k;
      r0 += a[b]; r1 += a[b + 1]; r2 += a[b + 2]; r3 += a[b + 3];
      r4 += a[b + 4]; r5 += a[b + 5]; r6 += a[b + 6]; r7 += a[b + 7];
    }
    let sum = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; k < n; k++) sum += a[start + k];
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(a, start, half) + pairwiseSum(a, start + half, n - half);
}

// x: Float32Array (inH*inW), kernel: Float32Array (kh*kw), bias: number.
function traceCell(g, x, kernel, bias, i, j) {
  const taps = windowTaps(g, i, j);
  const n = taps.length;
  const values = new Float32Array(n), products = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const t = taps[k];
    values[k] = t.padding ? 0 : x[t.inRow * g.inW + t.inCol];
    products[k] = values[k] * kernel[k];  // a Float32Array store rounds to float32, as numpy does
  }
  const total = pairwiseSum(products, 0, n);
  const value = Math.fround(Math.fround(total) + Math.fround(bias));
  return {i, j, taps, values, weights: kernel, products, total, bias, value};
}

// Every output cell, each exactly as traceCell computes it, without its per-tap objects:
// the picture the view draws at once when a layer control changes, while Python's own
// output (playground.conv2d) is on its way.
function correlate(g, x, kernel, bias) {
  const n = g.kh * g.kw;
  const products = new Float32Array(n);
  const out = new Float32Array(g.outH * g.outW);
  const b = Math.fround(bias);
  for (let i = 0; i < g.outH; i++) {
    for (let j = 0; j < g.outW; j++) {
      let k = 0;
      for (let u = 0; u < g.kh; u++) {
        const r = i * g.sh + u * g.dh - g.top;
        const inside = r >= 0 && r < g.inH;
        for (let v = 0; v < g.kw; v++, k++) {
          const c = j * g.sw + v * g.dw - g.left;
          // padding holds 0, multiplied like any value (0 × -1 is -0, as in traceCell)
          const value = inside && c >= 0 && c < g.inW ? x[r * g.inW + c] : 0;
          products[k] = value * kernel[k];
        }
      }
      out[i * g.outW + j] = Math.fround(Math.fround(pairwiseSum(products, 0, n)) + b);
    }
  }
  return out;
}

// ---------------------------------------------------------------- number text

// Keep the first `keep` digits of a digit string, rounding half to even on the exact digits.
function roundDigits(digits, keep) {
  const head = digits.slice(0, keep), rest = digits.slice(keep);
  let up = rest.length > 0 && rest[0] > "5";
  if (rest[0] === "5") {
    up = /[1-9]/.test(rest.slice(1)) || (head.length > 0 && Number(head[head.length - 1]) % 2 === 1);
  }
  if (!up) return head;
  const out = head.split("");
  let k = out.length - 1;
  while (k >= 0 && out[k] === "9") out[k--] = "0";
  if (k < 0) out.unshift("1");
  else out[k] = String(Number(out[k]) + 1);
  return out.join("");
}

// The exact decimal digits of |value| and where the point goes. toFixed(100) is exact
// for every double in the ranges used here (its binary fraction has far fewer places).
function exactDigits(value) {
  const [whole, frac] = Math.abs(value).toFixed(100).split(".");
  return {digits: whole + frac, point: whole.length};
}

// Python's f"{value:.{places}f}"
function pyFixed(value, places) {
  const {digits, point} = exactDigits(value);
  let kept = roundDigits(digits, point + places);
  const wholeLength = kept.length - places;
  let text = kept.slice(0, wholeLength).replace(/^0+(?=\d)/, "");
  if (places > 0) text += "." + kept.slice(wholeLength);
  return (value < 0 ? "-" : "") + text;
}

// Python's f"{value:.{places}e}"
function pyExponential(value, places) {
  if (!(Math.abs(value) < 1e21)) {
    const [m, e] = value.toExponential(places).split("e");
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const {digits, point} = exactDigits(value);
  const first = digits.search(/[1-9]/);
  let exp = point - first - 1;
  let kept = roundDigits(digits.slice(first), places + 1);
  if (kept.length > places + 1) {  // 9.99 rounded up to 10.0
    kept = kept.slice(0, places + 1);
    exp += 1;
  }
  const mantissa = kept[0] + (places > 0 ? "." + kept.slice(1) : "");
  const expText = `${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  return `${value < 0 ? "-" : ""}${mantissa}e${expText}`;
}

// playground.trace.format_number
function formatNumber(value, digits = 3) {
  if (value === 0) return "0";  // also -0
  if (Number.isInteger(value) && Math.abs(value) < 1e6) return String(value);
  const size = Math.abs(value);
  if (size >= 1e-3 && size < 1e6) {
    return pyFixed(value, digits).replace(/0+$/, "").replace(/\.$/, "");
  }
  return pyExponential(value, digits - 1);
}

// WindowTrace.equation(): '0×0 + 1×1 + 3×2 + 4×3 = 19'
function equationText(trace, digits = 3) {
  const terms = [];
  for (let k = 0; k < trace.values.length; k++) {
    terms.push(`${formatNumber(trace.values[k], digits)}×${formatNumber(trace.weights[k], digits)}`);
  }
  let text = terms.join(" + ");
  if (trace.bias) text += ` + ${formatNumber(trace.bias, digits)} (bias)`;
  return `${text} = ${formatNumber(trace.value, digits)}`;
}
