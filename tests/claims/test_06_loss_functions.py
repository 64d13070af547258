"""Claims of lessons/06-loss-functions.md: cross-entropy against MSE on the moons, and label
smoothing (digits, 64-32-10 network, 20 epochs)."""

from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential, data, losses, optimizers


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


@measurement
def with_and_without_smoothing():
    X_train, X_val, y_train, y_val = data.load_digits(test=0.25, rng=0)
    runs = []
    for seed in SEEDS:
        run = {}
        for smoothing in (0.0, 0.1):
            model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")],
                               seed=seed)
            model.compile(optimizer=Adam(learning_rate=0.01),
                          loss=losses.SparseCategoricalCrossentropy(label_smoothing=smoothing))
            model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0)
            p = model.predict(X_val)
            run[str(smoothing)] = {"confidence": float(p.max(axis=1).mean()),
                                   "accuracy": float((p.argmax(axis=1) == y_val).mean())}
        runs.append(run)
    return runs


def test_smoothing_lowers_the_confidence_in_every_run(report):
    runs = with_and_without_smoothing()
    plain, smooth = [r["0.0"]["confidence"] for r in runs], [r["0.1"]["confidence"] for r in runs]
    report("mean top probability, no smoothing", spread(plain))
    report("mean top probability, smoothing 0.1", spread(smooth))
    assert all(s < p for s, p in zip(smooth, plain))
    assert 0.96 < min(plain) and max(plain) < 0.98 and 0.84 < min(smooth) and max(smooth) < 0.87  # "about 0.97 / 0.86"


def test_smoothing_does_not_move_accuracy_one_way(report):
    runs = with_and_without_smoothing()
    gains = [r["0.1"]["accuracy"] - r["0.0"]["accuracy"] for r in runs]
    report("validation accuracy, smoothing minus none", spread(gains))
    assert any(g > 0 for g in gains) and any(g < 0 for g in gains)
