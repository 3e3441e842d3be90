// One output cell's multiply-and-add, computed exactly the way playground.trace does:
// float32 products, summed in float64 in numpy's pairwise order, then
// value = float32(float32(total) + float32(bias)). Numbers are written the way
// playground.trace.format_number writes them (Python's round-half-even included).

// numpy's pairwise summation (pairwise_sum in loops_utils.h) over a[start .. start+n).
function pairwiseSum(a, start, n) {
  if (n < 8) {
    let sum = 0;
    for (let k = 0; k < n; k++) sum += a[start + k];
    return sum;
  }
  if (n <= 128) {
    const r = [];
    for (let k = 0; k < 8; k++) r.push(a[start + k]);
    let k = 8;
    for (; k < n - (n % 8); k += 8) {
      for (let m = 0; m < 8; m++) r[m] += a[start + k + m];
    }
    let sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
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
