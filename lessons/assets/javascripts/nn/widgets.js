// The lesson widgets, on the Explorer's engine. Each starts at its lesson's worked values
// (handed over by lessons/sitebuild/widgets.py as data-config) and shows the lesson's numbers
// there; nothing moves until the reader asks, and under reduced motion training jumps to its end.

import { Dense, Sequential, Trainer, activations, makeOptimizer } from "./engine.js";
import { CLASS_COLORS, classColor, drawLines, drawPoints, paintMap, rgb } from "./draw.js";

const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;
let uid = 0;

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

/** A labelled range input with its value shown beside it; onInput(value) on every change. */
function slider(label, { min, max, step, value }, onInput, digits = 2) {
  const id = `nn-w${++uid}`;
  const input = el("input", { type: "range", id, min, max, step, value });
  const output = el("output", { for: id, text: Number(value).toFixed(digits) });
  input.addEventListener("input", () => {
    output.textContent = Number(input.value).toFixed(digits);
    onInput(Number(input.value));
  });
  return el("div", { class: "nn-field" }, el("label", { for: id, text: label }), el("span", {}, input, " ", output));
}

function readout() {
  return el("div", { class: "nn-readout", "aria-live": "polite" });
}

const lines = (node, texts) => node.replaceChildren(...texts.map((text) => el("p", { text })));
const canvas = (label, width = 300, height = 300) => el("canvas", { width, height, role: "img", "aria-label": label });

/** Python's format(v, ".0e"): 5e-02, 4e-13. */
export function pythonExp(v) {
  const [mantissa, exponent] = v.toExponential(0).split("e");
  const e = Number(exponent);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}

/** A loss or objective surface as a map: low values dark, high ones light (on a log scale). */
function paintSurface(target, f, domainX, domainY, grid = 60) {
  const values = [];
  for (let r = 0; r < grid; r++) {
    for (let c = 0; c < grid; c++) {
      values.push(Math.log1p(f(domainX[0] + ((domainX[1] - domainX[0]) * c) / (grid - 1), domainY[1] - ((domainY[1] - domainY[0]) * r) / (grid - 1))));
    }
  }
  const top = Math.max(...values);
  paintMap(target, grid, (i) => {
    const t = values[i] / top;
    return [Math.round(40 + 210 * t), Math.round(60 + 190 * t), Math.round(120 + 130 * t)];
  });
}

const toPixel = (target, domainX, domainY) => ([x, y]) => [
  ((x - domainX[0]) / (domainX[1] - domainX[0])) * target.width,
  ((domainY[1] - y) / (domainY[1] - domainY[0])) * target.height,
];

function drawPath(target, points, color, pixel) {
  const context = target.getContext("2d");
  context.strokeStyle = color;
  context.fillStyle = color;
  context.lineWidth = 2;
  context.beginPath();
  points.forEach((p, i) => (i ? context.lineTo(...pixel(p)) : context.moveTo(...pixel(p))));
  context.stroke();
  const last = pixel(points[points.length - 1]);
  context.beginPath();
  context.arc(last[0], last[1], 4, 0, 2 * Math.PI);
  context.fill();
}

// ----- lesson 02: one neuron over its input plane -------------------------------------------

