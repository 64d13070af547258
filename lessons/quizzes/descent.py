"""Lesson 8, Gradient descent: check your understanding."""

import math

import numpy as np

from nnlib import SGD, backend
from sitebuild.quiz import Choice, Number

w = backend.asarray(np.array([3.0]))
SGD(learning_rate=0.1).step([(w, 2 * w)])  # the gradient of L(w) = w² is 2w
after_one_step = float(backend.to_numpy(w)[0])

QUESTIONS = [
    Number(
        r"Gradient descent on \(L(w) = w^2\) starts at \(w = 3\) with learning rate 0.1. Where is "
        r"\(w\) after one step?",
        answer=after_one_step, tolerance=0.005,
        why="w ← w − η · 2w = 3 − 0.1 × 6, as nnlib's SGD computes it.",
    ),
    Choice(
        "The loss grows from one step to the next and the weights swing ever further. What is the "
        "most likely cause?",
        options=("The learning rate is too small", "The learning rate is too large",
                 "The batch is too large", "The network is too small"),
        answer=1,
        why="Each step overshoots the minimum by more than it started from, so the iterates move away.",
    ),
    Number(
        "A training set has 1000 examples and the batch size is 32. How many weight updates "
        "make one epoch (the last batch may be smaller)?",
        answer=math.ceil(1000 / 32), tolerance=0.5,
        why="31 full batches of 32 and one of 8.",
    ),
    Choice(
        "What does a mini-batch gradient estimate?",
        options=("The gradient of the loss on the whole training set", "The second derivative",
                 "The best learning rate", "The loss on the validation set"),
        answer=0,
        why="It is the average of the per-example gradients of a random sample, a noisy but "
            "unbiased estimate of the full-batch gradient.",
    ),
    Choice(
        "Making the mini-batch 4 times larger divides the standard deviation of the mini-batch "
        "gradient by about ...",
        options=("4", "2", "16", "1: it does not change"),
        answer=1,
        why="The variance falls as 1/B, so the standard deviation falls as 1/√B: √4 = 2.",
    ),
]
