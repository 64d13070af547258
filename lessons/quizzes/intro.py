"""Lesson 1, What is a neural network?: check your understanding."""

from _compute import dense_output
from nnlib import Dense
from sitebuild.quiz import Choice, Number

z = dense_output(Dense(1), W=[[0.5], [-1.0]], b=[0.25], x=[1.0, 1.0])[0]

QUESTIONS = [
    Choice(
        "What does one artificial neuron compute?",
        options=("The product of its inputs",
                 "A weighted sum of its inputs plus a bias, passed through an activation function",
                 "The largest of its inputs",
                 "A copy of the input it was trained on"),
        answer=1,
        why="z = w·x + b, then a = f(z). Every network on this site is built from that one unit.",
    ),
    Number(
        r"A neuron has weights \(w = (0.5, -1)\) and bias \(b = 0.25\). What is its weighted sum "
        r"\(z = w \cdot x + b\) for the input \(x = (1, 1)\)?",
        answer=z, tolerance=0.005,
        why="0.5 × 1 + (−1) × 1 + 0.25 = −0.25, as nnlib's Dense layer computes it. A step "
            "activation would not fire, since z is below 0.",
    ),
    Choice(
        "Why can a single layer of threshold neurons not compute XOR?",
        options=("XOR needs more than two inputs",
                 "The weights of one layer cannot be negative",
                 "No single straight line separates XOR's two classes",
                 "Threshold neurons can only output 0"),
        answer=2,
        why="(0, 1) and (1, 0) are on one side, (0, 0) and (1, 1) on the other, and one neuron draws "
            "one straight line. A hidden layer solves it.",
    ),
    Choice(
        "Convolutional, recurrent and transformer networks differ mainly in ...",
        options=("the neuron they are made of", "how their neurons are wired together",
                 "whether they learn from examples", "whether they use gradients"),
        answer=1,
        why="All are built from weighted sums and activations and all train by backpropagation; "
            "what differs is the wiring (shared filters, loops in time, attention).",
    ),
    Choice(
        r"The perceptron rule answers 0 on an example \(x\) whose label is 1. How does it change "
        r"the weights (learning rate \(\eta\))?",
        options=("w ← w + η x", "w ← w − η x", "w ← w + η", "It leaves them unchanged"),
        answer=0,
        why="w ← w + η (y − ŷ) x with y − ŷ = 1: w·x grows by η‖x‖², so next time the neuron is "
            "more likely to fire on x.",
    ),
]
