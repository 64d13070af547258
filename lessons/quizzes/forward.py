"""Lesson 5, Forward propagation: check your understanding."""

import numpy as np

from nnlib import Dense, Sequential, backend
from sitebuild.quiz import Choice, Number

network = Sequential([Dense(2, activation="relu"), Dense(1)])
network.build((2,))
network.set_weights([np.array([[1.0, -1.0], [2.0, 1.0]]), np.array([0.0, 0.5]),
                     np.array([[1.0], [3.0]]), np.array([-1.0])])
output = float(backend.to_numpy(network.forward(backend.asarray(np.array([[1.0, -0.5]]))))[0, 0])

QUESTIONS = [
    Choice(
        r"A batch \(X\) of 32 images of 784 pixels goes into a dense layer with \(W\) of shape "
        r"(784, 128). What is the shape of \(Z = XW + b\)?",
        options=("(784, 128)", "(32, 128)", "(128, 32)", "(32, 784)"),
        answer=1,
        why="(32, 784) @ (784, 128) gives one row of 128 pre-activations per image.",
    ),
    Number(
        r"A 2-2-1 network: hidden layer \(W^{(1)} = \begin{pmatrix}1 & -1\\ 2 & 1\end{pmatrix}\), "
        r"\(b^{(1)} = (0, 0.5)\), ReLU; output \(W^{(2)} = (1, 3)^T\), \(b^{(2)} = -1\), linear. "
        r"What does it output for \(x = (1, -0.5)\)?",
        answer=output, tolerance=0.005,
        why="z⁽¹⁾ = (1 − 1, −1 − 0.5 + 0.5) = (0, −1), ReLU gives (0, 0), so the output is the "
            "bias −1. nnlib's forward pass gives the same.",
    ),
    Choice(
        "In a batch forward pass, what is row i of the output?",
        options=("The average over the batch", "The network's output for example i alone",
                 "The output for examples 1 to i", "A weight of the last layer"),
        answer=1,
        why="Rows never mix in a dense network: the matrix product handles each example separately, all at once.",
    ),
    Choice(
        "Which quantities does the forward pass compute, layer by layer?",
        options=("Only the final output", "z = Wx + b and a = f(z) for every layer, then the output",
                 "The gradients of the loss", "The updated weights"),
        answer=1,
        why="Each layer's pre-activations and activations, which backpropagation will reuse.",
    ),
]
