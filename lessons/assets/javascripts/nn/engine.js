// nnlib in the page: Dense layers, activations, losses, optimizers and weight penalties,
// with nnlib's formulas and names, in float64 (a JavaScript number is a float64).
//
// A batch is a Float64Array of rows, row-major: x[i * nIn + j] is feature j of example i.
// W has shape (nIn, units), so W[j * units + k] joins input j to unit k, as in nnlib.
// tests/test_explorer_engine.py trains nnlib and this module side by side, step for step.

import { defaultRng } from "./random.js";

// ----- activations: a = f(z), and the backward product grad * da/dz -----------------------

function sigmoid(x) {
  // 1 / (1 + e^(-x)), computed from e^(-|x|) so it never overflows
  const e = Math.exp(-Math.abs(x));
  return x >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/** Elementwise activations: f(x), and df(grad, x, a) = grad * da/dx. */
export const activations = {
  linear: { f: (x) => x, df: (grad) => grad, formula: "a = z" },
  sigmoid: { f: sigmoid, df: (grad, x, a) => grad * a * (1 - a), formula: "a = 1 / (1 + e^(-z))" },
  tanh: { f: Math.tanh, df: (grad, x, a) => grad * (1 - a * a), formula: "a = tanh(z)" },
  relu: { f: (x) => Math.max(x, 0), df: (grad, x) => grad * (x > 0 ? 1 : 0), formula: "a = max(z, 0)" },
  leaky_relu: {
    f: (x) => (x > 0 ? x : 0.01 * x),
    df: (grad, x) => (x > 0 ? grad : 0.01 * grad),
    formula: "a = z if z > 0, else 0.01 z",
  },
  softmax: { formula: "a_i = e^(z_i) / sum_j e^(z_j)" }, // acts on whole rows: see applyActivation
};

/** a = activation(z) for n rows of `units` values. */
function applyActivation(name, z, n, units) {
  const a = new Float64Array(z.length);
  if (name === "softmax") {
    for (let i = 0; i < n; i++) {
      let max = -Infinity, sum = 0;
      for (let k = 0; k < units; k++) max = Math.max(max, z[i * units + k]);
      for (let k = 0; k < units; k++) sum += (a[i * units + k] = Math.exp(z[i * units + k] - max));
      for (let k = 0; k < units; k++) a[i * units + k] /= sum;
    }
    return a;
  }
  const f = activationNamed(name).f;
  for (let i = 0; i < z.length; i++) a[i] = f(z[i]);
  return a;
}

/** dL/dz from dL/da: the activation's backward. */
function activationBackward(name, grad, z, a, n, units) {
  const dz = new Float64Array(grad.length);
  if (name === "softmax") {
    // dz = a * (grad - sum(grad * a)) along each row
    for (let i = 0; i < n; i++) {
      let dot = 0;
      for (let k = 0; k < units; k++) dot += grad[i * units + k] * a[i * units + k];
      for (let k = 0; k < units; k++) dz[i * units + k] = a[i * units + k] * (grad[i * units + k] - dot);
    }
    return dz;
  }
  const df = activationNamed(name).df;
  for (let i = 0; i < grad.length; i++) dz[i] = df(grad[i], z[i], a[i]);
  return dz;
}

function activationNamed(name) {
  if (!(name in activations)) {
    throw new Error(`unknown activation '${name}'; valid names: ${Object.keys(activations).sort().join(", ")}`);
  }
  return activations[name];
}

// ----- weight penalties -------------------------------------------------------------------

/** l1 * sum(|W|) + l2 * sum(W²); its gradient is l1 * sign(W) + 2 l2 W. */
export class Regularizer {
  constructor(l1 = 0, l2 = 0) {
    this.l1 = l1;
    this.l2 = l2;
  }

  penalty(W) {
    let absSum = 0, squareSum = 0;
    for (const w of W) {
      absSum += Math.abs(w);
      squareSum += w * w;
    }
    return this.l1 * absSum + this.l2 * squareSum;
  }

  addGradient(W, dW) {
    for (let i = 0; i < W.length; i++) dW[i] += this.l1 * Math.sign(W[i]) + 2 * this.l2 * W[i];
  }
}

// ----- the fully connected layer ----------------------------------------------------------

/** z = x W + b, then a = activation(z). */
export class Dense {
  constructor(units, { activation = "linear", kernelRegularizer = null, name = null } = {}) {
    if (!Number.isInteger(units) || units < 1) throw new Error(`Dense units must be a positive integer, got ${units}`);
    activationNamed(activation);
    this.units = units;
    this.activation = activation;
    this.kernelRegularizer = kernelRegularizer;
    this.name = name;
    this.lossGivesDz = false;  // true only while the model's train step hands this layer dL/dz
  }

  /** glorot_uniform W on [-limit, limit], limit = sqrt(6 / (nIn + units)); b = 0. */
  build(nIn, rng) {
    this.nIn = nIn;
    const variance = 1 / ((nIn + this.units) / 2);
    const limit = Math.sqrt(3 * variance);
    this.W = rng.uniform(-limit, limit, nIn * this.units);
    this.b = new Float64Array(this.units);
  }

  /** z and a for a batch of n rows, keeping nothing (plots and evaluation use this). */
  compute(x, n) {
    const { nIn, units, W, b } = this;
    const z = new Float64Array(n * units);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < units; k++) {
        let sum = 0;
        for (let j = 0; j < nIn; j++) sum += x[i * nIn + j] * W[j * units + k];
        z[i * units + k] = sum + b[k];
      }
    }
    return { z, a: applyActivation(this.activation, z, n, units) };
  }

  /** compute, keeping x, z and a for the backward pass. */
  forward(x, n) {
    const { z, a } = this.compute(x, n);
    Object.assign(this, { x, n, z, a });
    return a;
  }

  /** dz = dL/da * da/dz (the activation's backward), dW = xᵀ dz (+ the penalty's gradient),
   * db = sum of dz over the batch, dx = dz Wᵀ. With lossGivesDz, set by the model for the
   * output layer whose loss hands it dL/dz = (a - y) / N (lesson 6), grad is already dz. */
  backward(grad) {
    const dz = this.lossGivesDz ? grad : activationBackward(this.activation, grad, this.z, this.a, this.n, this.units);
    const { nIn, units, W, x, n } = this;
    const dW = new Float64Array(nIn * units), db = new Float64Array(units), dx = new Float64Array(n * nIn);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < units; k++) {
        const d = dz[i * units + k];
        db[k] += d;
        for (let j = 0; j < nIn; j++) {
          dW[j * units + k] += x[i * nIn + j] * d;
          dx[i * nIn + j] += d * W[j * units + k];
        }
      }
    }
    if (this.kernelRegularizer) this.kernelRegularizer.addGradient(W, dW);
    Object.assign(this, { dz, dW, db, dx });
    return dx;
  }

  regularizationLoss() {
    return this.kernelRegularizer ? this.kernelRegularizer.penalty(this.W) : 0;
  }
}

