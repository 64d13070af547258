"""Claims of lesson 1's section on the perceptron learning rule."""

import numpy as np

from measured import SEEDS, measurement, spread
from nnlib import perceptron

XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])


def separable_set(seed, n=40):
    """``n`` random points labelled by a random line, none of them closer to it than 0.1."""
    rng = np.random.default_rng(seed)
    normal, offset = rng.normal(size=2), rng.normal() * 0.5
    normal /= np.linalg.norm(normal)
    X = rng.uniform(-2, 2, size=(4 * n, 2))
    margin = X @ normal + offset
    keep = np.abs(margin) > 0.1
    return X[keep][:n], (margin[keep][:n] > 0).astype(int)


@measurement
def passes_to_converge():
    """Mistakes of the last of 200 passes, and the first pass without mistakes, per seed."""
    runs = []
    for seed in SEEDS:
        X, y = separable_set(seed)
        _, _, mistakes = perceptron.train_perceptron(X, y, epochs=200)
        runs.append({"last": mistakes[-1], "first_clean": mistakes.index(0) if 0 in mistakes else None})
    return runs


@measurement
def xor_mistakes():
    """The fewest mistakes in any of 1000 passes over XOR, visited in a random order per seed."""
    fewest = []
    for seed in SEEDS:
        order = np.random.default_rng(seed).permutation(4)
        _, _, mistakes = perceptron.train_perceptron(XOR_X[order], XOR_Y[order], epochs=1000)
        fewest.append(min(mistakes))
    return fewest


def test_the_rule_stops_making_mistakes_on_separable_sets(report):
    runs = passes_to_converge()
    report("first pass without mistakes, random separable sets", spread([r["first_clean"] for r in runs]))
    assert all(r["last"] == 0 and r["first_clean"] is not None for r in runs)


def test_the_rule_never_settles_on_xor(report):
    fewest = xor_mistakes()
    report("fewest mistakes in a pass over XOR, 1000 passes", spread(fewest))
    assert min(fewest) >= 1
