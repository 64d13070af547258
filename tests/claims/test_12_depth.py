"""Claims of the bias-variance and double-descent sections of lesson 12 (generalization).

Settings are the page's: tanh networks of 1, 4 and 64 units on 20 noisy points of sin x (Adam 0.01,
500 full-batch epochs), and least-squares fits on p random ReLU features of 100 training digits.
"""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential, data

WIDTHS = (1, 4, 64)


@measurement
def bias_and_variance():
    """bias² and variance per width after 500 steps, and for 64 units after 3,000, for 5 groups of
    10 training sets (group g draws its sets with data seeds 1000 + 10 g + s)."""
    x_grid = np.linspace(-3, 3, 61)[:, None].astype(np.float32)
    results = {key: {"bias2": [], "variance": []} for key in ("1", "4", "64", "64 long")}
    for group in SEEDS:
        curves = {key: [] for key in results}
        for s in range(10):
            X_s, y_s = data.make_regression_1d(20, noise=0.3, rng=1000 + 10 * group + s)
            for units in WIDTHS:
                net = Sequential([Dense(units, activation="tanh", input_shape=(1,)), Dense(1)], seed=s)
                net.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
                net.fit(X_s, y_s, epochs=500, batch_size=20, verbose=0)
                curves[str(units)].append(net.predict(x_grid)[:, 0])
            # Full-batch steps: 2,500 more steps continue exactly as 3,000 from the start would.
            net.fit(X_s, y_s, epochs=2500, batch_size=20, verbose=0)
            curves["64 long"].append(net.predict(x_grid)[:, 0])
        for key, runs in curves.items():
            runs = np.array(runs)
            results[key]["bias2"].append(float(np.mean((runs.mean(axis=0) - np.sin(x_grid[:, 0])) ** 2)))
            results[key]["variance"].append(float(np.mean(runs.var(axis=0))))
    return results


@measurement
def random_feature_errors():
    """Test MSE of the least-squares fit on p random features, per p and per seed of the features."""
    X, y = data.load_digits()
    order = np.random.default_rng(0).permutation(len(X))
    train_idx, test_idx = order[:100], order[100:]
    targets = np.eye(10)[y]
    errors = {}
    for p in (10, 50, 100, 200, 2000):
        errors[str(p)] = []
        for seed in SEEDS:
            features = Sequential([Dense(p, activation="relu", input_shape=(64,))], seed=seed)
            F_train, F_test = features.predict(X[train_idx]), features.predict(X[test_idx])
            W_out = np.linalg.lstsq(F_train, targets[train_idx], rcond=None)[0]
            errors[str(p)].append(float(np.mean((F_test @ W_out - targets[test_idx]) ** 2)))
    return errors


def test_width_lowers_bias_and_longer_training_raises_variance(report):
    """Page: bias² falls from 1 to 4 to 64 units; the variance of the 64-unit networks rises when they
    are trained for 3,000 steps instead of 500 (each of 5 groups of 10 training sets)."""
    results = bias_and_variance()
    for key, parts in results.items():
        for part, values in parts.items():
            report(f"{key} tanh units: {part}", spread(values))
    one, four, many, long = (results[key] for key in ("1", "4", "64", "64 long"))
    assert all(b1 > b4 > b64 for b1, b4, b64 in zip(one["bias2"], four["bias2"], many["bias2"]))
    assert all(v_long > v for v, v_long in zip(many["variance"], long["variance"]))


def test_test_error_peaks_where_features_equal_training_points(report):
    """Page: "In every one of the 5 random draws of features, the error at p = 100 was the highest of the
    five sizes shown and the error at 2,000 the lowest"."""
    errors = random_feature_errors()
    for p, values in errors.items():
        report(f"random features p = {p}: test MSE", spread(values))
    for seed in range(len(SEEDS)):
        at = {p: errors[str(p)][seed] for p in (10, 50, 100, 200, 2000)}
        assert at[100] > max(at[10], at[50], at[200], at[2000])
        assert at[2000] == min(at.values()) and at[200] < at[100]
