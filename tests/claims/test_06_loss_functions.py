"""Claims of lessons/06-loss-functions.md: cross-entropy trains a sigmoid classifier better than MSE."""

from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential, data, optimizers


@measurement
def final_accuracy(seed):
    """Training accuracy of the lab's moons classifier after 60 epochs, with each loss."""
    X, y = data.make_moons(400, noise=0.15, rng=0)
    result = {}
    for loss in ("mse", "binary_crossentropy"):
        model = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")],
                           seed=seed)
        model.compile(optimizer=optimizers.SGD(learning_rate=0.5), loss=loss, metrics=["accuracy"])
        model.fit(X, y, epochs=60, batch_size=32, verbose=0)
        result[loss] = float(model.evaluate(X, y)[1])
    return result


PAGE_GAP = ("7", "9")  # "by 7 to 9 points", as the page says


def test_cross_entropy_ends_ahead_of_squared_error_in_every_run(report):
    runs = [final_accuracy(seed) for seed in SEEDS]
    for loss in ("binary_crossentropy", "mse"):
        report(f"{loss}: training accuracy after 60 epochs", spread([r[loss] for r in runs]))
    gaps = spread([r["binary_crossentropy"] - r["mse"] for r in runs])
    report("cross-entropy minus MSE accuracy after 60 epochs", gaps)
    assert gaps.low > 0, "page: cross-entropy ends ahead in every run"
    assert (f"{100 * gaps.low:.0f}", f"{100 * gaps.high:.0f}") == PAGE_GAP, f"page: by {PAGE_GAP} points"

