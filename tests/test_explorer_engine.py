"""The page's engine (lessons/assets/javascripts/nn/) against nnlib, in headless Chromium.

For each family of settings (every activation, loss and optimizer, AdaGrad and RMSprop too, which
the lesson widgets use; 0 and 2 hidden layers; L2
on and off, L1 once) nnlib in float64 and the page get the same data and the same seed, hence
the same initial weights and batch order; both run 200 steps of fit's loop. Every step's loss
and every final weight must agree to a relative 1e-9.
"""

import numpy as np
import pytest

import nnlib
from nnlib import Dense, Sequential
from nnlib.regularizers import L1L2

from explorer_page import in_page, module_page

pytestmark = pytest.mark.browser

STEPS, N, BATCH = 200, 50, 10  # 5 batches an epoch: 40 epochs, each with its own order
TOLERANCE = 1e-9
HIDDEN = "tanh"


def case(activation=HIDDEN, loss="binary_crossentropy", optimizer="adam", hidden=2, l1=0.0, l2=0.0,
         learning_rate=0.05, seed=3):
    output = {"binary_crossentropy": "sigmoid", "mean_squared_error": "linear", "hinge": "linear",
              "sparse_categorical_crossentropy": "softmax"}[loss]
    return dict(activation=activation, loss=loss, optimizer=optimizer, hidden=hidden, l1=l1, l2=l2,
                learning_rate=learning_rate, seed=seed, output=output)


CASES = {
    **{f"activation={a}": case(activation=a) for a in ("linear", "sigmoid", "tanh", "relu", "leaky_relu")},
    **{f"loss={loss}": case(loss=loss, activation="relu")
       for loss in ("binary_crossentropy", "mean_squared_error", "hinge", "sparse_categorical_crossentropy")},
    # RMSprop's steps are about lr per weight whatever the gradient: 0.1 flings the weights to 9 and
    # beyond, where rounding differences grow chaotically; 0.01 trains
    **{f"optimizer={o}": case(optimizer=o, learning_rate=0.01 if o == "rmsprop" else 0.1)
       for o in ("sgd", "momentum", "adagrad", "rmsprop", "adam")},
    **{f"hidden=0,optimizer={o}": case(hidden=0, optimizer=o, learning_rate=0.1) for o in ("sgd", "momentum", "adam")},
    "hidden=0,loss=mse": case(hidden=0, loss="mean_squared_error"),
    "hidden=0,loss=categorical": case(hidden=0, loss="sparse_categorical_crossentropy"),
    "l2,relu,adam": case(activation="relu", l2=0.01),
    "l2,hidden=0,sgd": case(hidden=0, l2=0.01, optimizer="sgd", learning_rate=0.1),
    "l2,momentum,sigmoid": case(activation="sigmoid", optimizer="momentum", l2=0.003),
    "l1+l2,leaky_relu": case(activation="leaky_relu", l1=0.001, l2=0.001),
}


def data(spec):
    """A small noisy XOR (three classes for the categorical loss: the quadrant's sign pattern)."""
    rng = np.random.default_rng(7)
    X = rng.uniform(-1, 1, size=(N, 2))
    if spec["loss"] == "sparse_categorical_crossentropy":
        y = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)
    else:
        y = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(float)
    return X, y


