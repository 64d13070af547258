"""Figures for lesson 8's section on mini-batch gradients: their variance against the batch size."""

import numpy as np
from sitebuild.figures import figure

from nnlib import SGD, Dense, Sequential

SIZES = (1, 2, 4, 8, 16, 32, 50)


def minibatch_variances(draws=2000):
    """Summed variance of the mini-batch gradient of lesson 8's linear neuron, per batch size."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
    Y = (2 * X - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)
    probe = Sequential([Dense(1, input_shape=(1,))])
    probe.compile(optimizer=SGD(learning_rate=0.3), loss="mse")
    probe.set_weights([np.array([[-1.5]]), np.array([2.0])])
    draw = np.random.default_rng(1)

    def gradient(rows):
        probe.backward_loss(Y[rows], probe.forward(X[rows]))
        return np.array([probe.layers[0].dW[0, 0], probe.layers[0].db[0]], dtype=float)

    return [np.array([gradient(draw.integers(0, 50, size=B)) for _ in range(draws)]).var(axis=0).sum()
            for B in SIZES]


@figure(
    alt="A log-log plot of the variance of the mini-batch gradient against the batch size B, from 1 "
        "to 50. The measured points fall on a straight line of slope -1, from about 44 at B = 1 to "
        "under 1 at B = 50, lying on a dashed reference line showing variance 44 / B.",
    caption="Variance of the mini-batch gradient of lesson 8's two-parameter model at its starting "
            "point, measured over 2,000 batches per size drawn with replacement, against the "
            "one-example variance divided by B.",
)
def variance_against_batch_size(theme):
    import matplotlib.pyplot as plt

    variances = minibatch_variances()
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    sizes = np.array(SIZES, dtype=float)
    ax.loglog(sizes, variances[0] / sizes, ls="--", color=theme.muted, label="one-example variance / B")
    ax.loglog(sizes, variances, "o", color=theme.colors[0], ms=7, label="measured")
    ax.set_xlabel("batch size B")
    ax.set_ylabel("variance of the mini-batch gradient")
    ax.set_xticks(SIZES, [str(b) for b in SIZES])
    ax.legend()
    return fig
