"""Claims of lessons/03-activation-functions.md: linear stacks, vanishing gradients, dying ReLUs,
and zero-centred activations (the sigmoid against the same sigmoid shifted down by 0.5: same
shape and slope, mean output near zero, on the digits)."""

import warnings

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, Adam, Dense, Sequential, data
from nnlib.data import make_moons, xor_truth_table
from nnlib.layers.activations import Activation, sigmoid


@measurement
def linear_stack_on_xor(seed):
    """Accuracy of two linear hidden layers of 8 (sigmoid output) on XOR after 500 epochs."""
    X, y = xor_truth_table()
    net = Sequential([Dense(8, input_shape=(2,)), Dense(8), Dense(1, activation="sigmoid")], seed=seed)
    net.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy", metrics=["accuracy"])
    net.fit(X, y, epochs=500, batch_size=4, verbose=0)
    return float(net.evaluate(X, y)[1])


@measurement
def gradient_ratios(seed):
    """First-layer over output-layer weight-gradient norm, ten hidden layers of 32, one backward pass."""
    X, y = make_moons(256, noise=0.15, rng=0)
    ratios = {}
    for activation in ("sigmoid", "tanh", "relu"):
        hidden = [Dense(32, activation=activation, input_shape=(2,))]
        hidden += [Dense(32, activation=activation) for _ in range(9)]
        deep = Sequential(hidden + [Dense(1, activation="sigmoid")], seed=seed)
        deep.compile(optimizer="sgd", loss="binary_crossentropy")
        deep.backward_loss(y[:, None].astype(np.float32), deep.forward(X, training=True))
        ratios[activation] = float(np.linalg.norm(deep.layers[0].dW) / np.linalg.norm(deep.layers[-1].dW))
    return ratios


def dead_share(model, X):
    dead = total = 0
    h = X
    for layer in model.layers[:-1]:
        h = layer.forward(h)
        never_on = np.all(h <= 0, axis=0)
        dead, total = dead + never_on.sum(), total + never_on.size
    return float(dead / total)


def no_gradient_share(model, X, y):
    out = model.forward(X, training=True)
    model.backward_loss(y[:, None].astype(np.float32), out)
    return float(np.concatenate([np.all(layer.dW == 0, axis=0) for layer in model.layers[:-1]]).mean())


