"""The weak spots of the December 2026 review: each bad input gets a clear error naming what was
wrong and what was expected, and each Keras idiom behaves as in Keras."""

import math
import warnings

import numpy as np
import pytest

import nnlib
from nnlib import GRU, LSTM, Conv2D, Dense, Embedding, Sequential, SimpleRNN, gradcheck, losses, optimizers
from nnlib import backend as nb
from nnlib.callbacks import Recorder
from nnlib.data import Standardizer, make_blobs


def compiled(loss="sparse_categorical_crossentropy", units=2, features=3, optimizer="sgd", **compile_args):
    model = Sequential([Dense(units, activation="softmax" if units > 1 else None, input_shape=(features,))], seed=0)
    model.compile(optimizer, loss, **compile_args)
    return model


def built(layer, input_shape):
    layer.build(input_shape, np.random.default_rng(0))
    return layer


X3, Y3 = np.ones((4, 3)), np.array([0, 1, 0, 1])

BAD = [
    # data
    (lambda: compiled().fit(X3.astype(str), Y3, verbose=0), TypeError, "X must hold real numbers, got an array of dtype <U"),
    (lambda: compiled().fit(X3 + 1j, Y3, verbose=0), TypeError, "X must hold real numbers, got an array of dtype complex"),
    (lambda: compiled().fit([[1, 2], [3]], [0, 1], verbose=0), ValueError, "X must be an array of numbers"),
    (lambda: compiled().fit(X3 * 1e39, Y3, verbose=0), ValueError, "beyond float32's largest number"),
    (lambda: compiled().fit(X3, np.array(["a", "b", "a", "b"]), verbose=0), TypeError, "y must hold real numbers"),
    (lambda: compiled("hinge", units=1).fit(X3, [0.5, 1, -1, 1], verbose=0), ValueError, "hinge expects labels -1 and 1"),
    (lambda: compiled().fit(X3, Y3[:3], verbose=0), ValueError, "X has 4 samples but y has 3"),
    (lambda: compiled().fit(X3[0], Y3, verbose=0), ValueError, "X must have a batch axis and a feature axis"),
    (lambda: compiled().fit(X3, Y3, validation_data=X3, verbose=0), ValueError, "validation_data must be a pair"),
    (lambda: compiled().fit(X3, Y3, validation_data=(X3, Y3[:2]), verbose=0), ValueError,
     "validation X has 4 samples but validation y has 2"),
    # fit, evaluate and predict arguments
    (lambda: compiled().fit(X3, Y3, batch_size=math.inf, verbose=0), ValueError, "batch_size must be a positive integer"),
    (lambda: compiled().fit(X3, Y3, batch_size=math.nan, verbose=0), ValueError, "batch_size must be a positive integer"),
    (lambda: compiled().fit(X3, Y3, batch_size="32", verbose=0), TypeError, "batch_size must be a positive integer"),
    (lambda: compiled().fit(X3, Y3, epochs=None, verbose=0), TypeError, "epochs must be a positive integer"),
    (lambda: compiled().evaluate(X3, Y3, batch_size=0), ValueError, "batch_size must be a positive integer"),
    (lambda: compiled().predict(np.ones((4, 5, 3))), ValueError, r"expects inputs of shape \(batch, 3\), got X of shape"),
    (lambda: compiled().predict(np.ones(3)), ValueError, "X must have a batch axis"),
    (lambda: compiled().predict(np.array(2.0)), ValueError, "X must have a batch axis"),
    (lambda: compiled().predict([[1.0, None, 2.0]]), ValueError, "None value"),
    (lambda: Sequential().fit(X3, Y3, verbose=0), RuntimeError, "call model.compile"),
    (lambda: Sequential().predict(X3), ValueError, "has no layers"),
    # compile
    (lambda: compiled(optimizer=None), TypeError, r"optimizer must be a name \(adagrad, adam, adamw, rmsprop, sgd\) or "
                                                  "a Optimizer object, got None"),
    (lambda: compiled(metrics=[len]), TypeError, "metrics must be names such as 'accuracy'"),
    (lambda: compiled(loss=3), TypeError, "loss must be a name"),
    # optimizers and schedules
    (lambda: nnlib.Adam(beta_1=1), ValueError, r"beta_1 must be a number in \[0, 1\), got 1"),
    (lambda: nnlib.Adam(beta_2=-0.1), ValueError, r"beta_2 must be a number in \[0, 1\)"),
    (lambda: nnlib.RMSprop(rho=1.5), ValueError, r"rho must be a number in \[0, 1\)"),
    (lambda: nnlib.Adam(epsilon=0), ValueError, "epsilon must be a positive finite number"),
    (lambda: nnlib.SGD(0.1, momentum=1), ValueError, r"momentum must be a number in \[0, 1\)"),
    (lambda: nnlib.SGD(lambda step: 0.0).step([(nb.asarray([1.0]), nb.asarray([1.0]))]), ValueError,
     "schedule .* returned 0.0 at step 0"),
    (lambda: nnlib.SGD(0.1).step([(nb.asarray([1.0]), None)]), ValueError, "run forward and backward before step"),
    # layer constructors
    (lambda: Dense(None), TypeError, "Dense units must be a positive integer, got None"),
    (lambda: Dense(2.5), ValueError, "Dense units must be a positive integer, got 2.5"),
    (lambda: Dense(2, input_shape=4), TypeError, r"input_shape must be a tuple of axis lengths such as \(4,\)"),
    (lambda: Dense(2, input_shape=(0,)), ValueError, "each axis of input_shape must be a positive integer"),
    (lambda: Dense(2, activation="relux"), ValueError, "unknown activation 'relux'; valid names"),
    (lambda: Dense(2, activation=3), TypeError, "activation must be a name"),
    (lambda: Conv2D(2, "3"), ValueError, "Conv2D kernel_size must be a positive integer or a pair of them"),
    (lambda: Conv2D(2, (3, 0)), ValueError, "Conv2D kernel_size must be a positive integer"),
    (lambda: LSTM(0), ValueError, "LSTM units must be a positive integer"),
    (lambda: nnlib.Dropout(1.0), ValueError, r"Dropout rate must be a number in \[0, 1\)"),
    (lambda: nnlib.BatchNormalization(momentum=2), ValueError, r"momentum must be a number in \[0, 1\]"),
    (lambda: nnlib.LayerNormalization(epsilon="small"), TypeError, "epsilon must be a positive finite number"),
    (lambda: Sequential([Dense(2), "relu"]), TypeError, "Sequential takes nnlib layers, got 'relu'"),
    (lambda: Sequential(Dense(2)), TypeError, "Sequential takes a list of layers"),
    (lambda: nnlib.Residual([Dense(2), None]), TypeError, "Residual takes nnlib layers"),
    # structure and weights
    (lambda: Sequential([Dense(2, input_shape=(3,))]).build((5,)), ValueError,
     r"already built for inputs of shape \(batch, 3\), cannot build it again for \(batch, 5\)"),
    (lambda: compiled().set_weights([np.ones((3, 2))]), ValueError, r"has 2 weight arrays \(dense/W, dense/b\), got 1"),
    (lambda: Dense(2).backward(nb.asarray([[1.0, 1.0]])), AttributeError, "dense has no 'W' yet: build"),
    (lambda: built(SimpleRNN(2), (3, 1)).backward(nb.zeros((1, 2))), AttributeError,
     "call forward before backward"),
    (lambda: SimpleRNN(2, input_shape=(None, 1))(nb.zeros((1, 0, 1))), ValueError, "needs at least one time step"),
    (lambda: Sequential([Embedding(5, 2, input_length=1)]).predict([[2.6]]), ValueError, "whole-number ids"),
    (lambda: Sequential([GRU(2, return_sequences=True, input_shape=(None, 2)), nnlib.Flatten()]), ValueError,
     "flatten needs every axis of its input to have a known length"),
    (lambda: compiled(loss=lambda y, p: ((p - y) ** 2).mean()).fit(X3, np.ones((4, 2)), verbose=0), ValueError,
     r"a loss function must return one loss per prediction, shape \(4,\)"),
    # callbacks, data helpers
    (lambda: Recorder(every=0), ValueError, "Recorder every must be a positive integer"),
    (lambda: make_blobs(30, centers=3, cluster_std=[1.0, 2.0]), ValueError, r"one per cluster \(3\)"),
    (lambda: Standardizer().fit([[1.0, np.nan]]), ValueError, "Standardizer.fit got 1 NaN"),
]


