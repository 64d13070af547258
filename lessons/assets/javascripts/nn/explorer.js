// The Explorer: train a small network in the page, with nnlib's arithmetic (engine.js).
// Everything the reader sets lives in the address (#dataset=xor&hidden=4,4&...), so a link
// reproduces the setup; "Copy as nnlib code" gives a script that redoes the run in Python.

import { Dense, Regularizer, Sequential, Trainer, activations, makeOptimizer } from "./engine.js";
import { DATASETS, FEATURES, REGRESSION_FEATURES, dataProblems, featureMatrix, makeDataset, split } from "./data.js";
import { CLASS_COLORS, classColor, domainOf, drawLines, drawPoints, fmt, gridPoints, paintMap, rgb, scaler, valueColor } from "./draw.js";
import { dataCsv, pythonScript, weightsJson } from "./export.js";

const GRID = 40; // the boundary and the neuron maps are computed on GRID x GRID points
const MAX_HIDDEN_LAYERS = 4, MAX_UNITS = 8;
const LOSSES = {
  binary_crossentropy: "binary cross-entropy", mean_squared_error: "mean squared error", hinge: "hinge",
  sparse_categorical_crossentropy: "categorical cross-entropy",
};
const OPTIMIZERS = { sgd: "SGD", momentum: "SGD with momentum 0.9", adam: "Adam" };
const ACTIVATIONS = { relu: "ReLU", tanh: "tanh", sigmoid: "sigmoid", leaky_relu: "leaky ReLU", linear: "linear" };

export const DEFAULTS = {
  dataset: "xor", points: 200, noise: 0.1, train: 0.7, seed: 0, features: ["x1", "x2"], hidden: [4, 4],
  activation: "tanh", loss: "binary_crossentropy", optimizer: "adam", lr: 0.03, batch: 10, l1: 0, l2: 0, drawn: [],
};

// ----- the address: settings <-> "#key=value&..." -----------------------------------------

export function toHash(settings) {
  const parts = Object.entries(settings).map(([key, value]) => {
    if (key === "drawn") return `drawn=${value.map((p) => `${fmt(p[0], 3)},${fmt(p[1], 3)},${p[2]}`).join(";")}`;
    return `${key}=${Array.isArray(value) ? value.join(",") : value}`;
  });
  return "#" + parts.join("&");
}

/** Settings from the address; anything missing takes its default (checked later, like typed input). */
export function fromHash(hash) {
  const settings = structuredClone(DEFAULTS);
  for (const part of hash.replace(/^#/, "").split("&").filter(Boolean)) {
    const [key, raw = ""] = part.split("=").map(decodeURIComponent);
    if (!(key in DEFAULTS)) continue;
    if (key === "drawn") settings.drawn = raw ? raw.split(";").map((p) => p.split(",").map(Number)) : [];
    else if (key === "features") settings.features = raw ? raw.split(",") : [];
    else if (key === "hidden") settings.hidden = raw ? raw.split(",").map(Number) : [];
    else settings[key] = typeof DEFAULTS[key] === "number" ? Number(raw) : raw;
  }
  return settings;
}

// ----- checking settings: a message for the control that holds a bad value ------------------

const inRange = (v, low, high) => Number.isFinite(v) && v >= low && v <= high;

/** {control name: message} for every bad setting (empty when all are usable). */
export function settingsProblems(s) {
  const problems = {};
  if (!(s.dataset in DATASETS)) problems.dataset = `Choose one of the listed data sets (got "${s.dataset}").`;
  if (!(Number.isInteger(s.points) && inRange(s.points, 10, 1000))) problems.points = "Points: a whole number from 10 to 1000.";
  if (!inRange(s.noise, 0, 1)) problems.noise = "Noise: a number from 0 to 1.";
  if (!inRange(s.train, 0.1, 1)) problems.train = "Training share: from 0.1 to 1.";
  if (!(Number.isInteger(s.seed) && inRange(s.seed, 0, 2 ** 32 - 1))) problems.seed = "Random seed: a whole number from 0 to 4294967295.";
  if (!s.features.length) problems.features = "Choose at least one input feature.";
  if (s.hidden.length > MAX_HIDDEN_LAYERS) problems.hidden = `At most ${MAX_HIDDEN_LAYERS} hidden layers.`;
  s.hidden.forEach((units, i) => {
    if (!(Number.isInteger(units) && inRange(units, 1, MAX_UNITS))) problems[`units${i}`] = `Units: a whole number from 1 to ${MAX_UNITS}.`;
  });
  if (!(s.activation in ACTIVATIONS)) problems.activation = "Choose one of the listed activations.";
  if (!(s.optimizer in OPTIMIZERS)) problems.optimizer = "Choose one of the listed optimizers.";
  if (!inRange(s.lr, 1e-5, 10) || s.lr === 0) problems.lr = "Learning rate: a number above 0.00001 and at most 10.";
  if (!(Number.isInteger(s.batch) && inRange(s.batch, 1, 1000))) problems.batch = "Batch size: a whole number from 1 to 1000.";
  if (!inRange(s.l1, 0, 1)) problems.l1 = "L1 strength: a number from 0 to 1.";
  if (!inRange(s.l2, 0, 1)) problems.l2 = "L2 strength: a number from 0 to 1.";
  return problems;
}

/** The losses that suit a task: regression, two classes, or more. */
export function lossesFor(classes) {
  if (classes === 0) return ["mean_squared_error"];
  if (classes === 2) return ["binary_crossentropy", "mean_squared_error", "hinge"];
  return ["sparse_categorical_crossentropy"];
}

/** The output layer for a loss: softmax for categories, sigmoid for probabilities, else linear. */
function outputActivation(loss, classes) {
  if (loss === "sparse_categorical_crossentropy") return "softmax";
  if (loss === "binary_crossentropy" || (loss === "mean_squared_error" && classes)) return "sigmoid";
  return "linear";
}

// ----- a run: data, model, trainer for one set of settings ----------------------------------

/** Everything one setup trains: build it fresh on every change of setting. */
export function makeRun(settings) {
  const dataset = makeDataset(settings.dataset, { n: settings.points, noise: settings.noise, seed: settings.seed, drawn: settings.drawn });
  const regression = dataset.classes === 0;
  const features = regression ? settings.features.filter((f) => REGRESSION_FEATURES.includes(f)) : settings.features;
  const parts = split(dataset, settings.train);
  const loss = lossesFor(dataset.classes).includes(settings.loss) ? settings.loss : lossesFor(dataset.classes)[0];
  const outputs = dataset.classes > 2 ? dataset.classes : 1;
  const pack = (part) => ({ X: featureMatrix(part.points, features), y: Float64Array.from(part.labels), n: part.points.length, classes: dataset.classes });
  const run = {
    settings: { ...settings, features, loss, datasetLabel: DATASETS[settings.dataset], learningRate: settings.lr, batchSize: settings.batch },
    dataset, parts, classes: dataset.classes, outputs, outputActivation: outputActivation(loss, dataset.classes),
    train: pack(parts.train), test: pack(parts.test), problems: dataProblems(dataset, parts), history: [],
  };
  if (features.length === 0) run.problems.push("None of the chosen features applies to the 1-D regression: choose x₁, x₁² or sin(x₁).");
  const regularizer = settings.l1 || settings.l2 ? new Regularizer(settings.l1, settings.l2) : null;
  const layers = settings.hidden.map((units) => new Dense(units, { activation: settings.activation, kernelRegularizer: regularizer }));
  layers.push(new Dense(outputs, { activation: run.outputActivation, kernelRegularizer: regularizer }));
  run.model = new Sequential(layers, { seed: settings.seed });
  run.model.build(Math.max(features.length, 1));
  run.model.compile({ optimizer: makeOptimizer(settings.optimizer, settings.lr), loss });
  run.trainer = new Trainer(run.model, run.train, settings.batch);
  return run;
}

// ----- the page ----------------------------------------------------------------------------

let uid = 0;
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === "text") node.textContent = value;
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(key, value === true ? "" : value);
  }
  node.append(...children);
  return node;
}