function neuron(root, config) {
  const values = { ...config };
  const layer = new Dense(1, { activation: "sigmoid" });
  layer.nIn = 2;
  const plot = canvas("The neuron's output a over the input plane, from orange (near 0) to blue (near 1); the dot is the input x");
  const out = readout();
  const domain = { min: -2.5, max: 2.5 };
  const grid = 40;
  const cells = [];
  for (let r = 0; r < grid; r++) for (let c = 0; c < grid; c++) cells.push(-2.5 + (5 * c) / (grid - 1), 2.5 - (5 * r) / (grid - 1));
  const update = () => {
    layer.W = Float64Array.of(values.w1, values.w2);
    layer.b = Float64Array.of(values.b);
    const a = layer.compute(Float64Array.from(cells), grid * grid).a;
    paintMap(plot, grid, (i) => classColor([a[i]], 1));
    drawPoints(plot, domain, [[values.x1, values.x2]], [1]);
    const { z, a: [output] } = layer.compute(Float64Array.of(values.x1, values.x2), 1);
    lines(out, [
      `z = w₁x₁ + w₂x₂ + b = ${values.w1.toFixed(2)}·${values.x1.toFixed(1)} + ${values.w2.toFixed(2)}·${values.x2.toFixed(1)} + ${values.b.toFixed(2)} = ${z[0].toFixed(2)}`,
      `a = sigmoid(z) = ${output.toFixed(4)}`,
    ]);
  };
  const set = (key) => (v) => { values[key] = v; update(); };
  root.append(el("div", { class: "nn-widget-row" },
    el("div", {}, slider("w₁", { min: -2, max: 2, step: 0.05, value: values.w1 }, set("w1")),
      slider("w₂", { min: -2, max: 2, step: 0.05, value: values.w2 }, set("w2")),
      slider("b", { min: -2, max: 2, step: 0.05, value: values.b }, set("b")),
      slider("x₁", { min: -2, max: 2, step: 0.1, value: values.x1 }, set("x1"), 1),
      slider("x₂", { min: -2, max: 2, step: 0.1, value: values.x2 }, set("x2"), 1), out),
    plot));
  update();
}

// ----- lesson 03: an activation and its derivative at a point --------------------------------

const DERIVATIVES = { sigmoid: "a (1 − a)", tanh: "1 − a²", relu: "1 if z > 0, else 0", leaky_relu: "1 if z > 0, else 0.01", linear: "1" };

function activation(root, config) {
  let name = config.activation, z = config.z;
  const choose = el("select", { id: `nn-w${++uid}` }, ...Object.keys(DERIVATIVES).map((n) => el("option", { value: n, text: n })));
  choose.value = name;
  const plot = canvas("The activation (blue) and its derivative (orange, dashed) from z = −4 to 4; the dot marks the chosen z", 300, 200);
  const out = readout();
  const zs = Array.from({ length: 161 }, (_, i) => -4 + i * 0.05);
  const update = () => {
    const { f, df } = activations[name];
    const at = (v) => { const a = f(v); return [a, df(1, v, a)]; };
    const scale = drawLines(plot, [
      { values: zs.map((v) => [v, at(v)[0]]), color: rgb(CLASS_COLORS[1]) },
      { values: zs.map((v) => [v, at(v)[1]]), color: rgb(CLASS_COLORS[0]), dash: [5, 4] },
    ]);
    const [a, slope] = at(z);
    const context = plot.getContext("2d");
    context.fillStyle = "black";
    context.beginPath();
    context.arc(scale.px(z), scale.py(a), 4, 0, 2 * Math.PI);
    context.fill();
    lines(out, [`${activations[name].formula}: at z = ${z.toFixed(2)}, a = ${a.toFixed(4)}`,
      `da/dz = ${DERIVATIVES[name]} = ${slope.toFixed(4)}`]);
  };
  choose.addEventListener("change", () => { name = choose.value; update(); });
  root.append(el("div", { class: "nn-widget-row" },
    el("div", {}, el("div", { class: "nn-field" }, el("label", { for: choose.id, text: "Activation" }), choose),
      slider("z", { min: -4, max: 4, step: 0.05, value: z }, (v) => { z = v; update(); }), out),
    plot));
  update();
}

// ----- lesson 08: gradient descent on the line-fitting loss surface ---------------------------

