"""Small nnlib computations the quizzes share (a leading underscore: not a quiz itself)."""

import numpy as np

from nnlib import Sequential, backend, losses


def dense_output(layer, W, b, x):
    """What the built layer ``layer`` outputs for one input ``x``, given weights ``W`` and bias ``b``."""
    W = np.asarray(W, dtype=float)
    layer.build((W.shape[0],), np.random.default_rng(0))
    layer.W, layer.b = backend.asarray(W), backend.asarray(np.asarray(b, dtype=float))
    return backend.to_numpy(layer.forward(backend.asarray(np.asarray([x], dtype=float))))[0]


def parameter_count(layers, input_shape):
    """How many trainable numbers a network of ``layers`` has, counted by nnlib."""
    model = Sequential(layers)
    model.build(input_shape)
    return model.count_params()


def loss_value(name, y_true, y_pred):
    """nnlib's loss ``name`` for one batch, as a float."""
    as_array = lambda v: backend.asarray(np.asarray(v, dtype=float))
    return float(losses.get(name)(as_array(y_true), as_array(y_pred)))
