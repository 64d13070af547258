"""Lesson 10, Training a network: check your understanding."""

import math

from _compute import loss_value
from sitebuild.quiz import Choice, Number

QUESTIONS = [
    Number(
        "60,000 training examples, batch size 128: how many weight updates in one epoch (the "
        "last batch may be smaller)?",
        answer=math.ceil(60000 / 128), tolerance=0.5,
        why="60000 / 128 = 468.75, so 468 full batches and one more of 96 examples.",
    ),
    Number(
        "A freshly initialized 10-class classifier gives every class about the same probability. "
        "What cross-entropy should its first loss be near? Give three decimals.",
        answer=loss_value("categorical_crossentropy", [[1] + [0] * 9], [[0.1] * 10]), tolerance=0.0015,
        why="−ln(1/10) = ln 10. A first loss far from it points to a bug or a bad initialization.",
    ),
    Choice(
        "You standardize the inputs (subtract a mean, divide by a standard deviation). Which "
        "mean and standard deviation do the validation and test sets use?",
        options=("Their own", "The training set's", "Those of all the data together", "None: only training data is scaled"),
        answer=1,
        why="Statistics from the validation or test set would leak information about them into "
            "training, and the model must see every input scaled the same way.",
    ),
    Choice(
        "The training loss keeps falling while the validation loss has started to rise. What is "
        "happening?",
        options=("Underfitting", "Overfitting", "The learning rate is too small", "Nothing: that is normal convergence"),
        answer=1,
        why="The model now fits details of the training set that do not carry over to new data.",
    ),
]
