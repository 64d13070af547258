"""Each scene shows nnlib's numbers: its data function agrees with nnlib run independently here."""

import numpy as np
import pytest

from nnlib import Conv2D, Dense, MaxPooling2D, Sequential, backend, data, gradcheck, losses

from animations.attention import attention_data, attention_model, attention_steps
from animations.backpropagation import backprop_data, backprop_steps, chain_factors
from animations.convolution import convolution_data, convolution_steps, products
from animations.decision_boundary import blend, boundary_data, boundary_steps
from animations.drawing import fmt
from animations.forward_propagation import forward_data, forward_steps
from animations.gradient_descent import OPTIMIZERS, START, TOO_LARGE, descent_data, descent_steps, mse_grid
from animations.lstm_cell import lstm_data, lstm_model, lstm_steps
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


def test_convolution_feature_map_and_pooling_are_nnlibs():
    d = convolution_data()
    images, labels = data.load_digits(flatten=False)
    np.testing.assert_array_equal(d.image, images[0])
    assert d.digit == labels[0] and d.kernel.tolist() == [[-1, 0, 1]] * 3 and d.bias == 0
    # The filter slid by hand (cross-correlation, as Conv2D computes it) ...
    by_hand = np.array([[np.sum(d.image[r:r + 3, c:c + 3] * d.kernel) for c in range(6)] for r in range(6)])
    np.testing.assert_allclose(d.feature_map, by_hand, atol=1e-12)
    # ... and by a Conv2D and a MaxPooling2D built here.
    conv = Conv2D(1, (3, 3), input_shape=(8, 8, 1))
    conv.build((8, 8, 1), np.random.default_rng(1))
    conv.W, conv.b = backend.asarray(d.kernel.reshape(3, 3, 1, 1)), backend.zeros((1,))
    z = conv.forward(backend.asarray(d.image[None, :, :, None]))
    np.testing.assert_array_equal(backend.to_numpy(z)[0, :, :, 0], d.feature_map)
    np.testing.assert_array_equal(d.pooled, d.feature_map.reshape(3, 2, 3, 2).max(axis=(1, 3)))
    np.testing.assert_array_equal(backend.to_numpy(MaxPooling2D(2).forward(z))[0, :, :, 0], d.pooled)
    r, c = d.worked
    np.testing.assert_array_equal(d.patch, d.image[r:r + 3, c:c + 3])
    positive, negative = products(d)
    assert positive > 0 > negative and positive + negative == pytest.approx(d.feature_map[r, c])
    steps = convolution_steps(d)
    assert f"= {fmt(d.feature_map[r, c])}." in steps[1].text and fmt(d.pooled.max(), 1) in steps[-1].text


def test_lstm_cell_gates_are_the_layers():
    d = lstm_data()
    model = lstm_model()
    model.set_weights(d.parameters)
    probability = backend.to_numpy(model.forward(backend.asarray(d.x[None, :, None])))[0, 0]
    lstm = model.layers[0]
    for name in ("i", "f", "g", "o", "c", "h"):
        np.testing.assert_allclose(backend.to_numpy(getattr(lstm, name))[0, :, 0], getattr(d, name), rtol=1e-12)
    assert probability == pytest.approx(d.probability)
    # The update the scene writes out: c = f·c₋₁ + i·g, h = o·tanh(c).
    previous = np.concatenate([[0.0], d.c[:-1]])
    np.testing.assert_allclose(d.c, d.f * previous + d.i * d.g, rtol=1e-12)
    np.testing.assert_allclose(d.h, d.o * np.tanh(d.c), rtol=1e-12)
    # The story the captions tell: one spike, the forget gate shuts on it, the memory is kept.
    s = d.spike
    assert d.x[s] > 0.5 and np.all(np.abs(np.delete(d.x, s)) < 0.5)
    assert d.f[s] < 0.2 and d.i[s] > 0.9 and np.all(d.f[s + 1:] > 0.9)
    assert abs(d.c[-1]) > 1 and d.probability > 0.99 and d.accuracy > 0.95
    steps = lstm_steps(d)
    assert f"f = {fmt(d.f[s])}" in steps[2].text and fmt(d.probability, 3) in steps[-1].text


def test_attention_weights_are_the_heads_softmax():
    d = attention_data()
    model = attention_model()
    model.set_weights(d.parameters)
    probabilities = backend.to_numpy(model.forward(backend.asarray(np.array([d.tokens], dtype=float))))[0]
    attention = model.layers[2]
    np.testing.assert_allclose(backend.to_numpy(attention.attention_weights)[0, d.head], d.weights, rtol=1e-12)
    # softmax(q kᵀ / √key_dim) along each row, from the layer's own q and k.
    q, k = (backend.to_numpy(a)[0, d.head] for a in (attention.q, attention.k))
    scores = q @ k.T / np.sqrt(k.shape[-1])
    expected = np.exp(scores - scores.max(axis=1, keepdims=True))
    np.testing.assert_allclose(d.weights, expected / expected.sum(axis=1, keepdims=True), rtol=1e-10)
    np.testing.assert_allclose(d.weights.sum(axis=1), 1.0)
    assert tuple(probabilities.argmax(-1)) == d.predicted == d.tokens[::-1]
    assert len(set(d.tokens)) == len(d.tokens)
    assert d.anti_diagonal == pytest.approx(np.mean(np.fliplr(d.weights).diagonal())) and d.anti_diagonal > 0.5
    assert np.all(d.weights.argmax(axis=1) == np.arange(len(d.tokens))[::-1]) and d.accuracy > 0.95
    assert fmt(d.anti_diagonal) in attention_steps(d)[3].text
