"""Lesson 2, The neuron: check your understanding."""

from _compute import dense_output
from nnlib import Dense
from sitebuild.quiz import Choice, Number

a = dense_output(Dense(1, activation="sigmoid"), W=[[0.4], [-0.2], [0.1]], b=[0.5], x=[1.0, 2.0, 3.0])[0]
w, b = 2.0, -1.0
switch = -b / w

QUESTIONS = [
    Number(
        r"A sigmoid neuron has weights \(w = (0.4, -0.2, 0.1)\) and bias \(b = 0.5\). What does it "
        r"output for \(x = (1, 2, 3)\)? Give three decimals.",
        answer=a, tolerance=0.0015,
        why="z = 0.4 − 0.4 + 0.3 + 0.5 = 0.8 and sigmoid(0.8) = 1 / (1 + e^(−0.8)).",
    ),
    Number(
        r"A one-input neuron computes \(z = 2x - 1\). At which input \(x\) does \(z\) cross zero "
        r"(where a sigmoid outputs 0.5)?",
        answer=switch, tolerance=0.005,
        why="z = 0 where x = −b / w = 1 / 2.",
    ),
    Choice(
        r"For a one-input neuron with a positive weight \(w\), raising the bias \(b\) moves the "
        r"switching point \(x = -b / w\) ...",
        options=("to the left", "to the right", "nowhere: the bias only changes the slope"),
        answer=0,
        why="−b / w falls as b rises when w > 0 (with a negative w it would move right).",
    ),
    Choice(
        "Which shape separates the inputs a two-input neuron calls 'yes' (z > 0) from those it "
        "calls 'no'?",
        options=("A circle", "A straight line", "A parabola", "Any curve the training picks"),
        answer=1,
        why="w₁x₁ + w₂x₂ + b = 0 is the equation of a straight line, whatever the activation.",
    ),
]
