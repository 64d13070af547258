"""Lesson 6, Loss functions: check your understanding."""

from _compute import loss_value
from sitebuild.quiz import Choice, Number

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
        options=(r"\(a - y\)", r"\(y / a\)", r"\(2(a - y)\)", r"\(a(1 - a)\)"),
        answer=0,
        why="The softmax Jacobian and the derivative of −log cancel down to a − y, which is why "
            "nnlib fuses the two.",
    ),
]
