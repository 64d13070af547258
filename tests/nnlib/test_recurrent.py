"""SimpleRNN, LSTM, GRU and Embedding: gradients, Keras parameter counts, shapes, saving, learning."""

import numpy as np
import pytest

import nnlib
from nnlib import backend as nb
from nnlib.gradcheck import check_layer, numerical_gradient, relative_error
from nnlib.layers import GRU, LSTM, Dense, Embedding, SimpleRNN

TOL = 1e-6
rng = np.random.default_rng(0)
RECURRENT = [SimpleRNN, LSTM, GRU]


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("cls", RECURRENT, ids=lambda cls: cls.__name__)
def test_recurrent_gradients(backend, cls, return_sequences):
    """Backpropagation through time matches central differences, for inputs and every parameter."""
    layer = cls(2, return_sequences=return_sequences)
    assert check_layer(layer, rng.normal(size=(2, 3, 2))) < TOL  # small, so array-api-strict stays quick
    expected = (2, 3, 2) if return_sequences else (2, 2)
    assert tuple(layer.forward(nb.asarray(rng.normal(size=(2, 3, 2)))).shape) == expected


def test_simple_rnn_relu_gradients(backend):
    assert check_layer(SimpleRNN(3, activation="relu", return_sequences=True), rng.normal(size=(2, 3, 2))) < TOL


