"""The nine bugs of the December 2026 review (shared/reviews/engine-fuzz-2026-12.md), one test each.

Each test runs the review's reproducer and checks the right result or a clear ValueError.
"""

import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile

import numpy as np
import pytest

import nnlib
from nnlib import GRU, LSTM, Dense, Residual, Sequential, SimpleRNN, gradcheck, load_model
from nnlib import backend as nb


def dense_model(units=3, features=2):
    model = Sequential([Dense(units, activation="softmax", input_shape=(features,))], seed=0)
    model.compile("sgd", "sparse_categorical_crossentropy")
    return model


# 1. An interrupted save leaves the previous file loadable.

def test_save_interrupted_by_an_error_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = dense_model()
    old.save(path)

    def fails_half_way(f, **arrays):
        f.write(b"PK\x03\x04 half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", fails_half_way)
    with pytest.raises(OSError, match="disk full"):
        dense_model(units=4).save(path)
    monkeypatch.undo()
    loaded = load_model(path)
    for a, b in zip(loaded.get_weights(), old.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    assert os.listdir(tmp_path) == ["model.npz"]  # the temporary file is gone


SAVER = textwrap.dedent("""
    import sys
    from nnlib import Dense, Sequential
    path = sys.argv[1]
    Sequential([Dense(2, input_shape=(2,))]).save(path)
    big = Sequential([Dense(1500, input_shape=(1500,)), Dense(1500)], seed=1)
    print("saving", flush=True)
    while True:
        big.save(path)
""")


def test_save_killed_mid_write_keeps_a_loadable_file(tmp_path):
    path = tmp_path / "big.npz"
    saver = subprocess.Popen([sys.executable, "-c", SAVER, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert saver.stdout.readline().strip() == "saving"
        time.sleep(1.0)  # a 36 MB archive takes a good part of that to write, over and over
    finally:
        saver.send_signal(signal.SIGKILL)
        saver.wait()
    model = load_model(path)  # the small first model or a whole big one, never half of one
    assert model.count_params() in (6, 2 * (1500 * 1500 + 1500))


# 2. The fused softmax/sigmoid + cross-entropy gradient only for Dense or a bare activation layer.

@pytest.mark.parametrize("make", [
    lambda: [SimpleRNN(1, activation="sigmoid", input_shape=(4, 2))],
    lambda: [Dense(3, input_shape=(4, 2)), SimpleRNN(1, activation="sigmoid")],
    lambda: [SimpleRNN(3, activation="softmax", input_shape=(4, 2))],
])
def test_recurrent_output_with_sigmoid_or_softmax_trains_through_its_own_backward(float64, make):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(5, 4, 2))
    model = Sequential(make(), seed=0)
    units = model.output_shape()[-1]
    y = rng.integers(0, 2, (5, 1)).astype(float) if units == 1 else rng.integers(0, 3, 5)
    model.compile("sgd", "mse" if units == 1 else "sparse_categorical_crossentropy")
    if units == 1:
        model.fit(X, y, epochs=1, verbose=0)
        model.compile("sgd", "binary_crossentropy")  # recompiling must refresh every gradient
    model.fit(X, y, epochs=1, verbose=0)
    assert gradcheck.gradcheck(model, X, y) < 1e-6


def test_conv_output_with_softmax_is_not_fused(float64):
    rng = np.random.default_rng(0)
    model = Sequential([nnlib.Conv2D(3, 5, activation="softmax", input_shape=(5, 5, 1))], seed=0)
    model.compile("sgd", "categorical_crossentropy")
    X, y = rng.normal(size=(4, 5, 5, 1)), np.eye(3)[[0, 1, 2, 0]].reshape(4, 1, 1, 3)
    assert model._fused_output() is None
    assert gradcheck.gradcheck(model, X, y) < 1e-6


@pytest.mark.parametrize("make, fused_loss", [
    (lambda: [Dense(3, activation="softmax", input_shape=(4,))], "categorical_crossentropy"),
    (lambda: [Dense(1, activation="sigmoid", input_shape=(4,))], "binary_crossentropy"),
    (lambda: [Dense(3, input_shape=(4,)), nnlib.Softmax()], "categorical_crossentropy"),
])
def test_recompiling_a_fused_output_with_mse_backpropagates_through_its_activation(float64, make, fused_loss):
    # The fused pass marks the output layer loss_gives_dz; were the mark left on, the MSE
    # gradient dL/da would be taken for dL/dz and the activation's Jacobian skipped.
    rng = np.random.default_rng(0)
    model = Sequential(make(), seed=0)
    one_output = model.output_shape() == (1,)
    X = rng.normal(size=(6, 4))
    y = rng.integers(0, 2, (6, 1)).astype(float) if one_output else np.eye(3)[[0, 1, 2, 0, 1, 2]]
    model.compile("sgd", fused_loss)
    assert model._fused_output() is model.layers[-1]
    model.fit(X, y, epochs=1, verbose=0)
    model.compile("sgd", "mse")
    assert model._fused_output() is None
    assert gradcheck.gradcheck(model, X, y) < 1e-6


# 3. Unique layer names; "/" refused; save never drops a weight.

def test_an_empty_or_slashed_layer_name_is_refused():
    with pytest.raises(ValueError, match="non-empty string without '/'"):
        Dense(2, name="")
    with pytest.raises(ValueError, match="non-empty string without '/'"):
        Dense(2, name="residual/dense")


def test_a_duplicate_explicit_name_is_refused_and_default_names_get_suffixes(tmp_path):
    with pytest.raises(ValueError, match="already has a layer named 'dense'"):
        Sequential([Dense(2, input_shape=(2,)), Dense(2, name="dense")])
    model = Sequential([Dense(2, input_shape=(2,), name="dense_1"), Dense(2), Dense(2),
                        Residual([Dense(2), Dense(2)])])
    names = [name for name, _ in model.named_weights()]
    assert len(names) == len(set(names)) == 10
    model.save(tmp_path / "m.npz")
    assert len(load_model(tmp_path / "m.npz").get_weights()) == 10


# 4. Lists and object arrays with None are refused like NaN.

@pytest.mark.parametrize("X", [
    [[1.0, None, 2.0]] * 4,
    np.array([[1.0, None, 2.0]] * 4, dtype=object),
])
def test_none_in_a_list_or_object_array_is_refused(X):
    model = Sequential([Dense(2, activation="softmax", input_shape=(3,))])
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=r"X contains 4 None value\(s\) \(missing values\)"):
        model.fit(X, [0, 1, 0, 1], verbose=0)


def test_an_object_array_of_numbers_trains_like_floats():
    X = np.array([[1.0, 2, 3]] * 4, dtype=object)
    model = Sequential([Dense(2, activation="softmax", input_shape=(3,))])
    model.compile("sgd", "sparse_categorical_crossentropy")
    model.fit(X, [0, 1, 0, 1], verbose=0)
    with pytest.raises(ValueError, match=r"X contains 1 NaN or infinite"):
        model.fit(np.array([[1.0, np.nan, 2]] + [[1.0, 2, 3]] * 3, dtype=object), [0, 1, 0, 1], verbose=0)


# 5. Empty data: a ValueError naming which set.

@pytest.mark.parametrize("call, message", [
    (lambda m: m.fit(np.zeros((1, 3)), [0], validation_split=0.5, verbose=0),
     r"the training data after validation_split=0.5 of 1 samples has no samples"),
    (lambda m: m.fit(np.zeros((10, 3)), [0] * 10, validation_split=1e-20, verbose=0),
     r"the validation data after validation_split=1e-20 of 10 samples has no samples"),
    (lambda m: m.fit(np.zeros((0, 3)), [], verbose=0), "the training data has no samples"),
    (lambda m: m.fit(np.zeros((2, 3)), [0, 1], validation_data=(np.zeros((0, 3)), []), verbose=0),
     "the validation data has no samples"),
    (lambda m: m.evaluate(np.zeros((0, 3)), []), "the data given to evaluate has no samples"),
    (lambda m: m.predict(np.zeros((0, 3))), "predict got X with no samples"),
])
def test_empty_data_names_the_set(call, message):
    model = Sequential([Dense(2, activation="softmax", input_shape=(3,))])
    model.compile("sgd", "sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match=message):
        call(model)


# 6. clipnorm and clipvalue must be positive finite numbers.

@pytest.mark.parametrize("argument", ["clipnorm", "clipvalue"])
@pytest.mark.parametrize("value", [-1, 0, float("inf"), float("nan")])
def test_clipping_arguments_must_be_positive_and_finite(argument, value):
    with pytest.raises(ValueError, match=f"{argument} must be a positive finite number"):
        nnlib.SGD(0.1, **{argument: value})


def test_valid_clipping_still_clips():
    w = nb.asarray([0.0, 0.0])
    nnlib.SGD(1.0, clipvalue=np.float32(0.5)).step([(w, nb.asarray([3.0, -0.1]))])
    np.testing.assert_allclose(nb.to_numpy(w), [-0.5, 0.1], rtol=1e-6)


# 7. A time axis of None is accepted by fit, predict and evaluate.

@pytest.mark.parametrize("layer", [LSTM, GRU, SimpleRNN])
def test_variable_length_sequences(layer):
    model = Sequential([layer(3, input_shape=(None, 2)), Dense(1)], seed=0)
    model.compile("adam", "mse")
    rng = np.random.default_rng(0)
    for steps in (5, 7):
        X, y = rng.normal(size=(4, steps, 2)), rng.normal(size=(4, 1))
        model.fit(X, y, epochs=1, verbose=0)
        assert np.isfinite(model.evaluate(X, y))
        assert model.predict(X).shape == (4, 1)
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, None, 2\), got X of shape \(4, 5, 3\)"):
        model.predict(rng.normal(size=(4, 5, 3)))


def test_variable_length_sequence_to_sequence():
    model = Sequential([GRU(3, return_sequences=True, input_shape=(None, 2)), Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics="accuracy")
    X, y = np.random.default_rng(0).normal(size=(4, 6, 2)), np.zeros((4, 6), dtype=int)
    history = model.fit(X, y, epochs=1, verbose=0)
    assert 0 <= history.history["accuracy"][0] <= 1


# 8. Learning rates of any real number type.

@pytest.mark.parametrize("rate", [np.float32(0.01), np.float64(0.01), np.int64(1), 1])
@pytest.mark.parametrize("optimizer", [nnlib.SGD, nnlib.Adam, nnlib.RMSprop, nnlib.AdaGrad])
def test_numpy_scalar_learning_rates_are_accepted_and_saved(tmp_path, optimizer, rate):
    model = Sequential([Dense(1, input_shape=(2,))])
    model.compile(optimizer(learning_rate=rate), "mse")
    model.fit(np.ones((4, 2)), np.ones(4), verbose=0)
    model.save(tmp_path / "m.npz")
    assert load_model(tmp_path / "m.npz").optimizer.learning_rate == pytest.approx(float(rate))


# 9. Every fault of a model file is a ValueError naming the file.

def write_archive(path, architecture, **weights):
    data = np.frombuffer(architecture.encode(), dtype=np.uint8)
    np.savez(path, architecture=data, **weights)


@pytest.mark.parametrize("write, message", [
    (lambda p: np.save(p, np.zeros(3)), "holds a single ndarray"),
    (lambda p: write_archive(p, "[1, 2]"), "corrupt or unsupported architecture"),
    (lambda p: write_archive(p, '{"format": "nnlib.Sequential", "name": "s", "seed": 0, "input_shape": [2],'
                                ' "layers": [[1]], "compile": null}'), "corrupt or unsupported architecture"),
    (lambda p: write_archive(p, '{"format": "nnlib.Sequential", "name": "s", "seed": 0, "input_shape": [2],'
                                ' "layers": [{"class": "Dense", "config": [3]}], "compile": null}'),
     "corrupt or unsupported architecture"),
    (lambda p: write_archive(p, '{"format": "nnlib.Sequential", "name": "s", "seed": 0, "input_shape": [2],'
                                ' "layers": [{"class": "Dense", "config": {"units": "many"}}], "compile": null}'),
     "corrupt or unsupported architecture"),
    (lambda p: write_archive(p, '{"format": "nnlib.Sequential", "name": "s", "seed": 0, "input_shape": [2],'
                                ' "layers": [{"class": "Dense", "config": {"units": 1}}], "compile": null}',
                             **{"dense/W": np.zeros((2, 1)), "dense/b": np.zeros(2)}),
     "does not match its architecture"),
    (lambda p: p.write_bytes(b"\x93NUMPY garbage"), "not a readable nnlib model file"),
    (lambda p: zipfile.ZipFile(p, "w").close(), "no 'architecture' entry"),
])
def test_every_fault_of_a_model_file_is_a_value_error_naming_it(tmp_path, write, message):
    path = tmp_path / "bad.npz"
    write(path)
    if not path.exists():  # np.save adds .npy
        os.rename(str(path) + ".npy", path)
    with pytest.raises(ValueError, match=message) as caught:
        load_model(path)
    assert str(path) in str(caught.value)
