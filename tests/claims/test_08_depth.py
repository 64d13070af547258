"""Claims of lesson 8's section on mini-batch gradients: unbiased, with variance falling as 1/B.
The model and data are the lesson's (one linear neuron, fifty points, at (w, b) = (-1.5, 2))."""

import numpy as np

from measured import SEEDS, measurement, spread
from nnlib import SGD, Dense, Sequential

SIZES = (1, 4, 16, 50)
DRAWS = 2000


def lesson_problem():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
    Y = (2 * X - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)
    probe = Sequential([Dense(1, input_shape=(1,))])
    probe.compile(optimizer=SGD(learning_rate=0.3), loss="mse")
    probe.set_weights([np.array([[-1.5]]), np.array([2.0])])

    def gradient(rows):
        probe.backward_loss(Y[rows], probe.forward(X[rows]))
        return np.array([probe.layers[0].dW[0, 0], probe.layers[0].db[0]], dtype=float)

    return gradient, len(X)


@measurement
def minibatch_gradients():
    """Per sampling seed and batch size: the mean estimate's distance from the full gradient, in
    standard errors, and the summed variance."""
    gradient, n = lesson_problem()
    full = gradient(np.arange(n))
    runs = []
    for seed in SEEDS:
        draw = np.random.default_rng(100 + seed)
        run = {}
        for B in SIZES:
            g = np.array([gradient(draw.integers(0, n, size=B)) for _ in range(DRAWS)])
            standard_error = g.std(axis=0) / np.sqrt(DRAWS)
            run[str(B)] = {"bias_in_se": float(np.max(np.abs(g.mean(axis=0) - full) / standard_error)),
                           "variance": float(g.var(axis=0).sum())}
        runs.append(run)
    return runs


def test_the_minibatch_gradient_is_unbiased(report):
    runs = minibatch_gradients()
    worst = [max(r[str(B)]["bias_in_se"] for B in SIZES) for r in runs]
    report("largest |mean estimate - full gradient| in standard errors", spread(worst))
    assert all(w < 4 for w in worst)


def test_the_variance_falls_as_one_over_b(report):
    runs = minibatch_gradients()
    slopes = [np.polyfit(np.log(SIZES), np.log([r[str(B)]["variance"] for B in SIZES]), 1)[0] for r in runs]
    report("slope of log variance against log B", spread(slopes))
    assert all(-1.1 < s < -0.9 for s in slopes)
    products = [B * r[str(B)]["variance"] for r in runs for B in SIZES]
    report("B x variance", spread(products))
    assert 40 < min(products) and max(products) < 49  # "B x variance stays near 44"
