"""Claims of lesson 13's section on precision, recall and ROC (the one-neuron nine detector)."""

import numpy as np

from measured import SEEDS, measurement, spread
from nnlib import Adam, Dense, Sequential, data, metrics


@measurement
def nine_detectors():
    X, y = data.load_digits()
    X_train, X_val, _, y_train, y_val, _ = data.train_val_test_split(X, y, val=0.15, test=0.2, rng=0, stratify=True)
    truth = (y_val == 9).astype(int)
    runs = []
    for seed in SEEDS:
        detector = Sequential([Dense(1, activation="sigmoid", input_shape=(64,))], seed=seed)
        detector.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy")
        detector.fit(X_train, (y_train == 9).astype(int), epochs=30, batch_size=32, verbose=0)
        scores = detector.predict(X_val)[:, 0]
        run = {"auc": metrics.roc_auc(truth, scores)}
        for t in (0.1, 0.5, 0.9):
            called = (scores >= t).astype(int)
            run[str(t)] = {"precision": metrics.precision(truth, called), "recall": metrics.recall(truth, called)}
        runs.append(run)
    return runs


def test_a_lower_threshold_trades_precision_for_recall(report):
    runs = nine_detectors()
    report("recall at thresholds 0.1 / 0.5 / 0.9",
           " / ".join(str(spread([r[t]["recall"] for r in runs])) for t in ("0.1", "0.5", "0.9")))
    report("precision at thresholds 0.1 / 0.5 / 0.9",
           " / ".join(str(spread([r[t]["precision"] for r in runs])) for t in ("0.1", "0.5", "0.9")))
    for r in runs:
        assert r["0.1"]["recall"] > r["0.5"]["recall"] > r["0.9"]["recall"]
        assert r["0.1"]["precision"] < r["0.5"]["precision"] < r["0.9"]["precision"]


def test_the_auc_stays_between_098_and_099(report):
    aucs = [r["auc"] for r in nine_detectors()]
    report("AUC of the nine detector", spread(aucs))
    assert all(0.98 <= a <= 0.99 for a in aucs)