// ----- losses: mean over the batch; gradient = dL/dy_pred ---------------------------------

const EPSILON = 1e-7; // probabilities are clipped to [EPSILON, 1 - EPSILON] before a log
const clip = (p, low, high) => Math.min(Math.max(p, low), high);

/** Targets: one value per output for every loss except the categorical ones, which take
 * integer class labels, one per row (nnlib's sparse_categorical_crossentropy). */
export const losses = {
  mean_squared_error: {
    formula: "L = mean((y_pred - y)²)",
    loss(y, p) {
      let sum = 0;
      for (let i = 0; i < p.length; i++) sum += (p[i] - y[i]) * (p[i] - y[i]);
      return sum / p.length;
    },
    gradient: (y, p) => p.map((pi, i) => (2 / p.length) * (pi - y[i])),
  },
  binary_crossentropy: {
    formula: "L = -mean(y log p + (1 - y) log(1 - p))",
    fusesWith: "sigmoid",
    loss(y, p) {
      let sum = 0;
      for (let i = 0; i < p.length; i++) {
        const q = clip(p[i], EPSILON, 1 - EPSILON);
        sum += y[i] * Math.log(q) + (1 - y[i]) * Math.log(1 - q);
      }
      return -(sum / p.length);
    },
    gradient(y, p) {
      return p.map((pi, i) => {
        const q = clip(pi, EPSILON, 1 - EPSILON);
        return (q - y[i]) / (q * (1 - q)) / p.length;
      });
    },
    /** dL/dz for a = sigmoid(z): (a - y) / size. */
    gradientZ: (y, a) => a.map((ai, i) => (ai - y[i]) / a.length),
  },
  sparse_categorical_crossentropy: {
    formula: "L = -mean(log p[label])",
    fusesWith: "softmax",
    loss(labels, p) {
      const n = labels.length, k = p.length / n;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.log(clip(p[i * k + labels[i]], EPSILON, 1));
      return -sum / n;
    },
    gradient(labels, p) {
      const n = labels.length, k = p.length / n, grad = new Float64Array(p.length);
      for (let i = 0; i < n; i++) grad[i * k + labels[i]] = -1 / clip(p[i * k + labels[i]], EPSILON, 1) / n;
      return grad;
    },
    /** dL/dz for a = softmax(z): (a - one_hot(y)) / N. */
    gradientZ(labels, a) {
      const n = labels.length, k = a.length / n;
      return a.map((ai, index) => (ai - (index % k === labels[Math.floor(index / k)] ? 1 : 0)) / n);
    },
  },
  hinge: {
    formula: "L = mean(max(1 - y y_pred, 0)), y in {-1, 1}",
    loss(y, p) {
      let sum = 0;
      for (let i = 0; i < p.length; i++) sum += Math.max(1 - sign(y[i]) * p[i], 0);
      return sum / p.length;
    },
    gradient: (y, p) => p.map((pi, i) => (1 - sign(y[i]) * pi > 0 ? -sign(y[i]) : 0) / p.length),
  },
};

