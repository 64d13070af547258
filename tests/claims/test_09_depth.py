"""Claims of lesson 9's section on warmup: a 64-64-64-10 ReLU network on the digits, Adam for 5
epochs, with and without 100 steps of linear warmup, at learning rates 0.1 and 0.03."""

import warnings

from measured import SEEDS, measurement, spread
from nnlib import Adam, Dense, Sequential, data
from nnlib.optimizers import LinearWarmup


@measurement
def warmup_runs(learning_rate):
    X_train, X_val, y_train, y_val = data.load_digits(test=0.25, rng=0)
    runs = []
    for seed in SEEDS:
        run = {}
        for name, rate in (("constant", learning_rate), ("warmup", LinearWarmup(learning_rate, 100))):
            model = Sequential([Dense(64, activation="relu", input_shape=(64,)), Dense(64, activation="relu"),
                                Dense(10, activation="softmax")], seed=seed)
            model.compile(optimizer=Adam(rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a run that blows up warns; it is counted, not hidden
                h = model.fit(X_train, y_train, epochs=5, batch_size=32, verbose=0,
                              validation_data=(X_val, y_val)).history
            run[name] = {"first": h["loss"][0], "last": h["loss"][-1], "val_accuracy": h["val_accuracy"][-1]}
        runs.append(run)
    return runs


def test_at_a_high_rate_warmup_lowers_the_first_epochs_loss(report):
    runs = warmup_runs(0.1)
    report("lr 0.1, first-epoch loss, constant", spread([r["constant"]["first"] for r in runs]))
    report("lr 0.1, first-epoch loss, warmup", spread([r["warmup"]["first"] for r in runs]))
    assert all(r["warmup"]["first"] < r["constant"]["first"] for r in runs)


def test_at_a_high_rate_neither_wins_after_5_epochs(report):
    runs = warmup_runs(0.1)
    gains = [r["constant"]["last"] - r["warmup"]["last"] for r in runs]
    report("lr 0.1, loss after 5 epochs, constant minus warmup", spread(gains))
    assert any(g > 0 for g in gains) and any(g < 0 for g in gains)
    for name in ("constant", "warmup"):  # "each lost one run to a collapse to near-chance accuracy"
        assert sum(r[name]["val_accuracy"] < 0.2 for r in runs) == 1


def test_at_a_stable_rate_warmup_only_slows_the_start(report):
    runs = warmup_runs(0.03)
    report("lr 0.03, first-epoch loss, warmup minus constant",
           spread([r["warmup"]["first"] - r["constant"]["first"] for r in runs]))
    assert all(r["warmup"]["first"] > r["constant"]["first"] for r in runs)
