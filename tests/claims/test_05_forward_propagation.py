"""Claims of lessons/05-forward-propagation.md: matrix products beat loops; the trained digits
network puts the brightest output cell in the true digit's column for almost every image."""

import time

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential, data


def loops(X, W, b):
    out = np.empty((X.shape[0], W.shape[1]))
    for n in range(X.shape[0]):
        for j in range(W.shape[1]):
            z = b[j]
            for i in range(W.shape[0]):
                z += X[n, i] * W[i, j]
            out[n, j] = max(z, 0.0)
    return out


@measurement
def loop_and_matrix_seconds():
    """Seconds for one ReLU layer (3 inputs, 4 units) on a batch of 256, by loops and by one product."""
    rng = np.random.default_rng(0)
    X, W, b = rng.normal(size=(256, 3)), rng.normal(size=(3, 4)), rng.normal(size=4)
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        by_loops = loops(X, W, b)
        middle = time.perf_counter()
        by_matrix = np.maximum(X @ W + b, 0)
        end = time.perf_counter()
        assert np.allclose(by_loops, by_matrix)
        timings.append({"loops": middle - start, "matrix": end - middle})
    return timings


@measurement
def digits_network(seed):
    """The lesson's 64-32-16-10 digits network after 20 epochs: accuracy and the figure's 20 digits."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(16, activation="relu"),
                        Dense(10, activation="softmax")], seed=seed)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0)
    rows = np.concatenate([np.flatnonzero(y_test == digit)[:2] for digit in range(10)])
    right = int(np.sum(model.predict(X_test[rows]).argmax(axis=1) == y_test[rows]))
    return {"accuracy": float(model.evaluate(X_test, y_test)[1]), "figure_right": right}


def test_one_matrix_product_is_much_faster_than_loops(report):
    timings = loop_and_matrix_seconds()
    report("loops, seconds", spread([t["loops"] for t in timings]))
    report("matrix product, seconds", spread([t["matrix"] for t in timings]))
    # Best of 5 for each, as timeit does: a busy machine only ever slows a run down.
    speedup = min(t["loops"] for t in timings) / min(t["matrix"] for t in timings)
    report("speed-up, best of 5 against best of 5", f"{speedup:.0f}x")
    assert speedup > 10


def test_trained_digits_network_gets_almost_every_figure_digit_right(report):
    runs = [digits_network(seed) for seed in SEEDS]
    report("test accuracy after 20 epochs", spread([r["accuracy"] for r in runs]))
    report("figure digits right (of 20)", spread([r["figure_right"] for r in runs]))
    assert all(r["figure_right"] >= 18 for r in runs), "page: almost every image (at least 18 of 20)"
    right, accuracy = spread([r["figure_right"] for r in runs]), spread([r["accuracy"] for r in runs])
    assert (right.low, right.high) == (18, 20), "page: 18 to 20 of these twenty digits"
    assert f"{accuracy.mean:.1%} ± {accuracy.std:.1%}" == "96.3% ± 0.7%", "page (doctest): 96.3% ± 0.7%"