/** A labelled control with its message line: { wrap, input, message }. */
function field(label, input, name) {
  input.id = input.id || `nn-${name}-${++uid}`;
  input.name = name;
  const message = el("p", { class: "nn-message", id: `${input.id}-message`, "aria-live": "polite" });
  input.setAttribute("aria-describedby", message.id);
  return { wrap: el("div", { class: "nn-field" }, el("label", { for: input.id, text: label }), input, message), input, message };
}

const select = (options, value) => el("select", {}, ...Object.entries(options).map(([v, text]) => el("option", { value: v, text, selected: v === String(value) })));
const number = (value, { min, max, step }) => el("input", { type: "number", value, min, max, step, inputmode: "decimal" });

export class Explorer {
  constructor(root) {
    this.root = root;
    this.playing = false;
    this.frames = 0;
    this.reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    this.settings = fromHash(location.hash);
    this.build();
    this.apply(this.settings, { fromAddress: true });
  }

  // ----- building the controls -----
  build() {
    const c = (this.controls = {});
    const add = (name, label, input) => (c[name] = field(label, input, name));
    add("dataset", "Data set", select(DATASETS, ""));
    add("points", "Points", number(200, { min: 10, max: 1000, step: 10 }));
    add("noise", "Noise", number(0.1, { min: 0, max: 1, step: 0.05 }));
    add("train", "Training share", number(0.7, { min: 0.1, max: 1, step: 0.1 }));
    add("seed", "Random seed", number(0, { min: 0, max: 4294967295, step: 1 }));
    this.drawClass = field("Class to add", select({ 0: "class 0 (orange)", 1: "class 1 (blue)", 2: "class 2 (green)" }, 0), "drawClass");
    this.undoButton = el("button", { type: "button", text: "Undo last point" });
    this.clearButton = el("button", { type: "button", text: "Clear points" });
    this.drawBox = el("div", { class: "nn-draw" }, this.drawClass.wrap, this.undoButton, this.clearButton,
      el("p", { class: "nn-hint", text: "Click the plot to add a point; or focus it, move the cross with the arrow keys and press Enter." }));

    const features = el("fieldset", { class: "nn-features" }, el("legend", { text: "Input features" }));
    this.featureBoxes = Object.entries(FEATURES).map(([name, f]) => {
      const box = el("input", { type: "checkbox", value: name, id: `nn-feature-${name}` });
      features.append(el("span", { class: "nn-check" }, box, el("label", { for: box.id, text: f.label })));
      return box;
    });
    this.featuresMessage = el("p", { class: "nn-message", id: "nn-features-message", "aria-live": "polite" });
    features.append(this.featuresMessage);
    features.setAttribute("aria-describedby", this.featuresMessage.id);

    add("layers", "Hidden layers", number(2, { min: 0, max: MAX_HIDDEN_LAYERS, step: 1 }));
    this.unitsBox = el("div", { class: "nn-units" });
    add("activation", "Activation", select(ACTIVATIONS, ""));
    add("loss", "Loss", select(LOSSES, ""));
    add("optimizer", "Optimizer", select(OPTIMIZERS, ""));
    add("lr", "Learning rate", number(0.03, { min: 0.00001, max: 10, step: "any" }));
    add("batch", "Batch size", number(10, { min: 1, max: 1000, step: 1 }));
    add("l1", "L1 strength", number(0, { min: 0, max: 1, step: "any" }));
    add("l2", "L2 strength", number(0, { min: 0, max: 1, step: "any" }));

    this.playButton = el("button", { type: "button", class: "nn-play", "aria-pressed": "false", text: "Play" });
    this.stepButton = el("button", { type: "button", text: "One step" });
    this.resetButton = el("button", { type: "button", text: "Reset" });
    this.stepThrough = el("input", { type: "checkbox", id: "nn-step-through" });
    this.status = el("p", { class: "nn-status", role: "status" });
    const buttons = el("div", { class: "nn-buttons" }, this.playButton, this.stepButton, this.resetButton,
      el("span", { class: "nn-check" }, this.stepThrough, el("label", { for: "nn-step-through", text: "Step through one batch, layer by layer" })));

    this.plot = el("canvas", { width: 320, height: 320, class: "nn-plot", tabindex: "0", role: "img" });
    this.lossPlot = el("canvas", { width: 320, height: 120, class: "nn-loss-plot", role: "img", "aria-label": "Training loss (solid) and test loss (dashed) so far" });
    this.stats = el("dl", { class: "nn-stats" });
    this.confusion = el("div", { class: "nn-confusion" });
    this.network = el("div", { class: "nn-network" });
    this.inspector = el("div", { class: "nn-inspector", "aria-live": "polite" },
      el("p", { text: "Hover over or focus a unit of the network to see its formula with the numbers in it." }));
    this.phaseTable = el("div", { class: "nn-phase" });

    this.code = el("textarea", { readonly: true, rows: 8, id: "nn-code", class: "nn-code", spellcheck: "false" });
    this.copyButton = el("button", { type: "button", text: "Copy as nnlib code" });
    this.weightsButton = el("button", { type: "button", text: "Download weights (JSON)" });
    this.dataButton = el("button", { type: "button", text: "Download data (CSV)" });
    this.exportStatus = el("p", { class: "nn-status", role: "status" });

    const section = (title, ...children) => el("section", { class: "nn-panel", "aria-label": title }, el("h2", { text: title }), ...children);
    this.root.replaceChildren(
      el("div", { class: "nn-layout" },
        section("Data", c.dataset.wrap, this.drawBox, c.points.wrap, c.noise.wrap, c.train.wrap, c.seed.wrap, features),
        section("Network", c.layers.wrap, this.unitsBox, c.activation.wrap, c.loss.wrap),
        section("Training", c.optimizer.wrap, c.lr.wrap, c.batch.wrap, c.l1.wrap, c.l2.wrap, buttons, this.status),
        section("Output", this.plot, this.stats, this.lossPlot,
          el("p", { class: "nn-hint", text: "Loss by epoch: training solid blue, test dashed orange." }), this.confusion),
        section("Inside the network", this.network, this.inspector, this.phaseTable),
        section("Take it home", this.copyButton, this.weightsButton, this.dataButton, this.exportStatus,
          el("label", { for: "nn-code", text: "The run as a Python script for nnlib" }), this.code)));

    this.root.addEventListener("change", (event) => {
      if (event.target === this.stepThrough) return this.showPhase();
      if (event.target.name === "drawClass") return;
      this.apply(this.readControls());
    });
    this.playButton.addEventListener("click", () => (this.playing ? this.pause() : this.play()));
    this.stepButton.addEventListener("click", () => this.oneStep());
    this.resetButton.addEventListener("click", () => this.apply(this.settings));
    this.undoButton.addEventListener("click", () => this.apply({ ...this.settings, drawn: this.settings.drawn.slice(0, -1) }));
    this.clearButton.addEventListener("click", () => this.apply({ ...this.settings, drawn: [] }));
    this.copyButton.addEventListener("click", () => this.copyCode());
    this.weightsButton.addEventListener("click", () => download("nnlib-weights.json", weightsJson(this.run.model), "application/json"));
    this.dataButton.addEventListener("click", () => download("explorer-data.csv", dataCsv(this.run.parts, this.run.dataset.points[0]?.length ?? 2), "text/csv"));
    this.plot.addEventListener("click", (event) => this.addPoint(event));
    this.plot.addEventListener("keydown", (event) => this.plotKey(event));
    window.addEventListener("hashchange", () => {
      if (location.hash !== toHash(this.settings)) this.apply(fromHash(location.hash), { fromAddress: true });
    });
    this.network.addEventListener("mousemove", (event) => this.hoverEdge(event));
    window.addEventListener("resize", () => {
      this.anchors = null;
      this.drawEdges();
    });
  }

