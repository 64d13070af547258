"""Claims of lessons/02-the-neuron.md: where a trained neuron's weights point."""

from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential
from nnlib.data import make_blobs


@measurement
def converged_ratio(init_seed, data_seed):
    """w2 / w1 of one sigmoid neuron trained to convergence on the lesson's two clouds."""
    X, y = make_blobs(200, centers=[[-2, -1], [2, 1]], cluster_std=1.0, rng=data_seed)
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))], seed=init_seed)
    model.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy")
    losses = model.fit(X, y, epochs=1000, batch_size=200, verbose=0).history["loss"]
    W = model.get_weights()[0]
    return {"ratio": float(W[1, 0] / W[0, 0]), "last_change": abs(losses[-1] - losses[-100])}


def ratios(runs, what, report):
    values = [run["ratio"] for run in runs]
    report(f"w2 / w1 after convergence, {what}", spread(values))
    assert all(run["last_change"] < 1e-3 for run in runs), "the loss still moved in the last 100 epochs"
    return values


def test_converged_weights_end_at_the_same_ratio_from_any_start(report):
    values = ratios([converged_ratio(seed, 0) for seed in SEEDS], "5 random initial weights", report)
    assert all(0.52 <= value <= 0.535 for value in values), f"page: 0.52 to 0.53 every time; {values}"


def test_converged_weights_point_roughly_along_the_centres_for_fresh_clouds(report):
    values = ratios([converged_ratio(0, seed + 1) for seed in SEEDS], "5 fresh draws of the clouds", report)
    assert all(0.3 <= value <= 0.8 for value in values), f"page: from 0.34 to 0.76; {values}"
    assert abs(spread(values).mean - 0.5) < spread(values).std, "the mean ratio is far from the predicted 0.5"
    s = spread(values)
    page = "0.34 to 0.76, 0.58 ± 0.17"
    assert f"{s.low:.2f} to {s.high:.2f}, {s.mean:.2f} ± {s.std:.2f}" == page, "as the page says"
