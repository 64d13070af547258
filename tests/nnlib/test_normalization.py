"""BatchNormalization, LayerNormalization and Residual: gradients, train/inference behaviour, naming, files."""

import numpy as np
import pytest

import nnlib
from nnlib import backend as nb
from nnlib.gradcheck import check_layer, gradcheck
from nnlib.layers import BatchNormalization, Conv2D, Dense, Flatten, LayerNormalization, Residual

TOL = 1e-6
rng = np.random.default_rng(0)


@pytest.mark.parametrize("shape", [(6, 3), (2, 3, 3, 4)], ids=["features", "images"])
@pytest.mark.parametrize("training", [True, False], ids=["train", "inference"])
def test_batchnorm_gradients(backend, shape, training):
    layer = BatchNormalization()
    layer.build(shape[1:])
    layer.gamma = nb.asarray(rng.normal(size=shape[-1]))
    layer.beta = nb.asarray(rng.normal(size=shape[-1]))
    assert check_layer(layer, rng.normal(size=shape), training=training) < TOL


@pytest.mark.parametrize("shape", [(4, 5), (2, 3, 5)])
def test_layernorm_gradients(backend, shape):
    layer = LayerNormalization()
    layer.build(shape[1:])
    layer.gamma = nb.asarray(rng.normal(size=shape[-1]))
    assert check_layer(layer, rng.normal(size=shape)) < TOL


def test_batchnorm_train_uses_batch_statistics_inference_uses_running_ones(backend):
    bn = BatchNormalization(momentum=0.9, epsilon=1e-9)
    bn.build((2,))
    x = rng.normal(loc=[5.0, -3.0], scale=[2.0, 0.5], size=(256, 2))
    y = nb.to_numpy(bn.forward(nb.asarray(x), training=True))
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(y.std(axis=0), 1, atol=1e-3)
    # One step moved the running statistics 10 % of the way from (0, 1) to the batch's.
    np.testing.assert_allclose(nb.to_numpy(bn.moving_mean), 0.1 * x.mean(axis=0), rtol=1e-5)
    np.testing.assert_allclose(nb.to_numpy(bn.moving_variance), 0.9 + 0.1 * x.var(axis=0), rtol=1e-5)
    # Inference with the running statistics: not yet normalized, and independent of the batch.
    one = nb.to_numpy(bn.forward(nb.asarray(x[:1]), training=False))
    np.testing.assert_allclose(one, nb.to_numpy(bn.forward(nb.asarray(x), training=False))[:1], rtol=1e-6)
    for _ in range(200):
        bn.forward(nb.asarray(x), training=True)
    np.testing.assert_allclose(nb.to_numpy(bn.moving_mean), x.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(nb.to_numpy(bn.moving_variance), x.var(axis=0), rtol=1e-4)
    y = nb.to_numpy(bn.forward(nb.asarray(x), training=False))
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-3)


def test_layernorm_normalizes_each_row():
    y = nb.to_numpy(LayerNormalization(epsilon=1e-9).forward(nb.asarray(rng.normal(3, 2, size=(4, 10)))))
    np.testing.assert_allclose(y.mean(axis=-1), 0, atol=1e-6)
    np.testing.assert_allclose(y.std(axis=-1), 1, atol=1e-5)


def test_normalization_shape_errors():
    bn = BatchNormalization(name="bn")
    bn.build((3,))
    with pytest.raises(ValueError, match=r"bn expects input of shape \(batch, \.\.\., 3\), got shape \(2, 4\)"):
        bn.forward(nb.zeros((2, 4)))


def test_residual_gradient_is_identity_plus_branch(backend):
    block = Residual([Dense(4, activation="tanh"), Dense(4)])
    assert check_layer(block, rng.normal(size=(3, 4))) < TOL
    g = nb.asarray(rng.normal(size=(3, 4)))
    with nb.using(dtype="float64"):
        block.forward(nb.asarray(rng.normal(size=(3, 4))))
        dx = nb.to_numpy(block.backward(g))
        branch = nb.to_numpy(block.layers[0].dx)  # what F alone sends back
    np.testing.assert_allclose(dx, nb.to_numpy(g) + branch, rtol=1e-12)


def test_residual_shape_mismatch_is_explained():
    with pytest.raises(ValueError, match=r"residual: its layers map shape \(4,\) to \(3,\).*x's shape"):
        nnlib.Sequential([Dense(4, input_shape=(4,)), Residual([Dense(3)])])


def residual_cnn(seed=0, size=6, filters=4):
    return nnlib.Sequential([
        Conv2D(filters, 3, padding="same", input_shape=(size, size, 1)), BatchNormalization(),
        Residual([Conv2D(filters, 3, padding="same", activation="relu"), BatchNormalization()]),
        Flatten(), LayerNormalization(), Dense(3, activation="softmax"),
    ], seed=seed)


def test_residual_parameters_are_named_through_the_block_and_trained():
    model = residual_cnn()
    names = [name for name, _, _ in model.named_parameters()]
    assert "residual/conv2d/W" in names and "residual/batch_normalization/gamma" in names
    assert "batch_normalization/moving_mean" not in names  # state, not a parameter
    model.compile("adam", "sparse_categorical_crossentropy")
    before = model.get_weights()
    model.fit(rng.random((8, 6, 6, 1)), rng.integers(0, 3, 8), epochs=1, batch_size=8, verbose=0)
    weights = dict(zip([name for name, _ in model.named_weights()], model.get_weights()))
    assert not np.allclose(before[names.index("residual/conv2d/W")], weights["residual/conv2d/W"])
    assert not np.allclose(weights["residual/batch_normalization/moving_mean"], 0)


def test_summary_counts_running_statistics_as_non_trainable():
    model = nnlib.Sequential([Dense(8, input_shape=(4,)), BatchNormalization(), Dense(2)])
    lines = []
    model.summary(print_fn=lines.append)
    # Keras: 40 + 4 * 8 + 18 = 90 in all, of which the 16 running statistics are non-trainable.
    assert "Total params: 90" in lines[0] and "Trainable params: 74" in lines[0]
    assert "Non-trainable params: 16" in lines[0]


def test_model_gradcheck_through_residual_and_batchnorm(backend):
    with nb.using(dtype="float64"):
        model = residual_cnn(seed=1, size=4, filters=2)
        model.compile("sgd", "sparse_categorical_crossentropy")
        x = rng.normal(size=(4, 4, 4, 1))
        y = np.array([0, 1, 2, 1])
        # gradcheck runs forward in inference mode: batch norm uses its (constant) running statistics.
        assert gradcheck(model, x, y) < TOL


def test_save_load_roundtrip_keeps_running_statistics(tmp_path, backend):
    model = residual_cnn()
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    X = rng.random((16, 6, 6, 1)).astype(np.float32)
    model.fit(X, rng.integers(0, 3, 16), epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "model.npz")
    loaded = nnlib.load_model(tmp_path / "model.npz")
    assert [name for name, _ in loaded.named_weights()] == [name for name, _ in model.named_weights()]
    np.testing.assert_allclose(nb.to_numpy(loaded.layers[1].moving_variance),
                               nb.to_numpy(model.layers[1].moving_variance))
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-5, atol=1e-6)
