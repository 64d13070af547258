"""Figures for the evaluation section of lesson 13: a detector's ROC curve."""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import Adam, Dense, Sequential, data, metrics

THRESHOLDS = (0.1, 0.5, 0.9)


@lru_cache(maxsize=1)
def nine_detector_scores():
    """Validation labels (1 = a nine) and the scores of a one-neuron nine detector, as in lesson 13."""
    X, y = data.load_digits()
    X_train, X_val, _, y_train, y_val, _ = data.train_val_test_split(X, y, val=0.15, test=0.2, rng=0, stratify=True)
    detector = Sequential([Dense(1, activation="sigmoid", input_shape=(64,))], seed=0)
    detector.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy")
    detector.fit(X_train, (y_train == 9).astype(int), epochs=30, batch_size=32, verbose=0)
    return (y_val == 9).astype(int), detector.predict(X_val)[:, 0]


@figure(
    alt="A ROC curve: the true-positive rate (recall) of the nine detector on the vertical axis "
        "against its false-positive rate on the horizontal axis, both from 0 to 1. The curve rises "
        "almost straight up to a recall above 0.8 at a false-positive rate near 0, then bends and "
        "runs along the top; the area under it is about 0.98. Three marked points show the "
        "thresholds 0.9 (low recall, no false positives), 0.5 and 0.1 (recall near 1, more false "
        "positives). A dashed diagonal marks a classifier that guesses.",
    caption="ROC curve of the one-neuron nine detector on the validation set, computed with "
            "nnlib.metrics. Each threshold is one point; lowering it moves up and to the right.",
)
def roc_curve(theme):
    import matplotlib.pyplot as plt

    truth, scores = nine_detector_scores()
    fpr, tpr, _ = metrics.roc_curve(truth, scores)
    fig, ax = plt.subplots(figsize=(4.8, 4.4))
    ax.plot([0, 1], [0, 1], ls="--", color=theme.muted, label="guessing (AUC 0.5)")
    ax.plot(fpr, tpr, color=theme.colors[0], lw=2, label=f"detector (AUC {metrics.auc(fpr, tpr):.3f})")
    for threshold, colour in zip(THRESHOLDS, theme.colors[1:]):
        called = (scores >= threshold).astype(int)
        counts = metrics.confusion_counts(truth, called)
        point = (counts["FP"] / (counts["FP"] + counts["TN"]), metrics.recall(truth, called))
        ax.plot(*point, "o", color=colour, ms=8, label=f"threshold {threshold}")
    ax.set_xlabel("false-positive rate FP / (FP + TN)")
    ax.set_ylabel("true-positive rate (recall)")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="lower right", fontsize=9)
    return fig
