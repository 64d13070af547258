"""Lesson 14, Deep networks: check your understanding."""

import numpy as np

from nnlib import backend, initializers
from nnlib.optimizers import SGD
from sitebuild.quiz import Choice, Number

he = initializers.get("he_normal")((200, 100), np.random.default_rng(0))
param, gradient = backend.asarray(np.zeros(2)), backend.asarray(np.array([3.0, 4.0]))
SGD(learning_rate=1.0, clipnorm=1.0).step([(param, gradient)])
clipped_step = float(np.linalg.norm(backend.to_numpy(param)))

QUESTIONS = [
    Choice(
        "Why must the weights of a network start random rather than all equal?",
        options=("Equal weights make the loss infinite", "Units that start equal get equal "
                 "gradients and stay equal: the layer acts like one unit", "Random weights "
                 "train faster on a GPU", "Equal weights cannot be saved"),
        answer=1,
        why="Randomness breaks the symmetry between units of the same layer.",
    ),
    Number(
        "He initialization draws a layer's weights with standard deviation √(2 / fan_in). What "
        "is that for a layer with 200 inputs?",
        answer=float(np.sqrt(2 / 200)), tolerance=0.0005,
        why=f"√(2/200) = 0.1; a draw of nnlib's he_normal for a 200 × 100 layer has standard "
            f"deviation {he.std():.3f}.",
    ),
    Number(
        "A gradient (3, 4) is clipped to norm 1 and applied by SGD with learning rate 1. How long "
        "is the step?",
        answer=clipped_step, tolerance=0.0005,
        why="The norm 5 is scaled down to 1 and the direction (0.6, 0.8) is kept.",
    ),
    Choice(
        r"A residual block computes \(x + F(x)\). Why does that help very deep networks train?",
        options=("It halves the number of parameters", "The gradient reaches earlier layers "
                 "through the identity path, not only through F", "It removes the need for activations",
                 "It normalizes the activations"),
        answer=1,
        why="∂(x + F(x))/∂x = I + ∂F/∂x, so the backward signal is not only a product of layer Jacobians.",
    ),
]
