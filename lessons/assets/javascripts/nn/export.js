// Taking an Explorer run home: a Python script that redoes it with nnlib, the weights as JSON,
// the data as CSV. tests/test_explorer_export.py runs the script and compares its loss.

const pyFloat = (v) => (Number.isInteger(v) ? v.toFixed(1) : String(v)); // shortest repr, as Python's
const pyRows = (X, width) => {
  const rows = [];
  for (let i = 0; i < X.length / width; i++) rows.push(`[${Array.from(X.subarray(i * width, (i + 1) * width), pyFloat).join(", ")}]`);
  return `np.array([\n    ${rows.join(",\n    ")},\n])`;
};
const pyList = (values, format) => `np.array([${values.map(format).join(", ")}])`;

const OPTIMIZERS = {
  sgd: (lr) => `nnlib.SGD(learning_rate=${pyFloat(lr)})`,
  momentum: (lr) => `nnlib.SGD(learning_rate=${pyFloat(lr)}, momentum=0.9)`,
  adam: (lr) => `nnlib.Adam(learning_rate=${pyFloat(lr)})`,
};

/** A complete script: the data, the Sequential, compile, fit for the finished epochs, then
 * the batches of the unfinished one by hand, and the train and test loss it ends at.
 * `run` holds what the page trained: settings, train and test sets, the trainer. */
export function pythonScript(run) {
  const { settings, train, test, trainer } = run;
  const nIn = settings.features.length;
  const regularizer = settings.l1 || settings.l2 ? `, kernel_regularizer=L1L2(l1=${pyFloat(settings.l1)}, l2=${pyFloat(settings.l2)})` : "";
  const layers = settings.hidden.map((units, i) =>
    `    Dense(${units}, activation="${settings.activation}"${i === 0 ? `, input_shape=(${nIn},)` : ""}${regularizer}),`);
  layers.push(`    Dense(${run.outputs}, activation="${run.outputActivation}"${settings.hidden.length ? "" : `, input_shape=(${nIn},)`}${regularizer}),`);
  const labels = run.classes ? (v) => String(v) : pyFloat;
  const target = run.outputs === 1 ? "y_train[rows, None]" : "y_train[rows]";
  const metrics = run.classes ? ', metrics=["accuracy"]' : "";
  const lines = [
    `"""An Explorer run, redone with nnlib: ${settings.datasetLabel}, features ${settings.features.join(", ")},`,
    `a ${[nIn, ...settings.hidden, run.outputs].join("-")} network, ${trainer.epoch} epoch(s) and ${trainer.step} batch(es) of ${settings.batchSize}."""`,
    "",
    "import numpy as np",
    "",
    "import nnlib",
    "from nnlib import Dense, Sequential",
    ...(regularizer ? ["from nnlib.regularizers import L1L2"] : []),
    "",
    'nnlib.set_dtype("float64")  # the page computes in float64',
    "",
    `# The page's points (random seed ${settings.seed}), as feature columns: ${settings.features.join(", ")}`,
    `X_train = ${pyRows(train.X, nIn)}`,
    `y_train = ${pyList(Array.from(train.y), labels)}`,
    `X_test = ${test.n ? pyRows(test.X, nIn) : `np.zeros((0, ${nIn}))`}`,
    `y_test = ${pyList(Array.from(test.y), labels)}`,
    "",
    `model = Sequential([\n${layers.join("\n")}\n], seed=${settings.seed})`,
    `model.compile(optimizer=${OPTIMIZERS[settings.optimizer](settings.learningRate)}, loss="${settings.loss}"${metrics})`,
  ];
  if (trainer.epoch > 0) {
    lines.push(`model.fit(X_train, y_train, epochs=${trainer.epoch}, batch_size=${settings.batchSize}, verbose=0)`);
  }
  if (trainer.step > 0) {
    lines.push(
      `# The page stopped ${trainer.step} batch(es) into the next epoch: the same batches, by hand`,
      "order = model.rng.permutation(len(X_train))",
      `for start in range(0, ${trainer.step * settings.batchSize}, ${settings.batchSize}):`,
      `    rows = order[start:start + ${settings.batchSize}]`,
      `    model.train_step(X_train[rows], ${target})`,
    );
  }
  const evaluate = (X, y) => `model.evaluate(${X}, ${y}, batch_size=len(${X}))${run.classes ? "[0]" : ""}`;
  lines.push(`print("train loss", repr(${evaluate("X_train", "y_train")}))`);
  if (test.n) lines.push(`print("test loss", repr(${evaluate("X_test", "y_test")}))`);
  return lines.join("\n") + "\n";
}

/** {"dense/W": [[...], ...], "dense/b": [...], ...}: W as rows of inputs, as nnlib shapes it. */
export function weightsJson(model) {
  const out = {};
  for (const layer of model.layers) {
    out[`${layer.name}/W`] = Array.from({ length: layer.nIn }, (_, j) => Array.from(layer.W.subarray(j * layer.units, (j + 1) * layer.units)));
    out[`${layer.name}/b`] = Array.from(layer.b);
  }
  return JSON.stringify(out, null, 1);
}

/** x1,x2,label,split: one line per point. */
export function dataCsv(parts, dimensions) {
  const header = [...(dimensions === 1 ? ["x"] : ["x1", "x2"]), "label", "split"].join(",");
  const rows = [];
  for (const [name, part] of Object.entries(parts)) {
    part.points.forEach((p, i) => rows.push([...p, part.labels[i], name].join(",")));
  }
  return [header, ...rows].join("\n") + "\n";
}
