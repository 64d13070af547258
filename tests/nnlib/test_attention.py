"""MultiHeadSelfAttention and positional encoding: gradients, the causal mask, weights, saving."""

import numpy as np
import pytest

import nnlib
from nnlib import backend as nb
from nnlib.gradcheck import check_layer, numerical_gradient, relative_error
from nnlib.layers import Dense, Embedding, MultiHeadSelfAttention, PositionalEncoding, positional_encoding

TOL = 1e-6
rng = np.random.default_rng(0)


@pytest.mark.parametrize("causal", [False, True])
def test_attention_gradients(backend, causal):
    """Input and parameter gradients against central differences (check_layer, key bias apart).

    The key bias adds q·bk to a whole row of scores, which softmax ignores: its true
    gradient is 0, where a relative error means nothing, so it is checked to be ~0.
    """
    layer = MultiHeadSelfAttention(num_heads=2, key_dim=2, causal=causal)
    with nb.using(dtype="float64"):
        layer.build((3, 4), np.random.default_rng(0))
        for key in layer.params:
            layer.params[key] = nb.asarray(rng.normal(size=tuple(layer.params[key].shape)))
        x = nb.asarray(rng.normal(size=(2, 3, 4)))
        g = nb.asarray(rng.normal(size=(2, 3, 4)))

        def f(_):
            return nb.xp().sum(layer.forward(x) * g)

        layer.forward(x)
        assert relative_error(layer.backward(g), numerical_gradient(f, x)) < TOL
        for key, param in layer.params.items():
            numeric = numerical_gradient(f, param)
            if key == "bk":
                assert np.abs(nb.to_numpy(layer.grads[key])).max() < 1e-12 and np.abs(numeric).max() < 1e-8
            else:
                assert relative_error(layer.grads[key], numeric) < TOL, key


def test_positional_encoding_layer_gradient(backend):
    assert check_layer(PositionalEncoding(), rng.normal(size=(2, 3, 4))) < TOL


def test_causal_mask_blocks_the_future(backend):
    layer = MultiHeadSelfAttention(num_heads=2, key_dim=3, causal=True)
    layer.build((5, 4), np.random.default_rng(0))
    x = rng.normal(size=(2, 5, 4))
    before = nb.to_numpy(layer.forward(nb.asarray(x)))
    x[:, 3, :] += 10.0  # change step 3 only
    after = nb.to_numpy(layer.forward(nb.asarray(x)))
    np.testing.assert_allclose(after[:, :3], before[:, :3], rtol=1e-5, atol=1e-6)  # earlier steps: unchanged
    assert not np.allclose(after[:, 3:], before[:, 3:])
    weights = nb.to_numpy(layer.attention_weights)
    assert np.all(np.triu(np.ones((5, 5)), k=1)[None, None] * weights == 0)
    open_layer = MultiHeadSelfAttention(num_heads=2, key_dim=3)
    open_layer.build((5, 4), np.random.default_rng(0))
    first = nb.to_numpy(open_layer.forward(nb.asarray(x)))[:, 0]
    x[:, 3, :] -= 10.0
    assert not np.allclose(nb.to_numpy(open_layer.forward(nb.asarray(x)))[:, 0], first)  # no mask: it sees ahead


def test_attention_weights_are_distributions(backend):
    layer = MultiHeadSelfAttention(num_heads=3, key_dim=2)
    layer.build((6, 5), np.random.default_rng(0))
    layer.forward(nb.asarray(rng.normal(size=(4, 6, 5)) * 5))
    weights = nb.to_numpy(layer.attention_weights)
    assert weights.shape == (4, 3, 6, 6)
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
    assert weights.min() >= 0
    assert tuple(layer.q.shape) == (4, 3, 6, 2) and tuple(layer.scores.shape) == (4, 3, 6, 6)


def test_attention_count_matches_keras():
    model = nnlib.Sequential([MultiHeadSelfAttention(num_heads=4, key_dim=8, input_shape=(10, 16))])
    d, width = 16, 4 * 8
    assert model.count_params() == 4 * d * width + 3 * width + d
    assert model.output_shape() == (10, 16)


def test_positional_encoding_values():
    pe = positional_encoding(50, 6)
    assert pe.shape == (50, 6)
    np.testing.assert_allclose(pe[:, 0], np.sin(np.arange(50)))
    np.testing.assert_allclose(pe[:, 1], np.cos(np.arange(50)))
    np.testing.assert_allclose(pe[7, 4], np.sin(7 / 10000 ** (4 / 6)))
    assert positional_encoding(4, 5).shape == (4, 5)  # odd width: the last column is a sine


def test_shape_errors_name_the_layer_and_the_expected_shape():
    model = nnlib.Sequential([MultiHeadSelfAttention(2, 4, input_shape=(5, 8))])
    with pytest.raises(ValueError, match=r"multi_head_self_attention expected input of shape \(batch, time, 8\)"):
        model.forward(nb.asarray(np.zeros((3, 8))))
    with pytest.raises(ValueError, match=r"expects inputs of shape \(batch, time, d_model\)"):
        nnlib.Sequential([MultiHeadSelfAttention(2, 4, input_shape=(8,))])
    with pytest.raises(ValueError, match=r"positional_encoding expected input of shape \(batch, time, d_model\)"):
        nnlib.Sequential([PositionalEncoding(input_shape=(8,))]).forward(nb.asarray(np.zeros((3, 8))))


def test_save_and_load_roundtrip(tmp_path):
    model = nnlib.Sequential([
        Embedding(12, 8, input_length=5),
        PositionalEncoding(),
        MultiHeadSelfAttention(num_heads=2, key_dim=4, causal=True),
        Dense(12, activation="softmax"),
    ], seed=2)
    model.compile("adam", "categorical_crossentropy")
    X = rng.integers(0, 12, size=(3, 5)).astype(float)
    before = model.predict(X)
    model.save(tmp_path / "attention.npz")
    loaded = nnlib.load_model(tmp_path / "attention.npz")
    np.testing.assert_allclose(loaded.predict(X), before, rtol=1e-6)
    assert loaded.layers[2].causal and loaded.layers[2].num_heads == 2


def test_attention_model_learns_to_reverse_digits():
    """Output step t must copy input step T-1-t: only attention can route it there (no recurrence here)."""
    data = np.random.default_rng(0)
    digits, length = 5, 5
    X = data.integers(0, digits, size=(1024, length))
    Y = np.eye(digits)[X[:, ::-1]]
    model = nnlib.Sequential([
        Embedding(digits, 16, input_length=length),
        PositionalEncoding(),
        MultiHeadSelfAttention(num_heads=2, key_dim=8),
        Dense(digits, activation="softmax"),
    ], seed=0)
    model.compile(optimizer=nnlib.Adam(learning_rate=0.01), loss="categorical_crossentropy")
    model.fit(X.astype(float), Y, epochs=15, batch_size=64, verbose=0)
    accuracy = np.mean(model.predict(X.astype(float)).argmax(-1) == X[:, ::-1])
    assert accuracy > 0.95
