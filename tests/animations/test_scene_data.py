"""Each scene shows nnlib's numbers: its data function agrees with nnlib run independently here."""

import numpy as np
import pytest

from nnlib import Dense, Sequential, backend, gradcheck, losses

from animations.backpropagation import backprop_data, backprop_steps, chain_factors
from animations.decision_boundary import blend, boundary_data, boundary_steps
from animations.drawing import fmt
from animations.forward_propagation import forward_data, forward_steps
from animations.gradient_descent import OPTIMIZERS, START, TOO_LARGE, descent_data, descent_steps, mse_grid
from animations.neuron import neuron_data, neuron_steps


@pytest.fixture(autouse=True)
def float64():
    with backend.using("numpy", dtype="float64"):
        yield


def dense(W, b, activation):
    layer = Dense(W.shape[1], activation=activation)
    layer.build((W.shape[0],), np.random.default_rng(0))
    layer.W, layer.b = backend.asarray(W), backend.asarray(b)
    return layer


def test_neuron_matches_the_lesson_and_nnlib():
    d = neuron_data()
    layer = dense(np.array([[0.3], [0.7]]), np.array([0.1]), "sigmoid")
    a = layer.forward(backend.asarray([[1.0, 0.5]]))
    assert d.z == pytest.approx(float(layer.z[0, 0])) and d.a == pytest.approx(float(a[0, 0]))
    assert (fmt(d.products[0]), fmt(d.products[1]), fmt(d.z), fmt(d.a)) == ("0.30", "0.35", "0.75", "0.68")
    assert sum(d.products) + d.b == pytest.approx(d.z)
    assert "z = 0.75" in neuron_steps(d)[2].text and "0.68" in neuron_steps(d)[3].text


def test_forward_propagation_values_chain_through_the_layers():
    d = forward_data()
    x = d.x[None]
    for l, activation in enumerate(("tanh", "softmax")):
        layer = dense(d.W[l], d.b[l], activation)
        a = backend.to_numpy(layer.forward(backend.asarray(x)))[0]
        np.testing.assert_allclose(backend.to_numpy(layer.z)[0], d.z[l], rtol=1e-12)
        np.testing.assert_allclose(a, d.a[l], rtol=1e-12)
        x = a[None]
    assert d.a[-1].sum() == pytest.approx(1.0) and d.accuracy > 0.9
    assert fmt(d.a[-1].max()) in forward_steps(d)[-1].text


def test_backpropagation_gradients_pass_a_gradient_check():
    d = backprop_data()
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(1, activation="sigmoid")])
    model.set_weights([d.W[0], d.b[0], d.W[1], d.b[1]])
    x, y = backend.asarray([d.x]), backend.asarray([[d.y]])
    bce = losses.get("binary_crossentropy")
    first_W = model.layers[0].W
    numerical = gradcheck.numerical_gradient(lambda _: bce(y, model.forward(x)), first_W)
    np.testing.assert_allclose(numerical, d.dW[0], rtol=1e-5)
    assert float(bce(y, model.forward(x))) == pytest.approx(d.loss)
    assert d.dz_out == pytest.approx(d.a[1][0] - d.y)
    assert np.prod(chain_factors(d)) == pytest.approx(d.dW[0][0, 0])
    assert d.w_after == pytest.approx(d.w_before - d.learning_rate * d.dW[0][0, 0])
    assert fmt(d.dW[0][0, 0], 3) in backprop_steps(d)[4].text


def test_gradient_descent_paths_follow_the_loss_gradient():
    d = descent_data()
    for name in OPTIMIZERS:
        path = d.paths[name]
        np.testing.assert_allclose(path[0], START)
        np.testing.assert_allclose(mse_grid(d.x, d.y, path[:, 0], path[:, 1]).diagonal(), d.path_losses[name])
        assert d.path_losses[name][-1] < d.path_losses[name][0] / 5
    # The first SGD step is w - η ∂L/∂w with the MSE gradient written out by hand.
    w, b = START
    residual = (w * d.x + b - d.y)[:, 0]
    grad = np.array([2 * np.mean(residual * d.x[:, 0]), 2 * np.mean(residual)])
    np.testing.assert_allclose(d.paths["SGD"][1], np.array(START) - 0.2 * grad, rtol=1e-12)
    assert np.all(np.diff(d.diverging_losses) > 0), f"η = {TOO_LARGE} should make every step worse"
    assert fmt(d.diverging_losses[-1], 0) in descent_steps(d)[-1].text


def test_decision_boundary_snapshots_are_the_recording():
    d = boundary_data()
    assert d.outputs.shape == (len(d.epochs), len(d.grid_y), len(d.grid_x))
    assert list(d.epochs) == list(range(len(d.epochs)))
    assert np.isnan(d.losses[0]) and d.losses[-1] < d.losses[1] / 5 and d.accuracy >= 0.95
    np.testing.assert_array_equal(blend(d, 3.0), d.outputs[3])
    # Rows of the grid run along y: class 1 (the lower moon) below, class 0 above.
    def output_at(x, y):
        return d.outputs[-1][np.abs(d.grid_y - y).argmin(), np.abs(d.grid_x - x).argmin()]
    assert output_at(1.0, -0.4) > 0.5 > output_at(0.0, 1.0)
    assert fmt(d.losses[-1], 3) in boundary_steps(d)[-1].text
