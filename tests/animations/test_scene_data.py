"""Each scene shows nnlib's numbers: its data function agrees with the lesson's formulas, computed here."""

import numpy as np
import pytest

from nnlib import Dense, backend, gradcheck, losses

from animations.attention import attention_data
from animations.backpropagation import backprop_data, backprop_steps, chain_factors
from animations.convolution import convolution_data, convolution_steps
from animations.decision_boundary import blend, boundary_data, boundary_steps, redraw_on_change
from animations.drawing import fmt
from animations.forward_propagation import forward_data, forward_steps
from animations.gradient_descent import LEARNING_RATES, START, descent_data, descent_steps, mse_grid
from animations.lstm_cell import BIAS, KERNEL, lstm_data, lstm_steps
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


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax_rows(s):
    e = np.exp(s - s.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def test_neuron_matches_the_lesson_and_nnlib():
    d = neuron_data()
    layer = dense(np.array([[0.3], [0.7]]), np.array([0.1]), "sigmoid")
    a = layer.forward(backend.asarray([[1.0, 0.5]]))
    assert d.z == pytest.approx(float(layer.z[0, 0])) and d.a == pytest.approx(float(a[0, 0]))
    assert (fmt(d.products[0]), fmt(d.products[1]), fmt(d.z), fmt(d.a)) == ("0.30", "0.35", "0.75", "0.68")
    assert sum(d.products) + d.b == pytest.approx(d.z)
    assert "z = 0.75" in neuron_steps(d)[2].text and "0.68" in neuron_steps(d)[3].text


def test_forward_propagation_is_lesson_5s_pass():
    d = forward_data()
    hidden_z = d.x @ d.W[0] + d.b[0]
    np.testing.assert_allclose(d.z[0], hidden_z, atol=1e-6)
    np.testing.assert_allclose(d.a[0], np.maximum(hidden_z, 0), atol=1e-6)
    output_z = d.a[0] @ d.W[1] + d.b[1]
    np.testing.assert_allclose(d.z[1], output_z, atol=1e-6)
    np.testing.assert_allclose(d.a[1], softmax_rows(output_z), atol=1e-6)
    # The numbers lesson 5 prints for this example.
    assert [fmt(v, 3) for v in d.z[0]] == ["−0.144", "1.738", "−0.725", "0.776"]
    assert [fmt(v, 3) for v in d.a[1]] == ["0.339", "0.133", "0.528"]
    assert "class 2 with probability 0.528" in forward_steps(d)[-1].text


def test_backpropagation_is_lesson_7s_and_passes_a_gradient_check():
    d = backprop_data()
    from nnlib import Sequential
    model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(1, activation="sigmoid")])
    model.set_weights([d.W[0], np.array([0.1, 0.0]), d.W[1], np.array([0.2])])
    x, y = backend.asarray([d.x]), backend.asarray([[d.y]])
    mse = losses.get("mse")
    for layer, dW in zip(model.layers, d.dW):
        numerical = gradcheck.numerical_gradient(lambda _: mse(y, model.forward(x)), layer.W)
        np.testing.assert_allclose(numerical, dW, rtol=1e-5)
    assert float(mse(y, model.forward(x))) == pytest.approx(d.loss)
    assert (fmt(d.a[1][0], 3), fmt(d.loss, 4), fmt(d.dW[1][0, 0], 4)) == ("0.597", "0.1621", "−0.1315")
    assert np.prod(chain_factors(d)) == pytest.approx(d.dW[1][0, 0])
    assert d.w_after == pytest.approx(d.w_before - d.learning_rate * d.dW[1][0, 0])
    assert d.loss_after < d.loss
    assert "= −0.1315" in backprop_steps(d)[2].text


def test_gradient_descent_paths_are_sgd_on_lesson_8s_loss():
    d = descent_data()
    small, good, large = LEARNING_RATES
    for rate in LEARNING_RATES:
        path = d.paths[rate]
        np.testing.assert_allclose(path[0], START)
        # Each recorded loss is the loss at the point the step started from.
        np.testing.assert_allclose(mse_grid(d.x, d.y, path[:-1, 0], path[:-1, 1]).diagonal(), d.losses[rate], rtol=1e-4)
    # One step is (w, b) − η ∇L with the MSE gradient written out by hand.
    w, b = START
    residual = (w * d.x + b - d.y)[:, 0]
    gradient = np.array([2 * np.mean(residual * d.x[:, 0]), 2 * np.mean(residual)])
    np.testing.assert_allclose(d.gradient, gradient, rtol=1e-4)
    np.testing.assert_allclose(d.paths[good][1], np.array(START) - good * gradient, rtol=1e-4)
    # The minimum has no gradient; the three rates crawl, converge and diverge, as lesson 8 prints.
    w, b = d.minimum
    residual = (w * d.x + b - d.y)[:, 0]
    assert abs(np.mean(residual * d.x[:, 0])) < 1e-5 and abs(np.mean(residual)) < 1e-5
    assert [fmt(d.losses[rate][-1], 3) for rate in LEARNING_RATES] == ["2.349", "0.104", "94.746"]
    assert np.all(np.diff(d.losses[large][5:]) > 0) and 2 / d.curvatures[1] < large
    assert "94.746" in descent_steps(d)[3].text


