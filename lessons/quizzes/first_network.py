"""Lesson 13, Build your first network: check your understanding."""

from _compute import parameter_count
from nnlib import Dense, metrics
from sitebuild.quiz import Choice, Number

# 25 examples called positive: 22 are positives (TP), 3 are not (FP).
truth, detector_calls = [1] * 22 + [0] * 3, [1] * 25

QUESTIONS = [
    Number(
        "A classifier for 8 × 8 digit images (64 inputs) has one hidden layer of 32 units and 10 "
        "outputs. How many parameters does it have?",
        answer=parameter_count([Dense(32, activation="relu"), Dense(10, activation="softmax")], (64,)),
        tolerance=0.5,
        why="(64 × 32 + 32) + (32 × 10 + 10), counted by nnlib.",
    ),
    Number(
        "A model gets 261 of 270 validation images right. What is its validation accuracy? Give "
        "three decimals.",
        answer=261 / 270, tolerance=0.0015,
        why="261 / 270. One image more or less moves it by 1/270 ≈ 0.004, so small differences "
            "between models mean little on a set this size.",
    ),
    Choice(
        "Which split is the right way to prepare the data?",
        options=("Scale all the data, then split it", "Split first, then fit the scaling on the "
                 "training part only", "Train on everything and test on a sample of it",
                 "Use the test set to choose the architecture"),
        answer=1,
        why="Anything fitted on the validation or test data leaks it into training.",
    ),
    Choice(
        "What does the confusion matrix show that accuracy does not?",
        options=("The training time", "Which classes are mistaken for which",
                 "The loss curve", "The number of parameters"),
        answer=1,
        why="Row i, column j counts the examples of class i predicted as class j.",
    ),
    Number(
        "A detector makes 22 true positives and 3 false positives. What is its precision? Give two decimals.",
        answer=metrics.precision(truth, detector_calls),
        tolerance=0.005,
        why="TP / (TP + FP) = 22 / 25: of the examples it called positive, the share that were.",
    ),
]
