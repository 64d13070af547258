"""Claims of lesson 10's section on sanity checks before training."""

import numpy as np

from measured import SEEDS, measurement, spread
from nnlib import Adam, Dense, Sequential, data


def digit_net(seed, learning_rate=0.01):
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")], seed=seed)
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


@measurement
def sanity_checks():
    X, _, y, _ = data.load_digits(test=0.25, rng=0)
    runs = []
    for seed in SEEDS:
        fresh, loud = digit_net(seed), digit_net(seed)
        loud.build((64,))
        loud.set_weights([10 * w for w in loud.get_weights()])
        first, loud_first = fresh.evaluate(X, y)[0], loud.evaluate(X, y)[0]
        h = fresh.fit(X[:20], y[:20], epochs=100, batch_size=20, shuffle=False, verbose=0).history
        runs.append({"first": first, "loud_first": loud_first, "tiny_loss": h["loss"][-1],
                     "tiny_accuracy": h["accuracy"][-1]})
    return runs


def test_the_first_loss_is_near_ln_c(report):
    runs = sanity_checks()
    firsts = [r["first"] for r in runs]
    report("digits, loss before training (ln 10 = 2.303)", spread(firsts))
    assert all(abs(f - np.log(10)) < 0.3 for f in firsts)


def test_tenfold_weights_start_far_above_ln_c(report):
    runs = sanity_checks()
    report("digits, loss before training with weights x10", spread([r["loud_first"] for r in runs]))
    assert all(r["loud_first"] > 13 for r in runs)


def test_the_network_memorizes_20_examples(report):
    runs = sanity_checks()
    report("loss after 100 steps on 20 examples", spread([r["tiny_loss"] for r in runs]))
    assert all(r["tiny_loss"] < 0.004 and r["tiny_accuracy"] == 1.0 for r in runs)
