"""Float64 gradient checks of every layer, loss and the fused softmax/cross-entropy path."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import nnlib
from nnlib import backend as nb, losses
from nnlib.gradcheck import check_layer, check_loss, gradcheck, numerical_gradient, relative_error
from nnlib.layers import Dense, Dropout, LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Swish, Tanh

TOL = 1e-6
rng = np.random.default_rng(0)


def away_from_kinks(shape):
    """Inputs at least 0.1 from 0, where ReLU and hinge have kinks that central differences straddle."""
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


@pytest.mark.parametrize("layer", [Linear(), Sigmoid(), Tanh(), ReLU(), LeakyReLU(0.1), Swish(), Softmax()],
                         ids=lambda layer: layer.kind)
def test_activation_gradients(backend, layer):
    assert check_layer(layer, away_from_kinks((4, 5))) < TOL


@pytest.mark.parametrize("activation", [None, "relu", "sigmoid", "softmax", "swish"])
def test_dense_gradients(backend, activation):
    assert check_layer(Dense(3, activation=activation), away_from_kinks((5, 4))) < TOL


def test_dense_on_sequences_acts_on_last_axis(backend):
    layer = Dense(3, activation="tanh")
    assert check_layer(layer, rng.normal(size=(2, 4, 5))) < TOL
    assert tuple(layer.a.shape) == (2, 4, 3) and tuple(layer.dW.shape) == (5, 3)


def test_dense_regularizer_gradient(backend):
    layer = Dense(3, kernel_regularizer=nnlib.regularizers.L1L2(0.01, 0.1))
    layer.build((4,), np.random.default_rng(1))
    x = nb.asarray(rng.normal(size=(5, 4)))
    with nb.using(dtype="float64"):
        layer.W = nb.asarray(layer.W)
        layer.b = nb.asarray(layer.b)
        x = nb.asarray(x)
        g = nb.asarray(rng.normal(size=(5, 3)))

        def f(_):
            return nb.xp().sum(layer.forward(x) * g) + layer.regularization_loss()

        layer.forward(x)
        layer.backward(g)
        assert relative_error(layer.dW, numerical_gradient(f, layer.W)) < TOL


def test_dropout_backward_uses_the_forward_mask(backend):
    drop = Dropout(0.5, seed=0)
    x = nb.asarray(np.ones((4, 6)))
    out = nb.to_numpy(drop.forward(x, training=True))
    dx = nb.to_numpy(drop.backward(nb.asarray(np.ones((4, 6)))))
    np.testing.assert_array_equal(dx, out)  # d(out)/dx = mask / (1 - rate) = out for x = 1
    assert set(np.unique(out)) == {0.0, 2.0}
    np.testing.assert_array_equal(nb.to_numpy(drop.forward(x)), np.ones((4, 6)))  # identity at inference


LOSS_CASES = [
    (losses.MeanSquaredError(), rng.normal(size=(4, 3)), rng.normal(size=(4, 3))),
    (losses.BinaryCrossentropy(), rng.integers(0, 2, (5, 1)).astype(float), rng.uniform(0.1, 0.9, (5, 1))),
    (losses.BinaryCrossentropy(from_logits=True), rng.integers(0, 2, (5, 2)).astype(float), rng.normal(size=(5, 2))),
    (losses.CategoricalCrossentropy(), np.eye(3)[[0, 2, 1, 1]], rng.uniform(0.1, 0.9, (4, 3))),
    (losses.CategoricalCrossentropy(from_logits=True), np.eye(3)[[0, 2, 1, 1]], rng.normal(size=(4, 3))),
    (losses.SparseCategoricalCrossentropy(from_logits=True), np.array([0, 2, 1, 1]), rng.normal(size=(4, 3))),
    (losses.Hinge(), np.array([[1.0], [-1.0], [0.0], [1.0]]), np.array([[0.3], [0.2], [-2.0], [1.7]])),
]


@pytest.mark.parametrize("loss, y_true, y_pred", LOSS_CASES, ids=lambda c: getattr(c, "name", ""))
def test_loss_gradients(backend, loss, y_true, y_pred):
    assert check_loss(loss, y_true, y_pred) < TOL


@pytest.mark.parametrize("loss, shape", [
    (losses.BinaryCrossentropy(from_logits=True), (3, 1)),
    (losses.CategoricalCrossentropy(from_logits=True), (3, 4)),
    (losses.BinaryCrossentropy(), (3, 1)),
    (losses.CategoricalCrossentropy(), (3, 4)),
])
def test_extreme_inputs_give_finite_loss_and_gradient(backend, loss, shape):
    logits = np.array([1e4, -1e4, 0.0])[:, None] * np.ones(shape)
    logits[:, 0] *= -1
    y_pred = logits if loss.from_logits else (logits > 0).astype(float)  # probabilities of exactly 0 and 1
    y_true = np.eye(shape[1])[[0, 1, 2 % shape[1]]] if shape[1] > 1 else np.array([[1.0], [0.0], [1.0]])
    value = float(loss(nb.asarray(y_true), nb.asarray(y_pred)))
    grad = nb.to_numpy(loss.gradient(nb.asarray(y_true), nb.asarray(y_pred)))
    assert np.isfinite(value) and np.all(np.isfinite(grad))


def test_softmax_of_huge_logits_is_finite(backend):
    a = nb.to_numpy(Softmax().forward(nb.asarray([[1e4, -1e4, 0.0]])))
    np.testing.assert_allclose(a, [[1.0, 0.0, 0.0]])


@pytest.mark.parametrize("loss_name, activation, labels", [
    ("categorical_crossentropy", "softmax", np.eye(4)[[0, 3, 1, 2, 2]]),
    ("sparse_categorical_crossentropy", "softmax", np.array([0, 3, 1, 2, 2])),
    ("binary_crossentropy", "sigmoid", np.array([[0.0], [1.0], [1.0], [0.0], [1.0]])),
])
def test_fused_gradient_equals_unfused(backend, float64, loss_name, activation, labels):
    units = labels.shape[1] if labels.ndim == 2 else 4
    model = nnlib.Sequential([Dense(units, activation=activation, input_shape=(3,))], seed=0)
    model.compile("sgd", loss_name)
    assert model._fused_output() is model.layers[-1]
    x = nb.asarray(rng.normal(size=(5, 3)))
    y = nb.asarray(labels, None if labels.dtype.kind == "f" else "int64")
    fused = nb.to_numpy(model.backward_loss(y, model.forward(x)))
    fused_dW = nb.to_numpy(model.layers[0].dW)
    unfused = nb.to_numpy(model.backward(model.loss.gradient(y, model.forward(x))))
    np.testing.assert_allclose(fused, unfused, rtol=1e-7, atol=1e-12)
    np.testing.assert_allclose(fused_dW, nb.to_numpy(model.layers[0].dW), rtol=1e-7, atol=1e-12)


def test_separate_softmax_layer_is_fused_too(backend, float64):
    model = nnlib.Sequential([Dense(3, input_shape=(2,)), Softmax()])
    model.compile("sgd", "categorical_crossentropy")
    assert model._fused_output() is model.layers[-1]
    assert gradcheck(model, rng.normal(size=(4, 2)), np.array([0, 1, 2, 1])) < TOL


def test_model_gradcheck_with_regularizer_and_mse(backend, float64):
    model = nnlib.Sequential([Dense(4, activation="tanh", input_shape=(3,), kernel_regularizer="l2"), Dense(2)])
    model.compile("sgd", "mse")
    assert gradcheck(model, rng.normal(size=(5, 3)), rng.normal(size=(5, 2))) < TOL


ACTIVATIONS = ["linear", "sigmoid", "tanh", "leaky_relu", "swish", "softmax"]


@settings(max_examples=25, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    n_in=st.integers(1, 4),
    batch=st.integers(1, 6),
    activations=st.lists(st.sampled_from(ACTIVATIONS), min_size=3, max_size=3),
    seed=st.integers(0, 2**16),
)
def test_property_shapes_and_gradients(sizes, n_in, batch, activations, seed):
    """Random MLPs: output and gradient shapes are right and backward matches central differences."""
    data = np.random.default_rng(seed)
    with nb.using(dtype="float64"):
        model = nnlib.Sequential([Dense(n, activation=act) for n, act in zip(sizes, activations)], seed=seed)
        model.build((n_in,))
        model.compile("sgd", "mse")
        x = data.normal(size=(batch, n_in))
        y = data.normal(size=(batch, sizes[-1]))
        assert tuple(model.forward(nb.asarray(x)).shape) == (batch, sizes[-1])
        assert model.predict(x).shape == (batch, sizes[-1])
        dx = model.backward_loss(nb.asarray(y), model.forward(nb.asarray(x)))
        assert tuple(dx.shape) == (batch, n_in)
        for name, param, grad in model.named_parameters():
            assert tuple(grad.shape) == tuple(param.shape), name
        assert gradcheck(model, x, y) < 1e-5
