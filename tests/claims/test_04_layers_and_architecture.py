"""Claims of lessons/04-layers-and-architecture.md: the wiggly-curve comparison of depth and width.

The networks, the curve and the spread-bends fit are the figure's own (``lessons/figures/layers.py``);
each measurement takes the figure module's hash as an argument, so a changed figure measures again.
"""

import hashlib
import importlib.util

import numpy as np
from measured import SEEDS, measurement, spread
from sitebuild.figures import FIGURES_DIR

FIGURE = FIGURES_DIR / "layers.py"
FIGURE_HASH = hashlib.sha256(FIGURE.read_bytes()).hexdigest()[:12]


def figure_module():
    spec = importlib.util.spec_from_file_location("lesson_figures.layers", FIGURE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@measurement
def wide_and_deep(seed, figure_hash):
    """The lesson's two runs (2,000 full-batch Adam steps) from one random initialization."""
    layers = figure_module()
    x, target = layers.wiggly_target()
    result = {}
    for name, hidden in (("wide", (64,)), ("deep", (8, 8, 8))):
        net = layers.regressor(hidden, seed=seed)
        net.fit(x, target, epochs=2000, batch_size=200, verbose=0)
        result[name] = float(net.evaluate(x, target))
        if name == "wide":
            result["bends_near_zero"] = float(np.mean(np.abs(layers.bends(net)) < 0.5))
    return result


@measurement
def spread_bends_fit(units, figure_hash):
    """One hidden layer with bends spread evenly on [-3, 3], output weights by least squares."""
    layers = figure_module()
    x, target = layers.wiggly_target()
    net = layers.spread_bends(units, x, target)
    return {"mse": float(net.evaluate(x, target)), "params": net.count_params()}


def runs():
    return [wide_and_deep(seed, FIGURE_HASH) for seed in SEEDS]


def test_deep_narrow_net_ends_lower_in_four_of_five_runs(report):
    results = runs()
    report("wide (64,) MSE", spread([r["wide"] for r in results]))
    report("deep (8, 8, 8) MSE", spread([r["deep"] for r in results]))
    wins = sum(r["deep"] < r["wide"] for r in results)
    report("runs where the deep net ends lower", f"{wins} of {len(results)}")
    assert wins == 4, f"the page says four of five runs; measured {wins} of {len(results)}"
    fifth = next(r for r in results if r["deep"] > r["wide"])
    assert (f"{fifth['wide']:.3f}", f"{fifth['deep']:.3f}") == ("0.009", "0.113"), "the page's numbers"


def test_most_bends_of_the_trained_wide_net_stay_near_zero(report):
    shares = [r["bends_near_zero"] for r in runs()]
    report("share of the wide net's bends within 0.5 of x = 0 after training", spread(shares))
    assert min(shares) > 0.5, "training moved most bends away from x = 0 in some run"


def test_one_layer_with_spread_bends_beats_every_trained_run(report):
    spread_fit = spread_bends_fit(32, FIGURE_HASH)
    trained = [min(r["wide"], r["deep"]) for r in runs()]
    report("one layer of 32, bends spread, least squares: MSE", f"{spread_fit['mse']:.2e}")
    report("best trained MSE per run", spread(trained))
    assert spread_fit["params"] < 169, "the spread-bends network should have fewer parameters than the deep one"
    assert spread_fit["mse"] < min(trained)