function descent(root, config) {
  const n = config.X.length, X = Float64Array.from(config.X), Y = Float64Array.from(config.Y);
  let learningRate = config.learning_rate, steps = config.steps;
  const loss = (w, b) => { let s = 0; for (let i = 0; i < n; i++) s += (w * X[i] + b - Y[i]) ** 2; return s / n; };
  const plot = canvas("The loss over the weight w (across) and the bias b (up), darker is lower, with the path of gradient descent from (−1.5, 2.0)");
  const domainX = [-4, 5], domainY = [-7, 4];
  const out = readout();
  const update = () => {
    // nnlib's model: y = w x + b, mean squared error, plain SGD, the whole data set in each step
    const model = new Sequential([new Dense(1)], { seed: 0 });
    model.build(1);
    model.layers[0].W = Float64Array.of(config.w);
    model.layers[0].b = Float64Array.of(config.b);
    model.compile({ optimizer: makeOptimizer("sgd", learningRate), loss: "mean_squared_error" });
    const dense = model.layers[0], path = [[config.w, config.b]], texts = [];
    let last = null;
    for (let step = 1; step <= steps; step++) {
      last = model.trainStep(X, Y, n);
      if (step === 1) {
        texts.push(`Start: (w, b) = (${config.w.toFixed(1)}, ${config.b.toFixed(1)}), loss ${last.toFixed(3)}; dw = ${dense.dW[0].toFixed(4)}, db = ${dense.db[0].toFixed(4)}`);
      }
      path.push([dense.W[0], dense.b[0]]);
    }
    if (steps === 0) texts.push(`Start: (w, b) = (${config.w.toFixed(1)}, ${config.b.toFixed(1)}), loss ${loss(config.w, config.b).toFixed(3)}`);
    else texts.push(`After ${steps} step${steps > 1 ? "s" : ""} at learning rate ${learningRate}: w = ${dense.W[0].toFixed(4)}, b = ${dense.b[0].toFixed(4)}; the last step's loss ${last.toFixed(3)}`);
    paintSurface(plot, loss, domainX, domainY);
    drawPath(plot, path.map(([w, b]) => [Math.min(Math.max(w, -50), 50), Math.min(Math.max(b, -50), 50)]), rgb(CLASS_COLORS[0]), toPixel(plot, domainX, domainY));
    lines(out, texts);
  };
  root.append(el("div", { class: "nn-widget-row" },
    el("div", {}, slider("Learning rate", { min: 0.01, max: 0.5, step: 0.01, value: learningRate }, (v) => { learningRate = v; update(); }),
      slider("Steps", { min: 0, max: 30, step: 1, value: steps }, (v) => { steps = v; update(); }, 0), out),
    plot));
  update();
}

// ----- lesson 09: optimizers racing on the same surface ---------------------------------------

function optimizers(root, config) {
  const f = ([x, y]) => (1 - x) ** 2 + 10 * (y - x * x) ** 2;
  const gradient = ([x, y]) => Float64Array.of(-2 * (1 - x) - 40 * x * (y - x * x), 20 * (y - x * x));
  const colors = ["#888888", rgb(CLASS_COLORS[1]), "#9c27b0", rgb(CLASS_COLORS[2]), rgb(CLASS_COLORS[0])];
  // every racer's whole path, computed once with the engine's optimizers
  const races = config.racers.map(([label, name, learningRate]) => {
    const optimizer = makeOptimizer(name, learningRate), p = Float64Array.from(config.start), path = [Array.from(p)];
    let arrived = null;
    for (let step = 1; step <= config.steps; step++) {
      optimizer.step([[p, gradient(p)]]);
      path.push(Array.from(p));
      if (arrived === null && Math.hypot(p[0] - 1, p[1] - 1) < 0.01) arrived = step;
    }
    return { label, learningRate, path, arrived };
  });
  const plot = canvas("The surface f(x, y) = (1 − x)² + 10 (y − x²)², darker is lower, minimum at (1, 1), with each optimizer's path from (−1.5, 2.0)");
  const domainX = [-2, 2], domainY = [-1, 3];
  const out = el("table", { class: "nn-readout" });
  let shown = config.steps, timer = null;
  const stepSlider = slider("Steps", { min: 0, max: config.steps, step: 1, value: shown }, (v) => { shown = v; update(); }, 0);
  const stepInput = stepSlider.querySelector("input");
  const play = el("button", { type: "button", text: "Race from the start" });
  const update = () => {
    paintSurface(plot, (x, y) => f([x, y]), domainX, domainY);
    races.forEach((race, i) => drawPath(plot, race.path.slice(0, shown + 1), colors[i], toPixel(plot, domainX, domainY)));
    out.replaceChildren(el("caption", { text: `After ${shown} steps` }),
      el("tr", {}, ...["optimizer", "f", "within 0.01 of the minimum"].map((text) => el("th", { scope: "col", text }))),
      ...races.map((race, i) => el("tr", {},
        el("th", { scope: "row" }, el("span", { class: "nn-swatch", style: `background: ${colors[i]}`, "aria-hidden": "true" }),
          `${race.label} (${race.learningRate})`),
        el("td", { text: pythonExp(f(race.path[shown])) }),
        el("td", { text: race.arrived !== null && race.arrived <= shown ? `step ${race.arrived}` : "never" }))));
  };
  play.addEventListener("click", () => {
    clearInterval(timer);
    if (reducedMotion()) return;
    shown = 0;
    timer = setInterval(() => {
      shown = Math.min(shown + 5, config.steps);
      stepInput.value = shown;
      stepInput.dispatchEvent(new Event("input"));
      if (shown === config.steps) clearInterval(timer);
    }, 30);
  });
  root.append(el("div", { class: "nn-widget-row" }, el("div", {}, stepSlider, play, out), plot));
  update();
}

