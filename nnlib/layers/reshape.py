"""Flatten: from images to vectors, for the dense layers at the end of a CNN."""

from .. import backend
from .._checks import size
from .base import Layer


class Flatten(Layer):
    """Flatten each sample: (batch, d1, d2, ...) to (batch, d1*d2*...), in row-major (C) order as Keras.

    Backward reshapes the gradient back.

    >>> from nnlib import backend
    >>> print(Flatten().forward(backend.zeros((2, 13, 13, 32))).shape)
    (2, 5408)
    """

    trainable = False

    def output_shape(self, input_shape):
        if None in input_shape:
            raise ValueError(f"{self.name or self.kind} needs every axis of its input to have a known length, "
                             f"got input_shape {tuple(input_shape)}")
        return (size(input_shape),)

    def forward(self, x, training=False):
        if x.ndim < 2:
            raise ValueError(f"{self.name or self.kind} expects input with a batch axis, got shape {tuple(x.shape)}")
        self.x_shape = tuple(x.shape)
        return backend.xp().reshape(x, (x.shape[0], -1))

    def backward(self, grad, need_dx=True):
        self.dx = backend.xp().reshape(grad, self.x_shape)
        return self.dx