// Hinge reads label 0 as -1, as Keras does
const sign = (label) => (label === 0 ? -1 : label);

function lossNamed(name) {
  if (!(name in losses)) throw new Error(`unknown loss '${name}'; valid names: ${Object.keys(losses).sort().join(", ")}`);
  return losses[name];
}

// ----- optimizers -------------------------------------------------------------------------

function checkLearningRate(learningRate) {
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new Error(`learning_rate must be a positive finite number, got ${learningRate}`);
  }
}

/** velocity = momentum * velocity - lr * grad;  param += velocity  (momentum 0: param -= lr * grad). */
export class SGD {
  constructor({ learningRate = 0.01, momentum = 0 } = {}) {
    checkLearningRate(learningRate);
    if (!(momentum >= 0 && momentum < 1)) throw new Error(`momentum must be in [0, 1), got ${momentum}`);
    Object.assign(this, { learningRate, momentum, iterations: 0, state: new Map() });
  }

  step(pairs) {
    const lr = this.learningRate;
    this.iterations += 1;
    for (const [param, grad] of pairs) {
      if (this.momentum === 0) {
        for (let i = 0; i < param.length; i++) param[i] -= lr * grad[i];
        continue;
      }
      if (!this.state.has(param)) this.state.set(param, new Float64Array(param.length));
      const velocity = this.state.get(param);
      for (let i = 0; i < param.length; i++) {
        velocity[i] = velocity[i] * this.momentum - lr * grad[i];
        param[i] += velocity[i];
      }
    }
  }
}

/** Adam in Keras's form: m and v running averages of grad and grad², and
 * lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t);  param -= lr_t * m / (sqrt(v) + epsilon). */
export class Adam {
  constructor({ learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7 } = {}) {
    checkLearningRate(learningRate);
    Object.assign(this, { learningRate, beta1, beta2, epsilon, iterations: 0, state: new Map() });
  }

  step(pairs) {
    const lr = this.learningRate;
    this.iterations += 1;
    const t = this.iterations;
    const lrT = (lr * Math.sqrt(1 - this.beta2 ** t)) / (1 - this.beta1 ** t);
    for (const [param, grad] of pairs) {
      if (!this.state.has(param)) this.state.set(param, { m: new Float64Array(param.length), v: new Float64Array(param.length) });
      const { m, v } = this.state.get(param);
      for (let i = 0; i < param.length; i++) {
        m[i] = m[i] * this.beta1 + (1 - this.beta1) * grad[i];
        v[i] = v[i] * this.beta2 + (1 - this.beta2) * (grad[i] * grad[i]);
        param[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + this.epsilon);
      }
    }
  }
}

/** accumulator += grad²;  param -= lr * grad / sqrt(accumulator + epsilon); the accumulator starts at 0.1. */
export class AdaGrad {
  constructor({ learningRate = 0.001, initialAccumulatorValue = 0.1, epsilon = 1e-7 } = {}) {
    checkLearningRate(learningRate);
    Object.assign(this, { learningRate, initialAccumulatorValue, epsilon, iterations: 0, state: new Map() });
  }

  step(pairs) {
    const lr = this.learningRate;
    this.iterations += 1;
    for (const [param, grad] of pairs) {
      if (!this.state.has(param)) this.state.set(param, new Float64Array(param.length).fill(this.initialAccumulatorValue));
      const accumulator = this.state.get(param);
      for (let i = 0; i < param.length; i++) {
        accumulator[i] += grad[i] * grad[i];
        param[i] -= (lr * grad[i]) / Math.sqrt(accumulator[i] + this.epsilon);
      }
    }
  }
}