@measurement
def dying(seed):
    """The lesson's moons network (two hidden layers of 64) after 30 epochs of Adam."""
    X, y = make_moons(400, noise=0.15, rng=0)
    result = {}
    for name, activation, lr in (("relu 0.01", "relu", 0.01), ("relu 1.0", "relu", 1.0),
                                 ("leaky 1.0", "leaky_relu", 1.0)):
        net = Sequential([Dense(64, activation=activation, input_shape=(2,)), Dense(64, activation=activation),
                          Dense(1, activation="sigmoid")], seed=seed)
        net.compile(optimizer=Adam(learning_rate=lr), loss="binary_crossentropy", metrics=["accuracy"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            net.fit(X, y, epochs=30, batch_size=32, verbose=0)
        result[name] = {"dead": dead_share(net, X), "accuracy": float(net.evaluate(X, y)[1]),
                        "no_gradient": no_gradient_share(net, X, y)}
    return result


def test_linear_hidden_layers_never_solve_xor(report):
    accuracies = [linear_stack_on_xor(seed) for seed in SEEDS]
    report("two linear hidden layers on XOR: accuracy", spread(accuracies))
    assert max(accuracies) <= 0.75


def test_sigmoid_gradients_vanish_where_tanh_and_relu_keep_them(report):
    runs = [gradient_ratios(seed) for seed in SEEDS]
    for activation in ("sigmoid", "tanh", "relu"):
        report(f"{activation}: first-layer / output-layer gradient", spread([r[activation] for r in runs]))
    assert all(r["sigmoid"] < 1e-5 for r in runs), "page: roughly a million times smaller with sigmoids"
    sigmoid = spread([r["sigmoid"] for r in runs])
    others = spread([r[name] for r in runs for name in ("tanh", "relu")])
    assert (f"{sigmoid.low:.0e}", f"{sigmoid.high:.0e}") == ("4e-07", "3e-06"), "page: between 4e-07 and 3e-06"
    assert (f"{others.low:.1f}", f"{others.high:.0f}") == ("0.3", "4"), "page: between 0.3 and 4"
    assert all(min(r["tanh"], r["relu"]) > 0.1 for r in runs), "page: tanh and ReLU keep the gradient"


def test_a_large_learning_rate_kills_more_relus_and_fits_worse(report):
    runs = [dying(seed) for seed in SEEDS]
    for name in ("relu 0.01", "relu 1.0"):
        report(f"{name}: dead share", spread([r[name]["dead"] for r in runs]))
        report(f"{name}: training accuracy", spread([r[name]["accuracy"] for r in runs]))
    assert all(r["relu 1.0"]["dead"] > r["relu 0.01"]["dead"] for r in runs)
    page = {("relu 0.01", "dead"): "12% ± 3%", ("relu 1.0", "dead"): "55% ± 17%",
            ("relu 0.01", "accuracy"): "98.8% ± 0.3%", ("relu 1.0", "accuracy"): "83% ± 6%"}
    for (name, what), text in page.items():
        s = spread([r[name][what] for r in runs])
        digits = 1 if "." in text else 0
        assert f"{s.mean:.{digits}%} ± {s.std:.{digits}%}" == text, f"page: {name} {what} {text}"
    assert all(r["relu 1.0"]["accuracy"] < r["relu 0.01"]["accuracy"] for r in runs)


WINS = 4  # runs of 5 in which Leaky ReLU fits better than ReLU at learning rate 1.0, as the page says


def test_leaky_units_keep_a_gradient_and_fit_better_at_the_large_rate(report):
    runs = [dying(seed) for seed in SEEDS]
    report("leaky 1.0: share of units without gradient", spread([r["leaky 1.0"]["no_gradient"] for r in runs]))
    report("relu 1.0: share of units without gradient", spread([r["relu 1.0"]["no_gradient"] for r in runs]))
    report("leaky 1.0: training accuracy", spread([r["leaky 1.0"]["accuracy"] for r in runs]))
    assert all(r["leaky 1.0"]["no_gradient"] == 0 for r in runs)
    assert all(r["relu 1.0"]["no_gradient"] > 0.5 for r in runs)
    leaky = spread([r["leaky 1.0"]["accuracy"] for r in runs])
    assert f"{leaky.mean:.0%} ± {leaky.std:.0%}" == "95% ± 5%", "page: 95 ± 5 %"
    wins = sum(r["leaky 1.0"]["accuracy"] > r["relu 1.0"]["accuracy"] for r in runs)
    report("runs where leaky fits better than ReLU at learning rate 1.0", f"{wins} of {len(runs)}")
    assert wins == WINS, f"the page says {WINS} of 5"


class CentredSigmoid(Activation):
    """a = sigmoid(x) - 0.5 = tanh(x / 2) / 2;  da/dx = s (1 - s), the sigmoid's slope."""

    def f(self, x):
        self.s = sigmoid(x)
        return self.s - 0.5

    def df(self, grad):
        return grad * self.s * (1 - self.s)


@measurement
def final_training_losses():
    X_train, _, y_train, _ = data.load_digits(test=0.25, rng=0)
    runs = []
    for seed in SEEDS:
        run = {}
        for name, make in (("sigmoid", lambda: "sigmoid"), ("centred", CentredSigmoid)):
            model = Sequential([Dense(32, activation=make(), input_shape=(64,)), Dense(32, activation=make()),
                                Dense(10, activation="softmax")], seed=seed)
            model.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy")
            run[name] = model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0).history["loss"][-1]
        runs.append(run)
    return runs


def test_the_centred_sigmoid_trains_to_a_lower_loss(report):
    runs = final_training_losses()
    report("training loss after 20 epochs, sigmoid", spread([r["sigmoid"] for r in runs]))
    report("training loss after 20 epochs, sigmoid - 0.5", spread([r["centred"] for r in runs]))
    assert all(r["centred"] < r["sigmoid"] for r in runs)
