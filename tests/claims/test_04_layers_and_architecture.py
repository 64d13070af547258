"""Claims of lessons/04-layers-and-architecture.md: the wiggly-curve comparison of depth and width."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential, optimizers


def wiggly_curve():
    rng = np.random.default_rng(0)
    x = np.sort(rng.uniform(-3, 3, 200))[:, None].astype(np.float32)
    return x, (np.sin(2 * x) + 0.5 * np.sin(5 * x)).astype(np.float32)


def regressor(hidden, seed):
    layers = [Dense(hidden[0], activation="relu", input_shape=(1,))]
    layers += [Dense(width, activation="relu") for width in hidden[1:]]
    net = Sequential(layers + [Dense(1)], seed=seed)
    net.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss="mse")
    return net


@measurement
def wide_and_deep(seed):
    """The lesson's two runs (2,000 full-batch Adam steps) from one random initialization."""
    x, target = wiggly_curve()
    result = {}
    for name, hidden in (("wide", (64,)), ("deep", (8, 8, 8))):
        net = regressor(hidden, seed)
        net.fit(x, target, epochs=2000, batch_size=200, verbose=0)
        result[name] = float(net.evaluate(x, target))
        if name == "wide":
            first = net.layers[0]
            bends = -np.asarray(first.b) / np.asarray(first.W[0])
            result["bends_near_zero"] = float(np.mean(np.abs(bends) < 0.5))
    return result


@measurement
def spread_bends_mse(units):
    """One hidden layer with bends spread evenly on [-3, 3], output weights by least squares."""
    x, target = wiggly_curve()
    net = regressor((units,), 0)
    hidden = net.layers[0]
    hidden.W = np.ones((1, units), dtype=np.float32)
    hidden.b = -np.linspace(-3, 3, units, endpoint=False).astype(np.float32)
    H = np.hstack([hidden.forward(x), np.ones_like(x)])
    solution = np.linalg.lstsq(H, target, rcond=None)[0]
    net.layers[1].W, net.layers[1].b = solution[:-1], solution[-1]
    return {"mse": float(net.evaluate(x, target)), "params": net.count_params()}


def runs():
    return [wide_and_deep(seed) for seed in SEEDS]


def test_deep_narrow_net_ends_lower_in_four_of_five_runs(report):
    results = runs()
    report("wide (64,) MSE", spread([r["wide"] for r in results]))
    report("deep (8, 8, 8) MSE", spread([r["deep"] for r in results]))
    wins = sum(r["deep"] < r["wide"] for r in results)
    report("runs where the deep net ends lower", f"{wins} of {len(results)}")
    assert wins == 4, f"the page says four of five runs; measured {wins} of {len(results)}"


def test_most_bends_of_the_trained_wide_net_stay_near_zero(report):
    shares = [r["bends_near_zero"] for r in runs()]
    report("share of the wide net's bends within 0.5 of x = 0 after training", spread(shares))
    assert min(shares) > 0.5, "training moved most bends away from x = 0 in some run"


def test_one_layer_with_spread_bends_beats_every_trained_run(report):
    spread_fit = spread_bends_mse(32)
    trained = [min(r["wide"], r["deep"]) for r in runs()]
    report("one layer of 32, bends spread, least squares: MSE", f"{spread_fit['mse']:.2e}")
    report("best trained MSE per run", spread(trained))
    assert spread_fit["params"] < 169, "the spread-bends network should have fewer parameters than the deep one"
    assert spread_fit["mse"] < min(trained)
