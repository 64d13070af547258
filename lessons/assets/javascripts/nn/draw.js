// Drawing for the Explorer and the lesson widgets: maps over the input plane, points, curves.
// Colours follow the site's figures: class 0 orange, class 1 blue, class 2 green;
// a neuron's value: orange below zero, blue above.

export const CLASS_COLORS = [[230, 120, 30], [40, 110, 200], [40, 160, 80]];
const NEUTRAL = [250, 250, 250];

// One array, reused: maps colour thousands of cells a frame, and each colour is copied at once.
const mixed = [0, 0, 0];
function mixColor(from, to, t) {
  const s = Math.min(Math.max(t, 0), 1);
  for (let i = 0; i < 3; i++) mixed[i] = Math.round(from[i] + (to[i] - from[i]) * s);
  return mixed;
}
export const rgb = (c) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** The square region the plots show: the points' extent with a margin. */
export function domainOf(points, margin = 0.25) {
  if (!points.length) return { min: -1.5, max: 1.5 };
  let min = Infinity, max = -Infinity;
  for (const p of points) for (const v of p) { min = Math.min(min, v); max = Math.max(max, v); }
  const pad = (max - min) * margin + 0.1;
  return { min: min - pad, max: max + pad };
}

/** grid x grid points covering the domain, row by row from the top (x2 falls as the row grows). */
export function gridPoints(domain, grid) {
  const points = [], step = (domain.max - domain.min) / (grid - 1);
  for (let r = 0; r < grid; r++) for (let c = 0; c < grid; c++) points.push([domain.min + c * step, domain.max - r * step]);
  return points;
}

/** Colour for a class map: class colours blended by confidence. `values` has k numbers per cell
 * (k = 1: the probability of class 1, or a score whose sign decides). */
export function classColor(values, k, scoreIsProbability = true) {
  if (k === 1) {
    const p = scoreIsProbability ? values[0] : 1 / (1 + Math.exp(-2 * values[0]));
    return p >= 0.5 ? mixColor(NEUTRAL, CLASS_COLORS[1], (p - 0.5) * 1.6) : mixColor(NEUTRAL, CLASS_COLORS[0], (0.5 - p) * 1.6);
  }
  let best = 0;
  for (let c = 1; c < k; c++) if (values[c] > values[best]) best = c;
  return mixColor(NEUTRAL, CLASS_COLORS[best], (values[best] - 1 / k) * 1.2);
}

/** A diverging colour for a neuron's value v scaled by `scale` (its largest |value|). */
export const valueColor = (v, scale) => mixColor(NEUTRAL, v < 0 ? CLASS_COLORS[0] : CLASS_COLORS[1], Math.abs(v) / (scale || 1));

/** Paint a grid x grid map on a canvas: colorAt(cell index) gives [r, g, b] (copied at once). */
export function paintMap(canvas, grid, colorAt) {
  const context = canvas.getContext("2d");
  const image = context.createImageData(grid, grid);
  for (let i = 0; i < grid * grid; i++) {
    const c = colorAt(i);
    image.data[i * 4] = c[0];
    image.data[i * 4 + 1] = c[1];
    image.data[i * 4 + 2] = c[2];
    image.data[i * 4 + 3] = 255;
  }
  // draw the small image, then scale it up smoothly over the whole canvas
  if (!canvas.scratch || canvas.scratch.width !== grid) {
    canvas.scratch = document.createElement("canvas");
    canvas.scratch.width = canvas.scratch.height = grid;
  }
  const scratch = canvas.scratch;
  scratch.getContext("2d").putImageData(image, 0, 0);
  context.imageSmoothingEnabled = true;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

/** Data coordinates to canvas pixels and back. */
export function scaler(canvas, domain) {
  const span = domain.max - domain.min;
  return {
    x: (v) => ((v - domain.min) / span) * canvas.width,
    y: (v) => ((domain.max - v) / span) * canvas.height,
    fromPixel: (px, py) => [domain.min + (px / canvas.width) * span, domain.max - (py / canvas.height) * span],
  };
}

/** Points as dots: filled for training, hollow rings for test; one path per class, so that
 * hundreds of points cost a few strokes rather than hundreds. */
export function drawPoints(canvas, domain, points, labels, { hollow = false } = {}) {
  const context = canvas.getContext("2d"), s = scaler(canvas, domain), radius = hollow ? 3.5 : 3;
  context.lineWidth = 1.5;
  new Set(labels).forEach((label) => {
    context.beginPath();
    points.forEach((p, i) => {
      if (labels[i] !== label) return;
      context.moveTo(s.x(p[0]) + radius, s.y(p[1]));
      context.arc(s.x(p[0]), s.y(p[1]), radius, 0, 2 * Math.PI);
    });
    context.strokeStyle = hollow ? rgb(CLASS_COLORS[label]) : "white";
    context.fillStyle = rgb(CLASS_COLORS[label]);
    if (!hollow) context.fill();
    context.stroke();
  });
}

/** Lines on a canvas: series = [{ values: [[x, y], ...], color, dash }], with axes from the data. */
export function drawLines(canvas, series, { yMin = null, yMax = null } = {}) {
  const context = canvas.getContext("2d"), { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  const all = series.flatMap((s) => s.values).filter(([, y]) => Number.isFinite(y));
  if (!all.length) return;
  const xs = all.map(([x]) => x), ys = all.map(([, y]) => y);
  const x0 = Math.min(...xs), x1 = Math.max(...xs, x0 + 1e-9);
  const y0 = yMin ?? Math.min(...ys), y1 = Math.max(yMax ?? Math.max(...ys), y0 + 1e-9);
  const px = (x) => 4 + ((x - x0) / (x1 - x0)) * (width - 8), py = (y) => height - 4 - ((y - y0) / (y1 - y0)) * (height - 8);
  for (const s of series) {
    context.beginPath();
    context.strokeStyle = s.color;
    context.setLineDash(s.dash || []);
    context.lineWidth = s.width || 2;
    s.values.forEach(([x, y], i) => (i ? context.lineTo(px(x), py(y)) : context.moveTo(px(x), py(y))));
    context.stroke();
  }
  context.setLineDash([]);
  return { px, py };
}

/** A number for reading: 4 significant digits, no exponent for ordinary sizes. */
export function fmt(v, digits = 4) {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(digits - 1);
  return String(Number(v.toPrecision(digits)));
}
