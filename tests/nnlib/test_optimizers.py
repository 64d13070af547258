"""Each optimizer's first two steps against the update formulas, computed here independently."""

import math

import numpy as np
import pytest

from nnlib import backend as nb, optimizers
from nnlib.optimizers import SGD, AdaGrad, Adam, CosineDecay, ExponentialDecay, RMSprop, StepDecay

W0 = np.array([0.5, -1.0, 2.0])
GRADS = [np.array([0.1, -0.2, 0.3]), np.array([-0.4, 0.5, 0.05])]


def two_steps(optimizer):
    with nb.using(dtype="float64"):
        w = nb.asarray(W0.copy())  # on NumPy asarray would alias W0, which step updates in place
        out = []
        for g in GRADS:
            optimizer.step([(w, nb.asarray(g))])
            out.append(nb.to_numpy(w).copy())
        return out


def expected_sgd(lr, momentum=0.0, nesterov=False):
    w, v, out = W0.copy(), np.zeros(3), []
    for g in GRADS:
        v = momentum * v - lr * g
        w = w + (momentum * v - lr * g if nesterov else v)
        out.append(w)
    return out


def expected_adagrad(lr, init=0.1, eps=1e-7):
    w, acc, out = W0.copy(), np.full(3, init), []
    for g in GRADS:
        acc = acc + g**2
        w = w - lr * g / np.sqrt(acc + eps)
        out.append(w)
    return out


def expected_rmsprop(lr, rho=0.9, eps=1e-7):
    w, v, out = W0.copy(), np.zeros(3), []
    for g in GRADS:
        v = rho * v + (1 - rho) * g**2
        w = w - lr * g / (np.sqrt(v) + eps)
        out.append(w)
    return out


def expected_adam(lr, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v, out = W0.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g**2
        w = w - lr * math.sqrt(1 - b2**t) / (1 - b1**t) * m / (np.sqrt(v) + eps)
        out.append(w)
    return out


@pytest.mark.parametrize("make_optimizer, expected", [
    (lambda: SGD(0.1), expected_sgd(0.1)),
    (lambda: SGD(0.1, momentum=0.9), expected_sgd(0.1, 0.9)),
    (lambda: SGD(0.1, momentum=0.9, nesterov=True), expected_sgd(0.1, 0.9, True)),
    (lambda: AdaGrad(0.5), expected_adagrad(0.5)),
    (lambda: RMSprop(0.01, rho=0.8), expected_rmsprop(0.01, rho=0.8)),
    (lambda: Adam(0.01), expected_adam(0.01)),
    (lambda: Adam(0.1, beta_1=0.5, beta_2=0.9), expected_adam(0.1, 0.5, 0.9)),
], ids=["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adam-betas"])
def test_first_two_steps_match_formulas(backend, make_optimizer, expected):
    for got, want in zip(two_steps(make_optimizer()), expected, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_keras_defaults():
    assert SGD().learning_rate == 0.01
    adam = optimizers.get("adam")
    assert (adam.learning_rate, adam.beta_1, adam.beta_2, adam.epsilon) == (0.001, 0.9, 0.999, 1e-7)


def test_step_updates_in_place(backend):
    w = nb.asarray([1.0, 2.0])
    same = w
    Adam(0.1).step([(w, nb.asarray([1.0, 1.0]))])
    assert same is w and float(w[0]) < 1.0


def test_clipvalue_and_clipnorm(backend):
    with nb.using(dtype="float64"):
        w = nb.asarray([0.0, 0.0])
        SGD(1.0, clipvalue=0.5).step([(w, nb.asarray([3.0, -0.2]))])
        np.testing.assert_allclose(nb.to_numpy(w), [-0.5, 0.2])
        w = nb.asarray([0.0, 0.0])
        SGD(1.0, clipnorm=1.0).step([(w, nb.asarray([3.0, 4.0]))])
        np.testing.assert_allclose(nb.to_numpy(w), [-0.6, -0.8])
        w = nb.asarray([0.0, 0.0])
        SGD(1.0, clipnorm=10.0).step([(w, nb.asarray([3.0, 4.0]))])  # within bounds: untouched
        np.testing.assert_allclose(nb.to_numpy(w), [-3.0, -4.0])


def test_schedules():
    assert StepDecay(1.0, drop=0.5, step_size=10)(25) == 0.25
    assert ExponentialDecay(1.0, decay_steps=10, decay_rate=0.5)(5) == pytest.approx(0.5**0.5)
    assert ExponentialDecay(1.0, 10, 0.5, staircase=True)(15) == 0.5
    assert CosineDecay(1.0, decay_steps=100)(50) == pytest.approx(0.5)
    assert CosineDecay(1.0, decay_steps=100, alpha=0.1)(1000) == pytest.approx(0.1)


def test_schedule_drives_the_step_size():
    with nb.using(dtype="float64"):
        w = nb.asarray([0.0])
        optimizer = SGD(StepDecay(1.0, drop=0.1, step_size=1))
        optimizer.step([(w, nb.asarray([1.0]))])  # lr 1
        optimizer.step([(w, nb.asarray([1.0]))])  # lr 0.1
        assert float(w[0]) == pytest.approx(-1.1)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-0.1, ValueError), (float("nan"), ValueError),
                                        (float("inf"), ValueError), ("fast", TypeError), (None, TypeError)])
def test_bad_learning_rate(bad, error):
    with pytest.raises(error, match="learning_rate must be a positive"):
        Adam(learning_rate=bad)


def test_unknown_optimizer_lists_valid_names():
    with pytest.raises(ValueError, match="unknown optimizer 'lion'; valid names: adagrad, adam, adamw, rmsprop, sgd"):
        optimizers.get("lion")


@pytest.mark.parametrize("make_optimizer", [Adam, RMSprop], ids=["adam", "rmsprop"])
def test_step_holds_at_most_two_temporaries(make_optimizer):
    """Beyond its moments, a step needs two parameter-sized arrays at once, never three.

    A third one (the quotient beside the step and the denominator) made every step of the
    benchmark MLP fault memory in afresh, 2 % of its time."""
    import tracemalloc

    w, grad = np.zeros(1_000_000, dtype=np.float32), np.ones(1_000_000, dtype=np.float32)
    optimizer = make_optimizer()
    optimizer.step([(w, grad)])  # the first step allocates the moments
    tracemalloc.start()
    try:
        optimizer.step([(w, grad)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2.5 * w.nbytes, f"peak {peak / w.nbytes:.2f} parameter sizes"