def run_nnlib(spec):
    """fit for STEPS steps in float64, recording each step's loss."""
    X, y = data(spec)
    with nnlib.backend.using("numpy", dtype="float64"):
        regularizer = L1L2(l1=spec["l1"], l2=spec["l2"]) if spec["l1"] or spec["l2"] else None
        layers = [Dense(8, activation=spec["activation"], kernel_regularizer=regularizer) for _ in range(spec["hidden"])]
        layers.append(Dense(3 if spec["output"] == "softmax" else 1, activation=spec["output"],
                            kernel_regularizer=regularizer))
        layers[0].input_shape = (2,)
        model = Sequential(layers, seed=spec["seed"])
        optimizer = {"sgd": nnlib.SGD(spec["learning_rate"]),
                     "momentum": nnlib.SGD(spec["learning_rate"], momentum=0.9),
                     "adagrad": nnlib.AdaGrad(spec["learning_rate"]), "rmsprop": nnlib.RMSprop(spec["learning_rate"]),
                     "adam": nnlib.Adam(spec["learning_rate"])}[spec["optimizer"]]
        model.compile(optimizer=optimizer, loss=spec["loss"])
        losses, train_step = [], model.train_step

        def recorded_step(x, y):
            loss, y_pred = train_step(x, y)
            losses.append(float(loss))
            return loss, y_pred

        model.train_step = recorded_step
        model.fit(X, y, epochs=STEPS * BATCH // N, batch_size=BATCH, verbose=0)
        weights = {name: nnlib.to_numpy(w).ravel().tolist() for name, w in model.named_weights()}
    return {"losses": losses, "weights": weights}


RUN_PAGE = """
const { Dense, Sequential, Regularizer, Trainer, makeOptimizer } = await import('./engine.js');
const results = {};
for (const [key, spec] of Object.entries(arg.cases)) {
  const { X, y } = arg.data[key];
  const regularizer = spec.l1 || spec.l2 ? new Regularizer(spec.l1, spec.l2) : null;
  const layers = [];
  for (let i = 0; i < spec.hidden; i++) layers.push(new Dense(8, { activation: spec.activation, kernelRegularizer: regularizer }));
  layers.push(new Dense(spec.output === 'softmax' ? 3 : 1, { activation: spec.output, kernelRegularizer: regularizer }));
  const model = new Sequential(layers, { seed: spec.seed });
  model.build(2);
  model.compile({ optimizer: makeOptimizer(spec.optimizer, spec.learning_rate), loss: spec.loss });
  const trainer = new Trainer(model, { X: Float64Array.from(X.flat()), y: Float64Array.from(y), n: y.length }, arg.batch);
  const losses = [];
  for (let step = 0; step < arg.steps; step++) losses.push(trainer.trainBatch());
  results[key] = { losses, weights: Object.fromEntries(model.namedWeights().map(([name, w]) => [name, Array.from(w)])) };
}
return results;
"""


@pytest.fixture(scope="module")
def page_results():
    payload = {"cases": CASES, "steps": STEPS, "batch": BATCH,
               "data": {key: dict(zip(("X", "y"), (a.tolist() for a in data(spec)))) for key, spec in CASES.items()}}
    with module_page() as page:
        return in_page(page, RUN_PAGE, payload)


def relative_error(page, reference):
    page, reference = np.asarray(page, dtype=float), np.asarray(reference, dtype=float)
    return float(np.max(np.abs(page - reference) / np.maximum(np.abs(reference), 1e-12)))


@pytest.mark.parametrize("key", CASES)
def test_page_trains_like_nnlib(key, page_results):
    reference, page = run_nnlib(CASES[key]), page_results[key]
    assert len(page["losses"]) == STEPS and None not in page["losses"]
    assert relative_error(page["losses"], reference["losses"]) < TOLERANCE
    assert page["weights"].keys() == reference["weights"].keys()
    for name, values in reference["weights"].items():
        assert relative_error(page["weights"][name], values) < TOLERANCE, name
    # the run must have moved: a loss that stayed put would agree for any formula
    assert abs(reference["losses"][-1] - reference["losses"][0]) > 1e-3


def test_same_seed_same_draws_as_numpy():
    """random.js is NumPy's default_rng: raw 64-bit outputs, random(), uniform, permutation."""
    script = """
    const { defaultRng, PCG64 } = await import('./random.js');
    const out = {};
    for (const seed of arg) {
      const bits = new PCG64(seed), rng = defaultRng(seed);
      out[seed] = { raw: [0, 1, 2].map(() => bits.next64().toString()), random: [rng.random(), rng.random()],
                    uniform: Array.from(rng.uniform(-2, 3, 3)), permutation: rng.permutation(37),
                    after: rng.random() };
    }
    return out;"""
    seeds = [0, 1, 42, 2**32 + 5]
    with module_page() as page:
        drawn = in_page(page, script, seeds)
    for seed in seeds:
        rng = np.random.default_rng(seed)
        assert drawn[str(seed)]["raw"] == [str(v) for v in rng.bit_generator.random_raw(3)]
        rng = np.random.default_rng(seed)
        assert drawn[str(seed)]["random"] == rng.random(2).tolist()
        assert drawn[str(seed)]["uniform"] == rng.uniform(-2, 3, 3).tolist()
        assert drawn[str(seed)]["permutation"] == rng.permutation(37).tolist()
        assert drawn[str(seed)]["after"] == rng.random()
