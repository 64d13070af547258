"""Lesson 9, Optimizers: check your understanding."""

import numpy as np

from nnlib import SGD, Adam, backend
from sitebuild.quiz import Choice, Number


def first_step(optimizer, gradient):
    """How far ``optimizer``'s first update moves a parameter whose gradient is ``gradient``."""
    param = backend.asarray(np.array([0.0]))
    optimizer.step([(param, backend.asarray(np.array([gradient])))])
    return abs(float(backend.to_numpy(param)[0]))


def after_steps(optimizer, gradient, steps):
    """Where a parameter starting at 0 is after ``steps`` updates with a constant ``gradient``."""
    param = backend.asarray(np.array([0.0]))
    for _ in range(steps):
        optimizer.step([(param, backend.asarray(np.array([gradient])))])
    return float(backend.to_numpy(param)[0])


QUESTIONS = [
    Number(
        "Adam with learning rate 0.001 takes its first step on a parameter whose gradient is 50. "
        "How far does the parameter move?",
        answer=first_step(Adam(learning_rate=0.001), 50.0), tolerance=0.00002,
        why="After bias correction m̂ = g and v̂ = g², so the first step is η g / |g| = η, whatever "
            "the gradient's size.",
    ),
    Number(
        "SGD with learning rate 0.1 and momentum 0.9 sees the gradient 1 twice. Where is a "
        "parameter that started at 0?",
        answer=after_steps(SGD(learning_rate=0.1, momentum=0.9), 1.0, 2), tolerance=0.0005,
        why="The velocity is −0.1 after the first step and 0.9 × (−0.1) − 0.1 = −0.19 after the "
            "second: −0.1 − 0.19 = −0.29.",
    ),
    Choice(
        "What does Adam's bias correction fix?",
        options=("Its moving averages start at zero, so early on they are too small",
                 "Gradients that point the wrong way", "Weights that grow too large",
                 "Learning rates that are too small late in training"),
        answer=0,
        why="Dividing by 1 − β₁ᵗ and 1 − β₂ᵗ scales the averages back up in the first steps.",
    ),
    Choice(
        "Why do AdaGrad's steps keep shrinking during training?",
        options=("Its learning rate follows a schedule", "It divides by the square root of a sum of "
                 "all past squared gradients, which only grows", "It uses momentum",
                 "Its gradients are clipped"),
        answer=1,
        why="RMSprop replaces that sum by a moving average, so its steps do not shrink for good.",
    ),
    Choice(
        "Under Adam, an L2 penalty added to the loss decays which weights least?",
        options=("Those with large gradients, because Adam divides the penalty by √v̂ too",
                 "Those with small gradients", "All weights alike", "None: Adam ignores penalties"),
        answer=0,
        why="AdamW applies the decay outside Adam's normalization, so every weight shrinks by the "
            "same factor 1 − η·λ per step.",
    ),
]
