"""Claims of lessons/08-gradient-descent.md: batch sizes per epoch and per update, what helps a
path leave a saddle, and the mini-batch gradient: unbiased, with variance falling as 1/B (for
the lesson's model and data: one linear neuron, fifty points, at (w, b) = (-1.5, 2))."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, Dense, Sequential, data


def moons_net(seed):
    net = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=seed)
    net.compile(optimizer=SGD(learning_rate=0.1), loss="binary_crossentropy", metrics=["accuracy"])
    return net


@measurement
def accuracy_by_batch_size(seed):
    """Training accuracy after 30 epochs at learning rate 0.1, for batch sizes 200, 32 and 1."""
    Xm, ym = data.make_moons(200, noise=0.2, rng=0)
    result = {}
    for batch_size in (200, 32, 1):
        net = moons_net(seed)
        net.fit(Xm, ym, epochs=30, batch_size=batch_size, verbose=0)
        result[str(batch_size)] = float(net.evaluate(Xm, ym)[1])
    return result


@measurement
def loss_after_equal_updates(seed):
    """Full-data loss after 30 updates with batches of 200 and with single examples."""
    Xm, ym = data.make_moons(200, noise=0.2, rng=0)
    targets = ym[:, None].astype(np.float32)
    order = np.random.default_rng(seed).permutation(len(Xm))[:30]
    result = {}
    for name, batches in (("200", [np.arange(len(Xm))] * 30), ("1", [order[i:i + 1] for i in range(30)])):
        net = moons_net(seed)
        for rows in batches:
            net.train_step(Xm[rows], targets[rows])
        result[name] = float(net.evaluate(Xm, ym)[0])
    return result


def saddle_escape(noise, momentum, seed):
    """Steps gradient descent needs to leave g(x, y) = x^2 - y^2 from (1.5, 1e-4)."""
    rng = np.random.default_rng(seed)
    p, opt = np.array([1.5, 1e-4]), SGD(learning_rate=0.05, momentum=momentum)
    for step in range(1, 401):
        opt.step([(p, np.array([2 * p[0], -2 * p[1]]) + noise * rng.normal(size=2))])
        if abs(p[1]) > 1:
            return step
    return 400


def test_per_epoch_smaller_batches_fit_better_in_every_run(report):
    runs = [accuracy_by_batch_size(seed) for seed in SEEDS]
    for size in ("200", "32", "1"):
        report(f"batch size {size}: training accuracy after 30 epochs", spread([r[size] for r in runs]))
    assert all(r["1"] > r["32"] > r["200"] for r in runs)


def test_after_equal_updates_full_batch_and_single_examples_are_about_level(report):
    runs = [loss_after_equal_updates(seed) for seed in SEEDS]
    full, single = spread([r["200"] for r in runs]), spread([r["1"] for r in runs])
    report("batch size 200: loss after 30 updates", full)
    report("batch size 1: loss after 30 updates", single)
    assert abs(full.mean - single.mean) < min(full.std, single.std), "page: about level"
    assert f"{full.mean:.2f} ± {full.std:.2f} against {single.mean:.2f} ± {single.std:.2f}" == \
        "0.43 ± 0.05 against 0.45 ± 0.07", "the page's numbers"
    assert single.std > full.std, "page: the single-example steps are the noisier"


def test_noise_and_momentum_help_a_path_leave_the_saddle(report):
    plain = saddle_escape(0.0, 0.0, 0)
    noisy = [saddle_escape(0.1, 0.0, seed) for seed in SEEDS]
    with_momentum = saddle_escape(0.0, 0.9, 0)
    report("steps to escape: plain, momentum 0.9", f"{plain}, {with_momentum}")
    report("steps to escape with gradient noise 0.1", spread(noisy))
    assert max(noisy) < plain and with_momentum < plain
    assert (min(noisy), max(noisy), plain, with_momentum) == (47, 82, 97, 36), "the page's numbers"


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
