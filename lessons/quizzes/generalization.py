"""Lesson 12, Generalization: check your understanding."""

import numpy as np

from nnlib import backend
from nnlib.layers.dropout import Dropout
from nnlib.regularizers import L2
from sitebuild.quiz import Choice, Number

penalty = float(L2(0.01)(backend.asarray(np.array([[1.0, -2.0]]))))
kept = backend.to_numpy(Dropout(0.5, seed=0).forward(backend.asarray(np.ones(1000)), training=True))
survivor = float(kept[kept > 0][0])

QUESTIONS = [
    Number(
        r"An L2 penalty with \(\lambda = 0.01\) is added for the weights \(w = (1, -2)\). What does "
        r"it add to the loss?",
        answer=penalty, tolerance=0.0005,
        why="λ Σ w² = 0.01 × (1 + 4).",
    ),
    Number(
        "Dropout with rate 0.5 is applied, in training, to a layer whose activations are all 1. "
        "What value does a unit that is kept pass on?",
        answer=survivor, tolerance=0.005,
        why="Kept units are scaled by 1 / (1 − 0.5), so the expected output stays 1 and nothing "
            "needs rescaling at test time.",
    ),
    Choice(
        "Training accuracy 99%, validation accuracy 80%: which is the likely diagnosis?",
        options=("Underfitting", "Overfitting", "A bug in the loss", "A good fit"),
        answer=1,
        why="A large gap between training and validation performance is the mark of overfitting.",
    ),
    Choice(
        "You tried several regularization strengths and kept the best on the validation set. "
        "Why report the final score on a separate test set?",
        options=("The test set is larger", "The validation score of the winner is optimistic: it "
                 "was chosen for being high", "Regularization only works on test data",
                 "The validation set was used for training"),
        answer=1,
        why="Picking the maximum of several noisy scores selects the lucky ones too.",
    ),
]