def test_decision_boundary_is_lesson_11s_recording():
    d = boundary_data()
    assert d.outputs.shape[0] == len(d.steps) == len(d.losses) == len(d.accuracy) == 221
    assert [f"{d.accuracy[s]:.0%}" for s in d.stages] == ["30%", "86%", "96%"]
    assert int(d.steps[d.stages[1]]) == 70 and int(d.steps[-1]) == 1400
    np.testing.assert_array_equal(blend(d, 3.0), d.outputs[3])
    assert "96%" in boundary_steps(d)[-1].text



def test_redraw_on_change_remakes_the_drawing_only_when_its_key_changes():
    from manim import Square, ValueTracker

    t, made = ValueTracker(0.2), []

    def make(key):
        made.append(key)
        return Square(side_length=1 + key)

    square = redraw_on_change(lambda: int(t.get_value()), make)
    for value in (0.5, 0.9, 1.1, 1.7, 2.0):
        t.set_value(value)
        square.update()
    assert made == [0, 1, 2]  # once at the start, then once per new key
    np.testing.assert_allclose(square.points, Square(side_length=3).points)


def test_convolution_is_lesson_15s_filter_relu_and_pooling():
    d = convolution_data()
    by_hand = np.array([[np.sum(d.image[r:r + 3, c:c + 3] * d.kernel) for c in range(6)] for r in range(6)])
    np.testing.assert_allclose(d.feature_map, by_hand, atol=1e-12)
    assert d.kernel.tolist() == [[1, 0, -1], [2, 0, -2], [1, 0, -1]] and d.bias == 0
    np.testing.assert_array_equal(d.rectified, np.maximum(d.feature_map, 0))
    np.testing.assert_array_equal(d.pooled, d.rectified.reshape(3, 2, 3, 2).max(axis=(1, 3)))
    assert d.feature_map[d.worked] == d.feature_map.max()
    assert np.round(d.pooled, 1).tolist() == [[0, 2.6, 3.5], [0, 1.9, 2.9], [0, 0, 2.9]]  # lesson 15 prints these
    assert "z = 3.5" in convolution_steps(d)[1].text


def test_lstm_cell_gates_follow_the_formulas():
    d = lstm_data()
    z = d.x[:, None] * np.array(KERNEL[0]) + np.array(BIAS)  # no recurrent weights: z depends on x alone
    np.testing.assert_allclose(np.stack([d.i, d.f, d.o], axis=1), sigmoid(z[:, [0, 1, 3]]), atol=1e-6)
    np.testing.assert_allclose(d.g, np.tanh(z[:, 2]), atol=1e-6)
    previous = np.concatenate([[0.0], d.c[:-1]])
    np.testing.assert_allclose(d.c, d.f * previous + d.i * d.g, atol=1e-6)
    np.testing.assert_allclose(d.h, d.o * np.tanh(d.c), atol=1e-6)
    assert d.f[d.spike] < 0.1 and d.i[d.spike] > 0.9 and np.all(d.f[d.spike + 1:] > 0.9)
    assert "c = 0.918" in lstm_steps(d)[2].text


def test_attention_weights_are_softmax_of_scaled_scores():
    d = attention_data()
    scores = d.q @ d.k.T / np.sqrt(d.k.shape[1])
    np.testing.assert_allclose(d.scores, scores, rtol=1e-12)
    np.testing.assert_allclose(d.weights, softmax_rows(scores), rtol=1e-10)
    np.testing.assert_allclose(d.weights.sum(axis=1), 1.0)
    np.testing.assert_allclose(d.output, d.weights @ d.v, rtol=1e-10)
    assert np.round(d.weights, 3).tolist()[0] == [0.602, 0.226, 0.172]  # lesson 17 prints this row
