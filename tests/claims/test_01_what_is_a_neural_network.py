"""Claims of lessons/01-what-is-a-neural-network.md: one neuron cannot learn XOR, a hidden layer can."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential
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
