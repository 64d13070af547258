"""Claims of lesson 18's transfer-learning section: a network trained on the digits 0-4 lends its
hidden layers to the task 5-9 with 1, 5 or 20 labels per digit, against training from scratch. As
on the page: one old network, then five draws of the few labels (and of the new layers' initial
weights) for each way of learning."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential, data

PER_CLASS = (1, 5, 20)


def digits_0_to_4_network():
    X, y = data.load_digits()
    base = Sequential([Dense(128, activation="relu", input_shape=(64,)),
                       Dense(64, activation="relu"), Dense(5, activation="softmax")], seed=0)
    base.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    base.fit(X[y < 5], y[y < 5], epochs=30, batch_size=32, verbose=0)
    return base


def new_task_accuracy(features, per_class, seed):
    """Test accuracy on 5-9 after training on ``per_class`` labels per digit: a softmax head on the
    frozen ``features``, or (``features`` None) the whole network from scratch."""
    X, y = data.load_digits()
    X_pool, X_test, y_pool, y_test = data.train_test_split(X[y >= 5], y[y >= 5] - 5, test=0.5, rng=0,
                                                           stratify=True)
    pick = np.random.default_rng(seed)
    idx = np.concatenate([pick.choice(np.flatnonzero(y_pool == c), per_class, replace=False) for c in range(5)])
    if features is None:
        model = Sequential([Dense(128, activation="relu", input_shape=(64,)),
                            Dense(64, activation="relu"), Dense(5, activation="softmax")], seed=seed)
        train, test, learning_rate = X_pool[idx], X_test, 0.001
    else:
        train, test, learning_rate = features.predict(X_pool[idx]), features.predict(X_test), 0.01
        model = Sequential([Dense(5, activation="softmax", input_shape=(train.shape[1],))], seed=seed)
    model.compile(optimizer=Adam(learning_rate), loss="sparse_categorical_crossentropy")
    model.fit(train, y_pool[idx], epochs=100, batch_size=64, verbose=0)
    return float(np.mean(model.predict(test).argmax(axis=1) == y_test))


@measurement
def transfer():
    """Per label count and way of learning: the five runs' test accuracies."""
    base = digits_0_to_4_network()
    ways = {"layer 1": Sequential(base.layers[:1]), "layers 1-2": Sequential(base.layers[:2]), "scratch": None}
    return {f"{name}, {per_class}": [new_task_accuracy(features, per_class, seed) for seed in SEEDS]
            for per_class in PER_CLASS for name, features in ways.items()}


def test_transfer_does_not_beat_training_from_scratch(report):
    """'On these digits, transfer does not beat training from scratch': at 1, 5 and 20 labels per
    digit the reused first layer is not ahead of training from scratch by more than a point on
    average over 5 runs (the page's table prints these means; at 1 label they are level)."""
    runs = transfer()
    for per_class in PER_CLASS:
        for name in ("layer 1", "scratch"):
            report(f"{per_class} labels per digit, {name}: test accuracy", spread(runs[f"{name}, {per_class}"]))
        assert np.mean(runs[f"layer 1, {per_class}"]) < np.mean(runs[f"scratch, {per_class}"]) + 0.01


def test_reusing_two_layers_is_clearly_worse_than_one(report):
    """'reusing *two* layers is clearly worse than reusing one': lower in every run, at every label
    count."""
    runs = transfer()
    for per_class in PER_CLASS:
        report(f"{per_class} labels per digit, layers 1-2: test accuracy", spread(runs[f"layers 1-2, {per_class}"]))
        assert all(two < one for one, two in zip(runs[f"layer 1, {per_class}"], runs[f"layers 1-2, {per_class}"]))
