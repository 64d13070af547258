"""Claims of lessons/07-backpropagation.md: the backward pass costs about twice the forward pass;
sigmoid gradients shrink on their way to the first layer."""

import statistics
import time

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential, data
from nnlib.layers import Sigmoid


class ForgetfulSigmoid(Sigmoid):
    """The lesson's buggy sigmoid: its derivative lacks the factor (1 - a)."""

    def df(self, grad):
        return grad * self.a


@measurement
def forward_and_backward_seconds():
    """Seconds of 9 paired forward and backward passes of a 512-wide MLP on a batch of 256."""
    model = Sequential([Dense(512, activation="relu", input_shape=(512,)), Dense(512, activation="relu"),
                        Dense(512, activation="relu"), Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(256, 512)).astype(np.float32), rng.integers(0, 10, 256)
    pairs = []
    for _ in range(9):
        start = time.perf_counter()
        out = model.forward(X, training=True)
        middle = time.perf_counter()
        model.backward_loss(y, out)
        pairs.append((middle - start, time.perf_counter() - middle))
    return pairs


@measurement
def sigmoid_gradient_norms(seed):
    """|dW| per layer of an 8-hidden-layer sigmoid network on 128 digits, one backward pass."""
    digits, labels = data.load_digits()
    batch = np.random.default_rng(0).choice(len(digits), size=128, replace=False)
    deep = Sequential([Dense(32, activation="sigmoid", input_shape=(64,))]
                      + [Dense(32, activation="sigmoid") for _ in range(7)]
                      + [Dense(10, activation="softmax")], seed=seed)
    deep.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    deep.backward_loss(labels[batch], deep.forward(digits[batch]))
    return [float(np.linalg.norm(layer.dW)) for layer in deep.layers]


@measurement
def training_with_a_buggy_backward(seed):
    """Moons loss before and after 20 epochs of SGD, with the correct and the forgetful sigmoid."""
    X, y = data.make_moons(200, noise=0.2, rng=0)
    result = {}
    for name, activation in (("correct", Sigmoid), ("forgetful", ForgetfulSigmoid)):
        model = Sequential([Dense(16, input_shape=(2,)), activation(), Dense(1, activation="sigmoid")], seed=seed)
        model.compile(optimizer="sgd", loss="binary_crossentropy")
        before = float(model.evaluate(X, y))
        model.fit(X, y, epochs=20, batch_size=32, verbose=0)
        result[name] = {"before": before, "after": float(model.evaluate(X, y))}
    return result


def test_a_buggy_backward_pass_still_runs_and_lowers_the_loss(report):
    runs = [training_with_a_buggy_backward(seed) for seed in SEEDS]
    for name in ("correct", "forgetful"):
        report(f"{name} sigmoid: loss drop in 20 epochs", spread([r[name]["before"] - r[name]["after"] for r in runs]))
    assert all(r["forgetful"]["after"] < r["forgetful"]["before"] for r in runs), "page: the loss goes down"
    drops = {name: spread([r[name]["before"] - r[name]["after"] for r in runs]) for name in ("forgetful", "correct")}
    page = ["0.09 ± 0.05", "0.08 ± 0.05"]
    assert [f"{d.mean:.2f} ± {d.std:.2f}" for d in drops.values()] == page, "the page's numbers"


def test_backward_pass_costs_about_twice_the_forward_pass(report):
    ratios = [backward / forward for forward, backward in forward_and_backward_seconds()]
    report("backward / forward time, 9 paired passes", spread(ratios))
    median = statistics.median(ratios)
    report("median ratio", f"{median:.2f}")
    assert 1.3 <= median <= 3.5, "page: about twice"


def test_sigmoid_gradients_shrink_towards_the_first_layer(report):
    runs = [sigmoid_gradient_norms(seed) for seed in SEEDS]
    report("first-layer |dW| / last hidden layer's |dW|", spread([r[0] / r[-2] for r in runs]))
    assert all(r[0] < r[-2] / 10 for r in runs)
