"""Lesson 11, Decision boundaries: check your understanding."""

import numpy as np

from _compute import dense_output
from nnlib import Dense
from sitebuild.quiz import Choice, Number

w, b = np.array([1.0, 2.0]), -2.0
crossing = -b / w[0]
at_crossing = dense_output(Dense(1, activation="sigmoid"), W=w[:, None], b=[b], x=[crossing, 0.0])[0]

QUESTIONS = [
    Choice(
        r"A single sigmoid neuron classifies a point as class 1 when its output is above 0.5. "
        r"Where is its decision boundary?",
        options=("Where w · x + b = 0: a straight line", "Where the output is 1",
                 "A circle around the class-1 points", "It depends on the learning rate"),
        answer=0,
        why="σ(z) = 0.5 exactly when z = 0, and w·x + b = 0 is a line in the plane.",
    ),
    Number(
        r"A neuron has \(w = (1, 2)\) and \(b = -2\). At which \(x_1\) does its boundary cross the "
        r"\(x_1\) axis (\(x_2 = 0\))?",
        answer=crossing, tolerance=0.005,
        why=f"1 · x₁ + 2 · 0 − 2 = 0 gives x₁ = 2; nnlib's neuron outputs {at_crossing:.2f} there.",
    ),
    Choice(
        "What lets a network with one hidden layer draw a curved boundary?",
        options=("A larger learning rate", "The non-linear activations of its hidden units",
                 "More training epochs", "A sigmoid output"),
        answer=1,
        why="Each hidden unit draws a line; the activations let the output combine them into bends.",
    ),
    Choice(
        "Why is XOR the classic example of a problem one neuron cannot solve?",
        options=("It has four points", "No straight line separates its two classes",
                 "Its inputs are binary", "Its labels are not balanced"),
        answer=1,
        why="The two classes sit on opposite diagonals of a square.",
    ),
]