@pytest.mark.parametrize("call, error, message", BAD)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ----- Keras behaviour --------------------------------------------------------------------

def test_batch_size_none_means_32():
    model = compiled()
    X, y = np.ones((70, 3)), np.zeros(70, dtype=int)
    history = model.fit(X, y, batch_size=None, epochs=1, verbose=0)
    assert model.optimizer.iterations == 3  # 32 + 32 + 6
    assert history.history["loss"] and model.evaluate(X, y, batch_size=None) >= 0
    assert model.predict(X, batch_size=None).shape == (70, 2)


def test_metrics_may_be_one_string():
    model = compiled(metrics="accuracy")
    assert model.metrics == ["accuracy"]
    assert set(model.fit(X3, Y3, verbose=0).history) == {"loss", "accuracy"}


def test_classes_are_accepted_for_optimizer_loss_and_activation():
    model = Sequential([Dense(2, activation=nnlib.Softmax, input_shape=(3,))])
    model.compile(optimizer=nnlib.Adam, loss=losses.SparseCategoricalCrossentropy)
    assert isinstance(model.optimizer, optimizers.Adam) and model.optimizer.learning_rate == 0.001
    model.fit(X3, Y3, verbose=0)


def test_a_python_function_as_activation_trains_with_its_numerical_derivative(float64):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    by_function = Sequential([Dense(4, activation=np.tanh, input_shape=(3,)), Dense(2)], seed=0)
    by_name = Sequential([Dense(4, activation="tanh", input_shape=(3,)), Dense(2)], seed=0)
    for model in (by_function, by_name):
        model.compile("sgd", "mse")
    assert gradcheck.gradcheck(by_function, X, y) < 1e-6
    for model in (by_function, by_name):
        model.fit(X, y, epochs=3, batch_size=2, verbose=0)
    for a, b in zip(by_function.get_weights(), by_name.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, atol=1e-8)
    with pytest.raises(ValueError, match="cannot be saved"):
        by_function.save("never-written.npz")


