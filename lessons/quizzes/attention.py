"""Lesson 17, Attention and transformers: check your understanding."""

import numpy as np

from nnlib import Softmax, backend, positional_encoding
from sitebuild.quiz import Choice, Number

scores = np.array([[1.0, 2.0, 3.0]]) / np.sqrt(4)
weights = backend.to_numpy(Softmax().forward(backend.asarray(scores)))[0]

QUESTIONS = [
    Number(
        r"A query's dot products with three keys are (1, 2, 3) and \(d_k = 4\). What attention "
        r"weight does the third key get? Give three decimals.",
        answer=float(weights[2]), tolerance=0.0015,
        why="softmax((1, 2, 3) / √4) = softmax(0.5, 1, 1.5), computed by nnlib's Softmax.",
    ),
    Choice(
        r"Why are the scores divided by \(\sqrt{d_k}\)?",
        options=("To make them positive", "Dot products of longer vectors spread wider; unscaled, "
                 "they would push softmax into a near one-hot, flat-gradient regime",
                 "To normalize the values V", "To hide future positions"),
        answer=1,
        why="Dividing by √d_k keeps the spread of the scores about the same for any key dimension.",
    ),
    Choice(
        "How does a causal (decoder) mask stop position t from looking ahead?",
        options=("It deletes later tokens from the input", "It sets the scores of positions after t "
                 "to −∞ before the softmax, so their weights are 0", "It reverses the sequence",
                 "It multiplies the values by 0 after training"),
        answer=1,
        why="e^(−∞) = 0, so the softmax spreads all the weight over positions up to t.",
    ),
    Number(
        r"Sinusoidal positional encoding: what is \(PE[1, 0] = \sin(1 / 10000^{0})\)? Give three decimals.",
        answer=float(positional_encoding(2, 4)[1, 0]), tolerance=0.0015,
        why="sin(1) ≈ 0.841; without such a code, self-attention could not tell the order of its inputs.",
    ),
]
