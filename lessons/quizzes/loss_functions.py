"""Lesson 6, Loss functions: check your understanding."""

import numpy as np

from _compute import loss_value
from nnlib import backend, losses
from sitebuild.quiz import Choice, Number

smoothing = losses.CategoricalCrossentropy(label_smoothing=0.1)
smoothed_target = float(backend.to_numpy(
    smoothing.one_hot(backend.asarray(np.array([0])), backend.asarray(np.full((1, 5), 0.2))))[0, 0])

QUESTIONS = [
    Number(
        "The true label is 1 and a sigmoid output says 0.8. What is the binary cross-entropy "
        "(natural log)? Give three decimals.",
        answer=loss_value("binary_crossentropy", [[1.0]], [[0.8]]), tolerance=0.0015,
        why="−ln(0.8): only the term of the true class counts.",
    ),
    Number(
        "Predictions (1, 2) against targets (0, 4): what is the mean squared error?",
        answer=loss_value("mean_squared_error", [0.0, 4.0], [1.0, 2.0]), tolerance=0.005,
        why="((1 − 0)² + (2 − 4)²) / 2 = 5 / 2.",
    ),
    Number(
        "A 4-class classifier gives every class probability 0.25. What is its categorical "
        "cross-entropy? Give three decimals.",
        answer=loss_value("categorical_crossentropy", [[0, 0, 1, 0]], [[0.25] * 4]), tolerance=0.0015,
        why="−ln(0.25) = ln 4, whichever class is the true one.",
    ),
    Choice(
        r"With softmax outputs \(a\) and one-hot targets \(y\), what is the gradient of the "
        r"cross-entropy with respect to the logits \(z\) (for one example)?",
        options=("a − y", "y / a", "2 (a − y)", "a (1 − a)"),
        answer=0,
        why="The softmax Jacobian and the derivative of −log cancel down to a − y, which is why "
            "nnlib fuses the two.",
    ),
    Number(
        "With label smoothing ε = 0.1 and 5 classes, what target probability does the true class get?",
        answer=smoothed_target, tolerance=0.0015,
        why="(1 − ε) · 1 + ε / k = 0.9 + 0.02: the other four classes get 0.02 each.",
    ),
]
