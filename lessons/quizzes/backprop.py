"""Lesson 7, Backpropagation: check your understanding."""

import numpy as np

from nnlib import Dense, Sequential, backend
from sitebuild.quiz import Choice, Number

neuron = Sequential([Dense(1, activation="sigmoid")])
neuron.build((1,))
neuron.set_weights([np.array([[0.5]]), np.array([0.0])])
neuron.compile(optimizer="sgd", loss="mean_squared_error")
x, y = backend.asarray(np.array([[2.0]])), backend.asarray(np.array([[1.0]]))
neuron.backward_loss(y, neuron.forward(x))
dL_dw = float(backend.to_numpy(neuron.layers[0].dW)[0, 0])

QUESTIONS = [
    Choice(
        r"For one neuron \(z = wx + b\), \(a = \sigma(z)\) and loss \(L(a)\), the chain rule gives "
        r"\(\partial L / \partial w\) as ...",
        options=("∂L/∂a · ∂a/∂z · x", "∂L/∂a + ∂a/∂z + x", "∂L/∂a · w", "σ(z) · x"),
        answer=0,
        why="Each factor is one link of the path from w to L; ∂z/∂w = x.",
    ),
    Number(
        r"That neuron has \(w = 0.5\), \(b = 0\), input \(x = 2\), target \(y = 1\) and loss "
        r"\(L = (a - y)^2\). What is \(\partial L / \partial w\)? Give three decimals.",
        answer=dL_dw, tolerance=0.0015,
        why="a = σ(1) ≈ 0.731; ∂L/∂a = 2(a − 1) ≈ −0.538, ∂a/∂z = a(1 − a) ≈ 0.197, ∂z/∂w = 2. "
            "nnlib's backward pass gives the same product.",
    ),
    Choice(
        r"A dense layer's weights \(W\) have shape (784, 128). What shape is \(dW\)?",
        options=("(128, 784)", "(784, 128)", "(128,)", "The batch size by 128"),
        answer=1,
        why="Every weight gets one partial derivative, so dW has W's shape (for any batch size).",
    ),
    Choice(
        "Why check backpropagation against a numerical estimate of the gradient?",
        options=("The numerical estimate is faster", "A bug in backward code still trains, only worse, "
                 "so it can go unnoticed", "Backpropagation is only an approximation",
                 "Optimizers need both"),
        answer=1,
        why="A wrong gradient rarely crashes; comparing with (L(w+ε) − L(w−ε)) / 2ε catches it.",
    ),
    Choice(
        "A hidden activation feeds three units of the next layer. What is the gradient of the loss "
        "with respect to it?",
        options=("The gradient along the largest path", "The sum of the gradients along the three paths",
                 "Their average", "Their product"),
        answer=1,
        why="A value used in several places gets the sum of the gradients from each use; in matrix "
            "form this sum is the product δ Wᵀ.",
    ),
]
