"""Figures for the lesson on loss functions."""

import numpy as np
from sitebuild.figures import figure

from nnlib import losses
from nnlib.layers import Sigmoid


def per_point(loss, y, values):
    """The loss of each single prediction in ``values`` against label ``y`` (nnlib averages batches)."""
    return np.array([float(loss(np.array([[y]]), np.array([[v]]))) for v in values])


@figure(
    alt="Two line charts. Left: for an example whose true label is 1, the loss against the predicted "
        "probability. Squared error grows gently and never exceeds 1; binary cross-entropy is small near "
        "a probability of 1 and shoots up towards infinity as the probability approaches 0. Right: loss "
        "against the margin, the raw score times the label. Hinge loss is zero for margins above 1 and "
        "grows in a straight line below; cross-entropy on the score is a smooth version of it; squared "
        "error on the sigmoid output flattens out for large negative margins.",
    caption="How each loss grows with the error, computed with `nnlib.losses`. Left: one example with "
            "label 1. Cross-entropy punishes a confident wrong answer without bound, squared error by at "
            "most 1. Right: the same losses against the margin y·z (label ±1 times the score); the hinge "
            "stops caring once the margin passes 1.",
)
def loss_curves(theme):
    import matplotlib.pyplot as plt

    mse, bce = losses.get("mse"), losses.get("binary_crossentropy")
    bce_logits, hinge = losses.BinaryCrossentropy(from_logits=True), losses.get("hinge")
    p = np.linspace(0.005, 0.995, 199)
    m = np.linspace(-4, 4, 161)
    sigmoid_m = Sigmoid().forward(m)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.plot(p, per_point(bce, 1.0, p), color=theme.colors[0], linewidth=2, label="binary cross-entropy  −log p")
    left.plot(p, per_point(mse, 1.0, p), color=theme.colors[1], linewidth=2, linestyle="--",
              label="squared error  (1 − p)²")
    left.set_xlabel("predicted probability p of the true class")
    left.set_ylabel("loss")
    left.set_ylim(0, 5)
    left.legend()
    right.plot(m, per_point(hinge, 1.0, m), color=theme.colors[2], linewidth=2, label="hinge  max(0, 1 − yz)")
    right.plot(m, per_point(bce_logits, 1.0, m), color=theme.colors[0], linewidth=2,
               label="cross-entropy on the score")
    right.plot(m, per_point(mse, 1.0, sigmoid_m), color=theme.colors[1], linewidth=2, linestyle="--",
               label="squared error on σ(z)")
    right.axvline(0, color=theme.muted, linewidth=1)
    right.set_xlabel("margin  y·z   (wrong side ← 0 → right side)")
    right.set_ylabel("loss")
    right.set_ylim(0, 5)
    right.legend()
    for ax in (left, right):
        ax.grid(True, linewidth=0.5)
    fig.tight_layout()
    return fig


def gradient_wrt_score(loss, y, z):
    """dL/dz through a sigmoid output, by nnlib's backward passes (loss gradient, then Sigmoid.backward)."""
    out = []
    for value in z:
        layer = Sigmoid()
        a = layer.forward(np.array([[value]]))
        out.append(float(layer.backward(loss.gradient(np.array([[y]]), a))[0, 0]))
    return np.array(out)


@figure(
    alt="Line chart of the gradient of the loss with respect to the score z of a sigmoid output, for "
        "an example with label 1, as z runs from -8 to 8. With binary cross-entropy the gradient is "
        "sigmoid(z) - 1: it is close to -1, a strong push, whenever the prediction is confidently wrong, "
        "and fades to 0 as the prediction becomes right. With squared error the gradient is small at "
        "both ends: it almost vanishes exactly when the prediction is most wrong.",
    caption="The gradient each loss sends back into a sigmoid output's score z, for label 1, computed "
            "by nnlib's backward passes. Cross-entropy pushes hardest when the network is most wrong; "
            "squared error through a sigmoid goes quiet there, which is why it trains classifiers slowly.",
)
def score_gradients(theme):
    import matplotlib.pyplot as plt

    z = np.linspace(-8, 8, 161)
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    ax.plot(z, gradient_wrt_score(losses.get("binary_crossentropy"), 1.0, z), color=theme.colors[0],
            linewidth=2, label="binary cross-entropy: σ(z) − y")
    ax.plot(z, gradient_wrt_score(losses.get("mse"), 1.0, z), color=theme.colors[1], linewidth=2,
            linestyle="--", label="squared error: 2(σ(z) − y) σ(z)(1 − σ(z))")
    ax.axhline(0, color=theme.muted, linewidth=1)
    ax.annotate("confidently wrong", xy=(-7.8, -0.9), fontsize=9.5, color=theme.fg)
    ax.annotate("confidently right", xy=(3.6, -0.12), fontsize=9.5, color=theme.fg)
    ax.set_xlabel("score z of the true class (label y = 1)")
    ax.set_ylabel("gradient  dL/dz")
    ax.set_ylim(-1.1, 0.15)
    ax.grid(True, linewidth=0.5)
    ax.legend(loc="lower right", fontsize=9)
    return fig
