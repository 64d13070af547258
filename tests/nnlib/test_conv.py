"""Conv2D, pooling and Flatten: gradient checks, a naive convolution, shapes, Keras's counts, a digits CNN."""


import numpy as np
import pytest

import nnlib
from nnlib import backend as nb
from nnlib.gradcheck import check_layer
from nnlib.layers import AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D

TOL = 1e-6
rng = np.random.default_rng(0)


def away_from_kinks(shape):
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < 0.1, 0.5, x)


@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 3},
    {"filters": 2, "kernel_size": (2, 3), "strides": (2, 1), "padding": "same", "activation": "tanh"},
    {"filters": 4, "kernel_size": 2, "strides": 2, "padding": "valid", "activation": "relu"},
], ids=["3x3", "2x3-same-stride", "2x2-stride2-relu"])
def test_conv2d_gradients(backend, kwargs):
    assert check_layer(Conv2D(**kwargs), away_from_kinks((2, 5, 6, 2))) < TOL


@pytest.mark.parametrize("layer", [
    MaxPooling2D(), MaxPooling2D((3, 3), strides=2, padding="same"),
    AveragePooling2D(), AveragePooling2D((2, 2), padding="same"), Flatten(),
], ids=["max", "max-3x3-same", "avg", "avg-same", "flatten"])
def test_pooling_and_flatten_gradients(backend, layer):
    # Distinct values: no ties for max pooling, where the gradient is not defined.
    x = rng.permutation(2 * 5 * 5 * 2).reshape(2, 5, 5, 2) / 10.0
    assert check_layer(layer, x) < TOL


def naive_conv(x, W, b, stride, pads):
    """The definition, one output number at a time."""
    top, bottom, left, right = pads
    x = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    kh, kw, _, f = W.shape
    oh, ow = (x.shape[1] - kh) // stride + 1, (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], oh, ow, f))
    for n in range(x.shape[0]):
        for r in range(oh):
            for c in range(ow):
                patch = x[n, r * stride:r * stride + kh, c * stride:c * stride + kw, :]
                for k in range(f):
                    out[n, r, c, k] = np.sum(patch * W[..., k]) + b[k]
    return out


@pytest.mark.parametrize("kernel,stride,padding,pads", [
    (3, 1, "valid", (0, 0, 0, 0)), (3, 1, "same", (1, 1, 1, 1)), (2, 1, "same", (0, 1, 0, 1)),
    (3, 2, "valid", (0, 0, 0, 0)),
])
def test_conv2d_matches_naive_loops(backend, kernel, stride, padding, pads):
    x = rng.normal(size=(2, 7, 7, 3))
    with nb.using(dtype="float64"):
        conv = Conv2D(4, kernel, strides=stride, padding=padding)
        conv.build((7, 7, 3), np.random.default_rng(1))
        conv.b = nb.asarray(rng.normal(size=4))
        got = nb.to_numpy(conv.forward(nb.asarray(x)))
        want = naive_conv(x, nb.to_numpy(conv.W), nb.to_numpy(conv.b), stride, pads)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("size,kernel,stride,out", [
    (28, 3, 1, 28), (28, 2, 1, 28), (28, 4, 1, 28), (28, 3, 2, 14), (27, 3, 2, 14), (27, 2, 2, 14), (5, 4, 3, 2),
])
def test_same_padding_output_shapes(size, kernel, stride, out):
    """Keras: "same" gives ceil(size / stride) for odd and even kernels alike."""
    conv = Conv2D(2, kernel, strides=stride, padding="same")
    assert conv.output_shape((size, size, 1)) == (out, out, 2)
    conv.build((size, size, 1), np.random.default_rng(0))
    assert tuple(conv.forward(nb.zeros((1, size, size, 1))).shape) == (1, out, out, 2)
    pool = MaxPooling2D(kernel, strides=stride, padding="same")
    assert tuple(pool.forward(nb.zeros((1, size, size, 1))).shape) == (1, out, out, 1)


def test_even_kernel_same_padding_pads_bottom_right():
    conv = Conv2D(1, 2, padding="same", kernel_initializer=nnlib.initializers.Constant(1.0))
    conv.build((2, 2, 1))
    z = nb.to_numpy(conv.forward(nb.asarray(np.arange(1.0, 5.0).reshape(1, 2, 2, 1))))[0, :, :, 0]
    np.testing.assert_allclose(z, [[1 + 2 + 3 + 4, 2 + 4], [3 + 4, 4]])


def test_max_pool_gradient_goes_to_the_argmax(backend):
    x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 3], [0, 9, 2, 1]], dtype=float).reshape(1, 4, 4, 1)
    pool = MaxPooling2D()
    pool.forward(nb.asarray(x))
    dx = nb.to_numpy(pool.backward(nb.asarray(np.array([10.0, 20.0, 30.0, 40.0]).reshape(1, 2, 2, 1))))
    want = np.zeros((4, 4))
    want[1, 1], want[0, 2], want[3, 1], want[2, 3] = 10, 20, 30, 40
    np.testing.assert_array_equal(dx[0, :, :, 0], want)


