"""Sequential end to end: learning, the Keras dialect, files, callbacks and bad input."""

import io
import json
import re

import numpy as np
import pytest

import nnlib
from nnlib import Dense, Sequential, backend as nb
from nnlib.callbacks import EarlyStopping, LearningRateScheduler, Recorder, load_recording
from nnlib.data import load_digits, make_spirals, xor_truth_table


def small_model(**compile_args):
    model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(3, activation="softmax")], seed=0)
    model.compile(**{"optimizer": "adam", "loss": "sparse_categorical_crossentropy", "metrics": ["accuracy"],
                     **compile_args})
    return model


# ----- learning ------------------------------------------------------------------------

def test_xor_reaches_100_percent(backend):
    X, y = xor_truth_table()
    model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=nnlib.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=300, batch_size=4, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    assert model.evaluate(X, y)[1] == 1.0


def test_spirals_reach_95_percent(backend):
    X, y = make_spirals(300, n_classes=3, noise=0.2, rng=0)
    model = Sequential([Dense(64, activation="relu", input_shape=(2,)), Dense(3, activation="softmax")], seed=0)
    model.compile(optimizer=nnlib.Adam(0.02), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=150, batch_size=32, verbose=0)
    assert model.evaluate(X, y)[1] >= 0.95


def test_digits_reach_95_percent_test_accuracy():
    X_train, X_test, y_train, y_test = load_digits(test=0.2, rng=0)
    model = Sequential([Dense(64, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")], seed=0)
    model.compile("adam", "categorical_crossentropy", ["accuracy"])
    history = model.fit(X_train, nnlib.data.one_hot(y_train, 10), epochs=20, batch_size=32,
                        validation_split=0.1, verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.epoch == list(range(20))
    assert model.evaluate(X_test, y_test)[1] >= 0.95  # integer labels work with categorical_crossentropy too


def test_float64_training_and_predict_returns_numpy(backend, float64):
    X, y = make_spirals(60, rng=1)
    model = small_model()
    model.fit(X, y, epochs=2, verbose=0, validation_data=(X, y))
    out = model.predict(X, batch_size=7)
    assert isinstance(out, np.ndarray) and out.shape == (60, 3) and out.dtype == np.float64
    np.testing.assert_allclose(out.sum(axis=1), 1.0)


def test_same_seed_same_training_on_both_backends():
    X, y = make_spirals(60, rng=1)
    losses = []
    for name in ("numpy", "array_api_strict"):
        with nb.using(name, dtype="float64"):
            losses.append(small_model().fit(X, y, epochs=3, verbose=0).history["loss"])
    np.testing.assert_allclose(*losses, rtol=1e-10)


def test_low_level_api_need_dx(backend):
    model = small_model()
    x = nb.asarray(np.array([[0.1, 0.2]]))
    model.forward(x)
    dx = model.backward(nb.asarray(np.array([[1.0, -2.0, 0.5]])))  # not constant: softmax would zero it
    assert tuple(dx.shape) == (1, 2)
    names = [name for name, _, _ in model.named_parameters()]
    assert names == ["dense/W", "dense/b", "dense_1/W", "dense_1/b"]
    for _, param, grad in model.named_parameters():
        assert tuple(grad.shape) == tuple(param.shape)
    before = model.get_weights()
    nnlib.SGD(0.1).step(model.parameter_gradient_pairs())
    assert not np.allclose(before[0], model.get_weights()[0])


@pytest.mark.parametrize("layers, input_shape", [
    (lambda: [Dense(5, activation="relu"), Dense(3, activation="softmax")], (4,)),
    (lambda: [Dense(3, activation="softmax")], (4,)),  # the fused output layer is also the first
    (lambda: [nnlib.Flatten(), Dense(4, activation="tanh"), Dense(3)], (2, 2)),
    (lambda: [nnlib.Conv2D(2, 3, activation="relu"), nnlib.MaxPooling2D(), nnlib.Flatten(),
              Dense(3, activation="softmax")], (6, 6, 1)),
])
def test_training_skips_only_the_need_dx(backend, float64, layers, input_shape):
    # fit never needs dL/dx, so train_step stops at the first layer with weights; every
    # parameter gradient must be what the full backward pass computes.
    rng = np.random.default_rng(0)
    x = nb.asarray(rng.standard_normal((6, *input_shape)))
    y = nb.asarray(rng.integers(0, 3, 6), dtype="int64")
    grads = {}
    for need_dx in (True, False):
        model = Sequential(layers(), seed=0)
        model.build(input_shape)
        model.compile("sgd", nnlib.losses.CategoricalCrossentropy(from_logits=not isinstance(
            model.layers[-1].activation, nnlib.Softmax)))
        dx = model.backward_loss(y, model.forward(x, training=True), need_dx=need_dx)
        assert (dx is None) == (not need_dx)
        grads[need_dx] = {name: nb.to_numpy(grad) for name, _, grad in model.named_parameters()}
    assert grads[True].keys() == grads[False].keys()
    for name, grad in grads[True].items():
        np.testing.assert_array_equal(grads[False][name], grad, err_msg=name)


# ----- Keras dialect ---------------------------------------------------------------------

def keras_snippet():
    model = Sequential([
        Dense(64, activation="relu", input_shape=(100,)),
        Dense(32, activation="relu"),
        Dense(10, activation="softmax"),
    ])
    model.compile("adam", "categorical_crossentropy", ["accuracy"])
    return model


def test_summary_matches_keras_counts():
    out = io.StringIO()
    keras_snippet().summary(print_fn=lambda text: out.write(text))
    text = out.getvalue()
    rows = re.findall(r"^(dense\S*) \(Dense\)\s+\(None, (\d+)\)\s+([\d,]+)$", text, re.M)
    assert rows == [("dense", "64", "6,464"), ("dense_1", "32", "2,080"), ("dense_2", "10", "330")]
    assert "Total params: 8,874" in text and "Non-trainable params: 0" in text
    assert keras_snippet().count_params() == 8874


def test_keras_snippet_trains_and_shows_progress(capsys):
    rng = np.random.default_rng(0)
    model = keras_snippet()
    model.fit(rng.normal(size=(64, 100)), np.eye(10)[rng.integers(0, 10, 64)], epochs=2, batch_size=32)
    err = capsys.readouterr().err
    assert "Epoch 2/2" in err and re.search(r"2/2 \[=+\] - loss: \d\.\d{4} - accuracy: \d\.\d{4}", err)
    model.fit(rng.normal(size=(64, 100)), np.eye(10)[rng.integers(0, 10, 64)], epochs=1, verbose=0)
    assert capsys.readouterr() == ("", "")


# ----- files -----------------------------------------------------------------------------

def test_save_load_roundtrip(tmp_path, backend):
    X, y = make_spirals(60, rng=1)
    model = Sequential([Dense(8, activation="leaky_relu", input_shape=(2,), kernel_regularizer=nnlib.regularizers.L2(0.01)),
                        nnlib.Dropout(0.2, seed=3), Dense(3, activation="softmax")], seed=0)
    model.compile(nnlib.Adam(nnlib.optimizers.ExponentialDecay(0.01, 100, 0.5)), "sparse_categorical_crossentropy",
                  ["accuracy"])
    model.fit(X, y, epochs=2, verbose=0)
    model.save(tmp_path / "model.npz")
    loaded = nnlib.load_model(tmp_path / "model.npz")
    np.testing.assert_array_equal(loaded.predict(X), model.predict(X))
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert loaded.evaluate(X, y) == pytest.approx(model.evaluate(X, y))
    with np.load(tmp_path / "model.npz", allow_pickle=False) as archive:
        architecture = json.loads(archive["architecture"].tobytes())
        assert architecture["format"] == "nnlib.Sequential" and "dense/W" in archive.files


def test_corrupt_model_files(tmp_path):
    model = keras_snippet()
    model.save(tmp_path / "good.npz")
    (tmp_path / "garbage.npz").write_bytes(b"not a zip file at all")
    with pytest.raises(ValueError, match="not a readable nnlib model file"):
        nnlib.load_model(tmp_path / "garbage.npz")
    truncated = (tmp_path / "good.npz").read_bytes()[:500]
    (tmp_path / "truncated.npz").write_bytes(truncated)
    with pytest.raises(ValueError, match="not a readable nnlib model file"):
        nnlib.load_model(tmp_path / "truncated.npz")
    np.savez(tmp_path / "no_arch.npz", W=np.zeros(3))
    with pytest.raises(ValueError, match="no 'architecture' entry"):
        nnlib.load_model(tmp_path / "no_arch.npz")
    np.savez(tmp_path / "bad_json.npz", architecture=np.frombuffer(b"{oops", dtype=np.uint8))
    with pytest.raises(ValueError, match="corrupt or unsupported architecture"):
        nnlib.load_model(tmp_path / "bad_json.npz")
    with np.load(tmp_path / "good.npz") as archive:
        arrays = dict(archive)
    arrays["dense/W"] = np.zeros((3, 3))
    np.savez(tmp_path / "wrong_shape.npz", **arrays)
    with pytest.raises(ValueError, match=r"dense/W has shape \(100, 64\), got weights of shape \(3, 3\)"):
        nnlib.load_model(tmp_path / "wrong_shape.npz")
    del arrays["dense/W"]
    np.savez(tmp_path / "missing.npz", **arrays)
    with pytest.raises(ValueError, match="does not match its architecture"):
        nnlib.load_model(tmp_path / "missing.npz")


# ----- callbacks -------------------------------------------------------------------------

def test_early_stopping_restores_best_weights(backend):
    X, y = make_spirals(60, rng=1)
    model = small_model(optimizer=nnlib.SGD(5.0))  # too large a step: validation loss gets worse
    stopper = EarlyStopping(monitor="val_loss", patience=1, restore_best_weights=True)
    snapshots = []

    class Keep(nnlib.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots.append((logs["val_loss"], self.model.get_weights()))

    history = model.fit(X, y, epochs=50, validation_data=(X, y), callbacks=[Keep(), stopper], verbose=0)
    assert len(history.epoch) < 50 and stopper.stopped_epoch == history.epoch[-1]
    best = min(snapshots, key=lambda s: s[0])[1]
    for got, want in zip(model.get_weights(), best):
        np.testing.assert_array_equal(got, want)


def test_learning_rate_scheduler():
    X, y = make_spirals(30, rng=1)
    model = small_model()
    seen = []

    class Watch(nnlib.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(self.model.optimizer.learning_rate)

    model.fit(X, y, epochs=3, verbose=0, callbacks=[LearningRateScheduler(lambda epoch, lr: 0.1 / (epoch + 1)), Watch()])
    assert seen == pytest.approx([0.1, 0.05, 0.1 / 3])


def test_recorder_layout(tmp_path, backend):
    X, y = make_spirals(64, rng=1)
    model = small_model()
    recorder = Recorder(tmp_path / "run.npz", every=3, grid=(-1, 1, -1, 1, 5), inputs=X[:4])
    model.fit(X, y, epochs=2, batch_size=16, verbose=0, callbacks=[recorder])  # 4 steps per epoch
    rec = load_recording(tmp_path / "run.npz")
    assert rec.step.tolist() == [0, 3, 4, 6, 8]  # start, every 3 steps, and each epoch end
    assert rec.epoch.tolist() == [0, 0, 0, 1, 1]
    assert np.isnan(rec.loss[0]) and np.all(np.isfinite(rec.loss[1:]))
    assert rec.layers == ["dense", "dense_1"]
    assert rec["dense/W"].shape == (5, 2, 8) and rec["dense_1/db"].shape == (5, 3)
    assert np.all(rec["dense/dW"][0] == 0) and np.any(rec["dense/dW"][1] != 0)
    assert rec["dense/a"].shape == (5, 4, 8) and rec["dense_1/a"].shape == (5, 4, 3)
    assert rec["grid/x"].shape == (5,) and rec["grid/output"].shape == (5, 5, 5, 3)
    np.testing.assert_array_equal(rec["dense/W"][-1], model.get_weights()[0])
    corner = model.predict(np.array([[rec["grid/x"][4], rec["grid/y"][0]]]))
    np.testing.assert_allclose(rec["grid/output"][-1, 0, 4], corner[0], rtol=1e-6)
    np.testing.assert_array_equal(rec["inputs"], X[:4])


# ----- bad input -------------------------------------------------------------------------

def test_wrong_input_width_names_layer_and_shapes(backend):
    model = Sequential([Dense(8, input_shape=(4,)), Dense(2)])
    with pytest.raises(ValueError, match=r"dense expected input with last axis 4 \(shape \(batch, 4\)\), "
                                         r"got shape \(32, 3\)"):
        model.forward(nb.asarray(np.zeros((32, 3))))
    with pytest.raises(ValueError, match=r"dense_1 expected input with last axis 8"):
        model.layers[1].forward(nb.asarray(np.zeros((32, 3))))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_refused_before_training(bad):
    X, y = make_spirals(30, rng=1)
    model = small_model()
    before = model.get_weights()
    X_bad = X.copy()
    X_bad[3, 1] = bad
    with pytest.raises(ValueError, match="X contains 1 NaN or infinite"):
        model.fit(X_bad, y, verbose=0)
    y_bad = np.eye(3)[y]
    y_bad[0, 0] = bad
    with pytest.raises(ValueError, match="y contains 1 NaN or infinite"):
        small_model(loss="categorical_crossentropy").fit(X, y_bad, verbose=0)
    for got, want in zip(model.get_weights(), before):
        np.testing.assert_array_equal(got, want)


def test_huge_but_finite_data_are_not_mistaken_for_inf():
    # Their float32 sum overflows to inf; the cheap check must fall back to the exact one.
    X = np.full((4, 2), 3e38, dtype=np.float32)
    X[:, 1] = 1.0
    history = small_model().fit(X, np.array([0, 1, 2, 0]), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1


@pytest.mark.parametrize("loss, y, message", [
    ("sparse_categorical_crossentropy", np.full(30, 3), r"integer labels in 0\.\.2 .*got values in \[3, 3\]"),
    ("sparse_categorical_crossentropy", np.full(30, 1.5), r"integer labels in 0\.\.2"),
    ("sparse_categorical_crossentropy", np.eye(3)[np.zeros(30, int)], r"integer class labels of shape \(N,\)"),
    ("categorical_crossentropy", np.eye(4)[np.zeros(30, int)], r"targets of shape \(N, 3\)"),
    ("categorical_crossentropy", np.full(30, -1), r"integer labels in 0\.\.2"),
    ("sparse_categorical_crossentropy", np.zeros(29, int), "X has 30 samples but y has 29"),
])
def test_bad_labels(loss, y, message):
    X, _ = make_spirals(30, rng=1)
    with pytest.raises(ValueError, match=message):
        small_model(loss=loss).fit(X, y, verbose=0)


def test_binary_labels_out_of_range():
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(2,))])
    model.compile("adam", "binary_crossentropy")
    with pytest.raises(ValueError, match=r"target values in \[0, 1\]"):
        model.fit(np.zeros((4, 2)), np.array([0, 1, 2, 0]), verbose=0)


@pytest.mark.parametrize("arguments, message", [
    ({"epochs": 0}, "epochs must be a positive integer"),
    ({"epochs": 2.5}, "epochs must be a positive integer"),
    ({"batch_size": 0}, "batch_size must be a positive integer"),
    ({"batch_size": -4}, "batch_size must be a positive integer"),
    ({"validation_split": 1.0}, "validation_split must be a number in"),
])
def test_fit_arguments_out_of_range(arguments, message):
    X, y = make_spirals(30, rng=1)
    with pytest.raises(ValueError, match=message):
        small_model().fit(X, y, verbose=0, **arguments)


@pytest.mark.parametrize("make, message", [
    (lambda: Dense(3, activation="mish"), "unknown activation 'mish'; valid names: elu, gelu, leaky_relu, linear, "
                                          "relu, sigmoid, softmax, swish, tanh"),
    (lambda: Dense(3, kernel_initializer="lecun_normal"), "unknown initializer 'lecun_normal'; valid names: constant, "
                                                        "glorot_normal, glorot_uniform, he_normal"),
    (lambda: small_model(loss="cross_entropy"), "unknown loss 'cross_entropy'; valid names: binary_crossentropy, "
                                                "categorical_crossentropy, hinge, mean_squared_error, mse"),
    (lambda: small_model(optimizer="lbfgs"), "unknown optimizer 'lbfgs'; valid names: adagrad, adam"),
    (lambda: small_model(metrics=["auc"]), "unknown metric 'auc'; valid names: accuracy"),
    (lambda: small_model(optimizer=nnlib.SGD(learning_rate=-1)), "learning_rate must be a positive"),
])
def test_unknown_names_and_bad_settings(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


@pytest.mark.filterwarnings("ignore:overflow encountered")
def test_divergence_stops_training_and_keeps_history(backend):
    X, y = make_spirals(60, rng=1)
    model = Sequential([Dense(1, input_shape=(2,))], seed=0)
    model.compile(nnlib.SGD(learning_rate=1e6), "mse")
    with pytest.warns(nnlib.TrainingDiverged, match="try a smaller learning rate") as caught:
        history = model.fit(X * 100, y.astype(float) * 1e3, epochs=20, batch_size=4, verbose=0)
    message = next(str(w.message) for w in caught if issubclass(w.category, nnlib.TrainingDiverged))
    diverged_epoch = int(re.search(r"diverged at epoch (\d+)", message).group(1))
    assert model.stop_training
    # the history runs up to the epoch that diverged, and no further
    assert len(history.epoch) == diverged_epoch < 20
    assert not np.isfinite(history.history["loss"][-1])


def test_sequence_models_take_integer_labels_per_step_and_count_each_step(backend):
    """Labels (N, time) for outputs (N, time, classes); accuracy is the share of correct steps."""
    X = np.arange(24, dtype=float).reshape(4, 3, 2) % 5
    y = np.array([[0, 1, 2], [2, 1, 0], [1, 1, 1], [0, 0, 0]])
    model = Sequential([Dense(3, activation="softmax", input_shape=(3, 2))], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(X, y)
    predicted = model.predict(X).argmax(axis=-1)
    assert accuracy == pytest.approx(np.mean(predicted == y))
    assert 0 <= accuracy <= 1
    with pytest.raises(ValueError, match=r"labels of shape \(N, 3\), got shape \(4,\)"):
        model.evaluate(X, y[:, 0])


def test_a_layer_without_weights_can_declare_the_input_shape():
    model = Sequential([nnlib.layers.Flatten(input_shape=(8, 8)), Dense(3)])
    assert model.output_shape() == (3,) and model.count_params() == 64 * 3 + 3