  /** Settings as the controls hold them now. */
  readControls() {
    const c = this.controls, value = (name) => c[name].input.value, num = (name) => (value(name).trim() === "" ? NaN : Number(value(name)));
    const layers = num("layers"), layersValid = Number.isInteger(layers) && layers >= 0 && layers <= MAX_HIDDEN_LAYERS;
    const units = Array.from(this.unitsBox.querySelectorAll("input")).map((input) => (input.value.trim() === "" ? NaN : Number(input.value)));
    // a new layer starts as wide as the last one
    const hidden = layersValid
      ? Array.from({ length: layers }, (_, i) => (i < units.length ? units[i] : units[units.length - 1] ?? 4))
      : this.settings.hidden;
    return {
      dataset: value("dataset"), points: num("points"), noise: num("noise"), train: num("train"), seed: num("seed"),
      features: this.featureBoxes.filter((box) => box.checked).map((box) => box.value), hidden,
      activation: value("activation"), loss: value("loss"), optimizer: value("optimizer"), lr: num("lr"), batch: num("batch"),
      l1: num("l1"), l2: num("l2"), drawn: this.settings.drawn, layersProblem: !layersValid,
    };
  }

  /** Show the settings in the controls, check them, and start a fresh run if they are usable. */
  apply(next, { fromAddress = false } = {}) {
    const { layersProblem, ...settings } = next;
    const problems = settingsProblems(settings);
    if (layersProblem) problems.layers = `Hidden layers: a whole number from 0 to ${MAX_HIDDEN_LAYERS}.`;
    this.pause();
    this.fill(settings, fromAddress);
    for (const [name, control] of Object.entries(this.controls)) this.say(control, problems[name]);
    this.unitsBox.querySelectorAll("input").forEach((input, i) => this.say({ input, message: input.parentElement.querySelector(".nn-message") }, problems[`units${i}`]));
    this.featuresMessage.textContent = problems.features || "";
    if (problems.hidden) this.say(this.controls.layers, problems.hidden);
    this.drawBox.hidden = settings.dataset !== "draw";
    if (Object.keys(problems).length) {
      this.blocked = "Fix the setting marked above to train.";
      this.setStatus(this.blocked);
      this.enableTraining(false);
      return;
    }
    this.settings = settings;
    this.current = this.gridValues = null;
    history.replaceState(null, "", toHash(settings));
    this.run = makeRun(settings);
    this.blocked = this.run.problems.join(" ");
    this.say(this.controls.dataset, this.blocked || null);
    this.setLossChoices();
    // settings that do not fit the task are adapted, and the reader is told so next to the control
    const unused = settings.features.filter((f) => !this.run.settings.features.includes(f));
    if (unused.length && this.run.settings.features.length) {
      this.featuresMessage.textContent = `Left out for the 1-D regression, which has x₁ only: ${unused.map((f) => FEATURES[f].label).join(", ")}.`;
    }
    if (this.run.settings.loss !== settings.loss) {
      this.controls.loss.message.textContent = `${LOSSES[settings.loss] || settings.loss} does not suit this data set; using ${LOSSES[this.run.settings.loss]}.`;
    }
    this.enableTraining(!this.blocked);
    this.setStatus(this.blocked || "Ready: press Play, or One step.");
    this.phases = null;
    this.buildNetwork();
    this.record();
    this.render();
  }