def test_seed_rnn_snippet_counts_like_keras():
    model = nnlib.Sequential([SimpleRNN(50, activation="tanh", input_shape=(100, 1)), Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert [layer.count_params() for layer in model.layers] == [2600, 51]
    assert "(None, 50)" in text and "2,600" in text and "Total params: 2,651" in text


@pytest.mark.parametrize("features, units", [(16, 64), (1, 50), (8, 32)])
def test_lstm_and_gru_counts_match_keras_formulas(features, units):
    lstm = nnlib.Sequential([LSTM(units, input_shape=(100, features))])
    gru = nnlib.Sequential([GRU(units, input_shape=(100, features))])
    assert lstm.count_params() == 4 * (features * units + units * units + units)
    assert gru.count_params() == 3 * units * (features + units) + 6 * units  # Keras, reset_after=True
    assert LSTM(64, input_shape=(100, 16)).count_params() == 0  # not built yet
    assert nnlib.Sequential([LSTM(64, input_shape=(100, 16))]).count_params() == 20_736


def test_keras_parameter_layout_under_the_lesson_names():
    layers = [SimpleRNN(5), LSTM(5), GRU(5)]
    for layer in layers:
        layer.build((7, 3), np.random.default_rng(0))
    shapes = [{key: tuple(p.shape) for key, p in layer.params.items()} for layer in layers]
    assert shapes[0] == {"Wx": (3, 5), "Wh": (5, 5), "b": (5,)}
    assert shapes[1] == {"Wx": (3, 20), "Wh": (5, 20), "b": (20,)}
    assert shapes[2] == {"Wx": (3, 15), "Wh": (5, 15), "b": (2, 15)}
    np.testing.assert_array_equal(nb.to_numpy(layers[1].b)[5:10], 1.0)  # unit_forget_bias
    U = nb.to_numpy(layers[0].Wh)
    np.testing.assert_allclose(U @ U.T, np.eye(5), atol=1e-6)  # orthogonal, as Keras initializes it


def test_saved_files_keep_keras_names(tmp_path):
    model = nnlib.Sequential([LSTM(2, return_sequences=True, input_shape=(3, 1)), GRU(2)])
    model.save(tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz") as archive:
        assert sorted(archive.files) == ["architecture", "gru/bias", "gru/kernel", "gru/recurrent_kernel",
                                         "lstm/bias", "lstm/kernel", "lstm/recurrent_kernel"]
    loaded = nnlib.load_model(tmp_path / "m.npz")
    for a, b in zip(loaded.get_weights(), model.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", RECURRENT, ids=lambda cls: cls.__name__)
def test_forward_is_step_after_step(backend, cls):
    """The layer's forward is its step applied at every time step, h_0 = 0 (and c_0 = 0)."""
    layer = cls(3, return_sequences=True)
    layer.build((4, 2), np.random.default_rng(0))
    x = nb.asarray(rng.normal(size=(2, 4, 2)))
    out = nb.to_numpy(layer.forward(x))
    h = nb.zeros((2, 3))
    c = nb.zeros((2, 3)) if cls is LSTM else None
    for t in range(4):
        h, c, _ = layer.step(x[:, t, :], h, c)
        np.testing.assert_array_equal(nb.to_numpy(h), out[:, t, :])


def test_lstm_keeps_gates_and_states_for_lessons(backend):
    lstm = LSTM(4, return_sequences=False)
    lstm.build((6, 2), np.random.default_rng(0))
    out = lstm.forward(nb.asarray(rng.normal(size=(3, 6, 2))))
    for name in ("i", "f", "o", "g", "c", "h"):
        assert tuple(getattr(lstm, name).shape) == (3, 6, 4), name
    for gate in ("i", "f", "o"):
        values = nb.to_numpy(getattr(lstm, gate))
        assert values.min() > 0 and values.max() < 1
    np.testing.assert_allclose(nb.to_numpy(out), nb.to_numpy(lstm.h)[:, -1, :])
    h = nb.to_numpy(lstm.o) * np.tanh(nb.to_numpy(lstm.c))
    np.testing.assert_allclose(nb.to_numpy(lstm.h), h, rtol=1e-5, atol=1e-6)


def test_simple_rnn_gradient_shrinks_back_in_time(backend):
    """The gradient reaching h_t from a loss on the last output fades as t goes back (vanishing gradient)."""
    rnn = SimpleRNN(8)
    rnn.build((30, 1), np.random.default_rng(0))
    rnn.forward(nb.asarray(rng.normal(size=(4, 30, 1))))
    rnn.backward(nb.asarray(np.ones((4, 8))))
    norms = rnn.gradient_norms()
    assert norms.shape == (30,) and tuple(rnn.dh.shape) == (4, 30, 8)
    assert norms[0] < 0.1 * norms[-1]


@pytest.mark.parametrize("cls", RECURRENT, ids=lambda cls: cls.__name__)
def test_shape_errors_name_the_layer_and_the_expected_shape(cls):
    layer = cls(4, input_shape=(10, 3))
    model = nnlib.Sequential([layer])
    with pytest.raises(ValueError, match=rf"{layer.name} expected input of shape \(batch, time, 3\), got shape \(5, 3\)"):
        model.forward(nb.asarray(np.zeros((5, 3))))
    with pytest.raises(ValueError, match=r"\(batch, time, 3\), got shape \(5, 10, 2\)"):
        model.forward(nb.asarray(np.zeros((5, 10, 2))))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, time, features\)"):
        nnlib.Sequential([cls(4, input_shape=(3,))])


def test_embedding_gradient_and_lookup(backend):
    with nb.using(dtype="float64"):
        emb = Embedding(6, 3)
        emb.build((4,), np.random.default_rng(0))
        ids = nb.asarray(np.array([[0, 2, 2, 5], [1, 2, 0, 0]]), dtype="int64")
        g = nb.asarray(rng.normal(size=(2, 4, 3)))
        out = emb.forward(ids)
        np.testing.assert_array_equal(nb.to_numpy(out)[0, 1], nb.to_numpy(emb.params["embeddings"])[2])

        def f(_):
            return nb.xp().sum(emb.forward(ids) * g)

        dx = emb.backward(g)
        assert relative_error(emb.grads["embeddings"], numerical_gradient(f, emb.params["embeddings"])) < TOL
        assert tuple(dx.shape) == (2, 4) and not np.any(nb.to_numpy(dx))
        assert not np.any(nb.to_numpy(emb.grads["embeddings"])[[3, 4]])  # unused ids get no gradient


def test_embedding_accepts_float_ids_and_refuses_out_of_range(backend):
    emb = Embedding(5, 2, input_length=3)
    emb.build((3,), np.random.default_rng(0))
    a = emb.forward(nb.asarray([[1.0, 4.0, 0.0]]))
    b = emb.forward(nb.asarray([[1, 4, 0]], dtype="int64"))
    np.testing.assert_array_equal(nb.to_numpy(a), nb.to_numpy(b))
    with pytest.raises(ValueError, match=r"embedding expected integer ids in \[0, 5\), got values from 0 to 5"):
        emb.name = "embedding"
        emb.forward(nb.asarray([[0, 5, 1]], dtype="int64"))


def test_save_and_load_roundtrip(tmp_path):
    model = nnlib.Sequential([
        Embedding(10, 4, input_length=6),
        SimpleRNN(5, activation="relu", return_sequences=True),
        GRU(4, return_sequences=True),
        LSTM(3),
        Dense(2),
    ], seed=3)
    model.compile("adam", "mse")
    X = rng.integers(0, 10, size=(7, 6)).astype(float)
    before = model.predict(X)
    model.save(tmp_path / "rnn.npz")
    loaded = nnlib.load_model(tmp_path / "rnn.npz")
    np.testing.assert_allclose(loaded.predict(X), before, rtol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers] == ["Embedding", "SimpleRNN", "GRU", "LSTM", "Dense"]
    assert loaded.layers[1].activation.kind == "relu" and loaded.layers[1].return_sequences


def test_lstm_learns_to_recall_the_first_value():
    """The target is the first of 8 noisy values: only a network that remembers can predict it."""
    data = np.random.default_rng(1)
    X = data.uniform(-1, 1, size=(512, 8, 1))
    y = X[:, 0, :]
    model = nnlib.Sequential([LSTM(16, input_shape=(8, 1)), Dense(1)], seed=0)
    model.compile(optimizer=nnlib.Adam(learning_rate=0.01), loss="mse")
    history = model.fit(X, y, epochs=25, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < 0.1 * np.var(y)
