"""Claims of lessons/01-what-is-a-neural-network.md: one neuron cannot learn XOR, a hidden layer can;
the perceptron rule settles on data one line separates and never on XOR."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential, perceptron
from nnlib.data import xor_truth_table


@measurement
def xor_runs(seed):
    """Accuracy and loss of the lesson's two XOR models after 500 epochs from one initialization."""
    X, y = xor_truth_table()
    single = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))], seed=seed)
    single.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    single.fit(X, y, epochs=500, batch_size=4, verbose=0)
    two = Sequential([Dense(4, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=seed)
    two.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy", metrics=["accuracy"])
    two.fit(X, y, epochs=500, batch_size=4, verbose=0)
    (single_loss, single_accuracy), (_, two_accuracy) = single.evaluate(X, y), two.evaluate(X, y)
    return {"single_loss": float(single_loss), "single_accuracy": float(single_accuracy),
            "two_accuracy": float(two_accuracy)}


def test_a_single_neuron_stays_near_ln2_and_never_solves_xor(report):
    runs = [xor_runs(seed) for seed in SEEDS]
    report("single neuron: accuracy", spread([r["single_accuracy"] for r in runs]))
    report("single neuron: loss minus ln 2", spread([r["single_loss"] - np.log(2) for r in runs]))
    assert all(r["single_accuracy"] <= 0.75 for r in runs)
    above = spread([r["single_loss"] - np.log(2) for r in runs])
    assert (f"{above.low:.3f}", f"{above.high:.2f}") == ("0.002", "0.03"), "page: between 0.002 and 0.03 above ln 2"


def test_one_hidden_layer_of_four_solves_xor_every_time(report):
    accuracies = [xor_runs(seed)["two_accuracy"] for seed in SEEDS]
    report("one hidden layer of 4 tanh units: accuracy", spread(accuracies))
    assert all(accuracy == 1.0 for accuracy in accuracies)


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