/** v = rho * v + (1 - rho) * grad²;  param -= lr * grad / (sqrt(v) + epsilon). */
export class RMSprop {
  constructor({ learningRate = 0.001, rho = 0.9, epsilon = 1e-7 } = {}) {
    checkLearningRate(learningRate);
    Object.assign(this, { learningRate, rho, epsilon, iterations: 0, state: new Map() });
  }

  step(pairs) {
    const lr = this.learningRate;
    this.iterations += 1;
    for (const [param, grad] of pairs) {
      if (!this.state.has(param)) this.state.set(param, new Float64Array(param.length));
      const v = this.state.get(param);
      for (let i = 0; i < param.length; i++) {
        v[i] = v[i] * this.rho + (1 - this.rho) * (grad[i] * grad[i]);
        param[i] -= (lr * grad[i]) / (Math.sqrt(v[i]) + this.epsilon);
      }
    }
  }
}

/** "sgd", "momentum" (SGD with momentum 0.9), "adagrad", "rmsprop" or "adam", with a learning rate. */
export function makeOptimizer(name, learningRate) {
  if (name === "sgd") return new SGD({ learningRate });
  if (name === "momentum") return new SGD({ learningRate, momentum: 0.9 });
  if (name === "adagrad") return new AdaGrad({ learningRate });
  if (name === "rmsprop") return new RMSprop({ learningRate });
  if (name === "adam") return new Adam({ learningRate });
  throw new Error(`unknown optimizer '${name}'; valid names: adagrad, adam, momentum, rmsprop, sgd`);
}

// ----- the model --------------------------------------------------------------------------

/** A stack of Dense layers with nnlib's Sequential training loop (fit, in steps). */
export class Sequential {
  /** `seed` seeds the generator that draws the initial weights and then the batch order. */
  constructor(layers, { seed = 0 } = {}) {
    this.layers = layers;
    this.seed = seed;
    this.rng = defaultRng(seed);
    const taken = new Set();
    for (const layer of layers) {
      // nnlib's names: dense, dense_1, dense_2, ...
      let name = layer.name || "dense", count = 0;
      while (taken.has(name)) name = `dense_${++count}`;
      layer.name = name;
      taken.add(name);
    }
  }

  build(nIn) {
    let width = nIn;
    for (const layer of this.layers) {
      layer.build(width, this.rng);
      width = layer.units;
    }
    this.nIn = nIn;
  }

  compile({ optimizer, loss }) {
    this.optimizer = optimizer;
    this.lossName = loss;
    this.loss = lossNamed(loss);
  }

  forward(x, n) {
    let a = x;
    for (const layer of this.layers) a = layer.forward(a, n);
    return a;
  }

  /** Every layer's output a for x, keeping nothing: the state of a training step stays as it was. */
  layerOutputs(x, n) {
    const outputs = [];
    for (const layer of this.layers) outputs.push(layer.compute(outputs.length ? outputs[outputs.length - 1] : x, n).a);
    return outputs;
  }

  predict(x, n) {
    return this.layerOutputs(x, n).pop();
  }

  /** Data loss plus every layer's weight penalty. */
  computeLoss(y, yPred) {
    let total = this.loss.loss(y, yPred);
    for (const layer of this.layers) total += layer.regularizationLoss();
    return total;
  }

  /** (parameter, gradient) pairs in nnlib's order: dense/W, dense/b, dense_1/W, ... */
  parameterGradientPairs() {
    return this.layers.flatMap((layer) => [[layer.W, layer.dW], [layer.b, layer.db]]);
  }

  namedWeights() {
    return this.layers.flatMap((layer) => [[`${layer.name}/W`, layer.W], [`${layer.name}/b`, layer.b]]);
  }