def test_a_python_function_as_loss_trains_like_the_named_loss(float64):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    runs = []
    for loss in (lambda y_true, y_pred: ((y_pred - y_true) ** 2).mean(axis=-1), "mse"):
        model = Sequential([Dense(2, input_shape=(3,))], seed=0)
        model.compile("sgd", loss)
        runs.append(model.fit(X, y, epochs=3, batch_size=2, verbose=0).history["loss"])
    np.testing.assert_allclose(*runs, rtol=1e-7)


def test_calling_an_unbuilt_layer_builds_it():
    layer = Dense(3)
    out = layer(nb.asarray(np.ones((2, 5))))
    assert tuple(out.shape) == (2, 3) and tuple(layer.W.shape) == (5, 3)


@pytest.mark.parametrize("kind", ["softmax", "sigmoid"])
def test_from_logits_on_a_softmax_or_sigmoid_output_warns(kind):
    model = Sequential([Dense(2 if kind == "softmax" else 1, activation=kind, input_shape=(3,))])
    loss = losses.CategoricalCrossentropy if kind == "softmax" else losses.BinaryCrossentropy
    with pytest.warns(UserWarning, match=f"already applies {kind}, so {kind} is applied twice"):
        model.compile("sgd", loss(from_logits=True))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.compile("sgd", loss())  # no warning without from_logits
        Sequential([Dense(2, input_shape=(3,))]).compile("sgd", loss(from_logits=True))  # nor on logits


@pytest.mark.filterwarnings("ignore:overflow encountered", "ignore:invalid value encountered")
def test_divergence_restores_the_last_finite_weights_and_records_validation_as_nan():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)) * 100, rng.normal(size=40) * 1e3
    model = Sequential([Dense(1, input_shape=(2,))], seed=0)
    model.compile(nnlib.SGD(learning_rate=1e-6), "mse")
    model.fit(X, y, epochs=2, verbose=0)
    finite = model.get_weights()
    model.optimizer.learning_rate = 1e6
    with pytest.warns(nnlib.TrainingDiverged, match="The weights are those of the start of training"):
        history = model.fit(X, y, epochs=5, batch_size=4, validation_split=0.25, verbose=0)
    for a, b in zip(model.get_weights(), finite, strict=True):
        np.testing.assert_array_equal(a, b)
    assert len(history.history["val_loss"]) == len(history.history["loss"])
    assert math.isnan(history.history["val_loss"][-1])


def test_a_model_built_on_one_backend_is_refused_on_another_by_name():
    model = compiled()
    with nb.using("array_api_strict"), pytest.raises(ValueError, match="weights are numpy arrays but the active "
                                                                      "backend is array_api_strict"):
        model.predict(X3)
    expected = model.predict(X3)
    with nb.using("array_api_strict"):
        copy = compiled()
        copy.set_weights(model.get_weights())  # the documented way across
        np.testing.assert_allclose(copy.predict(X3), expected, rtol=1e-6)


def test_gradcheck_is_not_fooled_by_a_true_gradient_of_zero():
    # softmax ignores a bias added to every key, so dL/dbk is exactly 0 and central differences give noise
    layer = nnlib.MultiHeadSelfAttention(num_heads=2, key_dim=4)
    assert gradcheck.check_layer(layer, np.random.default_rng(0).normal(size=(2, 3, 8))) < 1e-6
