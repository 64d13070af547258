"""Figures for the bias-variance and double-descent sections of lesson 12 (12-generalization.md).

Both repeat the lesson's doctests: the same training sets, networks and random features.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

FEATURE_COUNTS = (10, 20, 30, 50, 70, 80, 90, 100, 110, 120, 150, 200, 300, 500, 1000, 2000)


@lru_cache(maxsize=None)
def fitted_curves(units, epochs=500, n_sets=10):
    """The lesson's fitted_curves: one tanh network per training set of 20 noisy sine points.

    Trained through fit_cached with the page's arguments, so the page's doctest and this figure
    share the stored weights (whichever runs first trains them).
    """
    from sitebuild.trained import fit_cached

    from nnlib import Adam, Dense, Sequential, data

    x_grid = np.linspace(-3, 3, 61)[:, None].astype(np.float32)
    curves = []
    for s in range(n_sets):
        X_s, y_s = data.make_regression_1d(20, noise=0.3, rng=100 + s)
        net = Sequential([Dense(units, activation="tanh", input_shape=(1,)), Dense(1)], seed=s)
        net.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
        fit_cached(net, X_s, y_s, epochs=epochs, batch_size=20, verbose=0)
        curves.append(net.predict(x_grid)[:, 0])
    return x_grid[:, 0], np.array(curves)


def random_features_errors(p, seeds=range(5)):
    """Test MSE of the lesson's random-features fit on 100 training digits, one per seed."""
    from nnlib import Dense, Sequential, data

    X, y = data.load_digits()
    order = np.random.default_rng(0).permutation(len(X))
    train_idx, test_idx = order[:100], order[100:]
    targets = np.eye(10)[y]
    errors = []
    for seed in seeds:
        features = Sequential([Dense(p, activation="relu", input_shape=(64,))], seed=seed)
        F_train, F_test = features.predict(X[train_idx]), features.predict(X[test_idx])
        W_out = np.linalg.lstsq(F_train, targets[train_idx], rcond=None)[0]
        errors.append(float(np.mean((F_test @ W_out - targets[test_idx]) ** 2)))
    return errors


@figure(
    alt=("Four panels, each showing the true sine curve (dashed), 10 thin curves fitted to 10 different "
         "training sets of 20 noisy points, and their average as a thick line. With 1 tanh unit the thin "
         "curves agree with each other but their average is too flat to follow the sine: high bias. With 4 "
         "and with 64 units, after 500 training steps, the average follows the sine and the thin curves stay "
         "fairly close to it. With 64 units after 3,000 steps the average still follows the sine but the "
         "thin curves wiggle and scatter more widely around it, each chasing the noise of its own training "
         "set: low bias, higher variance."),
    caption=("Bias and variance, seen: networks of each width, each trained on its own 20 noisy points (thin "
             "lines), their average (thick) and the truth sin x (dashed)."),
    format="png",
)
def bias_variance(theme):
    import matplotlib.pyplot as plt

    panels = [(1, 500), (4, 500), (64, 500), (64, 3000)]
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.3), sharey=True, layout="constrained")
    for ax, (units, epochs) in zip(axes, panels):
        x, curves = fitted_curves(units, epochs)
        for curve in curves:
            ax.plot(x, curve, color=theme.colors[0], linewidth=0.7, alpha=0.5)
        ax.plot(x, curves.mean(axis=0), color=theme.colors[1], linewidth=2.4, label="average fit")
        ax.plot(x, np.sin(x), color=theme.fg, linewidth=1.4, linestyle="--", label="truth sin x")
        ax.set_title(f"{units} tanh unit{'s' if units > 1 else ''}, {epochs:,} steps", fontsize=10, color=theme.fg)
        ax.set_xlabel("x")
        ax.set_ylim(-2.2, 2.2)
        ax.grid(True, linewidth=0.5)
    axes[0].set_ylabel("prediction")
    axes[0].legend(fontsize=8, loc="lower right")
    return fig


@figure(
    alt=("Line chart of test mean squared error (log scale) against the number of random ReLU features p "
         "(log scale, 10 to 2,000), for least-squares fits on 100 training digits, the mean of 5 random "
         "feature draws with the individual draws as faint points. The error first falls slightly from "
         "p = 10, then rises steeply to a sharp peak between p = 90 and p = 110, around the point where the number "
         "of features equals the number of training digits (100), and falls again beyond it, to its lowest "
         "values at p = 2,000. A "
         "vertical dashed line marks p = 100."),
    caption=("Double descent: the test error of a least-squares fit on p random features peaks around the point "
             "where p equals the number of training points (100, dashed) and falls again as p grows beyond it."),
    format="png",
)
def double_descent(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.8, 3.6))
    runs = np.array([random_features_errors(p) for p in FEATURE_COUNTS])
    for seed_errors in runs.T:
        ax.scatter(FEATURE_COUNTS, seed_errors, s=8, color=theme.colors[0], alpha=0.35)
    ax.plot(FEATURE_COUNTS, np.exp(np.log(runs).mean(axis=1)), color=theme.colors[0], marker="o", markersize=3,
            label="test MSE (geometric mean of 5 draws)")
    ax.axvline(100, color=theme.fg, linestyle="--", linewidth=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.text(108, runs.max(), "p = 100 = training digits", fontsize=8, color=theme.fg, va="top")
    ax.set_xlabel("number of random features p")
    ax.set_ylabel("test MSE")
    ax.grid(True, linewidth=0.5)
    ax.legend(fontsize=8)
    return fig
