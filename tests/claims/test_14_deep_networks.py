"""Claims of lesson 14, "Deep networks": symmetry, the scale of initial weights, vanishing and
exploding gradients, batch normalization and residual connections, each over five
initializations on the page's standardized digits."""

import warnings

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, BatchNormalization, Dense, Residual, Sequential, Sigmoid, backend, data
from nnlib.initializers import Constant, RandomNormal


def digits():
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def stack(depth, width, activation, init, seed, head=True):
    layers = [Dense(width, activation=activation, input_shape=(64,), kernel_initializer=init)]
    layers += [Dense(width, activation=activation, kernel_initializer=init) for _ in range(depth - 1)]
    return Sequential(layers + ([Dense(10, activation="softmax")] if head else []), seed=seed)


def fit(model, optimizer, epochs=10):
    """Final training loss (nan if training diverged) and test accuracy."""
    X_train, X_test, y_train, y_test = digits()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        history = model.fit(X_train, y_train, epochs=epochs, verbose=0)
    loss = history.history["loss"][-1]
    return [loss if np.isfinite(loss) else None, model.evaluate(X_test, y_test)[1] if np.isfinite(loss) else None]


def distinct_units(W, tolerance=0.01):
    return sum(all(np.abs(W[:, j] - W[:, k]).max() > tolerance for k in range(j)) for j in range(W.shape[1]))


@measurement
def untrained():
    """Activation spreads at initialization, and one backward pass through ten layers."""
    X_train, _, y_train, _ = digits()
    out = {"layer 10 std": [], "saturated": [], "gradient ratio": []}
    for seed in SEEDS:
        stds = {}
        for activation, init, name in (("tanh", RandomNormal(stddev=0.01), "tanh 0.01"),
                                       ("tanh", RandomNormal(stddev=1.0), "tanh 1"),
                                       ("tanh", "glorot_normal", "tanh Xavier"), ("relu", "glorot_normal", "relu Xavier"),
                                       ("relu", "he_normal", "relu He")):
            net = stack(10, 128, activation, init, seed, head=False)
            net.forward(X_train[:256])
            stds[name] = [float(net.layers[0].a.std()), float(net.layers[-1].a.std())]
            if name == "tanh 1":
                out["saturated"].append(float((np.abs(net.layers[-1].a) > 0.99).mean()))
        out["layer 10 std"].append(stds)
        ratios = {}
        for activation, init in (("sigmoid", "glorot_normal"), ("relu", "he_normal")):
            net = stack(10, 32, activation, init, seed)
            net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
            net.backward_loss(y_train[:256], net.forward(X_train[:256]))
            norms = [float(np.linalg.norm(layer.dW)) for layer in net.layers]
            ratios[activation] = norms[-1] / norms[0]
        out["gradient ratio"].append(ratios)
    return out


@measurement
def trained_small():
    """The symmetry problem, and the over-scaled ReLU network with and without clipping."""
    out = {"distinct, constant": [], "distinct, random": [], "unclipped loss": [], "clipped": []}
    for seed in SEEDS:
        for name, init in (("constant", Constant(0.1)), ("random", "glorot_uniform")):
            model = Sequential([Dense(16, activation="tanh", input_shape=(64,), kernel_initializer=init),
                                Dense(10, activation="softmax", kernel_initializer=init)], seed=seed)
            fit(model, SGD(0.1))
            out[f"distinct, {name}"].append(distinct_units(backend.to_numpy(model.layers[0].W)))
        out["unclipped loss"].append(fit(stack(8, 64, "relu", RandomNormal(stddev=0.25), seed), SGD(0.1))[0])
        out["clipped"].append(fit(stack(8, 64, "relu", RandomNormal(stddev=0.25), seed), SGD(0.1, clipnorm=1.0)))
    return out


@measurement
def batch_norm():
    out = {"without": [], "with": []}
    for seed in SEEDS:
        layers = [Dense(64, input_shape=(64,)), BatchNormalization(), Sigmoid()]
        for _ in range(9):
            layers += [Dense(64), BatchNormalization(), Sigmoid()]
        out["without"].append(fit(stack(10, 64, "sigmoid", "glorot_uniform", seed), SGD(0.1)))
        out["with"].append(fit(Sequential(layers + [Dense(10, activation="softmax")], seed=seed), SGD(0.1)))
    return out