def test_max_pool_ties_send_the_gradient_once(backend):
    pool = MaxPooling2D()
    pool.forward(nb.asarray(np.ones((1, 2, 2, 1))))
    dx = nb.to_numpy(pool.backward(nb.asarray(np.ones((1, 1, 1, 1)))))
    assert dx.sum() == 1.0 and dx[0, 0, 0, 0] == 1.0


def keras_cnn():
    return nnlib.Sequential([
        Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        MaxPooling2D(pool_size=(2, 2)),
        Flatten(),
        Dense(64, activation="relu"),
        Dense(10, activation="softmax"),
    ])


def test_col2im_copies_one_kernel_offset_at_a_time():
    """col2im adds the gradient back with at most one offset's block beside the image: a copy
    of all of dcols at once made glibc fault in a tenth of every CNN step afresh."""
    import tracemalloc

    conv = Conv2D(16, 3, input_shape=(13, 13, 8))
    conv.build((13, 13, 8), np.random.default_rng(0))
    dcols = np.ones((64 * 11 * 11, 3 * 3 * 8), dtype=np.float32)
    tracemalloc.start()
    try:
        dx = conv.col2im(dcols, (64, 13, 13, 8))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert dx.shape == (64, 13, 13, 8) and dx[0, 6, 6, 0] == 9  # a middle pixel is in 9 windows
    assert peak < 0.5 * dcols.nbytes, f"peak {peak / dcols.nbytes:.2f} times dcols"


def test_keras_cnn_snippet_counts_and_shapes():
    model = keras_cnn()
    assert [layer.count_params() for layer in model.layers] == [320, 0, 0, 346_176, 650]
    assert model.count_params() == 347_146
    shapes, shape = [], model.input_shape
    for layer in model.layers:
        shape = layer.output_shape(shape)
        shapes.append(shape)
    assert shapes[:3] == [(26, 26, 32), (13, 13, 32), (5408,)]
    lines = []
    model.summary(print_fn=lines.append)
    assert "Total params: 347,146" in lines[0] and "(None, 26, 26, 32)" in lines[0]
    assert tuple(model.forward(nb.zeros((2, 28, 28, 1))).shape) == (2, 10)


def test_missing_channel_axis_is_named():
    model = keras_cnn()
    with pytest.raises(ValueError, match=r"conv2d expects input of rank 4 \(batch, height, width, channels\), "
                                         r"got shape \(32, 28, 28\): did you forget the channel axis\? "
                                         r"Use x\[\.\.\., None\]"):
        model.forward(nb.zeros((32, 28, 28)))
    with pytest.raises(ValueError, match=r"conv2d expects input of shape \(batch, height, width, 1\)"):
        model.layers[0].forward(nb.zeros((2, 28, 28, 3)))
    with pytest.raises(ValueError, match="max_pooling2d expects input of rank 4"):
        MaxPooling2D(name="max_pooling2d").forward(nb.zeros((2, 4, 4)))
    with pytest.raises(ValueError, match="does not fit"):
        Conv2D(1, 5).build((3, 3, 1))


def test_cnn_save_load_roundtrip(tmp_path, backend):
    model = nnlib.Sequential([
        Conv2D(3, 3, padding="same", activation="relu", input_shape=(6, 6, 2)), AveragePooling2D(),
        Conv2D(4, 2, strides=1), MaxPooling2D(), Flatten(), Dense(3, activation="softmax"),
    ], seed=3)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    X = rng.random((16, 6, 6, 2)).astype(np.float32)
    y = rng.integers(0, 3, 16)
    model.fit(X, y, epochs=2, batch_size=8, verbose=0)
    model.save(tmp_path / "cnn.npz")
    loaded = nnlib.load_model(tmp_path / "cnn.npz")
    assert [type(layer).__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]
    assert loaded.layers[0].strides == (1, 1) and loaded.layers[0].padding == "same"
    np.testing.assert_allclose(loaded.predict(X), model.predict(X), rtol=1e-6)


def test_digits_cnn_learns():
    """A small CNN on the 8x8 digits; the lesson trains longer (>= 97 %), this checks it learns fast."""
    X_train, X_test, y_train, y_test = nnlib.data.load_digits(test=0.2, rng=0, flatten=False)
    model = nnlib.Sequential([
        Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=(8, 8, 1)), MaxPooling2D(),
        Conv2D(32, (3, 3), padding="same", activation="relu"), MaxPooling2D(),
        Flatten(), Dense(10, activation="softmax"),
    ], seed=0)
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train[..., None], y_train, epochs=6, batch_size=32, verbose=0)
    _, accuracy = model.evaluate(X_test[..., None], y_test)
    assert accuracy >= 0.93, accuracy