  /** Put settings into the controls (from the address, or to rebuild the per-layer inputs). */
  fill(s, all) {
    const c = this.controls;
    if (all) {
      for (const name of ["dataset", "points", "noise", "train", "seed", "activation", "optimizer", "lr", "batch", "l1", "l2"]) c[name].input.value = s[name];
      this.featureBoxes.forEach((box) => { box.checked = s.features.includes(box.value); });
      c.layers.input.value = s.hidden.length;
    }
    const units = this.unitsBox.querySelectorAll("input");
    if (all || units.length !== s.hidden.length) {
      this.unitsBox.replaceChildren(...s.hidden.map((n, i) => field(`Units in hidden layer ${i + 1}`, number(n, { min: 1, max: MAX_UNITS, step: 1 }), `units${i}`).wrap));
    }
  }

  setLossChoices() {
    const choices = lossesFor(this.run.classes), input = this.controls.loss.input;
    input.replaceChildren(...choices.map((name) => el("option", { value: name, text: LOSSES[name], selected: name === this.run.settings.loss })));
  }

  say(control, message) {
    control.message.textContent = message || "";
    if (message) control.input.setAttribute("aria-invalid", "true");
    else control.input.removeAttribute("aria-invalid");
  }

  setStatus(text) {
    this.status.textContent = text;
  }

  enableTraining(on) {
    for (const button of [this.playButton, this.stepButton, this.copyButton, this.weightsButton, this.dataButton]) button.disabled = !on;
  }