// ----- lesson 11: a small network's boundary training on XOR ---------------------------------

function xor(root, config) {
  const points = config.X, labels = config.y, n = points.length;
  const train = { X: Float64Array.from(points.flat()), y: Float64Array.from(labels), n, classes: 2 };
  const domain = { min: -0.6, max: 1.6 }, grid = 40;
  const cells = [];
  for (let r = 0; r < grid; r++) for (let c = 0; c < grid; c++) cells.push(domain.min + (2.2 * c) / (grid - 1), domain.max - (2.2 * r) / (grid - 1));
  const choose = el("select", { id: `nn-w${++uid}` },
    el("option", { value: "hidden", text: `one hidden layer of ${config.hidden} ${config.activation} units` }),
    el("option", { value: "single", text: "a single neuron" }));
  const trainButton = el("button", { type: "button", text: `Train ${config.epochs} epochs` });
  const resetButton = el("button", { type: "button", text: "Reset" });
  const plot = canvas("The network's decision boundary over the XOR points: orange region class 0, blue region class 1");
  const out = readout();
  let run, timer = null;
  const reset = () => {
    clearInterval(timer);
    const layers = choose.value === "single" ? [] : [new Dense(config.hidden, { activation: config.activation })];
    const model = new Sequential([...layers, new Dense(1, { activation: "sigmoid" })], { seed: config.seed });
    model.build(2);
    model.compile({ optimizer: makeOptimizer("adam", config.learning_rate), loss: "binary_crossentropy" });
    run = { model, trainer: new Trainer(model, train, config.batch_size) };
    draw();
  };
  const draw = () => {
    const { model, trainer } = run;
    const a = model.predict(Float64Array.from(cells), grid * grid);
    paintMap(plot, grid, (i) => classColor([a[i]], 1));
    drawPoints(plot, domain, points, labels);
    const corners = model.predictedClasses(model.predict(Float64Array.of(0, 0, 0, 1, 1, 0, 1, 1), 4), 4);
    const accuracy = model.evaluate(train).accuracy;
    lines(out, [`Epoch ${trainer.epoch} of ${config.epochs}: accuracy ${Math.round(100 * accuracy)}%`,
      `corners (0, 0), (0, 1), (1, 0), (1, 1) predicted: [${corners.join(", ")}]`]);
  };
  const epoch = () => {
    for (let i = 0; i < run.trainer.stepsPerEpoch; i++) run.trainer.trainBatch();
  };
  trainButton.addEventListener("click", () => {
    reset();
    if (reducedMotion()) {
      while (run.trainer.epoch < config.epochs) epoch();
      return draw();
    }
    timer = setInterval(() => {
      for (let i = 0; i < 4 && run.trainer.epoch < config.epochs; i++) epoch();
      draw();
      if (run.trainer.epoch >= config.epochs) clearInterval(timer);
    }, 30);
  });
  resetButton.addEventListener("click", reset);
  choose.addEventListener("change", reset);
  root.append(el("div", { class: "nn-widget-row" },
    el("div", {}, el("div", { class: "nn-field" }, el("label", { for: choose.id, text: "Network" }), choose),
      el("div", { class: "nn-buttons" }, trainButton, resetButton), out),
    plot));
  reset();
}

const WIDGETS = { neuron, activation, descent, optimizers, xor };

for (const root of document.querySelectorAll(".nn-widget[data-widget]")) {
  if (root.dataset.ready) continue;
  root.dataset.ready = "true";
  root.querySelector("noscript")?.remove();
  WIDGETS[root.dataset.widget](root, JSON.parse(root.dataset.config || "{}"));
}