  /** One step of gradient descent on a batch, in the phases the step-through view shows:
   * each layer's forward, the loss, each layer's backward (the last first, with the fused
   * gradient dL/dz = (a - y) / N where the output activation matches the loss), the update.
   * Returns the batch's loss. */
  *trainStepPhases(x, y, n) {
    let yPred = x;
    for (const [i, layer] of this.layers.entries()) {
      yPred = layer.forward(yPred, n);
      yield { phase: "forward", layer: i };
    }
    const loss = this.computeLoss(y, yPred);
    yield { phase: "loss", loss };
    const last = this.layers.length - 1, output = this.layers[last];
    output.lossGivesDz = output.activation === this.loss.fusesWith;
    let grad = output.backward(output.lossGivesDz ? this.loss.gradientZ(y, yPred) : this.loss.gradient(y, yPred));
    output.lossGivesDz = false;  // for this step only, as in nnlib's backward_loss
    yield { phase: "backward", layer: last };
    for (let i = last - 1; i >= 0; i--) {
      grad = this.layers[i].backward(grad);
      yield { phase: "backward", layer: i };
    }
    this.optimizer.step(this.parameterGradientPairs());
    yield { phase: "update", loss };
    return loss;
  }

  /** One step of gradient descent on a batch: forward, loss, backward, step. Returns the loss. */
  trainStep(x, y, n) {
    const phases = this.trainStepPhases(x, y, n);
    let phase;
    do phase = phases.next(); while (!phase.done);
    return phase.value;
  }

  /** Loss (and accuracy for classification) over a whole data set. */
  evaluate(data) {
    const yPred = this.predict(data.X, data.n);
    const result = { loss: this.computeLoss(data.y, yPred) };
    if (data.classes) result.accuracy = this.accuracy(data.y, yPred, data.n);
    return result;
  }

  /** The predicted class of each row: argmax, or a threshold for one output (0 for hinge, else 0.5). */
  predictedClasses(yPred, n) {
    const k = yPred.length / n;
    const threshold = this.lossName === "hinge" ? 0 : 0.5;
    return Array.from({ length: n }, (_, i) => {
      if (k === 1) return yPred[i] > threshold ? 1 : 0;
      let best = 0;
      for (let c = 1; c < k; c++) if (yPred[i * k + c] > yPred[i * k + best]) best = c;
      return best;
    });
  }

  /** The fraction of rows whose predicted class is the label (one output: label > 0.5 is class 1). */
  accuracy(y, yPred, n) {
    const predicted = this.predictedClasses(yPred, n);
    const actual = (i) => (yPred.length === n ? (y[i] > 0.5 ? 1 : 0) : y[i]);
    return predicted.filter((c, i) => c === actual(i)).length / n;
  }
}

// ----- training in steps, as fit does it --------------------------------------------------

/** fit's loop cut into single steps: each epoch draws rng.permutation(n) and walks it in
 * batches (the last one may be smaller). A loss that is not finite stops training with
 * nnlib's message. */
export class Trainer {
  constructor(model, train, batchSize) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch_size must be a positive integer, got ${batchSize}`);
    Object.assign(this, { model, train, batchSize, epoch: 0, step: 0, order: null, diverged: null });
  }

  get stepsPerEpoch() {
    return Math.ceil(this.train.n / this.batchSize);
  }

  /** The next batch's rows, drawing a new order at the start of an epoch. */
  nextBatch() {
    const { train, batchSize } = this;
    if (this.order === null) this.order = this.model.rng.permutation(train.n);
    const rows = this.order.slice(this.step * batchSize, Math.min((this.step + 1) * batchSize, train.n));
    const nIn = train.X.length / train.n, k = train.y.length / train.n;
    const x = new Float64Array(rows.length * nIn), y = new Float64Array(rows.length * k);
    rows.forEach((row, i) => {
      x.set(train.X.subarray(row * nIn, (row + 1) * nIn), i * nIn);
      y.set(train.y.subarray(row * k, (row + 1) * k), i * k);
    });
    return { x, y, n: rows.length };
  }

  /** One batch in phases (see Sequential.trainStepPhases); `this.batch` is the batch. */
  *batchPhases() {
    this.batch = this.nextBatch();
    const loss = yield* this.model.trainStepPhases(this.batch.x, this.batch.y, this.batch.n);
    if (!Number.isFinite(loss)) {
      this.diverged = `training diverged at epoch ${this.epoch + 1}, step ${this.step + 1}: the loss became ${loss}; ` +
        `try a smaller learning rate (now ${this.model.optimizer.learningRate})`;
      return null;
    }
    this.step += 1;
    if (this.step === this.stepsPerEpoch) {
      this.step = 0;
      this.epoch += 1;
      this.order = null;
    }
    return loss;
  }

  /** One batch; returns its loss, or null once training has diverged. */
  trainBatch() {
    if (this.diverged) return null;
    const phases = this.batchPhases();
    let phase;
    do phase = phases.next(); while (!phase.done);
    return phase.value;
  }
}
