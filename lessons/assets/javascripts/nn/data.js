// The Explorer's data sets: the shapes of nnlib.data's generators (make_xor, make_circles,
// make_moons, make_spirals, make_blobs, make_regression_1d), drawn with the page's generator.
// The noise is Box-Muller, not NumPy's ziggurat, so the points are the page's own: the
// exported script writes them out rather than calling nnlib.data.
//
// A data set is { points, labels, classes }: points is an array of [x1, x2] (or [x] for the
// regression), labels one class (or target) per point, classes 0 for a regression.

import { defaultRng } from "./random.js";

const linspace = (start, stop, n, endpoint = true) =>
  Array.from({ length: n }, (_, i) => start + ((stop - start) * i) / Math.max(endpoint ? n - 1 : n, 1));

/** Split n as evenly as possible into k parts (the first ones get one more). */
const splitEvenly = (n, k) => Array.from({ length: k }, (_, i) => Math.floor(n / k) + (i < n % k ? 1 : 0));

function shuffled(points, labels, rng) {
  const order = rng.permutation(points.length);
  return { points: order.map((i) => points[i]), labels: order.map((i) => labels[i]) };
}

const noisy = (point, noise, rng) => point.map((v) => v + rng.normal(0, noise));

export const generators = {
  /** Corners of the unit square, label a XOR b, each corner in turn. */
  xor(n, noise, rng) {
    const corners = [[0, 0], [0, 1], [1, 0], [1, 1]], truth = [0, 1, 1, 0];
    const which = Array.from({ length: n }, (_, i) => i % 4);
    return { ...shuffled(which.map((c) => noisy(corners[c], noise, rng)), which.map((c) => truth[c]), rng), classes: 2 };
  },
  /** Class 0 on the unit circle, class 1 on a circle of radius 0.5 inside it. */
  circles(n, noise, rng) {
    const [outer, inner] = splitEvenly(n, 2);
    const ring = (count, radius) => linspace(0, 2 * Math.PI, count, false).map((t) => [radius * Math.cos(t), radius * Math.sin(t)]);
    const points = [...ring(outer, 1), ...ring(inner, 0.5)].map((p) => noisy(p, noise, rng));
    return { ...shuffled(points, points.map((_, i) => (i < outer ? 0 : 1)), rng), classes: 2 };
  },
  /** The upper arc (cos t, sin t) and the lower arc (1 - cos t, 0.5 - sin t), t in [0, pi]. */
  moons(n, noise, rng) {
    const [upper, lower] = splitEvenly(n, 2);
    const points = [
      ...linspace(0, Math.PI, upper).map((t) => [Math.cos(t), Math.sin(t)]),
      ...linspace(0, Math.PI, lower).map((t) => [1 - Math.cos(t), 0.5 - Math.sin(t)]),
    ].map((p) => noisy(p, noise, rng));
    return { ...shuffled(points, points.map((_, i) => (i < upper ? 0 : 1)), rng), classes: 2 };
  },
  /** Arm k: radius 0 to 1 while the angle runs from 4k to 4(k + 1), noise on the angle. */
  spirals(n, noise, rng, classes = 2) {
    const points = [], labels = [];
    splitEvenly(n, classes).forEach((count, k) => {
      const radius = linspace(0, 1, count), angle = linspace(4 * k, 4 * (k + 1), count);
      angle.forEach((t, i) => {
        const a = t + rng.normal(0, noise);
        points.push([radius[i] * Math.sin(a), radius[i] * Math.cos(a)]);
        labels.push(k);
      });
    });
    return { ...shuffled(points, labels, rng), classes };
  },
  /** Three round clusters, one class each, spread by 0.3 + noise. */
  blobs(n, noise, rng) {
    const centers = [[-1, -0.6], [1, -0.6], [0, 1]];
    const points = [], labels = [];
    splitEvenly(n, 3).forEach((count, k) => {
      for (let i = 0; i < count; i++) {
        points.push(centers[k].map((c) => rng.normal(c, 0.3 + noise)));
        labels.push(k);
      }
    });
    return { ...shuffled(points, labels, rng), classes: 3 };
  },
  /** y = sin(x) + noise, x uniform on [-pi, pi] and sorted. */
  regression(n, noise, rng) {
    const x = Array.from(rng.uniform(-Math.PI, Math.PI, n)).sort((a, b) => a - b);
    const labels = x.map((v) => Math.sin(v) + rng.normal(0, noise));
    return { ...shuffled(x.map((v) => [v]), labels, rng), classes: 0 };
  },
};

export const DATASETS = {
  xor: "XOR", circles: "circles", moons: "moons", spirals2: "spirals, 2 classes", spirals3: "spirals, 3 classes",
  blobs: "blobs, 3 classes", regression: "1-D regression (sine)", draw: "draw your own",
};

/** A data set by name; "draw" is the reader's own points. */
export function makeDataset(name, { n = 200, noise = 0.1, seed = 0, drawn = [] } = {}) {
  const rng = defaultRng(seed);
  if (name === "draw") {
    const classes = drawn.length ? Math.max(2, ...drawn.map((p) => p[2] + 1)) : 2;
    return { points: drawn.map((p) => [p[0], p[1]]), labels: drawn.map((p) => p[2]), classes };
  }
  if (name === "spirals2") return generators.spirals(n, noise, rng, 2);
  if (name === "spirals3") return generators.spirals(n, noise, rng, 3);
  if (!(name in generators)) throw new Error(`unknown data set '${name}'; valid names: ${Object.keys(DATASETS).join(", ")}`);
  return generators[name](n, noise, rng);
}

/** Input features computed from a point (x1, x2), or from x alone for the regression. */
export const FEATURES = {
  x1: { label: "x₁", of: (p) => p[0], python: "x1" },
  x2: { label: "x₂", of: (p) => p[1], python: "x2" },
  x1sq: { label: "x₁²", of: (p) => p[0] * p[0], python: "x1 * x1" },
  x2sq: { label: "x₂²", of: (p) => p[1] * p[1], python: "x2 * x2" },
  x1x2: { label: "x₁x₂", of: (p) => p[0] * p[1], python: "x1 * x2" },
  sin1: { label: "sin(x₁)", of: (p) => Math.sin(p[0]), python: "sin(x1)" },
  sin2: { label: "sin(x₂)", of: (p) => Math.sin(p[1]), python: "sin(x2)" },
};
export const REGRESSION_FEATURES = ["x1", "x1sq", "sin1"];

/** Rows of features, one Float64Array row-major matrix, for the chosen feature names. */
export function featureMatrix(points, features) {
  const X = new Float64Array(points.length * features.length);
  points.forEach((p, i) => features.forEach((name, j) => { X[i * features.length + j] = FEATURES[name].of(p); }));
  return X;
}

/** The first round(ratio * n) points train, the rest test (the points come shuffled). */
export function split(dataset, trainRatio) {
  const nTrain = Math.round(dataset.points.length * trainRatio);
  const part = (from, to) => ({ points: dataset.points.slice(from, to), labels: dataset.labels.slice(from, to) });
  return { train: part(0, nTrain), test: part(nTrain, dataset.points.length) };
}

/** Problems with a data set that training cannot get past, as sentences (none: []). */
export function dataProblems(dataset, parts) {
  if (dataset.points.length === 0) return ["There are no points: click on the plot to add some."];
  const problems = [];
  if (dataset.classes && new Set(dataset.labels).size < 2) {
    problems.push("All points are of one class: add points of another class, so there is a boundary to learn.");
  }
  if (parts.train.points.length === 0) problems.push("No point is left for training: raise the training share.");
  return problems;
}