@measurement
def residual():
    blocks, width = 15, 32
    out = {"plain": [], "plain, He": [], "residual": []}
    for seed in SEEDS:
        out["plain"].append(fit(stack(2 * blocks + 1, width, "relu", "glorot_uniform", seed), SGD(0.05)))
        out["plain, He"].append(fit(stack(2 * blocks + 1, width, "relu", "he_normal", seed), SGD(0.05)))
        model = Sequential([Dense(width, activation="relu", input_shape=(64,))]
                           + [Residual([Dense(width, activation="relu"), Dense(width, kernel_initializer="zeros")])
                              for _ in range(blocks)] + [Dense(10, activation="softmax")], seed=seed)
        out["residual"].append(fit(model, SGD(0.05)))
    return out


def test_equal_initial_weights_keep_the_units_twins(report):
    """'Ten epochs of training did not separate a single pair of units'; random weights give 16
    distinct units (every run)."""
    runs = trained_small()
    report("distinct hidden units, constant start", spread(runs["distinct, constant"]))
    report("distinct hidden units, random start", spread(runs["distinct, random"]))
    assert set(runs["distinct, constant"]) == {1} and set(runs["distinct, random"]) == {16}


def test_the_scale_of_the_initial_weights_decides_the_signal(report):
    """'With tiny weights the signal dies ... with standard deviation 1, tanh units are pushed to
    +-1 ... Xavier keeps tanh activations at a usable size; with ReLU it loses a little at every
    layer, and He fixes exactly that.' (every run)"""
    runs = untrained()
    stds = runs["layer 10 std"]
    for name in ("tanh 0.01", "tanh 1", "tanh Xavier", "relu Xavier", "relu He"):
        report(f"{name}: std of layer 10", spread([s[name][1] for s in stds]))
    report("tanh, std 1: share of layer-10 units with |a| > 0.99", spread(runs["saturated"]))
    for s in stds:
        assert s["tanh 0.01"][1] < 1e-6
        assert s["tanh Xavier"][1] > 0.1
        assert s["relu Xavier"][1] < s["relu Xavier"][0] / 10 and s["relu He"][1] > s["relu He"][0] / 2
    assert min(runs["saturated"]) > 0.5


def test_sigmoid_gradients_vanish_and_relu_gradients_do_not(report):
    """'the first layer's weights move hundreds of thousands of times more slowly than the last
    layer's. ... with He initialization the gradient arrives at every layer at about the same size.'"""
    ratios = untrained()["gradient ratio"]
    report("sigmoid: |dW| output layer / first layer", spread([r["sigmoid"] for r in ratios]))
    report("ReLU (He): |dW| output layer / first layer", spread([r["relu"] for r in ratios]))
    assert all(r["sigmoid"] > 1e5 and r["relu"] < 10 for r in ratios)


def test_clipping_rescues_an_exploding_network(report):
    """'within a few steps the loss is infinite' without clipping; with clipnorm=1.0 'it keeps one
    bad step from destroying the run': the same network trains, in every run."""
    runs = trained_small()
    report("too-large weights with clipping: test accuracy", spread([acc for _, acc in runs["clipped"]]))
    assert all(loss is None for loss in runs["unclipped loss"])
    assert min(acc for _, acc in runs["clipped"]) > 0.85


def test_batch_norm_lets_the_deep_sigmoid_network_learn(report):
    """'ten sigmoid layers ... which plain SGD cannot train' learn with batch normalization."""
    runs = batch_norm()
    report("10 sigmoid layers: test accuracy", spread([acc for _, acc in runs["without"]]))
    report("10 sigmoid layers with batch norm: test accuracy", spread([acc for _, acc in runs["with"]]))
    assert max(acc for _, acc in runs["without"]) < 0.2 and min(acc for _, acc in runs["with"]) > 0.85


def test_residual_connections_train_where_plain_networks_do_not(report):
    """'the plain network does not learn at all in ten epochs, He initialization gets it started but
    slowly, and the residual network trains at once.'"""
    runs = residual()
    for name in ("plain", "plain, He", "residual"):
        report(f"32 layers, {name}: test accuracy", spread([acc for _, acc in runs[name]]))
    plain, he, res = ([acc for _, acc in runs[name]] for name in ("plain", "plain, He", "residual"))
    assert max(plain) < 0.2 and min(res) > 0.9
    assert all(p <= h < r for p, h, r in zip(plain, he, res))
