"""Lesson 3, Activation functions: check your understanding."""

import numpy as np

from nnlib import Sigmoid, Tanh, backend
from sitebuild.quiz import Choice, Number


def slope(layer, x):
    """da/dx of an nnlib activation at ``x``: its backward pass with an incoming gradient of 1."""
    layer.forward(backend.asarray(np.array([x])))
    return float(backend.to_numpy(layer.backward(backend.asarray(np.ones(1))))[0])


QUESTIONS = [
    Choice(
        "What happens if you stack several layers with no activation function (or a linear one)?",
        options=("The network can fit any function", "The stack is still one linear function of the input",
                 "Training always diverges", "The gradients vanish"),
        answer=1,
        why="W₂(W₁x + b₁) + b₂ = (W₂W₁)x + (W₂b₁ + b₂): one matrix and one bias.",
    ),
    Number(
        r"What is the sigmoid's slope \(\sigma'(0)\), its largest value?",
        answer=slope(Sigmoid(), 0.0), tolerance=0.0005,
        why="σ'(z) = σ(z)(1 − σ(z)) = 0.5 × 0.5 at z = 0.",
    ),
    Number(
        r"What is the slope of tanh at \(z = 0.5\)? Give three decimals.",
        answer=slope(Tanh(), 0.5), tolerance=0.0015,
        why="tanh'(z) = 1 − tanh(z)², and tanh(0.5) ≈ 0.462.",
    ),
    Choice(
        "A ReLU unit gets a negative pre-activation for every training example. What happens to "
        "the weights coming into it?",
        options=("They grow until the unit fires", "They get a zero gradient, so gradient descent leaves them unchanged",
                 "They are reset to random values", "They shrink to zero"),
        answer=1,
        why="ReLU's slope is 0 for z < 0, so no gradient reaches those weights: the unit is 'dead' "
            "unless the layers below it change its inputs.",
    ),
    Choice(
        "Which of these activations can output negative values, pulling a layer's mean output "
        "towards zero?",
        options=("ReLU", "Sigmoid", "ELU", "Softmax"),
        answer=2,
        why="ELU bends down to −α for negative inputs; ReLU, sigmoid and softmax never go below 0.",
    ),
]
