"""Lesson 4, Layers and architecture: check your understanding."""

from _compute import parameter_count
from nnlib import Dense
from sitebuild.quiz import Choice, Number

QUESTIONS = [
    Number(
        "How many parameters (weights and biases) does a dense layer of 3 units have when it "
        "receives 4 inputs?",
        answer=parameter_count([Dense(3)], (4,)), tolerance=0.5,
        why="4 × 3 weights plus 3 biases.",
    ),
    Number(
        "How many parameters has a network with 784 inputs, one hidden layer of 128 units and "
        "10 outputs?",
        answer=parameter_count([Dense(128, activation="relu"), Dense(10, activation="softmax")], (784,)),
        tolerance=0.5,
        why="(784 × 128 + 128) + (128 × 10 + 10), counted by nnlib's count_params().",
    ),
    Choice(
        "Which output layer suits classifying an image into one of 10 classes?",
        options=("1 unit, linear", "1 unit, sigmoid", "10 units, softmax", "10 units, ReLU"),
        answer=2,
        why="Softmax turns 10 scores into 10 probabilities that add up to 1, one per class.",
    ),
    Choice(
        "Which output layer suits predicting a price, any real number?",
        options=("1 unit, linear", "1 unit, sigmoid", "10 units, softmax", "1 unit, step function"),
        answer=0,
        why="A linear output can take any value; sigmoid would squeeze it into (0, 1).",
    ),
]
