"""Claims of lessons/09-optimizers.md: the digits race of optimizers, AdaGrad's default, what a
cosine schedule does at a high learning rate, and warmup (a 64-64-64-10 ReLU network on the
digits, Adam for 5 epochs, with and without 100 steps of linear warmup, at learning rates 0.1
and 0.03)."""

import warnings

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, AdaGrad, Adam, Dense, RMSprop, Sequential, data
from nnlib.optimizers import CosineDecay, LinearWarmup


OPTIMIZERS = {
    "SGD": lambda: SGD(0.01), "momentum": lambda: SGD(0.01, momentum=0.9), "AdaGrad": lambda: AdaGrad(0.01),
    "AdaGrad 0.001": lambda: AdaGrad(0.001), "RMSprop": lambda: RMSprop(0.001), "Adam": lambda: Adam(0.001),
}


@measurement
def digits_race(seed):
    """Training loss and test accuracy after 15 epochs on the 8x8 digits, per optimizer."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    result = {}
    for name, make in OPTIMIZERS.items():
        model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")],
                           seed=seed)
        model.compile(optimizer=make(), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X_train, y_train, epochs=15, batch_size=32, verbose=0)
        result[name] = {"loss": float(model.evaluate(X_train, y_train)[0]),
                        "accuracy": float(model.evaluate(X_test, y_test)[1])}
    return result


@measurement
def spirals_schedules(seed):
    """Final loss and jitter of Adam at 0.05 on the spirals, constant against cosine decay."""
    X, y = data.make_spirals(300, n_classes=3, noise=0.2, rng=0)
    result = {}
    for name, rate in (("constant", 0.05), ("cosine", CosineDecay(0.05, decay_steps=600))):
        model = Sequential([Dense(64, activation="relu", input_shape=(2,)), Dense(64, activation="relu"),
                            Dense(3, activation="softmax")], seed=seed)
        model.compile(optimizer=Adam(learning_rate=rate), loss="sparse_categorical_crossentropy")
        losses = np.array(model.fit(X, y, epochs=60, batch_size=32, verbose=0).history["loss"])
        result[name] = {"final": float(losses[-1]), "jitter": float(np.std(np.diff(losses[-10:])))}
    return result


def test_momentum_and_adaptive_methods_leave_sgd_far_behind(report):
    runs = [digits_race(seed) for seed in SEEDS]
    for name in OPTIMIZERS:
        report(f"{name}: test accuracy after 15 epochs", spread([r[name]["accuracy"] for r in runs]))
    margins = [min(r[name]["accuracy"] for name in ("momentum", "AdaGrad", "RMSprop", "Adam")) - r["SGD"]["accuracy"]
               for r in runs]
    report("smallest lead over SGD", spread(margins))
    assert all(margin >= 0.07 for margin in margins), "page: every other optimizer beats SGD by at least 7 points"
    for name, text in (("SGD", "82.2% ± 2.4%"), ("AdaGrad", "90.8% ± 1.0%")):
        s = spread([r[name]["accuracy"] for r in runs])
        assert f"{s.mean:.1%} ± {s.std:.1%}" == text, f"page (doctest): {name} {text}"


def test_adagrad_at_its_default_rate_hardly_moves(report):
    runs = [digits_race(seed) for seed in SEEDS]
    report("AdaGrad 0.001: training loss after 15 epochs", spread([r["AdaGrad 0.001"]["loss"] for r in runs]))
    report("AdaGrad 0.01: training loss after 15 epochs", spread([r["AdaGrad"]["loss"] for r in runs]))
    assert all(r["AdaGrad 0.001"]["loss"] > 1.5 for r in runs), "page: hardly moves from ln 10 = 2.3"


def test_cosine_decay_ends_lower_and_steadier_in_every_run(report):
    runs = [spirals_schedules(seed) for seed in SEEDS]
    for name in ("constant", "cosine"):
        report(f"{name}: final loss", spread([r[name]["final"] for r in runs]))
        report(f"{name}: jitter over the last 10 epochs", spread([r[name]["jitter"] for r in runs]))
    assert all(r["cosine"]["final"] < r["constant"]["final"] for r in runs)
    assert all(r["cosine"]["jitter"] < r["constant"]["jitter"] for r in runs)


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