  // ----- training -----
  play() {
    if (this.blocked || this.run.trainer.diverged) return;
    this.finishPhases();
    this.playing = true;
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-pressed", "true");
    this.setStatus("Training…");
    let lastDraw = 0;
    const frame = (time) => {
      if (!this.playing) return;
      // train for about 4 ms a frame, then draw (under reduced motion, draw twice a second)
      const until = performance.now() + 4;
      do this.trainSteps(1); while (performance.now() < until && !this.run.trainer.diverged);
      if (!this.reducedMotion || time - lastDraw > 500) {
        this.record();
        this.render();
        this.frames += 1;
        lastDraw = time;
      }
      if (this.run.trainer.diverged) return this.stopDiverged();
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    this.playButton.textContent = "Play";
    this.playButton.setAttribute("aria-pressed", "false");
    this.setStatus(`Paused at epoch ${this.run.trainer.epoch}.`);
    this.record();
    this.render();
  }

  /** n batches without drawing (the benchmark calls this too). Returns the steps taken. */
  trainSteps(n) {
    let done = 0;
    while (done < n && this.run.trainer.trainBatch() !== null) done += 1;
    return done;
  }

  stopDiverged() {
    this.pause();
    this.setStatus(`Training stopped: ${this.run.trainer.diverged}.`);
    this.enableTraining(false);
  }

  /** One batch, or in step-through mode one phase of it. */
  oneStep() {
    if (this.blocked) return;
    if (this.stepThrough.checked) {
      this.phases = this.phases || this.run.trainer.batchPhases();
      const next = this.phases.next();
      this.phase = next.done ? null : next.value;
      // after the update the batch is done: finish its bookkeeping (the step count) at once
      if (next.done || this.phase.phase === "update") this.finishPhases();
    } else {
      this.finishPhases();
      this.phase = null;
      this.trainSteps(1);
    }
    if (this.run.trainer.diverged) return this.stopDiverged();
    this.record();
    this.render();
    this.showPhase();
  }

  /** Run a batch that step-through mode left half done to its end. */
  finishPhases() {
    if (!this.phases) return;
    while (!this.phases.next().done);
    this.phases = null;
  }

  // ----- measuring -----
  /** Train and test loss and accuracy now, appended to the loss curves. */
  record() {
    const { model, train, test, trainer, history } = this.run;
    const epoch = trainer.epoch + trainer.step / trainer.stepsPerEpoch;
    if (this.blocked) return;
    this.current = { train: model.evaluate(train), test: test.n ? model.evaluate(test) : null };
    if (!history.length || history[history.length - 1].epoch !== epoch) history.push({ epoch, train: this.current.train.loss, test: this.current.test?.loss });
    if (history.length > 400) this.run.history = history.filter((_, i) => i % 2 === 0 || i === history.length - 1);
  }

  // ----- drawing -----
  render() {
    this.drawPlot();
    this.drawStats();
    this.drawNeurons();
    this.drawEdges();
    this.drawLossCurve();
    // the script is long: write it when training rests, not on every frame
    if (!this.playing) this.code.value = this.blocked ? "" : pythonScript(this.run);
  }

  /** Run the network over the plot's grid: the output for the boundary, every unit's value for its map. */
  gridForward() {
    const { run } = this;
    const regression = run.classes === 0;
    this.domain = run.settings.dataset === "draw" ? { min: -1.5, max: 1.5 } : domainOf(run.dataset.points.map((p) => (regression ? [p[0]] : p)));
    const cells = regression
      ? Array.from({ length: GRID }, (_, i) => [this.domain.min + ((this.domain.max - this.domain.min) * i) / (GRID - 1)])
      : gridPoints(this.domain, GRID);
    const X = featureMatrix(cells, run.settings.features);
    this.gridValues = run.model.layerOutputs(X, cells.length);
    this.gridInputs = { X, cells };
  }

  drawPlot() {
    const { run } = this;
    const context = this.plot.getContext("2d");
    if (this.blocked) {
      context.clearRect(0, 0, this.plot.width, this.plot.height);
      if (run.settings.dataset === "draw") {
        this.domain = { min: -1.5, max: 1.5 };
        drawPoints(this.plot, this.domain, run.dataset.points, run.dataset.labels);
        this.drawCursor();
      }
      return;
    }
    this.gridForward();
    const out = this.gridValues[this.gridValues.length - 1], k = run.outputs;
    if (run.classes === 0) {
      context.fillStyle = "white";
      context.fillRect(0, 0, this.plot.width, this.plot.height);
      const values = run.dataset.labels.concat(Array.from(out));
      const dom = domainOf(values.map((v) => [v]));
      const s = scaler(this.plot, this.domain), sy = scaler(this.plot, dom);
      const dots = (part, hollow) => part.points.forEach((p, i) => {
        context.beginPath();
        context.arc(s.x(p[0]), sy.y(part.labels[i]), 3, 0, 2 * Math.PI);
        context.strokeStyle = rgb(CLASS_COLORS[1]);
        context.fillStyle = rgb(CLASS_COLORS[1]);
        if (!hollow) context.fill();
        context.stroke();
      });
      dots(run.parts.train, false);
      dots(run.parts.test, true);
      context.beginPath();
      context.strokeStyle = rgb(CLASS_COLORS[0]);
      context.lineWidth = 2.5;
      this.gridInputs.cells.forEach((cell, i) => (i ? context.lineTo(s.x(cell[0]), sy.y(out[i])) : context.moveTo(s.x(cell[0]), sy.y(out[i]))));
      context.stroke();
      this.plot.setAttribute("aria-label", "The network's prediction (orange line) over x, with the training points (filled) and test points (rings)");
      return;
    }
    const probability = run.outputActivation !== "linear";
    paintMap(this.plot, GRID, (i) => classColor(out.subarray(i * k, (i + 1) * k), k, probability));
    // the points stay put while the network trains: draw them once a run, then copy them each frame
    if (this.pointsDrawnFor !== run) {
      this.pointsLayer = this.pointsLayer || el("canvas", { width: this.plot.width, height: this.plot.height });
      this.pointsLayer.getContext("2d").clearRect(0, 0, this.plot.width, this.plot.height);
      drawPoints(this.pointsLayer, this.domain, run.parts.train.points, run.parts.train.labels);
      drawPoints(this.pointsLayer, this.domain, run.parts.test.points, run.parts.test.labels, { hollow: true });
      this.pointsDrawnFor = run;
    }
    this.plot.getContext("2d").drawImage(this.pointsLayer, 0, 0);
    this.drawCursor();
    this.plot.setAttribute("aria-label", `The decision boundary: each region coloured by the class the network predicts there; ` +
      `${run.parts.train.points.length} training points (filled) and ${run.parts.test.points.length} test points (rings)` +
      (run.settings.dataset === "draw" ? ". Click, or use the arrow keys and Enter, to add a point." : ""));
  }

  drawStats() {
    const { trainer } = this.run, current = this.current;
    const rows = [["Epoch", trainer.epoch], ["Steps", trainer.model.optimizer.iterations]];
    if (current) {
      rows.push(["Training loss", fmt(current.train.loss)], ["Test loss", current.test ? fmt(current.test.loss) : "no test points"]);
      if (this.run.classes) {
        rows.push(["Training accuracy", `${(100 * current.train.accuracy).toFixed(1)}%`]);
        if (current.test) rows.push(["Test accuracy", `${(100 * current.test.accuracy).toFixed(1)}%`]);
      }
    }
    // rewrite the numbers in place while the rows stay the same: no new elements on every frame
    const terms = rows.map(([term]) => term).join("|");
    if (this.stats.dataset.terms !== terms) {
      this.stats.dataset.terms = terms;
      this.stats.replaceChildren(...rows.flatMap(([term]) => [el("dt", { text: term }), el("dd", { "data-stat": term })]));
    }
    const cells = this.stats.querySelectorAll("dd");
    rows.forEach(([, value], i) => { cells[i].textContent = String(value); });
    this.drawConfusion();
  }

  /** Rows: the true class; columns: the predicted class; on the test points (training points if none). */
  drawConfusion() {
    const { run } = this;
    if (!run.classes || this.blocked) return this.confusion.replaceChildren();
    const part = run.test.n ? run.test : run.train;
    const predicted = run.model.predictedClasses(run.model.predict(part.X, part.n), part.n);
    const counts = Array.from({ length: run.classes }, () => new Array(run.classes).fill(0));
    predicted.forEach((p, i) => { counts[part.y[i]][p] += 1; });
    const caption = `Confusion matrix (${run.test.n ? "test" : "training"} points)`;
    let table = this.confusion.querySelector("table");
    if (!table || table.rows.length !== run.classes + 1 || table.caption.textContent !== caption) {
      const head = el("tr", {}, el("th", { scope: "col", text: "true \\ predicted" }), ...counts.map((_, j) => el("th", { scope: "col", text: `class ${j}` })));
      const body = counts.map((row, i) => el("tr", {}, el("th", { scope: "row", text: `class ${i}` }), ...row.map(() => el("td"))));
      table = el("table", { class: "nn-confusion-table" }, el("caption", { text: caption }), el("thead", {}, head), el("tbody", {}, ...body));
      this.confusion.replaceChildren(table);
    }
    counts.forEach((row, i) => row.forEach((n, j) => { table.tBodies[0].rows[i].cells[j + 1].textContent = String(n); }));
  }

  drawLossCurve() {
    const h = this.run.history;
    drawLines(this.lossPlot, [
      { values: h.map((p) => [p.epoch, p.train]), color: rgb(CLASS_COLORS[1]) },
      { values: h.filter((p) => p.test !== undefined).map((p) => [p.epoch, p.test]), color: rgb(CLASS_COLORS[0]), dash: [5, 4] },
    ], { yMin: 0 });
  }

  // ----- the network diagram -----
  buildNetwork() {
    const { run } = this;
    const columns = [run.settings.features.map((f, i) => ({ layer: -1, unit: i, label: `input ${FEATURES[f].label}` }))];
    run.model.layers.forEach((layer, l) => columns.push(Array.from({ length: layer.units }, (_, k) => ({
      layer: l, unit: k, label: `${l === run.model.layers.length - 1 ? "output" : `hidden layer ${l + 1}`}, unit ${k + 1}`,
    }))));
    this.edges = el("canvas", { class: "nn-edges", "aria-hidden": "true" });
    this.nodes = [];
    const cols = columns.map((units) => el("div", { class: "nn-column" }, ...units.map((u) => {
      const node = el("button", { type: "button", class: "nn-node", "aria-label": u.label, "data-layer": u.layer, "data-unit": u.unit },
        el("canvas", { width: 28, height: 28 }));
      node.addEventListener("mouseenter", () => this.inspect(u));
      node.addEventListener("focus", () => this.inspect(u));
      this.nodes.push({ ...u, node });
      return node;
    })));
    this.network.replaceChildren(this.edges, ...cols);
    this.inspected = this.anchors = null;
  }

  /** Each unit's own output over the input plane, as a small map inside its button. */
  drawNeurons() {
    if (!this.gridValues) return;
    const { run } = this, cells = this.gridInputs.cells.length;
    for (const { layer, unit, node } of this.nodes) {
      const canvas = node.firstChild;
      const width = layer < 0 ? run.settings.features.length : run.model.layers[layer].units;
      const source = layer < 0 ? this.gridInputs.X : this.gridValues[layer];
      let scale = 0;
      for (let i = 0; i < cells; i++) scale = Math.max(scale, Math.abs(source[i * width + unit]));
      // a small map needs only every other grid point
      const half = GRID / 2, cell = (i) => (run.classes === 0 ? 2 * (i % half) : 2 * Math.floor(i / half) * GRID + 2 * (i % half));
      paintMap(canvas, half, (i) => valueColor(source[cell(i) * width + unit], scale));
    }
  }

  /** Lines between units: blue for a positive weight, orange for a negative one, thicker when larger. */
  drawEdges() {
    if (!this.edges || !this.nodes.length) return;
    const box = this.network.getBoundingClientRect();
    if (this.edges.width !== Math.round(box.width) || this.edges.height !== Math.round(box.height) || !this.anchors) {
      this.edges.width = box.width;
      this.edges.height = box.height;
      // where each unit's edges end, measured once per layout rather than once per edge and frame
      this.anchors = new Map(this.nodes.map(({ node }) => {
        const r = node.getBoundingClientRect(), y = r.top + r.height / 2 - box.top;
        return [node, { in: [r.left - box.left, y], out: [r.right - box.left, y] }];
      }));
    }
    const context = this.edges.getContext("2d");
    context.clearRect(0, 0, this.edges.width, this.edges.height);
    const centre = (node, side) => this.anchors.get(node)[side];
    const byLayer = (l) => this.nodes.filter((n) => n.layer === l);
    // edges of one colour and (rounded) width go into one path: a few strokes, not one per weight
    const groups = new Map();
    this.edgeList = [];
    this.run.model.layers.forEach((layer, l) => {
      const from = byLayer(l - 1), to = byLayer(l);
      from.forEach((a, j) => to.forEach((b, k) => {
        const w = layer.W[j * layer.units + k];
        const key = `${w < 0 ? 0 : 1} ${Math.round(Math.min(0.5 + 2 * Math.abs(w), 6) * 2) / 2}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push([centre(a.node, "out"), centre(b.node, "in")]);
        this.edgeList.push({ start: centre(a.node, "out"), end: centre(b.node, "in"), layer: l, from: a, to: b, j, k });
      }));
    });
    for (const [key, segments] of groups) {
      const [sign, width] = key.split(" ").map(Number);
      context.beginPath();
      context.strokeStyle = rgb(CLASS_COLORS[sign]);
      context.lineWidth = width;
      for (const [start, end] of segments) {
        context.moveTo(...start);
        context.lineTo(...end);
      }
      context.stroke();
    }
  }

  /** Hovering near an edge shows that weight: its value, its gradient, its share of z. */
  hoverEdge(event) {
    if (!this.edgeList || event.target.closest(".nn-node")) return;
    const box = this.network.getBoundingClientRect(), x = event.clientX - box.left, y = event.clientY - box.top;
    const distance = ({ start: [x0, y0], end: [x1, y1] }) => {
      const t = Math.min(Math.max(((x - x0) * (x1 - x0) + (y - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2 || 1), 0), 1);
      return Math.hypot(x - (x0 + t * (x1 - x0)), y - (y0 + t * (y1 - y0)));
    };
    const nearest = this.edgeList.reduce((best, edge) => (distance(edge) < distance(best) ? edge : best), this.edgeList[0]);
    if (!nearest || distance(nearest) > 5) return;
    const layer = this.run.model.layers[nearest.layer], index = nearest.j * layer.units + nearest.k;
    const texts = [`The weight from ${nearest.from.label} to ${nearest.to.label}: w = ${fmt(layer.W[index])}` +
      (layer.dW ? `, its gradient dL/dw = ${fmt(layer.dW[index])}.` : ".")];
    if (layer.x) texts.push(`For the first point of the last batch it adds w × input = (${fmt(layer.W[index])})(${fmt(layer.x[nearest.j])}) = ${fmt(layer.W[index] * layer.x[nearest.j])} to that unit's z.`);
    this.inspector.replaceChildren(...texts.map((text) => el("p", { text })));
  }

  /** The unit's formula with the numbers of the last batch's first example plugged in. */
  inspect(unit) {
    this.inspected = unit;
    const { run } = this, batch = run.trainer.batch;
    const lines = [];
    if (unit.layer < 0) {
      lines.push(`${unit.label}: the feature ${run.settings.features[unit.unit]} of each point.`);
      if (batch) lines.push(`First point of the last batch: ${fmt(batch.x[unit.unit])}.`);
    } else {
      const layer = run.model.layers[unit.layer], k = unit.unit;
      const inputs = unit.layer === 0 ? run.settings.features.map((f) => FEATURES[f].label) : Array.from({ length: layer.nIn }, (_, j) => `a${j + 1}`);
      const w = Array.from({ length: layer.nIn }, (_, j) => layer.W[j * layer.units + k]);
      lines.push(`${unit.label} (${layer.activation}): z = ${inputs.map((name, j) => `w${j + 1}·${name}`).join(" + ")} + b; ${activations[layer.activation].formula}.`);
      lines.push(`Weights: ${w.map((v, j) => `w${j + 1} = ${fmt(v)}${layer.dW ? ` (dL/dw = ${fmt(layer.dW[j * layer.units + k])})` : ""}`).join(", ")}; ` +
        `b = ${fmt(layer.b[k])}${layer.db ? ` (dL/db = ${fmt(layer.db[k])})` : ""}.`);
      if (layer.x && layer.z) {
        const x = Array.from({ length: layer.nIn }, (_, j) => layer.x[j]);
        const z = layer.z[k], a = layer.a[k];
        lines.push(`For the first point of the last batch: z = ${x.map((v, j) => `(${fmt(w[j])})(${fmt(v)})`).join(" + ")} + (${fmt(layer.b[k])}) = ${fmt(z)}, a = ${fmt(a)}.`);
      }
    }
    this.inspector.replaceChildren(...lines.map((text) => el("p", { text })));
    this.showPhase();
  }

  /** Step-through mode: which phase the batch is in, and lesson 7's table for the inspected unit's layer. */
  showPhase() {
    if (!this.stepThrough.checked) return this.phaseTable.replaceChildren();
    const { run } = this, phase = this.phase;
    const names = { forward: "Forward through", backward: "Backward through", loss: "Loss computed", update: "Weights updated" };
    const text = !phase ? "Press One step: the next batch goes forward layer by layer, then the gradients come back, then the weights change."
      : phase.phase === "loss" || phase.phase === "update" ? `${names[phase.phase]}: batch loss ${fmt(phase.loss)}.`
        : `${names[phase.phase]} layer ${phase.layer + 1} (${phase.layer === run.model.layers.length - 1 ? "output" : "hidden"}).`;
    const rows = [];
    const l = phase && phase.layer !== undefined ? phase.layer : this.inspected?.layer ?? 0;
    const layer = run.model.layers[Math.max(l, 0)];
    if (layer && layer.z) {
      const k = this.inspected && this.inspected.layer === l ? this.inspected.unit : 0;
      const showBackward = phase && (phase.phase === "backward" || phase.phase === "update") ? layer.dz : null;
      rows.push(["z (first point)", fmt(layer.z[k])], ["a (first point)", fmt(layer.a[k])]);
      if (showBackward) {
        rows.push(["δ = dL/dz (first point)", fmt(layer.dz[k])]);
        rows.push(["dW (into this unit)", Array.from({ length: layer.nIn }, (_, j) => fmt(layer.dW[j * layer.units + k])).join(", ")]);
        rows.push(["db", fmt(layer.db[k])]);
      }
      this.phaseTable.replaceChildren(el("p", { text, class: "nn-phase-text" }), el("table", { class: "nn-phase-table" },
        el("caption", { text: `Layer ${Math.max(l, 0) + 1}, unit ${k + 1}` }),
        el("tbody", {}, ...rows.map(([name, value]) => el("tr", {}, el("th", { scope: "row", text: name }), el("td", { text: value }))))));
    } else {
      this.phaseTable.replaceChildren(el("p", { text, class: "nn-phase-text" }));
    }
  }

  // ----- drawing your own data -----
  addPoint(event) {
    if (this.settings.dataset !== "draw") return;
    const r = this.plot.getBoundingClientRect();
    const [x, y] = scaler(this.plot, this.domain).fromPixel((event.clientX - r.left) * (this.plot.width / r.width), (event.clientY - r.top) * (this.plot.height / r.height));
    this.addDrawn(x, y);
  }

  addDrawn(x, y) {
    const label = Number(this.drawClass.input.value);
    this.apply({ ...this.settings, drawn: [...this.settings.drawn, [Number(x.toFixed(3)), Number(y.toFixed(3)), label]] });
  }

  plotKey(event) {
    if (this.settings.dataset !== "draw") return;
    this.cursor = this.cursor || [0, 0];
    const moves = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.1], ArrowDown: [0, -0.1] };
    if (event.key in moves) {
      this.cursor = this.cursor.map((v, i) => Math.min(Math.max(v + moves[event.key][i], -1.4), 1.4));
      this.render();
    } else if (event.key === "Enter" || event.key === " ") {
      this.addDrawn(...this.cursor);
    } else {
      return;
    }
    event.preventDefault();
  }

  drawCursor() {
    if (!this.cursor || this.settings.dataset !== "draw") return;
    const context = this.plot.getContext("2d"), s = scaler(this.plot, this.domain);
    const [x, y] = [s.x(this.cursor[0]), s.y(this.cursor[1])];
    context.strokeStyle = "black";
    context.lineWidth = 1.5;
    context.beginPath();
    context.moveTo(x - 8, y); context.lineTo(x + 8, y); context.moveTo(x, y - 8); context.lineTo(x, y + 8);
    context.stroke();
  }

  // ----- taking it home -----
  async copyCode() {
    this.code.value = pythonScript(this.run);
    try {
      await navigator.clipboard.writeText(this.code.value);
      this.exportStatus.textContent = "Copied: paste it into a file and run it with Python, with nnlib installed.";
    } catch {
      this.code.select();
      this.exportStatus.textContent = "The browser did not allow copying: the script is selected below, copy it with Ctrl+C.";
    }
  }
}

function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = el("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const root = document.getElementById("nn-explorer");
if (root) root.explorer = new Explorer(root);
